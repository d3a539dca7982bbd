import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { refuse, ZotFluxError } from '../core/error';
import { checkBoolean, checkKnownKeys, checkObject, checkString, isPlainObject } from '../core/props';
import { findCredential } from '../checks/credentials';
import { credentialPlacementProblems } from '../checks/credential-placement';
import { fluxVariableNames } from '../checks/tree';
import { appReadme, AppReadmeInput, routeRequestTimeout } from './app-readme';
import { KustomizationEntry } from './kustomization-entry';
import { ManifestFile } from './manifest-file';
import { TextFile } from './text-file';
import { FluxKustomization } from './flux-kustomization';
import { CLUSTER_SETTINGS, FluxVariableSource, sameSource } from '../flux/variables';
import { HelmRepository, HelmRepositoryProps } from './helm-repository';
import { KustomizeConfig } from './kustomize-config';
import { AppLayout, appLayout, fluxPath, LayoutOptions } from '../layout/layout';
import { Namespace } from './namespace';
import { ZotRelease, ZotReleaseProps } from './zot-release';
import { ZotRoute, ZotRouteProps } from './zot-route';
import { BackendTrafficPolicy, BackendTrafficPolicyOptions, envoyMs } from './backend-traffic-policy';
import { ServiceMonitor, ServiceMonitorOptions } from './service-monitor';
import { Probe, ProbeOptions } from './probe';
import { Dashboard, DashboardOptions } from './dashboard';
import {
  ObjectBucketClaim,
  ObjectBucketClaimOptions,
  ObjectBucketClaimProps,
  OBC_ACCESS_KEY,
  OBC_SECRET_KEY,
} from './object-bucket-claim';
import { ZOT_CHART_NAME } from '../zot/chart';
import { headlessServiceName } from '../zot/features/scale-out';
import { DEFAULT_METRICS_PATH, metricsScrape } from '../zot/features/metrics';
import { hasPlaceholder } from '../zot/features/common';

export interface ZotAppKustomizationProps {
  /**
   * The GitRepository Flux reads this repository from.
   * @default 'kubernetes-manifests'
   */
  readonly gitRepository?: string;
  /** @default '30m' */
  readonly interval?: string;
  /** @default '1m' */
  readonly retryInterval?: string;
  /** @default '5m' */
  readonly timeout?: string;
  /** @default true */
  readonly wait?: boolean;
  /**
   * Leave `postBuild` out of ks.yaml because a parent Kustomization patches it into every child
   * (as the reference repo's clusters/common/flux/apps.yaml does).
   * @default false - ks.yaml names the sources of every variable its manifests use
   */
  readonly parentInjectsPostBuild?: boolean;
  /**
   * Flux Kustomizations (in flux-system unless a namespace is given) that must be ready first: the ones
   * installing the CRDs the app folder uses (Prometheus Operator for a ServiceMonitor or Probe, Envoy
   * Gateway for a BackendTrafficPolicy, the bucket provisioner for an ObjectBucketClaim), or the
   * object store and redis the registry needs.
   * @default [] - none
   */
  readonly dependsOn?: ReadonlyArray<{ readonly name: string; readonly namespace?: string }>;
}

/**
 * Objects beside the HelmRelease and the HTTPRoute in the app folder, each in its own file listed in
 * the app's kustomization.yaml and checked when built.
 */
export interface ZotAppExtraResources {
  /**
   * An Envoy Gateway BackendTrafficPolicy on the route (timeouts, retries, outlier detection). Setting it
   * declares that the route's gateways are Envoy Gateway's.
   * @default - none
   */
  readonly backendTrafficPolicy?: BackendTrafficPolicyOptions;
  /**
   * A ServiceMonitor with the labels your Prometheus selects (the chart's has fixed labels); needs `release.metrics`.
   * @default - none
   */
  readonly serviceMonitor?: ServiceMonitorOptions;
  /**
   * A blackbox Probe of the registry through its route (`https://<hostname>/livez`).
   * @default - none
   */
  readonly probe?: ProbeOptions;
  /**
   * A Grafana dashboard ConfigMap of zot's metrics; needs `release.metrics`.
   * @default - none
   */
  readonly dashboard?: DashboardOptions;
  /**
   * An ObjectBucketClaim for `release.storage` (S3): the provisioner creates the bucket and the Secret the
   * keys are read from (`storage.credentials` defaults to it).
   * @default - none
   */
  readonly objectBucketClaim?: ObjectBucketClaimOptions;
}

