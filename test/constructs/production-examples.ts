// The worked examples of the production props, one per feature, and the seed repository's later
// setup that combines them: the README shows these, production.test.ts and
// production.shared.test.ts synthesize them and render them with the real chart.
import { ZotAppProps } from '../../lib/constructs/zot-app';

/** The Flux variables the examples use, each with a stand-in value of the right shape (never a real credential). */
export const EXAMPLE_VARIABLES: Readonly<Record<string, string>> = {
  COMMON_OCI: 'admin:<htpasswd line from COMMON_OCI>',
  ZOT_PROMETHEUS: 'prometheus:<htpasswd line from ZOT_PROMETHEUS>',
  CLUSTER_DOMAIN: 'example.com',
  S3_ENDPOINT: 'http://rook-ceph-rgw-ceph-objectstore.rook-ceph.svc',
  ZOT_CLUSTER_HASH_KEY: '0123456789abcdef',
  ZOT_SYNC_GHCR: '{"username":"zot-bot","password":"<token from ZOT_SYNC_GHCR>"}',
};

/** 1. Storage: S3 on the in-cluster Rook/Ceph object store, the endpoint per cluster, the bucket and its keys from an ObjectBucketClaim; GC and retention. */
export const STORAGE_EXAMPLE: ZotAppProps = {
  release: {
    storage: { type: 's3', bucket: 'zot-registry', endpoint: '${S3_ENDPOINT}' },
    gc: { delay: '1h', interval: '6h' },
    retention: {
      policies: [
        {
          repositories: ['ci/**'],
          deleteUntagged: true,
          deleteReferrers: true,
          keepTags: [{ mostRecentlyPushedCount: 10 }, { patterns: ['^v[0-9]+\\.'], pulledWithin: '720h' }],
        },
        { repositories: ['**'], deleteUntagged: true, keepTags: [{ pushedWithin: '2160h' }] },
      ],
    },
  },
  extraResources: { objectBucketClaim: { storageClassName: 'ceph-bucket' } },
  variableSources: {
    CLUSTER_DOMAIN: { kind: 'ConfigMap', name: 'cluster-settings' },
    S3_ENDPOINT: { kind: 'ConfigMap', name: 'cluster-settings' },
  },
  kustomization: { dependsOn: [{ name: 'rook-ceph-cluster' }] },
};

/** 2. Cache and scale-out: redis, three replicas in a zot cluster with the hashKey from a Flux variable, a PodDisruptionBudget. */
export const SCALE_OUT_EXAMPLE: ZotAppProps = {
  release: {
    storage: {
      type: 's3',
      bucket: 'zot-registry',
      endpoint: 'http://rook-ceph-rgw-ceph-objectstore.rook-ceph.svc',
      credentials: { secretName: 'zot-s3' },
    },
    remoteCache: { type: 'redis', url: 'redis://redis-master.redis.svc:6379/0', keyPrefix: 'zot' },
    replicas: 3,
    scaleOut: { hashKeyVariable: 'ZOT_CLUSTER_HASH_KEY' },
    podDisruptionBudget: { maxUnavailable: 1 },
  },
};

/** 3. Sync: on demand from ghcr.io (credentials from a Flux variable), polled from docker.io for semver tags. */
export const SYNC_EXAMPLE: ZotAppProps = {
  release: {
    sync: {
      registries: [
        {
          urls: ['https://ghcr.io'],
          onDemand: true,
          content: [{ prefix: 'project-zot/**', destination: '/ghcr' }],
          credentialsVariable: 'ZOT_SYNC_GHCR',
        },
        {
          urls: ['https://index.docker.io'],
          onDemand: false,
          pollInterval: '24h',
          content: [{ prefix: 'library/alpine', destination: '/hub', tags: { semver: true } }],
        },
      ],
    },
  },
};

/** 4. Metrics: a `prometheus` user that may read them and nothing else, scraped by the chart's ServiceMonitor with its password from a Secret. */
export const METRICS_EXAMPLE: ZotAppProps = {
  release: {
    users: [
      { name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true },
      { name: 'prometheus', variable: 'ZOT_PROMETHEUS', actions: ['read'], repositories: ['monitoring/**'] },
    ],
    metrics: {
      users: ['prometheus'],
      serviceMonitor: { interval: '1m', basicAuth: { secretName: 'zot-metrics-auth' } },
    },
  },
};

