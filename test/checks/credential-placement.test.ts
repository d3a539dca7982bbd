// Credential variables only inside Secret content: a Secret's data/stringData, or the zot chart's secretFiles.
import * as yaml from 'js-yaml';
import { credentialPlacementProblems } from '../../lib/checks/credential-placement';
import { formatProblem } from '../../lib/core/error';
import { appWith, readTree, synth, tempDir } from '../support/tree';

const zotRelease = (values: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'zot', ...metadata },
  spec: { chart: { spec: { chart: 'zot', version: '0.1.122' } }, values },
});
const secret = (body: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...body });
const SECRETS = ['COMMON_OCI', 'ZOT_CI'];

describe('allowed: Secret content', () => {
  test.each<[string, unknown]>([
    ['the zot chart secretFiles', zotRelease({ secretFiles: { htpasswd: '${COMMON_OCI}\n${ZOT_CI}' } })],
    ['a Secret stringData value', secret({ stringData: { htpasswd: '${COMMON_OCI}' } })],
    ['a Secret data value', secret({ data: { token: '${ZOT_CI}' } })],
    ['a non-credential variable anywhere', zotRelease({ podAnnotations: { domain: '${CLUSTER_DOMAIN}' } }, { labels: { d: '${CLUSTER_DOMAIN}' } })],
    ['an escaped reference ($${VAR} is not one)', { kind: 'ConfigMap', metadata: { name: 'c' }, data: { doc: 'write $${COMMON_OCI} in secretFiles' } }],
    ['a text Flux cannot parse (reported by the tree checks instead)', { kind: 'ConfigMap', metadata: { name: 'c' }, data: { bad: '${COMMON_OCI' } }],
  ])('%s', (_name, obj) => {
    expect(credentialPlacementProblems([obj], SECRETS)).toEqual([]);
  });

  test('no secret variables, no problems', () => {
    expect(credentialPlacementProblems([{ kind: 'ConfigMap', data: { x: '${COMMON_OCI}' } }], [])).toEqual([]);
  });
});

describe('refused: everywhere else, naming object, field path and variable', () => {
  test.each<[string, unknown, string]>([
    ['an HTTPRoute annotation',
      { kind: 'HTTPRoute', metadata: { name: 'zot', annotations: { 'example.com/auth': 'Basic ${COMMON_OCI}' } } },
      "HTTPRoute/zot metadata.annotations['example.com/auth']"],
    ['a label', { kind: 'Namespace', metadata: { name: 'zot', labels: { who: '${ZOT_CI}' } } }, 'Namespace/zot metadata.labels.who'],
    ['an env value in the chart values',
      zotRelease({ env: [{ name: 'PASSWORD', value: '${COMMON_OCI}' }] }), 'HelmRelease/zot spec.values.env[0].value'],
    ['config.json in configFiles',
      zotRelease({ configFiles: { 'config.json': '{"http":{"auth":{"htpasswd":"${COMMON_OCI}"}}}' } }),
      "HelmRelease/zot spec.values.configFiles['config.json']"],
    ['other chart values', zotRelease({ podAnnotations: { line: '${ZOT_CI}' } }), 'HelmRelease/zot spec.values.podAnnotations.line'],
    ['a ConfigMap', { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { htpasswd: '${COMMON_OCI}' } }, 'ConfigMap/cm data.htpasswd'],
    ["a Secret's annotations", secret({ metadata: { name: 's', annotations: { a: '${COMMON_OCI}' } } }), 'Secret/s metadata.annotations.a'],
    ['secretFiles of another chart (no zot Secret is rendered from it)',
      { kind: 'HelmRelease', metadata: { name: 'other' }, spec: { chart: { spec: { chart: 'nginx' } }, values: { secretFiles: { f: '${COMMON_OCI}' } } } },
      'HelmRelease/other spec.values.secretFiles.f'],
    ['a nested secretFiles value (not a file of the Secret)',
      zotRelease({ secretFiles: { nested: { deeper: '${COMMON_OCI}' } } }), 'HelmRelease/zot spec.values.secretFiles.nested.deeper'],
    ['a default nested in another expression',
      { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: '${OTHER:-${ZOT_CI}}' } }, 'ConfigMap/cm data.x'],
    ['an operator form', { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: '${COMMON_OCI:0:5}' } }, 'ConfigMap/cm data.x'],
    ['a key', { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { '${COMMON_OCI}': 'x' } }, "ConfigMap/cm data['${COMMON_OCI}'] (a key)"],
    ['a key inside Secret content', secret({ stringData: { '${ZOT_CI}': 'x' } }), "Secret/s stringData['${ZOT_CI}'] (a key)"],
  ])('%s', (_name, obj, field) => {
    const problems = credentialPlacementProblems([obj], SECRETS);
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe(field);
    expect(problems[0].reason).toMatch(/^uses the credential variable (COMMON_OCI|ZOT_CI), whose value would land outside Secret content/);
    expect(problems[0].value).toBeUndefined();
  });

  test('every variable of a text is named, once each, and the literal around it is never shown', () => {
    const literal = 'prefix-literal-42';
    const problems = credentialPlacementProblems(
      [{ kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: `${literal} \${ZOT_CI} \${COMMON_OCI} \${ZOT_CI}` } }], SECRETS);
    expect(problems.map((p) => p.reason.split(',')[0])).toEqual([
      'uses the credential variable COMMON_OCI', 'uses the credential variable ZOT_CI',
    ]);
    for (const p of problems) expect(formatProblem(p)).not.toContain(literal);
  });

  test('objects without a kind or name are still named', () => {
    const problems = credentialPlacementProblems([{ data: { x: '${ZOT_CI}' } }, 'not an object', null], SECRETS);
    expect(problems.map((p) => p.field)).toEqual(['objects[0] data.x']);
  });
});

describe('on what synth writes', () => {
  const objectsOf = (props: Parameters<typeof appWith>[0]) => {
    const root = tempDir();
    const r = synth(root, () => appWith(props));
    expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
    return [...readTree(root)].filter(([f]) => f.endsWith('.yaml')).flatMap(([, text]) => yaml.loadAll(text) as any[]).filter(Boolean);
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
    expect(r.stderr).toContain("HTTPRoute/zot metadata.annotations['example.com/leak']: uses the credential variable COMMON_OCI");
    expect(readTree(root).size).toBe(0);
  });
});
