// An Envoy Gateway BackendTrafficPolicy (gateway.envoyproxy.io/v1alpha1) attached to the registry's
// HTTPRoute: timeouts, retries and passive health checks (outlier detection) between Envoy and zot.
// No CRD of it is in ../shared, so the fields used here are typed by hand from the Envoy Gateway API
// reference (https://gateway.envoyproxy.io/v1.5/api/extension_types/ : BackendTrafficPolicySpec,
// Timeout, HTTPTimeout, TCPTimeout, Retry, RetryOn, PerRetryPolicy, BackOffPolicy,
// PassiveHealthCheck) and checked against the CRD the Envoy Gateway charts ship at v1.2.0 through
// v1.9.0 (charts/gateway-helm/.../gateway.envoyproxy.io_backendtrafficpolicies.yaml): the subset
// below is the part every one of those versions accepts. SCHEMA is that subset, and every object is
// validated against it when built.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { refuse } from '../core/error';
import { checkKnownKeys, checkObject } from '../core/props';
import { schemaErrors } from '../k8s/schema';

/** Envoy Gateway's duration pattern (v1.2.0..v1.9.0 CRD: `^([0-9]{1,5}(h|m|s|ms)){1,4}$`). */
const DURATION = { type: 'string', pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$' };
/** Retry triggers every version v1.2.0..v1.9.0 accepts (v1.9.0 adds reset-before-request). */
export const RETRY_TRIGGERS = [
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
] as const;
export type RetryTrigger = (typeof RETRY_TRIGGERS)[number];

export interface EnvoyTimeouts {
  /** @default - Envoy Gateway's (10s connect) */
  readonly tcp?: { readonly connectTimeout?: string };
  readonly http?: {
    /**
     * The whole request, Envoy to zot. An HTTPRoute `timeouts.request` takes precedence over it (Envoy
     * Gateway v1.2.0..v1.9.0 internal/xds/translator/route.go: getEffectiveRequestTimeout).
     * @default - Envoy Gateway's 15s route timeout unless the route sets one
     */
    readonly requestTimeout?: string;
    /** @default - Envoy's 1h */
    readonly connectionIdleTimeout?: string;
    /** @default - unlimited */
    readonly maxConnectionDuration?: string;
  };
}

export interface EnvoyRetry {
  /** @default 2 (the CRD's default) */
  readonly numRetries?: number;
  /** @default - Envoy Gateway's triggers */
  readonly retryOn?: { readonly triggers?: RetryTrigger[]; readonly httpStatusCodes?: number[] };
  /** @default - none */
  readonly perRetry?: {
    readonly timeout?: string;
    readonly backOff?: { readonly baseInterval?: string; readonly maxInterval?: string };
  };
}

/** Outlier detection: a zot pod that keeps failing is taken out of rotation for a while. */
export interface EnvoyPassiveHealthCheck {
  /** @default 5 */
  readonly consecutive5XxErrors?: number;
  readonly consecutiveGatewayErrors?: number;
  /** @default '3s' */
  readonly interval?: string;
  /** @default '30s' */
  readonly baseEjectionTime?: string;
  /** @default 10 */
  readonly maxEjectionPercent?: number;
}

/** What the app declares; the target is always the app's HTTPRoute. */
export interface BackendTrafficPolicyOptions {
  /** @default - the route's name */
  readonly name?: string;
  readonly timeout?: EnvoyTimeouts;
  readonly retry?: EnvoyRetry;
  readonly passiveHealthCheck?: EnvoyPassiveHealthCheck;
}

export interface BackendTrafficPolicyProps extends BackendTrafficPolicyOptions {
  /** The HTTPRoute the policy attaches to (same namespace). */
  readonly routeName: string;
}

const int32 = (extra: Record<string, unknown> = {}) => ({ type: 'integer', ...extra });

/** The hand-typed subset of the BackendTrafficPolicy schema (unknown fields are refused). */
export const BACKEND_TRAFFIC_POLICY_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['gateway.envoyproxy.io/v1alpha1'] },
    kind: { type: 'string', enum: ['BackendTrafficPolicy'] },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        namespace: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      required: ['targetRefs'],
      properties: {
        targetRefs: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['group', 'kind', 'name'],
            properties: {
              // v1.2.0..v1.9.0 CEL rule: "this policy can only have a targetRefs[*].group of gateway.networking.k8s.io"
              group: { type: 'string', enum: ['gateway.networking.k8s.io'] },
              kind: { type: 'string', enum: ['HTTPRoute'] },
              name: { type: 'string', minLength: 1, maxLength: 253 },
            },
          },
        },
        timeout: {
          type: 'object',
          properties: {
            tcp: { type: 'object', properties: { connectTimeout: DURATION } },
            http: {
              type: 'object',
              properties: {
                requestTimeout: DURATION,
                connectionIdleTimeout: DURATION,
                maxConnectionDuration: DURATION,
              },
            },
          },
        },
        retry: {
          type: 'object',
          properties: {
            numRetries: int32({ minimum: 0 }),
            retryOn: {
              type: 'object',
              properties: {
                triggers: { type: 'array', items: { type: 'string', enum: [...RETRY_TRIGGERS] } },
                // v1.2.0: minimum 100, exclusive maximum 600; v1.9.0: maximum 599
                httpStatusCodes: { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 } },
              },
            },
            perRetry: {
              type: 'object',
              properties: {
                timeout: DURATION,
                backOff: { type: 'object', properties: { baseInterval: DURATION, maxInterval: DURATION } },
              },
            },
          },
        },
        healthCheck: {
          type: 'object',
          properties: {
            passive: {
              type: 'object',
              properties: {
                consecutive5XxErrors: int32(),
                consecutiveGatewayErrors: int32(),
                interval: DURATION,
                baseEjectionTime: DURATION,
                maxEjectionPercent: int32({ minimum: 0, maximum: 100 }),
              },
            },
          },
        },
      },
    },
  },
};

