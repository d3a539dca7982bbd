// cdk8s.yaml lists exactly the upstream release URLs of the CRDs imports/ was made from.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { PROJECT_ROOT } from '../support/tree';

test('cdk8s.yaml imports the Flux v2.7.5 and Gateway API v1.6.1 release assets, and nothing local', () => {
  const project = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
  expect(project.imports).toEqual([
    'https://github.com/fluxcd/helm-controller/releases/download/v1.4.5/helm-controller.crds.yaml',
    'https://github.com/fluxcd/kustomize-controller/releases/download/v1.7.3/kustomize-controller.crds.yaml',
    'https://github.com/fluxcd/source-controller/releases/download/v1.7.4/source-controller.crds.yaml',
    'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml',
  ]);
});

test('imports/schemas holds one schema per imported kind, each with the version cdk8s imported', () => {
  const index = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'imports/schemas/index.json'), 'utf8'));
  const kinds = index.map((f: string) => {
    const s = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'imports/schemas', f), 'utf8'));
    expect(s.schema.type).toBe('object');
    return `${s.apiVersion}/${s.kind}`;
  });
  expect(kinds.sort()).toEqual([
    'gateway.networking.k8s.io/v1/HTTPRoute',
    'helm.toolkit.fluxcd.io/v2/HelmRelease',
    'kustomize.toolkit.fluxcd.io/v1/Kustomization',
    'source.toolkit.fluxcd.io/v1/GitRepository',
    'source.toolkit.fluxcd.io/v1/HelmRepository',
  ]);
});
