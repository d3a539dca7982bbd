// A Prometheus Operator ServiceMonitor (monitoring.coreos.com/v1) for the zot Service, kept in the
// app folder: unlike the chart's (whose labels are fixed), it carries the labels the cluster's
// Prometheus selects, and it can drop the headless Service the scale-out cluster adds. No CRD of it
// is in ../shared: the fields used are typed by hand from the CRD prometheus-operator ships
// (example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml, the same for these
// fields from v0.75.0 to v0.93.0) and every object is validated against SCHEMA when built.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { refuse } from '../core/error';
import { schemaErrors } from '../k8s/schema';

const PROM_DURATION = {
  type: 'string',
  pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
};
const SECRET_KEY = {
  type: 'object',
  required: ['key'],
  properties: { name: { type: 'string' }, key: { type: 'string' } },
};
const LABELS = { type: 'object', additionalProperties: { type: 'string' } };
const RELABEL = {
  type: 'object',
  properties: {
    sourceLabels: { type: 'array', items: { type: 'string' } },
    regex: { type: 'string' },
    action: { type: 'string', enum: ['replace', 'keep', 'drop', 'labelmap', 'labeldrop', 'labelkeep'] },
    targetLabel: { type: 'string' },
    replacement: { type: 'string' },
  },
};

/** The hand-typed subset of the ServiceMonitor schema (prometheus-operator v0.75.0..v0.93.0). */
export const SERVICE_MONITOR_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['monitoring.coreos.com/v1'] },
    kind: { type: 'string', enum: ['ServiceMonitor'] },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, labels: LABELS },
    },
    spec: {
      type: 'object',
      // v0.93.0 requires endpoints and selector; v0.75.0 selector
      required: ['selector', 'endpoints'],
      properties: {
        selector: { type: 'object', required: ['matchLabels'], properties: { matchLabels: LABELS } },
        endpoints: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['port'],
            properties: {
              port: { type: 'string', minLength: 1 },
              path: { type: 'string' },
              interval: PROM_DURATION,
              scrapeTimeout: PROM_DURATION,
              scheme: { type: 'string', enum: ['http', 'https'] },
              basicAuth: {
                type: 'object',
                required: ['username', 'password'],
                properties: { username: SECRET_KEY, password: SECRET_KEY },
              },
              relabelings: { type: 'array', items: RELABEL },
            },
          },
        },
      },
    },
  },
};

export interface ServiceMonitorOptions {
  /** @default - the release's Service name */
  readonly name?: string;
  /**
   * Labels the cluster's Prometheus selects ServiceMonitors by (kube-prometheus-stack: `release: <its release>`).
   * @default {}
   */
  readonly labels?: Record<string, string>;
  /** @default '30s' */
  readonly interval?: string;
  /** @default - Prometheus's default */
  readonly scrapeTimeout?: string;
  /**
   * The Secret (in the app's namespace) with the scraper's credentials, and the user it signs in as.
   * @default - an anonymous scrape (needs `release.metrics.anonymous`)
   */
  readonly basicAuth?: {
    readonly secretName: string;
    readonly usernameKey?: string;
    readonly passwordKey?: string;
    readonly user?: string;
  };
}

export interface ServiceMonitorProps extends ServiceMonitorOptions {
  /** The labels the zot Service and its pods carry (the chart's selectorLabels). */
  readonly selector: Record<string, string>;
  /** The Service port name (the chart names it `zot`). */
  readonly port: string;
  readonly path: string;
  /** A Service the selector also matches that must not be scraped (the headless one): dropped by relabeling. */
  readonly dropService?: string;
}

export class ServiceMonitor extends Construct {
  readonly name: string;
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(scope, id);
    this.name = props.name ?? 'zot';
    const ba = props.basicAuth;
    const obj = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: this.name,
        ...(props.labels && Object.keys(props.labels).length ? { labels: props.labels } : {}),
      },
      spec: {
        selector: { matchLabels: props.selector },
        endpoints: [
          {
            port: props.port,
            path: props.path,
            interval: props.interval ?? '30s',
            ...(props.scrapeTimeout ? { scrapeTimeout: props.scrapeTimeout } : {}),
            ...(ba
              ? {
                  basicAuth: {
                    username: { name: ba.secretName, key: ba.usernameKey ?? 'username' },
                    password: { name: ba.secretName, key: ba.passwordKey ?? 'password' },
                  },
                }
              : {}),
            // The headless Service carries the same labels as the Service (helm-charts templates/headless-service.yaml:
            // zot.labels): without this, each pod would be scraped once per Service.
            ...(props.dropService
              ? {
                  relabelings: [
                    { sourceLabels: ['__meta_kubernetes_service_name'], regex: props.dropService, action: 'drop' },
                  ],
                }
              : {}),
          },
        ],
      },
    };
    const errors = schemaErrors(JSON.parse(JSON.stringify(obj)), SERVICE_MONITOR_SCHEMA);
    if (errors.length)
      refuse(
        'serviceMonitor',
        undefined,
        `is not a ServiceMonitor the Prometheus Operator accepts: ${errors.join('; ')}`,
      );
    this.resource = new ApiObject(this, 'Resource', obj);
  }
}
