// `render --helm`: what the cluster runs, chart output included, secret values never printed; a
// missing chart names chart, version and URL; a fleet renders each distinct release once.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { HelmRenderer, readHelmRepositories } from '../../lib/fleet/helm-render';
import { renderFleet } from '../../lib/fleet/check';
import { runCli } from '../support/cli';
import { PROJECT_ROOT, SHARED, tempDir } from '../support/tree';

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const CHARTS = path.join(SHARED, 'charts', 'zot');

test('one cluster with --helm: the StatefulSet, Service, ConfigMap and a Secret whose values are placeholders', () => {
  const r = runCli('scripts/render.ts', ['--cluster', 'talos-ottawa', '--repo', FLEET, '--helm', '--charts', CHARTS]);
  expect(r.code).toBe(0);
  const objects = (yaml.loadAll(r.stdout) as any[]).filter(Boolean);
  const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
  expect(kinds).toEqual(
    expect.arrayContaining([
      'HelmRelease/zot',
      'StatefulSet/zot',
      'Service/zot',
      'ConfigMap/zot-config',
      'Secret/zot-secret',
      'HTTPRoute/zot',
    ]),
  );
  const sts = objects.find((o) => o.kind === 'StatefulSet');
  expect(sts.metadata.namespace).toBe('zot');
  expect(sts.spec.template.spec.containers[0].image).toMatch(/zot.*:v2\.1\.\d+/);
  expect(objects.find((o) => o.kind === 'Secret').data).toEqual({ htpasswd: '<secret:htpasswd>' });
  const config = JSON.parse(objects.find((o) => o.kind === 'ConfigMap').data['config.json']);
  expect(config.http.auth.htpasswd.path).toBe('/secret/htpasswd');
});

test('a chart the folder does not hold is an error naming chart, version and URL', () => {
  const r = runCli('scripts/render.ts', [
    '--cluster',
    'talos-ottawa',
    '--repo',
    FLEET,
    '--helm',
    '--charts',
    tempDir(),
  ]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /has no package of chart zot version \d+\.\d+\.\d+ \(from https:\/\/zotregistry\.dev\/helm-charts\)/,
  );
});

test('the whole fleet renders each distinct release once', () => {
  const fleet = renderFleet(FLEET);
  const renderer = new HelmRenderer({ chartsDir: CHARTS });
  const repositories = readHelmRepositories(FLEET);
  for (const r of fleet.results) renderer.expand((yaml.loadAll(r.text) as any[]).filter(Boolean), repositories);
  expect(fleet.results.length).toBe(4);
  expect(renderer.renders).toBe(1);
  expect(fs.existsSync(CHARTS)).toBe(true);
});

describe('helm test hooks', () => {
  const testPods = (objects: any[]) =>
    objects
      .filter((o) => o.kind === 'Pod' && o.metadata.annotations?.['helm.sh/hook'] === 'test')
      .map((o) => o.metadata.name)
      .sort();
  const render = (edit: (hr: any) => void) => {
    const fleet = renderFleet(FLEET);
    const r = fleet.results.find((x) => x.cluster === 'talos-ottawa')!;
    const objects = (yaml.loadAll(r.text) as any[]).filter(Boolean);
    edit(objects.find((o) => o.kind === 'HelmRelease'));
    return new HelmRenderer({ chartsDir: CHARTS }).expand(objects, readHelmRepositories(FLEET));
  };

  test('are left out unless the HelmRelease enables tests: helm-controller creates them only in its test action', () => {
    expect(testPods(render(() => undefined))).toEqual([]);
    const enabled = testPods(
      render((hr) => {
        hr.spec.test = { enable: true };
      }),
    );
    // chart 0.1.122 templates/tests/: test-connection.yaml and test-connection-fails.yaml
    expect(enabled).toEqual(['zot-test-connection', 'zot-test-connection-fails']);
    expect(
      testPods(
        render((hr) => {
          hr.spec.test = { enable: true, filters: [{ name: 'zot-test-connection-fails', exclude: true }] };
        }),
      ),
    ).toEqual(['zot-test-connection']);
    expect(
      testPods(
        render((hr) => {
          hr.spec.test = { enable: true, filters: [{ name: 'zot-test-connection-fails' }] };
        }),
      ),
    ).toEqual(['zot-test-connection-fails']);
  });

  test('render --helm prints no test Pod for the example fleet', () => {
    const r = runCli('scripts/render.ts', ['--cluster', 'talos-ottawa', '--repo', FLEET, '--helm', '--charts', CHARTS]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('helm.sh/hook');
    expect(r.stdout).toContain('kind: StatefulSet');
  });
});
