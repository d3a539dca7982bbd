// The zot Helm chart, per version: which zot it deploys and which upgrades Kubernetes refuses. The
// facts come from the chart packages themselves, derived by lib/zot/chart-derive.ts and committed, so
// nothing here needs ../shared or the network:
//   - chart-facts.json: the charts this project ships facts for (`npm run chart-facts` from
//     ../shared/charts/zot; `npm run chart-facts -- --check` keeps it equal to them);
//   - chart-facts.learned.json: charts learned later from their package in the user's repository
//     (`npm run chart-facts -- --pull X.Y.Z` or `--add FILE`; Renovate's post-upgrade command runs it).
//     A chart the project ships facts for is read from chart-facts.json, never from here.
import { Problem, ZotFluxError } from '../core/error';
import { compareVersions, Version } from '../core/version';
import { compareZotVersions, modelledZotVersion } from './config-keys';
import facts from './chart-facts.json';
import learnedFacts from './chart-facts.learned.json';

export interface ChartVersionFact {
  readonly chart: string;
  readonly appVersion: string;
  readonly imageRepository: string;
  readonly imageTag: string | null;
  /** The zot version the chart deploys by default (values.yaml image.tag, else Chart.yaml appVersion). */
  readonly zotVersion: string;
  /** sha256 of the package file. */
  readonly digest: string;
  /** Hash of the template text behind each immutable field: `StatefulSet.spec.serviceName` → 12 hex. */
  readonly immutable: Readonly<Record<string, string>>;
}

/** A value-dependent problem of some chart versions. */
export interface ChartCaveat {
  readonly id: string;
  readonly charts: readonly string[];
  readonly when: string;
  readonly reason: string;
}
/** A change of an immutable field between consecutive shipped chart versions, with the reason read from the templates. */
export interface ChartTransition {
  readonly from: string;
  readonly to: string;
  readonly field: string;
  readonly when: string;
  readonly reason: string;
}

/** A chart learned from its package: its facts, where the package came from, and the caveats its templates show. */
export interface LearnedChartFact extends ChartVersionFact {
  /** The package file or repository it was learned from. */
  readonly source: string;
  readonly caveats: ReadonlyArray<{ readonly id: string; readonly when: string; readonly reason: string }>;
}
/** chart-facts.learned.json. */
export interface LearnedChartFacts {
  readonly source: string;
  readonly charts: readonly LearnedChartFact[];
}

function parts(v: string): Version | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: [] } : undefined;
}

/** Compares two chart versions `X.Y.Z`. */
export function compareChartVersions(a: string, b: string): number {
  const [pa, pb] = [parts(a), parts(b)];
  if (!pa || !pb) throw new TypeError(`not a chart version: ${pa ? b : a}`);
  return compareVersions(pa, pb);
}

/** Whether `v` is a chart version as this project reads them (X.Y.Z). */
export function isChartVersion(v: string): boolean {
  return parts(v) !== undefined;
}

/** The charts this project ships facts for (chart-facts.json). */
export const SHIPPED_CHARTS: readonly ChartVersionFact[] = facts.charts as ChartVersionFact[];
const SHIPPED = SHIPPED_CHARTS;
/** The charts learned from their package (chart-facts.learned.json), but not one this project ships facts for. */
export const LEARNED_CHARTS: readonly LearnedChartFact[] = (learnedFacts as unknown as LearnedChartFacts).charts.filter(
  (l) => !SHIPPED.some((s) => s.chart === l.chart),
);

const CHARTS: readonly ChartVersionFact[] = [...SHIPPED, ...LEARNED_CHARTS].sort((a, b) =>
  compareChartVersions(a.chart, b.chart),
);

/** The chart versions whose facts this project ships (chart-facts.json), oldest first. */
export const SHIPPED_CHART_VERSIONS: readonly string[] = SHIPPED.map((c) => c.chart).sort(compareChartVersions);

/** Every chart version this project has facts for (shipped and learned), oldest first. */
export const SUPPORTED_CHART_VERSIONS: readonly string[] = CHARTS.map((c) => c.chart);

/** The newest of them: the chart this project deploys unless told otherwise. */
export const NEWEST_CHART_VERSION: string = SUPPORTED_CHART_VERSIONS[SUPPORTED_CHART_VERSIONS.length - 1];

/** Chart versions that break an upgrade into and out of them, with the reason (read from their templates). */
export const KNOWN_BAD_CHART_VERSIONS: ReadonlyArray<{ readonly chart: string; readonly reason: string }> =
  facts.knownBad;

/** Changes of an immutable field between consecutive chart versions: the upgrade across them is refused (under `when`). */
export const CHART_TRANSITIONS: ReadonlyArray<{
  readonly from: string;
  readonly to: string;
  readonly field: string;
  readonly when: string;
  readonly reason: string;
}> = facts.transitions;