export interface ZotAppProps {
  /**
   * App name: its folder under clusters/common/apps, its namespace and its Flux Kustomization.
   * @default 'zot'
   */
  readonly name?: string;
  /** Where the files go. @default - the home-ops layout under clusters/common */
  readonly layout?: LayoutOptions;
  /** The chart's HelmRepository. @default - `zot` in flux-system, https://zotregistry.dev/helm-charts */
  readonly helmRepository?: HelmRepositoryProps;
  /**
   * Use a HelmRepository another app already declares (several zot apps from one chart source)
   * instead of declaring one; `helmRepository` is then ignored.
   * @default - this app declares its own
   */
  readonly sharedHelmRepository?: HelmRepository;
  /** The HelmRelease. @default - the seed: chart ZOT_CHART_VERSION, 20Gi RWO, ClusterIP 5000, one admin from COMMON_OCI */
  readonly release?: Omit<ZotReleaseProps, 'chartSource'>;
  /** The HTTPRoute. @default - oci.${CLUSTER_DOMAIN} on the ts, private and public gateways in home */
  readonly route?: Omit<ZotRouteProps, 'release'>;
  /** The Flux Kustomization (ks.yaml). @default - as the seed's ks.yaml, plus postBuild */
  readonly kustomization?: ZotAppKustomizationProps;
  /**
   * Where each variable used outside the users' credentials comes from.
   * @default { CLUSTER_DOMAIN: ConfigMap cluster-settings }
   */
  readonly variableSources?: Record<string, FluxVariableSource>;
  /**
   * More objects in the app folder: BackendTrafficPolicy, ServiceMonitor, Probe, dashboard, ObjectBucketClaim.
   * @default - only the HelmRelease and the HTTPRoute
   */
  readonly extraResources?: ZotAppExtraResources;
}

/** The whole zot app of the GitOps tree: namespace, Flux Kustomization, HelmRepository, HelmRelease, HTTPRoute, README. */
export class ZotApp extends Construct {
  readonly name: string;
  readonly layout: AppLayout;
  readonly helmRepository: HelmRepository;
  readonly namespace: Namespace;
  readonly release: ZotRelease;
  readonly route: ZotRoute;
  readonly fluxKustomization: FluxKustomization;
  readonly backendTrafficPolicy?: BackendTrafficPolicy;
  readonly serviceMonitor?: ServiceMonitor;
  readonly probe?: Probe;
  readonly dashboard?: Dashboard;
  readonly objectBucketClaim?: ObjectBucketClaim;
  /** The files of the app folder its kustomization.yaml lists, in order. */
  readonly appResources: string[];
  /** Every variable the app/ manifests use, with its source, in order of first use. */
  readonly variables: Array<{ variable: string; source: FluxVariableSource }>;

  constructor(scope: Construct, id: string, props: ZotAppProps = {}) {
    super(scope, id);
    checkKnownKeys(checkObject(props, 'props') ?? {}, '', ZOT_APP_PROPS);
    refuseCredentials(props, '');
    this.name = checkString(props.name, 'name', { nonEmpty: true }) ?? 'zot';
    const { dependsOn, extra } = checkAppShapes(props);
    const repoName = props.sharedHelmRepository?.name ?? props.helmRepository?.name ?? 'zot';
    this.layout = field('layout', () => appLayout(this.name, repoName, props.layout));
    this.helmRepository = props.sharedHelmRepository ?? declareHelmRepository(this, props.helmRepository ?? {});
    this.namespace = new Namespace(manifest(this, 'NamespaceFile', this.layout.namespace), 'Namespace', {
      name: this.name,
    });
    const releaseProps = { name: this.name, ...props.release };
    const obc = extra.objectBucketClaim ? bucketClaimFor(extra.objectBucketClaim, releaseProps) : undefined;
    this.release = declareRelease(this, releaseProps, obc?.storage);
    this.route = declareRoute(this, props.route);
    const extras = declareExtraResources(this, extra, obc?.claim);
    this.objectBucketClaim = extras.objectBucketClaim;
    this.backendTrafficPolicy = extras.backendTrafficPolicy;
    this.serviceMonitor = extras.serviceMonitor;
    this.probe = extras.probe;
    this.dashboard = extras.dashboard;
    this.appResources = extras.appResources;
    new KustomizeConfig(manifest(this, 'AppKustomizationFile', this.layout.appKustomization), 'Kustomization', {
      namespace: this.namespace.name,
      resources: [...this.appResources],
    });
    this.variables = resolveVariables(
      this.route,
      this.release,
      props.variableSources ?? { CLUSTER_DOMAIN: CLUSTER_SETTINGS },
      extraObjects(this),
    );
    this.fluxKustomization = declareFluxKustomization(this, props.kustomization ?? {}, dependsOn);
    refuseMisplacedCredentials(this, props.variableSources ?? {});
    new TextFile(this, 'Readme', this.layout.readme, appReadme(readmeInput(this, extra, dependsOn)));
  }

