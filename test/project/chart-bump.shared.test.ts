// A chart bump, as Renovate makes it: in a temporary copy of the project, ZOT_CHART_VERSION goes from
// the oldest supported chart to the newest, the post-upgrade command (`npm run synth`, README
// "Dependency updates") regenerates the tree, and then the drift check is clean and the whole
// `npm test` is green there: no test keeps a copy of the output or of the version.
// (A shared suite: it runs the project's suite again, which takes a minute.)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SUPPORTED_CHART_VERSIONS } from '../../lib/zot/chart-versions';
import { PROJECT_ROOT, tempDir } from '../support/tree';

const CHART_FILE = 'lib/zot/chart.ts';

function run(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd, ...env }, maxBuffer: 64 << 20, timeout: 600_000 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function setVersion(root: string, version: string): void {
  const file = path.join(root, CHART_FILE);
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(/^export const ZOT_CHART_VERSION = '[^']+';$/m, `export const ZOT_CHART_VERSION = '${version}';`);
  expect(next).toContain(`ZOT_CHART_VERSION = '${version}'`);
  fs.writeFileSync(file, next);
}

test('oldest → newest chart: the post-upgrade command leaves the drift check clean and npm test green', () => {
  if (process.env.ZOT_FLUX_INSIDE_CHART_BUMP) return; // the copy's own run of this suite
  const oldest = SUPPORTED_CHART_VERSIONS[0];
  const newest = SUPPORTED_CHART_VERSIONS[SUPPORTED_CHART_VERSIONS.length - 1];
  expect(oldest).not.toBe(newest);
  const root = path.join(tempDir('zot-flux-bump-'), 'project');
  fs.cpSync(PROJECT_ROOT, root, {
    recursive: true,
    filter: (src) => !['node_modules', '.git', 'dist', '.bench', 'coverage'].includes(path.basename(src)) || path.dirname(src) !== PROJECT_ROOT,
  });
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));

  setVersion(root, oldest);
  expect(run(root, 'npm', ['run', '-s', 'synth', '--', '--quiet']).code).toBe(0);
  const before = fs.readFileSync(path.join(root, 'clusters/common/apps/zot/app/helmrelease.yaml'), 'utf8');
  expect(before).toContain(`version: ${oldest}`);

  setVersion(root, newest);
  expect(run(root, 'npm', ['run', '-s', 'synth', '--', '--check']).code).toBe(1); // the bump alone is drift
  const post = run(root, 'npm', ['run', '-s', 'synth']);
  expect(post.code).toBe(0);
  expect(fs.readFileSync(path.join(root, 'clusters/common/apps/zot/app/helmrelease.yaml'), 'utf8')).toContain(`version: ${newest}`);
  expect(run(root, 'npm', ['run', '-s', 'synth', '--', '--check']).code).toBe(0);
  const suite = run(root, 'npm', ['test', '--silent'], { ZOT_FLUX_INSIDE_CHART_BUMP: '1' });
  const failures = suite.out.split('\n').filter((l) => /✕|●/.test(l)).join('\n');
  expect([suite.code, suite.code === 0 ? '' : `${failures}\n${suite.out.slice(-2000)}`]).toEqual([0, '']);
}, 600_000);
