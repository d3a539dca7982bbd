import { Construct } from 'constructs';
import * as helm from '../../imports/helm.toolkit.fluxcd.io';
import { Problem, refuse, ZotFluxError } from '../core/error';
import { deepMerge } from '../core/merge';
import { refuseDeepNesting } from '../core/nesting';
import {
  checkInteger,
  checkKnownKeys,
  checkList,
  checkObject,
  checkOneOf,
  checkString,
  checkStringList,
  propKeys,
} from '../core/props';
import { COMMON_SECRETS, FluxVariableSource, variableRef } from '../flux/variables';
import {
  usersInPolicies,
  ZotAction,
  ZotAccessControl,
  ZotConfig,
  ZotExtensions,
  ZotLogLevel,
  ZOT_LOG_LEVELS,
} from '../zot/config';
import { anonymousReadBreaksPush, chartFact, knownBadChartReason } from '../zot/chart-versions';
import { checkedZotVersion } from '../zot/startup';
import { AccessIntent, compileAccess } from '../zot/access';
import { ANONYMOUS_WRITE_ANNOTATION, anonymousWriteAnnotation } from '../checks/zot-release';
import {
  isUnsafeValuePath,
  UNSAFE_VALUE_PATHS,
  UNSAFE_VALUES_ANNOTATION,
  unsafeValuesAnnotation,
  unsafeValuesProblems,
} from '../checks/unsafe-values';
import { ACKNOWLEDGED_ADVISORIES_ANNOTATION } from '../checks/advisories';
import { ADVISORIES, advisoryByName } from '../zot/advisories';
import { ZOT_CHART_NAME, ZOT_CHART_VERSION, ZOT_CONFIG_FILE, ZOT_SECRET_MOUNT_DIR, zotServiceName } from '../zot/chart';
import { EnvVar, FeatureOutput, FeatureVariable } from '../zot/features/common';
import { BuildContext, BuiltConfig, FeatureContext } from '../zot/features/feature';
import { ZOT_FEATURES, ZOT_FEATURES_BUILT, ZotFeatureProps } from '../zot/features/registry';
import { effectiveDedupe, ZotRetention, ZotStorage } from '../zot/features/storage';
import { clusterMembers, ZotPodDisruptionBudget, ZotRedisCache, ZotScaleOut } from '../zot/features/scale-out';
import { ZotSync } from '../zot/features/sync';
import { ZotMetrics } from '../zot/features/metrics';
import {
  accessIntent,
  advisoryProblems,
  AnonymousWrite,
  checkAnonymousWrite,
  checkUserShape,
  checkUsers,
  SEED_ADMIN,
  ZotUser,
} from './release-users';
import { ACCESS_MODES, mergedValuesProblems, QUANTITY, SERVICE_TYPES } from './release-values';

export { SEED_ADMIN } from './release-users';
export type { AnonymousWrite, ZotGrant, ZotUser } from './release-users';

