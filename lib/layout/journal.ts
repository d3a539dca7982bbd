// The core of the one all-or-nothing writer that synth (lib/synth/apply.ts) and init (lib/init/write.ts)
// share: the journal that lists every change with the sha256 of the bytes it replaces and of the bytes
// it writes, written durably (a temporary file, fsynced, renamed) before anything else changes; and the
// undo of an interrupted run from it, which touches a path only while it holds the bytes the journal
// names (anything else standing there is a person's, left as it is and reported).
//
// Journal, version 2 (synth's .zot-flux/journal.json, and init's journal.json in its staging folder):
//   { "version": 2, "state": "applying" | "committed",
//     "changes": [ { "path", "kind": "write" | "remove", "before": sha256 | null, "after": sha256 | null } ],
//     "folders": [ folders the run creates, parents first ] }
// An init of an earlier version wrote { "state": "placing" | "placed", "files": [ { "path", "sha256" } ],
// "folders" }: read as the version 2 journal it means (every file a write over nothing).
import { createHash } from 'crypto';
import * as fs from 'fs';
import { errnoCode } from '../core/errno';
import { Problem } from '../core/error';
import { recordPathProblem } from './owned-files';

/** One change as the journal holds it: sha256 (hex) of the bytes before and after; null for none. */
export interface JournalChange {
  readonly path: string;
  readonly kind: 'write' | 'remove';
  readonly before: string | null;
  readonly after: string | null;
}

export interface Journal {
  readonly version: 2;
  state: 'applying' | 'committed';
  readonly changes: readonly JournalChange[];
  /** Folders the run creates, parents first. */
  readonly folders: readonly string[];
}

/** sha256 of a file's bytes (or of a string as UTF-8), hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of the regular file at `abs`; undefined when nothing is there, 'other' for anything but a file. */
export function hashAt(abs: string): string | undefined {
  const st = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (st === undefined) return undefined;
  if (!st.isFile()) return 'other';
  return sha256(fs.readFileSync(abs));
}

