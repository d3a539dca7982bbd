// Creating new files all or nothing, and surviving a kill at any point (the design of
// lib/synth/apply.ts's journal, for files that must not exist yet).
//
// Order of a run (each change to the disk announced to `hooks.beforeChange`, where tests fail or kill it):
//   1. a staging folder `.zot-flux-init-<pid>-<start time>-<random>` at the repository root (the same
//      file system as the targets), each file's text written into it as `0`, `1`, ...;
//   2. its journal (`journal.json`, the format synth's is: lib/layout/journal.ts): every file a write with
//      the sha256 of its text, every folder to create, state "applying"; written under a temporary name,
//      fsynced, renamed, before anything else changes;
//   3. the folders created, each staged file hard-linked to its target: a link never replaces a file
//      (EEXIST), so a file that appears while init runs is left as it is and init fails;
//   4. the journal marked "committed", the staging folder removed.
// A failure in 1-3 removes what was created, at once. A kill leaves the staging folder: the next init
// (before it plans) finds it, its owner's pid dead, and undoes it from the journal: it removes each
// listed file while it still holds the journal's bytes and is no link, and each listed folder left
// empty (lib/layout/journal.ts undoChange, the undo synth's uses); with no journal yet nothing was
// placed, and "committed" means the run had finished. A journal of an earlier init ("placing"/"placed",
// a list of files) is read as the same journal.
import * as fs from 'fs';
import * as path from 'path';
import { errnoCode, writerErrno } from '../core/errno';
import { refuse, ZotFluxError } from '../core/error';
import {
  fromInitJournalV1,
  Journal,
  journalProblem,
  JournalWriteOps,
  removeCreatedFolders,
  sha256,
  undoChange,
  UndoNames,
  UndoOps,
  writeJournal,
} from '../layout/journal';
import { underRoot } from '../layout/layout';
import { ownerAlive, selfId } from '../tools/owner';

/** Staging folders at the repository root: `.zot-flux-init-<pid>-<start time>-<random>`. */
export const STAGING_PREFIX = '.zot-flux-init-';
const JOURNAL = 'journal.json';
// The start time is absent in the folders of earlier versions (`<pid>-<random>`, no journal).
const STAGING = /^\.zot-flux-init-(\d+)-(?:(\d+)-)?[A-Za-z0-9]+$/;

export interface WriteHooks {
  /** Called before the file at `index` is put in place (tests use it to fail or race on purpose). */
  readonly beforePlace?: (index: number, relPath: string) => void;
  /** Called before each change to the disk, with what it is and the absolute path (tests fail or kill there). */
  readonly beforeChange?: (what: string, file: string) => void;
}

/** init never stages next to a target nor sets a file aside: the names are for messages it does not print. */
const NAMES: UndoNames = { command: 'init', stagedSuffix: '', asideSuffix: '' };

/** A ZotFluxError for a file-system error of the user's world, naming `field`; undefined for anything else (a bug). */
function fsError(e: unknown, field: string, note: string): ZotFluxError | undefined {
  const code = errnoCode(e);
  const meaning = code === undefined ? undefined : writerErrno(code, 'init');
  if (!meaning) return undefined;
  return new ZotFluxError({ field, reason: `cannot be written: ${meaning.what} (${code}); ${note}; ${meaning.todo}` });
}

/** `rel` (repository-relative) with no symbolic link among its existing components below the root. */
function checkNoLink(root: string, rel: string): string {
  const abs = underRoot(root, rel);
  let cur = path.resolve(root);
  for (const part of path.relative(cur, abs).split(path.sep)) {
    cur = path.join(cur, part);
    const st = fs.lstatSync(cur, { throwIfNoEntry: false });
    if (!st) break;
    if (st.isSymbolicLink()) {
      refuse(
        rel,
        undefined,
        `goes through ${path.relative(root, cur)}, a symbolic link: init never writes through a link; replace it with a real folder`,
      );
    }
  }
  return abs;
}

/** `rel` as checkNoLink gives it, or undefined where a link stands on the way (an undo then leaves it). */
function unlinkedPath(root: string, rel: string): string | undefined {
  try {
    return checkNoLink(root, rel);
  } catch {
    return undefined;
  }
}

/** The journal in a staging folder: undefined when there is none (nothing was placed), 'unreadable' for garbage. */
function readJournal(file: string): Journal | undefined | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'unreadable';
  }
  if (journalProblem(doc) === undefined) return doc as Journal; // checked by journalProblem
  return fromInitJournalV1(doc) ?? 'unreadable';
}