/** The props ZotRelease types itself; the typed zot features' props are in lib/zot/features (ZotFeatureProps). */
export interface ZotReleaseCoreProps {
  /**
   * HelmRelease name; also the Helm release name.
   * @default 'zot'
   */
  readonly name?: string;
  /**
   * Chart version.
   * @default ZOT_CHART_VERSION (lib/zot-chart.ts)
   */
  readonly chartVersion?: string;
  /**
   * The HelmRepository the chart comes from.
   * @default { name: 'zot', namespace: 'flux-system' }
   */
  readonly chartSource?: { readonly name: string; readonly namespace: string };
  /**
   * Reconciliation interval.
   * @default '30m'
   */
  readonly interval?: string;
  /**
   * Install and upgrade remediation retries.
   * @default 3
   */
  readonly remediationRetries?: number;
  /**
   * The port zot listens on; the same value is the Service port, the container port and the route's backend port.
   * @default 5000
   */
  readonly port?: number;
  /**
   * Service type.
   * @default 'ClusterIP'
   */
  readonly serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /**
   * Size of the registry's PersistentVolumeClaim.
   * @default '20Gi'
   */
  readonly storageSize?: string;
  /**
   * Access modes of the PersistentVolumeClaim.
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: string[];
  /**
   * StorageClass of the PersistentVolumeClaim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Registry accounts, each with its own Flux variable and its own actions.
   * @default [SEED_ADMIN]
   */
  readonly users?: ZotUser[];
  /**
   * Repository globs anonymous clients may pull from (read only). Every signed-in user may pull
   * them too: docker sends credentials whenever it has them, so logging in never loses access.
   * @default [] - no anonymous access at all
   */
  readonly anonymousRead?: string[];
  /**
   * Repository globs every signed-in user may pull from (zot's `defaultPolicy`), on top of each
   * user's own rights; anonymous clients get nothing from it.
   * @default [] - a signed-in user gets its own rights and what anonymous clients get
   */
  readonly authenticatedRead?: string[];
  /**
   * The only way to let anonymous clients create, update or delete: the globs and actions, listed.
   * The seed repository's owners chose anonymous push on a tailnet-only gateway; synth writes the
   * choice into the HelmRelease annotation `zot-flux.io/anonymous-write`, the app README and
   * `npm run access` flag it, and synth refuses any anonymous write not listed here.
   * @default [] - anonymous clients never write
   */
  readonly anonymousWrite?: Array<{ readonly repositories: string[]; readonly actions: ZotAction[] }>;
  /**
   * zot's log level.
   * @default 'info'
   */
  readonly logLevel?: ZotLogLevel;
  /**
   * Where zot stores images inside the pod (the chart mounts the PVC there).
   * @default '/var/lib/registry'
   */
  readonly rootDirectory?: string;
  /**
   * zot extensions (search, ui, metrics, scrub).
   * @default - none
   */
  readonly extensions?: ZotExtensions;
  /**
   * Extra chart values merged over the generated ones (objects merge, lists and scalars replace),
   * for chart settings this construct does not type (resources, nodeSelector, ...). The result is
   * checked like everything else: it cannot move the config, the Secret or the port out of line.
   * @default - none
   */
  readonly valuesOverrides?: Record<string, unknown>;
  /**
   * The valuesOverrides paths allowed to change the zot container or the config it loads, by name:
   * `image.repository` (which image runs as zot), `extraArgs` (its command line), `initContainers`,
   * `extraContainers`, `extraVolumes`, `extraVolumeMounts`, `externalSecrets`, `securityContext`,
   * `podSecurityContext`, `mountConfig`, `mountSecret`, `configFiles`, `secretFiles`, `service.type`,
   * and the chart's own exposure of zot beside the app's route: `ingress.enabled`, `httproute.enabled`,
   * `listenerset.enabled` (lib/checks/unsafe-values.ts UNSAFE_VALUES, read from the chart's templates),
   * or a parent of one (`image`, `ingress`); any other entry is refused. An override of such a path that is not named here is
   * refused, naming `valuesOverrides.<path>` and the value. The list is written into the HelmRelease
   * annotation `zot-flux.io/unsafe-values` and, in bold, into the app README; synth still renders the
   * chart and judges what runs. Naming a path never lifts a typed refusal: a Service of type
   * ExternalName, a port out of range, a storage size that is not a quantity, `{{` in placement on a
   * chart that runs it through tpl, replicas, the ServiceMonitor or the PodDisruptionBudget outside
   * their props are refused on the merged values whatever is named.
   * @default [] - no override may change what runs
   */
  readonly unsafeValues?: string[];
  /**
   * Security advisories against the deployed zot (lib/zot/known-advisories.json) acknowledged by name
   * (id or alias): synth refuses a declaration whose meaning an advisory breaks on the deployed zot
   * (create without update on zot < v2.1.15: CVE-2026-31801) unless it is named here. Written into
   * the HelmRelease annotation `zot-flux.io/acknowledged-advisories`; synth still warns.
   * @default [] - nothing acknowledged
   */
  readonly acknowledgedAdvisories?: string[];
}

/** What a ZotRelease takes: its own props and those of every typed zot feature (lib/zot/features/registry.ts). */
export interface ZotReleaseProps extends ZotReleaseCoreProps, ZotFeatureProps {}