/** The writes of a journal: through the writer's seam (tests fail or kill them there); fsync only on a real disk. */
export interface JournalWriteOps {
  write(file: string, text: string): void;
  rename(from: string, to: string): void;
  readonly fsync: boolean;
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `journal` at `file` durably: under `<file>.tmp`, fsynced, renamed over the file, so the renames
 * it describes never reach the disk before it and a reader sees the old journal or the new one, whole.
 */
export function writeJournal(file: string, journal: Journal, ops: JournalWriteOps): void {
  ops.write(file + '.tmp', JSON.stringify(journal));
  if (ops.fsync) fsyncFile(file + '.tmp');
  ops.rename(file + '.tmp', file);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isHash = (h: unknown) => h === null || (typeof h === 'string' && /^[0-9a-f]{64}$/.test(h));

function changeProblem(c: unknown, i: number): string | undefined {
  if (!isRecord(c)) return `changes[${i}] is not an object`;
  const problem = recordPathProblem(c.path);
  if (problem) return `changes[${i}].path ${problem}`;
  if (c.kind !== 'write' && c.kind !== 'remove') return `changes[${i}].kind ${JSON.stringify(c.kind)}`;
  if (!isHash(c.before) || !isHash(c.after)) return `changes[${i}] before/after are not sha256 hashes or null`;
  if ((c.kind === 'write') !== (c.after !== null) || (c.kind === 'remove' && c.before === null))
    return `changes[${i}] is not a write or a remove`;
  return undefined;
}

/** Why `doc` (parsed JSON) is not a version 2 journal; undefined when it is one. */
export function journalProblem(doc: unknown): string | undefined {
  if (!isRecord(doc)) return 'it is not a JSON object';
  if (doc.state !== 'applying' && doc.state !== 'committed') return `state ${JSON.stringify(doc.state)}`;
  if (!Array.isArray(doc.changes)) return `changes is ${JSON.stringify(doc.changes)}, not a list`;
  if (!Array.isArray(doc.folders)) return `folders is ${JSON.stringify(doc.folders)}, not a list`;
  if (doc.version !== 2) return `version ${JSON.stringify(doc.version)}, not 2: it may be from an older zot-flux`;
  for (const [i, c] of doc.changes.entries()) {
    const problem = changeProblem(c, i);
    if (problem) return problem;
  }
  for (const [i, d] of doc.folders.entries()) {
    const problem = recordPathProblem(d);
    if (problem) return `folders[${i}] ${problem}`;
  }
  return undefined;
}

const isJournal = (doc: unknown): doc is Journal => journalProblem(doc) === undefined;

/** The journal an init of an earlier version wrote, as version 2; undefined for anything else. */
export function fromInitJournalV1(doc: unknown): Journal | undefined {
  if (!isRecord(doc) || (doc.state !== 'placing' && doc.state !== 'placed')) return undefined;
  const { files, folders } = doc;
  if (!Array.isArray(files) || !Array.isArray(folders)) return undefined;
  const v2 = {
    version: 2,
    state: doc.state === 'placed' ? 'committed' : 'applying',
    changes: files.map((f: unknown) => ({
      path: isRecord(f) ? f.path : undefined,
      kind: 'write',
      before: null,
      after: isRecord(f) ? f.sha256 : undefined,
    })),
    folders,
  };
  return isJournal(v2) ? v2 : undefined;
}

/** The disk changes of an undo, through the writer's seam (tests fail or kill them there). */
export interface UndoOps {
  unlink(file: string): void;
  rename(from: string, to: string): void;
  rmdir(dir: string): void;
}

/** Where one change's files stand: its target, and (synth) where it was staged and where its old bytes were set aside. */
export interface ChangePaths {
  readonly target: string;
  readonly staged?: string;
  readonly aside?: string;
}

/** The suffixes of ChangePaths' staged and set-aside files, for the messages. */
export interface UndoNames {
  /** The command whose run is undone (synth, init). */
  readonly command: string;
  readonly stagedSuffix: string;
  readonly asideSuffix: string;
}

/** Puts back what was set aside from `c.path`, while the set-aside file holds the bytes it replaced. */
function restoreAside(c: JournalChange, p: ChangePaths & { aside: string }, ops: UndoOps, n: UndoNames): Problem[] {
  const [hT, hA] = [hashAt(p.target), hashAt(p.aside)];
  if (c.before === null || hA !== c.before) {
    const reason = `does not hold what ${n.command} set aside from ${c.path}; left as it is: look at it, then delete it or move it away`;
    return [{ field: c.path + n.asideSuffix, reason }];
  }
  if (hT === undefined) {
    ops.rename(p.aside, p.target);
  } else if (hT === c.after) {
    ops.unlink(p.target);
    ops.rename(p.aside, p.target);
  } else {
    const reason = `holds what neither ${n.command} run wrote; the file as it was before the interrupted run is kept at ${c.path}${n.asideSuffix}: keep one, delete the other`;
    return [{ field: c.path, reason }];
  }
  return [];
}

/** Removes a file the run created, while it holds the bytes the run wrote. */
function removeCreated(c: JournalChange, target: string, ops: UndoOps, n: UndoNames): Problem[] {
  const hT = hashAt(target);
  if (hT === undefined) return [];
  if (hT === c.after) {
    ops.unlink(target);
    return [];
  }
  const reason = `stands where the interrupted ${n.command} was to create a file, but is not what it wrote (a file written since?); left as it is`;
  return [{ field: c.path, reason }];
}

/** Removes what the run staged for `c`, while it holds what it staged (or this process made it: `created`). */
function removeStaged(c: JournalChange, staged: string, ops: UndoOps, n: UndoNames, created: boolean): Problem[] {
  const hS = hashAt(staged);
  if (hS === undefined) return [];
  if (hS === c.after || created) {
    ops.unlink(staged);
    return [];
  }
  const reason = `does not hold what ${n.command} staged; left as it is: look at it, then delete it or move it away`;
  return [{ field: c.path + n.stagedSuffix, reason }];
}

/**
 * Undoes one change of a run that did not commit: puts back what it set aside, or removes the file it
 * created, and removes what it staged; each only while it holds what the journal says. Returns what it
 * left as it is (each with why) and whether it removed a file the run created.
 */
export function undoChange(
  c: JournalChange,
  p: ChangePaths,
  ops: UndoOps,
  n: UndoNames,
  created: ReadonlySet<string> = new Set(),
): { readonly left: Problem[]; readonly removed: boolean } {
  const left: Problem[] = [];
  let removed = false;
  if (p.aside !== undefined && hashAt(p.aside) !== undefined) {
    left.push(...restoreAside(c, { ...p, aside: p.aside }, ops, n));
  } else if (c.before === null) {
    const had = hashAt(p.target) !== undefined;
    const problems = removeCreated(c, p.target, ops, n);
    removed = had && problems.length === 0;
    left.push(...problems);
  }
  if (p.staged !== undefined) left.push(...removeStaged(c, p.staged, ops, n, created.has(p.staged)));
  return { left, removed };
}

/** Removes the folders a run created (`dirs`, parents first) that are left empty; returns how many went. */
export function removeCreatedFolders(dirs: readonly string[], ops: UndoOps): number {
  let n = 0;
  for (const dir of [...dirs].reverse()) {
    if (!fs.lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    try {
      ops.rmdir(dir);
      n++;
    } catch (e) {
      // Not empty (something was put there) or already gone: left as it is.
      if (!['ENOTEMPTY', 'EEXIST', 'ENOENT', 'ENOTDIR'].includes(errnoCode(e) ?? '')) throw e;
    }
  }
  return n;
}
