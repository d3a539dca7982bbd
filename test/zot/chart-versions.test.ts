// Chart facts (lib/zot/chart-versions.ts, from the committed lib/zot/chart-facts.json): no
// ../shared needed. No chart version is written here: every expectation is derived from the data.
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../../lib/core/error';
import {
  anonymousReadBreaksPush,
  CHART_CAVEATS,
  CHART_TRANSITIONS,
  chartFact,
  chartUpgradeProblems,
  compareChartVersions,
  KNOWN_BAD_CHART_VERSIONS,
  knownBadChartReason,
  LEARNED_CHARTS,
  NEWEST_CHART_VERSION,
  SHIPPED_CHART_VERSIONS,
  SUPPORTED_CHART_VERSIONS,
  zotVersionOfChart,
} from '../../lib/zot/chart-versions';
import { isModelledZotVersion, resolveZotModel, verifyZotConfig } from '../../lib/zot/startup';
import { chartFactsJson, ChartFacts, emptyLearnedFacts } from '../../lib/zot/chart-derive';
import { zotHasDefaultTimeouts } from '../../lib/zot/features/http';

const JSON_FILE = path.resolve(__dirname, '..', '..', 'lib', 'zot', 'chart-facts.json');
const later = (v: string) =>
  v
    .split('.')
    .map((n, i) => (i === 2 ? Number(n) + 1000 : n))
    .join('.');

describe('chart versions', () => {
  test('are sorted, unique, and the newest is the last', () => {
    expect(SUPPORTED_CHART_VERSIONS.length).toBeGreaterThan(1);
    for (let i = 1; i < SUPPORTED_CHART_VERSIONS.length; i++)
      expect(compareChartVersions(SUPPORTED_CHART_VERSIONS[i - 1], SUPPORTED_CHART_VERSIONS[i])).toBeLessThan(0);
    expect(NEWEST_CHART_VERSION).toBe(SUPPORTED_CHART_VERSIONS[SUPPORTED_CHART_VERSIONS.length - 1]);
  });

  test('every shipped chart deploys a zot version with a model (image.tag, else appVersion); a learned one resolves to a model', () => {
    for (const c of SUPPORTED_CHART_VERSIONS) {
      const f = chartFact(c);
      expect(zotVersionOfChart(c)).toBe(f.imageTag ?? f.appVersion);
      if (SHIPPED_CHART_VERSIONS.includes(c))
        expect([c, isModelledZotVersion(zotVersionOfChart(c))]).toEqual([c, true]);
      else expect(resolveZotModel(zotVersionOfChart(c)).model).toBeDefined();
      expect(f.imageRepository).toBe('ghcr.io/project-zot/zot');
    }
    expect(SUPPORTED_CHART_VERSIONS).toEqual(
      [...SHIPPED_CHART_VERSIONS, ...LEARNED_CHARTS.map((l) => l.chart)].sort(compareChartVersions),
    );
    // the zot version only ever goes up with the chart
    const zots = SUPPORTED_CHART_VERSIONS.map(zotVersionOfChart);
    expect([...zots].sort()).toEqual(zots);
  });

  test('a chart version with no facts is refused with what to add', () => {
    let err: unknown;
    try {
      zotVersionOfChart(later(NEWEST_CHART_VERSION));
    } catch (e) {
      err = e;
    }
    expect(ZotFluxError.isZotFluxError(err)).toBe(true);
    expect((err as ZotFluxError).field).toBe('chartVersion');
    expect((err as ZotFluxError).message).toContain(
      `learn them from its package with \`npm run chart-facts -- --pull ${later(NEWEST_CHART_VERSION)}\``,
    );
    expect((err as ZotFluxError).message).toContain('lib/zot/chart-facts.learned.json');
    expect(() => zotVersionOfChart('latest')).toThrow('is not a chart version');
  });

  test('the committed JSON is in the form the script writes', () => {
    const text = fs.readFileSync(JSON_FILE, 'utf8');
    expect(chartFactsJson(JSON.parse(text) as ChartFacts)).toBe(text);
    const learned = fs.readFileSync(JSON_FILE.replace(/\.json$/, '.learned.json'), 'utf8');
    expect(chartFactsJson(JSON.parse(learned))).toBe(learned);
    expect(JSON.parse(learned).source).toBe(emptyLearnedFacts().source);
  });
});

