// A folder replaced whole (imports/ by npm run import) survives a kill between its two renames:
// the next run puts the old copy back, and removes what a dead run staged; a live run's are left alone.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { recoverKilledSwap, stagingFolder, swapInFolder } from '../../lib/tools/folder-swap';
import { hashTree, tempDir } from '../support/tree';

/** A pid no process has: one that ran and exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function folderWith(dir: string, name: string, files: Record<string, string>): string {
  const f = path.join(dir, name);
  fs.mkdirSync(f, { recursive: true });
  for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(f, k), v);
  return f;
}

test('a swap replaces the folder whole and leaves nothing beside it', () => {
  const dir = tempDir();
  const out = folderWith(dir, 'imports', { 'a.ts': 'old' });
  const next = stagingFolder(out);
  folderWith(dir, path.basename(next), { 'a.ts': 'new', 'b.ts': 'new' });
  swapInFolder(next, out);
  expect(fs.readdirSync(dir)).toEqual(['imports']);
  expect(fs.readFileSync(path.join(out, 'a.ts'), 'utf8')).toBe('new');
});

test('killed between the two renames: the next run puts the old folder back, byte for byte', () => {
  const dir = tempDir();
  const out = folderWith(dir, 'imports', { 'a.ts': 'old', 'k8s.ts': 'x' });
  const before = hashTree(out);
  const pid = deadPid();
  fs.renameSync(out, `${out}.old-${pid}`); // the first rename, then the kill
  folderWith(dir, `imports.new-${pid}`, { 'a.ts': 'half' });
  expect(recoverKilledSwap(out)).toEqual([
    `removed imports.new-${pid}, left by a run that was killed`,
    `put back imports/ from imports.old-${pid}, left by a run that was killed`,
  ]);
  expect(fs.readdirSync(dir)).toEqual(['imports']);
  expect(hashTree(out)).toBe(before);
});

test("killed after the swap: the old copy goes; a live run's folders and other names stay", () => {
  const dir = tempDir();
  const out = folderWith(dir, 'imports', { 'a.ts': 'new' });
  const pid = deadPid();
  folderWith(dir, `imports.old-${pid}`, { 'a.ts': 'old' });
  folderWith(dir, `imports.new-${process.pid}`, { 'a.ts': 'mine' });
  folderWith(dir, 'imports.old-notapid', {});
  folderWith(dir, 'imports-old-1', {});
  expect(recoverKilledSwap(out)).toEqual([`removed imports.old-${pid}, left by a run that was killed`]);
  expect(fs.readdirSync(dir).sort()).toEqual([
    'imports',
    'imports-old-1',
    `imports.new-${process.pid}`,
    'imports.old-notapid',
  ]);
  expect(fs.readFileSync(path.join(out, 'a.ts'), 'utf8')).toBe('new');
});
