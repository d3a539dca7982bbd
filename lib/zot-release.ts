import { Construct } from 'constructs';
import * as helm from '../imports/helm.toolkit.fluxcd.io';
import { COMMON_SECRETS, FluxVariableSource, variableRef } from './flux-variables';
import { FLUX_VARIABLE_NAME } from './envsubst';
import {
  ALL_ACTIONS, usersInPolicies, validateZotConfig, ZotAction, ZotConfig, ZotExtensions, ZotLogLevel, ZotRepositoryAccess, ZOT_ACTIONS,
} from './zot-config';
import { ZOT_CHART_NAME, ZOT_CHART_VERSION, ZOT_CONFIG_FILE, ZOT_SECRET_MOUNT_DIR, zotServiceName } from './zot-chart';

/** One registry account. Its htpasswd line never enters Git: it comes from a Flux variable. */
export interface ZotUser {
  /** The user name (the part before `:` in its htpasswd line). */
  readonly name: string;
  /** The Flux variable holding this user's whole htpasswd line, e.g. `COMMON_OCI`. */
  readonly variable: string;
  /** What the user may do in its repositories. */
  readonly actions: ZotAction[];
  /**
   * Repository globs the actions apply to.
   * @default ['**']
   */
  readonly repositories?: string[];
  /**
   * Also put the user in zot's adminPolicy (all actions on every repository).
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

export interface ZotReleaseProps {
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
   * Repository globs anonymous clients may pull from (read only; zot never gets anonymous push here).
   * @default [] - no anonymous access at all
   */
  readonly anonymousRead?: string[];
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
}

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Deep merge for chart values: objects merge key by key; anything else in `over` replaces. */
export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
    out[k] = isObj(b) && isObj(v) ? mergeValues(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** A HelmRelease of the zot chart, with zot's config.json built from a typed object. */
export class ZotRelease extends Construct {
  readonly name: string;
  readonly chartVersion: string;
  readonly port: number;
  readonly serviceName: string;
  readonly serviceType: string;
  readonly storageSize: string;
  readonly accessModes: string[];
  readonly users: ZotUser[];
  readonly anonymousRead: string[];
  /** zot's config.json, as an object. */
  readonly config: ZotConfig;
  /** The htpasswd file as committed: one `${VAR}` per user, one per line. */
  readonly htpasswdTemplate: string;
  /** Path of the htpasswd file inside the pod. */
  readonly htpasswdPath: string;
  readonly resource: helm.HelmRelease;

  constructor(scope: Construct, id: string, props: ZotReleaseProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'zot';
    this.chartVersion = props.chartVersion ?? ZOT_CHART_VERSION;
    this.port = props.port ?? 5000;
    this.serviceType = props.serviceType ?? 'ClusterIP';
    this.storageSize = props.storageSize ?? '20Gi';
    this.accessModes = props.accessModes ?? ['ReadWriteOnce'];
    this.users = props.users ?? [SEED_ADMIN];
    this.anonymousRead = props.anonymousRead ?? [];
    this.serviceName = zotServiceName(this.name);
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) {
      throw new Error(`port: '${this.port}' is not an integer from 1 to 65535`);
    }
    if (!QUANTITY.test(this.storageSize)) {
      throw new Error(`storageSize: '${this.storageSize}' is not a Kubernetes quantity (e.g. 20Gi)`);
    }
    if (this.accessModes.length === 0) throw new Error('accessModes: at least one access mode is required');
    for (const m of this.accessModes) {
      if (!ACCESS_MODES.includes(m)) throw new Error(`accessModes: '${m}' is not an access mode (${ACCESS_MODES.join(', ')})`);
    }
    checkUsers(this.users);

    const secretKey = 'htpasswd';
    this.htpasswdPath = `${ZOT_SECRET_MOUNT_DIR}/${secretKey}`;
    this.htpasswdTemplate = this.users.map((u) => variableRef(u.variable)).join('\n');
    this.config = {
      storage: { rootDirectory: props.rootDirectory ?? '/var/lib/registry' },
      http: {
        address: '0.0.0.0',
        port: String(this.port),
        auth: { htpasswd: { path: this.htpasswdPath } },
        accessControl: {
          repositories: accessByRepository(this.users, this.anonymousRead),
          ...adminPolicy(this.users),
        },
      },
      log: { level: props.logLevel ?? 'info' },
      ...(props.extensions ? { extensions: props.extensions } : {}),
    };

    validateZotConfig(this.config);
    for (const name of usersInPolicies(this.config)) {
      if (!this.users.some((u) => u.name === name)) {
        throw new Error(`users: '${name}' is named in an access policy but has no htpasswd variable`);
      }
    }

    const retries = props.remediationRetries ?? 3;
    const source = props.chartSource ?? { name: 'zot', namespace: 'flux-system' };
    this.resource = new helm.HelmRelease(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        interval: props.interval ?? '30m',
        chart: {
          spec: {
            chart: ZOT_CHART_NAME,
            version: this.chartVersion,
            sourceRef: { kind: helm.HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: source.name, namespace: source.namespace },
          },
        },
        install: { remediation: { retries } },
        upgrade: { cleanupOnFail: true, remediation: { retries } },
        values: mergeValues({
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
          secretFiles: { [secretKey]: this.htpasswdTemplate },
        }, props.valuesOverrides ?? {}),
      },
    });
  }

  /** Each variable this release uses, with the source it is substituted from. */
  get variableSources(): Array<{ variable: string; source: FluxVariableSource }> {
    return this.users.map((u) => ({ variable: u.variable, source: u.source ?? COMMON_SECRETS }));
  }
}