  /** Where the ZotApps of `scope` keep `user`'s htpasswd line: its variable and the SOPS file of its source. */
  static findUser(scope: Construct, user: string): { variable: string; file: string } | undefined {
    for (const c of scope.node.findAll()) {
      if (!(c instanceof ZotApp)) continue;
      const u = c.release.users.find((x) => x.name === user);
      if (!u) continue;
      const source = c.variables.find((v) => v.variable === u.variable)!.source;
      return { variable: u.variable, file: `clusters/common/flux/vars/${source.name}.sops.yaml` };
    }
    return undefined;
  }
}

const ZOT_APP_PROPS = [
  'name',
  'layout',
  'helmRepository',
  'sharedHelmRepository',
  'release',
  'route',
  'kustomization',
  'variableSources',
  'extraResources',
];

/** A manifest file of the app's tree, as a child of the app. */
function manifest(app: ZotApp, fileId: string, path: string): ManifestFile {
  return new ManifestFile(app, fileId, path);
}

/** Keys known to each object the props hold, checked as the types declare them (esbuild does not type-check main.ts). */
function checkAppShapes(props: ZotAppProps): {
  dependsOn: Array<{ name: string; namespace?: string }>;
  extra: ZotAppExtraResources;
} {
  checkObject(props.layout, 'layout');
  checkKnownKeys(props.layout as Record<string, unknown> | undefined, 'layout', ['appsDir', 'helmRepositoriesDir']);
  for (const k of ['helmRepository', 'release', 'route', 'kustomization', 'variableSources', 'extraResources'] as const)
    checkObject(props[k], k);
  checkKnownKeys(props.kustomization as Record<string, unknown> | undefined, 'kustomization', [
    'gitRepository',
    'interval',
    'retryInterval',
    'timeout',
    'wait',
    'parentInjectsPostBuild',
    'dependsOn',
  ]);
  const dependsOn = checkDependsOn(props.kustomization?.dependsOn);
  const extra = (props.extraResources ?? {}) as ZotAppExtraResources;
  checkExtraResourceShapes(extra);
  checkBoolean(props.kustomization?.wait, 'kustomization.wait');
  checkBoolean(props.kustomization?.parentInjectsPostBuild, 'kustomization.parentInjectsPostBuild');
  for (const k of ['gitRepository', 'interval', 'retryInterval', 'timeout'] as const) {
    checkString(props.kustomization?.[k], `kustomization.${k}`, { nonEmpty: true });
  }
  return { dependsOn, extra };
}

/** The known keys of extraResources and of each of its objects. */
const EXTRA_RESOURCE_KEYS = {
  backendTrafficPolicy: undefined,
  serviceMonitor: ['name', 'labels', 'interval', 'scrapeTimeout', 'basicAuth'],
  probe: ['name', 'prober', 'module', 'targets', 'interval', 'labels'],
  dashboard: ['name', 'labels', 'annotations', 'title'],
  objectBucketClaim: undefined,
} as const;

