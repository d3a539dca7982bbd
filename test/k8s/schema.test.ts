// Every generated object validates against its CRD's openAPIV3Schema, taken from imports/schemas
// (written by this project's `npm run import`).
import * as yaml from 'js-yaml';
import { crdSchemaFor, schemaErrors, validateAgainstCrd } from '../../lib/k8s/schema';
import { substitute, findVariables } from '../../lib/flux/envsubst';
import { sampleValue } from '../../lib/checks/hostnames';
import { seedTree } from '../support/tree';

const tree = seedTree();

function objects(): any[] {
  const all: any[] = [];
  for (const [file, text] of tree) {
    if (!file.endsWith('.yaml')) continue;
    const vars = Object.fromEntries(findVariables(text).map((v) => [v, sampleValue(v)]));
    all.push(...(yaml.loadAll(substitute(text, vars)) as any[]).filter(Boolean));
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
      expect(schemaErrors({ ...obj, spec: { ...obj.spec, notAField: 1 } }, schema)).toEqual(['spec.notAField: unknown field (not in the CRD schema)']);
      expect(validateAgainstCrd({ ...obj, spec: 'nope' })!.join('\n')).toMatch(/spec: must be object/);
    }
    expect(kinds.sort()).toEqual(['HTTPRoute', 'HelmRelease', 'HelmRepository', 'Kustomization']);
  });

  test('the schemas reject what the API server would: bad duration, missing field, wrong type, bad hostname, unknown field', () => {
    const ks = objects().find((o) => o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1');
    const schema = crdSchemaFor(ks.apiVersion, ks.kind);
    expect(schemaErrors({ ...ks, spec: { ...ks.spec, interval: '30 minutes' } }, schema)).toEqual([
      expect.stringMatching(/^spec\.interval: '30 minutes' does not match/),
    ]);
    const { prune, ...noPrune } = ks.spec;
    expect(prune).toBe(true);
    expect(schemaErrors({ ...ks, spec: noPrune }, schema)).toEqual(['spec.prune: required']);
    expect(schemaErrors({ ...ks, spec: { ...ks.spec, wait: 'yes' } }, schema)).toEqual([expect.stringMatching(/^spec\.wait: must be boolean/)]);
    expect(schemaErrors({ ...ks, spec: { ...ks.spec, pruning: true } }, schema)).toEqual(['spec.pruning: unknown field (not in the CRD schema)']);

    const route = objects().find((o) => o.kind === 'HTTPRoute');
    const routeSchema = crdSchemaFor(route.apiVersion, route.kind);
    expect(schemaErrors({ ...route, spec: { ...route.spec, hostnames: ['oci.'] } }, routeSchema)).toEqual([
      expect.stringMatching(/^spec\.hostnames\[0\]: 'oci\.' does not match/),
    ]);
    const many = Array.from({ length: 33 }, (_, i) => ({ name: `gw${i}` }));
    expect(schemaErrors({ ...route, spec: { ...route.spec, parentRefs: many } }, routeSchema)).toContain(
      'spec.parentRefs: allows at most 32 items, has 33',
    );
  });
});
