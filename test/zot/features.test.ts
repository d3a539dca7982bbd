// The production features as pure zot and chart knowledge (lib/zot/features): what each writes into
// config.json and the chart values, and what each refuses, with the zot model of the deployed version
// (verifyZotConfig) as the judge of what zot itself accepts.
import { ZotFluxError } from '../../lib/core/error';
import {
  SUPPORTED_CHART_VERSIONS,
  knownBadChartReason,
  zotVersionOfChart,
  compareChartVersions,
} from '../../lib/zot/chart-versions';
import { CHART_VALUES, chartRenders, TPL_PLACEMENT_SINCE } from '../../lib/zot/features/chart-values';
import { metricsFeature, metricsScrape, ANONYMOUS_METRICS_SINCE } from '../../lib/zot/features/metrics';
import { checkPlacement, checkResources, podFeature } from '../../lib/zot/features/pod';
import { checkRemoteCache, clusterMembers, scaleOutFeature } from '../../lib/zot/features/scale-out';
import { checkStorage, storageFeature } from '../../lib/zot/features/storage';
import { checkSync, credentialsHost, localRepositoryGlob, syncFeature } from '../../lib/zot/features/sync';
import { compareZotVersions } from '../../lib/zot/config-keys';
import { verifyZotConfig } from '../../lib/zot/startup';
import { substituteObject } from '../../lib/flux/substitute-object';

const GOOD_CHARTS = SUPPORTED_CHART_VERSIONS.filter((v) => !knownBadChartReason(v));
const NEWEST = GOOD_CHARTS[GOOD_CHARTS.length - 1];
const zotOf = (chart: string) => zotVersionOfChart(chart);

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** A minimal config zot starts with, plus the fragment under test (merged at the top). */
function withBase(fragment: Record<string, any>): any {
  const base: any = {
    storage: { rootDirectory: '/var/lib/registry' },
    http: {
      address: '0.0.0.0',
      port: '5000',
      auth: { htpasswd: { path: '/secret/htpasswd' } },
      accessControl: {
        repositories: { '**': { policies: [], defaultPolicy: [] } },
        adminPolicy: { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] },
      },
    },
    log: { level: 'info' },
  };
  for (const [k, v] of Object.entries(fragment))
    base[k] = typeof v === 'object' && !Array.isArray(v) ? { ...base[k], ...v } : v;
  return base;
}

