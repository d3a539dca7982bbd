// Remote cache, scale-out and disruption budget: a redis cache (zot's cache driver and, with
// remoteCache, its metadata database), zot's `cluster` (members and a siphash key from a Flux
// variable), the StatefulSet's replicas and headless Service, and the chart's PodDisruptionBudget.
import { refuse } from '../../core/error';
import { checkKnownKeys, checkObject, checkOneOf, checkString, propKeys } from '../../core/props';
import { zotServiceName } from '../chart';
import { chartRenders, requireChartValue } from './chart-values';
import { FeatureOutput, FeatureVariable, hasPlaceholder, integer } from './common';
import { isSharedStorage, ZotStorage } from './storage';
import type { FeatureReadme, ReadmeContext, ZotFeature } from './feature';

/** zot's redis cache driver. */
export interface ZotRedisCache {
  readonly type: 'redis';
  /**
   * `redis://host:port[/db]` or `rediss://...`, or a Flux variable. No password: config.json is a
   * ConfigMap, readable by anyone who may read ConfigMaps in the namespace.
   */
  readonly url: string;
  /**
   * Prefix of every key zot writes (several registries can share one redis).
   * @default 'zot' (zot's own default)
   */
  readonly keyPrefix?: string;
}

/** zot's scale-out cluster: each repository is served by one replica, the others proxy to it. */
export interface ZotScaleOut {
  /**
   * The Flux variable holding the cluster's siphash key: exactly 16 bytes, the same on every replica
   * (it decides which replica owns a repository).
   */
  readonly hashKeyVariable: string;
  /**
   * Where that variable comes from. zot reads the key from config.json, which the chart puts in a
   * ConfigMap, so a value from a Secret would land there in plain text: synth refuses that (a
   * credential variable outside Secret content). The key decides which replica owns a repository;
   * it grants no access.
   * @default - the ConfigMap `cluster-settings`
   */
  readonly hashKeySource?: {
    readonly kind: 'ConfigMap' | 'Secret';
    readonly name: string;
    readonly optional?: boolean;
  };
}

/** The chart's PodDisruptionBudget: exactly one of the two. */
export interface ZotPodDisruptionBudget {
  /** Pods that must stay up during a voluntary disruption (a number or a percentage). */
  readonly minAvailable?: number | string;
  /** Pods that may be down at once. */
  readonly maxUnavailable?: number | string;
}

export interface ScaleOutProps {
  readonly releaseName: string;
  readonly chartVersion: string;
  readonly port: number;
  readonly replicas: number;
  readonly storage?: ZotStorage;
  readonly remoteCache?: ZotRedisCache;
  readonly scaleOut?: ZotScaleOut;
  readonly podDisruptionBudget?: ZotPodDisruptionBudget;
}

const PERCENT = /^(100|[1-9]?[0-9])%$/;

