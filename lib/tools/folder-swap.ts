// A folder replaced whole (imports/ by `npm run import`): the new one is built beside it as
// `<folder>.new-<pid>`, the old one renamed to `<folder>.old-<pid>`, the new one renamed in, the old one
// removed. A kill between the two renames leaves no folder; the next run puts the old one back.
import * as fs from 'fs';
import * as path from 'path';
import { ownerAlive } from './owner';

/** Where the new content of `folder` is built by this process. */
export function stagingFolder(folder: string): string {
  return `${folder}.new-${process.pid}`;
}

/** Puts `staged` in place of `folder` (which may be absent): two renames, then the old copy goes. */
export function swapInFolder(staged: string, folder: string): void {
  const old = `${folder}.old-${process.pid}`;
  if (fs.existsSync(folder)) fs.renameSync(folder, old);
  fs.renameSync(staged, folder);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * What a killed swap of `folder` left, by a dead process only (a running one's are its own):
 * `<folder>.new-<pid>` is removed; `<folder>.old-<pid>` is put back when `folder` is missing, else removed.
 * Returns one line per leftover handled, for the command to print.
 */
export function recoverKilledSwap(folder: string): string[] {
  const base = path.basename(folder);
  const said: string[] = [];
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(new|old)-(\\d+)$`);
  for (const name of fs.readdirSync(path.dirname(folder)).sort()) {
    const m = pattern.exec(name);
    if (!m || ownerAlive({ pid: Number(m[2]), start: 0 })) continue;
    const leftover = path.join(path.dirname(folder), name);
    if (m[1] === 'old' && !fs.existsSync(folder)) {
      fs.renameSync(leftover, folder);
      said.push(`put back ${base}/ from ${name}, left by a run that was killed`);
    } else {
      fs.rmSync(leftover, { recursive: true, force: true });
      said.push(`removed ${name}, left by a run that was killed`);
    }
  }
  return said;
}
