// The node system errors that are the user's world (a full disk, a read-only folder, a link loop...),
// with what each means and what to do about it: one table for every command. lib/cli/failure.ts
// prints it after the path of any failure ("'<path>': <what> (<code> on <syscall>): <todo>"); the
// all-or-nothing writers (synth, init) print it in their refusals ("<path>: could not be written:
// <what> (<code>): <todo>"), where "run it again" names the command.
export interface ErrnoMeaning {
  /** What the error means, said after the path it happened on. */
  readonly what: string;
  /** What to do about it. */
  readonly todo: string;
}

interface ErrnoRow extends ErrnoMeaning {
  /** What it means while a writer changes files it has just checked (ENOENT: the file went meanwhile). */
  readonly whileWriting?: ErrnoMeaning;
  /** Only the writers say it: elsewhere the error is not the user's world alone (a bug may cause it). */
  readonly writersOnly?: true;
}

const ERRNO: Readonly<Record<string, ErrnoRow>> = {
  ENOSPC: {
    what: 'no space left on the device',
    todo: 'free some space on that disk (df -h shows which) and run it again',
  },
  EDQUOT: { what: 'the disk quota is exceeded', todo: 'free some space within your quota (quota -s) and run it again' },
  EROFS: {
    what: 'the file system is read-only',
    todo: 'remount it read-write, or give a folder you can write to',
  },
  EACCES: {
    what: 'permission denied',
    todo: 'check its owner and mode (ls -ld), or run as a user who may read and write there',
  },
  EPERM: {
    what: 'operation not permitted (an immutable or protected file, or a file system without hard links?)',
    todo: 'check its owner, mode and attributes (ls -ld, lsattr), or run as a user who may change it',
  },
  ENOENT: {
    what: 'does not exist',
    todo: 'check the path (a typo? a folder moved, deleted or not mounted?)',
    whileWriting: { what: 'it disappeared while it ran', todo: 'run it again' },
  },
  ENOTDIR: {
    what: 'a part of the path is a file, not a folder',
    todo: 'check the path: a folder is expected where a file stands (move the file away)',
  },
  EISDIR: {
    what: 'a folder stands where a file is expected',
    todo: 'check the path: give a file, or remove the folder that stands there',
  },
  ELOOP: {
    what: 'a loop of symbolic links (or too many links to follow)',
    todo: 'fix or remove the link (ls -l shows where each points)',
  },
  EMFILE: { what: 'too many open files in this process', todo: 'raise the limit (ulimit -n 4096) and run it again' },
  ENFILE: {
    what: 'too many open files on this system',
    todo: 'close other programs or raise the system limit (fs.file-max), then run it again',
  },
  ENAMETOOLONG: {
    what: 'the path (or a part of it) is too long for the file system',
    todo: 'use shorter names (layout, app or cluster name) or a shorter --out / --repo',
  },
  EIO: { what: 'an input/output error from the disk', todo: 'check the disk (dmesg), then run it again' },
  EBUSY: { what: 'busy (in use, or a mount point)', todo: 'close what uses it, or give another path' },
  ENOTEMPTY: { what: 'a folder that is not empty', todo: 'move what is in it away, or give another path' },
  EXDEV: {
    what: 'cannot be moved across file systems',
    todo: 'keep the folders on one file system (set TMPDIR to a folder on the same disk)',
  },
  EMLINK: {
    what: 'too many links or entries in the folder',
    todo: 'make room and run it again',
    writersOnly: true,
  },
  EEXIST: { what: 'something already stands there', todo: 'move it away and run it again', writersOnly: true },
};

/** The code of a node system error, or undefined for anything else. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  return typeof e.code === 'string' ? e.code : undefined;
}

/** What a code means for any command's failure; undefined when it is not the user's world. */
export function worldErrno(code: string): ErrnoMeaning | undefined {
  const row = Object.prototype.hasOwnProperty.call(ERRNO, code) ? ERRNO[code] : undefined;
  return row && !row.writersOnly ? { what: row.what, todo: row.todo } : undefined;
}

/** What a code means to `command` (synth, init) while it writes; undefined when it is not the user's world. */
export function writerErrno(code: string, command: string): ErrnoMeaning | undefined {
  const row = Object.prototype.hasOwnProperty.call(ERRNO, code) ? ERRNO[code] : undefined;
  if (!row) return undefined;
  const { what, todo } = row.whileWriting ?? row;
  const named = (s: string) =>
    s.replace(/\b(while) it ran\b/, `$1 ${command} ran`).replace(/\brun it again\b/, `run ${command} again`);
  return { what: named(what), todo: named(todo) };
}
