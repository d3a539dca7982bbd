// Metrics: zot's Prometheus endpoint (extensions.metrics), who may read it (accessControl.metrics:
// users, and from v2.1.18 anonymousPolicy), the chart's ServiceMonitor, and the check that the
// scraper can in fact read the endpoint: zot's authentication, then its metrics authorization, as
// the deployed version does them.
//
// zot's rule for GET <metrics path> (the route exists only with the extension enabled: zot
// v2.1.14..v2.1.20 pkg/extensions/extension_metrics.go: SetupMetricsRoutes; authn then
// MetricsAuthzHandler on it):
//   authn (pkg/api/authn.go, AuthnMiddleware.tryAuthnHandlers): credentials are checked against
//     htpasswd; without credentials a client passes when no authentication is configured, when some
//     repository has an anonymousPolicy (AnonymousPolicyExists), or — from v2.1.18 — when
//     accessControl.metrics.anonymousPolicy holds "read" and the path is the metrics path
//     (isAnonymousMetricsRequest); otherwise 401.
//   authz (pkg/api/authz.go, MetricsAuthzHandler): no accessControl → allowed. v2.1.14..v2.1.17: the
//     user must be listed in accessControl.metrics.users (an empty list denies everyone, anonymous
//     clients included). v2.1.18..v2.1.20: an anonymous client is allowed iff metrics.anonymousPolicy
//     holds "read"; a signed-in user iff metrics.users lists it. adminPolicy does not count.
import { refuse } from '../../core/error';
import { checkBoolean, checkKnownKeys, checkObject, checkString, checkStringList, propKeys } from '../../core/props';
import { compareZotVersions, modelledZotVersion } from '../config-keys';
import { configAccess } from '../access';
import { goPathClean } from '../../go/path';
import { FeatureOutput } from './common';
import { BuildContext, BuiltConfig, FeatureReadme, ReadmeContext, ZotFeature } from './feature';
import { headlessServiceName } from './scale-out';

/** A Secret (in the app's namespace) with the scraper's user name and password, for the ServiceMonitor's basic auth. */
export interface MetricsBasicAuthSecret {
  readonly secretName: string;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
}

/** The chart's ServiceMonitor (templates/servicemonitor.yaml): Prometheus Operator scrapes the zot Service. */
export interface ZotServiceMonitor {
  /**
   * Scrape interval.
   * @default '30s' (the chart's)
   */
  readonly interval?: string;
  /** @default - Prometheus's default */
  readonly scrapeTimeout?: string;
  /**
   * Basic auth of the scrape: the Secret holding the password of `metrics.users[0]` (or of `user`).
   * @default - none: an anonymous scrape, which needs `anonymous: true`
   */
  readonly basicAuth?: MetricsBasicAuthSecret & {
    /**
     * The user the Secret signs in as (one of `metrics.users`).
     * @default - the first of metrics.users
     */
    readonly user?: string;
  };
}

export interface ZotMetrics {
  /**
   * The path zot serves metrics on.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Registry users (from `users`) who may read the metrics; adminPolicy does not include them.
   * @default [] - no user
   */
  readonly users?: string[];
  /**
   * Anyone may read the metrics without credentials (accessControl.metrics.anonymousPolicy, zot ≥
   * v2.1.18). The route exposes the same port, so this makes /metrics public wherever the registry is.
   * @default false
   */
  readonly anonymous?: boolean;
  /**
   * The chart's ServiceMonitor. Its labels are fixed by the chart (`app.kubernetes.io/component:
   * metrics`); for a Prometheus that selects ServiceMonitors by other labels use the app's
   * `extraResources.serviceMonitor` instead.
   * @default - none
   */
  readonly serviceMonitor?: ZotServiceMonitor;
}

export const DEFAULT_METRICS_PATH = '/metrics';
/** zot ≥ v2.1.18 has accessControl.metrics.anonymousPolicy (v2.1.18 pkg/api/config/config.go: MetricsPolicy). */
export const ANONYMOUS_METRICS_SINCE = 'v2.1.18';

