// runningZot on every zot chart package in ../shared/charts/zot (0.1.98..0.1.122), rendered by the real
// helm from the values a ZotRelease generates for that chart version: the chart's zot container, its
// command line and its mounts are judged the same way in every version (templates/statefulset.yaml,
// deployment.yaml), the config zot loads is the values' config.json, and the extraArgs side door is
// seen in each.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { runningZot } from '../../lib/checks/running-zot';
import { ZotApp } from '../../lib/constructs/zot-app';
import { renderApp } from '../../lib/synth/render';
import { helmTemplate } from '../../lib/tools/helm';
import { chartFact, knownBadChartReason } from '../../lib/zot/chart-versions';
import { SHARED } from '../support/tree';

const CHARTS = path.join(SHARED, 'charts', 'zot');
const VERSIONS = fs
  .readdirSync(CHARTS)
  .map((f) => /^zot-(\d+\.\d+\.\d+)\.tgz$/.exec(f)?.[1])
  .filter((v): v is string => !!v)
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

/** The values a ZotRelease generates for `chartVersion`; a known-bad chart (refused by the construct) gets the previous version's. */
function generatedValues(chartVersion: string): any {
  const v = knownBadChartReason(chartVersion) ? VERSIONS[VERSIONS.indexOf(chartVersion) - 1] : chartVersion;
  const app = new App();
  new ZotApp(app, 'zot', { release: { chartVersion: v } });
  const hr = (yaml.loadAll(renderApp(app).files.get('clusters/common/apps/zot/app/helmrelease.yaml')!) as any[]).find(
    Boolean,
  );
  return hr.spec.values;
}

function render(version: string, edit: (values: any) => void = () => undefined): { values: any; objects: any[] } {
  const values = generatedValues(version);
  edit(values);
  const text = helmTemplate({
    chart: path.join(CHARTS, `zot-${version}.tgz`),
    releaseName: 'zot',
    namespace: 'zot',
    values,
  });
  return { values, objects: (yaml.loadAll(text) as any[]).filter(Boolean) };
}

test('the shared folder holds the charts 0.1.98..0.1.122', () => {
  expect([VERSIONS[0], VERSIONS[VERSIONS.length - 1], VERSIONS.length]).toEqual(['0.1.98', '0.1.122', 24]);
});

describe.each(VERSIONS)('chart %s', (version) => {
  const opts = (unsafe: string[] = []) => ({
    what: `chart ${version}`,
    imageRepository: chartFact(version).imageRepository,
    unsafe,
  });

  test("the generated release (StatefulSet, and Deployment with persistence off): no problem, the config is the values' config.json", () => {
    for (const persistence of [true, false]) {
      const { values, objects } = render(version, (v) => {
        v.persistence = persistence;
      });
      const r = runningZot(objects, opts());
      expect([persistence, r.problems]).toEqual([persistence, []]);
      expect([r.configPath, r.configSource]).toEqual([
        '/etc/zot/config.json',
        'ConfigMap/zot-config data["config.json"]',
      ]);
      expect(r.configText).toBe(values.configFiles['config.json']);
      expect(r.image).toMatch(
        new RegExp(
          `^${chartFact(version).imageRepository}:v2\\.1\\.\\d+ /usr/local/bin/zot-linux-<arch> serve /etc/zot/config.json$`,
        ),
      );
    }
  });

  test('extraArgs serve /secret/open.json: that file is judged, and the args are refused', () => {
    const open = '{"http":{"address":"0.0.0.0","port":"5000"},"storage":{"rootDirectory":"/var/lib/registry"}}';
    const { objects } = render(version, (v) => {
      v.extraArgs = ['serve', '/secret/open.json'];
      v.secretFiles['open.json'] = open;
    });
    const r = runningZot(objects, opts());
    expect([r.configPath, r.configText]).toEqual(['/secret/open.json', open]);
    expect(r.problems.map((p) => [p.field, p.value])).toEqual([
      [`chart ${version} StatefulSet/zot container zot args`, ['serve', '/secret/open.json']],
    ]);
  });
});