function checkExtraResourceShapes(extra: ZotAppExtraResources): void {
  const at = 'extraResources';
  const objects = ['backendTrafficPolicy', 'serviceMonitor', 'probe', 'dashboard', 'objectBucketClaim'] as const;
  checkKnownKeys(extra as Record<string, unknown>, at, objects);
  for (const k of objects) checkObject(extra[k], `${at}.${k}`);
  const known = (k: 'serviceMonitor' | 'probe' | 'dashboard') =>
    checkKnownKeys(extra[k] as Record<string, unknown> | undefined, `${at}.${k}`, EXTRA_RESOURCE_KEYS[k]);
  known('serviceMonitor');
  checkKnownKeys(
    extra.serviceMonitor?.basicAuth as Record<string, unknown> | undefined,
    `${at}.serviceMonitor.basicAuth`,
    ['secretName', 'usernameKey', 'passwordKey', 'user'],
  );
  known('probe');
  known('dashboard');
  if (extra.probe && checkString(extra.probe.prober, `${at}.probe.prober`, { nonEmpty: true }) === undefined) {
    refuse(`${at}.probe.prober`, undefined, "is missing: the blackbox exporter's host:port");
  }
}

/** The app's own HelmRepository, and its entry in the HelmRepositories' kustomization.yaml. */
function declareHelmRepository(app: ZotApp, repoProps: HelmRepositoryProps): HelmRepository {
  const repository = field(
    'helmRepository',
    () =>
      new HelmRepository(manifest(app, 'HelmRepositoryFile', app.layout.helmRepository), 'HelmRepository', repoProps),
  );
  new KustomizationEntry(
    app,
    'HelmRepositoryEntry',
    app.layout.helmRepositoriesKustomization,
    `./${repository.name}.yaml`,
  );
  return repository;
}

/** The HelmRelease from the app's HelmRepository; an ObjectBucketClaim's storage replaces release.storage. */
function declareRelease(
  app: ZotApp,
  releaseProps: Omit<ZotReleaseProps, 'chartSource'>,
  claimedStorage: ZotReleaseProps['storage'] | undefined,
): ZotRelease {
  return field(
    'release',
    () =>
      new ZotRelease(manifest(app, 'HelmReleaseFile', app.layout.helmRelease), 'HelmRelease', {
        ...releaseProps,
        ...(claimedStorage ? { storage: claimedStorage } : {}),
        chartSource: { name: app.helmRepository.name, namespace: app.helmRepository.namespace },
      }),
  );
}

/** The HTTPRoute to the release's Service. */
function declareRoute(app: ZotApp, routeProps: ZotAppProps['route']): ZotRoute {
  return field(
    'route',
    () =>
      new ZotRoute(manifest(app, 'HttpRouteFile', app.layout.httpRoute), 'HttpRoute', {
        ...routeProps,
        release: app.release,
      }),
  );
}

/** The app folder's other objects, one file each, in the order kustomization.yaml lists them. */
interface ExtraResources {
  objectBucketClaim?: ObjectBucketClaim;
  backendTrafficPolicy?: BackendTrafficPolicy;
  serviceMonitor?: ServiceMonitor;
  probe?: Probe;
  dashboard?: Dashboard;
  appResources: string[];
}

const EXTRA_FILES = {
  objectBucketClaim: ['ObjectBucketClaimFile', 'objectbucketclaim.yaml'],
  backendTrafficPolicy: ['BackendTrafficPolicyFile', 'backendtrafficpolicy.yaml'],
  serviceMonitor: ['ServiceMonitorFile', 'servicemonitor.yaml'],
  probe: ['ProbeFile', 'probe.yaml'],
  dashboard: ['DashboardFile', 'dashboard.yaml'],
} as const;