export function checkMetrics(value: unknown, field = 'metrics'): ZotMetrics | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['path', 'users', 'anonymous', 'serviceMonitor']);
  const path = checkString(o.path, `${field}.path`, { nonEmpty: true });
  // zot v2.1.18 pkg/cli/server/root.go: validateMetricsConfig (clean, absolute, not / or /v2); older versions take any
  // path, but a path that is not clean or absolute never matches a request there either
  if (path !== undefined && (path !== goPathClean(path) || !path.startsWith('/') || path === '/' || path === '/v2')) {
    refuse(
      `${field}.path`,
      path,
      "is not a clean absolute path other than '/' and '/v2' (zot v2.1.18 refuses it: validateMetricsConfig)",
    );
  }
  checkStringList(o.users, `${field}.users`, { unique: true });
  checkBoolean(o.anonymous, `${field}.anonymous`);
  const sm = checkObject(o.serviceMonitor, `${field}.serviceMonitor`);
  if (sm) {
    checkKnownKeys(sm, `${field}.serviceMonitor`, ['interval', 'scrapeTimeout', 'basicAuth']);
    for (const k of ['interval', 'scrapeTimeout'] as const) {
      const d = checkString(sm[k], `${field}.serviceMonitor.${k}`, { nonEmpty: true });
      // prometheus-operator v0.75.0..v0.93.0 ServiceMonitor CRD: endpoints[].interval / scrapeTimeout pattern (Prometheus durations)
      if (d !== undefined && !PROMETHEUS_DURATION.test(d))
        refuse(`${field}.serviceMonitor.${k}`, d, "is not a Prometheus duration (e.g. '30s', '1m')");
    }
    const ba = checkObject(sm.basicAuth, `${field}.serviceMonitor.basicAuth`);
    if (ba) {
      checkKnownKeys(ba, `${field}.serviceMonitor.basicAuth`, ['secretName', 'usernameKey', 'passwordKey', 'user']);
      if (
        checkString(ba.secretName, `${field}.serviceMonitor.basicAuth.secretName`, { nonEmpty: true }) === undefined
      ) {
        refuse(
          `${field}.serviceMonitor.basicAuth.secretName`,
          undefined,
          "is missing: the Secret with the scraper's username and password",
        );
      }
      checkString(ba.usernameKey, `${field}.serviceMonitor.basicAuth.usernameKey`, { nonEmpty: true });
      checkString(ba.passwordKey, `${field}.serviceMonitor.basicAuth.passwordKey`, { nonEmpty: true });
      checkString(ba.user, `${field}.serviceMonitor.basicAuth.user`, { nonEmpty: true });
    }
  }
  return o as ZotMetrics;
}

/** Prometheus duration as the Prometheus Operator CRDs accept it (ServiceMonitor/Probe interval pattern). */
export const PROMETHEUS_DURATION =
  /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/** Who scrapes: a registry user with its password, or an anonymous client. */
export type Scraper = { readonly user: string } | 'anonymous';

/** `o[key]` as optional chaining reads it (undefined on null or undefined): config.json is parsed, so `unknown`. */
function get(o: unknown, key: string): unknown {
  return o === null || o === undefined ? undefined : (o as Record<string, unknown>)[key];
}

/** A list of strings at `key`, or [] when it is not a list. */
function listAt(o: unknown, key: string): unknown[] {
  const v = get(o, key);
  return Array.isArray(v) ? v : [];
}

type ScrapeAnswer = { allowed: boolean; reason: string };

/** What zot reads of config.json to decide a metrics request. */
interface MetricsAccess {
  /** The modelled zot version. */
  readonly v: string;
  readonly since18: boolean;
  /** http.accessControl, as written. */
  readonly ac: unknown;
  readonly users: unknown[];
  readonly anonymousRead: boolean;
  readonly authentication: boolean;
}

