// Who owns a leftover: a process named by its pid and its start time, so a pid the system has since
// given to another process is not mistaken for the owner. Start times come from /proc/<pid>/stat
// (Linux, field 22 `starttime`, clock ticks since boot: proc(5)); where there is no /proc the start
// time is 0 (unknown) and only the pid is checked.
import * as fs from 'fs';

export interface ProcessId { readonly pid: number; readonly start: number }

interface ProcStat { readonly state: string; readonly start: string }

/**
 * /proc/<pid>/stat: the state (field 3) and starttime (field 22). The second field is the command in
 * parentheses and may hold spaces and ')', so fields count from the last ')'. null: /proc is there and
 * the process is not; undefined: it cannot be known here (no /proc, or an unreadable entry).
 */
export function procStat(pid: number): ProcStat | null | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT' || e.code === 'ESRCH') return fs.existsSync('/proc/self/stat') ? null : undefined;
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

const procAvailable = (): boolean => procStat(process.pid) != null;

/** This process: its pid and start time (0 where the system does not say). */
export function selfId(): ProcessId {
  return { pid: process.pid, start: Number(procStat(process.pid)?.start ?? 0) };
}

/**
 * Whether the process that left something behind still runs: the pid exists, is not a zombie, and
 * (when both are known) started when the owner did. A pid of another user's live process counts as alive.
 */
export function ownerAlive(owner: ProcessId): boolean {
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  if (owner.pid === process.pid) return owner.start === 0 || owner.start === selfId().start;
  try {
    process.kill(owner.pid, 0);
  } catch (e: any) {
    if (e.code !== 'EPERM') return false;
  }
  if (!procAvailable()) return true;
  const stat = procStat(owner.pid);
  if (!stat) return false;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return owner.start === 0 || Number(stat.start) === owner.start;
}
