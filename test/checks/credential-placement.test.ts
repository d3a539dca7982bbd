// Credential variables only inside Secret content: a Secret's data/stringData, or the zot chart's secretFiles.
import * as yaml from 'js-yaml';
import { App } from 'cdk8s';
import { credentialPlacementProblems, SourcedVariable } from '../../lib/checks/credential-placement';
import { ZotApp, ZotAppProps } from '../../lib/constructs/zot-app';
import { formatProblem, ZotFluxError } from '../../lib/core/error';
import { appWith, pinned, readTree, synth, tempDir } from '../support/tree';
import * as examples from '../constructs/production-examples';

const zotRelease = (values: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'zot', ...metadata },
  spec: { chart: { spec: { chart: 'zot', version: '0.1.122' } }, values },
});
const secret = (body: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's' },
  ...body,
});
const SECRETS = ['COMMON_OCI', 'ZOT_CI'];

describe('allowed: Secret content', () => {
  test.each<[string, unknown]>([
    ['the zot chart secretFiles', zotRelease({ secretFiles: { htpasswd: '${COMMON_OCI}\n${ZOT_CI}' } })],
    ['a Secret stringData value', secret({ stringData: { htpasswd: '${COMMON_OCI}' } })],
    ['a Secret data value', secret({ data: { token: '${ZOT_CI}' } })],
    [
      'a non-credential variable anywhere',
      zotRelease({ podAnnotations: { domain: '${CLUSTER_DOMAIN}' } }, { labels: { d: '${CLUSTER_DOMAIN}' } }),
    ],
    [
      'an escaped reference ($${VAR} is not one)',
      { kind: 'ConfigMap', metadata: { name: 'c' }, data: { doc: 'write $${COMMON_OCI} in secretFiles' } },
    ],
    [
      'a text Flux cannot parse (reported by the tree checks instead)',
      { kind: 'ConfigMap', metadata: { name: 'c' }, data: { bad: '${COMMON_OCI' } },
    ],
  ])('%s', (_name, obj) => {
    expect(credentialPlacementProblems([obj], SECRETS)).toEqual([]);
  });

  test('a variable whose source is a Secret, in a route hostname (published by DNS and TLS anyway)', () => {
    const route = { kind: 'HTTPRoute', metadata: { name: 'zot' }, spec: { hostnames: ['oci.${CLUSTER_DOMAIN}'] } };
    expect(
      credentialPlacementProblems(
        [route],
        [{ variable: 'CLUSTER_DOMAIN', source: { kind: 'Secret', name: 'common-secrets' } }],
      ),
    ).toEqual([]);
  });

  test('a variable whose source is a ConfigMap, outside Secret content', () => {
    const obj = zotRelease({
      podAnnotations: { d: '${CLUSTER_DOMAIN}' },
      env: [{ name: 'DOMAIN', value: '${CLUSTER_DOMAIN}' }],
    });
    expect(
      credentialPlacementProblems(
        [obj],
        [{ variable: 'CLUSTER_DOMAIN', source: { kind: 'ConfigMap', name: 'cluster-settings' } }],
      ),
    ).toEqual([]);
  });

  test('a secret-named env entry from a Secret, a ConfigMap env entry with a plain name, a literal user in a URL', () => {
    const obj = zotRelease({
      env: [
        { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3', key: 'k' } } },
        { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'region' } } },
      ],
      podAnnotations: {
        src: 'ssh://git@github.com/org/repo',
        u: 'https://reader@charts.example.test/${CLUSTER_DOMAIN}',
      },
    });
    expect(
      credentialPlacementProblems(
        [obj],
        [{ variable: 'CLUSTER_DOMAIN', source: { kind: 'ConfigMap', name: 'cluster-settings' } }],
      ),
    ).toEqual([]);
  });

  test('no secret variables, no problems', () => {
    expect(credentialPlacementProblems([{ kind: 'ConfigMap', data: { x: '${COMMON_OCI}' } }], [])).toEqual([]);
  });
});