/** A BackendTrafficPolicy on the app's HTTPRoute, validated against the hand-typed schema when built. */
export class BackendTrafficPolicy extends Construct {
  readonly name: string;
  readonly requestTimeout?: string;
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: BackendTrafficPolicyProps) {
    super(scope, id);
    checkKnownKeys(checkObject(props, 'backendTrafficPolicy'), 'backendTrafficPolicy', [
      'name',
      'routeName',
      'timeout',
      'retry',
      'passiveHealthCheck',
    ]);
    this.name = props.name ?? props.routeName;
    this.requestTimeout = props.timeout?.http?.requestTimeout;
    const spec = {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: props.routeName }],
      ...(props.timeout ? { timeout: props.timeout } : {}),
      ...(props.retry ? { retry: props.retry } : {}),
      ...(props.passiveHealthCheck ? { healthCheck: { passive: props.passiveHealthCheck } } : {}),
    };
    const obj = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'BackendTrafficPolicy',
      metadata: { name: this.name },
      spec,
    };
    const errors = schemaErrors(JSON.parse(JSON.stringify(obj)), BACKEND_TRAFFIC_POLICY_SCHEMA);
    if (errors.length)
      refuse(
        'backendTrafficPolicy',
        undefined,
        `is not a BackendTrafficPolicy Envoy Gateway v1.2..v1.9 accepts: ${errors.join('; ')}`,
      );
    if (!props.timeout && !props.retry && !props.passiveHealthCheck)
      refuse('backendTrafficPolicy', undefined, 'sets nothing: give timeout, retry or passiveHealthCheck');
    if (props.retry?.perRetry?.backOff) {
      const b = props.retry.perRetry.backOff;
      if (b.baseInterval && b.maxInterval && envoyMs(b.maxInterval) < envoyMs(b.baseInterval)) {
        refuse(
          'backendTrafficPolicy.retry.perRetry.backOff.maxInterval',
          b.maxInterval,
          `is shorter than baseInterval (${b.baseInterval})`,
        );
      }
    }
    this.resource = new ApiObject(this, 'Resource', obj);
  }
}

/** Milliseconds of an Envoy Gateway duration (h, m, s, ms units). */
export function envoyMs(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/([0-9]+)(h|ms|m|s)/g))
    total += Number(m[1]) * { h: 3600e3, m: 60e3, s: 1e3, ms: 1 }[m[2] as 'h' | 'm' | 's' | 'ms'];
  return total;
}
