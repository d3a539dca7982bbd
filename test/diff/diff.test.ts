// `npm run diff` on a real git repository (the example fleet): both sides from worktrees or the
// working tree, untracked files included, nothing of the checkout touched; exit 0 whether or not something changes (one exit-code table: lib/cli/failure.ts);
// the markdown summary groups clusters and stays under --max-bytes.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { effectiveAccessChanges } from '../../lib/diff/access-changes';
import { dangerousChanges, diffObjects, formatUnified, groupDiffs } from '../../lib/diff/fleet-diff';
import { accessChanges, formatMarkdown, imageChanges } from '../../lib/diff/markdown';
import { runCli } from '../support/cli';
import { PROJECT_ROOT, tempDir } from '../support/tree';

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');

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

const edit = (root: string, rel: string, from: string, to: string) => {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(file, text.split(from).join(to));
};

test('no change and a change: exit 0, the diff grouped and the count on stderr; a bad revision or a head that breaks a cluster: exit 1; no --base: exit 2', () => {
  const root = fleetRepo();
  expect(runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']).code).toBe(0);
  edit(root, 'clusters/talos-ottawa/flux/vars/cluster-settings.yaml', 'killinit.cc', 'killinit.io');
  const one = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']);
  expect(one.code).toBe(0);
  expect(one.stderr).toMatch(/diff: 1 of \d+ clusters change/);
  expect(one.stdout).toContain('=== cluster talos-ottawa');
  expect(one.stdout).toContain('-    - oci.killinit.cc\n+    - oci.killinit.io\n');
  expect(one.stdout).not.toContain('gke-uscentral1');
  edit(root, 'clusters/common/apps/zot/app/helmrelease.yaml', 'storage: 20Gi', 'storage: 30Gi');
  const all = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']);
  expect(all.stdout).toContain('=== 3 clusters: same change (gke-uscentral1, talos-robbinsdale, talos-stpetersburg)');
  expect(runCli('scripts/diff.ts', ['--base', 'no-such-ref', '--repo', root, '--no-helm']).code).toBe(1);
  // A head that breaks a cluster (a Kustomization path Flux cannot find) is a problem found: 1, the diff still printed.
  edit(
    root,
    'clusters/common/apps/zot/ks.yaml',
    'path: ./clusters/common/apps/zot/app',
    'path: ./clusters/common/apps/zot/apps',
  );
  const broken = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']);
  expect(broken.code).toBe(1);
  expect(broken.stderr).toMatch(/diff: head: talos-ottawa: Kustomization flux-system\/zot fails on talos-ottawa/);
  expect(broken.stderr).toMatch(/; on 4 the head has problems \(above\)\n$/);
  expect(broken.stdout).toContain('=== ');
  expect(runCli('scripts/diff.ts', ['--repo', root]).code).toBe(2);
});

test('untracked files count, committed heads compare by worktree, and the checkout is untouched', () => {
  const root = fleetRepo();
  git(root, 'stash', 'list');
  fs.cpSync(path.join(root, 'clusters/talos-ottawa'), path.join(root, 'clusters/talos-toronto'), { recursive: true });
  const status = git(root, 'status', '--porcelain');
  const r = runCli('scripts/diff.ts', ['--base', 'HEAD', '--repo', root, '--no-helm']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('=== cluster talos-toronto');
  expect(r.stdout).toContain('+++ b/HTTPRoute/zot/zot');
  expect(git(root, 'status', '--porcelain')).toBe(status);
  expect(git(root, 'stash', 'list')).toBe('');
  expect(git(root, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'toronto');
  const byRef = runCli('scripts/diff.ts', ['--base', 'HEAD~1', '--head', 'HEAD', '--repo', root, '--no-helm']);
  expect(byRef.code).toBe(0);
  expect(byRef.stdout).toContain('=== cluster talos-toronto');
});

describe('the summary', () => {
  const obj = (kind: string, extra: object) => ({
    id: `${kind}/zot/zot`,
    text: JSON.stringify(extra),
    object: { kind, metadata: { name: 'zot', namespace: 'zot' }, ...extra },
  });
  const release = (repos: object) =>
    obj('HelmRelease', {
      spec: {
        chart: { spec: { version: '0.1.98' } },
        values: {
          configFiles: {
            'config.json': JSON.stringify({
              http: { auth: { htpasswd: { path: '/secret/htpasswd' } }, accessControl: { repositories: repos } },
            }),
          },
        },
      },
    });

  test('names who gains or loses which action where, and image changes', () => {
    const before = new Map([
      [
        'HelmRelease/zot/zot',
        release({ '**': { policies: [{ users: ['ci'], actions: ['read'] }], defaultPolicy: [] } }),
      ],
    ]);
    const after = new Map([
      [
        'HelmRelease/zot/zot',
        release({ '**': { policies: [{ users: ['ci'], actions: ['read', 'create'] }], defaultPolicy: [] } }),
      ],
    ]);
    const changes = diffObjects(before, after);
    expect(accessChanges(changes)).toEqual(['user ci gains create on `**` (e.g. `a`; denied → allowed)']);
    const sts = (image: string) =>
      new Map([
        [
          'StatefulSet/zot/zot',
          obj('StatefulSet', { spec: { template: { spec: { containers: [{ name: 'zot', image }] } } } }),
        ],
      ]);
    expect(imageChanges(diffObjects(sts('zot:v2.1.14'), sts('zot:v2.1.18')))).toEqual([
      'StatefulSet/zot zot: `zot:v2.1.14` → `zot:v2.1.18`',
    ]);
  });

  test('--max-bytes keeps it under the limit and says what was cut', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      cluster: `c${i}`,
      changes: diffObjects(
        new Map(),
        new Map([[`ConfigMap/x/y${i}`, obj('ConfigMap', { data: { n: String(i).repeat(200) } })]]),
      ),
    }));
    const groups = groupDiffs(many);
    expect(groups).toHaveLength(30);
    const full = formatMarkdown(many, groups);
    const cut = formatMarkdown(many, groups, 4000);
    expect(Buffer.byteLength(full)).toBeGreaterThan(4000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4000);
    expect(cut).toMatch(/_Cut to fit 4000 bytes: .*the diffs of \d+ groups/);
  });
});

