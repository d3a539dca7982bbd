// The typed props' refusals, held on the chart values merged with valuesOverrides: an override
// (whatever unsafeValues names) cannot produce what a typed prop refuses. Each problem names
// `valuesOverrides.<path>` and the value; all are named in one pass.
import { Problem, ZotFluxError } from '../core/error';
import { chartAtLeast } from '../zot/features/common';
import { TPL_PLACEMENT_SINCE } from '../zot/features/chart-values';
import { checkPlacement, checkResources, checkStartupProbe } from '../zot/features/pod';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
export const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Chart values, parsed: anything may be anywhere, so each read is checked. */
type Values = Record<string, unknown>;

/** The value at a dotted path, or undefined where a step is not an object. */
function valueAt(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((x, k) => (x !== null && typeof x === 'object' ? (x as Values)[k] : undefined), o);
}

/** The chart values `path` names, as merged and as the typed props generated them, differ. */
function changed(values: Values, generated: Values, path: string): boolean {
  return JSON.stringify(valueAt(values, path)) !== JSON.stringify(valueAt(generated, path));
}

/** Where the problems of one pass are collected. */
interface Collector {
  readonly problems: Problem[];
  problem(path: string, value: unknown, reason: string): void;
  /** Runs a prop check, keeping its refusals as problems. */
  hold(check: () => void): void;
}

function collector(): Collector {
  const problems: Problem[] = [];
  return {
    problems,
    problem: (path, value, reason) => problems.push({ field: `valuesOverrides.${path}`, value, reason }),
    hold(check) {
      try {
        check();
      } catch (e) {
        if (!ZotFluxError.isZotFluxError(e)) throw e;
        problems.push(...e.problems);
      }
    },
  };
}

function isPort(port: unknown): boolean {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** The Service, the ports and the PVC, as the props serviceType, port, storageSize and accessModes allow them. */
function serviceAndVolumeProblems(values: Values, c: Collector): void {
  const type = valueAt(values, 'service.type');
  if (type !== undefined && !(SERVICE_TYPES as readonly unknown[]).includes(type)) {
    c.problem(
      'service.type',
      type,
      `is not a Service type the serviceType prop allows (${SERVICE_TYPES.join(', ')}): ExternalName sends clients to another host`,
    );
  }
  for (const p of ['service.port', 'httpGet.port'] as const) {
    const port = valueAt(values, p);
    if (port !== undefined && !isPort(port)) c.problem(p, port, 'is not an integer from 1 to 65535');
  }
  const storage = valueAt(values, 'pvc.storage');
  if (storage !== undefined && !QUANTITY.test(String(storage)))
    c.problem('pvc.storage', storage, 'is not a Kubernetes quantity (e.g. 20Gi)');
  const modes = valueAt(values, 'pvc.accessModes');
  if (
    modes !== undefined &&
    (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => !ACCESS_MODES.includes(m)))
  ) {
    c.problem('pvc.accessModes', modes, `is not a non-empty list of access modes (${ACCESS_MODES.join(', ')})`);
  }
  // zot chart 0.1.98..0.1.122 templates/statefulset.yaml: `if .Values.pvc.accessMode` renders it alone, in place of pvc.accessModes
  const mode = valueAt(values, 'pvc.accessMode');
  if (mode !== undefined && mode !== null && mode !== '' && !(ACCESS_MODES as unknown[]).includes(mode)) {
    c.problem(
      'pvc.accessMode',
      mode,
      `is not an access mode (${ACCESS_MODES.join(', ')}); the chart renders it in place of pvc.accessModes`,
    );
  }
  // The zot version deployed is read from image.tag (checkedZotVersion) only when it is a string.
  const tag = valueAt(values, 'image.tag');
  if (tag !== undefined && tag !== null && typeof tag !== 'string')
    c.problem('image.tag', tag, "is not a zot version string ('v2.1.18')");
}

/** Placement, resources, the startup probe: the props' checks, on what the overrides changed. */
function podProblems(values: Values, generated: Values, chartVersion: string, c: Collector): void {
  const placementKeys = (['nodeSelector', 'tolerations', 'affinity'] as const).filter(
    (k) => changed(values, generated, k) && values[k] !== undefined && values[k] !== null,
  );
  if (placementKeys.length) {
    c.hold(() => checkPlacement(Object.fromEntries(placementKeys.map((k) => [k, values[k]])), 'valuesOverrides'));
    for (const k of placementKeys) {
      if (chartAtLeast(chartVersion, TPL_PLACEMENT_SINCE) && JSON.stringify(values[k]).includes('{{')) {
        c.problem(
          k,
          values[k],
          `holds '{{', which chart ${chartVersion} runs through Helm's tpl (templates/statefulset.yaml: \`tpl (toYaml .) $\`, from ${TPL_PLACEMENT_SINCE}): it would be executed as a template`,
        );
      }
    }
  }
  if (changed(values, generated, 'resources') && values.resources != null)
    c.hold(() => checkResources(values.resources, 'valuesOverrides.resources'));
  if (changed(values, generated, 'startupProbe') && values.startupProbe != null)
    c.hold(() => checkStartupProbe(values.startupProbe, 'valuesOverrides.startupProbe'));
}

/** Values a prop owns together with zot's config or other props: only through the prop. */
function ownedValueProblems(values: Values, generated: Values, replicas: number, c: Collector): void {
  if ((values.replicaCount ?? 1) !== (generated.replicaCount ?? 1)) {
    c.problem(
      'replicaCount',
      values.replicaCount,
      `differs from the replicas prop (${replicas}): set replicas, which refuses more than 1 without shared storage, a remote cache and scaleOut, and writes zot's cluster members for that many`,
    );
  }
  if (valueAt(values, 'podDisruptionBudget.enabled') && changed(values, generated, 'podDisruptionBudget')) {
    c.problem(
      'podDisruptionBudget',
      values.podDisruptionBudget,
      "is not the podDisruptionBudget prop's: set that prop, which refuses a budget the chart cannot render or that lets no pod be evicted",
    );
  }
  // helm-charts zot-0.1.98..0.1.122 templates/servicemonitor.yaml: rendered when metrics.enabled and metrics.serviceMonitor.enabled
  const serviceMonitor = Boolean(
    valueAt(values, 'metrics.enabled') && valueAt(values, 'metrics.serviceMonitor.enabled'),
  );
  if (serviceMonitor && changed(values, generated, 'metrics')) {
    c.problem(
      'metrics',
      values.metrics,
      "renders a ServiceMonitor other than the metrics prop's: set metrics, which turns on zot's metrics extension and checks the scraper may read it",
    );
  }
  const headless = valueAt(values, 'serviceHeadless.enabled');
  if (serviceMonitor && headless) {
    // helm-charts templates/servicemonitor.yaml selects zot.selectorLabels, which templates/headless-service.yaml carries too
    c.problem(
      'serviceHeadless.enabled',
      headless,
      "turns on the headless Service next to the chart's ServiceMonitor, which selects it too (same labels): every pod would be scraped twice; use the app's extraResources.serviceMonitor",
    );
  }
}

/**
 * The typed props' refusals, held on the merged values: valuesOverrides (whatever unsafeValues names)
 * cannot produce what a typed prop refuses. Each names `valuesOverrides.<path>` and the value.
 */
export function mergedValuesProblems(
  values: Values,
  generated: Values,
  ctx: { chartVersion: string; replicas: number },
): Problem[] {
  const c = collector();
  serviceAndVolumeProblems(values, c);
  podProblems(values, generated, ctx.chartVersion, c);
  ownedValueProblems(values, generated, ctx.replicas, c);
  return c.problems;
}