/** The journal's writes, each announced to the hooks. */
function journalOps(hooks: WriteHooks): JournalWriteOps {
  return {
    write: (file, text) => {
      hooks.beforeChange?.('journal', file);
      fs.writeFileSync(file, text, { flag: 'w' });
    },
    rename: (from, to) => {
      hooks.beforeChange?.('journal', to);
      fs.renameSync(from, to);
    },
    fsync: true,
  };
}

/** The undo's changes, each announced to the hooks. */
function undoOps(hooks: WriteHooks): UndoOps {
  return {
    unlink: (file) => {
      hooks.beforeChange?.('unlink', file);
      fs.rmSync(file, { force: true });
    },
    rename: (from, to) => {
      hooks.beforeChange?.('rename', to);
      fs.renameSync(from, to);
    },
    rmdir: (dir) => {
      hooks.beforeChange?.('rmdir', dir);
      fs.rmdirSync(dir);
    },
  };
}

/** The staging folders at `root` left by inits that are no longer running. */
function leftStagings(root: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const me = selfId();
  return names
    .filter((name) => {
      const m = STAGING.exec(name);
      if (!m || !fs.lstatSync(path.join(root, name), { throwIfNoEntry: false })?.isDirectory()) return false;
      const owner = { pid: Number(m[1]), start: Number(m[2] ?? 0) };
      return !(owner.pid === me.pid && (owner.start === 0 || owner.start === me.start)) && !ownerAlive(owner);
    })
    .sort();
}

function journalOf(root: string, name: string): Journal | undefined {
  const j = readJournal(path.join(root, name, JOURNAL));
  if (j === 'unreadable') {
    refuse(
      name,
      undefined,
      `is the staging folder of an init that was killed, and its journal cannot be read: ` +
        `look at 'git status' for files that init may have created, remove them if you do not want them, then delete ${name} and run init again`,
    );
  }
  return j;
}

/** What `recoverInterruptedInits` would do, for --dry-run: one line per folder left by a killed init. */
export function interruptedInits(root: string): string[] {
  return leftStagings(root).map((name) => {
    const j = journalOf(root, name);
    return `${name}: left by an init that was killed; the next init ${j?.state === 'applying' ? `removes the files it had placed (of ${j.changes.length}) and ` : ''}deletes it`;
  });
}

/** Undoes a run that did not commit: the files it placed (each while it holds what init wrote), then its folders. */
function undoInit(root: string, j: Journal, hooks: WriteHooks): { files: number; folders: number } {
  let files = 0;
  for (const c of [...j.changes].reverse()) {
    const target = unlinkedPath(root, c.path);
    if (target !== undefined && undoChange(c, { target }, undoOps(hooks), NAMES).removed) files++;
  }
  const dirs = j.folders.map((d) => unlinkedPath(root, d)).filter((d): d is string => d !== undefined);
  return { files, folders: removeCreatedFolders(dirs, undoOps(hooks)) };
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Undoes what inits that were killed left at `root` (see the top of this file): returns one line per
 * staging folder, saying what it removed. Refuses (ZotFluxError) a staging folder whose journal is unreadable.
 */
export function recoverInterruptedInits(root: string, hooks: WriteHooks = {}): string[] {
  const out: string[] = [];
  for (const name of leftStagings(root)) {
    const j = journalOf(root, name);
    const dir = path.join(root, name);
    try {
      const undone = j?.state === 'applying' ? undoInit(root, j, hooks) : { files: 0, folders: 0 };
      hooks.beforeChange?.('rm-staging', dir);
      fs.rmSync(dir, { recursive: true, force: true });
      out.push(
        `${name}: an init was killed here; removed ${plural(undone.files, 'file')} and ${plural(undone.folders, 'folder')} it had created, and its staging folder`,
      );
    } catch (e) {
      throw fsError(e, name, 'the staging folder of an init that was killed could not be cleaned') ?? e;
    }
  }
  return out;
}

/** Puts `staged` at `target` unless `target` exists. */
function placeNew(staged: string, target: string): void {
  try {
    fs.linkSync(staged, target);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'EEXIST') throw e;
    // A file system without hard links: an exclusive copy still never replaces a file.
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS'].includes(code ?? ''))
      fs.copyFileSync(staged, target, fs.constants.COPYFILE_EXCL);
    else throw e;
  }
}

/** A run of createFilesAtomically: where it is (`at`, the path a failure is reported at) and what it made. */
interface Placement {
  readonly root: string;
  readonly hooks: WriteHooks;
  readonly entries: ReadonlyArray<readonly [string, string]>;
  readonly targets: readonly string[];
  at: string;
  staging?: string;
  readonly createdFiles: string[];
  readonly createdDirs: string[];
}

