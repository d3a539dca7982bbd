// One synth at a time per tree. The lock is a numbered generation file in the state folder,
// `.zot-flux/lock.<N>`, holding its owner's pid, host, boot and process start time:
//   - every file appears whole: its content is written to a temporary `lock.tmp-<pid>-<hex>` and
//     hard-linked in, which fails with EEXIST if that number is taken (so no file is ever seen empty);
//   - to take the lock a synth lists the generations; while any has a live owner it waits (up to a
//     limit, then stops naming the owner); otherwise (none, or all dead, empty or garbage) it links
//     in max+1, lists again, and holds the lock iff its file is the highest and every other one is
//     dead. If not, it removes its own file, backs off a random moment and starts over;
//   - the holder removes the dead files below its own; release removes only its own file.
// Two synths never hold at once: of two holders, the one that listed second saw the other's file
// (linked before the other listed, removed only after it let go) with a live owner, so it does not
// hold. A file is removed only by its owner or, once dead, by the holder, so no file vanishes under a
// live owner, and a dead file's name is not reused while it stands. ("Highest" is not needed for that;
// it keeps numbers rising. Numbers restart at 1 once no generation is left: that is why every other file
// must be dead, not just lower.)
// No file is ever replaced in place, so a takeover has no remove-then-create window.
// The previous version's single file `.zot-flux/lock` is read as generation 0: a live owner there is
// waited for; an empty, garbage or dead one (or a folder at that path, left empty) is removed by the
// holder. A process is the owner when its pid runs with the recorded start time (/proc/<pid>/stat
// field 22, proc(5)), so a reused pid is not taken for it; where /proc is absent the pid alone says.
// Another host's lock is assumed live.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { errnoCode, writerErrno } from '../core/errno';
import { refuse } from '../core/error';
import { LOCK_FILE, STATE_DIR, underRoot } from '../layout/layout';
import {
  bootId,
  ownerAlive as processAlive,
  ProcessProbe as ProcessesProbe,
  procStat,
  SYSTEM_PROCESSES,
} from '../tools/owner';

export interface Lock {
  /** Removes this synth's own lock file (and the state folder when this lock made it and it is empty). Idempotent. */
  release(): void;
}

/** What a lock file says about its owner. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Wall-clock time the lock was taken (ISO 8601), for messages. */
  readonly started: string;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat field 22); absent where /proc is not. */
  readonly pidStart?: string;
  /** /proc/sys/kernel/random/boot_id of the owner's machine; absent where /proc is not. */
  readonly boot?: string;
}

/** How this machine answers "is that process running?" (lib/tools/owner.ts), with its host and boot; a seam for tests. */
export interface ProcessProbe extends ProcessesProbe {
  readonly host: string;
  /** This boot's id, undefined where unknown. */
  readonly boot: string | undefined;
}

/** The start time of `pid` in clock ticks since boot (lib/tools/owner.ts procStat): null when no such process, undefined when unknown. */
export function procStartTime(pid: number): string | null | undefined {
  const stat = procStat(pid);
  return stat === null ? null : stat?.start;
}

/** This machine, as seen through process.kill and /proc. */
export const systemProbe: ProcessProbe = { ...SYSTEM_PROCESSES, host: os.hostname(), boot: bootId() };

/** Test seams: how processes are probed, and a hook between a listing and the create it decides (to widen races). */
export interface LockSeams {
  /** @default systemProbe */
  readonly probe?: ProcessProbe;
  /** Called after listing, before linking in generation `gen`. @default - nothing */
  readonly beforeCreate?: (gen: bigint) => void;
}

/** Whether the owner a lock file names is running (another host's owner always counts as running). */
export function ownerAlive(owner: LockOwner, probe: ProcessProbe = systemProbe): boolean {
  if (owner.host !== probe.host) return true; // another machine's lock: assume it is live
  if (owner.boot !== undefined && probe.boot !== undefined && owner.boot !== probe.boot) return false; // this machine rebooted since
  return processAlive({ pid: owner.pid, start: owner.pidStart === undefined ? 0 : Number(owner.pidStart) }, probe);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A lock file's owner, or undefined when its content is not one (empty, garbage, not a regular file). */
export function parseOwner(text: string): LockOwner | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(v)) return undefined;
  if (typeof v.pid !== 'number' || !Number.isSafeInteger(v.pid) || v.pid <= 0 || typeof v.host !== 'string')
    return undefined;
  const opt = (x: unknown) => (typeof x === 'string' && x !== '' ? x : undefined);
  return {
    pid: v.pid,
    host: v.host,
    started: typeof v.started === 'string' ? v.started : '?',
    pidStart: opt(v.pidStart),
    boot: opt(v.boot),
  };
}

