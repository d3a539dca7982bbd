// Changing one prop changes exactly the files that should change, and the output is deterministic.
import { App } from 'cdk8s';
import { ZotApp, ZotAppProps } from '../../lib/constructs/zot-app';
import { zotCan } from '../../lib/zot/access';
import { appWith, doc, pinned, readTree, synth, tempDir } from '../support/tree';

const APP = 'clusters/common/apps/zot';

function treeOf(props: ZotAppProps): Map<string, string> {
  const root = tempDir();
  // Another chart version: --no-render, since a user's CI has only the fixture chart (test/fixtures/charts);
  // rendering judges what runs and writes no file, so the files compared are the same.
  const r = synth(root, () => appWith(props), props.release?.chartVersion !== undefined ? ['--no-render'] : []);
  if (r.code !== 0) throw new Error(r.stderr);
  return readTree(root);
}

function changedFiles(a: Map<string, string>, b: Map<string, string>): string[] {
  const files = new Set([...a.keys(), ...b.keys()]);
  return [...files].filter((f) => a.get(f) !== b.get(f)).sort();
}

const seed = treeOf({});

describe('one prop, exactly the right files', () => {
  test('same input, same bytes', () => {
    expect(changedFiles(seed, treeOf({}))).toEqual([]);
  });

  test.each<[string, ZotAppProps, string[]]>([
    ['chart version', { release: { chartVersion: '0.1.99' } }, [`${APP}/README.md`, `${APP}/app/helmrelease.yaml`]],
    ['storage size', { release: { storageSize: '50Gi' } }, [`${APP}/README.md`, `${APP}/app/helmrelease.yaml`]],
    [
      'port',
      { release: { port: 8080 } },
      [`${APP}/README.md`, `${APP}/app/helmrelease.yaml`, `${APP}/app/httproute.yaml`],
    ],
    ['gateways', { route: { gateways: ['ts', 'internal'] } }, [`${APP}/README.md`, `${APP}/app/httproute.yaml`]],
    ['route annotations', { route: { annotations: {} } }, [`${APP}/app/httproute.yaml`]],
    ['request timeout', { route: { requestTimeout: '300s' } }, [`${APP}/README.md`, `${APP}/app/httproute.yaml`]], // the README's HTTP section states the timeouts
    ['log level', { release: { logLevel: 'debug' } }, [`${APP}/app/helmrelease.yaml`]],
    ['flux interval', { kustomization: { interval: '10m' } }, [`${APP}/ks.yaml`]],
    ['postBuild from the parent', { kustomization: { parentInjectsPostBuild: true } }, [`${APP}/ks.yaml`]],
    [
      'repository url',
      { helmRepository: { url: 'oci://ghcr.io/project-zot/helm-charts', type: 'oci' } },
      [`${APP}/README.md`, 'clusters/common/flux/repositories/helm/zot.yaml'],
    ],
  ])('%s', (_what, props, expected) => {
    expect(changedFiles(seed, treeOf(props))).toEqual(expected);
  });

  test('port: one value in zot http.port, the Service, the container and the route backend', () => {
    const t = treeOf({ release: { port: 8080 } });
    const hr = doc(t, `${APP}/app/helmrelease.yaml`);
    expect(JSON.parse(hr.spec.values.configFiles['config.json']).http.port).toBe('8080');
    expect(hr.spec.values.service.port).toBe(8080);
    expect(hr.spec.values.httpGet.port).toBe(8080);
    expect(doc(t, `${APP}/app/httproute.yaml`).spec.rules[0].backendRefs[0].port).toBe(8080);
  });

  test('a request timeout lands in the route rule, and one the Gateway API cannot parse is refused', () => {
    expect(
      doc(treeOf({ route: { requestTimeout: '300s' } }), `${APP}/app/httproute.yaml`).spec.rules[0].timeouts,
    ).toEqual({ request: '300s' });
    const r = synth(tempDir(), () => appWith({ route: { requestTimeout: '5 minutes' } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("spec.rules[0].timeouts.request: '5 minutes' does not match");
  });

  test('hostnames, gateway namespace and users flow into the route, config.json and ks.yaml', () => {
    const t = treeOf({
      route: { hostnames: ['registry.${CLUSTER_DOMAIN}'], gatewayNamespace: 'gateways' },
      release: {
        users: [
          { name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true },
          { name: 'puller', variable: 'ZOT_PULL', actions: ['read'] },
          {
            name: 'ci',
            variable: 'ZOT_CI',
            actions: ['read', 'create', 'update'],
            source: { kind: 'Secret', name: 'ci-secrets' },
          },
        ],
      },
    });
    const route = doc(t, `${APP}/app/httproute.yaml`);
    expect(route.spec.hostnames).toEqual(['registry.${CLUSTER_DOMAIN}']);
    expect(route.spec.parentRefs.every((p: any) => p.namespace === 'gateways')).toBe(true);
    const hr = doc(t, `${APP}/app/helmrelease.yaml`);
    expect(hr.spec.values.secretFiles.htpasswd).toBe('${COMMON_OCI}\n${ZOT_PULL}\n${ZOT_CI}');
    const config = JSON.parse(hr.spec.values.configFiles['config.json']);
    // What each user may do, as zot decides it from the compiled config (lib/zot/access.ts).
    const can = (user: string, action: 'read' | 'create' | 'update' | 'delete', repo: string) =>
      zotCan(config.http.accessControl, { user }, action, repo, 'v2.1.18');
    expect(['read', 'create', 'update', 'delete'].map((a) => can('admin', a as any, 'x/y'))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([can('puller', 'read', 'x/y'), can('puller', 'create', 'x/y')]).toEqual([true, false]);
    expect([can('ci', 'read', 'x/y'), can('ci', 'create', 'x/y'), can('ci', 'delete', 'x/y')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(config.http.accessControl.adminPolicy.users).toEqual(['admin']);
    expect(doc(t, `${APP}/ks.yaml`).spec.postBuild.substituteFrom).toEqual([
      { kind: 'ConfigMap', name: 'cluster-settings' },
      { kind: 'Secret', name: 'common-secrets' },
      { kind: 'Secret', name: 'ci-secrets' },
    ]);
  });
});

test('two zot apps can share one HelmRepository: one repository file, one entry, both releases point at it', () => {
  const root = tempDir();
  const r = synth(root, () => {
    const app = new App();
    const first = new ZotApp(app, 'zot', pinned());
    new ZotApp(
      app,
      'zot-cache',
      pinned({
        name: 'zot-cache',
        sharedHelmRepository: first.helmRepository,
        route: { hostnames: ['cache.${CLUSTER_DOMAIN}'] },
      }),
    );
    return app;
  });
  expect(r.code).toBe(0);
  const t = readTree(root);
  expect([...t.keys()].filter((f) => f.includes('repositories/helm'))).toEqual([
    'clusters/common/flux/repositories/helm/kustomization.yaml',
    'clusters/common/flux/repositories/helm/zot.yaml',
  ]);
  expect(doc(t, 'clusters/common/flux/repositories/helm/kustomization.yaml').resources).toEqual(['./zot.yaml']);
  for (const name of ['zot', 'zot-cache']) {
    expect(doc(t, `clusters/common/apps/${name}/app/helmrelease.yaml`).spec.chart.spec.sourceRef).toEqual({
      kind: 'HelmRepository',
      name: 'zot',
      namespace: 'flux-system',
    });
  }
  expect(doc(t, 'clusters/common/apps/zot-cache/app/httproute.yaml').spec.rules[0].backendRefs[0].name).toBe(
    'zot-cache',
  );
});

test('a ${VAR} in chart values gets its source into ks.yaml, once per source', () => {
  const root = tempDir();
  const app = () =>
    appWith({
      release: { valuesOverrides: { nodeSelector: { 'topology.kubernetes.io/zone': '${ZONE}' } } },
      variableSources: {
        CLUSTER_DOMAIN: { kind: 'ConfigMap', name: 'cluster-settings' },
        ZONE: { kind: 'ConfigMap', name: 'site-settings', optional: true },
      },
    });
  expect(synth(root, app).code).toBe(0);
  expect(doc(readTree(root), `${APP}/ks.yaml`).spec.postBuild.substituteFrom).toEqual([
    { kind: 'ConfigMap', name: 'cluster-settings' },
    { kind: 'Secret', name: 'common-secrets' },
    { kind: 'ConfigMap', name: 'site-settings', optional: true },
  ]);
});
