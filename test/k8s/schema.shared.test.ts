// Every object of the seed tree passes the upstream CRDs themselves, read straight from ../shared/crds
// (not from imports/, which this project generates): Flux v2.7.5 and v2.9.4, Gateway API v1.6.1.
// A cluster of either Flux generation accepts the tree.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { crdSchemaFor, schemaErrors } from '../../lib/k8s/schema';
import { asFluxApplies } from '../../lib/checks/tree';
import { SHARED, seedTree } from '../support/tree';

const CRDS = path.join(SHARED, 'crds');

function crdSchemas(dir: string): Map<string, any> {
  const out = new Map<string, any>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    for (const d of yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as any[]) {
      if (d?.kind !== 'CustomResourceDefinition') continue;
      for (const v of d.spec.versions) {
        if (v.served) out.set(`${d.spec.group}/${v.name}/${d.spec.names.kind}`, v.schema.openAPIV3Schema);
      }
    }
  }
  return out;
}

const objects = (() => {
  const all: any[] = [];
  for (const [file, text] of seedTree()) {
    if (!file.endsWith('.yaml')) continue;
    all.push(
      ...(yaml.loadAll(text) as any[])
        .filter((o) => o && o.apiVersion !== 'kustomize.config.k8s.io/v1beta1' && o.apiVersion !== 'v1')
        .map((o) => asFluxApplies(o)),
    );
  }
  return all;
})();

test.each([
  ['Flux v2.7.5 + Gateway API v1.6.1', [CRDS]],
  ['Flux v2.9.4 + Gateway API v1.6.1', [path.join(CRDS, 'flux-v2.9.4'), CRDS]],
])('every Flux and Gateway API object passes the %s CRDs', (_name, dirs) => {
  const schemas = new Map<string, any>();
  for (const d of [...dirs].reverse()) for (const [k, v] of crdSchemas(d)) schemas.set(k, v);
  const kinds: string[] = [];
  for (const obj of objects) {
    const schema = schemas.get(`${obj.apiVersion}/${obj.kind}`);
    expect([obj.kind, schema === undefined]).toEqual([obj.kind, false]);
    expect([obj.kind, schemaErrors(obj, schema)]).toEqual([obj.kind, []]);
    kinds.push(obj.kind);
  }
  expect(kinds.sort()).toEqual(['HTTPRoute', 'HelmRelease', 'HelmRepository', 'Kustomization']);
});

test.each([
  ['2.7', [CRDS]],
  ['2.9', [path.join(CRDS, 'flux-v2.9.4'), CRDS]],
] as const)(
  'imports/schemas holds the upstream schema of each kind for Flux %s (what lib/k8s/schema.ts checks against)',
  (generation, dirs) => {
    const schemas = new Map<string, any>();
    for (const d of [...dirs].reverse()) for (const [k, v] of crdSchemas(d)) schemas.set(k, v);
    for (const [apiVersion, kind] of [
      ['helm.toolkit.fluxcd.io/v2', 'HelmRelease'],
      ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization'],
      ['source.toolkit.fluxcd.io/v1', 'HelmRepository'],
      ['source.toolkit.fluxcd.io/v1', 'GitRepository'],
      ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
    ]) {
      expect([kind, crdSchemaFor(apiVersion, kind, generation)]).toEqual([kind, schemas.get(`${apiVersion}/${kind}`)]);
    }
  },
);
