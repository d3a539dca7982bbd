import { Construct } from 'constructs';
import * as helm from '../../imports/helm.toolkit.fluxcd.io';
import { Problem, refuse, ZotFluxError } from '../core/error';
import { refuseDeepNesting } from '../core/nesting';
import {
  checkBoolean,
  checkInteger,
  checkKnownKeys,
  checkList,
  checkObject,
  checkOneOf,
  checkString,
  checkStringList,
} from '../core/props';
import { COMMON_SECRETS, FluxVariableSource, variableRef } from '../flux/variables';
import { FLUX_VARIABLE_NAME } from '../flux/substitution';
import {
  ALL_ACTIONS,
  usersInPolicies,
  ZotAction,
  ZotConfig,
  ZotExtensions,
  ZotAccessControl,
  ZotLogLevel,
  ZOT_ACTIONS,
  ZOT_LOG_LEVELS,
} from '../zot/config';
import { anonymousReadBreaksPush, chartFact, knownBadChartReason } from '../zot/chart-versions';
import { ZOT_FEATURES, ZotFeatureProps } from '../zot/features/registry';
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
import {
  ADVISORIES,
  advisoriesFor,
  advisoryByName,
  advisoryHits,
  advisoryMeaning,
  advisoryName,
  advisoryRemedy,
} from '../zot/advisories';
import { ZOT_CHART_NAME, ZOT_CHART_VERSION, ZOT_CONFIG_FILE, ZOT_SECRET_MOUNT_DIR, zotServiceName } from '../zot/chart';
import { deepMerge } from '../core/merge';
import { chartAtLeast, EnvVar, FeatureOutput, FeatureVariable } from '../zot/features/common';
import { propKeys } from '../zot/features/feature';
import { TPL_PLACEMENT_SINCE } from '../zot/features/chart-values';
import {
  checkGc,
  checkRetention,
  checkStorage,
  effectiveDedupe,
  isSharedStorage,
  storageFeature,
  ZotGc,
  ZotRetention,
  ZotStorage,
} from '../zot/features/storage';
import {
  checkPodDisruptionBudget,
  checkRemoteCache,
  checkScaleOut,
  clusterMembers,
  headlessServiceName,
  scaleOutFeature,
  ZotPodDisruptionBudget,
  ZotRedisCache,
  ZotScaleOut,
} from '../zot/features/scale-out';
import { checkSync, syncFeature, ZotSync } from '../zot/features/sync';
import {
  checkMetrics,
  metricsFeature,
  metricsScrape,
  serviceMonitorScraper,
  ZotMetrics,
} from '../zot/features/metrics';
import {
  checkCompat,
  checkPlacement,
  checkResources,
  checkStartupProbe,
  podFeature,
  ZotCompatMode,
  ZotPlacement,
  ZotResources,
  ZotStartupProbe,
} from '../zot/features/pod';

/** Actions a user may do on the repositories the globs match. */
export interface ZotGrant {
  /** What the user may do there. */
  readonly actions: ZotAction[];
  /** Repository globs (zot's doublestar syntax), e.g. `['team/**']`. */
  readonly repositories: string[];
}

/** One registry account. Its htpasswd line never enters Git: it comes from a Flux variable. */
export interface ZotUser {
  /** The user name (the part before `:` in its htpasswd line). */
  readonly name: string;
  /** The Flux variable holding this user's whole htpasswd line, e.g. `COMMON_OCI`. */
  readonly variable: string;
  /**
   * What the user may do in `repositories`: the one-grant shorthand for
   * `grants: [{ actions, repositories }]`. Not together with `grants`.
   * @default - none: give `actions`, `grants` or `admin: true`
   */
  readonly actions?: ZotAction[];
  /**
   * Repository globs the actions apply to. zot decides each name with the longest matching glob
   * only; synth compiles what is declared here into keys that give exactly this (lib/zot/access.ts).
   * @default ['**']
   */
  readonly repositories?: string[];
  /**
   * Different rights on different repositories, e.g. push to `team/**` and pull everything:
   * `[{ actions: ['read', 'create', 'update'], repositories: ['team/**'] }, { actions: ['read'], repositories: ['**'] }]`.
   * The user may do an action on a repository when any grant whose globs match it lists the action.
   * Not together with `actions`/`repositories`, nor with `admin`.
   * @default - the one grant `actions` on `repositories`
   */
  readonly grants?: ZotGrant[];
  /**
   * zot's adminPolicy: read, create, update and delete on every repository. An admin's `actions`,
   * when given, must be those four and it takes no `repositories` or `grants` (anything narrower
   * would be a lie: admin grants everything).
   * @default false
   */
  readonly admin?: boolean;
  /**
   * The ConfigMap or Secret the variable is substituted from.
   * @default - Secret `common-secrets`
   */
  readonly source?: FluxVariableSource;
}