const GENERATION = /^lock\.([1-9]\d*)$/;
const TEMP = /^lock\.tmp-(\d+)-[0-9a-f]+$/;
const LEGACY = path.posix.basename(LOCK_FILE); // 'lock'
const MAX_READ = 64 * 1024;

interface Entry {
  readonly name: string;
  /** 0 for the previous version's `lock`. */
  readonly gen: bigint;
  /** undefined: empty, garbage, not a regular file (all dead); 'unreadable': no permission to read it (counted live). */
  readonly owner: LockOwner | 'unreadable' | undefined;
}

/** Reads a lock file without following a link or blocking on a FIFO; undefined when gone, '' when not a regular file. */
function readEntry(file: string): string | 'unreadable' | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    return errnoCode(e) === 'EACCES' ? 'unreadable' : '';
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_READ) return '';
    const buf = Buffer.alloc(Math.min(st.size, MAX_READ));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    fs.closeSync(fd);
  }
}

function listNames(stateDir: string): string[] {
  try {
    return fs.readdirSync(stateDir);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    return worldError(e, STATE_DIR, 'cannot be listed');
  }
}

/** The generations (and the previous version's lock) in the state folder, as they are now. */
function scan(stateDir: string, names = listNames(stateDir)): Entry[] {
  const out: Entry[] = [];
  for (const name of names) {
    const m = GENERATION.exec(name);
    if (!m && name !== LEGACY) continue;
    const text = readEntry(path.join(stateDir, name));
    if (text === undefined) continue; // gone since the listing
    out.push({ name, gen: m ? BigInt(m[1]) : 0n, owner: text === 'unreadable' ? text : parseOwner(text) });
  }
  return out;
}

const maxGen = (entries: readonly Entry[]) => entries.reduce((m, e) => (e.gen > m ? e.gen : m), 0n);

/** The errors of the lock's own calls that are the user's world; their meaning is lib/core/errno.ts's. */
const LOCK_ERRNOS: ReadonlySet<string> = new Set([
  'EROFS',
  'EACCES',
  'EPERM',
  'ENOSPC',
  'EDQUOT',
  'ENOTDIR',
  'ELOOP',
  'EMLINK',
  'EIO',
]);

/** A file-system failure that is the user's world (read-only, full, no rights...) as a refusal naming the path. */
function worldError(e: unknown, rel: string, what: string): never {
  const code = errnoCode(e);
  const meaning = code !== undefined && LOCK_ERRNOS.has(code) ? writerErrno(code, 'synth') : undefined;
  if (meaning) refuse(rel, undefined, `${what} (${code}: ${meaning.what}); synth needs to create its lock there`);
  throw e;
}