describe('refused: everywhere else, naming object, field path and variable', () => {
  test.each<[string, unknown, string]>([
    [
      'an HTTPRoute annotation',
      { kind: 'HTTPRoute', metadata: { name: 'zot', annotations: { 'example.com/auth': 'Basic ${COMMON_OCI}' } } },
      "HTTPRoute/zot metadata.annotations['example.com/auth']",
    ],
    [
      'a label',
      { kind: 'Namespace', metadata: { name: 'zot', labels: { who: '${ZOT_CI}' } } },
      'Namespace/zot metadata.labels.who',
    ],
    [
      'an env value in the chart values',
      zotRelease({ env: [{ name: 'PASSWORD', value: '${COMMON_OCI}' }] }),
      'HelmRelease/zot spec.values.env[0].value',
    ],
    [
      'config.json in configFiles',
      zotRelease({ configFiles: { 'config.json': '{"http":{"auth":{"htpasswd":"${COMMON_OCI}"}}}' } }),
      "HelmRelease/zot spec.values.configFiles['config.json']",
    ],
    [
      'other chart values',
      zotRelease({ podAnnotations: { line: '${ZOT_CI}' } }),
      'HelmRelease/zot spec.values.podAnnotations.line',
    ],
    [
      'a ConfigMap',
      { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { htpasswd: '${COMMON_OCI}' } },
      'ConfigMap/cm data.htpasswd',
    ],
    [
      "a Secret's annotations",
      secret({ metadata: { name: 's', annotations: { a: '${COMMON_OCI}' } } }),
      'Secret/s metadata.annotations.a',
    ],
    [
      'secretFiles of another chart (no zot Secret is rendered from it)',
      {
        kind: 'HelmRelease',
        metadata: { name: 'other' },
        spec: { chart: { spec: { chart: 'nginx' } }, values: { secretFiles: { f: '${COMMON_OCI}' } } },
      },
      'HelmRelease/other spec.values.secretFiles.f',
    ],
    [
      'a nested secretFiles value (not a file of the Secret)',
      zotRelease({ secretFiles: { nested: { deeper: '${COMMON_OCI}' } } }),
      'HelmRelease/zot spec.values.secretFiles.nested.deeper',
    ],
    [
      'a default nested in another expression',
      { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: '${OTHER:-${ZOT_CI}}' } },
      'ConfigMap/cm data.x',
    ],
    [
      'an operator form',
      { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: '${COMMON_OCI:0:5}' } },
      'ConfigMap/cm data.x',
    ],
    [
      'a key',
      { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { '${COMMON_OCI}': 'x' } },
      "ConfigMap/cm data['${COMMON_OCI}'] (a key)",
    ],
    [
      'a key inside Secret content',
      secret({ stringData: { '${ZOT_CI}': 'x' } }),
      "Secret/s stringData['${ZOT_CI}'] (a key)",
    ],
  ])('%s', (_name, obj, field) => {
    const problems = credentialPlacementProblems([obj], SECRETS);
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe(field);
    expect(problems[0].reason).toMatch(
      /^uses the credential variable (COMMON_OCI|ZOT_CI), whose value would land outside Secret content/,
    );
    expect(problems[0].value).toBeUndefined();
  });

  test('objects without a kind or name are still named', () => {
    const problems = credentialPlacementProblems([{ data: { x: '${ZOT_CI}' } }, 'not an object', null], SECRETS);
    expect(problems.map((p) => p.field)).toEqual(['objects[0] data.x']);
  });
});