/** Problems of some chart versions that depend on the values (`when`): the shipped ones, and those a learned chart's templates show. */
export const CHART_CAVEATS: readonly ChartCaveat[] = (() => {
  const out = new Map<string, ChartCaveat>(facts.caveats.map((c) => [c.id, c]));
  for (const l of LEARNED_CHARTS) {
    for (const c of l.caveats) {
      const had = out.get(c.id);
      out.set(c.id, { ...(had ?? c), charts: [...(had?.charts ?? []), l.chart] });
    }
  }
  return [...out.values()];
})();

/** The facts of one chart version, or a ZotFluxError saying how to add them. */
export function chartFact(chartVersion: string, field = 'chartVersion'): ChartVersionFact {
  const fact = CHARTS.find((c) => c.chart === chartVersion);
  if (fact) return fact;
  throw new ZotFluxError({
    field,
    value: chartVersion,
    reason: parts(chartVersion)
      ? `is a zot chart version this project has no facts for (it has ${SUPPORTED_CHART_VERSIONS[0]} to ${NEWEST_CHART_VERSION}): learn them from its package with ` +
        `\`npm run chart-facts -- --pull ${chartVersion}\` and commit lib/zot/chart-facts.learned.json`
      : 'is not a chart version (expected X.Y.Z)',
  });
}

/** The zot version a chart version deploys by default, e.g. `v2.1.18`. */
export function zotVersionOfChart(chartVersion: string): string {
  return chartFact(chartVersion).zotVersion;
}

/** Why a chart version is known bad, or undefined. */
export function knownBadChartReason(chartVersion: string): string | undefined {
  return KNOWN_BAD_CHART_VERSIONS.find((b) => b.chart === chartVersion)?.reason;
}

/**
 * Why moving a release from chart `from` to chart `to` (either direction) is refused by the API
 * server: each immutable field whose template differs, with the changes between the two versions
 * that explain it. Empty when the workload's immutable fields render the same way.
 */
export function chartUpgradeProblems(from: string, to: string): Problem[] {
  const [a, b] = [chartFact(from, 'from'), chartFact(to, 'to')];
  const [lo, hi] = compareChartVersions(a.chart, b.chart) <= 0 ? [a.chart, b.chart] : [b.chart, a.chart];
  const problems: Problem[] = [];
  for (const field of [...new Set([...Object.keys(a.immutable), ...Object.keys(b.immutable)])].sort()) {
    if (a.immutable[field] === b.immutable[field]) continue;
    const between = CHART_TRANSITIONS.filter(
      (t) => t.field === field && compareChartVersions(t.from, lo) >= 0 && compareChartVersions(t.to, hi) <= 0,
    );
    // a learned chart in the range whose template differs from the chart before it: no person read why
    const learned = LEARNED_CHARTS.filter((l) => {
      if (compareChartVersions(l.chart, lo) <= 0 || compareChartVersions(l.chart, hi) > 0) return false;
      const before = CHARTS[CHARTS.findIndex((c) => c.chart === l.chart) - 1];
      return before !== undefined && before.immutable[field] !== l.immutable[field];
    }).map((l) => `${l.chart} (learned from its package) renders it from another template than the chart before it`);
    const reason =
      between.length || learned.length
        ? [...between.map((t) => `${t.from} → ${t.to} (when ${t.when}): ${t.reason}`), ...learned].join('; ')
        : 'the template behind this immutable field differs between the two versions';
    problems.push({ field, value: `${from} → ${to}`, reason: `changes: ${reason}` });
  }
  return problems;
}

/**
 * Whether anonymous read next to authenticated-only repositories breaks docker pushes: before
 * v2.1.16 zot answers GET /v2/ with 200 to an anonymous client whenever an anonymousPolicy exists, so
 * docker never sends its stored credentials and pushes to protected repositories fail. Fixed in
 * v2.1.16 (commit 7ceb01dc, PR #3868 "fix(auth): add workaround for Docker client auth with mixed
 * anonymous policies"): zot v2.1.16 pkg/api/authn.go basicAuthHandler answers 401 on /v2/ to a
 * Docker-Client user agent when HasMixedAnonymousAndAuthenticatedPolicies and
 * CanAuthenticateWithBasicCredentials (pkg/api/config/config.go).
 */
export function anonymousReadBreaksPush(zotVersion: string): boolean {
  return compareZotVersions(modelledZotVersion(zotVersion), 'v2.1.16') < 0;
}

/**
 * Whether a change of an immutable field between chart versions shows with these values. The
 * conditions are the `when` of CHART_TRANSITIONS, read from the chart templates
 * (templates/statefulset.yaml of charts 0.1.100, 0.1.101, 0.1.112, 0.1.113, 0.1.114): the claim
 * template's name and presence depend on pvc.name and pvc.create, serviceName on the headless
 * Service; a StatefulSet exists only with persistence on.
 */
export function immutableChangeShows(field: string, values: any): boolean {
  const persistence = values?.persistence === true;
  if (field === 'StatefulSet.spec.volumeClaimTemplates')
    return persistence && (values?.pvc?.name != null || values?.pvc?.create === false);
  if (field === 'StatefulSet.spec.serviceName') return persistence && values?.serviceHeadless?.enabled !== true;
  if (field.startsWith('StatefulSet.')) return persistence;
  if (field.startsWith('Deployment.')) return !persistence;
  return true;
}