/** The seed's only account: `admin`, all actions, htpasswd line from `COMMON_OCI` in `common-secrets`. */
export const SEED_ADMIN: ZotUser = { name: 'admin', variable: 'COMMON_OCI', actions: [...ALL_ACTIONS], admin: true };

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
   * Where images live: the pod's PVC (`{ type: 'local' }`), or an S3 bucket every replica shares, with the
   * access keys from a Secret through container env (never in values or Git).
   * @default { type: 'local' } - the PVC under rootDirectory
   */
  readonly storage?: ZotStorage;
  /**
   * Store identical blobs once. On S3 without a remote cache zot refuses dedupe (validateCacheConfig), so it is off there.
   * @default true (zot's default); false with S3 storage and no remoteCache
   */
  readonly dedupe?: boolean;
  /**
   * Garbage collection of blobs nothing references (and, with retention, of the tags it drops).
   * @default - zot's: on, 1h delay, every 1h
   */
  readonly gc?: ZotGc;
  /**
   * Retention policies: which tags each repository keeps (by count, pushed or pulled within), and
   * whether untagged manifests and orphaned referrers go. They run inside GC.
   * @default - none: every tag is kept
   */
  readonly retention?: ZotRetention;
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
  /**
   * Mirror upstream registries, on demand or polled; upstream credentials come from Flux variables
   * into a file of the chart's Secret.
   * @default - no sync
   */
  readonly sync?: ZotSync;
  /**
   * The metrics extension, who may scrape it, and the chart's ServiceMonitor; synth checks the scraper
   * can read the metrics as zot decides it.
   * @default - no metrics
   */
  readonly metrics?: ZotMetrics;
  /**
   * zot's http.compat: `['docker2s2']` accepts Docker image manifest v2 schema 2 pushes (docker push of
   * images built without OCI media types) and lets sync preserve digests.
   * @default - none: OCI media types only
   */
  readonly compat?: ZotCompatMode[];
  /**
   * The chart's startupProbe timing (a large bucket or a slow volume needs longer than the chart's 35 s).
   * @default - the chart's: 5 s delay, every 10 s, 3 failures
   */
  readonly startupProbe?: ZotStartupProbe;
  /**
   * CPU and memory requests and limits of the zot container.
   * @default - none
   */
  readonly resources?: ZotResources;
  /**
   * Node placement: nodeSelector, tolerations, affinity.
   * @default - anywhere
   */
  readonly placement?: ZotPlacement;
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

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** A HelmRelease of the zot chart, with zot's config.json built from a typed object. */
export class ZotRelease extends Construct {
  readonly name: string;
  readonly chartVersion: string;
  /** The zot version the release deploys: `valuesOverrides.image.tag`, else the chart's. */
  readonly zotVersion: string;
  readonly port: number;
  readonly serviceName: string;
  readonly serviceType: string;
  readonly storageSize: string;
  readonly accessModes: string[];
  readonly users: ZotUser[];
  readonly anonymousRead: string[];
  /** Globs every signed-in user may pull from. */
  readonly authenticatedRead: string[];
  readonly anonymousWrite: ReadonlyArray<{ readonly repositories: string[]; readonly actions: ZotAction[] }>;
  /** The valuesOverrides paths opted in to although they change what runs (unsafeValues). */
  readonly unsafeValues: string[];
  /** The advisories acknowledged by name (acknowledgedAdvisories), by their ids. */
  readonly acknowledgedAdvisories: string[];
  /** Who may do what, as declared. */
  readonly accessIntent: AccessIntent;
  /** zot's http.accessControl compiled from it: zot's longest-match evaluation gives exactly the intent. */
  readonly accessControl: ZotAccessControl;
  /** zot's config.json, as an object. */
  readonly config: ZotConfig;
  /** The htpasswd file as committed: one `${VAR}` per user, one per line. */
  readonly htpasswdTemplate: string;
  /** Path of the htpasswd file inside the pod. */
  readonly htpasswdPath: string;
  readonly resource: helm.HelmRelease;
  /** Where images live. */
  readonly storage: ZotStorage;
  /** The dedupe zot runs with. */
  readonly dedupe: boolean;
  readonly remoteCache?: ZotRedisCache;
  readonly replicas: number;
  readonly scaleOut?: ZotScaleOut;
  /** zot's cluster members (empty without scaleOut). */
  readonly clusterMembers: string[];
  readonly podDisruptionBudget?: ZotPodDisruptionBudget;
  readonly sync?: ZotSync;
  readonly metrics?: ZotMetrics;
  readonly retention?: ZotRetention;
  /** The container env the features add (S3 keys from a Secret). */
  readonly env: EnvVar[];
  /** Flux variables the features add (cluster hashKey, sync credentials), with what they hold. */
  readonly featureVariables: FeatureVariable[];
  /** The keys of the chart's Secret (secretFiles): htpasswd, and the sync credentials file. */
  readonly secretFileKeys: string[];
  /** The chart values the release sets (before valuesOverrides). */
  readonly generatedValues: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ZotReleaseProps = {}) {
    super(scope, id);
    checkKnownKeys(checkObject(props, 'release'), '', RELEASE_PROPS);
    // Before any walk: a value nested thousands deep would run node out of stack (lib/core/nesting.ts).
    for (const [k, v] of Object.entries(props)) refuseDeepNesting(v, k);
    this.name = checkString(props.name, 'name', { nonEmpty: true }) ?? 'zot';
    this.chartVersion = checkString(props.chartVersion, 'chartVersion', { nonEmpty: true }) ?? ZOT_CHART_VERSION;
    const fact = chartFact(this.chartVersion, 'chartVersion');
    const bad = knownBadChartReason(this.chartVersion);
    if (bad) refuse('chartVersion', this.chartVersion, `is a known-bad zot chart: ${bad}`);
    const tag = (props.valuesOverrides as any)?.image?.tag;
    this.zotVersion = typeof tag === 'string' ? checkedZotVersion(tag, 'valuesOverrides.image.tag') : fact.zotVersion;
    this.port = props.port ?? 5000;
    this.serviceType = checkOneOf(props.serviceType, 'serviceType', SERVICE_TYPES) ?? 'ClusterIP';
    this.storageSize = checkString(props.storageSize, 'storageSize') ?? '20Gi';
    this.accessModes = checkStringList(props.accessModes, 'accessModes') ?? ['ReadWriteOnce'];
    this.users = checkList(props.users, 'users', checkUserShape) ?? [SEED_ADMIN];
    this.anonymousRead = checkStringList(props.anonymousRead, 'anonymousRead', { unique: true }) ?? [];
    this.authenticatedRead = checkStringList(props.authenticatedRead, 'authenticatedRead', { unique: true }) ?? [];
    this.anonymousWrite =
      checkList(props.anonymousWrite, 'anonymousWrite', (v, at) => {
        const o = checkObject(v, at);
        if (!o) refuse(at, v, 'is not an object { repositories, actions }');
        checkKnownKeys(o, at, ['repositories', 'actions']);
        checkStringList(o.repositories, `${at}.repositories`, { nonEmpty: true, unique: true });
        checkStringList(o.actions, `${at}.actions`, { nonEmpty: true, unique: true });
        if (o.repositories === undefined || o.actions === undefined)
          refuse(at, v, 'needs both repositories and actions');
        return o as unknown as { repositories: string[]; actions: ZotAction[] };
      }) ?? [];
    checkString(props.interval, 'interval', { nonEmpty: true });
    const featureContext = { zotVersion: this.zotVersion, chartVersion: this.chartVersion };
    for (const f of ZOT_FEATURES) f.check(props, featureContext);
    checkInteger(props.remediationRetries, 'remediationRetries', 0, 1000);
    checkString(props.storageClassName, 'storageClassName', { nonEmpty: true });
    checkString(props.rootDirectory, 'rootDirectory', { nonEmpty: true });
    checkOneOf(props.logLevel, 'logLevel', ZOT_LOG_LEVELS);
    checkObject(props.extensions, 'extensions');
    for (const k of CONFIG_OBJECT_PROPS) refuseDelimitedKeys(props[k], k);
    checkObject(props.valuesOverrides, 'valuesOverrides');
    this.unsafeValues = checkStringList(props.unsafeValues, 'unsafeValues', { unique: true }) ?? [];
    this.unsafeValues.forEach((u, i) => {
      if (!isUnsafeValuePath(u))
        refuse(
          `unsafeValues[${i}]`,
          u,
          `is not a value path that changes what runs, nor a parent of one (${Object.keys(UNSAFE_VALUE_PATHS).join(', ')}); other values need no opt-in`,
        );
    });
    this.acknowledgedAdvisories = [
      ...new Set(
        (checkStringList(props.acknowledgedAdvisories, 'acknowledgedAdvisories', { unique: true }) ?? []).map(
          (x, i) =>
            advisoryByName(x)?.id ??
            refuse(
              `acknowledgedAdvisories[${i}]`,
              x,
              `is no advisory this project knows (lib/zot/known-advisories.json: ${ADVISORIES.map((a) => a.id).join(', ')})`,
            ),
        ),
      ),
    ];
    checkObject(props.chartSource, 'chartSource');
    this.serviceName = zotServiceName(this.name);
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) {
      refuse('port', this.port, 'is not an integer from 1 to 65535');
    }
    if (!QUANTITY.test(this.storageSize)) {
      refuse('storageSize', this.storageSize, 'is not a Kubernetes quantity (e.g. 20Gi)');
    }
    if (this.accessModes.length === 0)
      refuse('accessModes', this.accessModes, 'is empty; at least one access mode is required');
    for (const m of this.accessModes) {
      if (!ACCESS_MODES.includes(m)) refuse('accessModes', m, `is not an access mode (${ACCESS_MODES.join(', ')})`);
    }
    checkUsers(this.users);

    // The production features, each checked as its type declares it, then built from zot's and the chart's rules
    // (lib/zot/features/*): config.json fragments, chart values, secret files, container env and Flux variables.
    this.storage = checkStorage(props.storage) ?? { type: 'local' };
    checkBoolean(props.dedupe, 'dedupe');
    const gc = checkGc(props.gc);
    this.retention = checkRetention(props.retention);
    this.remoteCache = checkRemoteCache(props.remoteCache);
    this.replicas = checkInteger(props.replicas, 'replicas', 1, 100) ?? 1;
    this.scaleOut = checkScaleOut(props.scaleOut);
    this.podDisruptionBudget = checkPodDisruptionBudget(props.podDisruptionBudget);
    this.sync = checkSync(props.sync);
    this.metrics = checkMetrics(props.metrics);
    const compat = checkCompat(props.compat);
    const startupProbe = checkStartupProbe(props.startupProbe);
    const resources = checkResources(props.resources);
    const placement = checkPlacement(props.placement);
    if (this.metrics && (props.extensions as Record<string, unknown> | undefined)?.metrics !== undefined) {
      refuse(
        'extensions.metrics',
        undefined,
        'is set next to the metrics prop: give the metrics extension in one place (metrics)',
      );
    }
    if (this.sync && (props.extensions as Record<string, unknown> | undefined)?.sync !== undefined) {
      refuse('extensions.sync', undefined, 'is set next to the sync prop: give sync in one place (sync)');
    }
    const rootDirectory = props.rootDirectory ?? '/var/lib/registry';
    this.dedupe = effectiveDedupe({
      storage: this.storage,
      dedupe: props.dedupe,
      remoteCache: this.remoteCache !== undefined,
    });

    const secretKey = 'htpasswd';
    this.htpasswdPath = `${ZOT_SECRET_MOUNT_DIR}/${secretKey}`;
    this.htpasswdTemplate = this.users.map((u) => variableRef(u.variable)).join('\n');
    this.accessIntent = accessIntent(this.users, this.anonymousRead, this.anonymousWrite, this.authenticatedRead);
    const compiled = compileAccess(this.accessIntent, this.zotVersion);

    // anonymousRead and anonymousWrite both become an anonymousPolicy, and any anonymousPolicy, whatever its
    // actions, lets an anonymous GET /v2/ pass before zot v2.1.16 (zot v2.1.14 pkg/api/authn.go tryAuthnHandlers:
    // allowAnonymous := AnonymousPolicyExists(), pkg/api/config/config.go: any non-empty AnonymousPolicy), so
    // docker sees 200, never sends the users' credentials, and their pushes fail; fixed in zot v2.1.16
    // (authn.go, PR #3868). Named with the advisories the same access depends on, so one run shows all.
    if (anonymousReadBreaksPush(this.zotVersion)) {
      const breaks = `would break docker pushes on zot ${this.zotVersion}: before v2.1.16 zot answers /v2/ to anonymous clients with 200 whenever an anonymousPolicy exists, so docker never sends its credentials (fixed in zot v2.1.16, PR #3868); use a chart that deploys zot ≥ v2.1.16`;
      const anonymous: Problem[] = [
        ...(this.anonymousRead.length ? [{ field: 'anonymousRead', value: this.anonymousRead, reason: breaks }] : []),
        ...(this.anonymousWrite.length
          ? [{ field: 'anonymousWrite', value: this.anonymousWrite, reason: breaks }]
          : []),
      ];
      if (anonymous.length) {
        const problems = [
          ...anonymous,
          ...advisoryProblems(compiled, this.zotVersion, this.acknowledgedAdvisories, this.users),
        ];
        throw new ZotFluxError(problems, problems.length > 1 ? 'anonymous access this zot cannot give' : undefined);
      }
    }

    const features: FeatureOutput[] = [
      ...ZOT_FEATURES.map((f) => f.build(props, featureContext)),
      storageFeature({
        rootDirectory,
        storage: this.storage,
        dedupe: props.dedupe,
        gc,
        retention: this.retention,
        remoteCache: this.remoteCache !== undefined,
      }),
      scaleOutFeature({
        releaseName: this.name,
        chartVersion: this.chartVersion,
        port: this.port,
        replicas: this.replicas,
        storage: this.storage,
        remoteCache: this.remoteCache,
        scaleOut: this.scaleOut,
        podDisruptionBudget: this.podDisruptionBudget,
      }),
      podFeature({ chartVersion: this.chartVersion, startupProbe, resources, placement }),
    ];
    if (this.sync)
      features.push(syncFeature({ sync: this.sync, rootDirectory, remoteStorage: isSharedStorage(this.storage) }));
    let accessControlMetrics: Record<string, unknown> = {};
    if (this.metrics) {
      const m = metricsFeature({
        metrics: this.metrics,
        zotVersion: this.zotVersion,
        userNames: this.users.map((u) => u.name),
      });
      accessControlMetrics = m.accessControlMetrics;
      features.push(m);
      if (this.metrics.serviceMonitor && this.scaleOut) {
        // helm-charts templates/servicemonitor.yaml selects zot.selectorLabels, which templates/headless-service.yaml carries too
        refuse(
          'metrics.serviceMonitor',
          undefined,
          `is the chart's ServiceMonitor, which also selects the headless Service ${headlessServiceName(this.name)} scale-out adds (same labels): every pod would be scraped twice; use the app's extraResources.serviceMonitor, which drops it`,
        );
      }
    }
    this.clusterMembers = this.scaleOut ? clusterMembers(this.name, this.replicas, this.port) : [];

    // Only admins: one '**' key with no policies reads as the seed did and decides the same (no
    // anonymousPolicy, so anonymous clients get 401; admins pass through adminPolicy).
    const repositories =
      Object.keys(compiled.repositories).length === 0
        ? { '**': { policies: [], defaultPolicy: [] } }
        : compiled.repositories;
    this.accessControl = {
      ...compiled,
      repositories,
      ...(Object.keys(accessControlMetrics).length ? { metrics: accessControlMetrics } : {}),
    } as unknown as ZotAccessControl;

    const featureConfig = features.reduce<Record<string, unknown>>((acc, f) => deepMerge(acc, f.config ?? {}), {});
    const {
      storage: featureStorage,
      http: featureHttp,
      extensions: featureExtensions,
      ...featureRest
    } = featureConfig as Record<string, any>;
    const extensions =
      props.extensions || featureExtensions
        ? deepMerge(
            (props.extensions ?? {}) as Record<string, unknown>,
            (featureExtensions ?? {}) as Record<string, unknown>,
          )
        : undefined;
    this.config = {
      storage: { rootDirectory, ...(featureStorage ?? {}) },
      http: {
        address: '0.0.0.0',
        port: String(this.port),
        ...(featureHttp ?? {}),
        ...(compat ? { compat } : {}),
        auth: { htpasswd: { path: this.htpasswdPath } },
        accessControl: this.accessControl,
      },
      log: { level: props.logLevel ?? 'info' },
      ...(extensions ? { extensions } : {}),
      ...featureRest,
    } as ZotConfig;

    for (const name of usersInPolicies(this.config)) {
      if (!this.users.some((u) => u.name === name)) {
        refuse('users', name, 'is named in an access policy but has no htpasswd variable');
      }
    }
    if (this.metrics?.serviceMonitor) {
      const who = serviceMonitorScraper(this.metrics, this.metrics.serviceMonitor.basicAuth);
      const can = metricsScrape(this.config, this.zotVersion, who);
      if (!can.allowed) {
        refuse(
          'metrics.serviceMonitor',
          who === 'anonymous' ? 'anonymous' : who.user,
          `cannot read ${this.metrics.path ?? '/metrics'}: ${can.reason}; Prometheus would get 401 on every scrape`,
        );
      }
    }

    this.env = features.flatMap((f) => f.env ?? []);
    this.featureVariables = features.flatMap((f) => f.variables ?? []);
    const taken = new Set(this.users.map((u) => u.variable));
    for (const v of this.featureVariables) {
      if (taken.has(v.variable))
        refuse(
          'users',
          v.variable,
          `is a user's htpasswd variable and also holds ${v.holds}: one variable carries one value`,
        );
    }
    const secretFiles: Record<string, string> = { [secretKey]: this.htpasswdTemplate };
    for (const f of features) Object.assign(secretFiles, f.secretFiles ?? {});
    this.secretFileKeys = Object.keys(secretFiles);
    const featureValues = features.reduce<Record<string, unknown>>((acc, f) => deepMerge(acc, f.values ?? {}), {});
    this.generatedValues = {
      service: { type: this.serviceType, port: this.port },
      httpGet: { port: this.port },
      persistence: true,
      pvc: {
        create: true,
        storage: this.storageSize,
        accessModes: this.accessModes,
        ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
      },
      mountConfig: true,
      mountSecret: true,
      configFiles: { [ZOT_CONFIG_FILE]: JSON.stringify(this.config, null, 2) },
      secretFiles,
      ...(this.env.length ? { env: this.env } : {}),
      ...featureValues,
    };

    // valuesOverrides: the typed props' refusals hold on the merged values (whatever unsafeValues names),
    // then every change to what the zot container runs or loads needs its name in unsafeValues.
    // All are named in one pass, the typed refusals first.
    const values = deepMerge(this.generatedValues, props.valuesOverrides ?? {});
    const refused = mergedValuesProblems(values, this.generatedValues, {
      chartVersion: this.chartVersion,
      replicas: this.replicas,
    });
    const unsafe = unsafeValuesProblems(values, this.generatedValues, this.unsafeValues, {
      chartDefaults: { image: { repository: fact.imageRepository } },
    });
    if (refused.length || unsafe.length)
      throw new ZotFluxError(
        [...refused, ...unsafe],
        unsafe.length ? 'valuesOverrides would change what runs' : undefined,
      );

    const retries = props.remediationRetries ?? 3;
    const source = props.chartSource ?? { name: 'zot', namespace: 'flux-system' };
    const annotations = {
      ...(this.anonymousWrite.length
        ? { [ANONYMOUS_WRITE_ANNOTATION]: anonymousWriteAnnotation(this.anonymousWrite) }
        : {}),
      ...(this.unsafeValues.length ? { [UNSAFE_VALUES_ANNOTATION]: unsafeValuesAnnotation(this.unsafeValues) } : {}),
      ...(this.acknowledgedAdvisories.length
        ? { [ACKNOWLEDGED_ADVISORIES_ANNOTATION]: this.acknowledgedAdvisories.join(', ') }
        : {}),
    };
    this.resource = new helm.HelmRelease(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      spec: {
        interval: props.interval ?? '30m',
        chart: {
          spec: {
            chart: ZOT_CHART_NAME,
            version: this.chartVersion,
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

const USER_NAME = /^[^:\s\x00-\x1f\x7f]+$/;

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

/** The chart values `path` names, as merged and as the typed props generated them, differ. */
function changed(values: Record<string, any>, generated: Record<string, any>, path: string): boolean {
  const at = (o: any) => path.split('.').reduce((x, k) => (x !== null && typeof x === 'object' ? x[k] : undefined), o);
  return JSON.stringify(at(values)) !== JSON.stringify(at(generated));
}

/**
 * The typed props' refusals, held on the merged values: valuesOverrides (whatever unsafeValues names)
 * cannot produce what a typed prop refuses. Each names `valuesOverrides.<path>` and the value.
 */
function mergedValuesProblems(
  values: Record<string, any>,
  generated: Record<string, any>,
  ctx: { chartVersion: string; replicas: number },
): Problem[] {
  const problems: Problem[] = [];
  const hold = (check: () => void) => {
    try {
      check();
    } catch (e) {
      if (!ZotFluxError.isZotFluxError(e)) throw e;
      problems.push(...e.problems);
    }
  };
  const at = (p: string) => `valuesOverrides.${p}`;
  const problem = (field: string, value: unknown, reason: string) => problems.push({ field, value, reason });
  const type = values.service?.type;
  if (type !== undefined && !(SERVICE_TYPES as readonly string[]).includes(type)) {
    problem(
      at('service.type'),
      type,
      `is not a Service type the serviceType prop allows (${SERVICE_TYPES.join(', ')}): ExternalName sends clients to another host`,
    );
  }
  for (const p of ['service.port', 'httpGet.port'] as const) {
    const port = p === 'service.port' ? values.service?.port : values.httpGet?.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
      problem(at(p), port, 'is not an integer from 1 to 65535');
  }
  const storage = values.pvc?.storage;
  if (storage !== undefined && !QUANTITY.test(String(storage)))
    problem(at('pvc.storage'), storage, 'is not a Kubernetes quantity (e.g. 20Gi)');
  const modes = values.pvc?.accessModes;
  if (
    modes !== undefined &&
    (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => !ACCESS_MODES.includes(m)))
  ) {
    problem(at('pvc.accessModes'), modes, `is not a non-empty list of access modes (${ACCESS_MODES.join(', ')})`);
  }
  // zot chart 0.1.98..0.1.122 templates/statefulset.yaml: `if .Values.pvc.accessMode` renders it alone, in place of pvc.accessModes
  const mode = values.pvc?.accessMode;
  if (mode !== undefined && mode !== null && mode !== '' && !ACCESS_MODES.includes(mode)) {
    problem(
      at('pvc.accessMode'),
      mode,
      `is not an access mode (${ACCESS_MODES.join(', ')}); the chart renders it in place of pvc.accessModes`,
    );
  }
  // The zot version deployed is read from image.tag (checkedZotVersion) only when it is a string.
  const tag = values.image?.tag;
  if (tag !== undefined && tag !== null && typeof tag !== 'string')
    problem(at('image.tag'), tag, "is not a zot version string ('v2.1.18')");

  // Placement, resources, the startup probe: the props' checks, on what the overrides changed.
  const placementKeys = (['nodeSelector', 'tolerations', 'affinity'] as const).filter(
    (k) => changed(values, generated, k) && values[k] !== undefined && values[k] !== null,
  );
  if (placementKeys.length) {
    hold(() => checkPlacement(Object.fromEntries(placementKeys.map((k) => [k, values[k]])), 'valuesOverrides'));
    for (const k of placementKeys) {
      if (chartAtLeast(ctx.chartVersion, TPL_PLACEMENT_SINCE) && JSON.stringify(values[k]).includes('{{')) {
        problem(
          at(k),
          values[k],
          `holds '{{', which chart ${ctx.chartVersion} runs through Helm's tpl (templates/statefulset.yaml: \`tpl (toYaml .) $\`, from ${TPL_PLACEMENT_SINCE}): it would be executed as a template`,
        );
      }
    }
  }
  if (changed(values, generated, 'resources') && values.resources != null)
    hold(() => checkResources(values.resources, at('resources')));
  if (changed(values, generated, 'startupProbe') && values.startupProbe != null)
    hold(() => checkStartupProbe(values.startupProbe, at('startupProbe')));

  // Values a prop owns together with zot's config or other props: only through the prop.
  const replicaCount = values.replicaCount ?? 1;
  if (replicaCount !== (generated.replicaCount ?? 1)) {
    problem(
      at('replicaCount'),
      values.replicaCount,
      `differs from the replicas prop (${ctx.replicas}): set replicas, which refuses more than 1 without shared storage, a remote cache and scaleOut, and writes zot's cluster members for that many`,
    );
  }
  if (values.podDisruptionBudget?.enabled && changed(values, generated, 'podDisruptionBudget')) {
    problem(
      at('podDisruptionBudget'),
      values.podDisruptionBudget,
      "is not the podDisruptionBudget prop's: set that prop, which refuses a budget the chart cannot render or that lets no pod be evicted",
    );
  }
  // helm-charts zot-0.1.98..0.1.122 templates/servicemonitor.yaml: rendered when metrics.enabled and metrics.serviceMonitor.enabled
  const serviceMonitor = Boolean(values.metrics?.enabled && values.metrics?.serviceMonitor?.enabled);
  if (serviceMonitor && changed(values, generated, 'metrics')) {
    problem(
      at('metrics'),
      values.metrics,
      "renders a ServiceMonitor other than the metrics prop's: set metrics, which turns on zot's metrics extension and checks the scraper may read it",
    );
  }
  if (serviceMonitor && values.serviceHeadless?.enabled) {
    // helm-charts templates/servicemonitor.yaml selects zot.selectorLabels, which templates/headless-service.yaml carries too
    problem(
      at('serviceHeadless.enabled'),
      values.serviceHeadless.enabled,
      "turns on the headless Service next to the chart's ServiceMonitor, which selects it too (same labels): every pod would be scraped twice; use the app's extraResources.serviceMonitor",
    );
  }
  return problems;
}

/** The object-valued props whose keys become keys of config.json (the others are values, or chart values). */
const CONFIG_OBJECT_PROPS = [
  'extensions',
  'storage',
  'gc',
  'retention',
  'remoteCache',
  'scaleOut',
  'sync',
  'metrics',
] as const;

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

/**
 * The refusals lib/checks/advisories.ts makes at synth for the compiled access (create without update on an
 * affected zot, unless acknowledged), worded the same, for naming beside a refusal made here.
 */
function advisoryProblems(
  accessControl: unknown,
  zotVersion: string,
  acknowledged: readonly string[],
  users: readonly ZotUser[],
): Problem[] {
  const out: Problem[] = [];
  for (const a of advisoriesFor(zotVersion)) {
    if (acknowledged.includes(a.id)) continue;
    let hits: ReturnType<typeof advisoryHits>;
    try {
      hits = advisoryHits(a, accessControl, zotVersion);
    } catch {
      continue; // an accessControl zot would not read: synth says so
    }
    for (const h of hits) {
      const user = h.subject.startsWith('user ') ? users.findIndex((u) => `user ${u.name}` === h.subject) : -1;
      out.push({
        // anonymous create comes only from anonymousWrite, and signed-in users inherit it (lib/zot/access.ts compileAccess)
        field:
          h.subject === 'anonymous' || h.subject === 'any signed-in user'
            ? 'anonymousWrite'
            : user >= 0
              ? `users[${user}]`
              : 'users',
        reason:
          `${h.says}, which does not mean what it says on zot ${zotVersion}: ${advisoryName(a)}, ${advisoryMeaning(a)}; ` +
          `${advisoryRemedy(a)}, or acknowledge it by name: acknowledgedAdvisories: ['${a.id}']`,
      });
    }
  }
  return out;
}

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
  storage: true,
  dedupe: true,
  gc: true,
  retention: true,
  remoteCache: true,
  replicas: true,
  scaleOut: true,
  podDisruptionBudget: true,
  sync: true,
  metrics: true,
  compat: true,
  startupProbe: true,
  resources: true,
  placement: true,
  unsafeValues: true,
  acknowledgedAdvisories: true,
});

/** Every prop a ZotRelease takes, derived from the types: the features' after valuesOverrides (the order refusals list them in). */
const RELEASE_PROPS: readonly string[] = ((at: number) => [
  ...CORE_PROPS.slice(0, at),
  ...ZOT_FEATURES.flatMap((f) => f.props),
  ...CORE_PROPS.slice(at),
])(CORE_PROPS.indexOf('valuesOverrides') + 1);

/** A user as its type declares it (esbuild does not type-check main.ts). */
function checkUserShape(value: unknown, at: string): ZotUser {
  const u = checkObject(value, at);
  if (!u) refuse(at, value, 'is not a user object');
  checkKnownKeys(u, at, ['name', 'variable', 'actions', 'repositories', 'grants', 'admin', 'source']);
  checkString(u.name, `${at}.name`);
  checkString(u.variable, `${at}.variable`);
  checkBoolean(u.admin, `${at}.admin`);
  if (u.grants !== undefined) {
    const beside = (['actions', 'repositories'] as const).filter((k) => u[k] !== undefined);
    if (beside.length) {
      refuse(
        `${at}.grants`,
        undefined,
        `is given next to ${beside.join(' and ')}: give a user's rights one way, either actions with repositories (one grant) or grants (one entry per set of repositories), e.g. grants: [{ actions: ['read', 'create'], repositories: ['team/**'] }, { actions: ['read'], repositories: ['**'] }]`,
      );
    }
    if (u.admin === true)
      refuse(
        `${at}.grants`,
        undefined,
        "is given for an admin: zot's adminPolicy already grants read, create, update and delete on every repository; drop grants or admin",
      );
    checkList(u.grants, `${at}.grants`, checkGrantShape, { nonEmpty: true });
  } else {
    if (u.actions === undefined && u.admin !== true)
      refuse(
        `${at}.actions`,
        undefined,
        "is missing; give the user at least ['read'] (or grants: [{ actions, repositories }, ...], or admin: true)",
      );
    checkStringList(u.actions, `${at}.actions`);
    checkStringList(u.repositories, `${at}.repositories`, { nonEmpty: true, unique: true });
  }
  const src = checkObject(u.source, `${at}.source`);
  if (src) {
    checkOneOf(src.kind, `${at}.source.kind`, ['ConfigMap', 'Secret'] as const);
    checkString(src.name, `${at}.source.name`, { nonEmpty: true });
  }
  return u as unknown as ZotUser;
}

/** One entry of a user's grants, as its type declares it. */
function checkGrantShape(value: unknown, at: string): ZotGrant {
  const g = checkObject(value, at);
  if (!g) refuse(at, value, 'is not a grant { actions, repositories }');
  checkKnownKeys(g, at, ['actions', 'repositories']);
  for (const k of ['actions', 'repositories'] as const) {
    if (g[k] === undefined)
      refuse(
        `${at}.${k}`,
        undefined,
        "is missing: a grant is { actions: ['read', ...], repositories: ['team/**', ...] }",
      );
    checkStringList(g[k], `${at}.${k}`, { nonEmpty: true, unique: true });
  }
  for (const a of g.actions as string[]) {
    if (!(ZOT_ACTIONS as readonly string[]).includes(a))
      refuse(`${at}.actions`, a, `is not a zot action (${ZOT_ACTIONS.join(', ')})`);
  }
  return g as unknown as ZotGrant;
}

function checkUsers(users: ZotUser[]): void {
  if (users.length === 0)
    refuse('users', users, 'is empty; at least one user is required (zot with auth and no users locks everyone out)');
  const names = new Set<string>();
  const variables = new Set<string>();
  users.forEach((u, i) => {
    const at = `users[${i}]`;
    if (!USER_NAME.test(u.name ?? '')) {
      refuse(
        `${at}.name`,
        u.name,
        "is not a valid htpasswd user name (non-empty, no ':', whitespace or control characters)",
      );
    }
    if (names.has(u.name)) {
      refuse(
        `${at}.name`,
        u.name,
        "is listed twice: one name is one htpasswd line; to give a user different rights on different repositories, list them in its grants: [{ actions: ['read', 'create', 'update'], repositories: ['team/**'] }, { actions: ['read'], repositories: ['**'] }]",
      );
    }
    names.add(u.name);
    if (!FLUX_VARIABLE_NAME.test(u.variable ?? '')) {
      refuse(
        `${at}.variable`,
        u.variable,
        `is not a valid flux variable name (must match ${FLUX_VARIABLE_NAME.source})`,
      );
    }
    if (variables.has(u.variable)) {
      refuse(`${at}.variable`, u.variable, 'is already used by another user (one variable carries one htpasswd line)');
    }
    variables.add(u.variable);
    if (u.grants !== undefined || (u.admin && u.actions === undefined)) return;
    if (!Array.isArray(u.actions) || u.actions.length === 0) {
      refuse(`${at}.actions`, u.actions, `gives user '${u.name}' no actions; give it at least 'read'`);
    }
    for (const a of u.actions) {
      if (!ZOT_ACTIONS.includes(a)) refuse(`${at}.actions`, a, `is not a zot action (${ZOT_ACTIONS.join(', ')})`);
    }
  });
}

/**
 * The declared access: admins get zot's adminPolicy, everyone else their grants (the shorthand
 * `actions`/`repositories` is one grant). Each grant carries the prop path it was declared at, so
 * the compiler's refusals name `users[2].repositories[0]` or `users[2].grants[1].actions`.
 */
function accessIntent(
  users: ZotUser[],
  anonymousRead: string[],
  anonymousWrite: ZotRelease['anonymousWrite'],
  authenticatedRead: string[],
): AccessIntent {
  return {
    users: users.map((u, i) => {
      const at = `users[${i}]`;
      if (!u.admin) {
        const grants = u.grants
          ? u.grants.map((g, j) => ({ repositories: g.repositories, actions: g.actions, field: `${at}.grants[${j}]` }))
          : [{ repositories: u.repositories ?? ['**'], actions: u.actions ?? [], field: at }];
        return { name: u.name, grants, field: at };
      }
      const all = [...ALL_ACTIONS];
      const actions = u.actions ?? all;
      if (u.repositories !== undefined || actions.length !== all.length || !all.every((a) => actions.includes(a))) {
        refuse(
          at,
          { actions: u.actions, ...(u.repositories ? { repositories: u.repositories } : {}) },
          `is an admin with narrower rights: zot's adminPolicy grants ${all.join(', ')} on every repository, so give actions: [${all.map((a) => `'${a}'`).join(', ')}] (or none) and no repositories, or drop admin`,
        );
      }
      return { name: u.name, admin: true, field: at };
    }),
    anonymousRead,
    anonymousWrite: anonymousWrite.map((w, i) => ({
      repositories: w.repositories,
      actions: w.actions,
      field: `anonymousWrite[${i}]`,
    })),
    authenticatedRead,
  };
}
