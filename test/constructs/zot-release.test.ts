// The HelmRelease construct on its own. The chart version is passed explicitly: a chart bump
// (ZOT_CHART_VERSION) does not touch these snapshots.
import { Testing } from 'cdk8s';
import { ZotFluxError } from '../../lib/core/error';
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
    [
      'serviceType outside its type',
      { serviceType: 'ExternalName' },
      "serviceType: 'ExternalName' is not one of 'ClusterIP', 'NodePort', 'LoadBalancer'",
    ],
    ['users that is not a list', { users: 'admin' }, "users: 'admin' is not a list"],
    ['a user without actions', { users: [{ name: 'a', variable: 'A' }] }, 'users[0].actions: is missing'],
    ['a port that is a string', { port: '5000' }, "port: '5000' is not an integer from 1 to 65535"],
    ['an unknown prop', { replica: 2 }, 'replica: is not a prop here'],
  ])('refuses %s (esbuild does not type-check main.ts)', (_what, props, message) => {
    expect(() => new ZotRelease(Testing.chart(), 'HelmRelease', props as any)).toThrow(message);
  });

  describe("a key holding '::' (zot's viper key delimiter) in a prop that becomes config.json", () => {
    test.each<[string, object, string]>([
      [
        'at the top of extensions: search::enable would win over search.enable',
        JSON.parse('{"extensions": {"search": {"enable": true}, "ui": {"enable": true}, "search::enable": false}}'),
        "extensions: 'search::enable' is a key holding '::', zot's viper key delimiter: viper reads it as the nested keys 'search' → 'enable', and it wins over those keys written nested",
      ],
      [
        'deeper in extensions',
        { extensions: { metrics: { enable: true, 'prometheus::path': '/v2' } } },
        "extensions.metrics: 'prometheus::path' is a key holding '::'",
      ],
      [
        'inside a list',
        { extensions: { scrub: { enable: true, x: [{ 'a::b': 1 }] } } },
        "extensions.scrub.x[0]: 'a::b' is a key holding '::'",
      ],
      ['in a typed prop whose keys are checked', { gc: { 'delay::x': '1h' } }, "gc: 'delay::x' is a key holding '::'"],
    ])('is refused %s', (_what, props, message) => {
      expect(
        () => new ZotRelease(Testing.chart(), 'HelmRelease', { chartVersion: '0.1.122', ...props } as any),
      ).toThrow(message);
    });
  });

  describe('anonymous access before zot v2.1.16 (any anonymousPolicy lets an anonymous /v2/ pass: docker never sends credentials)', () => {
    const refused = (props: object) => {
      try {
        new ZotRelease(Testing.chart(), 'HelmRelease', { chartVersion: CHART, ...props } as any);
      } catch (e) {
        return e as ZotFluxError;
      }
      throw new Error('expected a refusal');
    };
    const BREAKS =
      'would break docker pushes on zot v2.1.14: before v2.1.16 zot answers /v2/ to anonymous clients with 200 whenever an anonymousPolicy exists';

    test('anonymousWrite is refused on zot v2.1.14 as anonymousRead is, both named at once', () => {
      expect(
        refused({ anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }] }).message,
      ).toBe(
        `anonymousWrite: [{"repositories":["tailnet/**"],"actions":["create","update"]}] ${BREAKS}, so docker never sends its credentials (fixed in zot v2.1.16, PR #3868); use a chart that deploys zot ≥ v2.1.16`,
      );
      const both = refused({
        anonymousRead: ['pub/**'],
        anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }],
      });
      expect(both.problems.map((p) => p.field)).toEqual(['anonymousRead', 'anonymousWrite']);
    });

    test('create without update is named beside it (CVE-2026-31801), unless acknowledged', () => {
      const e = refused({ anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create'] }] });
      expect(e.problems.map((p) => p.field)).toEqual(['anonymousWrite', 'anonymousWrite', 'anonymousWrite']);
      expect(e.message).toContain(
        "anonymous may create but not update on 'tailnet/**', which does not mean what it says on zot v2.1.14: CVE-2026-31801",
      );
      const acked = refused({
        anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create'] }],
        acknowledgedAdvisories: ['CVE-2026-31801'],
      });
      expect(acked.problems.map((p) => p.reason)).toEqual([expect.stringContaining(BREAKS)]);
    });

    test('v2.1.15 through image.tag is refused too; v2.1.16 takes anonymousWrite', () => {
      expect(
        refused({
          anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }],
          valuesOverrides: { image: { tag: 'v2.1.15' } },
        }).message,
      ).toContain(
        'anonymousWrite: [{"repositories":["tailnet/**"],"actions":["create","update"]}] would break docker pushes on zot v2.1.15',
      );
      const r = new ZotRelease(Testing.chart(), 'HelmRelease', {
        chartVersion: CHART,
        anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }],
        valuesOverrides: { image: { tag: 'v2.1.16' } },
      });
      expect(r.accessControl.repositories['tailnet/**'].anonymousPolicy).toEqual(['create', 'update']);
    });
  });
});