export function checkRemoteCache(value: unknown, field = 'remoteCache'): ZotRedisCache | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['type', 'url', 'keyPrefix']);
  if (checkOneOf(o.type, `${field}.type`, ['redis'] as const) === undefined)
    refuse(`${field}.type`, undefined, "is missing: 'redis'");
  const url = checkString(o.url, `${field}.url`, { nonEmpty: true });
  if (url === undefined) refuse(`${field}.url`, undefined, 'is missing (redis://host:6379)');
  if (!hasPlaceholder(url)) {
    // zot v2.1.14..v2.1.20 pkg/api/config/redis/redis.go: GetRedisClient → go-redis ParseURL (schemes redis, rediss, unix)
    const m = /^(redis|rediss|unix):\/\/([^/?#]*)/.exec(url);
    if (!m) refuse(`${field}.url`, url, 'is not a redis URL (redis://host:port[/db] or rediss://...)');
    if (m[2].includes('@')) {
      refuse(
        `${field}.url`,
        undefined,
        'carries credentials: config.json is rendered into a ConfigMap, so a redis password there is readable by anyone who may read ConfigMaps; use a redis reachable only from the registry (a NetworkPolicy) without a password',
      );
    }
    // zot v2.1.14..v2.1.20 pkg/api/config/redis/redis.go: a url containing "addr" is parsed as a cluster URL (ParseClusterURL)
    if (url.includes('addr'))
      refuse(
        `${field}.url`,
        url,
        "contains 'addr', which makes zot parse it as a redis cluster URL; give a single-node redis URL",
      );
  }
  const prefix = checkString(o.keyPrefix, `${field}.keyPrefix`, { nonEmpty: true });
  if (prefix !== undefined && !/^[A-Za-z0-9_.:-]+$/.test(prefix))
    refuse(`${field}.keyPrefix`, prefix, 'holds characters other than letters, digits and _ . : -');
  return o as unknown as ZotRedisCache;
}

export function checkScaleOut(value: unknown, field = 'scaleOut'): ZotScaleOut | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['hashKeyVariable', 'hashKeySource']);
  const v = checkString(o.hashKeyVariable, `${field}.hashKeyVariable`, { nonEmpty: true });
  if (v === undefined)
    refuse(`${field}.hashKeyVariable`, undefined, 'is missing: the Flux variable that holds the 16-byte key');
  if (!/^[_A-Za-z][_A-Za-z0-9]*$/.test(v)) refuse(`${field}.hashKeyVariable`, v, 'is not a Flux variable name');
  const src = checkObject(o.hashKeySource, `${field}.hashKeySource`);
  if (src) {
    checkKnownKeys(src, `${field}.hashKeySource`, ['kind', 'name', 'optional']);
    checkOneOf(src.kind, `${field}.hashKeySource.kind`, ['ConfigMap', 'Secret'] as const);
    checkString(src.name, `${field}.hashKeySource.name`, { nonEmpty: true });
  }
  return o as unknown as ZotScaleOut;
}

export function checkPodDisruptionBudget(
  value: unknown,
  field = 'podDisruptionBudget',
): ZotPodDisruptionBudget | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['minAvailable', 'maxUnavailable']);
  for (const k of ['minAvailable', 'maxUnavailable'] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v === 'number') integer(v, `${field}.${k}`, 0);
    else if (typeof v !== 'string' || !PERCENT.test(v))
      refuse(`${field}.${k}`, v, "is not a whole number or a percentage ('50%')");
  }
  // helm-charts zot-0.1.122 templates/pdb.yaml: `fail "... set exactly one of podDisruptionBudget.minAvailable or podDisruptionBudget.maxUnavailable"`
  if ((o.minAvailable === undefined) === (o.maxUnavailable === undefined)) {
    refuse(
      field,
      o,
      'needs exactly one of minAvailable and maxUnavailable (the chart fails to render otherwise: templates/pdb.yaml)',
    );
  }
  return o as ZotPodDisruptionBudget;
}

/** The headless Service the chart names `<fullname>-headless` (templates/headless-service.yaml). */
export function headlessServiceName(releaseName: string): string {
  return `${zotServiceName(releaseName)}-headless`;
}

/**
 * The members of zot's cluster: each StatefulSet pod by its stable name under the headless Service
 * (`<fullname>-<i>.<fullname>-headless:<port>`, resolved through the pod's namespace search domain).
 * zot finds its own entry by resolving every member and comparing with its local addresses (zot
 * v2.1.14..v2.1.20 pkg/api/controller.go: NewController → GetLocalMemberClusterSocket, pkg/api/proxy.go),
 * so each name must resolve when the pod starts: the chart's headless Service publishes not-ready
 * addresses (templates/headless-service.yaml: publishNotReadyAddresses: true) and the StatefulSet
 * starts pods in order, so members 0..i resolve when pod i starts.
 */
export function clusterMembers(releaseName: string, replicas: number, port: number): string[] {
  const fullname = zotServiceName(releaseName);
  return Array.from({ length: replicas }, (_, i) => `${fullname}-${i}.${headlessServiceName(releaseName)}:${port}`);
}

