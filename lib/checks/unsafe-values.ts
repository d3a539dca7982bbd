// The chart values that change what the zot container runs or the config it loads, and the chart's own
// ways to expose zot (its Ingress, HTTPRoute and ListenerSet, beside the app's reviewed route). Typed
// props set the first; through valuesOverrides they are refused unless the release names them in
// `unsafeValues`, which lands in a HelmRelease annotation (and the app README), as anonymousWrite does.
//
// Read from the templates of every zot chart 0.1.98..0.1.122 (templates/deployment.yaml and
// statefulset.yaml render the same pod; configmap.yaml, secret.yaml, service.yaml; ingress.yaml,
// httproute.yaml from 0.1.103, listenerset.yaml from 0.1.110): each entry of UNSAFE_VALUES cites where.
// The exposure templates render only when their `enabled` switch is true, so that switch is the entry
// (the rest of ingress.*, httproute.*, listenerset.* renders nothing without it; naming the parent,
// `ingress`, opts in to the whole of it). Considered and left out, because they change neither the zot container's
// program nor the files it loads: image.tag (the zot version, checked by the typed path: a version
// string, the advisories), image.pullPolicy, imagePullSecrets, env (zot v2.1.14..v2.1.20 reads no config
// from the environment: no viper AutomaticEnv/BindEnv in pkg/ or cmd/; credential env is judged by
// lib/checks/credential-placement.ts), serviceAccount, hostAliases, dnsConfig/dnsPolicy, the pod's
// placement and resources (typed props, re-checked on the merged values), persistence and pvc.* (data,
// judged as rendered: lib/checks/rendered-chart.ts), namespace/fullnameOverride (where the objects land),
// test.image.* (templates/tests: runs only on `helm test`, which a HelmRelease leaves off by default),
// service.* but type (annotations, nodePort, clusterIP, traffic policies: the shape of the Service the
// typed serviceType exposes).
import type { Problem } from '../core/error';
import { findCredential } from './credentials';
import { valueAt } from '../k8s/objects';

/** The annotation naming the value paths a release opts in to (comma-separated). */
export const UNSAFE_VALUES_ANNOTATION = 'zot-flux.io/unsafe-values';

/** One chart value path that changes the zot container or its config, or exposes zot. */
export interface UnsafeValue {
  /** The dotted path into the chart's values (`image.repository`). */
  readonly path: string;
  /** What it changes, for messages and the app README. */
  readonly what: string;
  /** Where the chart reads it (`zot chart <versions> templates/<file>: ...`). */
  readonly read: string;
  /** The project's typed props set it themselves (then only a change from what they set needs the opt-in). */
  readonly generated?: boolean;
  /** Its content may hold credentials (never printed). */
  readonly secret?: boolean;
  /**
   * The chart reads it as a switch (`if .Values.x.enabled`): only a value Go templates count true
   * renders anything, so false, 0, '', null, [] and {} change nothing (text/template `truth`).
   */
  readonly gate?: boolean;
}

