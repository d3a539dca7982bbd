// `npm run diff` with the real helm and the chart packages of ../shared: a grown storageSize is
// marked as a change the API server refuses in place, with the steps; enabling helm tests brings
// the chart's test Pods into the diff, and only then.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../support/cli';
import { PROJECT_ROOT, SHARED, tempDir } from '../support/tree';

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const CHARTS = path.join(SHARED, 'charts', 'zot');
const HR = 'clusters/common/apps/zot/app/helmrelease.yaml';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

function fleetRepo(): string {
  const root = tempDir('zot-flux-diff-');
  fs.cpSync(FLEET, root, { recursive: true });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  return root;
}

function edit(root: string, from: string, to: string): void {
  const file = path.join(root, HR);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(file, text.split(from).join(to));
}

test('a grown storageSize: danger in the unified and the markdown output, naming the StatefulSet, the field, the steps and the PVCs', () => {
  const root = fleetRepo();
  edit(root, 'storage: 20Gi', 'storage: 30Gi');
  const text = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--charts', CHARTS]);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain('⚠ replaced by hand: StatefulSet/zot (namespace zot) spec.volumeClaimTemplates: ');
  expect(text.stdout).toContain('"storage":"20Gi"');
  expect(text.stdout).toContain('1. `kubectl -n zot delete statefulset zot --cascade=orphan`');
  expect(text.stdout).toContain('2. then `flux reconcile helmrelease -n zot zot --force`');
  expect(text.stdout).toMatch(/3\. the existing PVCs keep their size: grow each by hand \(`zot-pvc-zot-0`\)/);
  const md = runCli('scripts/diff.ts', [
    '--base',
    'HEAD',
    '--repo',
    root,
    '--charts',
    CHARTS,
    '--format',
    'markdown',
    '--max-bytes',
    '3000',
  ]);
  expect(md.code).toBe(0);
  expect(md.stdout).toMatch(/\*\*⚠ On 4 clusters, a change the API server refuses in place/);
  expect(md.stdout).toContain('- ⚠ replaced by hand: StatefulSet/zot (namespace zot) spec.volumeClaimTemplates');
  expect(md.stderr).toContain(
    'diff: 4 of 4 clusters change; 2 chart render(s); on 4 a change the API server refuses in place (⚠ replaced by hand)',
  );
});

test('helm test Pods appear in the diff when the HelmRelease enables tests, not before', () => {
  const root = fleetRepo();
  const base = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--charts', CHARTS]);
  expect(base.code).toBe(0);
  edit(root, '  interval: 30m\n', '  interval: 30m\n  test:\n    enable: true\n');
  const r = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--charts', CHARTS]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/diff: [1-9]\d* of 4 clusters change/);
  expect(r.stdout).toContain('+++ b/Pod/zot/zot-test-connection\n');
  expect(r.stdout).not.toContain('⚠');
});