export function scaleOutFeature(p: ScaleOutProps): FeatureOutput {
  const config: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  const variables: FeatureVariable[] = [];
  if (p.remoteCache) config.storage = redisCacheKeys(p.remoteCache);
  if (p.replicas > 1) refuseLoneReplicas(p);
  if (p.scaleOut) {
    if (p.replicas < 2)
      refuse(
        'scaleOut',
        undefined,
        'is set with replicas 1: a one-member cluster proxies nothing (zot: IsClustered is false); set replicas to 2 or more',
      );
    // zot v2.1.14..v2.1.20 pkg/api/config/config.go: ClusterConfig (members, hashKey); root.go validateClusterConfig: hashKey exactly 16 bytes
    config.cluster = {
      members: clusterMembers(p.releaseName, p.replicas, p.port),
      hashKey: '${' + p.scaleOut.hashKeyVariable + '}',
    };
    variables.push({
      variable: p.scaleOut.hashKeyVariable,
      holds: "zot's cluster hashKey (exactly 16 bytes)",
      source: p.scaleOut.hashKeySource ?? { kind: 'ConfigMap', name: 'cluster-settings' },
    });
    requireChartValue(p.chartVersion, 'serviceHeadless', 'scaleOut', undefined);
    values.serviceHeadless = { enabled: true, port: p.port };
  }
  if (p.replicas !== 1) {
    requireChartValue(p.chartVersion, 'replicaCount', 'replicas', p.replicas);
    values.replicaCount = p.replicas;
  }
  if (p.podDisruptionBudget) values.podDisruptionBudget = budgetValues(p.podDisruptionBudget, p);
  return { config, values, variables };
}

/**
 * zot v2.1.14..v2.1.20 pkg/api/config/redis/redis.go: GetRedisClient reads `url`; pkg/storage/cache.go and
 * pkg/meta/meta.go read `keyprefix` (default "zot"). remoteCache is written true: zot defaults it to true only with
 * dedupe and a storageDriver (root.go applyDefaultValues), and without it zot ignores the cacheDriver and keeps its
 * metadata in a local boltdb (pkg/meta/meta.go: New), which replicas cannot share.
 */
function redisCacheKeys(cache: ZotRedisCache): Record<string, unknown> {
  return {
    remoteCache: true,
    cacheDriver: {
      name: 'redis',
      url: cache.url,
      ...(cache.keyPrefix ? { keyprefix: cache.keyPrefix } : {}),
    },
  };
}

/** More than one replica needs shared storage, a remote cache and scaleOut: each missing one is named. */
function refuseLoneReplicas(p: ScaleOutProps): void {
  const missing: string[] = [];
  if (!isSharedStorage(p.storage))
    missing.push(
      "shared storage (storage: { type: 's3', ... }): on local storage each replica gets its own PVC and its own images",
    );
  if (!p.remoteCache)
    missing.push(
      "a remote cache (remoteCache: { type: 'redis', ... }): without it each replica keeps its own metadata and dedupe database (zot pkg/meta/meta.go: boltdb under rootDirectory)",
    );
  if (!p.scaleOut)
    missing.push(
      "scaleOut (zot's cluster): zot's repository locks are in-process (pkg/storage/imagestore: ImageStore.Lock), so without it two replicas could write or garbage-collect one repository at once; with it each repository has a single owner (pkg/api/proxy.go: ClusterProxy)",
    );
  if (missing.length) refuse('replicas', p.replicas, `is more than 1, which needs ${missing.join('; and ')}`);
}

/** The chart's PodDisruptionBudget values; refused where the chart renders none or it lets no pod go. */
function budgetValues(budget: ZotPodDisruptionBudget, p: ScaleOutProps): Record<string, unknown> {
  requireChartValue(p.chartVersion, 'podDisruptionBudget', 'podDisruptionBudget', budget);
  const { minAvailable, maxUnavailable } = budget;
  const blocks =
    (typeof minAvailable === 'number' && minAvailable >= p.replicas) ||
    minAvailable === '100%' ||
    maxUnavailable === 0 ||
    maxUnavailable === '0%';
  if (blocks) {
    refuse(
      'podDisruptionBudget',
      budget,
      `allows no pod of ${p.replicas} to be evicted: every node drain would hang on the registry; raise replicas or allow one pod down`,
    );
  }
  return {
    enabled: true,
    ...(minAvailable !== undefined ? { minAvailable } : {}),
    ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
  };
}

