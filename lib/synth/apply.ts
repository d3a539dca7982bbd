// Writes a plan all-or-nothing, and survives being killed at any point.
//
// Order of a run (every change through `io`, so tests can fail or kill it at any one):
//   1. the journal (.zot-flux/journal.json) is written, listing every change with the sha256 of the
//      bytes it replaces and of the bytes it writes, and every folder to create;
//   2. folders are created, each new content is staged next to its target as `<file>.zot-flux.new`;
//   3. each target is set aside as `<file>.zot-flux.old` (if it exists) and the staged file renamed in;
//   4. the journal is marked committed; the set-aside files are deleted, emptied folders removed;
//   5. the journal is deleted.
// A failure in 1-4 is rolled back at once and reported as a refusal naming the path and what the
// error means (a full disk, a read-only file system). After a kill, the next run finds the journal:
// before step 4 it rolls the tree back to where it was, after it it finishes the clean-up.
//
// Recovery touches a path only while it holds what the journal says: a target only while it holds
// the bytes the run wrote, a set-aside file only while it holds the bytes the run set aside, a
// staged file only while it holds what the run staged. Anything else standing there (a file a person
// wrote at a "new" path after the kill) is left as it is, and the run stops saying so.
import * as fs from 'fs';
import * as path from 'path';
import { Problem, refuse, ZotFluxError } from '../core/error';
import { JOURNAL_FILE, STATE_DIR, underRoot } from '../layout/layout';
import { recordPathProblem } from '../layout/owned-files';
import { missingFolders, Plan, realRoot, SET_ASIDE_SUFFIX, STAGED_SUFFIX } from './plan';
import { checkedPath, fsError, readChecked, sha256 } from './safe-fs';

export { SET_ASIDE_SUFFIX, STAGED_SUFFIX } from './plan';

/** The file-system calls the writer makes; tests inject failures and kills through it. */
export interface WriterFs {
  writeFileSync(file: string, data: string): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  mkdirSync(dir: string): void;
  rmdirSync(dir: string): void;
  existsSync(file: string): boolean;
}

/** Plain node:fs. Only the journal is fsynced (journalFs): the renames it describes must never reach disk before it. */
export const nodeFs: WriterFs = {
  writeFileSync: (f, d) => fs.writeFileSync(f, d),
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync: (f) => fs.unlinkSync(f),
  mkdirSync: (d) => fs.mkdirSync(d),
  rmdirSync: (d) => fs.rmdirSync(d),
  existsSync: (f) => fs.existsSync(f),
};

/** One change as the journal holds it: sha256 (hex) of the bytes before and after; null for none. */
interface JournalChange {
  path: string;
  kind: 'write' | 'remove';
  before: string | null;
  after: string | null;
}
interface Journal {
  version: 2;
  state: 'applying' | 'committed';
  changes: JournalChange[];
  folders: string[];
}

const JOURNAL_TODO = `check the files it lists against Git (git status, git diff), restore them from Git where needed, then delete ${JOURNAL_FILE} and run synth again`;