/** Links a whole lock file in as generation `gen`; false when that number is taken or the folder vanished meanwhile. */
function create(stateDir: string, gen: bigint, me: LockOwner): boolean {
  const name = `lock.${gen}`;
  const rel = `${STATE_DIR}/${name}`;
  try {
    fs.mkdirSync(stateDir, { recursive: true });
  } catch (e) {
    worldError(e, STATE_DIR, 'cannot be created');
  }
  const tmp = path.join(stateDir, `lock.tmp-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  try {
    fs.writeFileSync(tmp, JSON.stringify(me), { flag: 'wx' });
    fs.chmodSync(tmp, 0o644); // readable by a synth of another user whatever the umask: unreadable counts as live
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if (errnoCode(e) === 'ENOENT') return false; // the state folder went (a first synth's release): start over
    return worldError(e, rel, 'cannot be written');
  }
  try {
    fs.linkSync(tmp, path.join(stateDir, name));
    return true;
  } catch (e) {
    if (errnoCode(e) === 'EEXIST' || errnoCode(e) === 'ENOENT') return false;
    return worldError(e, rel, 'cannot be created');
  } finally {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

/** Removes a dead entry: a file or link, or an empty folder; anything else stays (it is not synth's). */
function removeDead(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if (errnoCode(e) === 'EISDIR' || errnoCode(e) === 'EPERM') {
      try {
        fs.rmdirSync(file);
      } catch {
        /* not empty: not synth's to delete; it blocks nothing */
      }
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** This synth as a lock file names it. */
function lockOwnerOf(probe: ProcessProbe): LockOwner {
  const start = probe.stat(process.pid)?.start;
  return {
    pid: process.pid,
    host: probe.host,
    started: new Date().toISOString(),
    ...(start ? { pidStart: start } : {}),
    ...(probe.boot ? { boot: probe.boot } : {}),
  };
}

/** Still held after the wait: a refusal naming the holder (or the contention, when no one holds it). */
function refuseHeld(holder: Entry | undefined, waitMs: number): never {
  const rel = holder ? `${STATE_DIR}/${holder.name}` : LOCK_FILE;
  if (holder?.owner === 'unreadable') {
    refuse(rel, undefined, 'cannot be read (EACCES), so it counts as held; if no synth runs on this tree, remove it');
  }
  if (holder?.owner) {
    refuse(
      rel,
      `pid ${holder.owner.pid} on ${holder.owner.host} since ${holder.owner.started}`,
      'is held by another synth on this tree; wait for it to finish (a lock left by a crashed synth on this machine is taken over by itself)',
    );
  }
  refuse(
    LOCK_FILE,
    undefined,
    `could not be taken within ${waitMs} ms while other synths contended for it; run synth again`,
  );
}

const highest = (entries: readonly Entry[]) => entries.reduce((a, b) => (b.gen > a.gen ? b : a));

/** Held: everything else listed is dead, and no one else removes a dead file while this one holds. */
function sweepDead(stateDir: string, others: readonly Entry[], probe: ProcessProbe): void {
  for (const e of others) removeDead(path.join(stateDir, e.name));
  for (const n of listNames(stateDir)) {
    const t = TEMP.exec(n);
    if (t && Number(t[1]) !== process.pid && !ownerAlive({ pid: Number(t[1]), host: probe.host, started: '' }, probe))
      removeDead(path.join(stateDir, n));
  }
}

/**
 * After linking in `name` (generation `gen`): held when it is the highest and every other file is dead;
 * otherwise this synth steps back (only ever removing its own file) and the live others are returned.
 */
function holdsAfterCreate(
  stateDir: string,
  name: string,
  gen: bigint,
  alive: (e: Entry) => boolean,
  probe: ProcessProbe,
): { held: true } | { held: false; otherLive: Entry[] } {
  const now = scan(stateDir);
  const others = now.filter((e) => e.name !== name);
  const otherLive = others.filter(alive);
  if (now.some((e) => e.name === name) && maxGen(now) === gen && otherLive.length === 0) {
    sweepDead(stateDir, others, probe);
    return { held: true };
  }
  try {
    fs.unlinkSync(path.join(stateDir, name));
  } catch {
    /* gone with the folder */
  }
  return { held: false, otherLive };
}

/**
 * Takes the lock of the tree at `root`, waiting up to `waitMs` for a live owner to finish; a dead,
 * empty or garbage lock is taken over at once. Throws a ZotFluxError naming the lock file and its
 * owner when it is still held after that.
 */
export function acquireLock(root: string, waitMs = 30_000, seams: LockSeams = {}): Lock {
  const probe = seams.probe ?? systemProbe;
  const stateDir = underRoot(root, STATE_DIR);
  // The state folder goes again on release if this lock made it and nothing else landed in it: a
  // refused first synth leaves the tree as it found it.
  const madeDir = !fs.existsSync(stateDir);
  const me = lockOwnerOf(probe);
  const alive = (e: Entry) => e.owner === 'unreadable' || (e.owner !== undefined && ownerAlive(e.owner, probe));
  const deadline = Date.now() + waitMs;
  let lastLive: Entry | undefined;
  for (;;) {
    const seen = scan(stateDir);
    const live = seen.filter(alive);
    if (live.length > 0) {
      lastLive = highest(live);
      if (Date.now() >= deadline) refuseHeld(lastLive, waitMs);
      sleep(25 + Math.random() * 25);
      continue;
    }
    // None, or all dead, empty or garbage: take the next number (EEXIST if another synth took it first).
    const gen = maxGen(seen) + 1n;
    seams.beforeCreate?.(gen);
    if (!create(stateDir, gen, me)) continue; // taken meanwhile (or the folder went): look again
    const took = holdsAfterCreate(stateDir, `lock.${gen}`, gen, alive, probe);
    if (took.held) return holding(stateDir, `lock.${gen}`, madeDir);
    // Another synth is at it too: look again after a random moment.
    if (took.otherLive.length > 0) lastLive = highest(took.otherLive);
    if (Date.now() >= deadline) refuseHeld(lastLive, waitMs);
    sleep(5 + Math.random() * 45);
  }
}

function holding(stateDir: string, name: string, madeDir: boolean): Lock {
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      try {
        fs.unlinkSync(path.join(stateDir, name));
      } catch {
        /* removed by hand: nothing of ours left */
      }
      if (madeDir) {
        try {
          fs.rmdirSync(stateDir);
        } catch {
          /* not empty: synth wrote its record, or another synth waits */
        }
      }
    },
  };
}
