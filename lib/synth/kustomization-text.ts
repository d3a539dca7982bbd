// Edits of a hand-written kustomization.yaml that keep every byte synth does not own. Only the
// top-level `resources:` block list is ever edited (never a `configMapGenerator`'s `files`, a
// `components` list or any other list that happens to hold the same path), and every edit is checked
// by parsing the file before and after: everything but `resources` must mean the same, and
// `resources` must be exactly the old list with the entries added or taken out. An edit that cannot
// be made that way is refused, naming the file, for the person to make by hand.
import { isDeepStrictEqual } from 'util';
import { refuse } from '../core/error';
import { loadYaml } from '../core/yaml';

const sameEntry = (a: string, b: string) => a.replace(/^\.\//, '') === b.replace(/^\.\//, '');

/** The entries of `wanted` that a kustomization.yaml's `resources` already lists (with or without `./`). */
export function listedEntries(relPath: string, text: string, wanted: readonly string[]): string[] {
  const listed = resourcesOf(relPath, parse(relPath, text));
  return wanted.filter((w) => listed.some((r) => typeof r === 'string' && sameEntry(r, w)));
}

function parse(relPath: string, text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = loadYaml(text, relPath);
  } catch (e) {
    refuse(
      relPath,
      undefined,
      `is a hand-written kustomization.yaml that does not parse as YAML (${String(e instanceof Error ? e.message : undefined).split('\n')[0]})`,
    );
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    refuse(relPath, undefined, 'is a hand-written kustomization.yaml that is not a YAML map; add the entries by hand');
  return doc as Record<string, unknown>;
}

function resourcesOf(relPath: string, doc: Record<string, unknown>): unknown[] {
  const listed = doc.resources;
  if (listed !== undefined && listed !== null && !Array.isArray(listed))
    refuse(`${relPath} resources`, listed, 'is not a list; add the entries by hand');
  return (listed as unknown[] | undefined | null) ?? [];
}

/** The lines of the top-level `resources:` block list: [index of `resources:`, index after its last item] or undefined. */
function resourcesBlock(
  lines: readonly string[],
): { start: number; lastItem: number; indent: string | undefined } | undefined {
  const start = lines.findIndex((l) => /^resources:\s*(#.*)?$/.test(l));
  if (start === -1) return undefined;
  let lastItem = start;
  let indent: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^( *)- /.exec(lines[i]) ?? /^( *)-\s*$/.exec(lines[i]);
    if (m && (indent === undefined || m[1] === indent)) {
      indent = m[1];
      lastItem = i;
      continue;
    }
    if (/^\s*(#.*)?$/.test(lines[i]) || /^\s+\S/.test(lines[i])) continue;
    break;
  }
  return { start, lastItem, indent };
}

/** Checks a text edit: everything but `resources` means the same, and `resources` is `expected`. */
function checked(relPath: string, before: string, after: string, expected: unknown[], what: string): string {
  const a = parse(relPath, before);
  let b: Record<string, unknown>;
  try {
    b = parse(relPath, after);
  } catch {
    refuse(
      relPath,
      undefined,
      `cannot be edited safely by synth (${what}): editing its top-level resources list line by line would break it; make the change by hand`,
    );
  }
  const { resources: _a, ...restA } = a;
  const { resources: _b, ...restB } = b;
  if (!isDeepStrictEqual(restA, restB) || !isDeepStrictEqual(resourcesOf(relPath, b), expected)) {
    refuse(
      relPath,
      undefined,
      `cannot be edited safely by synth (${what}): its top-level resources list is not a plain block list of one path per line; make the change by hand`,
    );
  }
  return after;
}

/** Adds missing entries to a hand-written kustomization.yaml's top-level `resources:` block list, keeping every other byte. */
export function addResourceEntries(relPath: string, text: string, wanted: readonly string[]): string {
  const doc = parse(relPath, text);
  const listed = resourcesOf(relPath, doc);
  const missing = wanted.filter((w) => !listed.some((r) => typeof r === 'string' && sameEntry(r, w)));
  if (missing.length === 0) return text;
  const eol = text.includes('\r\n') ? '\r' : '';
  const lines = text.split('\n');
  const block = resourcesBlock(lines);
  if (block === undefined) {
    refuse(relPath, undefined, `has no block 'resources:' list to add ${missing.join(', ')} to; add it by hand`);
  }
  const indent = block.indent ?? '  ';
  lines.splice(block.lastItem + 1, 0, ...missing.map((m) => `${indent}- ${m}${eol}`));
  return checked(relPath, text, lines.join('\n'), [...listed, ...missing], `adding ${missing.join(', ')}`);
}

/**
 * Removes the entries naming `entries` (`- x.yaml`, `- ./x.yaml`, quoted or not) from a
 * kustomization.yaml's top-level `resources:` block list, keeping every other byte.
 */
export function removeResourceEntries(relPath: string, text: string, entries: readonly string[]): string {
  const doc = parse(relPath, text);
  const listed = resourcesOf(relPath, doc);
  const isStale = (r: unknown) => typeof r === 'string' && entries.some((e) => sameEntry(e, r));
  if (!listed.some(isStale)) return text;
  const lines = text.split('\n');
  const block = resourcesBlock(lines);
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (block && i > block.start && i <= block.lastItem) {
      const m = /^( *)-\s+(['"]?)([^\s#'"]+)\2\s*(#.*)?$/.exec(line);
      if (m && m[1] === block.indent && entries.some((e) => sameEntry(e, m[3]))) return;
    }
    out.push(line);
  });
  return checked(
    relPath,
    text,
    out.join('\n'),
    listed.filter((r) => !isStale(r)),
    `taking out ${listed.filter(isStale).join(', ')}`,
  );
}
