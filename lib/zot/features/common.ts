// What every feature module shares: the shape of its result and small checks of prop values. Pure
// zot and chart knowledge; no cdk8s. Fields in refusals are relative to the ZotRelease props
// (`storage.bucket`); ZotApp puts `release.` in front.
import { refuse } from '../../core/error';
import { checkInteger, checkString } from '../../core/props';
import { compareChartVersions } from '../chart-versions';
import { formatGoDuration, parseGoDuration } from '../../go/time';

/** A variable written where Flux substitutes it (`${NAME}`); its value is only known per cluster. */
export const PLACEHOLDER = /\$\{[^}]*\}/;

/** Whether a value holds a `${...}` that Flux substitutes on each cluster (then its format is checked there, not here). */
export function hasPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

/** A Flux variable this feature needs a source for, and what it carries (for the app README). */
export interface FeatureVariable {
  readonly variable: string;
  /** What the variable holds, in a few words. */
  readonly holds: string;
  /** @default - the Secret `common-secrets` */
  readonly source?: { readonly kind: 'ConfigMap' | 'Secret'; readonly name: string; readonly optional?: boolean };
}

/** One env entry of the zot container (chart value `env`, rendered as is by templates/statefulset.yaml). */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/**
 * What a feature adds to the release: keys of config.json (merged at the top level, objects merged
 * key by key), chart values, files of the chart's Secret (`secretFiles`, mounted under /secret),
 * container env, and the Flux variables it introduces.
 */
export interface FeatureOutput {
  readonly config?: Record<string, unknown>;
  readonly values?: Record<string, unknown>;
  readonly secretFiles?: Record<string, string>;
  readonly env?: EnvVar[];
  readonly variables?: FeatureVariable[];
}

/** A zot duration (Go's time.ParseDuration, as zot's decoder reads it), in nanoseconds; refused when Go refuses it. */
export function zotDuration(
  value: unknown,
  field: string,
  opts: { min?: number; positive?: boolean } = {},
): number | undefined {
  const s = checkString(value, field, { nonEmpty: true });
  if (s === undefined) return undefined;
  const d = parseGoDuration(s);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration decodes durations with mapstructure StringToTimeDurationHookFunc (time.ParseDuration)
  if ('error' in d) refuse(field, s, `is not a Go duration zot accepts (${d.error}); write e.g. '30m', '1h30m', '24h'`);
  if (opts.positive && d.ns <= 0) refuse(field, s, 'must be longer than zero');
  if (opts.min !== undefined && d.ns < opts.min) refuse(field, s, `is shorter than ${formatGoDuration(opts.min)}`);
  return d.ns;
}

/** An integer prop in a range. */
export function integer(value: unknown, field: string, min: number, max = 2 ** 31 - 1): number | undefined {
  return checkInteger(value, field, min, max);
}

/** Whether `chart` is `since` or newer. */
export function chartAtLeast(chart: string, since: string): boolean {
  return compareChartVersions(chart, since) >= 0;
}