function declareExtraResources(
  app: ZotApp,
  extra: ZotAppExtraResources,
  claim: ObjectBucketClaimProps | undefined,
): ExtraResources {
  const out: ExtraResources = { appResources: ['helmrelease.yaml', 'httproute.yaml'] };
  const file = (k: keyof typeof EXTRA_FILES) => {
    out.appResources.push(EXTRA_FILES[k][1]);
    return manifest(app, EXTRA_FILES[k][0], app.layout.extraFiles[k]);
  };
  if (claim) {
    out.objectBucketClaim = field(
      'extraResources.objectBucketClaim',
      () => new ObjectBucketClaim(file('objectBucketClaim'), 'ObjectBucketClaim', claim),
    );
  }
  if (extra.backendTrafficPolicy) {
    const options = extra.backendTrafficPolicy;
    out.backendTrafficPolicy = field(
      'extraResources',
      () =>
        new BackendTrafficPolicy(file('backendTrafficPolicy'), 'BackendTrafficPolicy', {
          ...options,
          routeName: app.route.name,
        }),
    );
    checkGatewayTimeouts(app.route, out.backendTrafficPolicy, app.release);
  }
  const sm = extra.serviceMonitor;
  if (sm)
    out.serviceMonitor = field('extraResources.serviceMonitor', () =>
      serviceMonitorFor(app, file('serviceMonitor'), sm),
    );
  if (extra.probe) out.probe = declareProbe(app, extra.probe, file);
  if (extra.dashboard) out.dashboard = declareDashboard(app, extra.dashboard, file);
  return out;
}

function declareProbe(app: ZotApp, p: ProbeOptions, file: (k: 'probe') => ManifestFile): Probe {
  return field(
    'extraResources.probe',
    () =>
      new Probe(file('probe'), 'Probe', {
        ...p,
        name: p.name ?? app.route.name,
        targets: p.targets ?? app.route.hostnames.map((h) => `https://${h}/livez`),
      }),
  );
}

function declareDashboard(app: ZotApp, d: DashboardOptions, file: (k: 'dashboard') => ManifestFile): Dashboard {
  if (!app.release.metrics)
    refuse(
      'extraResources.dashboard',
      undefined,
      'needs release.metrics: the dashboard shows the metrics zot exports only with the metrics extension',
    );
  return field(
    'extraResources.dashboard',
    () =>
      new Dashboard(file('dashboard'), 'Dashboard', {
        ...d,
        name: d.name ?? `${app.release.name}-dashboard`,
        zotVersion: app.release.zotVersion,
        job: app.release.serviceName,
      }),
  );
}

/** The extra objects whose variables need a source (the dashboard's are Grafana's, left alone). */
function extraObjects(app: ZotApp): ManifestObject[] {
  return [app.objectBucketClaim, app.backendTrafficPolicy, app.serviceMonitor, app.probe]
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
    .map((c) => ({ where: 'extraResources', obj: c.resource }));
}

/** ks.yaml: the Flux Kustomization naming the sources of every variable, and the parent's kustomization.yaml. */
function declareFluxKustomization(
  app: ZotApp,
  ks: ZotAppKustomizationProps,
  dependsOn: Array<{ name: string; namespace?: string }>,
): FluxKustomization {
  const sources: FluxVariableSource[] = [];
  for (const { source } of app.variables) if (!sources.some((s) => sameSource(s, source))) sources.push(source);
  const kustomization = new FluxKustomization(
    manifest(app, 'FluxKustomizationFile', app.layout.fluxKustomization),
    'Kustomization',
    {
      name: app.name,
      path: fluxPath(app.layout.appDir),
      targetNamespace: app.namespace.name,
      gitRepository: ks.gitRepository,
      interval: ks.interval,
      retryInterval: ks.retryInterval,
      timeout: ks.timeout,
      wait: ks.wait,
      substituteFrom: ks.parentInjectsPostBuild ? undefined : sources,
      dependsOn,
    },
  );
  new KustomizeConfig(manifest(app, 'KustomizationFile', app.layout.kustomization), 'Kustomization', {
    resources: ['./namespace.yaml', './ks.yaml'],
  });
  return kustomization;
}

/**
 * Credential variables only inside Secret content: the users' htpasswd lines, and what a feature
 * declares secret (sync credentials: their source is a Secret). A hostname kept in a SOPS Secret to
 * hide it is the user's choice, not a credential: it may be a route's hostname.
 */
function refuseMisplacedCredentials(app: ZotApp, variableSources: Record<string, FluxVariableSource>): void {
  const secretVariables = [
    ...new Set([
      ...app.release.users.map((u) => u.variable),
      ...app.release.featureVariables.filter((v) => (v.source?.kind ?? 'Secret') === 'Secret').map((v) => v.variable),
    ]),
  ];
  const objects = app.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => o.toJson());
  const placement = credentialPlacementProblems(objects, [
    ...secretVariables,
    ...app.variables,
    ...Object.entries(variableSources).map(([variable, source]) => ({ variable, source })),
  ]);
  if (placement.length)
    throw new ZotFluxError(
      placement,
      'credential variables outside Secret content (they would land in plain objects on every cluster)',
    );
}

