// A Prometheus Operator Probe (monitoring.coreos.com/v1): the blackbox exporter checks the registry
// from outside, through the route (zot answers /livez without authentication: zot v2.1.14..v2.1.20
// pkg/api/routes.go SetupRoutes registers the health endpoints before the auth middleware). Typed by
// hand from prometheus-operator's CRD (example/prometheus-operator-crd/monitoring.coreos.com_probes.yaml,
// v0.75.0..v0.93.0) and validated against SCHEMA when built.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { refuse } from '../core/error';
import { schemaErrors } from '../k8s/schema';

const PROM_DURATION = {
  type: 'string',
  pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
};
const LABELS = { type: 'object', additionalProperties: { type: 'string' } };

/** The hand-typed subset of the Probe schema. */
export const PROBE_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['monitoring.coreos.com/v1'] },
    kind: { type: 'string', enum: ['Probe'] },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, labels: LABELS },
    },
    spec: {
      type: 'object',
      required: ['prober', 'targets'],
      properties: {
        jobName: { type: 'string' },
        // v0.75.0: prober.url required, scheme http|https; path default /probe
        prober: {
          type: 'object',
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 1 },
            scheme: { type: 'string', enum: ['http', 'https'] },
            path: { type: 'string' },
          },
        },
        module: { type: 'string' },
        interval: PROM_DURATION,
        scrapeTimeout: PROM_DURATION,
        targets: {
          type: 'object',
          required: ['staticConfig'],
          properties: {
            staticConfig: {
              type: 'object',
              required: ['static'],
              properties: { static: { type: 'array', minItems: 1, items: { type: 'string' } }, labels: LABELS },
            },
          },
        },
      },
    },
  },
};

export interface ProbeOptions {
  /** @default - the route's name */
  readonly name?: string;
  /** The blackbox exporter, host:port as Prometheus reaches it, e.g. 'blackbox-exporter.monitoring.svc:9115'. */
  readonly prober: string;
  /**
   * The blackbox module.
   * @default 'http_2xx'
   */
  readonly module?: string;
  /**
   * URLs probed.
   * @default - https://<each route hostname>/livez
   */
  readonly targets?: string[];
  /** @default '60s' */
  readonly interval?: string;
  /** @default {} */
  readonly labels?: Record<string, string>;
}

export class Probe extends Construct {
  readonly name: string;
  readonly targets: string[];
  readonly resource: ApiObject;

  constructor(
    scope: Construct,
    id: string,
    props: ProbeOptions & { readonly name: string; readonly targets: string[] },
  ) {
    super(scope, id);
    this.name = props.name;
    this.targets = props.targets;
    if (/^[a-z]+:\/\//i.test(props.prober) || props.prober.includes('/')) {
      // prometheus-operator v0.93.0 Probe CRD prober.url: "the value should be in the form of `address:port` without any scheme" (scheme and path are fields)
      refuse(
        'probe.prober',
        props.prober,
        "is host:port of the blackbox exporter (no scheme, no path), e.g. 'blackbox-exporter.monitoring.svc:9115'",
      );
    }
    const obj = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Probe',
      metadata: {
        name: this.name,
        ...(props.labels && Object.keys(props.labels).length ? { labels: props.labels } : {}),
      },
      spec: {
        jobName: this.name,
        prober: { url: props.prober },
        module: props.module ?? 'http_2xx',
        interval: props.interval ?? '60s',
        targets: { staticConfig: { static: this.targets } },
      },
    };
    const errors = schemaErrors(JSON.parse(JSON.stringify(obj)), PROBE_SCHEMA);
    if (errors.length)
      refuse('probe', undefined, `is not a Probe the Prometheus Operator accepts: ${errors.join('; ')}`);
    this.resource = new ApiObject(this, 'Resource', obj);
  }
}
