// The writer owns the file layout on disk: it turns the app's files into a plan against the tree,
// checks it, and writes it all-or-nothing. It writes only the files it generated (first line carries
// GENERATED_MARK), removes generated files the app no longer produces, and never touches a
// hand-written file, except adding a missing entry to a shared kustomization.yaml.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { KustomizationEntry } from './kustomization-entry';
import { ManifestFile } from './manifest-file';
import { TextFile } from './text-file';
import { unifiedDiff } from './diff';
import { SynthError } from './synth-error';
import { isGenerated, renderYamlFile, SHARED_KUSTOMIZATION_HEADER } from './yaml-file';

export { SynthError };

export type ChangeKind = 'write' | 'unchanged' | 'remove';

export interface FileChange {
  /** Path relative to the repository root, `/`-separated. */
  readonly path: string;
  readonly kind: ChangeKind;
  /** Content on disk now (undefined: absent). */
  readonly before?: string;
  /** Content synth wants (undefined: remove). */
  readonly after?: string;
}

export interface Plan {
  readonly root: string;
  readonly changes: FileChange[];
}

/** Every file the app generates (path → content), in memory; nothing is read from disk. */
export function renderFiles(app: App): { files: Map<string, string>; entries: KustomizationEntry[] } {
  const files = new Map<string, string>();
  const entries: KustomizationEntry[] = [];
  const add = (p: string, content: string) => {
    if (files.has(p)) throw new SynthError(`two constructs generate the same file ${p}`);
    files.set(p, content);
  };
  // Chart.toJson() would re-validate the whole app for every chart (quadratic in the number of
  // files); validate once, then render each chart's objects.
  const all = app.node.findAll();
  const invalid = all.flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (invalid.length) throw new SynthError(`validation failed:\n  - ${invalid.join('\n  - ')}`);
  for (const c of all) {
    if (ManifestFile.isManifestFile(c)) {
      add(c.path, renderYamlFile(c.node.findAll().filter((o): o is ApiObject => ApiObject.isApiObject(o)).map((o) => o.toJson())));
    } else if (TextFile.isTextFile(c)) {
      add(c.path, c.content);
    } else if (KustomizationEntry.isKustomizationEntry(c)) {
      entries.push(c);
    }
  }
  return { files, entries };
}

function readIfExists(root: string, rel: string): string | undefined {
  const file = path.join(root, rel);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    if (e.code === 'EISDIR') throw new SynthError(`${rel} is a folder where synth writes a file; move it away`);
    throw e;
  }
}