/** What the app README is written from. */
function readmeInput(
  app: ZotApp,
  extra: ZotAppExtraResources,
  dependsOn: Array<{ name: string; namespace?: string }>,
): AppReadmeInput {
  const what: Record<string, string> = {
    'objectbucketclaim.yaml': `ObjectBucketClaim \`${app.objectBucketClaim?.name}\`: the bucket, and the Secret with its keys`,
    'backendtrafficpolicy.yaml': `Envoy Gateway BackendTrafficPolicy \`${app.backendTrafficPolicy?.name}\` on the route`,
    'servicemonitor.yaml': `ServiceMonitor \`${app.serviceMonitor?.name}\`: Prometheus scrapes zot's metrics`,
    'probe.yaml': `Probe \`${app.probe?.name}\`: the blackbox exporter checks ${app.probe?.targets.map((t) => `\`${t}\``).join(', ')}`,
    'dashboard.yaml': `ConfigMap \`${app.dashboard?.name}\`: Grafana dashboard of zot's metrics`,
  };
  const basicAuth = extra.serviceMonitor?.basicAuth;
  return {
    layout: app.layout,
    release: app.release,
    route: app.route,
    helmRepository: app.helmRepository,
    namespace: app.namespace,
    fluxKustomization: app.fluxKustomization,
    variables: app.variables,
    extraFiles: app.appResources.slice(2).map((file) => ({ file, what: what[file] })),
    ...(app.backendTrafficPolicy
      ? {
          gatewayPolicy: {
            name: app.backendTrafficPolicy.name,
            requestTimeout: app.backendTrafficPolicy.requestTimeout,
          },
        }
      : {}),
    ...(app.serviceMonitor
      ? {
          appServiceMonitor: {
            name: app.serviceMonitor.name,
            scraper: basicAuth ? (basicAuth.user ?? app.release.metrics?.users?.[0] ?? '') : 'anonymous',
          },
        }
      : {}),
    dependsOn,
  };
}

function checkDependsOn(value: unknown): Array<{ name: string; namespace?: string }> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) refuse('kustomization.dependsOn', value, 'is not a list of { name, namespace? }');
  return value.map((d, i) => {
    const at = `kustomization.dependsOn[${i}]`;
    const o = checkObject(d, at);
    if (!o) refuse(at, d, 'is not an object { name, namespace? }');
    checkKnownKeys(o, at, ['name', 'namespace']);
    const name = checkString(o.name, `${at}.name`, { nonEmpty: true });
    if (name === undefined) refuse(`${at}.name`, undefined, 'is missing');
    const namespace = checkString(o.namespace, `${at}.namespace`, { nonEmpty: true });
    // the Flux Kustomization names its dependencies by object name and namespace (DNS-1123)
    for (const [k, v] of [
      ['name', name],
      ['namespace', namespace],
    ] as const) {
      if (v !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v))
        refuse(`${at}.${k}`, v, 'is not a valid object name (lowercase letters, digits and -)');
    }
    return { name, ...(namespace ? { namespace } : {}) };
  });
}

/** The claim for `release.storage`, and the storage with its keys read from the claim's Secret. */
function bucketClaimFor(options: ObjectBucketClaimOptions, release: ZotReleaseProps & { name: string }) {
  const at = 'extraResources.objectBucketClaim';
  checkKnownKeys(options as unknown as Record<string, unknown>, at, ['name', 'storageClassName', 'additionalConfig']);
  if (checkString(options.storageClassName, `${at}.storageClassName`, { nonEmpty: true }) === undefined) {
    refuse(`${at}.storageClassName`, undefined, 'is missing: the StorageClass of the bucket provisioner');
  }
  checkString(options.name, `${at}.name`, { nonEmpty: true });
  const storage = release.storage;
  if (storage?.type !== 's3')
    refuse(
      at,
      undefined,
      "needs release.storage { type: 's3', bucket, endpoint }: the claim makes the bucket zot stores in",
    );
  if (hasPlaceholder(storage.bucket))
    refuse(
      'release.storage.bucket',
      storage.bucket,
      'is a Flux variable, but an ObjectBucketClaim names its bucket in Git: give the name',
    );
  const name = options.name ?? `${release.name}-bucket`;
  const credentials = storage.credentials ?? {
    secretName: name,
    accessKeyIdKey: OBC_ACCESS_KEY,
    secretAccessKeyKey: OBC_SECRET_KEY,
  };
  if (credentials.secretName !== name) {
    refuse(
      'release.storage.credentials.secretName',
      credentials.secretName,
      `is not the Secret the ObjectBucketClaim '${name}' gets its keys in (the provisioner names it after the claim); leave credentials out to use it`,
    );
  }
  return { claim: { ...options, name, bucketName: storage.bucket }, storage: { ...storage, credentials } };
}