describe('upgrades Kubernetes refuses', () => {
  test('every recorded change makes its upgrade, and the downgrade, a problem that names the field', () => {
    expect(CHART_TRANSITIONS.length).toBeGreaterThan(0);
    for (const t of CHART_TRANSITIONS) {
      for (const [a, b] of [
        [t.from, t.to],
        [t.to, t.from],
      ]) {
        const problems = chartUpgradeProblems(a, b);
        expect(problems.map((p) => p.field)).toContain(t.field);
        expect(problems.find((p) => p.field === t.field)!.reason).toContain(t.reason);
      }
    }
  });

  test('consecutive versions with no recorded change upgrade cleanly', () => {
    for (let i = 1; i < SUPPORTED_CHART_VERSIONS.length; i++) {
      const [a, b] = [SUPPORTED_CHART_VERSIONS[i - 1], SUPPORTED_CHART_VERSIONS[i]];
      const recorded = CHART_TRANSITIONS.some((t) => t.from === a && t.to === b);
      expect([a, b, chartUpgradeProblems(a, b).length > 0]).toEqual([a, b, recorded]);
    }
  });

  test('a known-bad version breaks the way in and the way out, but can be skipped', () => {
    expect(KNOWN_BAD_CHART_VERSIONS.length).toBeGreaterThan(0);
    for (const { chart, reason } of KNOWN_BAD_CHART_VERSIONS) {
      const i = SUPPORTED_CHART_VERSIONS.indexOf(chart);
      expect(i).toBeGreaterThan(0);
      expect(knownBadChartReason(chart)).toBe(reason);
      const [prev, next] = [SUPPORTED_CHART_VERSIONS[i - 1], SUPPORTED_CHART_VERSIONS[i + 1]];
      expect(chartUpgradeProblems(prev, chart)).not.toEqual([]);
      if (next) {
        expect(chartUpgradeProblems(chart, next)).not.toEqual([]);
        expect(chartUpgradeProblems(prev, next)).toEqual([]);
      }
    }
    expect(knownBadChartReason(NEWEST_CHART_VERSION)).toBeUndefined();
  });

  test('a serviceName change is what makes the known-bad version bad', () => {
    const fields = KNOWN_BAD_CHART_VERSIONS.flatMap(({ chart }) =>
      CHART_TRANSITIONS.filter((t) => t.to === chart || t.from === chart).map((t) => t.field),
    );
    expect(fields).toContain('StatefulSet.spec.serviceName');
  });

  test('caveats name supported versions', () => {
    for (const c of CHART_CAVEATS) for (const v of c.charts) expect(SUPPORTED_CHART_VERSIONS).toContain(v);
  });
});

describe('zot version facts', () => {
  test('the 60 s HTTP timeouts apply from v2.1.17', () => {
    expect(['v2.1.14', 'v2.1.15', 'v2.1.16'].map(zotHasDefaultTimeouts)).toEqual([false, false, false]);
    expect(['v2.1.17', 'v2.1.18', 'v2.1.19', '2.1.20'].map(zotHasDefaultTimeouts)).toEqual([true, true, true, true]);
    // past the model: the newest model's answer (v2.1.20 has them); before it, the oldest's
    expect([
      zotHasDefaultTimeouts('v2.1.99'),
      zotHasDefaultTimeouts('v2.1.10'),
      anonymousReadBreaksPush('v2.1.99'),
    ]).toEqual([true, false, false]);
    expect(() => zotHasDefaultTimeouts('latest')).toThrow('is not a zot version');
    // the startup model agrees: a config without timeouts is warned about exactly there
    for (const v of ['v2.1.16', 'v2.1.17']) {
      const warned = verifyZotConfig({ storage: { rootDirectory: '/z' } }, v).warnings.some(
        (p) => p.field === 'http.readTimeout',
      );
      expect([v, warned]).toEqual([v, zotHasDefaultTimeouts(v)]);
    }
  });

  test('anonymous read breaks docker pushes before v2.1.16', () => {
    expect(['v2.1.14', 'v2.1.15'].map(anonymousReadBreaksPush)).toEqual([true, true]);
    expect(['v2.1.16', 'v2.1.18', 'v2.1.20'].map(anonymousReadBreaksPush)).toEqual([false, false, false]);
  });
});
