// The production props through ZotApp and synth: each worked example synthesizes, its files mean what
// the props say, and bad combinations are refused with the reason. The real chart renders them in
// production.shared.test.ts.
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ZotApp, ZotAppProps } from '../../lib/constructs/zot-app';
import { renderApp } from '../../lib/synth/render';
import { zotReleaseCheck } from '../../lib/checks/zot-release';
import { substituteObject } from '../../lib/flux/substitute-object';
import { validateAgainstCrd } from '../../lib/k8s/schema';
import { ZotFluxError } from '../../lib/core/error';
import { SUPPORTED_CHART_VERSIONS, knownBadChartReason, zotVersionOfChart } from '../../lib/zot/chart-versions';
import { compareZotVersions } from '../../lib/zot/config-keys';
import { chartRenders } from '../../lib/zot/features/chart-values';
import { appWith, doc, pinned, readTree, seedTree, synth, tempDir, TEST_CHART_VERSION } from '../support/tree';
import {
  ANONYMOUS_METRICS_EXAMPLE,
  EXAMPLE_VARIABLES,
  HASH_KEY_EXAMPLES,
  HTTP_EXAMPLE,
  LATER_SETUP_EXAMPLE,
  METRICS_EXAMPLE,
  POD_EXAMPLE,
  SCALE_OUT_EXAMPLE,
  STORAGE_EXAMPLE,
  SYNC_EXAMPLE,
} from './production-examples';

const APP = 'clusters/common/apps/zot';
const GOOD_CHARTS = SUPPORTED_CHART_VERSIONS.filter((v) => !knownBadChartReason(v));

/** Synth into a temp folder; the tree. */
function synthTree(props: ZotAppProps): Map<string, string> {
  const root = tempDir();
  const r = synth(root, () => appWith(props));
  if (r.code !== 0) throw new Error(r.stderr);
  return readTree(root);
}

/** The app's files as synth renders them (for the hashKey examples, whose key length only Flux's value gives). */
function renderFiles(props: ZotAppProps): Map<string, string> {
  const app = new App();
  new ZotApp(app, 'zot', pinned(props));
  return new Map(renderApp(app).files);
}

const docs = (text: string) => (yaml.loadAll(text) as any[]).filter(Boolean);
const configOf = (hr: any) => JSON.parse(hr.spec.values.configFiles['config.json']);
const flux = (obj: any) => substituteObject(obj, EXAMPLE_VARIABLES, { generation: '2.9', strict: true }) as any;

