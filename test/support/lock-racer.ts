// One of many processes racing for a tree's synth lock (test/synth/lock.test.ts). Usage:
//   node <bundle> ROOT START_AT_MS HOLD_MS WAIT_MS [STALL_MS]
// Spins until START_AT_MS (so all racers start together) and takes the lock; with STALL_MS a third
// of its attempts stall up to that long between listing and creating (a stale view: the hard case).
// Inside the critical section it creates ROOT/inside exclusively (O_EXCL: EEXIST means another
// holder is inside), bumps a counter file by read-then-write, holds HOLD_MS, leaves. Prints one JSON line: pid, enter and
// leave (CLOCK_MONOTONIC ns, comparable across processes), whether the marker was already there.
import * as fs from 'fs';
import * as path from 'path';
import { acquireLock } from '../../lib/synth/lock';

const [root, startAt, holdMs, waitMs, stallMs] = process.argv.slice(2);
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
while (Date.now() < Number(startAt)) {
  /* spin: start together */
}
const lock = acquireLock(root, Number(waitMs), {
  beforeCreate: () => {
    if (stallMs && Math.random() < 1 / 3) pause(Math.random() * Number(stallMs));
  },
});
const enter = process.hrtime.bigint();
const marker = path.join(root, 'inside');
let overlap = false;
try {
  fs.writeFileSync(marker, String(process.pid), { flag: 'wx' });
} catch (e: any) {
  if (e.code !== 'EEXIST') throw e;
  overlap = true;
}
const counter = path.join(root, 'counter');
const seen = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0;
pause(Number(holdMs));
fs.writeFileSync(counter, String(seen + 1));
if (!overlap) fs.unlinkSync(marker);
const leave = process.hrtime.bigint();
lock.release();
process.stdout.write(`${JSON.stringify({ pid: process.pid, enter: String(enter), leave: String(leave), overlap })}\n`);