/** The core props, each once: a key missing here or one the interface lacks is a compile error. */
const CORE_PROPS = propKeys<ZotReleaseCoreProps>({
  name: true,
  chartVersion: true,
  chartSource: true,
  interval: true,
  remediationRetries: true,
  port: true,
  serviceType: true,
  storageSize: true,
  accessModes: true,
  storageClassName: true,
  users: true,
  anonymousRead: true,
  anonymousWrite: true,
  authenticatedRead: true,
  logLevel: true,
  rootDirectory: true,
  extensions: true,
  valuesOverrides: true,
  unsafeValues: true,
  acknowledgedAdvisories: true,
});

/** Every prop a ZotRelease takes, derived from the types; the features' after valuesOverrides (the order refusals list them in). */
const RELEASE_PROPS: readonly string[] = ((at: number) => [
  ...CORE_PROPS.slice(0, at),
  ...ZOT_FEATURES.flatMap((f) => f.props),
  ...CORE_PROPS.slice(at),
])(CORE_PROPS.indexOf('valuesOverrides') + 1);

/** The release's own settings, checked, with their defaults. */
interface Core {
  readonly name: string;
  readonly chartVersion: string;
  /** The image the chart runs unless overridden. */
  readonly imageRepository: string;
  readonly zotVersion: string;
  readonly port: number;
  readonly serviceName: string;
  readonly serviceType: string;
  readonly storageSize: string;
  readonly accessModes: string[];
  readonly users: ZotUser[];
  readonly anonymousRead: string[];
  readonly authenticatedRead: string[];
  readonly anonymousWrite: AnonymousWrite;
  readonly unsafeValues: string[];
  readonly acknowledgedAdvisories: string[];
  readonly rootDirectory: string;
  readonly htpasswdPath: string;
  readonly htpasswdTemplate: string;
}

/** What the features built, merged in registry order. */
interface Built {
  readonly config: Record<string, unknown>;
  readonly values: Record<string, unknown>;
  readonly env: EnvVar[];
  readonly featureVariables: FeatureVariable[];
  readonly secretFiles: Record<string, string>;
}

/** The fields a ZotRelease exposes, set once by its constructor. */
type ReleaseState = Omit<ZotRelease, keyof Construct | 'resource' | 'variableSources'>;

/** A HelmRelease of the zot chart, with zot's config.json built from a typed object. */
export class ZotRelease extends Construct {
  declare readonly name: string;
  declare readonly chartVersion: string;
  /** The zot version the release deploys: `valuesOverrides.image.tag`, else the chart's. */
  declare readonly zotVersion: string;
  declare readonly port: number;
  declare readonly serviceName: string;
  declare readonly serviceType: string;
  declare readonly storageSize: string;
  declare readonly accessModes: string[];
  declare readonly users: ZotUser[];
  declare readonly anonymousRead: string[];
  /** Globs every signed-in user may pull from. */
  declare readonly authenticatedRead: string[];
  declare readonly anonymousWrite: AnonymousWrite;
  /** The valuesOverrides paths opted in to although they change what runs (unsafeValues). */
  declare readonly unsafeValues: string[];
  /** The advisories acknowledged by name (acknowledgedAdvisories), by their ids. */
  declare readonly acknowledgedAdvisories: string[];
  /** Who may do what, as declared. */
  declare readonly accessIntent: AccessIntent;
  /** zot's http.accessControl compiled from it: zot's longest-match evaluation gives exactly the intent. */
  declare readonly accessControl: ZotAccessControl;
  /** zot's config.json, as an object. */
  declare readonly config: ZotConfig;
  /** The htpasswd file as committed: one `${VAR}` per user, one per line. */
  declare readonly htpasswdTemplate: string;
  /** Path of the htpasswd file inside the pod. */
  declare readonly htpasswdPath: string;
  readonly resource: helm.HelmRelease;
  /** Where images live. */
  declare readonly storage: ZotStorage;
  /** The dedupe zot runs with. */
  declare readonly dedupe: boolean;
  declare readonly remoteCache?: ZotRedisCache;
  declare readonly replicas: number;
  declare readonly scaleOut?: ZotScaleOut;
  /** zot's cluster members (empty without scaleOut). */
  declare readonly clusterMembers: string[];
  declare readonly podDisruptionBudget?: ZotPodDisruptionBudget;
  declare readonly sync?: ZotSync;
  declare readonly metrics?: ZotMetrics;
  declare readonly retention?: ZotRetention;
  /** The container env the features add (S3 keys from a Secret). */
  declare readonly env: EnvVar[];
  /** Flux variables the features add (cluster hashKey, sync credentials), with what they hold. */
  declare readonly featureVariables: FeatureVariable[];
  /** The keys of the chart's Secret (secretFiles): htpasswd, and the sync credentials file. */
  declare readonly secretFileKeys: string[];
  /** The chart values the release sets (before valuesOverrides). */
  declare readonly generatedValues: Record<string, unknown>;
  /** The typed zot features' props, as checked (what each feature's README lines are written from). */
  declare readonly featureProps: ZotFeatureProps & { readonly extensions?: ZotExtensions };