const USER_NAME = /^[^:\s\x00-\x1f\x7f]+$/;

function checkUsers(users: ZotUser[]): void {
  if (users.length === 0) throw new Error('users: at least one user is required (zot with auth and no users locks everyone out)');
  const names = new Set<string>();
  const variables = new Set<string>();
  users.forEach((u, i) => {
    const at = `users[${i}]`;
    if (!USER_NAME.test(u.name ?? '')) {
      throw new Error(`${at}.name: '${u.name}' is not a valid htpasswd user name (non-empty, no ':', whitespace or control characters)`);
    }
    if (names.has(u.name)) throw new Error(`${at}.name: user '${u.name}' is listed twice`);
    names.add(u.name);
    if (!FLUX_VARIABLE_NAME.test(u.variable ?? '')) {
      throw new Error(`${at}.variable: '${u.variable}' is not a valid flux variable name (must match ${FLUX_VARIABLE_NAME.source})`);
    }
    if (variables.has(u.variable)) {
      throw new Error(`${at}.variable: '${u.variable}' is already used by another user (one variable carries one htpasswd line)`);
    }
    variables.add(u.variable);
    if (!Array.isArray(u.actions) || u.actions.length === 0) {
      throw new Error(`${at}.actions: user '${u.name}' has no actions; give it at least 'read'`);
    }
    for (const a of u.actions) {
      if (!ZOT_ACTIONS.includes(a)) throw new Error(`${at}.actions: '${a}' is not a zot action (${ZOT_ACTIONS.join(', ')})`);
    }
  });
}

function accessByRepository(users: ZotUser[], anonymousRead: string[]): Record<string, ZotRepositoryAccess> {
  const globs: string[] = [];
  for (const u of users) for (const g of u.repositories ?? ['**']) if (!globs.includes(g)) globs.push(g);
  for (const g of anonymousRead) if (!globs.includes(g)) globs.push(g);
  const repositories: Record<string, ZotRepositoryAccess> = {};
  for (const glob of globs) {
    const policies = users
      .filter((u) => (u.repositories ?? ['**']).includes(glob))
      .map((u) => ({ users: [u.name], actions: [...u.actions] }));
    repositories[glob] = {
      policies,
      defaultPolicy: [],
      ...(anonymousRead.includes(glob) ? { anonymousPolicy: ['read' as const] } : {}),
    };
  }
  return repositories;
}

function adminPolicy(users: ZotUser[]): { adminPolicy?: { users: string[]; actions: ZotAction[] } } {
  const admins = users.filter((u) => u.admin).map((u) => u.name);
  return admins.length ? { adminPolicy: { users: admins, actions: [...ALL_ACTIONS] } } : {};
}