/** The folders the targets need that do not exist yet, repository-relative, parents first. */
function missingFolders(root: string, targets: readonly string[]): string[] {
  const folders: string[] = [];
  for (const target of targets) {
    const missing: string[] = [];
    for (let d = path.dirname(target); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(path.relative(root, d));
    for (const d of missing) if (!folders.includes(d)) folders.push(d);
  }
  return folders;
}

/** Step 1: the staging folder, each file's text in it as `0`, `1`, ... */
function stageFiles(run: Placement): string {
  const me = selfId();
  run.hooks.beforeChange?.('mkdtemp', run.root);
  const staging = fs.mkdtempSync(path.join(run.root, `${STAGING_PREFIX}${me.pid}-${me.start}-`));
  run.staging = staging;
  run.entries.forEach(([, text], i) => {
    const file = path.join(staging, String(i));
    run.at = run.targets[i]; // named as the file it becomes: that is the file the person knows
    run.hooks.beforeChange?.('stage', file);
    fs.writeFileSync(file, text, { flag: 'wx' });
  });
  return staging;
}

/** Step 3: the folders created, each staged file linked to its target (never over a file). */
function placeFiles(run: Placement, staging: string, folders: readonly string[]): void {
  for (const d of folders) {
    run.at = underRoot(run.root, d);
    run.hooks.beforeChange?.('mkdir', run.at);
    fs.mkdirSync(run.at);
    run.createdDirs.push(run.at);
  }
  run.entries.forEach(([rel], i) => {
    run.at = run.targets[i];
    run.hooks.beforePlace?.(i, rel);
    run.hooks.beforeChange?.('link', run.at);
    try {
      placeNew(path.join(staging, String(i)), run.at);
    } catch (e) {
      if (errnoCode(e) === 'EEXIST')
        refuse(rel, undefined, 'appeared while init ran; it was left as it is and init wrote nothing');
      throw e;
    }
    run.createdFiles.push(run.at);
  });
}

/** After a failure in steps 1-4: what this run created removed at once; whether all of it went. */
function undoPlacement(run: Placement): boolean {
  let undone = true;
  for (const f of [...run.createdFiles].reverse()) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      undone = false;
    }
  }
  for (const d of [...run.createdDirs].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* not empty: something else put a file there meanwhile; leave it */
    }
  }
  if (run.staging && undone) {
    try {
      fs.rmSync(run.staging, { recursive: true, force: true });
    } catch {
      undone = false;
    }
  }
  return undone;
}

/** Done: the staging folder goes; if that fails the next init deletes it (its journal says "committed"). */
function removeStaging(run: Placement, staging: string): void {
  try {
    run.hooks.beforeChange?.('rm-staging', staging);
    fs.rmSync(staging, { recursive: true, force: true });
  } catch {
    /* left for the next init */
  }
}

/**
 * Creates every file of `files` (repository-relative path → text) under `root`, or none of them; a
 * file-system error of the user's world (full disk, read-only folder...) becomes a ZotFluxError naming
 * the path. Call recoverInterruptedInits first (runInit does, before planning).
 */
export function createFilesAtomically(root: string, files: ReadonlyMap<string, string>, hooks: WriteHooks = {}): void {
  if (files.size === 0) return;
  const entries = [...files.entries()];
  const targets = entries.map(([rel]) => checkNoLink(root, rel));
  const folders = missingFolders(root, targets);
  const run: Placement = { root, hooks, entries, targets, at: root, createdFiles: [], createdDirs: [] };
  let staging: string;
  try {
    staging = stageFiles(run);
    const journal: Journal = {
      version: 2,
      state: 'applying',
      changes: entries.map(([rel, text]) => ({ path: rel, kind: 'write', before: null, after: sha256(text) })),
      folders,
    };
    run.at = path.join(staging, JOURNAL);
    writeJournal(run.at, journal, journalOps(hooks));
    placeFiles(run, staging, folders);
    journal.state = 'committed';
    run.at = path.join(staging, JOURNAL);
    writeJournal(run.at, journal, journalOps(hooks));
  } catch (e) {
    const note = undoPlacement(run)
      ? 'init wrote nothing'
      : `init could not undo all it wrote; the next init removes it (${path.relative(root, run.staging ?? root)})`;
    throw fsError(e, path.relative(root, run.at) || root, note) ?? e;
  }
  removeStaging(run, staging);
}