  constructor(scope: Construct, id: string, props: ZotReleaseProps = {}) {
    super(scope, id);
    const core = checkCoreProps(props);
    const context = buildContext(core);
    checkFeatures(props, context);
    const access = compileDeclaredAccess(core);
    const built = buildFeatures(props, context);
    const accessControl = withFeatureAccess(access.compiled, built.config);
    const config = zotConfig(props, core, accessControl, built.config);
    verifyConfig(props, core, config, context);
    refuseTakenVariables(core.users, built.featureVariables);
    const generatedValues = chartValues(props, core, config, built);
    const values = checkedOverrides(props, core, generatedValues);
    const { imageRepository: _image, rootDirectory: _root, ...exposed } = core;
    const state: ReleaseState = {
      ...exposed,
      ...featureState(props),
      accessIntent: access.intent,
      accessControl,
      config,
      clusterMembers: props.scaleOut ? clusterMembers(core.name, props.replicas ?? 1, core.port) : [],
      env: built.env,
      featureVariables: built.featureVariables,
      secretFileKeys: [HTPASSWD_KEY, ...Object.keys(built.secretFiles)],
      generatedValues,
      featureProps: props,
    };
    Object.assign(this, state);
    this.resource = helmRelease(this, props, core, values);
  }

  /** Each variable this release uses, with the source it is substituted from. */
  get variableSources(): Array<{ variable: string; source: FluxVariableSource }> {
    return [
      ...this.users.map((u) => ({ variable: u.variable, source: u.source ?? COMMON_SECRETS })),
      ...this.featureVariables.map((v) => ({
        variable: v.variable,
        source: (v.source as FluxVariableSource | undefined) ?? COMMON_SECRETS,
      })),
    ].filter((v, i, all) => all.findIndex((w) => w.variable === v.variable) === i);
  }
}

/** The release's own props: known keys, nesting, chart and zot version, Service, volume, accounts, opt-ins. */
function checkCoreProps(props: ZotReleaseProps): Core {
  checkKnownKeys(checkObject(props, 'release'), '', RELEASE_PROPS);
  // Before any walk: a value nested thousands deep would run node out of stack (lib/core/nesting.ts).
  for (const [k, v] of Object.entries(props)) refuseDeepNesting(v, k);
  const { name, chartVersion, imageRepository, zotVersion } = checkVersions(props);
  const declared = checkDeclaredShapes(props);
  const opted = checkOptIns(props);
  checkObject(props.chartSource, 'chartSource');
  checkServiceAndVolume(declared);
  checkUsers(declared.users);
  const htpasswdPath = `${ZOT_SECRET_MOUNT_DIR}/${HTPASSWD_KEY}`;
  return {
    name,
    chartVersion,
    imageRepository,
    zotVersion,
    serviceName: zotServiceName(name),
    ...declared,
    ...opted,
    rootDirectory: props.rootDirectory ?? '/var/lib/registry',
    htpasswdPath,
    htpasswdTemplate: declared.users.map((u) => variableRef(u.variable)).join('\n'),
  };
}