/** Whether the chart would render a PodDisruptionBudget for these values (for the README). */
export function rendersPodDisruptionBudget(chartVersion: string, budget: ZotPodDisruptionBudget | undefined): boolean {
  return budget !== undefined && chartRenders(chartVersion, 'podDisruptionBudget');
}

export interface ZotScaleOutProps {
  /**
   * A redis cache: zot's dedupe cache and, with it, its metadata database, shared by every replica.
   * @default - zot's local boltdb under rootDirectory
   */
  readonly remoteCache?: ZotRedisCache;
  /**
   * Registry pods. More than one needs shared storage (S3), a remote cache and scaleOut: each replica would
   * otherwise keep its own images, metadata and in-process repository locks.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * zot's scale-out cluster: members are the StatefulSet's pods under the headless Service, the
   * siphash key comes from a Flux variable.
   * @default - no cluster
   */
  readonly scaleOut?: ZotScaleOut;
  /**
   * The chart's PodDisruptionBudget (charts 0.1.122 and later render it).
   * @default - none
   */
  readonly podDisruptionBudget?: ZotPodDisruptionBudget;
}

/** The scale-out feature of the registry (lib/zot/features/registry.ts). */
export const scaleOutDefinition: ZotFeature<ZotScaleOutProps, { readonly storage?: ZotStorage }> = {
  name: 'scale-out',
  props: propKeys<ZotScaleOutProps>({ remoteCache: true, replicas: true, scaleOut: true, podDisruptionBudget: true }),
  configProps: ['remoteCache', 'scaleOut'],
  check(props) {
    checkRemoteCache(props.remoteCache);
    integer(props.replicas, 'replicas', 1, 100);
    checkScaleOut(props.scaleOut);
    checkPodDisruptionBudget(props.podDisruptionBudget);
  },
  build: (props, ctx) =>
    scaleOutFeature({
      releaseName: ctx.releaseName,
      chartVersion: ctx.chartVersion,
      port: ctx.port,
      replicas: props.replicas ?? 1,
      storage: props.storage ?? { type: 'local' },
      remoteCache: props.remoteCache,
      scaleOut: props.scaleOut,
      podDisruptionBudget: props.podDisruptionBudget,
    }),
  readme: scaleOutReadme,
};

/** The README's cache and scale-out section: redis, the cluster's members, the disruption budget. */
export function scaleOutReadme(props: ZotScaleOutProps, ctx: ReadmeContext): FeatureReadme[] {
  const code = (x: string) => `\`${x}\``;
  const replicas = props.replicas ?? 1;
  if (!props.remoteCache && replicas <= 1 && !props.podDisruptionBudget) return [];
  const lines: string[] = [];
  if (props.remoteCache)
    lines.push(
      `Cache and metadata in redis at ${code(props.remoteCache.url)} (key prefix ${code(props.remoteCache.keyPrefix ?? 'zot')}); config.json is a ConfigMap, so the URL carries no password.`,
    );
  if (props.scaleOut) {
    const members = clusterMembers(ctx.releaseName, replicas, ctx.port);
    lines.push(
      `${replicas} replicas in a zot cluster: each repository is served by one member, the others proxy to it. Members: ${members.map(code).join(', ')}; the hashKey (16 bytes) comes from ${code(props.scaleOut.hashKeyVariable)}. Turning this on for a running release changes the StatefulSet's serviceName, which Kubernetes does not allow in place: delete the StatefulSet (\`kubectl -n ${ctx.namespace} delete statefulset ${ctx.serviceName} --cascade=orphan\`) and let Flux recreate it.`,
    );
  }
  const b = props.podDisruptionBudget;
  if (b) {
    lines.push(
      rendersPodDisruptionBudget(ctx.chartVersion, b)
        ? `PodDisruptionBudget: ${b.minAvailable !== undefined ? `at least ${b.minAvailable} available` : `at most ${b.maxUnavailable} unavailable`} during node drains.`
        : 'No PodDisruptionBudget: this chart version does not render one.',
    );
  }
  return [{ section: 'Cache and scale-out', lines }];
}
