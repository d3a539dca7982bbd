// A Grafana dashboard of the registry, as a ConfigMap the Grafana sidecar picks up by label. The
// panels query the metrics zot exports (zot pkg/extensions/monitoring/extension.go, namespace
// "zot": http_requests_total, http_method_latency_seconds, repo_storage_bytes,
// repo_downloads_total, repo_uploads_total in v2.1.14..v2.1.20; gc_runs_total, gc_duration_seconds
// and gc_deleted_total from v2.1.17). The dashboard JSON is written here; its Grafana variables use
// the `$name` form, which Flux does not substitute (it only reads `${...}`), and the ConfigMap opts out
// of Flux substitution anyway (kustomize.toolkit.fluxcd.io/substitute: disabled).
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { refuse } from '../core/error';
import { SUBSTITUTE_OPT_OUT_KEY, SUBSTITUTE_OPT_OUT_VALUE } from '../flux/substitute-object';
import { compareZotVersions } from '../zot/config-keys';

export interface DashboardOptions {
  /** @default - '<release>-dashboard' */
  readonly name?: string;
  /**
   * Labels the Grafana sidecar looks for: the grafana chart's sidecar takes ConfigMaps labelled
   * `grafana_dashboard` (grafana/helm-charts charts/grafana values: sidecar.dashboards.label
   * "grafana_dashboard", labelValue "" = any value).
   * @default { grafana_dashboard: '1' }
   */
  readonly labels?: Record<string, string>;
  /**
   * Extra annotations, e.g. the folder annotation when the sidecar's `folderAnnotation` is set (off by default).
   * @default {}
   */
  readonly annotations?: Record<string, string>;
  /** @default 'zot registry' */
  readonly title?: string;
}

export interface DashboardProps extends DashboardOptions {
  readonly name: string;
  /** The zot version deployed: panels only for metrics it exports. */
  readonly zotVersion: string;
  /**
   * The `job` label of zot's series: a ServiceMonitor's targets get the Service's name (prometheus-operator
   * v0.93.0 pkg/prometheus/promcfg.go: the job label from __meta_kubernetes_service_name unless jobLabel is set).
   */
  readonly job: string;
}

/** zot's metrics, in the form the panels use. */
export function dashboardJson(title: string, job: string, zotVersion: string): Record<string, unknown> {
  const sel = `job="${job}"`;
  const panel = (id: number, t: string, expr: string, unit: string, x: number, y: number, legend = '') => ({
    id,
    type: 'timeseries',
    title: t,
    datasource: { type: 'prometheus', uid: '$datasource' },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: [{ refId: 'A', expr, ...(legend ? { legendFormat: legend } : {}) }],
  });
  const panels = [
    panel(
      1,
      'Requests by status code',
      `sum by (code) (rate(zot_http_requests_total{${sel}}[$__rate_interval]))`,
      'reqps',
      0,
      0,
      '{{code}}',
    ),
    panel(
      2,
      'Latency p95 by method',
      `histogram_quantile(0.95, sum by (le, method) (rate(zot_http_method_latency_seconds_bucket{${sel}}[$__rate_interval])))`,
      's',
      12,
      0,
      '{{method}}',
    ),
    panel(
      3,
      'Storage by repository',
      `topk(10, sum by (repo) (zot_repo_storage_bytes{${sel}}))`,
      'bytes',
      0,
      8,
      '{{repo}}',
    ),
    panel(
      4,
      'Downloads and uploads',
      `sum(rate(zot_repo_downloads_total{${sel}}[$__rate_interval]))`,
      'ops',
      12,
      8,
      'downloads',
    ),
  ];
  (panels[3].targets as Array<Record<string, unknown>>).push({
    refId: 'B',
    expr: `sum(rate(zot_repo_uploads_total{${sel}}[$__rate_interval]))`,
    legendFormat: 'uploads',
  });
  if (compareZotVersions(zotVersion, 'v2.1.17') >= 0) {
    panels.push(
      panel(
        5,
        'Garbage collection: deleted',
        `sum(increase(zot_gc_deleted_total{${sel}}[$__rate_interval]))`,
        'short',
        0,
        16,
      ),
    );
  }
  return {
    title,
    uid: `zot-${job}`.slice(0, 40),
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels,
  };
}

export class Dashboard extends Construct {
  readonly name: string;
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.name = props.name;
    const labels = props.labels ?? { grafana_dashboard: '1' };
    if (Object.keys(labels).length === 0)
      refuse('dashboard.labels', labels, 'is empty: the Grafana sidecar finds dashboards by label');
    // The dashboard JSON holds Grafana's `$name` variables; Flux must never substitute in it (the opt-out stays).
    const optOut = Object.keys(props.annotations ?? {}).find((k) => k === SUBSTITUTE_OPT_OUT_KEY);
    if (optOut)
      refuse(
        `dashboard.annotations["${optOut}"]`,
        props.annotations![optOut],
        `would replace the opt-out '${SUBSTITUTE_OPT_OUT_VALUE}' synth sets: Flux would substitute inside the dashboard JSON`,
      );
    const json = JSON.stringify(dashboardJson(props.title ?? 'zot registry', props.job, props.zotVersion), null, 2);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.name,
        labels,
        annotations: {
          ...(props.annotations ?? {}),
          [SUBSTITUTE_OPT_OUT_KEY]: SUBSTITUTE_OPT_OUT_VALUE,
        },
      },
      data: { [`${this.name}.json`]: json },
    });
  }
}
