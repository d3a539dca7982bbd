// `npm run diff` on a real git repository (the example fleet): both sides from worktrees or the
// working tree, untracked files included, nothing of the checkout touched; exit codes as diff(1);
// the markdown summary groups clusters and stays under --max-bytes.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { diffObjects, groupDiffs } from '../../lib/diff/fleet-diff';
import { accessChanges, formatMarkdown, imageChanges } from '../../lib/diff/markdown';
import { runCli } from '../support/cli';
import { PROJECT_ROOT, tempDir } from '../support/tree';

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
}

function fleetRepo(): string {
  const root = tempDir('zot-flux-diff-');
  fs.cpSync(FLEET, root, { recursive: true });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  return root;
}

const edit = (root: string, rel: string, from: string, to: string) => {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(file, text.split(from).join(to));
};

test('no change: exit 0; a change: exit 1 and the diff, grouped; a bad revision: exit 2', () => {
  const root = fleetRepo();
  expect(runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']).code).toBe(0);
  edit(root, 'clusters/talos-ottawa/flux/vars/cluster-settings.yaml', 'killinit.cc', 'killinit.io');
  const one = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']);
  expect(one.code).toBe(1);
  expect(one.stdout).toContain('=== cluster talos-ottawa');
  expect(one.stdout).toContain('-    - oci.killinit.cc\n+    - oci.killinit.io\n');
  expect(one.stdout).not.toContain('gke-uscentral1');
  edit(root, 'clusters/common/apps/zot/app/helmrelease.yaml', 'storage: 20Gi', 'storage: 30Gi');
  const all = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']);
  expect(all.stdout).toContain('=== 3 clusters: same change (gke-uscentral1, talos-robbinsdale, talos-stpetersburg)');
  expect(runCli('scripts/diff.ts', ['--base', 'no-such-ref', '--repo', root, '--no-helm']).code).toBe(2);
  expect(runCli('scripts/diff.ts', ['--repo', root]).code).toBe(2);
});

test('untracked files count, committed heads compare by worktree, and the checkout is untouched', () => {
  const root = fleetRepo();
  git(root, 'stash', 'list');
  fs.cpSync(path.join(root, 'clusters/talos-ottawa'), path.join(root, 'clusters/talos-toronto'), { recursive: true });
  const status = git(root, 'status', '--porcelain');
  const r = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('=== cluster talos-toronto');
  expect(r.stdout).toContain('+++ b/HTTPRoute/zot/zot');
  expect(git(root, 'status', '--porcelain')).toBe(status);
  expect(git(root, 'stash', 'list')).toBe('');
  expect(git(root, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'toronto');
  const byRef = runCli('scripts/diff.ts', ['--base', 'HEAD~1', '--head', 'HEAD', '--repo', root, '--no-helm']);
  expect(byRef.code).toBe(1);
  expect(byRef.stdout).toContain('=== cluster talos-toronto');
});

describe('the summary', () => {
  const obj = (kind: string, extra: object) => ({ id: `${kind}/zot/zot`, text: JSON.stringify(extra), object: { kind, metadata: { name: 'zot', namespace: 'zot' }, ...extra } });
  const release = (repos: object) => obj('HelmRelease', {
    spec: { chart: { spec: { version: '0.1.98' } }, values: { configFiles: { 'config.json': JSON.stringify({ http: { auth: { htpasswd: { path: '/secret/htpasswd' } }, accessControl: { repositories: repos } } }) } } },
  });

  test('names who gains or loses which action where, and image changes', () => {
    const before = new Map([['HelmRelease/zot/zot', release({ '**': { policies: [{ users: ['ci'], actions: ['read'] }], defaultPolicy: [] } })]]);
    const after = new Map([['HelmRelease/zot/zot', release({ '**': { policies: [{ users: ['ci'], actions: ['read', 'create'] }], defaultPolicy: [] } })]]);
    const changes = diffObjects(before, after);
    expect(accessChanges(changes)).toEqual(['user ci gains create on `**` (denied → allowed)']);
    const sts = (image: string) => new Map([['StatefulSet/zot/zot', obj('StatefulSet', { spec: { template: { spec: { containers: [{ name: 'zot', image }] } } } })]]);
    expect(imageChanges(diffObjects(sts('zot:v2.1.14'), sts('zot:v2.1.18')))).toEqual(['StatefulSet/zot zot: `zot:v2.1.14` → `zot:v2.1.18`']);
  });

  test('--max-bytes keeps it under the limit and says what was cut', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ cluster: `c${i}`, changes: diffObjects(new Map(), new Map([[`ConfigMap/x/y${i}`, obj('ConfigMap', { data: { n: String(i).repeat(200) } })]])) }));
    const groups = groupDiffs(many);
    expect(groups).toHaveLength(30);
    const full = formatMarkdown(many, groups);
    const cut = formatMarkdown(many, groups, 4000);
    expect(Buffer.byteLength(full)).toBeGreaterThan(4000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4000);
    expect(cut).toMatch(/_Cut to fit 4000 bytes: .*the diffs of \d+ groups/);
  });
});