/** Can `who` GET the metrics path of a zot `zotVersion` running `config`? With the reason, as zot decides it. */
export function metricsScrape(config: unknown, zotVersion: string, who: Scraper): ScrapeAnswer {
  const v = modelledZotVersion(zotVersion);
  const since18 = compareZotVersions(v, ANONYMOUS_METRICS_SINCE) >= 0;
  const ext = get(get(config, 'extensions'), 'metrics');
  if (!ext || get(ext, 'enable') === false)
    return { allowed: false, reason: 'the metrics extension is off: zot has no metrics route (404)' };
  const ac = get(get(config, 'http'), 'accessControl');
  const metrics = get(ac, 'metrics') ?? {};
  const anonymousRead = since18 && listAt(metrics, 'anonymousPolicy').includes('read');
  const { authentication } = configAccess(config, zotVersion);
  const access = { v, since18, ac, users: listAt(metrics, 'users'), anonymousRead, authentication };
  return who === 'anonymous' ? anonymousScrape(access) : userScrape(access, who.user);
}

/** An anonymous scrape: past authentication only with an anonymous policy somewhere, then metrics' own policy. */
function anonymousScrape({ v, since18, ac, anonymousRead, authentication }: MetricsAccess): ScrapeAnswer {
  if (authentication) {
    const repos = get(ac, 'repositories') ?? {};
    const anonymousPolicyExists = Object.values(repos as object).some((pg) => listAt(pg, 'anonymousPolicy').length > 0);
    if (!anonymousRead && !anonymousPolicyExists)
      return {
        allowed: false,
        reason: `no credentials and no anonymous access: zot ${v} answers 401 before authorization (authn.go)`,
      };
  }
  if (!ac)
    return {
      allowed: true,
      reason: 'no accessControl: every client that passed authentication may read metrics (MetricsAuthzHandler)',
    };
  if (since18) {
    return anonymousRead
      ? { allowed: true, reason: `accessControl.metrics.anonymousPolicy holds read (zot ${v} MetricsAuthzHandler)` }
      : {
          allowed: false,
          reason: `anonymous clients need accessControl.metrics.anonymousPolicy: ['read'] (zot ${v} MetricsAuthzHandler)`,
        };
  }
  return {
    allowed: false,
    reason: `zot ${v} lets only accessControl.metrics.users read metrics; anonymous metrics need zot ${ANONYMOUS_METRICS_SINCE} or later (MetricsAuthzHandler)`,
  };
}

/** A signed-in scrape: authentication on, then accessControl.metrics.users (adminPolicy does not count). */
function userScrape({ v, ac, users, authentication }: MetricsAccess, user: string): ScrapeAnswer {
  if (!authentication)
    return {
      allowed: false,
      reason: 'no authentication is configured: credentials are not checked and the scraper is anonymous',
    };
  if (!ac)
    return { allowed: true, reason: 'no accessControl: every signed-in user may read metrics (MetricsAuthzHandler)' };
  if (users.length === 0)
    return {
      allowed: false,
      reason: `accessControl.metrics.users is empty: zot ${v} lets no signed-in user read metrics, admins included (MetricsAuthzHandler)`,
    };
  if (!users.includes(user))
    return {
      allowed: false,
      reason: `'${user}' is not in accessControl.metrics.users (${users.join(', ')}): zot ${v} answers 401 (MetricsAuthzHandler; adminPolicy does not count)`,
    };
  return { allowed: true, reason: `'${user}' is in accessControl.metrics.users` };
}

export interface MetricsProps {
  readonly metrics: ZotMetrics;
  readonly zotVersion: string;
  /** Names of the release's users (metrics users must sign in). */
  readonly userNames: readonly string[];
}

