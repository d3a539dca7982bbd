import { Construct } from 'constructs';
import { refuse, ZotFluxError } from '../core/error';
import { checkBoolean, checkKnownKeys, checkObject, checkString, isPlainObject } from '../core/props';
import { findCredential } from '../checks/credentials';
import { findVariables } from '../flux/envsubst';
import { appReadme } from './app-readme';
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
  /** Every variable the app/ manifests use, with its source, in order of first use. */
  readonly variables: Array<{ variable: string; source: FluxVariableSource }>;

  constructor(scope: Construct, id: string, props: ZotAppProps = {}) {
    super(scope, id);
    checkKnownKeys(checkObject(props, 'props') ?? {}, '', ZOT_APP_PROPS);
    refuseCredentials(props, '');
    this.name = checkString(props.name, 'name', { nonEmpty: true }) ?? 'zot';
    checkObject(props.layout, 'layout');
    checkKnownKeys(props.layout as Record<string, unknown> | undefined, 'layout', ['appsDir', 'helmRepositoriesDir']);
    for (const k of ['helmRepository', 'release', 'route', 'kustomization', 'variableSources'] as const) checkObject(props[k], k);
    checkKnownKeys(props.kustomization as Record<string, unknown> | undefined, 'kustomization',
      ['gitRepository', 'interval', 'retryInterval', 'timeout', 'wait', 'parentInjectsPostBuild']);
    checkBoolean(props.kustomization?.wait, 'kustomization.wait');
    checkBoolean(props.kustomization?.parentInjectsPostBuild, 'kustomization.parentInjectsPostBuild');
    for (const k of ['gitRepository', 'interval', 'retryInterval', 'timeout'] as const) {
      checkString(props.kustomization?.[k], `kustomization.${k}`, { nonEmpty: true });
    }
    const repoProps = props.helmRepository ?? {};
    this.layout = field('layout', () => appLayout(this.name, props.sharedHelmRepository?.name ?? repoProps.name ?? 'zot', props.layout));
    const file = (fileId: string, path: string) => new ManifestFile(this, fileId, path);

    if (props.sharedHelmRepository) {
      this.helmRepository = props.sharedHelmRepository;
    } else {
      this.helmRepository = field('helmRepository', () =>
        new HelmRepository(file('HelmRepositoryFile', this.layout.helmRepository), 'HelmRepository', repoProps));
      new KustomizationEntry(this, 'HelmRepositoryEntry', this.layout.helmRepositoriesKustomization, `./${this.helmRepository.name}.yaml`);
    }

    this.namespace = new Namespace(file('NamespaceFile', this.layout.namespace), 'Namespace', { name: this.name });
    this.release = field('release', () => new ZotRelease(file('HelmReleaseFile', this.layout.helmRelease), 'HelmRelease', {
      name: this.name,
      ...props.release,
      chartSource: { name: this.helmRepository.name, namespace: this.helmRepository.namespace },
    }));
    this.route = field('route', () => new ZotRoute(file('HttpRouteFile', this.layout.httpRoute), 'HttpRoute', { ...props.route, release: this.release }));
    new KustomizeConfig(file('AppKustomizationFile', this.layout.appKustomization), 'Kustomization', {
      namespace: this.namespace.name,
      resources: ['helmrelease.yaml', 'httproute.yaml'],
    });

    this.variables = resolveVariables(this.route, this.release, props.variableSources ?? { CLUSTER_DOMAIN: CLUSTER_SETTINGS });
    const ks = props.kustomization ?? {};
    const sources: FluxVariableSource[] = [];
    for (const { source } of this.variables) if (!sources.some((s) => sameSource(s, source))) sources.push(source);
    this.fluxKustomization = new FluxKustomization(file('FluxKustomizationFile', this.layout.fluxKustomization), 'Kustomization', {
      name: this.name,
      path: fluxPath(this.layout.appDir),
      targetNamespace: this.namespace.name,
      gitRepository: ks.gitRepository,
      interval: ks.interval,
      retryInterval: ks.retryInterval,
      timeout: ks.timeout,
      wait: ks.wait,
      substituteFrom: ks.parentInjectsPostBuild ? undefined : sources,
    });
    new KustomizeConfig(file('KustomizationFile', this.layout.kustomization), 'Kustomization', {
      resources: ['./namespace.yaml', './ks.yaml'],
    });

    new TextFile(this, 'Readme', this.layout.readme, appReadme(this));
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

const ZOT_APP_PROPS = ['name', 'layout', 'helmRepository', 'sharedHelmRepository', 'release', 'route', 'kustomization', 'variableSources'];

/** Runs a child's constructor; its refusals name the field under this app's props (`release.port: ...`). */
function field<T>(prefix: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e) && !e.field.startsWith(`${prefix}.`) && e.field !== prefix) throw e.under(prefix);
    throw e;
  }
}

/** Credentials enter only through Flux variables: a prop value that looks like an htpasswd line or a hash is refused. */
function refuseCredentials(value: unknown, at: string): void {
  if (typeof value === 'string') {
    const found = findCredential(value);
    if (found) refuse(at, undefined, `contains ${found}; credentials enter only through Flux variables (see README: rotating a password)`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseCredentials(v, `${at}[${i}]`));
  } else if (isPlainObject(value)) {
    // Plain data only: constructs passed in (sharedHelmRepository) are checked where they were made.
    for (const [k, v] of Object.entries(value)) refuseCredentials(v, at ? `${at}.${k}` : k);
  }
}

function resolveVariables(
  route: ZotRoute,
  release: ZotRelease,
  sources: Record<string, FluxVariableSource>,
): Array<{ variable: string; source: FluxVariableSource }> {
  const resolved: Array<{ variable: string; source: FluxVariableSource }> = [];
  route.hostnames.forEach((hostname, i) => {
    let used: string[];
    try {
      used = findVariables(hostname);
    } catch (e: any) {
      refuse(`route.hostnames[${i}]`, undefined, `${e.message} (flux would fail the whole reconciliation on every cluster)`);
    }
    for (const variable of used) {
      const source = sources[variable];
      if (!source) {
        refuse(`route.hostnames[${i}]`, hostname,
          `uses the variable ${variable}, which has no source; add it to variableSources (e.g. { ${variable}: { kind: 'ConfigMap', name: 'cluster-settings' } })`);
      }
      if (!resolved.some((r) => r.variable === variable)) resolved.push({ variable, source });
    }
  });
  for (const v of release.variableSources) {
    if (resolved.some((r) => r.variable === v.variable)) {
      refuse('release.users', v.variable, 'is also used by the route; a credential variable must hold only an htpasswd line');
    }
    resolved.push(v);
  }
  // Anything else the manifests use (a ${VAR} in valuesOverrides or an annotation) needs a source too.
  for (const [where, obj] of [['release', release.resource], ['route', route.resource]] as const) {
    let used: string[];
    try {
      used = findVariables(JSON.stringify(obj.toJson()));
    } catch (e: any) {
      refuse(where, undefined, `${e.message} (flux would fail the whole reconciliation on every cluster)`);
    }
    for (const variable of used) {
      if (resolved.some((r) => r.variable === variable)) continue;
      const source = sources[variable];
      if (!source) {
        refuse(where, undefined,
          `uses the variable ${variable}, which has no source; add it to variableSources (e.g. { ${variable}: { kind: 'ConfigMap', name: 'cluster-settings' } })`);
      }
      resolved.push({ variable, source });
    }
  }
  return resolved;
}
