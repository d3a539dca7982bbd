import { Testing } from 'cdk8s';
import { FluxKustomization } from '../../lib/constructs/flux-kustomization';

describe('FluxKustomization', () => {
  test('applies a path into a namespace, pruning, waiting, substituting from its sources in order', () => {
    const chart = Testing.chart();
    new FluxKustomization(chart, 'Kustomization', {
      name: 'zot',
      path: './clusters/common/apps/zot/app',
      targetNamespace: 'zot',
      substituteFrom: [
        { kind: 'ConfigMap', name: 'cluster-settings' },
        { kind: 'Secret', name: 'common-secrets', optional: true },
      ],
    });
    const [ks] = Testing.synth(chart);
    expect(ks.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
    expect(ks.spec).toMatchObject({
      path: './clusters/common/apps/zot/app',
      targetNamespace: 'zot',
      prune: true,
      wait: true,
    });
    expect(ks.spec.postBuild.substituteFrom).toEqual([
      { kind: 'ConfigMap', name: 'cluster-settings' },
      { kind: 'Secret', name: 'common-secrets', optional: true },
    ]);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('no sources, no postBuild (a parent injects it)', () => {
    const chart = Testing.chart();
    new FluxKustomization(chart, 'Kustomization', { name: 'zot', path: './x', targetNamespace: 'zot' });
    expect(Testing.synth(chart)[0].spec.postBuild).toBeUndefined();
  });
});