describe('storage', () => {
  const s3 = {
    type: 's3',
    bucket: 'zot',
    endpoint: 'http://rgw.rook-ceph.svc',
    credentials: { secretName: 'zot-bucket' },
  } as const;

  test('S3 on an in-cluster endpoint: the driver keys zot reads, keys from the Secret as env, dedupe off without a remote cache', () => {
    const out = storageFeature({ rootDirectory: '/var/lib/registry', storage: checkStorage(s3), remoteCache: false });
    const storage = (out.config as any).storage;
    expect(storage.storageDriver).toEqual({
      name: 's3',
      rootdirectory: '/zot',
      region: 'us-east-1',
      regionendpoint: 'http://rgw.rook-ceph.svc',
      bucket: 'zot',
      forcepathstyle: true,
      secure: false,
      skipverify: false,
    });
    expect(storage.dedupe).toBe(false);
    expect(out.env).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'zot-bucket', key: 'AWS_ACCESS_KEY_ID' } } },
      {
        name: 'AWS_SECRET_ACCESS_KEY',
        valueFrom: { secretKeyRef: { name: 'zot-bucket', key: 'AWS_SECRET_ACCESS_KEY' } },
      },
    ]);
    expect(JSON.stringify(out.config)).not.toMatch(/accesskey|secretkey/i);
    // zot itself starts with it, on every modelled version
    for (const chart of GOOD_CHARTS) expect(verifyZotConfig(withBase(out.config!), zotOf(chart)).errors).toEqual([]);
  });

  test('the dedupe default is what zot needs: on S3 with dedupe on and no remote cache, zot refuses to start', () => {
    const out = storageFeature({
      rootDirectory: '/var/lib/registry',
      storage: checkStorage(s3),
      remoteCache: false,
      dedupe: true,
    });
    const errors = verifyZotConfig(withBase(out.config!), zotOf(NEWEST))
      .errors.map((e) => e.reason)
      .join('\n');
    expect(errors).toContain('dedupe set to true with remote storage and database, but no remote database configured');
  });

  test.each<[string, object, string]>([
    ['no region and no endpoint', { type: 's3', bucket: 'zot' }, 'storage.region: is missing'],
    ['a bucket name S3 refuses', { type: 's3', bucket: 'Zot_Images', region: 'eu-west-1' }, 'is not an S3 bucket name'],
    [
      'an endpoint with a path',
      { type: 's3', bucket: 'zot', endpoint: 'http://minio:9000/zot' },
      'a path is not allowed',
    ],
    [
      'secure against the endpoint scheme',
      { type: 's3', bucket: 'zot', endpoint: 'http://minio:9000', secure: true },
      "contradicts the endpoint's scheme http://",
    ],
    [
      'keys in the props',
      { type: 's3', bucket: 'zot', region: 'eu-west-1', accessKey: 'AKIA' },
      'storage.accessKey: is not a prop here',
    ],
  ])('refuses %s', (_what, storage, message) => {
    expect(refusal(() => checkStorage(storage))).toContain(message);
  });

  test('a Flux variable as endpoint or bucket is checked per cluster, not here', () => {
    expect(checkStorage({ type: 's3', bucket: '${S3_BUCKET}', endpoint: '${S3_ENDPOINT}' })).toBeDefined();
  });

  test('retention runs only inside GC: refused with GC off', () => {
    expect(
      refusal(() =>
        storageFeature({
          rootDirectory: '/r',
          gc: { enabled: false },
          remoteCache: false,
          retention: { policies: [{ repositories: ['**'], keepTags: [{ mostRecentlyPushedCount: 5 }] }] },
        }),
      ),
    ).toContain('zot applies retention only while garbage-collecting');
  });

  test('retention as written reaches zot, and zot compiles its globs and regexes', () => {
    const out = storageFeature({
      rootDirectory: '/r',
      remoteCache: false,
      gc: { delay: '2h', interval: '24h' },
      retention: {
        delay: '24h',
        policies: [
          {
            repositories: ['ci/**'],
            deleteUntagged: true,
            deleteReferrers: true,
            keepTags: [{ patterns: ['^v[0-9]+'], mostRecentlyPushedCount: 10, pulledWithin: '720h' }],
          },
        ],
      },
    });
    const config = withBase(out.config!);
    expect(config.storage.retention.policies[0].keepTags[0]).toEqual({
      patterns: ['^v[0-9]+'],
      mostRecentlyPushedCount: 10,
      pulledWithin: '720h',
    });
    expect(verifyZotConfig(config, zotOf(NEWEST)).errors).toEqual([]);
    config.storage.retention.policies[0].keepTags[0].patterns = ['(unclosed'];
    expect(verifyZotConfig(config, zotOf(NEWEST)).errors.map((e) => e.field)).toContain(
      'storage.retention.policies[0].keepTags[0].patterns[0]',
    );
  });
});

