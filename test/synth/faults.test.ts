// Fault injection through the writer's WriterFs seam, on a Git repository with the user's own
// staged and unstaged work: an app and HelmRepository rename (files written, replaced and removed,
// folders created and removed, an entry edited in a hand-written kustomization.yaml) is
//   - failed with ENOSPC (a short write) and EROFS (EACCES takes the same path: owned-data.test.ts) at every one of its file-system changes:
//     a refusal naming the path and the errno's meaning, and the tree and Git state byte for byte as before;
//   - killed before every one of its changes (every later change fails, as in a dead process), then
//     recovered: the tree is the whole old tree or the whole new one, Git state to match;
//   - killed again at every change of that recovery, then recovered: the same.
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../../lib/core/error';
import { applyPlan, interruptedRun, nodeFs, recoverInterruptedRun, WriterFs } from '../../lib/synth/apply';
import { planTree } from '../../lib/synth/plan';
import { renderApp } from '../../lib/synth/render';
import { changedPaths, git, gitState, snapshot } from '../support/fs-snapshot';
import { appWith, synth, tempDir } from '../support/tree';

const REPOS = 'clusters/common/flux/repositories/helm/kustomization.yaml';
const RENAMED = renderApp(appWith({ name: 'registry', helmRepository: { name: 'zot-charts' } }));
const noGit = (rel: string) => rel === '.git' || rel.startsWith('.git/');

type Op = 'writeFileSync' | 'renameSync' | 'unlinkSync' | 'mkdirSync' | 'rmdirSync';
const OPS: Op[] = ['writeFileSync', 'renameSync', 'unlinkSync', 'mkdirSync', 'rmdirSync'];

/** An io that calls `at(n, op, args)` before its n-th change (1-based); `at` may throw. */
function seam(at: (n: number, op: Op, args: string[]) => void): WriterFs & { count(): number } {
  let n = 0;
  const io: any = { ...nodeFs, count: () => n };
  for (const op of OPS)
    io[op] = (...args: string[]) => {
      at(++n, op, args);
      return (nodeFs as any)[op](...args);
    };
  return io;
}

/** An io that behaves as a dead process from its n-th change on: that change and every later one never happen. */
function killedAt(n: number): WriterFs {
  return seam((i) => {
    if (i >= n) throw Object.assign(new Error(`killed at ${n}`), { killed: true });
  });
}

/** The user's repository: the seed app over a hand-written shared kustomization, committed, then work staged and unstaged. */
function userRepo(): string {
  const root = tempDir('zot-flux-faults-');
  fs.mkdirSync(path.join(root, path.dirname(REPOS)), { recursive: true });
  fs.writeFileSync(
    path.join(root, REPOS),
    'resources:\n  - ./cilium.yaml\nconfigMapGenerator:\n  - name: x\n    files:\n      - ./zot.yaml\n',
  );
  fs.writeFileSync(path.join(root, 'NOTES.md'), '# notes\n- ./zot.yaml\n');
  expect(synth(root).code).toBe(0);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'seed');
  fs.appendFileSync(path.join(root, 'NOTES.md'), '- staged\n');
  git(root, 'add', 'NOTES.md');
  fs.appendFileSync(path.join(root, 'NOTES.md'), '- not staged\n');
  fs.writeFileSync(path.join(root, 'untracked.txt'), 'mine\n');
  return root;
}

function copy(from: string): string {
  const to = tempDir('zot-flux-faults-');
  fs.cpSync(from, to, { recursive: true });
  return to;
}

interface State {
  tree: Map<string, string>;
  git: string;
}
const state = (root: string): State => ({ tree: snapshot(root, noGit), git: gitState(root) });

const base = userRepo();
const before = state(base);
const after = (() => {
  const t = copy(base);
  applyPlan(planTree(t, RENAMED));
  return state(t);
})();
const total = (() => {
  const io = seam(() => undefined);
  applyPlan(planTree(copy(base), RENAMED), io);
  return io.count();
})();

test('the rename changes what it should (and nothing the user owns)', () => {
  expect(total).toBeGreaterThan(30);
  const changed = changedPaths(before.tree, after.tree);
  expect(changed).toContain(REPOS);
  expect(
    changed.filter(
      (p) =>
        !p.startsWith('clusters/common/apps/') &&
        !p.startsWith('.zot-flux/') &&
        p !== REPOS &&
        p !== 'clusters/common/flux/repositories/helm/zot.yaml' &&
        p !== 'clusters/common/flux/repositories/helm/zot-charts.yaml',
    ),
  ).toEqual([]);
  // The user's staged work is still staged, their unstaged and untracked work still there.
  expect(before.git).toMatch(/^MM NOTES\.md$/m);
  expect(after.git).toMatch(/^MM NOTES\.md$/m);
  expect(after.git).toMatch(/^\?\? untracked\.txt$/m);
  expect(after.git.split('--- staged ---')[1]).toBe(before.git.split('--- staged ---')[1]);
  expect(after.git.split('--- staged ---')[1]).toContain('+- staged');
});