/** The app's ServiceMonitor: the zot Service's selector labels, the metrics path, a scraper zot lets in. */
function serviceMonitorFor(app: ZotApp, scope: Construct, options: ServiceMonitorOptions): ServiceMonitor {
  const release = app.release;
  const metrics = release.metrics;
  if (!metrics) refuse('', undefined, 'needs release.metrics: zot serves metrics only with the metrics extension');
  if (metrics.serviceMonitor)
    refuse(
      '',
      undefined,
      "is set next to release.metrics.serviceMonitor (the chart's): Prometheus would scrape every pod twice; keep one",
    );
  const ba = options.basicAuth;
  const who = ba ? { user: ba.user ?? metrics.users?.[0] ?? '' } : ('anonymous' as const);
  if (who !== 'anonymous' && !who.user)
    refuse(
      'basicAuth.user',
      undefined,
      'is missing and release.metrics.users is empty: name the user whose password the Secret holds',
    );
  const can = metricsScrape(release.config, release.zotVersion, who);
  if (!can.allowed)
    refuse(
      '',
      who === 'anonymous' ? 'anonymous' : who.user,
      `cannot read ${metrics.path ?? DEFAULT_METRICS_PATH}: ${can.reason}; Prometheus would get 401 on every scrape`,
    );
  return new ServiceMonitor(scope, 'ServiceMonitor', {
    ...options,
    name: options.name ?? release.serviceName,
    // helm-charts templates/_helpers.tpl zot.selectorLabels: app.kubernetes.io/name (the chart name) and app.kubernetes.io/instance (the release)
    selector: { 'app.kubernetes.io/name': ZOT_CHART_NAME, 'app.kubernetes.io/instance': release.name },
    // helm-charts templates/service.yaml: the Service's port is named `zot`
    port: 'zot',
    path: metrics.path ?? DEFAULT_METRICS_PATH,
    ...(release.scaleOut ? { dropService: headlessServiceName(release.name) } : {}),
  });
}

/**
 * Envoy Gateway's request timeout: the HTTPRoute's `timeouts.request` wins over the policy's
 * (Envoy Gateway v1.2.0..v1.9.0 internal/xds/translator/route.go: getEffectiveRequestTimeout); with
 * neither, Envoy's route timeout of 15 s applies (Envoy Gateway docs, tasks/traffic/http-timeouts:
 * "The default request timeout is set to 15 seconds in Envoy Proxy"), which cuts every push or pull
 * longer than that while zot itself allows its readTimeout/writeTimeout.
 */
function checkGatewayTimeouts(route: ZotRoute, policy: BackendTrafficPolicy, release: ZotRelease): void {
  const routeTimeout = routeRequestTimeout(route);
  const policyTimeout = policy.requestTimeout;
  if (routeTimeout && policyTimeout && envoyMs(routeTimeout) !== envoyMs(policyTimeout)) {
    refuse(
      'extraResources.backendTrafficPolicy.timeout.http.requestTimeout',
      policyTimeout,
      `differs from route.requestTimeout ('${routeTimeout}'), which Envoy Gateway applies instead (the HTTPRoute's timeout takes precedence); set one of them`,
    );
  }
  if (!routeTimeout && !policyTimeout) {
    const zot = (release.config.http as { readTimeout?: string }).readTimeout;
    refuse(
      'extraResources.backendTrafficPolicy.timeout',
      undefined,
      `sets no request timeout and neither does route.requestTimeout: Envoy cuts every request at 15 s${zot ? ` while zot allows ${zot}` : ''}, so large pushes and pulls fail; set route.requestTimeout (e.g. '${zot ?? '30m'}')`,
    );
  }
}

