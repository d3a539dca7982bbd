// synth's rendering step: no helm where none can run means a refusal that says what to install,
// and a warm cache means helm does not run again.
import * as fs from 'fs';
import * as path from 'path';
import { HELM_MISSING, judgeRenderedReleases } from '../../lib/synth/chart-render';
import { ZotFluxError } from '../../lib/core/error';
import { appWith, PROJECT_ROOT, readTree, synth, tempDir } from '../support/tree';

const charts = path.join(PROJECT_ROOT, 'test', 'fixtures', 'charts');

function files(): Map<string, string> {
  const root = tempDir();
  expect(synth(root, () => appWith(), ['--no-render']).code).toBe(0);
  return readTree(root);
}

test('on macOS or arm64 with no helm on PATH: refused, naming what to install and the --no-render way out', () => {
  for (const host of [
    { platform: 'darwin', arch: 'arm64', searchPath: '/nonexistent' },
    { platform: 'linux', arch: 'arm64', searchPath: '' },
  ]) {
    let err: unknown;
    try {
      judgeRenderedReleases(files(), { dirs: [charts], cacheDir: tempDir() }, host);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZotFluxError);
    expect((err as Error).message).toContain(`helm: ${HELM_MISSING}`);
    expect((err as Error).message).toContain('--no-render');
  }
});

test("a warm cache renders nothing again: the second judgment takes helm's output from the cache", () => {
  const cacheDir = tempDir();
  const tree = files();
  const cold = judgeRenderedReleases(tree, { dirs: [charts], cacheDir });
  const warm = judgeRenderedReleases(tree, { dirs: [charts], cacheDir });
  expect([cold.releases, cold.fromCache, cold.errors]).toEqual([1, 0, []]);
  expect([warm.releases, warm.fromCache, warm.errors]).toEqual([1, 1, []]);
  expect(fs.readdirSync(path.join(cacheDir, 'helm-template'))).toHaveLength(1);
});

test('--no-render writes, and the summary line says what was not judged; --charts and --no-render exclude each other', () => {
  const root = tempDir();
  const r = synth(root, () => appWith(), ['--no-render']);
  expect(r.stdout).toContain('NOT RENDERED (--no-render): what will run was not judged');
  const judged = synth(tempDir(), () => appWith());
  expect(judged.stdout).toMatch(/; 1 zot release rendered with helm and judged\n$/);
  expect(synth(tempDir(), () => appWith(), ['--no-render', '--charts', charts]).code).toBe(2);
});