describe('cache and scale-out', () => {
  const base = { releaseName: 'zot', chartVersion: NEWEST, port: 5000 };
  const s3 = { type: 's3', bucket: 'zot', endpoint: 'http://rgw' } as const;
  const redis = { type: 'redis', url: 'redis://redis.zot.svc:6379/0' } as const;

  test('replicas > 1 names every missing piece, with the reason', () => {
    const message = refusal(() => scaleOutFeature({ ...base, replicas: 2 }));
    expect(message).toContain('replicas: 2 is more than 1, which needs shared storage');
    expect(message).toContain('a remote cache');
    expect(message).toContain("zot's repository locks are in-process");
    expect(refusal(() => scaleOutFeature({ ...base, replicas: 2, storage: s3, remoteCache: redis }))).not.toContain(
      'shared storage',
    );
  });

  test('shared storage, redis and scaleOut: members are the StatefulSet pods under the headless Service; zot accepts them with a 16-byte key', () => {
    const out = scaleOutFeature({
      ...base,
      replicas: 3,
      storage: s3,
      remoteCache: redis,
      scaleOut: { hashKeyVariable: 'ZOT_HASH_KEY' },
    });
    const cluster = (out.config as any).cluster;
    expect(cluster.members).toEqual(['zot-0.zot-headless:5000', 'zot-1.zot-headless:5000', 'zot-2.zot-headless:5000']);
    expect(cluster.hashKey).toBe('${ZOT_HASH_KEY}');
    expect(out.values).toMatchObject({ replicaCount: 3, serviceHeadless: { enabled: true, port: 5000 } });
    expect((out.config as any).storage).toEqual({
      remoteCache: true,
      cacheDriver: { name: 'redis', url: 'redis://redis.zot.svc:6379/0' },
    });
    const config = withBase({
      ...out.config,
      storage: {
        ...(out.config as any).storage,
        storageDriver: { name: 's3', bucket: 'zot', regionendpoint: 'http://rgw', forcepathstyle: true },
      },
      cluster: { ...cluster, hashKey: '0123456789abcdef' },
    });
    expect(verifyZotConfig(config, zotOf(NEWEST)).errors).toEqual([]);
    // and the key length matters to zot: one byte short is refused
    config.cluster.hashKey = '0123456789abcde';
    expect(verifyZotConfig(config, zotOf(NEWEST)).errors.map((e) => e.field)).toContain('cluster.hashKey');
    expect(clusterMembers('registry', 2, 8080)).toEqual([
      'registry-zot-0.registry-zot-headless:8080',
      'registry-zot-1.registry-zot-headless:8080',
    ]);
  });

  test('a PodDisruptionBudget only where the chart renders one, and never one that blocks every drain', () => {
    const old = GOOD_CHARTS.filter((v) => !chartRenders(v, 'podDisruptionBudget'));
    const renders = GOOD_CHARTS.filter((v) => chartRenders(v, 'podDisruptionBudget'));
    expect(old.length).toBeGreaterThan(0);
    expect(renders.length).toBeGreaterThan(0);
    for (const chart of old) {
      expect(
        refusal(() =>
          scaleOutFeature({ ...base, chartVersion: chart, replicas: 1, podDisruptionBudget: { maxUnavailable: 1 } }),
        ),
      ).toContain(`needs zot chart ${CHART_VALUES.podDisruptionBudget.since} or later`);
    }
    const chart = renders[0];
    expect(
      scaleOutFeature({ ...base, chartVersion: chart, replicas: 1, podDisruptionBudget: { maxUnavailable: 1 } }).values,
    ).toEqual({ podDisruptionBudget: { enabled: true, maxUnavailable: 1 } });
    expect(
      refusal(() =>
        scaleOutFeature({ ...base, chartVersion: chart, replicas: 1, podDisruptionBudget: { minAvailable: 1 } }),
      ),
    ).toContain('allows no pod of 1 to be evicted');
  });

  test.each<[string, object, string]>([
    [
      'a password in the URL',
      { type: 'redis', url: 'redis://:hunter2@redis:6379' },
      'carries credentials: config.json is rendered into a ConfigMap',
    ],
    ['not a redis URL', { type: 'redis', url: 'http://redis:6379' }, 'is not a redis URL'],
    ['a cluster URL', { type: 'redis', url: 'redis://a:6379?addr=b:6379' }, "contains 'addr'"],
  ])('refuses a redis cache with %s', (_what, cache, message) => {
    const m = refusal(() => checkRemoteCache(cache));
    expect(m).toContain(message);
    expect(m).not.toContain('hunter2');
  });
});

