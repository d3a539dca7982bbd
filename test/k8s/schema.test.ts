// Every generated object validates against its CRD's openAPIV3Schema, taken from imports/schemas/<set>
// (written by this project's `npm run import`): Flux v2.7.5's and v2.9.4's CRDs, Gateway API v1.6.1's HTTPRoute.
import * as yaml from 'js-yaml';
import { crdSchemaFor, schemaErrors, validateAgainstCrd } from '../../lib/k8s/schema';
import { asFluxApplies } from '../../lib/checks/tree';
import { seedTree } from '../support/tree';

const tree = seedTree();

function objects(): any[] {
  const all: any[] = [];
  for (const [file, text] of tree) {
    if (!file.endsWith('.yaml')) continue;
    all.push(...(yaml.loadAll(text) as any[]).filter(Boolean).map((o) => asFluxApplies(o)));
  }
  return all;
}

describe('CRD schemas', () => {
  test('the schema of each kind of the tree is active: a mutation the API server would reject is reported', () => {
    // (That the tree passes the upstream CRDs themselves is test/k8s/schema.shared.test.ts.)
    const kinds: string[] = [];
    for (const obj of objects()) {
      const schema = crdSchemaFor(obj.apiVersion, obj.kind);
      if (!schema) continue;
      kinds.push(obj.kind);
      expect(schemaErrors({ ...obj, spec: { ...obj.spec, notAField: 1 } }, schema)).toEqual([
        'spec.notAField: unknown field (not in the CRD schema)',
      ]);
      expect(validateAgainstCrd({ ...obj, spec: 'nope' })!.join('\n')).toMatch(/spec: must be object/);
    }
    expect(kinds.sort()).toEqual(['HTTPRoute', 'HelmRelease', 'HelmRepository', 'Kustomization']);
  });

  test('the schemas reject what the API server would: bad duration, missing field, wrong type, bad hostname, unknown field', () => {
    const ks = objects().find((o) => o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1');
    const schema = crdSchemaFor(ks.apiVersion, ks.kind)!;
    expect(schemaErrors({ ...ks, spec: { ...ks.spec, interval: '30 minutes' } }, schema)).toEqual([
      expect.stringMatching(/^spec\.interval: '30 minutes' does not match/),
    ]);
    const { prune, ...noPrune } = ks.spec;
    expect(prune).toBe(true);
    expect(schemaErrors({ ...ks, spec: noPrune }, schema)).toEqual(['spec.prune: required']);
    expect(schemaErrors({ ...ks, spec: { ...ks.spec, wait: 'yes' } }, schema)).toEqual([
      expect.stringMatching(/^spec\.wait: must be boolean/),
    ]);
    expect(schemaErrors({ ...ks, spec: { ...ks.spec, pruning: true } }, schema)).toEqual([
      'spec.pruning: unknown field (not in the CRD schema)',
    ]);

    const route = objects().find((o) => o.kind === 'HTTPRoute');
    const routeSchema = crdSchemaFor(route.apiVersion, route.kind)!;
    expect(schemaErrors({ ...route, spec: { ...route.spec, hostnames: ['oci.'] } }, routeSchema)).toEqual([
      expect.stringMatching(/^spec\.hostnames\[0\]: 'oci\.' does not match/),
    ]);
    const many = Array.from({ length: 33 }, (_, i) => ({ name: `gw${i}` }));
    expect(schemaErrors({ ...route, spec: { ...route.spec, parentRefs: many } }, routeSchema)).toContain(
      'spec.parentRefs: allows at most 32 items, has 33',
    );
  });
});

describe('both Flux generations', () => {
  const ks = () => objects().find((o) => o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1');

  test('a field only Flux 2.9 has is refused by the 2.7 CRDs, and said so when both are checked', () => {
    const k = ks();
    const obj = { ...k, spec: { ...k.spec, postBuild: { ...k.spec.postBuild, substituteStrategy: 'Always' } } };
    expect(validateAgainstCrd(obj, '2.9')).toEqual([]);
    expect(validateAgainstCrd(obj, '2.7')).toEqual([
      'Kustomization/zot spec.postBuild.substituteStrategy: unknown field (not in the CRD schema)',
    ]);
    expect(validateAgainstCrd(obj)).toEqual([
      'Kustomization/zot spec.postBuild.substituteStrategy: unknown field (not in the CRD schema) (Flux v2.7.5 CRDs)',
    ]);
  });

  test('a version Flux 2.9 no longer serves is refused by its CRDs', () => {
    const obj = { ...ks(), apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2' };
    expect(validateAgainstCrd(obj, '2.7')).toEqual([]);
    expect(validateAgainstCrd(obj, '2.9')).toEqual([
      "Kustomization/zot apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2' is not served by the Flux v2.9.4 CRDs (served: v1)",
    ]);
    expect(validateAgainstCrd(obj)).toHaveLength(1);
  });

  test('an error both sets find is said once; a kind no set has is not judged', () => {
    const k = ks();
    const both = validateAgainstCrd({ ...k, spec: { ...k.spec, interval: 'soon' } })!;
    expect(both).toEqual([expect.stringMatching(/^Kustomization\/zot spec\.interval: 'soon' does not match /)]);
    expect(both[0]).not.toMatch(/CRDs\)$/);
    expect(validateAgainstCrd({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
    expect(crdSchemaFor('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', '2.7')).not.toBe(
      crdSchemaFor('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', '2.9'),
    );
  });
});
