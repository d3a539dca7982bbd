// A real full disk (a small tmpfs; skipped where mount is not allowed): synth's rename fails for
// lack of space at whatever point the space runs out, and the tree is byte for byte as before, with
// exit 1 naming the path and saying what ENOSPC means.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { snapshot } from '../support/fs-snapshot';
import { appWith, mountAllowed, synth, tempDir, testIf } from '../support/tree';

const mounts: string[] = [];
function tmpfs(size: string): string | undefined {
  const dir = tempDir('zot-flux-disk-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
});

testIf(mountAllowed(), 'mount is not allowed here')(
  'out of space at every point of a rename: exit 1 naming the path, the tree as before',
  () => {
    const probe = tmpfs('1m');
    if (!probe) throw new Error('the tmpfs mount failed, although the probe could mount one');
    const seed = path.join(probe, 'repo');
    fs.mkdirSync(seed);
    expect(synth(seed, () => appWith(), ['--no-render']).code).toBe(0);
    const outcomes = { refused: 0, written: 0, stagedBeforeFull: 0 };
    // Leave 0..24 pages free after the seed: the staged files, the journal or the record run out of space in turn.
    for (let free = 0; free <= 24; free += 2) {
      const disk = tmpfs('256k')!;
      const root = path.join(disk, 'repo');
      fs.cpSync(seed, root, { recursive: true });
      const fill = path.join(disk, 'filler');
      const fd = fs.openSync(fill, 'w');
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(4096));
      } catch (e: any) {
        expect(e.code).toBe('ENOSPC');
      }
      fs.closeSync(fd);
      fs.truncateSync(fill, Math.max(0, fs.statSync(fill).size - free * 4096));
      const before = snapshot(disk);
      const r = synth(root, () => appWith({ name: 'registry' }), ['--no-render']);
      if (r.code === 0) {
        outcomes.written++;
        continue;
      }
      outcomes.refused++;
      expect([free, r.code]).toEqual([free, 1]);
      expect([free, snapshot(disk)]).toEqual([free, before]);
      if (r.stderr.includes('.zot-flux/lock')) continue; // no room even for the lock (lib/synth/lock.ts says so)
      expect([free, r.stderr]).toEqual([
        free,
        expect.stringMatching(
          /^synth: error: \S+: could not be written: no space left on the device \(ENOSPC\): free some space on that disk \(df -h shows which\) and run synth again\. Synth changed nothing: every file is as it was$/m,
        ),
      ]);
      if (/^synth: error: clusters\//.test(r.stderr)) outcomes.stagedBeforeFull++;
    }
    expect(outcomes.refused).toBeGreaterThan(2);
    expect(outcomes.stagedBeforeFull).toBeGreaterThan(0);
    expect(outcomes.written).toBeGreaterThan(0);
  },
  60_000,
);