/** The Secret key of the htpasswd file. */
const HTPASSWD_KEY = 'htpasswd';

/** The name, the chart version (known and not known-bad) and the zot version it deploys. */
function checkVersions(props: ZotReleaseProps) {
  const name = checkString(props.name, 'name', { nonEmpty: true }) ?? 'zot';
  const chartVersion = checkString(props.chartVersion, 'chartVersion', { nonEmpty: true }) ?? ZOT_CHART_VERSION;
  const fact = chartFact(chartVersion, 'chartVersion');
  const bad = knownBadChartReason(chartVersion);
  if (bad) refuse('chartVersion', chartVersion, `is a known-bad zot chart: ${bad}`);
  const image = props.valuesOverrides?.image;
  const tag = image !== null && typeof image === 'object' ? (image as Record<string, unknown>).tag : undefined;
  const zotVersion = typeof tag === 'string' ? checkedZotVersion(tag, 'valuesOverrides.image.tag') : fact.zotVersion;
  return { name, chartVersion, imageRepository: fact.imageRepository, zotVersion };
}

/** The props' shapes as their types declare them (esbuild does not type-check main.ts), with their defaults. */
function checkDeclaredShapes(props: ZotReleaseProps) {
  const declared = {
    port: props.port ?? 5000,
    serviceType: checkOneOf(props.serviceType, 'serviceType', SERVICE_TYPES) ?? 'ClusterIP',
    storageSize: checkString(props.storageSize, 'storageSize') ?? '20Gi',
    accessModes: checkStringList(props.accessModes, 'accessModes') ?? ['ReadWriteOnce'],
    users: checkList(props.users, 'users', checkUserShape) ?? [SEED_ADMIN],
    anonymousRead: checkStringList(props.anonymousRead, 'anonymousRead', { unique: true }) ?? [],
    authenticatedRead: checkStringList(props.authenticatedRead, 'authenticatedRead', { unique: true }) ?? [],
    anonymousWrite: checkAnonymousWrite(props.anonymousWrite) ?? [],
  };
  checkString(props.interval, 'interval', { nonEmpty: true });
  checkInteger(props.remediationRetries, 'remediationRetries', 0, 1000);
  checkString(props.storageClassName, 'storageClassName', { nonEmpty: true });
  checkString(props.rootDirectory, 'rootDirectory', { nonEmpty: true });
  checkOneOf(props.logLevel, 'logLevel', ZOT_LOG_LEVELS);
  checkObject(props.extensions, 'extensions');
  refuseDelimitedKeys(props.extensions, 'extensions');
  for (const f of ZOT_FEATURES) for (const k of f.configProps ?? []) refuseDelimitedKeys(props[k], k);
  checkObject(props.valuesOverrides, 'valuesOverrides');
  return declared;
}

/** unsafeValues and acknowledgedAdvisories: known paths and known advisories (by id or alias, kept by id). */
function checkOptIns(props: ZotReleaseProps) {
  const unsafeValues = checkStringList(props.unsafeValues, 'unsafeValues', { unique: true }) ?? [];
  unsafeValues.forEach((u, i) => {
    if (!isUnsafeValuePath(u))
      refuse(
        `unsafeValues[${i}]`,
        u,
        `is not a value path that changes what runs, nor a parent of one (${Object.keys(UNSAFE_VALUE_PATHS).join(', ')}); other values need no opt-in`,
      );
  });
  const named = checkStringList(props.acknowledgedAdvisories, 'acknowledgedAdvisories', { unique: true }) ?? [];
  const ids = named.map(
    (x, i) =>
      advisoryByName(x)?.id ??
      refuse(
        `acknowledgedAdvisories[${i}]`,
        x,
        `is no advisory this project knows (lib/zot/known-advisories.json: ${ADVISORIES.map((a) => a.id).join(', ')})`,
      ),
  );
  return { unsafeValues, acknowledgedAdvisories: [...new Set(ids)] };
}