// Issue 19: a variable whose source is a Secret was accepted in env values, pod annotations, a HelmRepository URL and
// sync URLs; user and sync credential sources of kind ConfigMap were accepted.
describe('by source: a variable from a Secret is a credential, a credential comes from a Secret', () => {
  const FROM_SECRET: SourcedVariable = { variable: 'S3_SECRET', source: { kind: 'Secret', name: 'common-secrets' } };
  const FROM_CONFIGMAP: SourcedVariable = {
    variable: 'ZOT_SYNC',
    source: { kind: 'ConfigMap', name: 'cluster-settings' },
  };

  test.each<[string, unknown, string]>([
    [
      'an env value',
      zotRelease({ env: [{ name: 'S3_KEY', value: '${S3_SECRET}' }] }),
      'HelmRelease/zot spec.values.env[0].value',
    ],
    [
      'a pod annotation',
      zotRelease({ podAnnotations: { k: 'x-${S3_SECRET}' } }),
      'HelmRelease/zot spec.values.podAnnotations.k',
    ],
    [
      'a ConfigMap',
      { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: '${S3_SECRET}' } },
      'ConfigMap/cm data.k',
    ],
    [
      'a route annotation',
      {
        kind: 'HTTPRoute',
        metadata: { name: 'zot', annotations: { a: '${S3_SECRET}' } },
        spec: { hostnames: ['oci.example.test'] },
      },
      'HTTPRoute/zot metadata.annotations.a',
    ],
    [
      'a HelmRepository URL',
      {
        kind: 'HelmRepository',
        metadata: { name: 'zot' },
        spec: { url: 'https://bot:${S3_SECRET}@charts.example.test' },
      },
      'HelmRepository/zot spec.url',
    ],
    [
      'config.json',
      zotRelease({ configFiles: { 'config.json': '{"storage":{"secretkey":"${S3_SECRET}"}}' } }),
      "HelmRelease/zot spec.values.configFiles['config.json']",
    ],
  ])('a Secret-sourced variable in %s is refused, naming the variable, its source and the field', (_n, obj, field) => {
    const problems = credentialPlacementProblems([obj], [FROM_SECRET]);
    expect(problems.map((p) => [p.field, p.reason.split(':')[0]])).toEqual([
      [field, 'uses the variable S3_SECRET, whose source is Secret/common-secrets'],
    ]);
  });

  test.each<[string, unknown, string]>([
    [
      'a HelmRepository URL (password)',
      {
        kind: 'HelmRepository',
        metadata: { name: 'zot' },
        spec: { url: 'https://bot:${HELM_PW}@charts.example.test' },
      },
      'HelmRepository/zot spec.url',
    ],
    [
      'a GitRepository URL (a token as the user)',
      { kind: 'GitRepository', metadata: { name: 'g' }, spec: { url: 'https://${HELM_PW}@github.com/org/repo' } },
      'GitRepository/g spec.url',
    ],
    [
      'a sync URL in config.json',
      zotRelease({
        configFiles: {
          'config.json': '{"extensions":{"sync":{"registries":[{"urls":["https://u:${HELM_PW}@ghcr.io"]}]}}}',
        },
      }),
      "HelmRelease/zot spec.values.configFiles['config.json']",
    ],
    [
      'an oci URL with a default',
      { kind: 'HelmRepository', metadata: { name: 'zot' }, spec: { url: 'oci://u:${HELM_PW:-none}@ghcr.io/org' } },
      'HelmRepository/zot spec.url',
    ],
  ])('a variable of unknown source in the userinfo of %s is refused', (_n, obj, field) => {
    const problems = credentialPlacementProblems([obj], []);
    expect(problems.map((p) => [p.field, p.reason.split(':')[0]])).toEqual([
      [field, 'uses the variable HELM_PW in the userinfo of a URL'],
    ]);
  });

  test.each<[string, unknown, string]>([
    [
      'the zot chart secretFiles (a sync credentials file)',
      zotRelease({ secretFiles: { 'sync-credentials.json': '{\n"ghcr.io": ${ZOT_SYNC}\n}' } }),
      "HelmRelease/zot spec.values.secretFiles['sync-credentials.json']",
    ],
    ['a Secret stringData value', secret({ stringData: { htpasswd: '${ZOT_SYNC}' } }), 'Secret/s stringData.htpasswd'],
  ])(
    'a ConfigMap-sourced variable in Secret content (%s) is refused: a credential source must be a Secret',
    (_n, obj, field) => {
      const problems = credentialPlacementProblems([obj], [FROM_CONFIGMAP]);
      expect(problems.map((p) => [p.field, p.reason.split(':')[0]])).toEqual([
        [field, 'uses the variable ZOT_SYNC from ConfigMap/cluster-settings in Secret content'],
      ]);
    },
  );

  test('a secret-named env entry that reads a ConfigMap is refused', () => {
    const obj = zotRelease({
      env: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { configMapKeyRef: { name: 's3', key: 'secret' } } }],
    });
    expect(credentialPlacementProblems([obj], []).map((p) => p.field)).toEqual([
      'HelmRelease/zot spec.values.env[0].valueFrom.configMapKeyRef',
    ]);
  });

  test('a variable named both by role and by a ConfigMap source: refused in Secret content for its source', () => {
    const obj = zotRelease({ secretFiles: { htpasswd: '${COMMON_OCI}' } });
    const problems = credentialPlacementProblems(
      [obj],
      ['COMMON_OCI', { variable: 'COMMON_OCI', source: { kind: 'ConfigMap', name: 'cluster-settings' } }],
    );
    expect(problems.map((p) => p.reason.split(':')[0])).toEqual([
      'uses the variable COMMON_OCI from ConfigMap/cluster-settings in Secret content',
    ]);
  });
});