/** extensions.metrics, accessControl.metrics and the chart's metrics values. */
export function metricsFeature(p: MetricsProps): FeatureOutput & { accessControlMetrics: Record<string, unknown> } {
  const m = p.metrics;
  const users = m.users ?? [];
  users.forEach((u, i) => {
    if (!p.userNames.includes(u))
      refuse(
        `metrics.users[${i}]`,
        u,
        "is not one of the release's users: it has no htpasswd line, so it could never sign in to read metrics",
      );
  });
  if (m.anonymous && compareZotVersions(modelledZotVersion(p.zotVersion), ANONYMOUS_METRICS_SINCE) < 0) {
    refuse(
      'metrics.anonymous',
      true,
      `needs zot ${ANONYMOUS_METRICS_SINCE} or later (accessControl.metrics.anonymousPolicy); this release deploys zot ${p.zotVersion}, which lets only metrics users read them`,
    );
  }
  const path = m.path ?? DEFAULT_METRICS_PATH;
  const accessControlMetrics = {
    ...(users.length ? { users } : {}),
    ...(m.anonymous ? { anonymousPolicy: ['read'] } : {}),
  };
  const values = m.serviceMonitor ? { metrics: serviceMonitorValues(m.serviceMonitor, path) } : {};
  return {
    config: { extensions: { metrics: { enable: true, prometheus: { path } } } },
    values,
    accessControlMetrics,
  };
}

/** The chart's metrics values: its ServiceMonitor on `path`, signing in with the Secret's basic auth or anonymously. */
function serviceMonitorValues(sm: ZotServiceMonitor, path: string): Record<string, unknown> {
  // helm-charts zot-0.1.98..0.1.122 templates/servicemonitor.yaml: rendered when metrics.enabled and metrics.serviceMonitor.enabled;
  // basicAuth defaults to the Secret `basic-auth` in values.yaml and the template adds it `if .Values.metrics.serviceMonitor.basicAuth`.
  // An anonymous scrape sets it false: a user value that is not a table is kept over the chart's table (helm v3.19.2
  // pkg/chartutil/coalesce.go and v4.2.2 pkg/chart/common/util/coalesce.go: coalesceTablesFullKey, "cannot overwrite
  // table with non table" — the warning only; helm-controller v1.4.5 links helm v3.19.2, v1.6.3 helm v4.2.2). null would
  // do too, but cdk8s drops nulls from the object.
  return {
    enabled: true,
    serviceMonitor: {
      enabled: true,
      path,
      ...(sm.interval ? { interval: sm.interval } : {}),
      ...(sm.scrapeTimeout ? { scrapeTimeout: sm.scrapeTimeout } : {}),
      basicAuth: sm.basicAuth
        ? {
            secretName: sm.basicAuth.secretName,
            usernameKey: sm.basicAuth.usernameKey ?? 'username',
            passwordKey: sm.basicAuth.passwordKey ?? 'password',
          }
        : false,
    },
  };
}

/** The user a ServiceMonitor's basic auth signs in as, or 'anonymous'. */
export function serviceMonitorScraper(m: ZotMetrics, basicAuth: ZotServiceMonitor['basicAuth']): Scraper {
  if (!basicAuth) return 'anonymous';
  const user = basicAuth.user ?? m.users?.[0];
  if (!user)
    refuse(
      'metrics.serviceMonitor.basicAuth.user',
      undefined,
      'is missing and metrics.users is empty: name the user whose password the Secret holds',
    );
  return { user };
}

export interface ZotMetricsProps {
  /**
   * The metrics extension, who may scrape it, and the chart's ServiceMonitor; synth checks the scraper
   * can read the metrics as zot decides it.
   * @default - no metrics
   */
  readonly metrics?: ZotMetrics;
}

