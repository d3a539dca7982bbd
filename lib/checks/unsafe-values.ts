// The chart values that change what the zot container runs or the config it loads. Typed props set
// them; through valuesOverrides they are refused unless the release names them in `unsafeValues`,
// which lands in a HelmRelease annotation (and the app README), as anonymousWrite does.
//
// Read from the zot chart's templates, every version 0.1.98..0.1.122 (templates/statefulset.yaml,
// deployment.yaml, configmap.yaml, secret.yaml, service.yaml): the zot container's `image`
// ("{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"), its
// `args` (`.Values.extraArgs`), `volumeMounts` (mountConfig → /etc/zot, mountSecret →
// /secret, externalSecrets, extraVolumeMounts), the pod's `initContainers`, `extraContainers` and
// volumes (extraVolumes), the ConfigMap (configFiles, when mountConfig), the Secret (secretFiles,
// when mountSecret) and the Service's type.

/** The annotation naming the value paths a release opts in to (comma-separated). */
export const UNSAFE_VALUES_ANNOTATION = 'zot-flux.io/unsafe-values';

/** Value paths that change the zot container or its config, with what each changes (for messages and the README). */
export const UNSAFE_VALUE_PATHS: Readonly<Record<string, string>> = {
  'image.repository': 'which image runs as zot',
  'image.digest': 'which image runs as zot',
  extraArgs: "zot's command line (another config file, another command)",
  command: "zot's command line",
  initContainers: 'containers that run in the pod before zot and may write its volumes',
  extraContainers: 'containers that run beside zot and share its volumes',
  extraVolumes: 'volumes of the pod (mounted over the config with extraVolumeMounts)',
  extraVolumeMounts: "mounts of the zot container, over its config or its Secret",
  externalSecrets: 'Secrets mounted into the zot container from outside the chart',
  mountConfig: 'whether the config.json ConfigMap is mounted at /etc/zot',
  mountSecret: 'whether the Secret with the htpasswd file is mounted at /secret',
  configFiles: 'the config files zot loads (config.json)',
  secretFiles: 'the files of the mounted Secret (the htpasswd file)',
  'service.type': 'how the Service is exposed (ExternalName sends clients elsewhere)',
};

/** The value paths a zot HelmRelease opts in to with its annotation. */
export function unsafeValuesOptIn(hr: any): string[] {
  const v = hr?.metadata?.annotations?.[UNSAFE_VALUES_ANNOTATION];
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** Whether `path` (e.g. `image.repository`) is covered by an opt-in (`image.repository`, or a parent such as `image`). */
export function optedIn(path: string, optIn: readonly string[]): boolean {
  return optIn.some((o) => path === o || path.startsWith(`${o}.`));
}

/** Whether `x` is a known unsafe value path, or the parent of one (`image`). */
export function isUnsafeValuePath(x: string): boolean {
  return Object.keys(UNSAFE_VALUE_PATHS).some((k) => k === x || k.startsWith(`${x}.`));
}

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function valueAt(values: unknown, path: string): unknown {
  let o: unknown = values;
  for (const k of path.split('.')) o = isObj(o) ? o[k] : undefined;
  return o;
}

/** Whether `overrides` sets `path` itself or a parent of it (so the value at `path` is the user's). */
function overridden(overrides: Record<string, unknown>, path: string): boolean {
  let o: unknown = overrides;
  for (const k of path.split('.')) {
    if (!isObj(o) || !(k in o)) return false;
    o = o[k];
    if (!isObj(o)) return true;
  }
  return true;
}

/**
 * The valuesOverrides that change the zot container or its config (UNSAFE_VALUE_PATHS) and are not
 * opted in: each names `valuesOverrides.<path>` and the value. An override that leaves the merged
 * value as the typed props generated it changes nothing and passes.
 */
export function unsafeOverrides(generated: Record<string, unknown>, merged: Record<string, unknown>, overrides: Record<string, unknown>, optIn: readonly string[]): Array<{ field: string; value: unknown; reason: string }> {
  const out: Array<{ field: string; value: unknown; reason: string }> = [];
  for (const [p, what] of Object.entries(UNSAFE_VALUE_PATHS)) {
    if (!overridden(overrides, p) || optedIn(p, optIn)) continue;
    const after = valueAt(merged, p);
    if (JSON.stringify(after) === JSON.stringify(valueAt(generated, p))) continue;
    out.push({
      field: `valuesOverrides.${p}`,
      value: p === 'secretFiles' ? undefined : after,
      reason: `changes ${what}, which synth cannot vouch for as written: use the typed prop, or name '${p}' in unsafeValues (it lands in the HelmRelease annotation ${UNSAFE_VALUES_ANNOTATION} and the app README; what runs is still rendered and judged)`,
    });
  }
  return out;
}