describe("access: effective changes per user and for anonymous, decided by zot's model", () => {
  const hr = (accessControl: object, auth = true) => ({
    kind: 'HelmRelease',
    metadata: { name: 'zot', namespace: 'zot' },
    spec: {
      chart: { spec: { version: '0.1.122' } },
      values: {
        configFiles: {
          'config.json': JSON.stringify({
            http: { ...(auth ? { auth: { htpasswd: { path: '/secret/htpasswd' } } } : {}), accessControl },
          }),
        },
      },
    },
  });
  const team = Array.from({ length: 10 }, (_, i) => `u${i}`);
  const admin = { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] };
  const before = {
    repositories: { '**': { policies: [{ users: team, actions: ['read', 'create'] }], defaultPolicy: [] } },
    adminPolicy: admin,
  };

  test('keys split and renamed with the same rights show nothing; two gains show as two lines, not a row per old key', () => {
    const same = {
      repositories: {
        'team/**': { policies: [{ users: team, actions: ['read', 'create'] }], defaultPolicy: [] },
        '**': { policies: [{ users: team, actions: ['create', 'read'] }], defaultPolicy: [] },
      },
      adminPolicy: admin,
    };
    expect(effectiveAccessChanges(hr(before), hr(same))).toEqual([]);
    const after = {
      repositories: {
        'team/**': {
          policies: [
            { users: team, actions: ['read', 'create'] },
            { users: ['ci'], actions: ['read', 'create'] },
          ],
          defaultPolicy: [],
        },
        '**': {
          policies: [{ users: team, actions: ['read', 'create'] }],
          defaultPolicy: [],
          anonymousPolicy: ['read'],
        },
      },
      adminPolicy: admin,
    };
    // doublestar: team/** matches `team` itself (zero segments)
    expect(effectiveAccessChanges(hr(before), hr(after))).toEqual([
      'user ci gains read, create on `team/**` (e.g. `team`; denied → allowed)',
      'anonymous gains read on `**` (e.g. `a`; denied → allowed)',
    ]);
  });

  test('a longer key that takes rights away is a loss for the users it hides, and anonymous write is loud', () => {
    const after = {
      repositories: {
        ...before.repositories,
        'private/**': {
          policies: [{ users: ['u0'], actions: ['read'] }],
          defaultPolicy: [],
          anonymousPolicy: ['read', 'create'],
        },
      },
      adminPolicy: admin,
    };
    const lines = effectiveAccessChanges(hr(before), hr(after));
    expect(lines).toContain('user u0 loses create on `private/**` (e.g. `private`; allowed → denied)');
    expect(lines).toContain('user u1 loses read, create on `private/**` (e.g. `private`; allowed → denied)');
    expect(lines).toContain(
      'anonymous gains read, create on `private/**` (e.g. `private`; denied → allowed) **ANONYMOUS WRITE**',
    );
    expect(lines.filter((l) => l.includes('user admin'))).toEqual([]); // adminPolicy still grants everything
  });

  test('authentication removed: every client is anonymous, a client that sends credentials too', () => {
    const open = { repositories: { '**': { anonymousPolicy: ['read'], policies: [], defaultPolicy: [] } } };
    // a client that sends credentials got nothing from anonymousPolicy; without authentication it is anonymous too
    expect(effectiveAccessChanges(hr(open), hr(open, false))).toEqual([
      'any other signed-in user gains read on `**` (e.g. `a`; denied → allowed)',
    ]);
    expect(effectiveAccessChanges(hr(open, false), hr(open, false))).toEqual([]);
    expect(effectiveAccessChanges(hr(before), hr(open, false))).toContain(
      'anonymous gains read on `**` (e.g. `a`; denied → allowed)',
    );
  });
});

