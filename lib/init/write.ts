// Creating new files all or nothing, and surviving a kill at any point (the design of
// lib/synth/apply.ts's journal, for files that must not exist yet).
//
// Order of a run (each change to the disk announced to `hooks.beforeChange`, where tests fail or kill it):
//   1. a staging folder `.zot-flux-init-<pid>-<start time>-<random>` at the repository root (the same
//      file system as the targets), each file's text written into it as `0`, `1`, ...;
//   2. its journal (`journal.json`): every file with the sha256 of its text and every folder to create,
//      state "placing"; written under a temporary name, fsynced, renamed, before anything else changes;
//   3. the folders created, each staged file hard-linked to its target: a link never replaces a file
//      (EEXIST), so a file that appears while init runs is left as it is and init fails;
//   4. the journal marked "placed", the staging folder removed.
// A failure in 1-3 removes what was created, at once. A kill leaves the staging folder: the next init
// (before it plans) finds it, its owner's pid dead, and undoes it from the journal: it removes each
// listed file while it still holds the journal's bytes and is no link, and each listed folder left
// empty; with no journal yet nothing was placed, and "placed" means the run had finished.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { errnoCode, writerErrno } from '../core/errno';
import { refuse, ZotFluxError } from '../core/error';
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

interface JournalFile {
  readonly path: string;
  readonly sha256: string;
}
interface Journal {
  state: 'placing' | 'placed';
  readonly files: readonly JournalFile[];
  readonly folders: readonly string[];
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

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

/** The journal in a staging folder: undefined when there is none (nothing was placed), 'unreadable' for garbage. */
function readJournal(file: string): Journal | undefined | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
  const j = (() => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  })();
  const relOk = (p: unknown) =>
    typeof p === 'string' && p !== '' && !p.includes('\0') && !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..');
  if (
    !j ||
    typeof j !== 'object' ||
    !['placing', 'placed'].includes(j.state) ||
    !Array.isArray(j.files) ||
    !Array.isArray(j.folders) ||
    !j.files.every((f: any) => f && relOk(f.path) && typeof f.sha256 === 'string') ||
    !j.folders.every(relOk)
  ) {
    return 'unreadable';
  }
  return j;
}

function writeJournal(staging: string, journal: Journal, hooks: WriteHooks): void {
  const file = path.join(staging, JOURNAL);
  hooks.beforeChange?.('journal', file + '.tmp');
  fs.writeFileSync(file + '.tmp', JSON.stringify(journal), { flag: 'w' });
  const fd = fs.openSync(file + '.tmp', 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  hooks.beforeChange?.('journal', file);
  fs.renameSync(file + '.tmp', file);
}

/** Removes a file this init placed only while it holds the bytes the journal lists and is no link. */
function removeIfOurs(root: string, f: JournalFile, hooks: WriteHooks): boolean {
  let abs: string;
  try {
    abs = checkNoLink(root, f.path);
  } catch {
    return false;
  }
  const st = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (!st?.isFile() || sha256(fs.readFileSync(abs)) !== f.sha256) return false;
  hooks.beforeChange?.('unlink', abs);
  fs.rmSync(abs, { force: true });
  return true;
}

function removeFoldersIfEmpty(root: string, folders: readonly string[], hooks: WriteHooks): number {
  let n = 0;
  for (const rel of [...folders].reverse()) {
    try {
      const abs = checkNoLink(root, rel);
      if (!fs.lstatSync(abs, { throwIfNoEntry: false })?.isDirectory()) continue;
      hooks.beforeChange?.('rmdir', abs);
      fs.rmdirSync(abs);
      n++;
    } catch {
      // not empty: something else put a file there meanwhile; leave it
    }
  }
  return n;
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
    return `${name}: left by an init that was killed; the next init ${j?.state === 'placing' ? `removes the files it had placed (of ${j.files.length}) and ` : ''}deletes it`;
  });
}

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
      let files = 0;
      let folders = 0;
      if (j?.state === 'placing') {
        for (const f of [...j.files].reverse()) if (removeIfOurs(root, f, hooks)) files++;
        folders = removeFoldersIfEmpty(root, j.folders, hooks);
      }
      hooks.beforeChange?.('rm-staging', dir);
      fs.rmSync(dir, { recursive: true, force: true });
      out.push(
        `${name}: an init was killed here; removed ${files} file${files === 1 ? '' : 's'} and ${folders} folder${folders === 1 ? '' : 's'} it had created, and its staging folder`,
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
  } catch (e: any) {
    if (e.code === 'EEXIST') throw e;
    // A file system without hard links: an exclusive copy still never replaces a file.
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS'].includes(e.code))
      fs.copyFileSync(staged, target, fs.constants.COPYFILE_EXCL);
    else throw e;
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
  const folders: string[] = [];
  for (const target of targets) {
    const missing: string[] = [];
    for (let d = path.dirname(target); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(path.relative(root, d));
    for (const d of missing) if (!folders.includes(d)) folders.push(d);
  }
  const me = selfId();
  let at = root;
  let staging: string | undefined;
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  let placed = false;
  try {
    hooks.beforeChange?.('mkdtemp', root);
    staging = fs.mkdtempSync(path.join(root, `${STAGING_PREFIX}${me.pid}-${me.start}-`));
    entries.forEach(([, text], i) => {
      const file = path.join(staging!, String(i));
      at = targets[i]; // named as the file it becomes: that is the file the person knows
      hooks.beforeChange?.('stage', file);
      fs.writeFileSync(file, text, { flag: 'wx' });
    });
    at = path.join(staging, JOURNAL);
    const journal: Journal = {
      state: 'placing',
      files: entries.map(([rel, text]) => ({ path: rel, sha256: sha256(text) })),
      folders,
    };
    writeJournal(staging, journal, hooks);
    for (const d of folders) {
      at = underRoot(root, d);
      hooks.beforeChange?.('mkdir', at);
      fs.mkdirSync(at);
      createdDirs.push(at);
    }
    entries.forEach(([rel], i) => {
      at = targets[i];
      hooks.beforePlace?.(i, rel);
      hooks.beforeChange?.('link', at);
      try {
        placeNew(path.join(staging!, String(i)), at);
      } catch (e: any) {
        if (e.code === 'EEXIST')
          refuse(rel, undefined, 'appeared while init ran; it was left as it is and init wrote nothing');
        throw e;
      }
      createdFiles.push(at);
    });
    journal.state = 'placed';
    at = path.join(staging, JOURNAL);
    writeJournal(staging, journal, hooks);
    placed = true;
  } catch (e) {
    let undone = true;
    for (const f of createdFiles.reverse()) {
      try {
        fs.rmSync(f, { force: true });
      } catch {
        undone = false;
      }
    }
    for (const d of createdDirs.reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        /* not empty: something else put a file there meanwhile; leave it */
      }
    }
    if (staging && undone) {
      try {
        fs.rmSync(staging, { recursive: true, force: true });
      } catch {
        undone = false;
      }
    }
    const note = undone
      ? 'init wrote nothing'
      : `init could not undo all it wrote; the next init removes it (${path.relative(root, staging!)})`;
    throw fsError(e, path.relative(root, at) || root, note) ?? e;
  }
  if (placed) {
    // Done: the staging folder goes; if that fails the next init deletes it (its journal says "placed").
    try {
      hooks.beforeChange?.('rm-staging', staging!);
      fs.rmSync(staging!, { recursive: true, force: true });
    } catch {
      /* left for the next init */
    }
  }
}
