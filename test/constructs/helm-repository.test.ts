import { Testing } from 'cdk8s';
import { HelmRepository } from '../../lib/constructs/helm-repository';

describe('HelmRepository', () => {
  test('zot in flux-system over https, hourly', () => {
    const chart = Testing.chart();
    new HelmRepository(chart, 'HelmRepository');
    const [repo] = Testing.synth(chart);
    expect(repo.metadata).toEqual({ name: 'zot', namespace: 'flux-system' });
    expect(repo.spec).toEqual({ interval: '1h', url: 'https://zotregistry.dev/helm-charts' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('an oci:// repository needs type oci, and gets it', () => {
    const chart = Testing.chart();
    new HelmRepository(chart, 'HelmRepository', { url: 'oci://ghcr.io/project-zot/helm-charts', type: 'oci' });
    expect(Testing.synth(chart)[0].spec.type).toBe('oci');
    expect(() => new HelmRepository(Testing.chart(), 'R', { url: 'oci://ghcr.io/x' })).toThrow("type: must be 'oci'");
  });
});
