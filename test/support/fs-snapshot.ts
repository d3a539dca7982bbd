// A tree as lstat sees it, links not followed: the fault-injection and property tests compare the
// output root, the folders around it and the user's Git state byte for byte with these.
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Every entry under `dir` (links not followed): path → `file <sha256>`, `link <target>`, `dir` or `other`. */
export function snapshot(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (skip(rel)) continue;
      const st = fs.lstatSync(full);
      if (st.isSymbolicLink()) out.set(rel, `link ${fs.readlinkSync(full)}`);
      else if (st.isDirectory()) {
        out.set(rel, 'dir');
        walk(full);
      } else if (st.isFile()) out.set(rel, `file ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
      else out.set(rel, 'other');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** The paths whose entries differ between two snapshots. */
export function changedPaths(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

export function git(root: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** What the user sees of their Git state: status (untracked included) and the staged diff. */
export function gitState(root: string): string {
  return `${git(root, 'status', '--porcelain=v1', '--untracked-files=all')}\n--- staged ---\n${git(root, 'diff', '--cached')}`;
}
