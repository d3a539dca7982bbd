// The feature registry (lib/zot/features/registry.ts): every typed zot feature once, its props its
// own, and ZotRelease taking exactly the core props and the features' (RELEASE_PROPS is derived).
import { Testing } from 'cdk8s';
import { ZotRelease } from '../../lib/constructs/zot-release';
import { ZOT_FEATURES, ZOT_FEATURES_BUILT } from '../../lib/zot/features/registry';
import { zotHasDefaultTimeouts } from '../../lib/zot/features/http';
import { TEST_CHART_VERSION } from '../support/tree';

describe('the feature registry', () => {
  test('the build order lists the same features as the check order, each once', () => {
    const names = ZOT_FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...ZOT_FEATURES_BUILT].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [...ZOT_FEATURES].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  test('no prop is owned by two features; the props whose keys reach config.json are the feature’s own', () => {
    const props = ZOT_FEATURES.flatMap((f) => f.props.map(String));
    expect(new Set(props).size).toBe(props.length);
    for (const f of ZOT_FEATURES) for (const k of f.configProps ?? []) expect(f.props).toContain(k);
  });

  test('an unknown prop is refused naming every prop, the features’ after valuesOverrides', () => {
    const chart = Testing.chart();
    let message = '';
    try {
      new ZotRelease(chart, 'r', { chartVersion: TEST_CHART_VERSION, replica: 2 } as never);
    } catch (e) {
      message = (e as Error).message;
    }
    const known = /known: ([^)]*)\)/.exec(message)?.[1].split(', ') ?? [];
    const at = known.indexOf('valuesOverrides') + 1;
    expect(known.slice(at, at + ZOT_FEATURES.flatMap((f) => f.props).length)).toEqual(
      ZOT_FEATURES.flatMap((f) => f.props.map(String)),
    );
    expect(known.slice(-2)).toEqual(['unsafeValues', 'acknowledgedAdvisories']);
  });

  test('the http timeouts: a feature module alone gives config.json its keys, the default beside the one given', () => {
    const chart = Testing.chart();
    const r = new ZotRelease(chart, 'r', { chartVersion: TEST_CHART_VERSION, readTimeout: '1h' });
    const http = r.config.http as unknown as Record<string, unknown>;
    expect(zotHasDefaultTimeouts(r.zotVersion)).toBe(true);
    expect([http.readTimeout, http.writeTimeout]).toEqual(['1h', '30m']);
  });
});
