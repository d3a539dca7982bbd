// The real chart, every supported version (../shared/charts/zot): the generated HelmRelease values
// rendered with the real helm, then checked on what helm produced (lib/checks/rendered-chart.ts).
// Hostile values prove the checks fail where the chart would break the registry.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { renderedChartProblems } from '../support/rendered-chart';
import { helmShowValues, helmTemplate } from '../../lib/tools/helm';
import { appWith, doc, readTree, SHARED, synth, tempDir } from '../support/tree';
import { ZotReleaseProps } from '../../lib/constructs/zot-release';
import { knownBadChartReason } from '../../lib/zot/chart-versions';

const CHARTS = path.join(SHARED, 'charts', 'zot');
const VERSIONS = fs
  .readdirSync(CHARTS)
  .map((f) => /^zot-(\d+\.\d+\.\d+)\.tgz$/.exec(f)?.[1])
  .filter((v): v is string => !!v)
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

function release(chartVersion: string, props: Omit<ZotReleaseProps, 'chartSource'> = {}) {
  const root = tempDir();
  // --no-render: the values as synth writes them, for the checks below to render and judge themselves
  const r = synth(root, () => appWith({ release: { chartVersion, ...props } }), ['--no-render']);
  if (r.code !== 0) throw new Error(r.stderr);
  const hr = doc(readTree(root), 'clusters/common/apps/zot/app/helmrelease.yaml');
  // What Flux substitutes: the htpasswd line is a stand-in here (never a real one).
  const values = JSON.parse(JSON.stringify(hr.spec.values).split('${COMMON_OCI}').join('admin:<line from COMMON_OCI>'));
  return { hr, values };
}

function render(version: string, values: any) {
  const text = helmTemplate({
    chart: path.join(CHARTS, `zot-${version}.tgz`),
    releaseName: 'zot',
    namespace: 'zot',
    values,
  });
  const objects = (yaml.loadAll(text) as any[]).filter(Boolean);
  return { objects, values, config: JSON.parse(values.configFiles['config.json']), what: `chart ${version}` };
}

test('the shared folder holds the supported charts', () => {
  expect(VERSIONS.length).toBeGreaterThanOrEqual(20);
});

// Known-bad charts are refused by synth (test below); every other one must render right.
const RENDERABLE = VERSIONS.filter((v) => !knownBadChartReason(v));

test('the known-bad charts of the shared folder are refused by synth, with the reason', () => {
  const bad = VERSIONS.filter((v) => knownBadChartReason(v));
  expect(bad).toEqual(['0.1.113']);
  for (const v of bad) {
    const r = synth(tempDir(), () => appWith({ release: { chartVersion: v } }));
    expect([v, r.code]).toEqual([v, 1]);
    expect(r.stderr).toContain(`release.chartVersion: '${v}' is a known-bad zot chart`);
  }
});

describe.each(RENDERABLE)('chart %s', (version) => {
  test('the seed renders a zot that finds its config and htpasswd, on its port, storing on its PVC', () => {
    const { values } = release(version);
    const r = render(version, values);
    expect(renderedChartProblems(r)).toEqual([]);
    const sts = r.objects.find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(r.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'zot').spec).toMatchObject({
      type: 'ClusterIP',
    });
  });

  test('every value the project sets is one this chart version has', () => {
    const { values } = release(version);
    const defaults = yaml.load(helmShowValues(path.join(CHARTS, `zot-${version}.tgz`))) as any;
    const unknown: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      if (!(k in defaults)) {
        unknown.push(k);
        continue;
      }
      const d = defaults[k];
      if (
        ['configFiles', 'secretFiles'].includes(k) ||
        !d ||
        typeof d !== 'object' ||
        Array.isArray(d) ||
        !v ||
        typeof v !== 'object'
      )
        continue;
      for (const sub of Object.keys(v as object))
        if (!(sub in d) && !(k === 'pvc' && sub === 'storageClassName')) unknown.push(`${k}.${sub}`);
    }
    expect(unknown).toEqual([]);
  });
});