describe('sync', () => {
  test('the credentials file: one "host": ${VAR} per line; after Flux substitutes a value with quotes and a backslash, zot reads the JSON', () => {
    const sync = checkSync({
      registries: [
        {
          urls: ['https://ghcr.io'],
          content: [{ prefix: 'project-zot/**', destination: '/ghcr' }],
          credentialsVariable: 'ZOT_SYNC_GHCR',
        },
        { urls: ['https://index.docker.io'], onDemand: true, credentialsVariable: 'ZOT_SYNC_DOCKER' },
        {
          urls: ['https://quay.io'],
          onDemand: false,
          pollInterval: '6h',
          content: [{ prefix: 'prometheus/**', tags: { semver: true } }],
        },
      ],
    })!;
    const out = syncFeature({ sync, rootDirectory: '/var/lib/registry', remoteStorage: false });
    const file = out.secretFiles!['sync-credentials.json'];
    expect(file.split('\n')).toEqual([
      '{',
      '"ghcr.io": ${ZOT_SYNC_GHCR},',
      '"index.docker.io": ${ZOT_SYNC_DOCKER}',
      '}',
    ]);
    expect(out.variables!.map((v) => v.variable)).toEqual(['ZOT_SYNC_GHCR', 'ZOT_SYNC_DOCKER']);
    // Flux substitutes the HelmRelease as an object (kustomize-controller: YAML text, envsubst, read back)
    const hr = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'zot' },
      spec: { values: { secretFiles: out.secretFiles } },
    };
    const ghcr = JSON.stringify({ username: 'bot', password: 'ghp_a"b\\c' });
    const flux: any = substituteObject(
      hr,
      { ZOT_SYNC_GHCR: ghcr, ZOT_SYNC_DOCKER: JSON.stringify({ username: 'u', password: 'p' }) },
      { generation: '2.9', strict: true },
    );
    expect(JSON.parse(flux.spec.values.secretFiles['sync-credentials.json'])).toEqual({
      'ghcr.io': { username: 'bot', password: 'ghp_a"b\\c' },
      'index.docker.io': { username: 'u', password: 'p' },
    });
    const config = withBase(out.config!);
    expect(config.extensions.sync.credentialsFile).toBe('/secret/sync-credentials.json');
    expect(config.extensions.sync.downloadDir).toBeUndefined();
    expect(verifyZotConfig(config, zotOf(NEWEST)).errors).toEqual([]);
  });

  test('with S3 storage zot needs a downloadDir: it is set on the PVC, and without it zot refuses to start', () => {
    const sync = checkSync({ registries: [{ urls: ['https://ghcr.io'] }] })!;
    const out = syncFeature({ sync, rootDirectory: '/var/lib/registry', remoteStorage: true });
    const config = withBase({
      ...out.config,
      storage: { dedupe: false, storageDriver: { name: 's3', bucket: 'zot', region: 'us-east-1' } },
    });
    expect(config.extensions.sync.downloadDir).toBe('/var/lib/registry/.sync');
    expect(verifyZotConfig(config, zotOf(NEWEST)).errors).toEqual([]);
    delete config.extensions.sync.downloadDir;
    expect(verifyZotConfig(config, zotOf(NEWEST)).errors.map((e) => e.field)).toContain('extensions.sync.downloadDir');
  });

  test.each<[string, object, string]>([
    [
      'a registry zot would skip',
      { registries: [{ urls: ['https://ghcr.io'], onDemand: false }] },
      'is neither on demand nor polled',
    ],
    [
      'polling without content',
      { registries: [{ urls: ['https://ghcr.io'], pollInterval: '1h' }] },
      'is set without content',
    ],
    ['a URL with a path', { registries: [{ urls: ['https://ghcr.io/project-zot'] }] }, 'is not a registry URL'],
    [
      'a credential in the props',
      { registries: [{ urls: ['https://ghcr.io'], password: 'x' }] },
      'sync.registries[0].password: is not a prop here',
    ],
  ])('refuses %s', (_what, sync, message) => {
    expect(refusal(() => checkSync(sync))).toContain(message);
  });

  test('local names as zot maps them on demand', () => {
    expect(localRepositoryGlob({ prefix: 'project-zot/**', destination: '/ghcr' })).toBe('ghcr/project-zot/**');
    expect(localRepositoryGlob({ prefix: '/library/**', destination: '/hub', stripPrefix: true })).toBe('hub/**');
    expect(localRepositoryGlob({ prefix: 'library/alpine' })).toBe('library/alpine');
    expect(credentialsHost('https://registry.example:5000')).toBe('registry.example:5000');
  });
});

