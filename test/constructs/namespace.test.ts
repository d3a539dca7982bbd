import { Testing } from 'cdk8s';
import { Namespace } from '../../lib/constructs/namespace';

describe('Namespace', () => {
  test('is labelled so that Flux never prunes it, with no spec', () => {
    const chart = Testing.chart();
    new Namespace(chart, 'Namespace', { name: 'zot' });
    const [ns] = Testing.synth(chart);
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'zot', labels: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
    });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('pruneDisabled: false leaves the label out', () => {
    const chart = Testing.chart();
    new Namespace(chart, 'Namespace', { name: 'scratch', pruneDisabled: false });
    expect(Testing.synth(chart)[0].metadata).toEqual({ name: 'scratch' });
  });
});