describe('changes the API server refuses in place', () => {
  const sts = (storage: string, extra: object = {}) => ({
    kind: 'StatefulSet',
    metadata: { name: 'zot', namespace: 'zot', labels: { 'app.kubernetes.io/instance': 'zot' } },
    spec: {
      replicas: 2,
      serviceName: undefined,
      selector: { matchLabels: { app: 'zot' } },
      template: { spec: { containers: [{ name: 'zot', image: 'zot:v2.1.18' }] } },
      volumeClaimTemplates: [
        {
          metadata: { name: 'zot-pvc' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
        },
      ],
      ...extra,
    },
  });
  const hr = {
    kind: 'HelmRelease',
    metadata: { name: 'zot', namespace: 'zot' },
    spec: { chart: { spec: { version: '0.1.122' } }, values: {} },
  };
  const side = (...objects: any[]) =>
    new Map(
      objects.map((o) => [
        `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
        { id: '', text: JSON.stringify(o), object: o },
      ]),
    );

  test('a grown claim template: the field, both values, the orphan delete, the forced reconcile and the PVCs to grow by hand', () => {
    const changes = diffObjects(
      side(sts('20Gi'), hr),
      side(sts('30Gi'), { ...hr, spec: { ...hr.spec, values: { pvc: { storage: '30Gi' } } } }),
    );
    const [d, ...more] = dangerousChanges(changes);
    expect(more).toEqual([]);
    expect(d.what).toBe(
      'StatefulSet/zot (namespace zot) spec.volumeClaimTemplates: ' +
        '[{"metadata":{"name":"zot-pvc"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"20Gi"}},"volumeMode":"Filesystem"}}] → ' +
        '[{"metadata":{"name":"zot-pvc"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"30Gi"}},"volumeMode":"Filesystem"}}] is refused by the API server (immutable)',
    );
    expect(d.steps[0]).toContain('`kubectl -n zot delete statefulset zot --cascade=orphan`');
    expect(d.steps[1]).toContain('`flux reconcile helmrelease -n zot zot --force`');
    expect(d.steps[2]).toContain('`zot-pvc-zot-0`, `zot-pvc-zot-1`');
    expect(d.steps[2]).toContain('"storage":"30Gi"');
    expect(d.steps[2]).toContain('allowVolumeExpansion');
    const text = formatUnified(groupDiffs([{ cluster: 'a', changes }]));
    expect(text).toMatch(
      /^=== cluster a\n⚠ replaced by hand: StatefulSet\/zot \(namespace zot\) spec\.volumeClaimTemplates/,
    );
    const md = formatMarkdown([{ cluster: 'a', changes }], groupDiffs([{ cluster: 'a', changes }]));
    expect(md).toContain('**⚠ On 1 cluster, a change the API server refuses in place');
    expect(md).toContain('- ⚠ replaced by hand: StatefulSet/zot (namespace zot) spec.volumeClaimTemplates');
    expect(md).toContain('  1. `kubectl -n zot delete statefulset zot --cascade=orphan`');
  });

  test('serviceName, podManagementPolicy and selector are refused; replicas, template, updateStrategy and minReadySeconds are not; defaults count as set', () => {
    const fields = (b: any, a: any) =>
      dangerousChanges(diffObjects(side(b), side(a))).map((d) => /\) (\S+):/.exec(d.what)![1]);
    expect(
      fields(
        sts('1Gi'),
        sts('1Gi', {
          replicas: 3,
          minReadySeconds: 10,
          updateStrategy: { type: 'OnDelete' },
          template: { spec: { containers: [] } },
        }),
      ),
    ).toEqual([]);
    expect(fields(sts('1Gi'), sts('1Gi', { serviceName: 'zot-headless' }))).toEqual(['spec.serviceName']);
    expect(fields(sts('1Gi'), sts('1Gi', { podManagementPolicy: 'OrderedReady' }))).toEqual([]);
    expect(fields(sts('1Gi'), sts('1Gi', { podManagementPolicy: 'Parallel' }))).toEqual(['spec.podManagementPolicy']);
    const selector = dangerousChanges(
      diffObjects(side(sts('1Gi')), side(sts('1Gi', { selector: { matchLabels: { app: 'other' } } }))),
    );
    expect(selector.map((d) => /\) (\S+):/.exec(d.what)![1])).toEqual(['spec.selector']);
    expect(selector[0].steps[0]).toContain('`kubectl -n zot delete statefulset zot`');
    expect(selector[0].steps[0]).not.toContain('orphan');
    const dep = (app: string) => ({
      kind: 'Deployment',
      metadata: { name: 'zot', namespace: 'zot' },
      spec: { replicas: 1, selector: { matchLabels: { app } } },
    });
    expect(fields(dep('zot'), dep('x'))).toEqual(['spec.selector']);
    const svc = (type: string, clusterIP?: string) => ({
      kind: 'Service',
      metadata: { name: 'zot', namespace: 'zot' },
      spec: { type, clusterIP },
    });
    expect(fields(svc('ClusterIP', '10.0.0.1'), svc('ClusterIP', '10.0.0.2'))).toEqual(['spec.clusterIP']);
    expect(fields(svc('ClusterIP', '10.0.0.1'), svc('ClusterIP'))).toEqual([]);
    expect(fields(svc('ClusterIP'), svc('NodePort'))).toEqual([]);
  });

  test('a StatefulSet that goes away leaves its PVCs behind, and the diff says which', () => {
    const [d] = dangerousChanges(diffObjects(side(sts('20Gi')), side()));
    expect(d.what).toBe('StatefulSet/zot (namespace zot) is deleted; its PVCs `zot-pvc-zot-0`, `zot-pvc-zot-1` stay');
    expect(
      dangerousChanges(
        diffObjects(side(sts('20Gi', { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } })), side()),
      ),
    ).toEqual([]);
  });
});
