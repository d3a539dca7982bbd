// diff's worktrees: it touches only those it made (named for its pid and start time), never runs
// `git worktree prune`, and the next diff removes what a killed one left, and nothing else. Each case
// checks the user's git state byte for byte: the worktree list, status, staged changes and index.
import { execFileSync, spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ownerAlive, selfId } from '../../lib/tools/owner';
import { addWorktree, removeLeftWorktrees, worktreeOwner } from '../../lib/tools/git';
import { PROJECT_ROOT, tempDir } from '../support/tree';

const { bundle } = require('../../scripts/bundle.js') as { bundle(entry: string, outfile: string): unknown };
const CRASHER = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-crash-diff.js`);
beforeAll(() => bundle('test/support/crash-diff.ts', CRASHER));
afterAll(() => fs.rmSync(CRASHER, { force: true }));

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const ours = (base: string) =>
  fs
    .readdirSync(base)
    .filter((n) => n.startsWith('zot-flux-diff-'))
    .sort();

interface UserRepo {
  root: string;
  wt: string;
  away: string;
  base: string;
}

/**
 * The example fleet in two commits, with the user's work in progress: a staged and an unstaged edit
 * and an untracked file in the checkout; a worktree of their own on a branch with a staged edit, its
 * folder moved away (an unmounted disk: git lists it as prunable); and a prunable worktree of their
 * own whose name merely starts as diff's do.
 */
function userRepo(): UserRepo {
  const top = tempDir('zot-flux-git-');
  const root = path.join(top, 'repo');
  fs.cpSync(FLEET, root, { recursive: true });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  const vars = path.join(root, 'clusters/talos-ottawa/flux/vars/cluster-settings.yaml');
  fs.writeFileSync(vars, fs.readFileSync(vars, 'utf8').replace('killinit.cc', 'killinit.io'));
  git(root, 'commit', '-qam', 'head');
  const wt = path.join(top, 'mine');
  git(root, 'worktree', 'add', '-q', '-b', 'mine', wt);
  fs.appendFileSync(path.join(wt, 'README.md'), 'staged in my worktree\n');
  git(wt, 'add', 'README.md');
  const lookalike = path.join(top, 'zot-flux-diff-x1y2z3');
  git(root, 'worktree', 'add', '-q', '--detach', lookalike);
  fs.rmSync(lookalike, { recursive: true });
  fs.appendFileSync(path.join(root, 'README.md'), 'staged\n');
  git(root, 'add', 'README.md');
  fs.appendFileSync(path.join(root, 'README.md'), 'unstaged\n');
  fs.writeFileSync(path.join(root, 'untracked.txt'), 'mine\n');
  git(root, 'status', '--porcelain');
  git(wt, 'status', '--porcelain');
  const away = path.join(top, 'elsewhere');
  fs.renameSync(wt, away);
  const base = path.join(top, 'scratch');
  fs.mkdirSync(base);
  return { root, wt, away, base };
}

/** The user's git state, read without writing anything (index bytes first: `git status` may refresh them). */
function userState(u: UserRepo): Record<string, string> {
  const adminDir = path.join(u.root, '.git/worktrees/mine');
  return {
    index: sha(path.join(u.root, '.git/index')),
    worktreeIndex: sha(path.join(adminDir, 'index')),
    worktreeAdmin: fs.readdirSync(adminDir).sort().join(','),
    list: git(u.root, 'worktree', 'list', '--porcelain'),
    status: git(u.root, 'status', '--porcelain'),
    cached: git(u.root, 'diff', '--cached'),
    stash: git(u.root, 'stash', 'list'),
  };
}

const diffArgs = (u: UserRepo) => ['--base', 'HEAD~1', '--head', 'HEAD', '--repo', u.root, '--no-helm'];
const runDiff = (u: UserRepo, killAt: number) =>
  spawnSync(process.execPath, [CRASHER, String(killAt), ...diffArgs(u)], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: u.base },
  });

test("a diff leaves the user's worktrees alone, prunable ones included, and its own none behind", () => {
  const u = userRepo();
  const before = userState(u);
  expect(before.list).toContain('prunable');
  const r = runDiff(u, 0);
  expect(r.stdout).toBe(`10 0\n`);
  expect(userState(u)).toEqual(before);
  expect(ours(u.base)).toEqual([]);
  // The user's worktree, back in place, holds its staged work.
  fs.renameSync(u.away, u.wt);
  expect(git(u.wt, 'diff', '--cached')).toContain('+staged in my worktree');
}, 60_000);

test('diff killed before each worktree step: the next diff removes what it left, and nothing else', () => {
  const u = userRepo();
  const before = userState(u);
  const total = Number(runDiff(u, 0).stdout.split(' ')[0]);
  expect(total).toBe(10);
  let leftSeen = 0;
  for (let n = 1; n <= total; n++) {
    const killed = runDiff(u, n);
    expect([n, killed.signal]).toEqual([n, 'SIGKILL']);
    const registered = git(u.root, 'worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => /^worktree .*\/zot-flux-diff-\d+-\d+-\w{6}$/.test(l));
    const left = registered.length + ours(u.base).length > 0;
    if (left) leftSeen++;
    if (n === 7) expect(registered).toHaveLength(2); // both worktrees added, killed before removing the first
    const next = runDiff(u, 0);
    expect([n, next.status, next.stderr]).toEqual([n, 0, expect.stringContaining('1 of 4 clusters change')]);
    expect([n, next.stderr.includes('left by a diff that was killed')]).toEqual([n, left]);
    expect([n, userState(u)]).toEqual([n, before]);
    expect([n, ours(u.base)]).toEqual([n, []]);
  }
  expect(leftSeen).toBeGreaterThanOrEqual(total - 2);
}, 180_000);

describe('whose leftovers', () => {
  test('the owner is a process named by pid and start time', () => {
    expect(ownerAlive(selfId())).toBe(true);
    const done = spawnSync(process.execPath, ['-e', '0']);
    expect(ownerAlive({ pid: done.pid!, start: 0 })).toBe(false);
    expect(ownerAlive({ pid: process.pid, start: selfId().start + 1 })).toBe(selfId().start === 0);
    expect(worktreeOwner('/dev/shm/zot-flux-diff-12-345-aB3dE9')).toEqual({ pid: 12, start: 345 });
    expect(worktreeOwner('/dev/shm/zot-flux-diff-aB3dE9')).toBeUndefined();
    expect(worktreeOwner('/dev/shm/zot-flux-diff-12-345-aB3dE9/tree')).toBeUndefined();
  });

  test("a live diff's worktree stays; a dead or reused pid's goes, locked (killed while adding) or not", async () => {
    const u = userRepo();
    const sleeper = spawn('sleep', ['60']);
    try {
      const live = fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
      const at = (name: string) => path.join(u.base, name);
      git(u.root, 'worktree', 'add', '-q', '--detach', at(`zot-flux-diff-${sleeper.pid}-${live}-aaaaaa`));
      git(u.root, 'worktree', 'add', '-q', '--detach', at(`zot-flux-diff-${sleeper.pid}-${Number(live) + 1}-bbbbbb`));
      git(u.root, 'worktree', 'add', '-q', '--detach', at('zot-flux-diff-999999999-1-cccccc'));
      fs.writeFileSync(path.join(u.root, '.git/worktrees/zot-flux-diff-999999999-1-cccccc/locked'), 'initializing');
      // A user's worktree on a branch, named as ours and with a dead owner: not detached, so not ours.
      git(u.root, 'worktree', 'add', '-q', '-b', 'feature', at('zot-flux-diff-999999999-1-dddddd'));
      fs.mkdirSync(at('zot-flux-diff-999999999-1-eeeeee')); // killed between mkdtemp and worktree add
      fs.symlinkSync(u.root, at('zot-flux-diff-999999999-1-ffffff'));
      const before = userState(u);
      const removed = removeLeftWorktrees(u.root, u.base)
        .map((p) => path.basename(p))
        .sort();
      expect(removed).toEqual(
        [
          'zot-flux-diff-999999999-1-cccccc',
          `zot-flux-diff-${sleeper.pid}-${Number(live) + 1}-bbbbbb`,
          'zot-flux-diff-999999999-1-eeeeee',
        ].sort(),
      );
      expect(ours(u.base)).toEqual([
        `zot-flux-diff-${sleeper.pid}-${live}-aaaaaa`,
        'zot-flux-diff-999999999-1-dddddd',
        'zot-flux-diff-999999999-1-ffffff',
      ]);
      const after = userState(u);
      expect(after.list).toBe(
        before.list
          .split('\n\n')
          .filter((b) => !/bbbbbb|cccccc/.test(b))
          .join('\n\n'),
      );
      expect({ ...after, list: '' }).toEqual({ ...before, list: '' });
      expect(fs.existsSync(path.join(u.root, 'README.md'))).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
    }
  }, 60_000);

  test("a worktree another repository's killed diff left stays for that repository", () => {
    const a = userRepo();
    const b = userRepo();
    git(b.root, 'worktree', 'add', '-q', '--detach', path.join(a.base, 'zot-flux-diff-999999999-1-gggggg'));
    expect(removeLeftWorktrees(a.root, a.base)).toEqual([]);
    expect(removeLeftWorktrees(b.root, a.base)).toEqual([path.join(a.base, 'zot-flux-diff-999999999-1-gggggg')]);
    expect(ours(a.base)).toEqual([]);
  }, 60_000);

  test('addWorktree names its folder for this process, and remove() takes away only it', () => {
    const u = userRepo();
    const before = userState(u);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = u.base;
    try {
      const w = addWorktree(u.root, 'HEAD');
      expect(worktreeOwner(w.dir)).toEqual(selfId());
      expect(fs.existsSync(path.join(w.dir, 'clusters'))).toBe(true);
      w.remove();
      w.remove();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(userState(u)).toEqual(before);
    expect(ours(u.base)).toEqual([]);
  }, 60_000);
});
