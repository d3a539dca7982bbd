// cdk8s.yaml lists exactly the upstream release URLs of the CRDs the classes in imports/ were made from
// (Flux v2.9.4, Gateway API v1.6.1), and imports/schemas holds both Flux generations' schemas.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { PROJECT_ROOT } from '../support/tree';

test('cdk8s.yaml imports the Flux v2.9.4 and Gateway API v1.6.1 release assets, and nothing local', () => {
  const project = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
  // fluxcd/flux2 v2.9.4 manifests/bases/<controller>/kustomization.yaml name these assets.
  expect(project.imports).toEqual([
    'https://github.com/fluxcd/helm-controller/releases/download/v1.6.3/helm-controller.crds.yaml',
    'https://github.com/fluxcd/kustomize-controller/releases/download/v1.9.4/kustomize-controller.crds.yaml',
    'https://github.com/fluxcd/source-controller/releases/download/v1.9.4/source-controller.crds.yaml',
    'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml',
  ]);
});

test.each([
  [
    'flux-v2.7.5',
    [
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'kustomize.toolkit.fluxcd.io/v1/Kustomization',
      'source.toolkit.fluxcd.io/v1/GitRepository',
      'source.toolkit.fluxcd.io/v1/HelmRepository',
    ],
    ['v1', 'v1beta2', 'v2', 'v2beta2'],
  ],
  [
    'flux-v2.9.4',
    [
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'kustomize.toolkit.fluxcd.io/v1/Kustomization',
      'source.toolkit.fluxcd.io/v1/GitRepository',
      'source.toolkit.fluxcd.io/v1/HelmRepository',
    ],
    ['v1', 'v2'],
  ],
  ['gateway-api-v1.6.1', ['gateway.networking.k8s.io/v1/HTTPRoute'], ['v1', 'v1beta1']],
])(
  'imports/schemas/%s holds one schema per kind, with the version cdk8s imports and the served versions',
  (set, kinds, served) => {
    const dir = path.join(PROJECT_ROOT, 'imports/schemas', set);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    const seen = new Set<string>();
    const found = index.map((f: string) => {
      const s = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      expect(s.schema.type).toBe('object');
      for (const v of s.served) seen.add(v);
      return `${s.apiVersion}/${s.kind}`;
    });
    expect(found.sort()).toEqual(kinds);
    expect([...seen].sort()).toEqual(served);
  },
);

test('the typed classes come from Flux v2.9.4: no beta version classes, the 2.9 fields present', () => {
  const ks = fs.readFileSync(path.join(PROJECT_ROOT, 'imports/kustomize.toolkit.fluxcd.io.ts'), 'utf8');
  expect(ks).toContain('substituteStrategy');
  expect(ks).not.toContain('class KustomizationV1Beta2');
});
