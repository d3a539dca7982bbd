// Who owns a leftover: a process named by its pid and its start time, so a pid the system has since
// given to another process is not mistaken for the owner. Start times come from /proc/<pid>/stat
// (Linux, field 22 `starttime`, clock ticks since boot: proc(5)); where there is no /proc the start
// time is 0 (unknown) and only the pid is checked.
import * as fs from 'fs';

export interface ProcessId { readonly pid: number; readonly start: number }

interface ProcStat { readonly state: string; readonly start: number }

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ...`: comm may hold spaces and parentheses, so fields count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]);
  return Number.isSafeInteger(start) ? { state: fields[0], start } : undefined;
}

const procAvailable = (): boolean => procStat(process.pid) !== undefined;

/** This process: its pid and start time (0 where the system does not say). */
export function selfId(): ProcessId {
  return { pid: process.pid, start: procStat(process.pid)?.start ?? 0 };
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
  return owner.start === 0 || stat.start === owner.start;
}