const sameEntry = (a: string, b: string) => a.replace(/^\.\//, '') === b.replace(/^\.\//, '');

/** Adds missing entries to a hand-written kustomization.yaml's `resources:` block list, keeping every other byte. */
export function addResourceEntries(relPath: string, text: string, wanted: string[]): string {
  let doc: any;
  try {
    doc = yaml.load(text);
  } catch (e: any) {
    throw new SynthError(`${relPath}: hand-written kustomization.yaml does not parse as YAML (${e.message.split('\n')[0]})`);
  }
  const listed: unknown = doc?.resources;
  if (listed !== undefined && !Array.isArray(listed)) {
    throw new SynthError(`${relPath}: 'resources' is not a list; add ${wanted.join(', ')} to it by hand`);
  }
  const missing = wanted.filter((w) => !((listed as string[] | undefined) ?? []).some((r) => typeof r === 'string' && sameEntry(r, w)));
  if (missing.length === 0) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^resources:\s*$/.test(l));
  if (start === -1) {
    throw new SynthError(`${relPath}: cannot find a block 'resources:' list to add ${missing.join(', ')} to; add it by hand`);
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

/** Removes the block-list entries naming `files` (`- x.yaml` or `- ./x.yaml`) from a kustomization.yaml, keeping every other byte. */
export function removeResourceEntries(text: string, files: string[]): string {
  return text
    .split('\n')
    .filter((line) => {
      const m = /^\s*-\s+(?:\.\/)?([^\s#]+)\s*(#.*)?$/.exec(line);
      return !(m && files.includes(m[1]));
    })
    .join('\n');
}

function walk(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e: any) {
    if (e.code === 'ENOENT') return;
    throw e;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') walk(full, out);
    } else if (e.isFile() && /\.(ya?ml|md)$/.test(e.name)) {
      out.push(full);
    }
  }
}

/** Reads just enough of a file to see its first line. */
function firstLineIsGenerated(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return isGenerated(buf.subarray(0, n).toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What synth would do to the tree at `root`: the content of every file it owns, against disk.
 * Throws SynthError, before anything is written, where a hand-written file stands in the way.
 */
export function planTree(root: string, rendered: { files: Map<string, string>; entries: KustomizationEntry[] }): Plan {
  const desired = new Map(rendered.files);
  const handWrittenEdits = new Set<string>();

  const byKustomization = new Map<string, string[]>();
  for (const e of rendered.entries) {
    const list = byKustomization.get(e.kustomizationPath) ?? [];
    if (!list.includes(e.resource)) list.push(e.resource);
    byKustomization.set(e.kustomizationPath, list);
  }
  for (const [rel, wanted] of byKustomization) {
    if (desired.has(rel)) throw new SynthError(`${rel} is both generated and a shared kustomization`);
    const current = readIfExists(root, rel);
    if (current === undefined || isGenerated(current)) {
      desired.set(rel, renderYamlFile([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...wanted].sort() }], SHARED_KUSTOMIZATION_HEADER));
    } else {
      desired.set(rel, addResourceEntries(rel, current, wanted));
      handWrittenEdits.add(rel);
    }
  }

  // Generated files on disk that the app no longer produces.
  const onDisk: string[] = [];
  walk(path.join(root, 'clusters'), onDisk);
  const removed: Array<{ rel: string; before: string }> = [];
  for (const full of onDisk.sort()) {
    const rel = path.relative(root, full).split(path.sep).join('/');
    if (desired.has(rel) || !firstLineIsGenerated(full)) continue;
    removed.push({ rel, before: fs.readFileSync(full, 'utf8') });
  }

  // A hand-written kustomization.yaml that lists a file synth removes would break kustomize build:
  // take out exactly those entries (after a renamed HelmRepository, say).
  const staleByKustomization = new Map<string, string[]>();
  for (const { rel } of removed) {
    const k = path.posix.join(path.posix.dirname(rel), 'kustomization.yaml');
    if (removed.some((r) => r.rel === k)) continue;
    staleByKustomization.set(k, [...(staleByKustomization.get(k) ?? []), path.posix.basename(rel)]);
  }
  for (const [k, names] of staleByKustomization) {
    if (desired.has(k) && !handWrittenEdits.has(k)) continue; // generated: already rendered without them
    const current = desired.get(k) ?? readIfExists(root, k);
    if (current === undefined || (!handWrittenEdits.has(k) && isGenerated(current))) continue;
    desired.set(k, removeResourceEntries(current, names));
    handWrittenEdits.add(k);
  }

  const changes: FileChange[] = [];
  for (const rel of [...desired.keys()].sort()) {
    const after = desired.get(rel)!;
    const before = readIfExists(root, rel);
    if (before !== undefined && !handWrittenEdits.has(rel) && !isGenerated(before)) {
      throw new SynthError(
        `${rel} exists and was not generated by zot-flux (no '# Generated by zot-flux' first line); synth will not overwrite it: move it away or delete it`,
      );
    }
    changes.push({ path: rel, kind: before === after ? 'unchanged' : 'write', before, after });
  }
  for (const { rel, before } of removed) changes.push({ path: rel, kind: 'remove', before });
  return { root, changes };
}

/** The file-system calls the writer makes; tests inject failures through it. */
export interface WriterFs {
  writeFileSync(file: string, data: string): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  mkdirSync(dir: string): void;
  rmdirSync(dir: string): void;
  existsSync(file: string): boolean;
}

export const nodeFs: WriterFs = {
  writeFileSync: (f, d) => fs.writeFileSync(f, d),
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync: (f) => fs.unlinkSync(f),
  mkdirSync: (d) => fs.mkdirSync(d),
  rmdirSync: (d) => fs.rmdirSync(d),
  existsSync: (f) => fs.existsSync(f),
};

/**
 * Applies a plan all-or-nothing: every new content is first written next to its target; only when
 * all are on disk are they renamed into place (old files kept aside until the end). Any failure
 * restores every file and removes every folder it created, then rethrows.
 */
export function applyPlan(plan: Plan, io: WriterFs = nodeFs): void {
  const tag = `.zot-flux-${process.pid}`;
  const createdDirs: string[] = [];
  const staged: Array<{ target: string; temp: string }> = [];
  const setAside: Array<{ target: string; backup: string }> = [];
  const placed: string[] = [];

  const ensureDir = (dir: string) => {
    if (io.existsSync(dir)) return;
    ensureDir(path.dirname(dir));
    io.mkdirSync(dir);
    createdDirs.push(dir);
  };
  const quietly = (f: () => void) => {
    try { f(); } catch { /* best effort while rolling back */ }
  };

  try {
    for (const c of plan.changes) {
      if (c.kind !== 'write') continue;
      const target = path.join(plan.root, c.path);
      ensureDir(path.dirname(target));
      const temp = target + tag + '.new';
      staged.push({ target, temp });
      io.writeFileSync(temp, c.after!);
    }
    for (const c of plan.changes) {
      if (c.kind === 'unchanged') continue;
      const target = path.join(plan.root, c.path);
      if (c.before !== undefined) {
        const backup = target + tag + '.old';
        io.renameSync(target, backup);
        setAside.push({ target, backup });
      }
      if (c.kind === 'write') {
        io.renameSync(target + tag + '.new', target);
        placed.push(target);
      }
    }
  } catch (e) {
    for (const t of placed.reverse()) quietly(() => io.unlinkSync(t));
    for (const s of setAside.reverse()) quietly(() => io.renameSync(s.backup, s.target));
    for (const s of staged) if (io.existsSync(s.temp)) quietly(() => io.unlinkSync(s.temp));
    for (const d of createdDirs.reverse()) quietly(() => io.rmdirSync(d));
    throw e;
  }
  for (const s of setAside) quietly(() => io.unlinkSync(s.backup));
  // Folders emptied by removals go too (never above clusters/).
  for (const c of plan.changes) {
    if (c.kind !== 'remove') continue;
    let dir = path.dirname(path.join(plan.root, c.path));
    while (dir.startsWith(path.join(plan.root, 'clusters') + path.sep)) {
      try { io.rmdirSync(dir); } catch { break; }
      dir = path.dirname(dir);
    }
  }
}

/** The drift report: a unified diff for each file that differs from what synth writes; '' when none. */
export function driftReport(plan: Plan): string {
  return plan.changes
    .filter((c) => c.kind !== 'unchanged')
    .map((c) => unifiedDiff(c.path, c.before, c.after))
    .join('');
}
