// The pod: startup probe timing, resources and node placement, as the chart's values
// (templates/statefulset.yaml renders each; lib/zot/features/chart-values.ts says from which chart
// version), plus http.compat, the one zot HTTP option typed here besides the timeouts.
import { refuse } from '../../core/error';
import {
  checkKnownKeys,
  checkList,
  checkObject,
  checkOneOf,
  checkString,
  isPlainObject,
  propKeys,
} from '../../core/props';
import { CHART_VALUES, requireChartValue, TPL_PLACEMENT_SINCE } from './chart-values';
import { chartAtLeast, FeatureOutput, integer } from './common';
import { BuiltConfig, FeatureReadme, ZotFeature } from './feature';

/** The chart's startupProbe on /startupz: zot is killed if it is not up within initialDelay + period × failureThreshold. */
export interface ZotStartupProbe {
  /** @default 5 (the chart's) */
  readonly initialDelaySeconds?: number;
  /** @default 10 (the chart's) */
  readonly periodSeconds?: number;
  /** @default 3 (the chart's): 35 s in all, short for a large S3 bucket's start-up */
  readonly failureThreshold?: number;
}

/** CPU and memory of the zot container. */
export interface ZotResources {
  /** @default - none */
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  /** @default - none */
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export interface ZotToleration {
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** Where the pod may run. */
export interface ZotPlacement {
  /** @default - any node */
  readonly nodeSelector?: Record<string, string>;
  /** @default - none */
  readonly tolerations?: ZotToleration[];
  /**
   * A Kubernetes Affinity (nodeAffinity, podAffinity, podAntiAffinity), as the pod spec takes it.
   * @default - none
   */
  readonly affinity?: {
    readonly nodeAffinity?: unknown;
    readonly podAffinity?: unknown;
    readonly podAntiAffinity?: unknown;
  };
}

// The plain forms of a Kubernetes quantity (a number with a decimal or binary suffix), as the project's storageSize check takes them.
const QUANTITY = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

export function checkStartupProbe(value: unknown, field = 'startupProbe'): ZotStartupProbe | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['initialDelaySeconds', 'periodSeconds', 'failureThreshold']);
  integer(o.initialDelaySeconds, `${field}.initialDelaySeconds`, 0, 3600);
  integer(o.periodSeconds, `${field}.periodSeconds`, 1, 3600);
  integer(o.failureThreshold, `${field}.failureThreshold`, 1, 10000);
  return o as ZotStartupProbe;
}

export function checkResources(value: unknown, field = 'resources'): ZotResources | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['requests', 'limits']);
  for (const k of ['requests', 'limits'] as const) {
    const r = checkObject(o[k], `${field}.${k}`);
    if (!r) continue;
    checkKnownKeys(r, `${field}.${k}`, ['cpu', 'memory']);
    for (const q of ['cpu', 'memory'] as const) {
      const s = checkString(r[q], `${field}.${k}.${q}`, { nonEmpty: true });
      if (s !== undefined && !QUANTITY.test(s))
        refuse(`${field}.${k}.${q}`, s, "is not a Kubernetes quantity (e.g. '500m', '1Gi')");
    }
  }
  return o as ZotResources;
}

export function checkPlacement(value: unknown, field = 'placement'): ZotPlacement | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['nodeSelector', 'tolerations', 'affinity']);
  const ns = checkObject(o.nodeSelector, `${field}.nodeSelector`);
  for (const [k, v] of Object.entries(ns ?? {})) checkString(v, `${field}.nodeSelector["${k}"]`);
  checkList(o.tolerations, `${field}.tolerations`, (t, at) => {
    const to = checkObject(t, at);
    if (!to) refuse(at, t, 'is not a toleration');
    checkKnownKeys(to, at, ['key', 'operator', 'value', 'effect', 'tolerationSeconds']);
    checkString(to.key, `${at}.key`);
    const op = checkOneOf(to.operator, `${at}.operator`, ['Equal', 'Exists'] as const);
    checkString(to.value, `${at}.value`);
    const effect = checkOneOf(to.effect, `${at}.effect`, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const);
    integer(to.tolerationSeconds, `${at}.tolerationSeconds`, 0);
    // kubernetes pkg/apis/core/validation/pods.go (a24fee9f): ValidateTolerations: an empty key needs Exists, Exists takes no value,
    // tolerationSeconds needs effect NoExecute
    if (op === 'Exists' && to.value) refuse(`${at}.value`, to.value, "must be empty with operator 'Exists'");
    if (to.tolerationSeconds !== undefined && effect !== 'NoExecute')
      refuse(`${at}.tolerationSeconds`, to.tolerationSeconds, "is only valid with effect 'NoExecute'");
    if (!to.key && op !== 'Exists')
      refuse(`${at}.key`, undefined, "is empty, which needs operator 'Exists' (tolerate every taint)");
    return to;
  });
  const aff = checkObject(o.affinity, `${field}.affinity`);
  if (aff) checkKnownKeys(aff, `${field}.affinity`, ['nodeAffinity', 'podAffinity', 'podAntiAffinity']);
  return o as ZotPlacement;
}

export interface PodProps {
  readonly chartVersion: string;
  readonly startupProbe?: ZotStartupProbe;
  readonly resources?: ZotResources;
  readonly placement?: ZotPlacement;
}

