import { Testing } from 'cdk8s';
import { ZotRelease } from '../../lib/constructs/zot-release';
import { ZotRoute } from '../../lib/constructs/zot-route';

describe('ZotRoute', () => {
  test('oci.${CLUSTER_DOMAIN} on ts, private and public in home, to the release Service port', () => {
    const chart = Testing.chart();
    const release = new ZotRelease(chart, 'HelmRelease', { chartVersion: '0.1.98', port: 8080 });
    new ZotRoute(chart, 'HttpRoute', { release });
    const route = Testing.synth(chart).find((o) => o.kind === 'HTTPRoute')!;
    expect(route.spec.hostnames).toEqual(['oci.${CLUSTER_DOMAIN}']);
    expect(route.spec.parentRefs.map((p: any) => `${p.namespace}/${p.name}`)).toEqual([
      'home/ts',
      'home/private',
      'home/public',
    ]);
    expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ name: 'zot', port: 8080 });
    expect(route).toMatchSnapshot();
  });

  test.each<[string, object, string]>([
    ['hostnames: []', { hostnames: [] }, 'hostnames: [] is empty; give at least one'],
    ['hostnames: [42]', { hostnames: [42] }, 'hostnames[0]: 42 is not a string'],
    ['gateways: []', { gateways: [] }, 'gateways: [] is empty; give at least one'],
    ['a gateway twice', { gateways: ['ts', 'ts'] }, "gateways[1]: 'ts' is listed twice"],
  ])('refuses %s', (_what, props, message) => {
    const chart = Testing.chart();
    const release = new ZotRelease(chart, 'HelmRelease', { chartVersion: '0.1.98' });
    expect(() => new ZotRoute(chart, 'HttpRoute', { release, ...props } as any)).toThrow(message);
  });
});