/** Every value path that changes what the zot container runs or loads or where zot is exposed, with where the chart reads it. */
export const UNSAFE_VALUES: readonly UnsafeValue[] = [
  {
    path: 'image.repository',
    what: 'which image runs as zot',
    read: 'zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
  },
  {
    path: 'extraArgs',
    what: "zot's command line (another config file, another subcommand)",
    read: "zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `with .Values.extraArgs` → the zot container's args",
  },
  {
    path: 'command',
    what: "the zot container's entrypoint",
    read: 'no zot chart 0.1.98..0.1.122 value: named for the rendered check (lib/checks/running-zot.ts), which judges a command from any source (postRenderers)',
  },
  {
    path: 'initContainers',
    what: 'containers that run in the pod before zot and may write its volumes',
    read: 'zot chart 0.1.107..0.1.122 templates/statefulset.yaml, deployment.yaml: `with .Values.initContainers` → initContainers (not read by 0.1.98..0.1.106)',
  },
  {
    path: 'extraContainers',
    what: 'containers that run beside zot and share its volumes',
    read: 'zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `with .Values.extraContainers` → containers after zot',
  },
  {
    path: 'extraVolumes',
    what: 'volumes of the pod (mounted over the config or the Secret with extraVolumeMounts)',
    read: 'zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `with .Values.extraVolumes` → volumes',
  },
  {
    path: 'extraVolumeMounts',
    what: 'mounts of the zot container, over its config or its Secret',
    read: "zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `with .Values.extraVolumeMounts` → the zot container's volumeMounts",
  },
  {
    path: 'externalSecrets',
    what: 'Secrets from outside the chart mounted into the zot container at any path',
    read: 'zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `range .Values.externalSecrets` → a secret volume and a mount at .mountPath',
  },
  {
    path: 'mountConfig',
    what: 'whether the config.json ConfigMap is mounted at /etc/zot',
    read: "zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `if .Values.mountConfig` → mountPath '/etc/zot'; configmap.yaml: `if and .Values.mountConfig .Values.configFiles`",
    generated: true,
  },
  {
    path: 'mountSecret',
    what: 'whether the Secret with the htpasswd file is mounted at /secret',
    read: "zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `if .Values.mountSecret` → mountPath '/secret'; secret.yaml: `if and .Values.mountSecret .Values.secretFiles`",
    generated: true,
  },
  {
    path: 'configFiles',
    what: 'the config files zot loads (config.json)',
    read: 'zot chart 0.1.98..0.1.122 templates/configmap.yaml: `range $key, $val := .Values.configFiles` → the ConfigMap mounted at /etc/zot',
    generated: true,
  },
  {
    path: 'secretFiles',
    what: 'the files of the Secret mounted at /secret (the htpasswd file)',
    read: 'zot chart 0.1.98..0.1.122 templates/secret.yaml: `range $key, $val := .Values.secretFiles` → the Secret mounted at /secret',
    generated: true,
    secret: true,
  },
  {
    path: 'securityContext',
    what: "the zot container's privileges (privileged, user, capabilities)",
    read: 'zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `securityContext: {{- toYaml .Values.securityContext }}` on the zot container',
  },
  {
    path: 'podSecurityContext',
    what: "the pod's user, groups and sysctls, which the zot container inherits",
    read: 'zot chart 0.1.98..0.1.122 templates/statefulset.yaml, deployment.yaml: `securityContext: {{- toYaml .Values.podSecurityContext }}` on the pod',
  },
  {
    path: 'service.type',
    what: 'how the Service is exposed',
    read: 'zot chart 0.1.98..0.1.122 templates/service.yaml: `type: {{ .Values.service.type }}`',
    generated: true,
  },
  {
    path: 'ingress.enabled',
    what: "the chart's own Ingress to zot (ingress.hosts, className, annotations, tls), beside the app's route",
    read: 'zot chart 0.1.98..0.1.122 templates/ingress.yaml: `if .Values.ingress.enabled` → an Ingress of every ingress.hosts entry to the zot Service',
    gate: true,
  },
  {
    path: 'httproute.enabled',
    what: "the chart's own HTTPRoute to zot (httproute.parentRefs, hostnames, rules), onto any Gateway, beside the app's route",
    read: 'zot chart 0.1.103..0.1.122 templates/httproute.yaml: `if and .Values.httproute .Values.httproute.enabled` → an HTTPRoute from httproute.parentRefs and hostnames to the zot Service (no such template in 0.1.98..0.1.102)',
    gate: true,
  },
  {
    path: 'listenerset.enabled',
    what: "the chart's own ListenerSet (listenerset.parentRef, listeners): listeners added to a Gateway",
    read: 'zot chart 0.1.110..0.1.122 templates/listenerset.yaml: `if and .Values.listenerset .Values.listenerset.enabled` → a ListenerSet of listenerset.listeners on listenerset.parentRef (no such template in 0.1.98..0.1.109)',
    gate: true,
  },
];

/** Value paths that change the zot container or its config, with what each changes. */
export const UNSAFE_VALUE_PATHS: Readonly<Record<string, string>> = Object.fromEntries(
  UNSAFE_VALUES.map((u) => [u.path, u.what]),
);