function refusal(props: ZotAppProps): string {
  try {
    appWith(props);
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the worked examples synthesize and mean what they say', () => {
  test('storage: S3 on the in-cluster endpoint, keys from the ObjectBucketClaim Secret via env, retention in config.json', () => {
    const tree = synthTree(STORAGE_EXAMPLE);
    const hr = doc(tree, `${APP}/app/helmrelease.yaml`);
    const config = configOf(hr);
    expect(config.storage.storageDriver).toMatchObject({
      name: 's3',
      bucket: 'zot-registry',
      regionendpoint: '${S3_ENDPOINT}',
      forcepathstyle: true,
    });
    expect(config.storage.dedupe).toBe(false);
    expect(config.storage.retention.policies.map((p: any) => p.repositories)).toEqual([['ci/**'], ['**']]);
    expect(hr.spec.values.env).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'zot-bucket', key: 'AWS_ACCESS_KEY_ID' } } },
      {
        name: 'AWS_SECRET_ACCESS_KEY',
        valueFrom: { secretKeyRef: { name: 'zot-bucket', key: 'AWS_SECRET_ACCESS_KEY' } },
      },
    ]);
    const obc = doc(tree, `${APP}/app/objectbucketclaim.yaml`);
    expect(obc).toMatchObject({
      kind: 'ObjectBucketClaim',
      metadata: { name: 'zot-bucket' },
      spec: { bucketName: 'zot-registry', storageClassName: 'ceph-bucket' },
    });
    expect(doc(tree, `${APP}/app/kustomization.yaml`).resources).toEqual([
      'helmrelease.yaml',
      'httproute.yaml',
      'objectbucketclaim.yaml',
    ]);
    const ks = doc(tree, `${APP}/ks.yaml`);
    expect(ks.spec.dependsOn).toEqual([{ name: 'rook-ceph-cluster' }]);
    expect(ks.spec.postBuild.substituteFrom).toEqual([
      { kind: 'ConfigMap', name: 'cluster-settings' },
      { kind: 'Secret', name: 'common-secrets' },
    ]);
    expect(validateAgainstCrd(ks)).toEqual([]);
    // on a cluster, after Flux: the deployed zot starts with it
    expect(zotReleaseCheck(flux(hr)).errors).toEqual([]);
    const readme = tree.get(`${APP}/README.md`)!;
    expect(readme).toContain('Images live in S3 bucket `zot-registry` at `${S3_ENDPOINT}`');
    expect(readme).toContain(
      '| `ci/**` | tags, 10 most recently pushed; or tags `^v[0-9]+\\.`, pulled within 720h | deleted | deleted |',
    );
  });

  test('cache and scale-out: redis, three cluster members under the headless Service, the hashKey from its variable, a PDB', () => {
    const files = renderFiles(SCALE_OUT_EXAMPLE);
    const hr = docs(files.get(`${APP}/app/helmrelease.yaml`)!)[0];
    const config = configOf(hr);
    expect(config.storage).toMatchObject({
      remoteCache: true,
      cacheDriver: { name: 'redis', url: 'redis://redis-master.redis.svc:6379/0', keyprefix: 'zot' },
    });
    expect(config.cluster).toEqual({
      members: ['zot-0.zot-headless:5000', 'zot-1.zot-headless:5000', 'zot-2.zot-headless:5000'],
      hashKey: '${ZOT_CLUSTER_HASH_KEY}',
    });
    expect(hr.spec.values).toMatchObject({
      replicaCount: 3,
      serviceHeadless: { enabled: true, port: 5000 },
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    });
    expect(docs(files.get(`${APP}/ks.yaml`)!)[0].spec.postBuild.substituteFrom).toContainEqual({
      kind: 'Secret',
      name: 'common-secrets',
    });
    // with the variable's 16 bytes, zot starts; with a shorter one it would not
    expect(zotReleaseCheck(flux(hr)).errors).toEqual([]);
    const short = substituteObject(
      hr,
      { ...EXAMPLE_VARIABLES, ZOT_CLUSTER_HASH_KEY: 'too-short' },
      { generation: '2.9', strict: true },
    );
    expect(zotReleaseCheck(short).errors.join('\n')).toContain('cluster.hashKey');
  });

  test('sync: the credentials file with one line per registry in the chart Secret, the config pointing at it', () => {
    const tree = synthTree(SYNC_EXAMPLE);
    const hr = doc(tree, `${APP}/app/helmrelease.yaml`);
    expect(hr.spec.values.secretFiles).toEqual({
      htpasswd: '${COMMON_OCI}',
      'sync-credentials.json': '{\n"ghcr.io": ${ZOT_SYNC_GHCR}\n}',
    });
    const sync = configOf(hr).extensions.sync;
    expect(sync.credentialsFile).toBe('/secret/sync-credentials.json');
    expect(sync.registries.map((r: any) => [r.urls[0], r.onDemand, r.pollInterval])).toEqual([
      ['https://ghcr.io', true, undefined],
      ['https://index.docker.io', false, '24h'],
    ]);
    const after = flux(hr);
    expect(JSON.parse(after.spec.values.secretFiles['sync-credentials.json'])).toEqual({
      'ghcr.io': JSON.parse(EXAMPLE_VARIABLES.ZOT_SYNC_GHCR),
    });
    expect(zotReleaseCheck(after).errors).toEqual([]);
    expect(tree.get(`${APP}/README.md`)).toContain(
      '| `https://ghcr.io` | on demand | `project-zot/**` → `ghcr/project-zot/**` | `ZOT_SYNC_GHCR` (`ghcr.io`) |',
    );
  });

  test('metrics: the prometheus user is the only metrics user; the chart ServiceMonitor signs in with the Secret', () => {
    const tree = synthTree(METRICS_EXAMPLE);
    const hr = doc(tree, `${APP}/app/helmrelease.yaml`);
    const config = configOf(hr);
    expect(config.http.accessControl.metrics).toEqual({ users: ['prometheus'] });
    expect(config.extensions.metrics).toEqual({ enable: true, prometheus: { path: '/metrics' } });
    expect(hr.spec.values.metrics).toEqual({
      enabled: true,
      serviceMonitor: {
        enabled: true,
        interval: '1m',
        path: '/metrics',
        basicAuth: { secretName: 'zot-metrics-auth', usernameKey: 'username', passwordKey: 'password' },
      },
    });
    expect(hr.spec.values.secretFiles.htpasswd).toBe('${COMMON_OCI}\n${ZOT_PROMETHEUS}');
  });

  test('anonymous metrics: an app ServiceMonitor with the Prometheus label, a dashboard that Flux leaves alone, a Probe of the route', () => {
    const tree = synthTree(ANONYMOUS_METRICS_EXAMPLE);
    const config = configOf(doc(tree, `${APP}/app/helmrelease.yaml`));
    expect(config.http.accessControl.metrics).toEqual({ anonymousPolicy: ['read'] });
    const sm = doc(tree, `${APP}/app/servicemonitor.yaml`);
    expect(sm.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(sm.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'zot',
      'app.kubernetes.io/instance': 'zot',
    });
    expect(sm.spec.endpoints).toEqual([{ port: 'zot', path: '/metrics', interval: '30s' }]);
    const dash = doc(tree, `${APP}/app/dashboard.yaml`);
    expect(dash.metadata.annotations['kustomize.toolkit.fluxcd.io/substitute']).toBe('disabled');
    const json = dash.data['zot-dashboard.json'];
    expect(json).not.toContain('${');
    expect(
      JSON.parse(json)
        .panels.map((p: any) => p.targets[0].expr)
        .join(' '),
    ).toContain('zot_http_requests_total{job="zot"}');
    const probe = doc(tree, `${APP}/app/probe.yaml`);
    expect(probe.spec.targets.staticConfig.static).toEqual(['https://oci.${CLUSTER_DOMAIN}/livez']);
    expect(doc(tree, `${APP}/app/kustomization.yaml`).resources).toEqual([
      'helmrelease.yaml',
      'httproute.yaml',
      'servicemonitor.yaml',
      'probe.yaml',
      'dashboard.yaml',
    ]);
    expect(tree.get(`${APP}/README.md`)).toContain('**/metrics is anonymous: the route serves it too');
  });

  test('HTTP: docker2s2, 30m in zot and on the route, the BackendTrafficPolicy on the route', () => {
    const tree = synthTree(HTTP_EXAMPLE);
    const config = configOf(doc(tree, `${APP}/app/helmrelease.yaml`));
    expect(config.http).toMatchObject({ compat: ['docker2s2'], readTimeout: '30m', writeTimeout: '30m' });
    expect(doc(tree, `${APP}/app/httproute.yaml`).spec.rules[0].timeouts).toEqual({ request: '30m' });
    const btp = doc(tree, `${APP}/app/backendtrafficpolicy.yaml`);
    expect(btp.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'zot' }]);
    expect(btp.spec.healthCheck.passive).toMatchObject({ consecutive5XxErrors: 5, maxEjectionPercent: 50 });
    expect(tree.get(`${APP}/README.md`)).toContain(
      'Timeouts: zot reads a request for up to `30m` and writes a response for up to `30m`; the route allows `30m` per request.',
    );
  });

  test('pod: startupProbe, resources and placement as chart values', () => {
    const values = doc(synthTree(POD_EXAMPLE), `${APP}/app/helmrelease.yaml`).spec.values;
    expect(values.startupProbe).toEqual({ initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 30 });
    expect(values.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '2Gi' } });
    expect(values.nodeSelector).toEqual({ 'node-role.kubernetes.io/storage': 'true' });
    expect(values.tolerations).toHaveLength(1);
    expect(values.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
  });

  test('the later setup of the seed repository: every feature at once, every object of the app folder listed', () => {
    expect(HASH_KEY_EXAMPLES.has(LATER_SETUP_EXAMPLE)).toBe(true);
    const files = renderFiles(LATER_SETUP_EXAMPLE);
    expect(docs(files.get(`${APP}/app/kustomization.yaml`)!)[0].resources).toEqual([
      'helmrelease.yaml',
      'httproute.yaml',
      'objectbucketclaim.yaml',
      'backendtrafficpolicy.yaml',
      'servicemonitor.yaml',
      'probe.yaml',
      'dashboard.yaml',
    ]);
    for (const f of ['objectbucketclaim', 'backendtrafficpolicy', 'servicemonitor', 'probe', 'dashboard'])
      expect(files.has(`${APP}/app/${f}.yaml`)).toBe(true);
    const hr = docs(files.get(`${APP}/app/helmrelease.yaml`)!)[0];
    expect(zotReleaseCheck(flux(hr)).errors).toEqual([]);
    // the app ServiceMonitor drops the headless Service scale-out adds
    const sm = docs(files.get(`${APP}/app/servicemonitor.yaml`)!)[0];
    expect(sm.spec.endpoints[0].relabelings).toEqual([
      { sourceLabels: ['__meta_kubernetes_service_name'], regex: 'zot-headless', action: 'drop' },
    ]);
    expect(validateAgainstCrd(docs(files.get(`${APP}/ks.yaml`)!)[0])).toEqual([]);
  });
});

