// Edits of a hand-written kustomization.yaml that keep every byte synth does not own.
import * as yaml from 'js-yaml';
import { refuse } from '../core/error';

const sameEntry = (a: string, b: string) => a.replace(/^\.\//, '') === b.replace(/^\.\//, '');

/** The entries of `wanted` that a kustomization.yaml's `resources` already lists (with or without `./`). */
export function listedEntries(relPath: string, text: string, wanted: readonly string[]): string[] {
  const listed = resourcesOf(relPath, text);
  return wanted.filter((w) => listed.some((r) => typeof r === 'string' && sameEntry(r, w)));
}

function resourcesOf(relPath: string, text: string): unknown[] {
  let doc: any;
  try {
    doc = yaml.load(text);
  } catch (e: any) {
    refuse(relPath, undefined, `is a hand-written kustomization.yaml that does not parse as YAML (${String(e.message).split('\n')[0]})`);
  }
  const listed: unknown = doc?.resources;
  if (listed !== undefined && !Array.isArray(listed)) refuse(`${relPath} resources`, listed, 'is not a list; add the entries by hand');
  return (listed as unknown[] | undefined) ?? [];
}

/** Adds missing entries to a hand-written kustomization.yaml's `resources:` block list, keeping every other byte. */
export function addResourceEntries(relPath: string, text: string, wanted: readonly string[]): string {
  const present = listedEntries(relPath, text, wanted);
  const missing = wanted.filter((w) => !present.includes(w));
  if (missing.length === 0) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^resources:\s*$/.test(l));
  if (start === -1) {
    refuse(relPath, undefined, `has no block 'resources:' list to add ${missing.join(', ')} to; add it by hand`);
  }
  let last = start;
  let indent = '  ';
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(\s*)- /.exec(lines[i]);
    if (m) { last = i; indent = m[1]; continue; }
    if (/^\s*(#.*)?$/.test(lines[i]) || /^\s+\S/.test(lines[i])) continue;
    break;
  }
  lines.splice(last + 1, 0, ...missing.map((m) => `${indent}- ${m}`));
  return lines.join('\n');
}

/** Removes the block-list entries naming `entries` (`- x.yaml` or `- ./x.yaml`) from a kustomization.yaml, keeping every other byte. */
export function removeResourceEntries(text: string, entries: readonly string[]): string {
  return text
    .split('\n')
    .filter((line) => {
      const m = /^\s*-\s+([^\s#]+)\s*(#.*)?$/.exec(line);
      return !(m && entries.some((e) => sameEntry(e, m[1])));
    })
    .join('\n');
}