/** The value paths a zot HelmRelease opts in to with its annotation. */
export function unsafeValuesOptIn(hr: unknown): string[] {
  const v = valueAt(hr, 'metadata', 'annotations', UNSAFE_VALUES_ANNOTATION);
  return typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** The annotation's value for an opt-in list (what unsafeValuesOptIn reads back). */
export function unsafeValuesAnnotation(optIn: readonly string[]): string {
  return optIn.join(',');
}

/** Whether `path` (e.g. `image.repository`) is covered by an opt-in (`image.repository`, or a parent such as `image`). */
export function optedIn(path: string, optIn: readonly string[]): boolean {
  return optIn.some((o) => path === o || path.startsWith(`${o}.`));
}

/** Whether `x` is a known unsafe value path, or the parent of one (`image`). */
export function isUnsafeValuePath(x: string): boolean {
  return UNSAFE_VALUES.some((u) => u.path === x || u.path.startsWith(`${x}.`));
}

/** What an opt-in entry opens: its own description, or those of the paths under it (`image`). */
export function describeUnsafeValue(x: string): string {
  const under = UNSAFE_VALUES.filter((u) => u.path === x || u.path.startsWith(`${x}.`));
  return [...new Set(under.map((u) => u.what))].join('; ');
}

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * What `values` holds at `path`: the value, or, when a parent on the way is not a map (`image: 'x'`),
 * that parent and its path (Helm then reads nothing below it, and the parent is what was written).
 */
function lookup(values: unknown, path: string): { at: string; value: unknown } | undefined {
  const keys = path.split('.');
  let o: unknown = values;
  for (let i = 0; i < keys.length; i++) {
    if (!isObj(o) || !(keys[i] in o)) return undefined;
    o = o[keys[i]];
    if (i < keys.length - 1 && !isObj(o)) return { at: keys.slice(0, i + 1).join('.'), value: o };
  }
  return { at: path, value: o };
}

/**
 * Whether Helm's `if` renders on what lookup found (Go text/template `truth`: false, 0, '', nil and
 * empty lists and maps are false). A parent that is not a map (`ingress: 'x'`) counts by its own truth.
 */
function truth(found: { value: unknown } | undefined): boolean {
  const v = found?.value;
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

/** The merged value's shape with map keys sorted, so that key order alone is no change. */
function canonical(x: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : isObj(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort(v[k])]),
          )
        : v;
  return JSON.stringify(sort(x)) ?? 'undefined';
}

export interface UnsafeValuesOptions {
  /** Prefix of each problem's field. @default 'valuesOverrides' */
  readonly field?: string;
  /**
   * The chart's own values under both sides (e.g. `image.repository` from the chart facts), so that
   * an override repeating the chart's default changes nothing. @default {}
   */
  readonly chartDefaults?: Record<string, unknown>;
}

/** Deep merge of chart values as Flux hands them to Helm: maps merge key by key, anything else replaces. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const at = out[k];
    out[k] = isObj(at) && isObj(v) ? merge(at, v) : v;
  }
  return out;
}

/**
 * The unsafe value paths `values` (a release's chart values, valuesOverrides merged in) changes and
 * `optIn` does not name: one problem per path, `valuesOverrides.<path>` with the value and what it changes.
 *
 * With `generated` (the values the typed props produce) a path is changed when its value differs from
 * the generated one, so the project's own configFiles, secretFiles, mountConfig, mountSecret and
 * service.type pass and an override that repeats them changes nothing. Without it (a HelmRelease read
 * back from a file) only the paths the typed props never set are judged, by presence; the generated
 * ones are judged where the chart is rendered (lib/checks/running-zot.ts, what-runs.ts).
 */
export function unsafeValuesProblems(
  values: Record<string, unknown>,
  generated: Record<string, unknown> | undefined,
  optIn: readonly string[],
  opts: UnsafeValuesOptions = {},
): Problem[] {
  const prefix = opts.field ?? 'valuesOverrides';
  const defaults = opts.chartDefaults ?? {};
  const after = merge(defaults, values);
  const base = generated ? merge(defaults, generated) : undefined;
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const u of UNSAFE_VALUES) {
    if (optedIn(u.path, optIn)) continue;
    if (!generated && u.generated) continue;
    const now = lookup(after, u.path);
    const before = base ? lookup(base, u.path) : undefined;
    if (u.gate ? truth(now) === truth(before) : canonical(now) === canonical(before)) continue;
    const at = now?.at ?? before?.at ?? u.path;
    if (seen.has(at)) continue;
    seen.add(at);
    const value = now?.value;
    const secret = u.secret === true || (value !== undefined && findCredential(canonical(value)) !== undefined);
    out.push({
      field: `${prefix}.${at}`,
      value,
      reason: `${now === undefined ? 'is removed, which ' : ''}changes ${u.what}, which synth cannot vouch for as written: ${u.generated ? 'use the typed prop, or' : 'no typed prop sets it;'} name '${u.path}' in unsafeValues (it lands in the HelmRelease annotation ${UNSAFE_VALUES_ANNOTATION} and the app README; what runs is still rendered and judged)`,
      ...(secret ? { secret: true } : {}),
    });
  }
  return out;
}
