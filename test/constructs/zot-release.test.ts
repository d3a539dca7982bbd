// The HelmRelease construct on its own. The chart version is passed explicitly: a chart bump
// (ZOT_CHART_VERSION) does not touch these snapshots.
import { Testing } from 'cdk8s';
import { ZotRelease } from '../../lib/constructs/zot-release';

const CHART = '0.1.98';

describe('ZotRelease', () => {
  test('the seed: one admin from COMMON_OCI, 20Gi RWO, ClusterIP 5000, config.json with htpasswd auth', () => {
    const chart = Testing.chart();
    const release = new ZotRelease(chart, 'HelmRelease', { chartVersion: CHART });
    const [hr] = Testing.synth(chart);
    expect(hr.spec.chart.spec.version).toBe(CHART);
    expect(hr.spec.values.secretFiles).toEqual({ htpasswd: '${COMMON_OCI}' });
    const config = JSON.parse(hr.spec.values.configFiles['config.json']);
    expect(config.http.auth.htpasswd.path).toBe('/secret/htpasswd');
    expect(config.http.port).toBe('5000');
    expect(release.serviceName).toBe('zot');
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('one line per user in the htpasswd file, each from its own variable', () => {
    const chart = Testing.chart();
    new ZotRelease(chart, 'HelmRelease', {
      chartVersion: CHART,
      users: [
        { name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true },
        { name: 'puller', variable: 'ZOT_PULL', actions: ['read'] },
      ],
    });
    expect(Testing.synth(chart)[0].spec.values.secretFiles.htpasswd).toBe('${COMMON_OCI}\n${ZOT_PULL}');
  });

  test.each<[string, object, string]>([
    ['serviceType outside its type', { serviceType: 'ExternalName' }, "serviceType: 'ExternalName' is not one of 'ClusterIP', 'NodePort', 'LoadBalancer'"],
    ['users that is not a list', { users: 'admin' }, "users: 'admin' is not a list"],
    ['a user without actions', { users: [{ name: 'a', variable: 'A' }] }, 'users[0].actions: is missing'],
    ['a port that is a string', { port: '5000' }, "port: '5000' is not an integer from 1 to 65535"],
    ['an unknown prop', { replica: 2 }, 'replica: is not a prop here'],
  ])('refuses %s (esbuild does not type-check main.ts)', (_what, props, message) => {
    expect(() => new ZotRelease(Testing.chart(), 'HelmRelease', props as any)).toThrow(message);
  });
});
