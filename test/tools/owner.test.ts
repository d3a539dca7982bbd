// ownerAlive (lib/tools/owner.ts), through its ProcessProbe seam: what counts as a running owner.
import { ownerAlive, ProcessProbe, SYSTEM_PROCESSES } from '../../lib/tools/owner';

const OTHER = 2 ** 22 + 12345; // not this process

/** A machine with /proc where `pid` answers kill(0) with `error` (none: it runs) and has `state` and `start`. */
function probe(error: string | undefined, state = 'S', start = '777'): ProcessProbe {
  return {
    signal0: (pid) => {
      if (pid === OTHER && error) throw Object.assign(new Error(error), { code: error });
    },
    stat: (pid) => (pid === OTHER ? (error === 'ESRCH' ? null : { state, start }) : { state: 'R', start: '1' }),
  };
}

describe('ownerAlive', () => {
  test('a running owner with its start time is alive', () => {
    expect(ownerAlive({ pid: OTHER, start: 777 }, probe(undefined))).toBe(true);
  });
  test("EPERM (another user's live process) counts as alive, not dead", () => {
    expect(ownerAlive({ pid: OTHER, start: 777 }, probe('EPERM'))).toBe(true);
  });
  test('ESRCH (no such process) is dead', () => {
    expect(ownerAlive({ pid: OTHER, start: 777 }, probe('ESRCH'))).toBe(false);
  });
  test('a zombie is dead', () => {
    expect(ownerAlive({ pid: OTHER, start: 777 }, probe(undefined, 'Z'))).toBe(false);
  });
  test('another start time is another process (the pid was reused): dead', () => {
    expect(ownerAlive({ pid: OTHER, start: 778 }, probe(undefined))).toBe(false);
  });
  test('without /proc, a pid that answers kill(0) is alive', () => {
    const noProc: ProcessProbe = { signal0: () => undefined, stat: () => undefined };
    expect(ownerAlive({ pid: OTHER, start: 778 }, noProc)).toBe(true);
  });
  test('this process, on this machine, is alive', () => {
    expect(ownerAlive({ pid: process.pid, start: 0 }, SYSTEM_PROCESSES)).toBe(true);
  });
  test('a pid that is not a positive integer is no owner', () => {
    expect(ownerAlive({ pid: 0, start: 0 }, probe(undefined))).toBe(false);
    expect(ownerAlive({ pid: -1, start: 0 }, probe(undefined))).toBe(false);
  });
});
