// Writes a plan all-or-nothing, and survives being killed at any point.
//
// Order of a run (every step through `io`, so tests can fail or kill it at any one):
//   1. the journal (.zot-flux/journal.json) is written, listing every change and every folder to create;
//   2. folders are created, each new content is staged next to its target as `<file>.zot-flux.new`;
//   3. each target is set aside as `<file>.zot-flux.old` (if it exists) and the staged file renamed in;
//   4. the journal is marked committed; the set-aside files are deleted, emptied folders removed;
//   5. the journal is deleted.
// A failure in 1-3 is rolled back at once. After a kill, the next run finds the journal: before
// step 4 it rolls the tree back to where it was, after it it finishes the clean-up.
import * as fs from 'fs';
import * as path from 'path';
import { JOURNAL_FILE, STATE_DIR, underRoot } from '../layout/layout';
import { missingFolders, Plan } from './plan';

export const STAGED_SUFFIX = '.zot-flux.new';
export const SET_ASIDE_SUFFIX = '.zot-flux.old';

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

interface JournalEntry { path: string; kind: 'write' | 'remove'; existed: boolean }
interface Journal { state: 'applying' | 'committed'; changes: JournalEntry[]; folders: string[] }

function writeJournal(root: string, journal: Journal, io: WriterFs): void {
  const file = underRoot(root, JOURNAL_FILE);
  io.writeFileSync(file + '.tmp', JSON.stringify(journal));
  if (io.writeFileSync === nodeFs.writeFileSync) {
    const fd = fs.openSync(file + '.tmp', 'r+');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  }
  io.renameSync(file + '.tmp', file);
}

/** Whether a run was interrupted on this tree (its journal is still there). */
export function interruptedRun(root: string): boolean {
  return fs.existsSync(underRoot(root, JOURNAL_FILE));
}

/**
 * Finishes or undoes a run that was killed, from its journal; does nothing when there is none.
 * Returns what it did, for the CLI to say. Call it only while holding the lock.
 */
export function recoverInterruptedRun(root: string, io: WriterFs = nodeFs): 'none' | 'rolled back' | 'completed' {
  const file = underRoot(root, JOURNAL_FILE);
  const quietly = (f: () => void) => { try { f(); } catch { /* already done */ } };
  quietly(() => io.unlinkSync(file + '.tmp'));
  if (!io.existsSync(file)) return 'none';
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // A journal is renamed into place whole; an unreadable one means nothing was staged yet.
    io.unlinkSync(file);
    return 'rolled back';
  }
  const abs = (rel: string) => underRoot(root, rel);
  if (journal.state === 'committed') {
    for (const c of journal.changes) {
      if (io.existsSync(abs(c.path) + SET_ASIDE_SUFFIX)) quietly(() => io.unlinkSync(abs(c.path) + SET_ASIDE_SUFFIX));
    }
    removeEmptiedFolders(root, journal.changes.filter((c) => c.kind === 'remove').map((c) => c.path), io);
    io.unlinkSync(file);
    return 'completed';
  }
  for (const c of [...journal.changes].reverse()) {
    const target = abs(c.path);
    if (io.existsSync(target + SET_ASIDE_SUFFIX)) io.renameSync(target + SET_ASIDE_SUFFIX, target);
    else if (!c.existed && c.kind === 'write' && io.existsSync(target)) io.unlinkSync(target);
    if (io.existsSync(target + STAGED_SUFFIX)) io.unlinkSync(target + STAGED_SUFFIX);
  }
  for (const dir of [...journal.folders].reverse()) quietly(() => io.rmdirSync(abs(dir)));
  io.unlinkSync(file);
  return 'rolled back';
}

function removeEmptiedFolders(root: string, removedPaths: string[], io: WriterFs): void {
  for (const rel of removedPaths) {
    for (let dir = path.posix.dirname(rel); dir !== '.' && dir !== '' && dir !== STATE_DIR; dir = path.posix.dirname(dir)) {
      try { io.rmdirSync(underRoot(root, dir)); } catch { break; }
    }
  }
}

/**
 * Applies a plan all-or-nothing (see the top of this file). Any failure restores every file and
 * removes every folder it created, then rethrows. Call it only while holding the lock.
 */
export function applyPlan(plan: Plan, io: WriterFs = nodeFs): void {
  const changed = plan.changes.filter((c) => c.kind !== 'unchanged');
  if (changed.length === 0) return;
  const abs = (rel: string) => underRoot(plan.root, rel);
  const journal: Journal = {
    state: 'applying',
    changes: changed.map((c) => ({ path: c.path, kind: c.kind as 'write' | 'remove', existed: c.before !== undefined })),
    folders: missingFolders(plan),
  };
  fs.mkdirSync(abs(STATE_DIR), { recursive: true });
  try {
    writeJournal(plan.root, journal, io);
    for (const dir of journal.folders) io.mkdirSync(abs(dir));
    for (const c of changed) if (c.kind === 'write') io.writeFileSync(abs(c.path) + STAGED_SUFFIX, c.after!);
    for (const c of changed) {
      const target = abs(c.path);
      if (c.before !== undefined) io.renameSync(target, target + SET_ASIDE_SUFFIX);
      if (c.kind === 'write') io.renameSync(target + STAGED_SUFFIX, target);
    }
  } catch (e) {
    try {
      recoverInterruptedRun(plan.root, io);
    } catch { /* the journal stays: the next run finishes the roll-back */ }
    throw e;
  }
  journal.state = 'committed';
  writeJournal(plan.root, journal, io);
  for (const c of changed) if (c.before !== undefined) io.unlinkSync(abs(c.path) + SET_ASIDE_SUFFIX);
  removeEmptiedFolders(plan.root, changed.filter((c) => c.kind === 'remove').map((c) => c.path), io);
  io.unlinkSync(abs(JOURNAL_FILE));
}