function writeJournal(root: string, journal: Journal, io: WriterFs, created: Set<string>): void {
  const file = underRoot(root, JOURNAL_FILE);
  created.add(file + '.tmp');
  io.writeFileSync(file + '.tmp', JSON.stringify(journal));
  if (io.writeFileSync === nodeFs.writeFileSync) {
    const fd = fs.openSync(file + '.tmp', 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  io.renameSync(file + '.tmp', file);
  created.delete(file + '.tmp');
}

/** Reads and checks a journal: anything synth would not have written is refused, naming the file and what to do. */
export function parseJournal(text: string): Journal {
  const bad = (why: string): never =>
    refuse(JOURNAL_FILE, undefined, `is not a journal synth wrote (${why}); ${JOURNAL_TODO}`);
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    return bad('it is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) bad('it is not a JSON object');
  if (doc.state !== 'applying' && doc.state !== 'committed') bad(`state ${JSON.stringify(doc.state)}`);
  if (!Array.isArray(doc.changes)) bad(`changes is ${JSON.stringify(doc.changes)}, not a list`);
  if (!Array.isArray(doc.folders)) bad(`folders is ${JSON.stringify(doc.folders)}, not a list`);
  if (doc.version !== 2) bad(`version ${JSON.stringify(doc.version)}, not 2: it may be from an older zot-flux`);
  const hash = (h: unknown) => h === null || (typeof h === 'string' && /^[0-9a-f]{64}$/.test(h));
  doc.changes.forEach((c: any, i: number) => {
    if (typeof c !== 'object' || c === null) bad(`changes[${i}] is not an object`);
    const problem = recordPathProblem(c.path);
    if (problem) bad(`changes[${i}].path ${problem}`);
    if (c.kind !== 'write' && c.kind !== 'remove') bad(`changes[${i}].kind ${JSON.stringify(c.kind)}`);
    if (!hash(c.before) || !hash(c.after)) bad(`changes[${i}] before/after are not sha256 hashes or null`);
    if ((c.kind === 'write') !== (c.after !== null) || (c.kind === 'remove' && c.before === null))
      bad(`changes[${i}] is not a write or a remove`);
  });
  doc.folders.forEach((d: unknown, i: number) => {
    const problem = recordPathProblem(d);
    if (problem) bad(`folders[${i}] ${problem}`);
  });
  return doc as Journal;
}

/** Whether a run was interrupted on this tree (its journal is still there). */
export function interruptedRun(root: string): boolean {
  return fs.lstatSync(underRoot(root, JOURNAL_FILE), { throwIfNoEntry: false }) !== undefined;
}

/** What recovery did: nothing, undid the run, or finished its clean-up; and what it left because it held other bytes. */
export interface Recovery {
  readonly outcome: 'none' | 'rolled back' | 'completed';
  /** Paths left as they are because they did not hold what the journal says (each with why). */
  readonly left: readonly Problem[];
}

/** sha256 of the regular file at `abs`; undefined when nothing is there, 'other' for anything but a file. */
function hashAt(abs: string): string | undefined {
  const st = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (st === undefined) return undefined;
  if (!st.isFile()) return 'other';
  return sha256(fs.readFileSync(abs));
}

/**
 * Finishes or undoes a run that was killed, from its journal; does nothing when there is none.
 * Throws a ZotFluxError (after doing all it may) when a path did not hold what the journal says.
 * Call it only while holding the lock.
 */
export function recoverInterruptedRun(root: string, io: WriterFs = nodeFs): Recovery['outcome'] {
  const r = recoverRun(root, io);
  if (r.left.length)
    throw new ZotFluxError(
      r.left,
      `an interrupted synth was ${r.outcome === 'completed' ? 'finished' : 'undone'}, except where a file did not hold what it wrote (left as it is)`,
    );
  return r.outcome;
}

/**
 * The recovery itself (see recoverInterruptedRun). `created` are paths this process made itself
 * (a staged file a full disk cut short): removed whatever they hold.
 */
export function recoverRun(outRoot: string, io: WriterFs = nodeFs, created: ReadonlySet<string> = new Set()): Recovery {
  const root = realRoot(outRoot);
  const file = underRoot(root, JOURNAL_FILE);
  // The journal's own temporary file is synth's (in its state folder, ignored by Git).
  if (fs.lstatSync(file + '.tmp', { throwIfNoEntry: false })?.isFile()) io.unlinkSync(file + '.tmp');
  const bytes = readChecked(
    root,
    JOURNAL_FILE,
    JOURNAL_FILE,
    `replace the link with the journal itself, or ${JOURNAL_TODO}`,
  );
  if (bytes === undefined) return { outcome: 'none', left: [] };
  const journal = parseJournal(bytes.toString('utf8'));
  const left: Problem[] = [];
  const todo = `the journal lists it; ${JOURNAL_TODO}`;
  const at = (rel: string) => checkedPath(root, rel, rel, todo).abs;
  const leave = (rel: string, reason: string) => left.push({ field: rel, reason });

  if (journal.state === 'committed') {
    for (const c of journal.changes) {
      const aside = at(c.path + SET_ASIDE_SUFFIX);
      const h = hashAt(aside);
      if (h === undefined) continue;
      if (c.before !== null && h === c.before) io.unlinkSync(aside);
      else
        leave(
          c.path + SET_ASIDE_SUFFIX,
          'does not hold what synth set aside; left as it is: look at it, then delete it or move it away',
        );
    }
    removeEmptiedFolders(
      root,
      journal.changes.filter((c) => c.kind === 'remove').map((c) => c.path),
      io,
    );
    io.unlinkSync(file);
    return { outcome: 'completed', left };
  }
  for (const c of [...journal.changes].reverse()) {
    const target = at(c.path);
    const staged = at(c.path + STAGED_SUFFIX);
    const aside = at(c.path + SET_ASIDE_SUFFIX);
    const [hT, hS, hA] = [hashAt(target), hashAt(staged), hashAt(aside)];
    if (hA !== undefined) {
      if (c.before === null || hA !== c.before) {
        leave(
          c.path + SET_ASIDE_SUFFIX,
          `does not hold what synth set aside from ${c.path}; left as it is: look at it, then delete it or move it away`,
        );
      } else if (hT === undefined) {
        io.renameSync(aside, target);
      } else if (hT === c.after) {
        io.unlinkSync(target);
        io.renameSync(aside, target);
      } else {
        leave(
          c.path,
          `holds what neither synth run wrote; the file as it was before the interrupted run is kept at ${c.path}${SET_ASIDE_SUFFIX}: keep one, delete the other`,
        );
      }
    } else if (c.before === null && hT !== undefined) {
      if (hT === c.after) io.unlinkSync(target);
      else
        leave(
          c.path,
          'stands where the interrupted synth was to create a file, but is not what it wrote (a file written since?); left as it is',
        );
    }
    if (hS !== undefined) {
      if (hS === c.after || created.has(staged)) io.unlinkSync(staged);
      else
        leave(
          c.path + STAGED_SUFFIX,
          'does not hold what synth staged; left as it is: look at it, then delete it or move it away',
        );
    }
  }
  for (const dir of [...journal.folders].reverse()) {
    try {
      io.rmdirSync(at(dir));
    } catch (e: any) {
      // Not empty (something was put there) or already gone: left as it is.
      if (!['ENOTEMPTY', 'EEXIST', 'ENOENT', 'ENOTDIR'].includes(e?.code)) throw e;
    }
  }
  io.unlinkSync(file);
  return { outcome: 'rolled back', left };
}

function removeEmptiedFolders(root: string, removedPaths: string[], io: WriterFs): void {
  for (const rel of removedPaths) {
    for (
      let dir = path.posix.dirname(rel);
      dir !== '.' && dir !== '' && dir !== STATE_DIR;
      dir = path.posix.dirname(dir)
    ) {
      const st = fs.lstatSync(underRoot(root, dir), { throwIfNoEntry: false });
      if (!st?.isDirectory() || fs.readdirSync(underRoot(root, dir)).length) break;
      io.rmdirSync(underRoot(root, dir));
    }
  }
}

/**
 * Applies a plan all-or-nothing (see the top of this file). Any failure restores every file and
 * removes every folder it created, then throws: a ZotFluxError naming the path and what the error
 * means for the user's world (a full disk, a read-only folder); anything else as it came.
 * Call it only while holding the lock.
 */
export function applyPlan(plan: Plan, io: WriterFs = nodeFs): void {
  const changed = plan.changes.filter((c) => c.kind !== 'unchanged');
  if (changed.length === 0) return;
  const root = realRoot(plan.root);
  const abs = (rel: string) => checkedPath(root, rel).abs;
  const journal: Journal = {
    version: 2,
    state: 'applying',
    changes: changed.map((c) => ({
      path: c.path,
      kind: c.kind as 'write' | 'remove',
      before: c.before === undefined ? null : (c.beforeSha256 ?? sha256(c.before)),
      after: c.after === undefined ? null : sha256(c.after),
    })),
    // synth's state folder is made first, outside the journal (the journal lives in it).
    folders: missingFolders(plan).filter((d) => d !== STATE_DIR),
  };
  const created = new Set<string>();
  let step: string = JOURNAL_FILE;
  let madeStateDir = false;
  try {
    if (!fs.lstatSync(abs(STATE_DIR), { throwIfNoEntry: false })) {
      step = STATE_DIR;
      io.mkdirSync(abs(STATE_DIR));
      madeStateDir = true;
    }
    step = JOURNAL_FILE;
    writeJournal(root, journal, io, created);
    for (const dir of journal.folders) {
      step = dir;
      io.mkdirSync(abs(dir));
    }
    for (const c of changed) {
      if (c.kind !== 'write') continue;
      step = c.path;
      const staged = abs(c.path + STAGED_SUFFIX);
      if (fs.lstatSync(staged, { throwIfNoEntry: false }))
        refuse(c.path + STAGED_SUFFIX, undefined, 'appeared while synth ran; move it away and run synth again');
      created.add(staged);
      io.writeFileSync(staged, c.after!);
    }
    journal.changes.forEach((j, i) => {
      const c = changed[i];
      step = c.path;
      const target = abs(c.path);
      // What stands there must still be what the plan read (a person may have saved it meanwhile).
      if (hashAt(target) !== (j.before ?? undefined))
        refuse(c.path, undefined, 'changed while synth ran; run synth again');
      if (c.before !== undefined) {
        if (fs.lstatSync(target + SET_ASIDE_SUFFIX, { throwIfNoEntry: false }))
          refuse(c.path + SET_ASIDE_SUFFIX, undefined, 'appeared while synth ran; move it away and run synth again');
        io.renameSync(target, target + SET_ASIDE_SUFFIX);
      }
      if (c.kind === 'write') {
        io.renameSync(target + STAGED_SUFFIX, target);
        created.delete(target + STAGED_SUFFIX);
      }
    });
    step = JOURNAL_FILE;
    journal.state = 'committed';
    writeJournal(root, journal, io, created);
  } catch (e) {
    let undone = true;
    try {
      const r = recoverRun(root, io, created);
      undone = r.left.length === 0;
      if (madeStateDir) io.rmdirSync(abs(STATE_DIR));
    } catch {
      undone = false; // the journal stays: the next run finishes the roll-back
    }
    if (ZotFluxError.isZotFluxError(e)) throw e;
    const outcome = undone
      ? 'Synth changed nothing: every file is as it was'
      : `The undo could not finish either: the next synth finishes it from ${JOURNAL_FILE}`;
    throw fsError(e, step, 'could not be written', undefined, outcome) ?? e;
  }
  // Committed: the new tree is in place. Clean-up is the recovery of a committed run.
  try {
    recoverInterruptedRun(root, io);
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) throw e;
    throw fsError(e, JOURNAL_FILE, 'was written, but its clean-up failed (the next synth finishes it)') ?? e;
  }
}