describe('the seed is unchanged', () => {
  test('no production prop set: the same files, no production section in the README, no env, no extra files', () => {
    const tree = seedTree();
    expect([...tree.keys()].filter((k) => k.startsWith(`${APP}/app/`))).toEqual([
      `${APP}/app/helmrelease.yaml`,
      `${APP}/app/httproute.yaml`,
      `${APP}/app/kustomization.yaml`,
    ]);
    const hr = doc(tree, `${APP}/app/helmrelease.yaml`);
    expect(hr.spec.values.env).toBeUndefined();
    expect(configOf(hr).storage).toEqual({ rootDirectory: '/var/lib/registry' });
    expect(tree.get(`${APP}/README.md`)).not.toContain('## Production settings');
    expect(doc(tree, `${APP}/ks.yaml`).spec.dependsOn).toBeUndefined();
  });
});

describe('refused, with the reason', () => {
  const s3 = { type: 's3' as const, bucket: 'zot', endpoint: 'http://rgw' };
  test.each<[string, ZotAppProps, string]>([
    [
      'two replicas on the PVC',
      { release: { replicas: 2 } },
      'release.replicas: 2 is more than 1, which needs shared storage',
    ],
    [
      'two replicas on S3 without a cache',
      { release: { replicas: 2, storage: s3, scaleOut: { hashKeyVariable: 'K' } } },
      'a remote cache',
    ],
    [
      'scale-out with one replica',
      {
        release: {
          storage: s3,
          remoteCache: { type: 'redis', url: 'redis://r:6379' },
          scaleOut: { hashKeyVariable: 'K' },
        },
      },
      'release.scaleOut: is set with replicas 1',
    ],
    [
      'the chart ServiceMonitor with scale-out',
      {
        release: {
          replicas: 2,
          storage: s3,
          remoteCache: { type: 'redis', url: 'redis://r:6379' },
          scaleOut: { hashKeyVariable: 'K' },
          metrics: { anonymous: true, serviceMonitor: {} },
        },
      },
      'also selects the headless Service zot-headless',
    ],
    [
      'a ServiceMonitor zot would answer 401',
      { release: { metrics: {} }, extraResources: { serviceMonitor: {} } },
      `cannot read /metrics: no credentials and no anonymous access: zot ${zotVersionOfChart(TEST_CHART_VERSION)} answers 401`,
    ],
    [
      'the chart ServiceMonitor as an admin',
      { release: { metrics: { serviceMonitor: { basicAuth: { secretName: 's', user: 'admin' } } } } },
      'accessControl.metrics.users is empty',
    ],
    [
      'two ServiceMonitors',
      { release: { metrics: { anonymous: true, serviceMonitor: {} } }, extraResources: { serviceMonitor: {} } },
      'would scrape every pod twice',
    ],
    [
      'a dashboard without metrics',
      { extraResources: { dashboard: {} } },
      'extraResources.dashboard: needs release.metrics',
    ],
    [
      'a bucket claim for local storage',
      { extraResources: { objectBucketClaim: { storageClassName: 'ceph-bucket' } } },
      "needs release.storage { type: 's3'",
    ],
    [
      'a bucket claim with other keys',
      {
        release: { storage: { ...s3, credentials: { secretName: 'mine' } } },
        extraResources: { objectBucketClaim: { storageClassName: 'ceph-bucket' } },
      },
      "release.storage.credentials.secretName: 'mine' is not the Secret the ObjectBucketClaim 'zot-bucket' gets its keys in",
    ],
    [
      'Envoy with no request timeout anywhere',
      { extraResources: { backendTrafficPolicy: { retry: { numRetries: 1 } } } },
      'Envoy cuts every request at 15 s while zot allows 30m',
    ],
    [
      'two request timeouts that differ',
      {
        route: { requestTimeout: '30m' },
        extraResources: { backendTrafficPolicy: { timeout: { http: { requestTimeout: '10m' } } } },
      },
      "differs from route.requestTimeout ('30m'), which Envoy Gateway applies instead",
    ],
    [
      'a timeout field not typed here',
      {
        route: { requestTimeout: '5m' },
        extraResources: { backendTrafficPolicy: { timeout: { http: { streamIdleTimeout: '1m' } } as any } },
      },
      'spec.timeout.http.streamIdleTimeout: unknown field',
    ],
    [
      'a retry trigger Envoy Gateway refuses',
      {
        route: { requestTimeout: '5m' },
        extraResources: { backendTrafficPolicy: { retry: { retryOn: { triggers: ['5xx', 'always'] as any } } } },
      },
      'is not one of',
    ],
    [
      'a BackendTrafficPolicy field not typed here',
      { route: { requestTimeout: '5m' }, extraResources: { backendTrafficPolicy: { rateLimit: {} } as any } },
      'extraResources.backendTrafficPolicy.rateLimit: is not a prop here',
    ],
    [
      'a Probe URL with a scheme',
      { extraResources: { probe: { prober: 'http://blackbox:9115' } } },
      'is host:port of the blackbox exporter',
    ],
    [
      'a dependsOn that is not a name',
      { kustomization: { dependsOn: [{ name: 'Rook Ceph' }] } },
      "kustomization.dependsOn[0].name: 'Rook Ceph' is not a valid object name",
    ],
    [
      'an unknown extra resource',
      { extraResources: { grafana: {} } as any },
      'extraResources.grafana: is not a prop here',
    ],
    [
      "a feature variable that is also a user's",
      { release: { sync: { registries: [{ urls: ['https://ghcr.io'], credentialsVariable: 'COMMON_OCI' }] } } },
      "release.users: 'COMMON_OCI' is a user's htpasswd variable",
    ],
  ])('%s', (_what, props, message) => {
    expect(refusal(props)).toContain(message);
  });

  test('a PodDisruptionBudget on a chart that renders none; anonymous metrics on a zot that has none', () => {
    const noPdb = GOOD_CHARTS.find((v) => !chartRenders(v, 'podDisruptionBudget'))!;
    expect(refusal({ release: { chartVersion: noPdb, podDisruptionBudget: { maxUnavailable: 1 } } })).toContain(
      `release.podDisruptionBudget: {"maxUnavailable":1} needs zot chart`,
    );
    const oldZot = GOOD_CHARTS.find((v) => compareZotVersions(zotVersionOfChart(v), 'v2.1.18') < 0)!;
    expect(refusal({ release: { chartVersion: oldZot, metrics: { anonymous: true } } })).toContain(
      'release.metrics.anonymous: true needs zot v2.1.18 or later',
    );
  });

  test('zot itself refuses what the typed props cannot see: dedupe forced on over S3 without a cache (synth exits 1, nothing written)', () => {
    const root = tempDir();
    const r = synth(root, () =>
      appWith({ release: { storage: { type: 's3', bucket: 'zot', region: 'eu-west-1' }, dedupe: true } }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('config.json storage.cacheDriver is missing');
    expect(readTree(root).size).toBe(0);
  });
});

import * as examples from './production-examples';
import { appWith as appWithForSynth, synth as synthForExamples, tempDir as tempDirForExamples } from '../support/tree';
const EXAMPLES_FOR_SYNTH = Object.fromEntries(
  Object.entries(examples).filter(([k]) => k.endsWith('_EXAMPLE')),
) as Record<string, any>;

test('every worked example goes through npm run synth as it is, scale-out included (a Flux variable stands in for the 16-byte hashKey)', () => {
  for (const [name, props] of Object.entries(EXAMPLES_FOR_SYNTH)) {
    const r = synthForExamples(tempDirForExamples(), () => appWithForSynth(props));
    expect([name, r.code, r.code === 0 ? '' : r.stderr]).toEqual([name, 0, '']);
  }
});