describe('messages', () => {
  test('every variable of a text is named, once each, and the literal around it is never shown', () => {
    const literal = 'prefix-literal-42';
    const problems = credentialPlacementProblems(
      [{ kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: `${literal} \${ZOT_CI} \${COMMON_OCI} \${ZOT_CI}` } }],
      SECRETS,
    );
    expect(problems.map((p) => p.reason.split(',')[0])).toEqual([
      'uses the credential variable COMMON_OCI',
      'uses the credential variable ZOT_CI',
    ]);
    for (const p of problems) expect(formatProblem(p)).not.toContain(literal);
  });
});

describe('on what synth writes', () => {
  const objectsOf = (props: Parameters<typeof appWith>[0]) => {
    const root = tempDir();
    const r = synth(root, () => appWith(props));
    expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
    return [...readTree(root)]
      .filter(([f]) => f.endsWith('.yaml'))
      .flatMap(([, text]) => yaml.loadAll(text) as any[])
      .filter(Boolean);
  };

  test('the seed places its credential variable only in secretFiles', () => {
    const objects = objectsOf({});
    expect(JSON.stringify(objects)).toContain('${COMMON_OCI}');
    expect(credentialPlacementProblems(objects, ['COMMON_OCI'])).toEqual([]);
  });

  test('a route annotation that uses the credential variable: synth refuses it, naming the field, and writes nothing', () => {
    const root = tempDir();
    const r = synth(root, () => appWith({ route: { annotations: { 'example.com/leak': '${COMMON_OCI}' } } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "HTTPRoute/zot metadata.annotations['example.com/leak']: uses the credential variable COMMON_OCI",
    );
    expect(readTree(root).size).toBe(0);
  });
});

/** What ZotApp refuses on its own objects, with every variable's source (lib/constructs/zot-app.ts): its problems, or [] when it builds. */
function wiredProblems(props: ZotAppProps) {
  try {
    new ZotApp(new App(), 'zot', pinned(props));
    return [];
  } catch (e) {
    if (e instanceof ZotFluxError) return [...e.problems];
    throw e;
  }
}

describe('on the objects ZotApp builds, with the sources given', () => {
  const SETTINGS = { kind: 'ConfigMap', name: 'cluster-settings' } as const;
  const SECRETS_SRC = { kind: 'Secret', name: 'common-secrets' } as const;

  test.each<[string, ZotAppProps]>([
    ['the seed', {}],
    ['a hostname variable kept in a SOPS Secret', { variableSources: { CLUSTER_DOMAIN: SECRETS_SRC } }],
    ...Object.entries(examples)
      .filter(([, v]) => typeof v === 'object' && v !== null && !(v instanceof Set) && !('COMMON_OCI' in v))
      .map(([k, v]) => [`the production example ${k}`, v as ZotAppProps] as [string, ZotAppProps]),
  ])('%s: no problem', (_n, props) => {
    expect(wiredProblems(props)).toEqual([]);
  });

  test.each<[string, ZotAppProps, string, string]>([
    [
      'a Secret-sourced variable in an env value',
      {
        release: { valuesOverrides: { env: [{ name: 'S3_KEY', value: '${S3_SECRET}' }] } },
        variableSources: { CLUSTER_DOMAIN: SETTINGS, S3_SECRET: SECRETS_SRC },
      },
      'HelmRelease/zot spec.values.env[0].value',
      'uses the variable S3_SECRET, whose source is Secret/common-secrets',
    ],
    [
      'a Secret-sourced variable in a pod annotation',
      {
        release: { valuesOverrides: { podAnnotations: { a: '${S3_SECRET}' } } },
        variableSources: { CLUSTER_DOMAIN: SETTINGS, S3_SECRET: SECRETS_SRC },
      },
      'HelmRelease/zot spec.values.podAnnotations.a',
      'uses the variable S3_SECRET, whose source is Secret/common-secrets',
    ],
    [
      'a user whose htpasswd variable comes from a ConfigMap',
      { release: { users: [{ name: 'admin', variable: 'COMMON_OCI', admin: true, source: SETTINGS }] } },
      'HelmRelease/zot spec.values.secretFiles.htpasswd',
      'uses the variable COMMON_OCI from ConfigMap/cluster-settings in Secret content',
    ],
    [
      'sync credentials from a ConfigMap',
      {
        release: {
          sync: {
            registries: [
              {
                urls: ['https://ghcr.io'],
                onDemand: true,
                credentialsVariable: 'ZOT_SYNC_GHCR',
                credentialsSource: SETTINGS,
              },
            ],
          },
        },
      },
      "HelmRelease/zot spec.values.secretFiles['sync-credentials.json']",
      'uses the variable ZOT_SYNC_GHCR from ConfigMap/cluster-settings in Secret content',
    ],
  ])('%s is refused, naming the field and the variable', (_n, props, field, reason) => {
    const problems = wiredProblems(props);
    expect(problems.map((p) => [p.field, p.reason.split(':')[0]])).toEqual([[field, reason]]);
  });

  test.each<[string, ZotAppProps, string]>([
    [
      'a HelmRepository URL with a variable password',
      {
        helmRepository: { url: 'https://bot:${HELM_PW}@charts.example.test/zot' },
        variableSources: { CLUSTER_DOMAIN: SETTINGS, HELM_PW: SECRETS_SRC },
      },
      'HelmRepository/zot spec.url: uses the variable HELM_PW',
    ],
    [
      'a sync URL with a variable password',
      {
        release: { sync: { registries: [{ urls: ['https://u:${SYNC_PW}@ghcr.io'], onDemand: true }] } },
        variableSources: { CLUSTER_DOMAIN: SETTINGS, SYNC_PW: SECRETS_SRC },
      },
      "HelmRelease/zot spec.values.configFiles['config.json']: uses the variable SYNC_PW",
    ],
    [
      'a secret-named env entry from a ConfigMap',
      {
        release: {
          valuesOverrides: {
            env: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { configMapKeyRef: { name: 'x', key: 'y' } } }],
          },
        },
      },
      'HelmRelease/zot spec.values.env[0].valueFrom.configMapKeyRef: gives the env AWS_SECRET_ACCESS_KEY a value from ConfigMap/x',
    ],
  ])('%s: synth refuses it already (exit 1, nothing written)', (_n, props, message) => {
    const root = tempDir();
    const r = synth(root, () => appWith(props));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(readTree(root).size).toBe(0);
  });
});