describe('metrics: who can read them, as zot decides it', () => {
  const before = GOOD_CHARTS.find((c) => compareZotVersions(zotOf(c), ANONYMOUS_METRICS_SINCE) < 0)!;
  const since = GOOD_CHARTS.find((c) => compareZotVersions(zotOf(c), ANONYMOUS_METRICS_SINCE) >= 0)!;

  test('anonymous scrapes: refused before zot v2.1.18, allowed with anonymousPolicy from it, denied without it', () => {
    expect(
      refusal(() => metricsFeature({ metrics: { anonymous: true }, zotVersion: zotOf(before), userNames: ['admin'] })),
    ).toContain(`metrics.anonymous: true needs zot ${ANONYMOUS_METRICS_SINCE} or later`);
    const on = metricsFeature({ metrics: { anonymous: true }, zotVersion: zotOf(since), userNames: ['admin'] });
    const config = withBase({ ...on.config });
    config.http.accessControl.metrics = on.accessControlMetrics;
    expect(metricsScrape(config, zotOf(since), 'anonymous').allowed).toBe(true);
    expect(verifyZotConfig(config, zotOf(since)).errors).toEqual([]);
    delete config.http.accessControl.metrics;
    const denied = metricsScrape(config, zotOf(since), 'anonymous');
    expect(denied.allowed).toBe(false);
    expect(denied.reason).toContain('401');
  });

  test('a signed-in scraper must be a metrics user; adminPolicy does not count; no metrics users lets no one in', () => {
    const config = withBase({ extensions: { metrics: { enable: true } } });
    for (const chart of [before, since]) {
      expect(metricsScrape(config, zotOf(chart), { user: 'admin' }).reason).toContain(
        'accessControl.metrics.users is empty',
      );
      config.http.accessControl.metrics = { users: ['prometheus'] };
      expect(metricsScrape(config, zotOf(chart), { user: 'prometheus' }).allowed).toBe(true);
      expect(metricsScrape(config, zotOf(chart), { user: 'admin' }).reason).toContain('adminPolicy does not count');
      delete config.http.accessControl.metrics;
    }
    expect(
      refusal(() =>
        metricsFeature({ metrics: { users: ['prometheus'] }, zotVersion: zotOf(since), userNames: ['admin'] }),
      ),
    ).toContain("metrics.users[0]: 'prometheus' is not one of the release's users");
  });

  test("the chart's ServiceMonitor without credentials sets basicAuth false (the chart defaults to a Secret basic-auth)", () => {
    const out = metricsFeature({
      metrics: { anonymous: true, serviceMonitor: {} },
      zotVersion: zotOf(since),
      userNames: ['admin'],
    });
    expect(out.values).toEqual({
      metrics: { enabled: true, serviceMonitor: { enabled: true, path: '/metrics', basicAuth: false } },
    });
  });
});

describe('pod', () => {
  test('every typed pod value names the first chart that renders it; placement values holding {{ are refused where the chart runs tpl', () => {
    for (const [value, fact] of Object.entries(CHART_VALUES)) {
      expect(SUPPORTED_CHART_VERSIONS).toContain(fact.since);
      expect(chartRenders(fact.since, value as keyof typeof CHART_VALUES)).toBe(true);
    }
    const tpl = GOOD_CHARTS.find((c) => compareChartVersions(c, TPL_PLACEMENT_SINCE) >= 0)!;
    const noTpl = GOOD_CHARTS.find((c) => compareChartVersions(c, TPL_PLACEMENT_SINCE) < 0)!;
    const placement = checkPlacement({ nodeSelector: { pool: '{{ .Values.pool }}' } });
    expect(refusal(() => podFeature({ chartVersion: tpl, placement }))).toContain("holds '{{'");
    expect(podFeature({ chartVersion: noTpl, placement }).values).toEqual({
      nodeSelector: { pool: '{{ .Values.pool }}' },
    });
  });

  test("startupProbe keeps the chart's defaults for what is not given; resources and tolerations are checked like the API server does", () => {
    expect(podFeature({ chartVersion: NEWEST, startupProbe: { failureThreshold: 30 } }).values).toEqual({
      startupProbe: { initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 30 },
    });
    expect(refusal(() => checkResources({ requests: { memory: '1GB' } }))).toContain('is not a Kubernetes quantity');
    expect(refusal(() => checkPlacement({ tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] }))).toContain(
      "must be empty with operator 'Exists'",
    );
    expect(
      refusal(() => checkPlacement({ tolerations: [{ key: 'a', tolerationSeconds: 30, effect: 'NoSchedule' }] })),
    ).toContain("only valid with effect 'NoExecute'");
  });
});
