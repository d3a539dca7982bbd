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
import {
  ChangePaths,
  hashAt,
  Journal,
  JournalWriteOps,
  journalProblem,
  removeCreatedFolders,
  sha256,
  undoChange,
  UndoNames,
  UndoOps,
  writeJournal,
} from '../layout/journal';
import { JOURNAL_FILE, STATE_DIR, underRoot } from '../layout/layout';
import { FileChange, missingFolders, Plan, realRoot, SET_ASIDE_SUFFIX, STAGED_SUFFIX } from './plan';
import { checkedPath, fsError, readChecked } from './safe-fs';

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

const JOURNAL_TODO = `check the files it lists against Git (git status, git diff), restore them from Git where needed, then delete ${JOURNAL_FILE} and run synth again`;

const NAMES: UndoNames = { command: 'synth', stagedSuffix: STAGED_SUFFIX, asideSuffix: SET_ASIDE_SUFFIX };

/** The journal's writes through `io`; its temporary file counts as this run's (`created`) until it is renamed. */
function journalOps(io: WriterFs, created: Set<string>): JournalWriteOps {
  return {
    write: (file, text) => {
      created.add(file);
      io.writeFileSync(file, text);
    },
    rename: (from, to) => {
      io.renameSync(from, to);
      created.delete(from);
    },
    fsync: io.writeFileSync === nodeFs.writeFileSync,
  };
}

const undoOps = (io: WriterFs): UndoOps => ({
  unlink: (f) => io.unlinkSync(f),
  rename: (a, b) => io.renameSync(a, b),
  rmdir: (d) => io.rmdirSync(d),
});