function checkServiceAndVolume(d: { port: number; storageSize: string; accessModes: string[] }): void {
  if (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535) {
    refuse('port', d.port, 'is not an integer from 1 to 65535');
  }
  if (!QUANTITY.test(d.storageSize)) {
    refuse('storageSize', d.storageSize, 'is not a Kubernetes quantity (e.g. 20Gi)');
  }
  if (d.accessModes.length === 0)
    refuse('accessModes', d.accessModes, 'is empty; at least one access mode is required');
  for (const m of d.accessModes) {
    if (!ACCESS_MODES.includes(m)) refuse('accessModes', m, `is not an access mode (${ACCESS_MODES.join(', ')})`);
  }
}

function buildContext(core: Core): BuildContext {
  return {
    zotVersion: core.zotVersion,
    chartVersion: core.chartVersion,
    releaseName: core.name,
    port: core.port,
    rootDirectory: core.rootDirectory,
    userNames: core.users.map((u) => u.name),
  };
}

/**
 * The production features (lib/zot/features/registry.ts), each checked as its type declares it and
 * against the deployed versions, then the combinations across them.
 */
function checkFeatures(props: ZotReleaseProps, ctx: FeatureContext): void {
  for (const f of ZOT_FEATURES) f.check(props, ctx);
  for (const f of ZOT_FEATURES) f.checkTogether?.(props);
}

/** The features' props as the release exposes them, with their defaults. */
function featureState(props: ZotReleaseProps) {
  const storage = props.storage ?? { type: 'local' };
  const remoteCache = props.remoteCache;
  return {
    storage,
    dedupe: effectiveDedupe({ storage, dedupe: props.dedupe, remoteCache: remoteCache !== undefined }),
    retention: props.retention,
    remoteCache,
    replicas: props.replicas ?? 1,
    scaleOut: props.scaleOut,
    podDisruptionBudget: props.podDisruptionBudget,
    sync: props.sync,
    metrics: props.metrics,
  };
}

/**
 * The declared access compiled into zot's accessControl; refused on a zot whose anonymous handling
 * breaks pushes, named with the advisories the same access meets, so one run shows all.
 */
function compileDeclaredAccess(core: Core): { intent: AccessIntent; compiled: ReturnType<typeof compileAccess> } {
  const intent = accessIntent(core.users, core.anonymousRead, core.anonymousWrite, core.authenticatedRead);
  const compiled = compileAccess(intent, core.zotVersion);
  refuseAnonymousBreakingPush(core, compiled);
  return { intent, compiled };
}

/**
 * anonymousRead and anonymousWrite both become an anonymousPolicy, and any anonymousPolicy, whatever its
 * actions, lets an anonymous GET /v2/ pass before zot v2.1.16 (zot v2.1.14 pkg/api/authn.go tryAuthnHandlers:
 * allowAnonymous := AnonymousPolicyExists(), pkg/api/config/config.go: any non-empty AnonymousPolicy), so
 * docker sees 200, never sends the users' credentials, and their pushes fail; fixed in zot v2.1.16
 * (authn.go, PR #3868). Named with the advisories the same access depends on, so one run shows all.
 */
function refuseAnonymousBreakingPush(core: Core, compiled: unknown): void {
  if (!anonymousReadBreaksPush(core.zotVersion)) return;
  const breaks = `would break docker pushes on zot ${core.zotVersion}: before v2.1.16 zot answers /v2/ to anonymous clients with 200 whenever an anonymousPolicy exists, so docker never sends its credentials (fixed in zot v2.1.16, PR #3868); use a chart that deploys zot ≥ v2.1.16`;
  const anonymous: Problem[] = [
    ...(core.anonymousRead.length ? [{ field: 'anonymousRead', value: core.anonymousRead, reason: breaks }] : []),
    ...(core.anonymousWrite.length ? [{ field: 'anonymousWrite', value: core.anonymousWrite, reason: breaks }] : []),
  ];
  if (!anonymous.length) return;
  const problems = [
    ...anonymous,
    ...advisoryProblems(compiled, core.zotVersion, core.acknowledgedAdvisories, core.users),
  ];
  throw new ZotFluxError(problems, problems.length > 1 ? 'anonymous access this zot cannot give' : undefined);
}