/** Runs a child's constructor; its refusals name the field under this app's props (`release.port: ...`). */
function field<T>(prefix: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e) && !e.field.startsWith(`${prefix}.`) && e.field !== prefix)
      throw e.under(prefix);
    throw e;
  }
}

/** Credentials enter only through Flux variables: a prop value that looks like an htpasswd line or a hash is refused. */
function refuseCredentials(value: unknown, at: string): void {
  if (typeof value === 'string') {
    const found = findCredential(value);
    if (found)
      refuse(
        at,
        undefined,
        `contains ${found}; credentials enter only through Flux variables (see README: rotating a password)`,
      );
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseCredentials(v, `${at}[${i}]`));
  } else if (isPlainObject(value)) {
    // Plain data only: constructs passed in (sharedHelmRepository) are checked where they were made.
    for (const [k, v] of Object.entries(value)) refuseCredentials(v, at ? `${at}.${k}` : k);
  }
}

/** An object of the app's manifests, and the prop it comes from (for refusals). */
interface ManifestObject {
  readonly where: string;
  readonly obj: { toJson(): unknown };
}

type Resolved = Array<{ variable: string; source: FluxVariableSource }>;

/** The variables of `text`; a reference Flux cannot parse is refused at `where`. */
function variablesIn(text: string, where: string): string[] {
  try {
    return fluxVariableNames(text);
  } catch (e) {
    refuse(where, undefined, `${(e as Error).message} (flux would fail the whole reconciliation on every cluster)`);
  }
}

function noSource(where: string, value: unknown, variable: string): never {
  refuse(
    where,
    value,
    `uses the variable ${variable}, which has no source; add it to variableSources (e.g. { ${variable}: { kind: 'ConfigMap', name: 'cluster-settings' } })`,
  );
}

/** The route's hostnames' variables, each with its source from variableSources. */
function hostnameVariables(route: ZotRoute, sources: Record<string, FluxVariableSource>, resolved: Resolved): void {
  route.hostnames.forEach((hostname, i) => {
    for (const variable of variablesIn(hostname, `route.hostnames[${i}]`)) {
      const source = sources[variable] ?? noSource(`route.hostnames[${i}]`, hostname, variable);
      if (!resolved.some((r) => r.variable === variable)) resolved.push({ variable, source });
    }
  });
}

/** The release's own variables (credentials and keys), none of them shared with the route. */
function releaseVariables(release: ZotRelease, resolved: Resolved): void {
  for (const v of release.variableSources) {
    if (resolved.some((r) => r.variable === v.variable)) {
      if (release.users.some((u) => u.variable === v.variable))
        refuse(
          'release.users',
          v.variable,
          'is also used by the route; a credential variable must hold only an htpasswd line',
        );
      refuse(
        'release',
        v.variable,
        'is also used by the route; a variable the release reads as a credential or key must hold only that',
      );
    }
    resolved.push(v);
  }
}

/** Anything else the manifests use (a ${VAR} in valuesOverrides or an annotation) needs a source too. */
function manifestVariables(
  objects: readonly ManifestObject[],
  sources: Record<string, FluxVariableSource>,
  resolved: Resolved,
): void {
  for (const { where, obj } of objects) {
    for (const variable of variablesIn(JSON.stringify(obj.toJson()), where)) {
      if (resolved.some((r) => r.variable === variable)) continue;
      resolved.push({ variable, source: sources[variable] ?? noSource(where, undefined, variable) });
    }
  }
}

/** Every variable the app/ manifests use, with its source, in order of first use. */
function resolveVariables(
  route: ZotRoute,
  release: ZotRelease,
  sources: Record<string, FluxVariableSource>,
  extras: readonly ManifestObject[] = [],
): Resolved {
  const resolved: Resolved = [];
  hostnameVariables(route, sources, resolved);
  releaseVariables(release, resolved);
  const objects = [{ where: 'release', obj: release.resource }, { where: 'route', obj: route.resource }, ...extras];
  manifestVariables(objects, sources, resolved);
  return resolved;
}