describe.each([
  [
    'ENOSPC',
    'no space left on the device (ENOSPC): free some space on that disk (df -h shows which) and run synth again',
  ],
  ['EROFS', 'the file system is read-only (EROFS)'],
])('%s at each change of the write', (code, meaning) => {
  test(`every point: refused, naming the path and "${meaning}"; the tree and Git state as before (or, after the commit, as after once finished)`, () => {
    const seen = { undone: 0, committed: 0 };
    for (let n = 1; n <= total; n++) {
      const root = copy(base);
      const plan = planTree(root, RENAMED);
      const io = seam((i, op, args) => {
        if (i !== n) return;
        if (op === 'writeFileSync' && code === 'ENOSPC') fs.writeFileSync(args[0], String(args[1]).slice(0, 7));
        throw Object.assign(new Error(`${code}: injected`), { code });
      });
      let caught: unknown;
      try {
        applyPlan(plan, io);
      } catch (e) {
        caught = e;
      }
      expect([n, ZotFluxError.isZotFluxError(caught)]).toEqual([n, true]);
      const message = (caught as Error).message;
      expect([n, message]).toEqual([n, expect.stringContaining(meaning)]);
      expect([n, /^[^:]+: (could not be written|was written, but its clean-up failed)/.test(message)]).toEqual([
        n,
        true,
      ]);
      if (message.includes('could not be written')) {
        expect([n, message]).toEqual([n, expect.stringContaining('Synth changed nothing: every file is as it was')]);
        expect([n, changedPaths(before.tree, snapshot(root, noGit))]).toEqual([n, []]);
        expect([n, gitState(root)]).toEqual([n, before.git]);
        seen.undone++;
      } else {
        seen.committed++;
        // The new tree was committed; the clean-up the fault stopped is finished by the next run.
        expect([n, interruptedRun(root)]).toEqual([n, true]);
        expect([n, recoverInterruptedRun(root)]).toEqual([n, 'completed']);
        expect([n, changedPaths(after.tree, snapshot(root, noGit))]).toEqual([n, []]);
        expect([n, gitState(root)]).toEqual([n, after.git]);
      }
    }
    // Every change before the commit is undone; only the clean-up after it (set-aside files, emptied folders, the journal) is left to the next run.
    expect(seen.undone).toBeGreaterThan(seen.committed);
    expect(seen.committed).toBeGreaterThan(0);
  }, 120_000);
});

test('killed before each change, then recovered: the whole old tree or the whole new one, Git state to match', () => {
  let rolledBack = 0;
  for (let n = 1; n <= total + 1; n++) {
    const root = copy(base);
    const plan = planTree(root, RENAMED);
    if (n <= total) expect(() => applyPlan(plan, killedAt(n))).toThrow(`killed at ${n}`);
    else applyPlan(plan, killedAt(n));
    const outcome = recoverInterruptedRun(root);
    const now = state(root);
    const whole = changedPaths(before.tree, now.tree).length === 0 ? before : after;
    if (whole === before) rolledBack++;
    expect([n, outcome, changedPaths(whole.tree, now.tree)]).toEqual([n, outcome, []]);
    expect([n, now.git]).toEqual([n, whole.git]);
  }
  expect(rolledBack).toBeGreaterThan(total / 2);
}, 120_000);

test('killed, then killed again at each change of the recovery, then recovered: still one whole tree', () => {
  const trees = [before.tree, after.tree];
  let cases = 0;
  for (const n of [3, 6, Math.floor(total / 2), total - 8, total - 3, total - 1]) {
    const crashed = copy(base);
    expect(() => applyPlan(planTree(crashed, RENAMED), killedAt(n))).toThrow();
    const count = seam(() => undefined);
    recoverInterruptedRun(copy(crashed), count);
    for (let m = 1; m <= count.count(); m++) {
      const root = copy(crashed);
      expect(() => recoverInterruptedRun(root, killedAt(m))).toThrow(`killed at ${m}`);
      recoverInterruptedRun(root);
      const now = snapshot(root, noGit);
      expect([n, m, trees.some((t) => changedPaths(t, now).length === 0)]).toEqual([n, m, true]);
      cases++;
    }
  }
  expect(cases).toBeGreaterThan(20);
}, 120_000);