describe('what the checks catch on the real chart (oldest and newest)', () => {
  const ends = [VERSIONS[0], VERSIONS[VERSIONS.length - 1]];
  test.each(ends)('chart %s: rootDirectory outside the PVC mount', (version) => {
    const { values } = release(version, { rootDirectory: '/data/registry' });
    expect(renderedChartProblems(render(version, values)).map((p) => p.field)).toContain(
      `chart ${version} config.json storage.rootDirectory`,
    );
  });
  test.each(ends)('chart %s: persistence off (emptyDir or nothing under the registry)', (version) => {
    const { values } = release(version, { valuesOverrides: { persistence: false } });
    const problems = renderedChartProblems(render(version, values));
    expect(problems.map((p) => `${p.field} ${p.reason}`).join('\n')).toMatch(/storage\.rootDirectory/);
  });
  test.each(ends)('chart %s: two replicas on local storage', (version) => {
    const { values } = release(version);
    values.replicaCount = 2; // synth refuses it first (valuesOverrides.replicaCount outside the replicas prop)
    expect(
      renderedChartProblems(render(version, values))
        .map((p) => p.reason)
        .join('\n'),
    ).toContain('is more than 1 with local storage');
  });
  test('chart 0.1.98: pvc.name mounts a volume that does not exist', () => {
    const { values } = release('0.1.98', { valuesOverrides: { pvc: { name: 'registry' } } });
    expect(
      renderedChartProblems(render('0.1.98', values))
        .map((p) => p.reason)
        .join('\n'),
    ).toContain('names no volume and no volumeClaimTemplate');
    // synth renders the chart itself and refuses it
    const refused = synth(tempDir(), () =>
      appWith({ release: { chartVersion: '0.1.98', valuesOverrides: { pvc: { name: 'registry' } } } }),
    );
    expect([refused.code, refused.stderr]).toEqual([
      1,
      expect.stringContaining("volumeMounts: 'zot-pvc' names no volume and no volumeClaimTemplate"),
    ]);
  });
  test.each(ends)(
    'chart %s: a probe on another port (synth refuses it first), a release name too long for a StatefulSet',
    (version) => {
      const { values } = release(version);
      values.httpGet.port = 5001;
      expect(
        renderedChartProblems(render(version, values))
          .map((p) => p.field)
          .join('\n'),
      ).toMatch(/livenessProbe\.httpGet\.port|container zot ports/);
      // 53 characters: the longest release name helm allows, one more than a StatefulSet name may have.
      const releaseName = 'zot-registry-for-the-whole-fleet-of-our-clusters-abcd';
      expect(releaseName).toHaveLength(53);
      values.httpGet.port = 5000;
      const long = helmTemplate({
        chart: path.join(CHARTS, `zot-${version}.tgz`),
        releaseName,
        namespace: 'zot',
        values,
      });
      const r = {
        objects: (yaml.loadAll(long) as any[]).filter(Boolean),
        values,
        config: JSON.parse(values.configFiles['config.json']),
        what: version,
      };
      expect(
        renderedChartProblems(r)
          .map((p) => p.reason)
          .join('\n'),
      ).toContain('controller-revision-hash');
    },
  );
});

describe('upgrades between chart versions, proved with helm', () => {
  const immutable = (version: string, values: any) => {
    const sts = render(version, values).objects.find((o) => o.kind === 'StatefulSet');
    return {
      selector: sts.spec.selector,
      serviceName: sts.spec.serviceName,
      claims: sts.spec.volumeClaimTemplates.map((c: any) => c.metadata.name),
    };
  };
  test('the seed values render the same immutable StatefulSet fields on the oldest and the newest chart: no warning', () => {
    const oldest = VERSIONS[0];
    const newest = VERSIONS[VERSIONS.length - 1];
    expect(immutable(oldest, release(oldest).values)).toEqual(immutable(newest, release(newest).values));
    const root = tempDir();
    expect(synth(root, () => appWith({ release: { chartVersion: oldest } })).code).toBe(0);
    const up = synth(root, () => appWith({ release: { chartVersion: newest } }));
    expect(up.code).toBe(0);
    expect(up.stderr).not.toContain('warning');
  });
  test('0.1.112 and 0.1.113 differ in serviceName (why 0.1.113 is refused); 0.1.112 and 0.1.114 do not', () => {
    const values = release('0.1.112').values;
    expect(immutable('0.1.113', values).serviceName).not.toEqual(immutable('0.1.112', values).serviceName);
    expect(immutable('0.1.114', values)).toEqual(immutable('0.1.112', values));
    const r = synth(tempDir(), () => appWith({ release: { chartVersion: '0.1.113' } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("release.chartVersion: '0.1.113' is a known-bad zot chart");
  });
  test('with pvc.name set, 0.1.100 → 0.1.101 changes the claim template: synth warns', () => {
    const over = { valuesOverrides: { pvc: { name: 'registry' } } };
    expect(immutable('0.1.101', release('0.1.101', over).values).claims).not.toEqual(
      immutable('0.1.100', release('0.1.100', over).values).claims,
    );
    const root = tempDir();
    // committed earlier without rendering (0.1.100 with pvc.name never starts a pod: synth now refuses it)
    expect(synth(root, () => appWith({ release: { chartVersion: '0.1.100', ...over } }), ['--no-render']).code).toBe(0);
    const up = synth(root, () => appWith({ release: { chartVersion: '0.1.101', ...over } }));
    expect(up.code).toBe(0);
    expect(up.stderr).toContain('synth: warning:');
    expect(up.stderr).toContain('StatefulSet.spec.volumeClaimTemplates');
  });
});
