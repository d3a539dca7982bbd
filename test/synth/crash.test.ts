// Crash safety: synth killed (SIGKILL) before each of its file-system changes while it renames the
// app, then the next runs. Whatever the point, the next `--check` reports the interrupted run (or,
// killed before its journal existed, finds the tree untouched), the next synth completes or rolls
// back, and no temporary file is left. Two synths at once never mix their trees.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { ZotApp } from '../../lib/constructs/zot-app';
import { PROJECT_ROOT, hashTree, pinned, readTree, synth, tempDir } from '../support/tree';

const { bundle } = require('../../scripts/bundle.js') as { bundle(entry: string, outfile: string): unknown };
const CRASHER = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-crash-synth.js`);
beforeAll(() => bundle('test/support/crash-synth.ts', CRASHER));
afterAll(() => fs.rmSync(CRASHER, { force: true }));

const named = (name: string) => () => {
  const app = new App();
  new ZotApp(app, 'zot', pinned({ name }));
  return app;
};

function copyTree(from: string): string {
  const to = tempDir('zot-flux-crash-');
  fs.cpSync(from, to, { recursive: true });
  return to;
}

const leftovers = (root: string) =>
  [...readTree(root).keys()].filter((f) => /\.zot-flux\.(new|old)$|journal\.json|\/lock/.test(f));

test('killed before any one of its file-system changes, the next runs finish or undo it', () => {
  const base = tempDir();
  expect(synth(base, named('zot')).code).toBe(0);
  const before = hashTree(base);
  const expectedAfter = (() => {
    const t = copyTree(base);
    expect(synth(t, named('registry')).code).toBe(0);
    return hashTree(t);
  })();
  const dry = copyTree(base);
  const total = Number(
    spawnSync(process.execPath, [CRASHER, dry, 'registry', '0'], { encoding: 'utf8' }).stdout.trim(),
  );
  expect(total).toBeGreaterThan(20);
  expect(hashTree(dry)).toBe(expectedAfter);

  let interruptedSeen = 0;
  for (let n = 1; n <= total; n++) {
    const root = copyTree(base);
    const r = spawnSync(process.execPath, [CRASHER, root, 'registry', String(n)], { encoding: 'utf8' });
    expect([n, r.signal]).toEqual([n, 'SIGKILL']);
    const journal = fs.existsSync(path.join(root, '.zot-flux/journal.json'));
    const check = synth(root, named('registry'), ['--check']);
    if (journal) {
      interruptedSeen++;
      expect([n, check.code]).toEqual([n, 1]);
      expect(check.stderr).toContain('a synth was interrupted on this tree');
    } else {
      // Killed before the journal was in place (nothing staged yet) or after the run had committed
      // and cleaned up: the tree is one of the two whole trees.
      // The dead run's lock (and a journal it had not yet renamed into place) are transient state,
      // ignored by Git and cleaned by the next run.
      const clean = copyTree(root);
      for (const f of fs.readdirSync(path.join(clean, '.zot-flux')).filter((n) => /^lock\.\d+$/.test(n)))
        fs.rmSync(path.join(clean, '.zot-flux', f));
      fs.rmSync(path.join(clean, '.zot-flux/journal.json.tmp'), { force: true });
      expect([n, [before, expectedAfter].includes(hashTree(clean))]).toEqual([n, true]);
      expect([n, check.code]).toEqual([n, hashTree(clean) === expectedAfter ? 0 : 1]);
    }
    // Either way the next synth leaves exactly its own tree, with nothing temporary around.
    const next = copyTree(root);
    expect([n, synth(next, named('registry')).code]).toEqual([n, 0]);
    expect([n, hashTree(next)]).toEqual([n, expectedAfter]);
    const back = copyTree(root);
    expect([n, synth(back, named('zot')).code]).toEqual([n, 0]);
    expect([n, hashTree(back)]).toEqual([n, before]);
    expect([n, leftovers(next), leftovers(back)]).toEqual([n, [], []]);
  }
  expect(interruptedSeen).toBeGreaterThan(total / 2);
}, 120_000);

test('two synths with different props on one tree: one waits for the other, never a mixed tree', async () => {
  const base = tempDir();
  expect(synth(base, named('zot')).code).toBe(0);
  const wholeA = (() => {
    const t = copyTree(base);
    synth(t, named('alpha'));
    return hashTree(t);
  })();
  const wholeB = (() => {
    const t = copyTree(base);
    synth(t, named('beta'));
    return hashTree(t);
  })();
  const run = (root: string, name: string) =>
    new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [CRASHER, root, name, '0'], { stdio: 'ignore' });
      child.on('exit', (code) => resolve(code ?? -1));
    });
  for (let i = 0; i < 6; i++) {
    const root = copyTree(base);
    const codes = await Promise.all([run(root, 'alpha'), run(root, 'beta')]);
    expect(codes).toEqual([0, 0]);
    expect([wholeA, wholeB]).toContain(hashTree(root));
    expect(leftovers(root)).toEqual([]);
  }
}, 120_000);

test('a lock held by a live synth stops a second one after the wait, naming the owner', () => {
  const root = tempDir();
  expect(synth(root).code).toBe(0);
  fs.writeFileSync(
    path.join(root, '.zot-flux/lock'),
    JSON.stringify({ pid: process.pid, host: require('os').hostname(), started: 'now' }),
  );
  const { synthesize } = require('../../lib/synth/synthesize');
  expect(() => synthesize(named('zot')(), root, { lockWaitMs: 200 })).toThrow(`.zot-flux/lock: 'pid ${process.pid}`);
  fs.rmSync(path.join(root, '.zot-flux/lock'));
  // A lock whose owner is dead is taken over.
  fs.writeFileSync(
    path.join(root, '.zot-flux/lock'),
    JSON.stringify({ pid: 2 ** 22 + 12345, host: require('os').hostname(), started: 'then' }),
  );
  expect(synth(root, named('zot')).code).toBe(0);
  expect(fs.existsSync(path.join(root, '.zot-flux/lock'))).toBe(false);
});