/**
 * Every feature's output (lib/zot/features/*): config.json fragments and chart values merged key by
 * key, container env, secret files and Flux variables listed, in the registry's build order.
 */
function buildFeatures(props: ZotReleaseProps, ctx: BuildContext): Built {
  const outputs: FeatureOutput[] = ZOT_FEATURES_BUILT.map((f) => f.build(props, ctx));
  const secretFiles: Record<string, string> = {};
  for (const f of outputs) Object.assign(secretFiles, f.secretFiles ?? {});
  return {
    config: outputs.reduce<Record<string, unknown>>((acc, f) => deepMerge(acc, f.config ?? {}), {}),
    values: outputs.reduce<Record<string, unknown>>((acc, f) => deepMerge(acc, f.values ?? {}), {}),
    env: outputs.flatMap((f) => f.env ?? []),
    featureVariables: outputs.flatMap((f) => f.variables ?? []),
    secretFiles,
  };
}

/** An object the features' config holds at `key`, or {}. */
function section(config: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = config[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * zot's accessControl: the compiled repositories (only admins: one '**' key with no policies, which
 * reads as the seed did and decides the same), then what features add (metrics' users).
 */
function withFeatureAccess(
  compiled: ReturnType<typeof compileAccess>,
  featureConfig: Record<string, unknown>,
): ZotAccessControl {
  const repositories =
    Object.keys(compiled.repositories).length === 0
      ? { '**': { policies: [], defaultPolicy: [] } }
      : compiled.repositories;
  const added = section(section(featureConfig, 'http'), 'accessControl');
  return deepMerge({ ...compiled, repositories }, added) as unknown as ZotAccessControl;
}

/** config.json: storage, http (the features' keys before auth and accessControl), log, extensions, the rest. */
function zotConfig(
  props: ZotReleaseProps,
  core: Core,
  accessControl: ZotAccessControl,
  featureConfig: Record<string, unknown>,
): ZotConfig {
  const { storage: _storage, http: _http, extensions: featureExtensions, ...rest } = featureConfig;
  const { accessControl: _added, ...featureHttp } = section(featureConfig, 'http');
  const extensions =
    props.extensions || featureExtensions
      ? deepMerge({ ...(props.extensions ?? {}) }, section(featureConfig, 'extensions'))
      : undefined;
  return {
    storage: { rootDirectory: core.rootDirectory, ...section(featureConfig, 'storage') },
    http: {
      address: '0.0.0.0',
      port: String(core.port),
      ...featureHttp,
      auth: { htpasswd: { path: core.htpasswdPath } },
      accessControl,
    },
    log: { level: props.logLevel ?? 'info' },
    ...(extensions ? { extensions } : {}),
    ...rest,
  } as ZotConfig;
}

/** What only the whole config.json shows: every user a policy names has a line; the features' own checks. */
function verifyConfig(props: ZotReleaseProps, core: Core, config: ZotConfig, ctx: BuildContext): void {
  for (const name of usersInPolicies(config)) {
    if (!core.users.some((u) => u.name === name)) {
      refuse('users', name, 'is named in an access policy but has no htpasswd variable');
    }
  }
  for (const f of ZOT_FEATURES) f.verify?.(props, config as unknown as BuiltConfig, ctx);
}

/** One variable carries one value: a feature's variable may not be a user's htpasswd variable. */
function refuseTakenVariables(users: readonly ZotUser[], featureVariables: readonly FeatureVariable[]): void {
  const taken = new Set(users.map((u) => u.variable));
  for (const v of featureVariables) {
    if (taken.has(v.variable))
      refuse(
        'users',
        v.variable,
        `is a user's htpasswd variable and also holds ${v.holds}: one variable carries one value`,
      );
  }
}

/** The chart values the props generate (before valuesOverrides). */
function chartValues(props: ZotReleaseProps, core: Core, config: ZotConfig, built: Built): Record<string, unknown> {
  return {
    service: { type: core.serviceType, port: core.port },
    httpGet: { port: core.port },
    persistence: true,
    pvc: {
      create: true,
      storage: core.storageSize,
      accessModes: core.accessModes,
      ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
    },
    mountConfig: true,
    mountSecret: true,
    configFiles: { [ZOT_CONFIG_FILE]: JSON.stringify(config, null, 2) },
    secretFiles: { [HTPASSWD_KEY]: core.htpasswdTemplate, ...built.secretFiles },
    ...(built.env.length ? { env: built.env } : {}),
    ...built.values,
  };
}

/**
 * valuesOverrides merged over the generated values: the typed props' refusals hold on the result
 * (whatever unsafeValues names), then every change to what the zot container runs or loads needs its
 * name in unsafeValues. All are named in one pass, the typed refusals first.
 */
function checkedOverrides(
  props: ZotReleaseProps,
  core: Core,
  generated: Record<string, unknown>,
): Record<string, unknown> {
  const values = deepMerge(generated, props.valuesOverrides ?? {});
  const refused = mergedValuesProblems(values, generated, {
    chartVersion: core.chartVersion,
    replicas: props.replicas ?? 1,
  });
  const unsafe = unsafeValuesProblems(values, generated, core.unsafeValues, {
    chartDefaults: { image: { repository: core.imageRepository } },
  });
  if (refused.length || unsafe.length)
    throw new ZotFluxError(
      [...refused, ...unsafe],
      unsafe.length ? 'valuesOverrides would change what runs' : undefined,
    );
  return values;
}

/** The annotations that say what the release opted in to. */
function optInAnnotations(core: Core): Record<string, string> {
  return {
    ...(core.anonymousWrite.length
      ? { [ANONYMOUS_WRITE_ANNOTATION]: anonymousWriteAnnotation(core.anonymousWrite) }
      : {}),
    ...(core.unsafeValues.length ? { [UNSAFE_VALUES_ANNOTATION]: unsafeValuesAnnotation(core.unsafeValues) } : {}),
    ...(core.acknowledgedAdvisories.length
      ? { [ACKNOWLEDGED_ADVISORIES_ANNOTATION]: core.acknowledgedAdvisories.join(', ') }
      : {}),
  };
}

/** The HelmRelease object. */
function helmRelease(
  scope: Construct,
  props: ZotReleaseProps,
  core: Core,
  values: Record<string, unknown>,
): helm.HelmRelease {
  const retries = props.remediationRetries ?? 3;
  const source = props.chartSource ?? { name: 'zot', namespace: 'flux-system' };
  const annotations = optInAnnotations(core);
  return new helm.HelmRelease(scope, 'Resource', {
    metadata: {
      name: core.name,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      interval: props.interval ?? '30m',
      chart: {
        spec: {
          chart: ZOT_CHART_NAME,
          version: core.chartVersion,
          sourceRef: {
            kind: helm.HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY,
            name: source.name,
            namespace: source.namespace,
          },
        },
      },
      install: { remediation: { retries } },
      upgrade: { cleanupOnFail: true, remediation: { retries } },
      values,
    },
  });
}

/**
 * Refuses a key holding "::" anywhere in `value` (maps and lists, at any depth), naming where and the key.
 * zot v2.1.14..v2.1.20 pkg/cli/server/root.go LoadConfiguration: viper.New(viper.KeyDelimiter("::")), so
 * "search::enable" is the setting search.enable, and viper v1.21.0 viper.go find → searchIndexableWithPathPrefixes
 * tries the longest prefix first: the "::" key wins over the nested one written beside it.
 */
function refuseDelimitedKeys(value: unknown, at: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => refuseDelimitedKeys(v, `${at}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('::')) {
        refuse(
          at,
          k,
          `is a key holding '::', zot's viper key delimiter: viper reads it as the nested keys ${k
            .split('::')
            .map((x) => `'${x}'`)
            .join(' → ')}, and it wins over those keys written nested; write them nested`,
        );
      }
      refuseDelimitedKeys(v, `${at}.${k}`);
    }
  }
}