/** Reads and checks a journal: anything synth would not have written is refused, naming the file and what to do. */
function parseJournal(text: string): Journal {
  const bad = (why: string): never =>
    refuse(JOURNAL_FILE, undefined, `is not a journal synth wrote (${why}); ${JOURNAL_TODO}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return bad('it is not JSON');
  }
  const why = journalProblem(doc);
  if (why !== undefined) bad(why);
  return doc as Journal; // checked by journalProblem
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

/** The journal of an interrupted run at `root`, or undefined; its own temporary file (synth's, ignored by Git) goes. */
function readJournal(root: string, io: WriterFs): Journal | undefined {
  const file = underRoot(root, JOURNAL_FILE);
  if (fs.lstatSync(file + '.tmp', { throwIfNoEntry: false })?.isFile()) io.unlinkSync(file + '.tmp');
  const todo = `replace the link with the journal itself, or ${JOURNAL_TODO}`;
  const bytes = readChecked(root, JOURNAL_FILE, JOURNAL_FILE, todo);
  return bytes === undefined ? undefined : parseJournal(bytes.toString('utf8'));
}

/** A path the journal lists, checked (no link on the way) before recovery touches it. */
const journalPath = (root: string, rel: string) =>
  checkedPath(root, rel, rel, `the journal lists it; ${JOURNAL_TODO}`).abs;

/** A committed run: the set-aside files go (each while it holds what was set aside), then emptied folders. */
function finishCommitted(root: string, journal: Journal, io: WriterFs): Problem[] {
  const left: Problem[] = [];
  for (const c of journal.changes) {
    const aside = journalPath(root, c.path + SET_ASIDE_SUFFIX);
    const h = hashAt(aside);
    if (h === undefined) continue;
    if (c.before !== null && h === c.before) io.unlinkSync(aside);
    else
      left.push({
        field: c.path + SET_ASIDE_SUFFIX,
        reason: 'does not hold what synth set aside; left as it is: look at it, then delete it or move it away',
      });
  }
  removeEmptiedFolders(
    root,
    journal.changes.filter((c) => c.kind === 'remove').map((c) => c.path),
    io,
  );
  return left;
}

/** A run that did not commit: every change undone, last first, then the folders it created. */
function rollBack(root: string, journal: Journal, io: WriterFs, created: ReadonlySet<string>): Problem[] {
  const left: Problem[] = [];
  for (const c of [...journal.changes].reverse()) {
    const paths: ChangePaths = {
      target: journalPath(root, c.path),
      staged: journalPath(root, c.path + STAGED_SUFFIX),
      aside: journalPath(root, c.path + SET_ASIDE_SUFFIX),
    };
    left.push(...undoChange(c, paths, undoOps(io), NAMES, created).left);
  }
  removeCreatedFolders(
    journal.folders.map((d) => journalPath(root, d)),
    undoOps(io),
  );
  return left;
}

/**
 * The recovery itself (see recoverInterruptedRun). `created` are paths this process made itself
 * (a staged file a full disk cut short): removed whatever they hold.
 */
function recoverRun(outRoot: string, io: WriterFs = nodeFs, created: ReadonlySet<string> = new Set()): Recovery {
  const root = realRoot(outRoot);
  const journal = readJournal(root, io);
  if (journal === undefined) return { outcome: 'none', left: [] };
  const committed = journal.state === 'committed';
  const left = committed ? finishCommitted(root, journal, io) : rollBack(root, journal, io, created);
  io.unlinkSync(underRoot(root, JOURNAL_FILE));
  return { outcome: committed ? 'completed' : 'rolled back', left };
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

/** A run of applyPlan: where it is (`step`, the path a failure is reported at) and what it made itself. */
interface Run {
  readonly root: string;
  readonly io: WriterFs;
  readonly journal: Journal;
  readonly changed: readonly FileChange[];
  readonly created: Set<string>;
  step: string;
  madeStateDir: boolean;
}

const abs = (run: Run, rel: string) => checkedPath(run.root, rel).abs;

/** The journal of a plan's changes (synth's state folder is made first, outside it: the journal lives in it). */
function journalOf(plan: Plan, changed: readonly FileChange[]): Journal {
  return {
    version: 2,
    state: 'applying',
    changes: changed.map((c) => ({
      path: c.path,
      kind: c.kind === 'remove' ? 'remove' : 'write',
      before: c.before === undefined ? null : (c.beforeSha256 ?? sha256(c.before)),
      after: c.after === undefined ? null : sha256(c.after),
    })),
    folders: missingFolders(plan).filter((d) => d !== STATE_DIR),
  };
}

/** Step 1: synth's state folder (if missing) and the journal. */
function writeJournalFirst(run: Run): void {
  if (!fs.lstatSync(abs(run, STATE_DIR), { throwIfNoEntry: false })) {
    run.step = STATE_DIR;
    run.io.mkdirSync(abs(run, STATE_DIR));
    run.madeStateDir = true;
  }
  run.step = JOURNAL_FILE;
  writeJournal(underRoot(run.root, JOURNAL_FILE), run.journal, journalOps(run.io, run.created));
}

/** Step 2: the folders, and each new content staged next to its target. */
function stageWrites(run: Run): void {
  for (const dir of run.journal.folders) {
    run.step = dir;
    run.io.mkdirSync(abs(run, dir));
  }
  for (const c of run.changed) {
    if (c.kind !== 'write' || c.after === undefined) continue;
    run.step = c.path;
    const staged = abs(run, c.path + STAGED_SUFFIX);
    if (fs.lstatSync(staged, { throwIfNoEntry: false }))
      refuse(c.path + STAGED_SUFFIX, undefined, 'appeared while synth ran; move it away and run synth again');
    run.created.add(staged);
    run.io.writeFileSync(staged, c.after);
  }
}

/** Step 3 for one change: the target set aside (if it exists) and the staged file renamed in. */
function swapIn(run: Run, c: FileChange, before: string | null): void {
  run.step = c.path;
  const target = abs(run, c.path);
  // What stands there must still be what the plan read (a person may have saved it meanwhile).
  if (hashAt(target) !== (before ?? undefined)) refuse(c.path, undefined, 'changed while synth ran; run synth again');
  if (c.before !== undefined) {
    if (fs.lstatSync(target + SET_ASIDE_SUFFIX, { throwIfNoEntry: false }))
      refuse(c.path + SET_ASIDE_SUFFIX, undefined, 'appeared while synth ran; move it away and run synth again');
    run.io.renameSync(target, target + SET_ASIDE_SUFFIX);
  }
  if (c.kind === 'write') {
    run.io.renameSync(target + STAGED_SUFFIX, target);
    run.created.delete(target + STAGED_SUFFIX);
  }
}

/** Step 4: the journal marked committed. */
function commit(run: Run): void {
  run.step = JOURNAL_FILE;
  run.journal.state = 'committed';
  writeJournal(underRoot(run.root, JOURNAL_FILE), run.journal, journalOps(run.io, run.created));
}

/** After a failure in steps 1-4: the run rolled back at once; the error as a refusal saying what became of the tree. */
function undoFailedRun(run: Run, e: unknown): never {
  let undone = true;
  try {
    const r = recoverRun(run.root, run.io, run.created);
    undone = r.left.length === 0;
    if (run.madeStateDir) run.io.rmdirSync(abs(run, STATE_DIR));
  } catch {
    undone = false; // the journal stays: the next run finishes the roll-back
  }
  if (ZotFluxError.isZotFluxError(e)) throw e;
  const outcome = undone
    ? 'Synth changed nothing: every file is as it was'
    : `The undo could not finish either: the next synth finishes it from ${JOURNAL_FILE}`;
  throw fsError(e, run.step, 'could not be written', undefined, outcome) ?? e;
}

/** Step 5: committed, the new tree is in place; the clean-up is the recovery of a committed run. */
function cleanUp(run: Run): void {
  try {
    recoverInterruptedRun(run.root, run.io);
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) throw e;
    throw fsError(e, JOURNAL_FILE, 'was written, but its clean-up failed (the next synth finishes it)') ?? e;
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
  const journal = journalOf(plan, changed);
  const run: Run = {
    root: realRoot(plan.root),
    io,
    journal,
    changed,
    created: new Set(),
    step: '',
    madeStateDir: false,
  };
  try {
    writeJournalFirst(run);
    stageWrites(run);
    changed.forEach((c, i) => swapIn(run, c, journal.changes[i].before));
    commit(run);
  } catch (e) {
    undoFailedRun(run, e);
  }
  cleanUp(run);
}
