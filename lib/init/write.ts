// Creating new files all or nothing. Every file is written into a staging folder first (on the
// repository's own file system), then linked into place; a link never replaces an existing file
// (EEXIST), so a file that appears while init runs is left as it is and init fails. On any failure
// the files and folders created so far are removed again: the tree is as it was.
import * as fs from 'fs';
import * as path from 'path';
import { refuse } from '../core/error';
import { underRoot } from '../layout/layout';

/** Staging folders at the repository root: `.zot-flux-init-<pid>-<random>`. */
export const STAGING_PREFIX = '.zot-flux-init-';

export interface WriteHooks {
  /** Called before the file at `index` is put in place (tests use it to fail or race on purpose). */
  readonly beforePlace?: (index: number, relPath: string) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

/** Removes staging folders left by an init that was killed (its process is gone). */
function removeStaleStaging(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const m = new RegExp(`^${STAGING_PREFIX.replace(/\./g, '\\.')}(\\d+)-`).exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** Puts `staged` at `target` unless `target` exists. */
function placeNew(staged: string, target: string): void {
  try {
    fs.linkSync(staged, target);
  } catch (e: any) {
    if (e.code === 'EEXIST') throw e;
    // A file system without hard links: an exclusive copy still never replaces a file.
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS'].includes(e.code)) fs.copyFileSync(staged, target, fs.constants.COPYFILE_EXCL);
    else throw e;
  }
}

/** Creates every file of `files` (repository-relative path → text) under `root`, or none of them. */
export function createFilesAtomically(root: string, files: ReadonlyMap<string, string>, hooks: WriteHooks = {}): void {
  if (files.size === 0) return;
  removeStaleStaging(root);
  const staging = fs.mkdtempSync(path.join(root, `${STAGING_PREFIX}${process.pid}-`));
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  try {
    const entries = [...files.entries()];
    entries.forEach(([, text], i) => fs.writeFileSync(path.join(staging, String(i)), text, { flag: 'wx' }));
    entries.forEach(([rel], i) => {
      const target = underRoot(root, rel);
      const missing: string[] = [];
      for (let d = path.dirname(target); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
      for (const d of missing) {
        fs.mkdirSync(d);
        createdDirs.push(d);
      }
      hooks.beforePlace?.(i, rel);
      try {
        placeNew(path.join(staging, String(i)), target);
      } catch (e: any) {
        if (e.code === 'EEXIST') refuse(rel, undefined, 'appeared while init ran; it was left as it is and init wrote nothing');
        throw e;
      }
      createdFiles.push(target);
    });
  } catch (e) {
    for (const f of createdFiles.reverse()) fs.rmSync(f, { force: true });
    for (const d of createdDirs.reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        // not empty: something else put a file there meanwhile; leave it
      }
    }
    throw e;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
