// The paths synth reads, writes and deletes, checked against the disk: never through a symbolic
// link (a link could point anywhere, outside the repository included), and the file-system errors
// that are the user's world (a full disk, a read-only folder) turned into refusals that say what to do.
import * as fs from 'fs';
import * as path from 'path';
import { errnoCode, writerErrno } from '../core/errno';
import { refuse, ZotFluxError } from '../core/error';
import { underRoot } from '../layout/layout';

export { sha256 } from '../layout/journal';

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

export interface CheckedPath {
  /** The absolute path. */
  readonly abs: string;
  /** What stands there now (lstat), or undefined. */
  readonly stat?: fs.Stats;
}

/**
 * `rel` under `root`, after checking every existing component below the root with lstat: none is a
 * symbolic link, none but the last is anything but a folder. Refuses naming `field` (default: `rel`)
 * and `todo` (what the person should do).
 */
export function checkedPath(
  root: string,
  rel: string,
  field: string = rel,
  todo = 'replace the link with a real folder or file (synth writes only inside the output root, never through a link)',
): CheckedPath {
  const abs = underRoot(root, rel);
  const parts = rel.split('/');
  let cur = path.resolve(root);
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]);
    const prefix = parts.slice(0, i + 1).join('/');
    let st: fs.Stats | undefined;
    try {
      st = lstat(cur);
    } catch (e) {
      throw fsError(e, prefix, 'could not be read', 'fix it and run synth again') ?? e;
    }
    if (st === undefined) return { abs };
    if (st.isSymbolicLink()) {
      let target = '?';
      try {
        target = fs.readlinkSync(cur);
      } catch {
        /* shown as ? */
      }
      const where =
        i === parts.length - 1
          ? `is a symbolic link (to '${target}')`
          : `goes through ${prefix}, a symbolic link (to '${target}')`;
      refuse(
        field,
        field === rel ? undefined : rel,
        `${where}: synth never writes, edits or deletes through a link; ${todo}`,
      );
    }
    if (i < parts.length - 1 && !st.isDirectory()) {
      refuse(
        field,
        field === rel ? undefined : rel,
        `cannot be written: ${prefix} is a file where a folder should be; move it away`,
      );
    }
    if (i === parts.length - 1) return { abs, stat: st };
  }
  return { abs };
}

/** A file's bytes, or undefined when nothing stands there; refuses links (see checkedPath) and folders. */
export function readChecked(root: string, rel: string, field?: string, todo?: string): Buffer | undefined {
  const { abs, stat } = checkedPath(root, rel, field, todo);
  if (stat === undefined) return undefined;
  if (stat.isDirectory()) refuse(rel, undefined, 'is a folder where synth writes a file; move it away');
  if (!stat.isFile()) refuse(rel, undefined, 'is not a regular file (a device, socket or pipe); move it away');
  try {
    return fs.readFileSync(abs);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw fsError(e, rel, 'could not be read', 'fix it and run synth again') ?? e;
  }
}

/** A ZotFluxError for a file-system error that is the user's world (undefined for anything else: a bug). */
export function fsError(e: unknown, rel: string, what: string, todo?: string, note?: string): ZotFluxError | undefined {
  const code = errnoCode(e);
  const meaning = code === undefined ? undefined : writerErrno(code, 'synth');
  if (!meaning) return undefined;
  return new ZotFluxError({
    field: rel,
    reason: `${what}: ${meaning.what} (${code}): ${todo ? `${todo}; ` : ''}${meaning.todo}${note ? `. ${note}` : ''}`,
  });
}