function metricsOutput(props: ZotMetricsProps & { readonly scaleOut?: object }, ctx: BuildContext): FeatureOutput {
  if (!props.metrics) return {};
  const { accessControlMetrics, ...m } = metricsFeature({
    metrics: props.metrics,
    zotVersion: ctx.zotVersion,
    userNames: ctx.userNames,
  });
  if (props.metrics.serviceMonitor && props.scaleOut) {
    // helm-charts templates/servicemonitor.yaml selects zot.selectorLabels, which templates/headless-service.yaml carries too
    refuse(
      'metrics.serviceMonitor',
      undefined,
      `is the chart's ServiceMonitor, which also selects the headless Service ${headlessServiceName(ctx.releaseName)} scale-out adds (same labels): every pod would be scraped twice; use the app's extraResources.serviceMonitor, which drops it`,
    );
  }
  if (!Object.keys(accessControlMetrics).length) return m;
  return { ...m, config: { ...m.config, http: { accessControl: { metrics: accessControlMetrics } } } };
}

/** The chart's ServiceMonitor must be let in by zot's metrics authorization of this version. */
function verifyScraper(props: ZotMetricsProps, config: BuiltConfig, ctx: BuildContext): void {
  const metrics = props.metrics;
  if (!metrics?.serviceMonitor) return;
  const who = serviceMonitorScraper(metrics, metrics.serviceMonitor.basicAuth);
  const can = metricsScrape(config, ctx.zotVersion, who);
  if (!can.allowed) {
    refuse(
      'metrics.serviceMonitor',
      who === 'anonymous' ? 'anonymous' : who.user,
      `cannot read ${metrics.path ?? '/metrics'}: ${can.reason}; Prometheus would get 401 on every scrape`,
    );
  }
}

/** The metrics feature of the registry (lib/zot/features/registry.ts). */
export const metricsDefinition: ZotFeature<
  ZotMetricsProps,
  { readonly scaleOut?: object; readonly extensions?: object }
> = {
  name: 'metrics',
  props: propKeys<ZotMetricsProps>({ metrics: true }),
  configProps: ['metrics'],
  check(props) {
    checkMetrics(props.metrics);
  },
  checkTogether(props) {
    if (props.metrics && (props.extensions as Record<string, unknown> | undefined)?.metrics !== undefined) {
      refuse(
        'extensions.metrics',
        undefined,
        'is set next to the metrics prop: give the metrics extension in one place (metrics)',
      );
    }
  },
  build: metricsOutput,
  verify: verifyScraper,
  readme: metricsReadme,
};

/** The README's metrics section: the path, who may read it, and who scrapes it. */
export function metricsReadme(props: ZotMetricsProps, ctx: ReadmeContext): FeatureReadme[] {
  const m = props.metrics;
  if (!m) return [];
  const code = (x: string) => `\`${x}\``;
  const who = [...(m.users ?? []).map(code), ...(m.anonymous ? ['anyone without credentials'] : [])];
  const lines = [
    `Metrics at ${code(m.path ?? DEFAULT_METRICS_PATH)}, readable by ${who.length ? who.join(', ') : 'no one (no metrics users)'} (admins are not included unless listed).`,
  ];
  if (m.anonymous)
    lines.push(`**/metrics is anonymous: the route serves it too, to anyone who reaches ${ctx.hosts}.**`);
  if (m.serviceMonitor)
    lines.push(
      `The chart's ServiceMonitor scrapes it every ${m.serviceMonitor.interval ?? '30s'} ${m.serviceMonitor.basicAuth ? `as ${code(m.serviceMonitor.basicAuth.user ?? m.users?.[0] ?? '')} (password in Secret ${code(m.serviceMonitor.basicAuth.secretName)})` : 'anonymously'}; its labels are the chart's (\`app.kubernetes.io/component: metrics\`).`,
    );
  const app = ctx.appServiceMonitor;
  if (app)
    lines.push(
      `ServiceMonitor ${code(app.name)} scrapes it ${app.scraper === 'anonymous' ? 'anonymously' : `as ${code(app.scraper)}`}.`,
    );
  lines.push("Synth checked, with zot's own metrics authorization for this version, that the scraper is let in.");
  return [{ section: 'Metrics', lines }];
}
