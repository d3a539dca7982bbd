// Who owns a leftover: a process named by its pid and its start time, so a pid the system has since
// given to another process is not mistaken for the owner. Start times come from /proc/<pid>/stat
// (Linux, field 22 `starttime`, clock ticks since boot: proc(5)); where there is no /proc the start
// time is 0 (unknown) and only the pid is checked.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { errnoCode } from '../core/errno';

export interface ProcessId {
  readonly pid: number;
  readonly start: number;
}

export interface ProcStat {
  readonly state: string;
  readonly start: string;
}

/**
 * /proc/<pid>/stat: the state (field 3) and starttime (field 22). The second field is the command in
 * parentheses and may hold spaces and ')', so fields count from the last ')'. null: /proc is there and
 * the process is not; undefined: it cannot be known here (no /proc, or an unreadable entry).
 */
export function procStat(pid: number): ProcStat | null | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ESRCH') return fs.existsSync('/proc/self/stat') ? null : undefined;
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  const start = fields[22 - 3];
  return start !== undefined && /^\d+$/.test(start) ? { state: fields[0], start } : undefined;
}

/** This boot's id (/proc/sys/kernel/random/boot_id), undefined where unknown. */
export function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** This process: its pid and start time (0 where the system does not say). */
export function selfId(): ProcessId {
  return { pid: process.pid, start: Number(procStat(process.pid)?.start ?? 0) };
}

/** How this machine answers "does that process run?": process.kill(pid, 0) and /proc/<pid>/stat; a seam for tests. */
export interface ProcessProbe {
  /** Returns when the process exists and may be signalled; throws ESRCH, EPERM, ... otherwise. */
  signal0(pid: number): void;
  /** As procStat: null when /proc is there and the process is not; undefined when it cannot be known. */
  stat(pid: number): ProcStat | null | undefined;
}

/** This machine's processes. */
export const SYSTEM_PROCESSES: ProcessProbe = {
  signal0: (pid) => {
    process.kill(pid, 0);
  },
  stat: procStat,
};

/**
 * Whether the process that left something behind still runs: the pid exists, is not a zombie, and
 * (when both are known) started when the owner did. kill(pid, 0) failing with ESRCH is the only
 * answer that makes a pid dead by itself: EPERM is another user's live process, and any other error
 * is not guessed dead. Where /proc cannot say, the pid alone decides. The one liveness rule for
 * synth's lock, diff's worktrees, init's staging and the fleet builder's folders.
 */
export function ownerAlive(owner: ProcessId, probe: ProcessProbe = SYSTEM_PROCESSES): boolean {
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    probe.signal0(owner.pid);
  } catch (e) {
    if (errnoCode(e) === 'ESRCH') return false;
  }
  if (probe.stat(process.pid) == null) return true; // no /proc here: the pid is all there is to go by
  const stat = probe.stat(owner.pid);
  if (stat === null) return false;
  if (stat === undefined) return true; // an entry that cannot be read: not guessed dead
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return owner.start === 0 || Number(stat.start) === owner.start;
}

/**
 * Where temporary folders go (diff's worktrees, the fleet builder's batches): TMPDIR when set, else
 * /dev/shm where it is writable (thousands of small files; on a disk-backed /tmp each costs about a
 * millisecond), else the system's temp folder.
 */
export function scratchBase(): string {
  if (process.env.TMPDIR) return process.env.TMPDIR;
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/**
 * Folders named for the process that made them: `<prefix><pid>-<start time>-<6 random>` (mkdtemp's
 * suffix), so the next run can tell a killed run's leftovers from a live run's.
 */
export function makeOwnedFolder(base: string, prefix: string): string {
  const me = selfId();
  return fs.mkdtempSync(path.join(base, `${prefix}${me.pid}-${me.start}-`));
}

/** The process that made a folder named as makeOwnedFolder names them with `prefix`, or undefined for any other name. */
export function folderOwner(prefix: string, folder: string): ProcessId | undefined {
  const name = path.basename(folder);
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d+)-(\d+)-[A-Za-z0-9]{6}$/.exec(name.slice(prefix.length));
  return m ? { pid: Number(m[1]), start: Number(m[2]) } : undefined;
}

/**
 * The folders of `base` named with `prefix` whose owner no longer runs: only real folders of this user
 * (the base may be a shared /dev/shm), never a link; any other name is left out.
 */
export function deadOwnedFolders(base: string, prefix: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(base).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  return names
    .map((n) => path.join(base, n))
    .filter((dir) => {
      const owner = folderOwner(prefix, dir);
      if (!owner || ownerAlive(owner)) return false;
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(dir, { throwIfNoEntry: false });
      } catch {
        return false;
      }
      return st !== undefined && st.isDirectory() && (uid === undefined || st.uid === uid);
    });
}
