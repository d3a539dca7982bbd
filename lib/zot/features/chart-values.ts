// Which chart values the typed props use, and from which chart version the chart's templates render
// them. Read from the templates of every chart package 0.1.98..0.1.122 (project-zot/helm-charts
// charts/zot/templates at the tags zot-0.1.98..zot-0.1.122; test/constructs/production.shared.test.ts
// renders each value with the real helm on every version and checks this table).
import { refuse } from '../../core/error';
import { chartAtLeast } from './common';

export interface ChartValueFact {
  /** The first chart version whose templates render the value. */
  readonly since: string;
  /** Where the templates read it, for messages. */
  readonly template: string;
}

/** The chart values the typed props set, with the first chart version that renders each. */
export const CHART_VALUES = {
  // helm-charts zot-0.1.98 charts/zot/templates/statefulset.yaml: `env: {{- toYaml .Values.env }}` on the zot container
  env: { since: '0.1.98', template: 'templates/statefulset.yaml (container env)' },
  // helm-charts zot-0.1.98 templates/statefulset.yaml: startupProbe initialDelaySeconds / periodSeconds / failureThreshold
  startupProbe: { since: '0.1.98', template: 'templates/statefulset.yaml (startupProbe)' },
  // helm-charts zot-0.1.98 templates/statefulset.yaml: `resources: {{- toYaml .Values.resources }}` (no default in values.yaml)
  resources: { since: '0.1.98', template: 'templates/statefulset.yaml (container resources)' },
  // helm-charts zot-0.1.98 templates/statefulset.yaml: `with .Values.nodeSelector / affinity / tolerations` (declared in values.yaml from 0.1.121)
  nodeSelector: { since: '0.1.98', template: 'templates/statefulset.yaml (nodeSelector)' },
  affinity: { since: '0.1.98', template: 'templates/statefulset.yaml (affinity)' },
  tolerations: { since: '0.1.98', template: 'templates/statefulset.yaml (tolerations)' },
  // helm-charts zot-0.1.120 templates/statefulset.yaml: `with .Values.topologySpreadConstraints` (absent before)
  topologySpreadConstraints: { since: '0.1.120', template: 'templates/statefulset.yaml (topologySpreadConstraints)' },
  // helm-charts zot-0.1.98 templates/statefulset.yaml: `replicas: {{ .Values.replicaCount }}`
  replicaCount: { since: '0.1.98', template: 'templates/statefulset.yaml (spec.replicas)' },
  // helm-charts zot-0.1.98 templates/headless-service.yaml (clusterIP None, publishNotReadyAddresses true) and statefulset.yaml serviceName
  serviceHeadless: { since: '0.1.98', template: 'templates/headless-service.yaml' },
  // helm-charts zot-0.1.98 templates/servicemonitor.yaml: rendered when metrics.enabled and metrics.serviceMonitor.enabled
  'metrics.serviceMonitor': { since: '0.1.98', template: 'templates/servicemonitor.yaml' },
  // helm-charts zot-0.1.122 templates/pdb.yaml (first in 0.1.122: not in the zot-0.1.121 tree)
  podDisruptionBudget: { since: '0.1.122', template: 'templates/pdb.yaml' },
} as const satisfies Record<string, ChartValueFact>;

export type ChartValue = keyof typeof CHART_VALUES;

/** Whether chart `chart` renders `value`. */
export function chartRenders(chart: string, value: ChartValue): boolean {
  return chartAtLeast(chart, CHART_VALUES[value].since);
}

/** Refuses a prop whose chart value this chart version does not render (it would be ignored silently). */
export function requireChartValue(chart: string, value: ChartValue, field: string, given: unknown): void {
  if (!chartRenders(chart, value)) {
    const f = CHART_VALUES[value];
    refuse(
      field,
      given,
      `needs zot chart ${f.since} or later (${f.template}); chart ${chart} does not render \`${value}\`, so the setting would be ignored`,
    );
  }
}

/**
 * From chart 0.1.121 nodeSelector, affinity and tolerations go through Helm's `tpl` (helm-charts
 * zot-0.1.121 templates/statefulset.yaml: `tpl (toYaml .) $`): `{{` in a value is executed as a
 * template, not kept as text.
 */
export const TPL_PLACEMENT_SINCE = '0.1.121';