/** Chart values for the pod. */
export function podFeature(p: PodProps): FeatureOutput {
  const values: Record<string, unknown> = {};
  if (p.startupProbe) {
    requireChartValue(p.chartVersion, 'startupProbe', 'startupProbe', p.startupProbe);
    // the chart renders all three from values (templates/statefulset.yaml), so the chart's defaults fill what is not given
    values.startupProbe = { initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3, ...p.startupProbe };
  }
  if (p.resources) {
    requireChartValue(p.chartVersion, 'resources', 'resources', p.resources);
    values.resources = p.resources;
  }
  const pl = p.placement;
  if (pl) {
    for (const k of ['nodeSelector', 'tolerations', 'affinity'] as const) {
      if (pl[k] === undefined) continue;
      requireChartValue(p.chartVersion, k, `placement.${k}`, pl[k]);
      if (chartAtLeast(p.chartVersion, TPL_PLACEMENT_SINCE) && JSON.stringify(pl[k]).includes('{{')) {
        refuse(
          `placement.${k}`,
          pl[k],
          `holds '{{', which chart ${p.chartVersion} runs through Helm's tpl (${CHART_VALUES[k].template}, from ${TPL_PLACEMENT_SINCE}): it would be executed as a template`,
        );
      }
      values[k] = pl[k];
    }
  }
  return { values };
}

/** http.compat modes zot acts on (zot v2.1.14..v2.1.20 pkg/compat/compat.go: DockerManifestV2SchemaV2). */
export const ZOT_COMPAT_MODES = ['docker2s2'] as const;
export type ZotCompatMode = (typeof ZOT_COMPAT_MODES)[number];

export function checkCompat(value: unknown, field = 'compat'): ZotCompatMode[] | undefined {
  return checkList(
    value,
    field,
    (v, at) => {
      const mode = checkOneOf(v, at, ZOT_COMPAT_MODES);
      if (mode === undefined) refuse(at, v, 'is missing');
      return mode;
    },
    { nonEmpty: true },
  );
}

/** Plain data (no class instances) for values that go into chart values as is. */
export function isPlainData(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(isPlainData);
  if (isPlainObject(v)) return Object.values(v).every(isPlainData);
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

export interface ZotPodProps {
  /**
   * zot's http.compat: `['docker2s2']` accepts Docker image manifest v2 schema 2 pushes (docker push of
   * images built without OCI media types) and lets sync preserve digests.
   * @default - none: OCI media types only
   */
  readonly compat?: ZotCompatMode[];
  /**
   * The chart's startupProbe timing (a large bucket or a slow volume needs longer than the chart's 35 s).
   * @default - the chart's: 5 s delay, every 10 s, 3 failures
   */
  readonly startupProbe?: ZotStartupProbe;
  /**
   * CPU and memory requests and limits of the zot container.
   * @default - none
   */
  readonly resources?: ZotResources;
  /**
   * Node placement: nodeSelector, tolerations, affinity.
   * @default - anywhere
   */
  readonly placement?: ZotPlacement;
}

function compatReadme(config: BuiltConfig): FeatureReadme[] {
  const compat = config.http.compat;
  if (!Array.isArray(compat)) return [];
  const modes = compat.map((c) => `\`${String(c)}\``).join(', ');
  return [{ section: 'HTTP', lines: [`http.compat ${modes}: Docker v2 schema 2 manifests are accepted as pushed.`] }];
}

/** The pod's start-up time, resources and placement, as the chart values say them. */
function podLines(values: Readonly<Record<string, unknown>>): FeatureReadme[] {
  const code = (x: string) => `\`${x}\``;
  if (!values.startupProbe && !values.resources && !values.nodeSelector && !values.tolerations && !values.affinity)
    return [];
  const lines: string[] = [];
  const p = values.startupProbe as Required<ZotStartupProbe> | undefined;
  if (p) {
    lines.push(
      `Start-up: zot has ${p.initialDelaySeconds + p.periodSeconds * p.failureThreshold} s to answer /startupz before Kubernetes restarts it.`,
    );
  }
  if (values.resources) lines.push(`Resources: ${JSON.stringify(values.resources)}.`);
  for (const k of ['nodeSelector', 'tolerations', 'affinity'])
    if (values[k]) lines.push(`${k}: ${code(JSON.stringify(values[k]))}.`);
  return [{ section: 'Pod', lines }];
}

/** The pod feature of the registry (lib/zot/features/registry.ts), with http.compat. */
export const podDefinition: ZotFeature<ZotPodProps> = {
  name: 'pod',
  props: propKeys<ZotPodProps>({ compat: true, startupProbe: true, resources: true, placement: true }),
  check(props) {
    checkCompat(props.compat);
    checkStartupProbe(props.startupProbe);
    checkResources(props.resources);
    checkPlacement(props.placement);
  },
  build(props, ctx) {
    const { startupProbe, resources, placement } = props;
    const pod = podFeature({ chartVersion: ctx.chartVersion, startupProbe, resources, placement });
    return props.compat ? { ...pod, config: { http: { compat: props.compat } } } : pod;
  },
  readme: (_props, ctx) => [...compatReadme(ctx.config), ...podLines(ctx.values)],
};
