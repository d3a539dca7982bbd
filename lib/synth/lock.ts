// One synth at a time per tree: `.zot-flux/lock` is created exclusively and holds the owner's pid.
// A second synth waits for it (up to a limit) and then stops with a message; a lock whose owner
// is dead (killed mid-run) is taken over, and the journal tells what to finish or undo.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { refuse } from '../core/error';
import { LOCK_FILE, underRoot } from '../layout/layout';

export interface Lock { release(): void }

interface LockOwner { pid: number; host: string; started: string }

function alive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true; // another machine's lock: assume it is live
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // gone, or being written: look again
  }
}

/**
 * Takes the lock of the tree at `root`, waiting up to `waitMs` for a live owner to finish.
 * Throws a ZotFluxError naming the owner when it is still held after that.
 */
export function acquireLock(root: string, waitMs = 30_000): Lock {
  const file = underRoot(root, LOCK_FILE);
  // The state folder goes again on release if this lock made it and nothing else landed in it: a
  // refused first synth leaves the tree as it found it.
  const madeDir = !fs.existsSync(path.dirname(file));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(me));
      fs.closeSync(fd);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          fs.rmSync(file, { force: true });
          if (madeDir) {
            try { fs.rmdirSync(path.dirname(file)); } catch { /* not empty: synth wrote its record */ }
          }
        },
      };
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = readOwner(file);
    if (owner && !alive(owner)) {
      // Stale: move it aside atomically (only one taker wins the rename), then try again.
      const aside = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, aside);
        fs.rmSync(aside, { force: true });
      } catch { /* another synth took it over first */ }
      continue;
    }
    if (Date.now() >= deadline) {
      refuse(LOCK_FILE, owner ? `pid ${owner.pid} on ${owner.host} since ${owner.started}` : 'held',
        `is held by another synth on this tree; wait for it to finish (a lock left by a crashed synth on this machine is taken over by itself)`);
    }
    sleep(50);
  }
}