/** 4b. Anonymous metrics (zot ≥ v2.1.18), scraped by a ServiceMonitor with the Prometheus release label, and a dashboard and a blackbox Probe. */
export const ANONYMOUS_METRICS_EXAMPLE: ZotAppProps = {
  release: { metrics: { anonymous: true } },
  extraResources: {
    serviceMonitor: { labels: { release: 'kube-prometheus-stack' } },
    dashboard: {},
    probe: { prober: 'blackbox-exporter.monitoring.svc:9115' },
  },
  kustomization: { dependsOn: [{ name: 'kube-prometheus-stack' }] },
};

/** 5. HTTP: Docker v2 schema 2 pushes, 30m on the route, retries and outlier detection through Envoy Gateway. */
export const HTTP_EXAMPLE: ZotAppProps = {
  release: { compat: ['docker2s2'], readTimeout: '30m', writeTimeout: '30m' },
  route: { requestTimeout: '30m' },
  extraResources: {
    backendTrafficPolicy: {
      retry: {
        numRetries: 2,
        retryOn: { triggers: ['connect-failure', 'reset'] },
        perRetry: { backOff: { baseInterval: '100ms', maxInterval: '1s' } },
      },
      passiveHealthCheck: { consecutive5XxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
    },
  },
};

/** 6. Pod: a longer start-up, resources, and placement on storage nodes spread across hosts. */
export const POD_EXAMPLE: ZotAppProps = {
  release: {
    startupProbe: { initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 30 },
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '2Gi' } },
    placement: {
      nodeSelector: { 'node-role.kubernetes.io/storage': 'true' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'storage', effect: 'NoSchedule' }],
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'zot' } },
              },
            },
          ],
        },
      },
    },
  },
};

/** The seed repository's later setup: S3 on the in-cluster endpoint, redis, two replicas, sync from ghcr.io, metrics for Prometheus, 30m timeouts. */
export const LATER_SETUP_EXAMPLE: ZotAppProps = {
  release: {
    storage: { type: 's3', bucket: 'zot-registry', endpoint: '${S3_ENDPOINT}' },
    gc: { delay: '1h', interval: '24h' },
    retention: {
      policies: [
        {
          repositories: ['**'],
          deleteUntagged: true,
          keepTags: [{ mostRecentlyPushedCount: 20 }, { pulledWithin: '720h' }],
        },
      ],
    },
    remoteCache: { type: 'redis', url: 'redis://redis-master.redis.svc:6379/0' },
    replicas: 2,
    scaleOut: { hashKeyVariable: 'ZOT_CLUSTER_HASH_KEY' },
    podDisruptionBudget: { maxUnavailable: 1 },
    sync: {
      registries: [
        {
          urls: ['https://ghcr.io'],
          content: [{ prefix: '**', destination: '/ghcr' }],
          credentialsVariable: 'ZOT_SYNC_GHCR',
        },
      ],
    },
    metrics: { anonymous: true },
    extensions: { search: { enable: true }, ui: { enable: true } },
    compat: ['docker2s2'],
    startupProbe: { failureThreshold: 30 },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
  },
  route: { requestTimeout: '30m' },
  extraResources: {
    objectBucketClaim: { storageClassName: 'ceph-bucket' },
    serviceMonitor: { labels: { release: 'kube-prometheus-stack' } },
    dashboard: {},
    probe: { prober: 'blackbox-exporter.monitoring.svc:9115' },
    backendTrafficPolicy: {
      retry: { numRetries: 2, retryOn: { triggers: ['connect-failure'] } },
      passiveHealthCheck: { consecutive5XxErrors: 5 },
    },
  },
  variableSources: {
    CLUSTER_DOMAIN: { kind: 'ConfigMap', name: 'cluster-settings' },
    S3_ENDPOINT: { kind: 'ConfigMap', name: 'cluster-settings' },
  },
  kustomization: { dependsOn: [{ name: 'rook-ceph-cluster' }, { name: 'redis' }, { name: 'kube-prometheus-stack' }] },
};

/** The examples that use a cluster hashKey (its 16-byte length is only known once Flux substitutes it). */
export const HASH_KEY_EXAMPLES = new Set<ZotAppProps>([SCALE_OUT_EXAMPLE, LATER_SETUP_EXAMPLE]);
