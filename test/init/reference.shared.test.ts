// init's files against the upstream CRDs of both Flux generations (../shared/crds) and against the
// reference repository's hand-written entry point (../shared/reference/anchor): the same objects,
// meaning the same thing.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { schemaErrors } from '../../lib/k8s/schema';
import { runInit } from '../../lib/init/init';
import { FLUX_APIS, FluxGeneration } from '../../lib/init/flux-api';
import { ANCHOR, SHARED, tempDir } from '../support/tree';

const CRDS = path.join(SHARED, 'crds');

/** Every served version of every CRD in `dir`: `group/version/Kind` → { schema, storage }. */
function crds(dir: string): Map<string, { schema: any; storage: boolean }> {
  const out = new Map<string, { schema: any; storage: boolean }>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    for (const d of yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as any[]) {
      if (d?.kind !== 'CustomResourceDefinition') continue;
      for (const v of d.spec.versions)
        if (v.served)
          out.set(`${d.spec.group}/${v.name}/${d.spec.names.kind}`, {
            schema: v.schema.openAPIV3Schema,
            storage: v.storage,
          });
    }
  }
  return out;
}

const load = (file: string) => (yaml.loadAll(fs.readFileSync(file, 'utf8')) as any[]).filter(Boolean);

test.each<[FluxGeneration, string]>([
  ['2.7', CRDS],
  ['2.9', path.join(CRDS, 'flux-v2.9.4')],
])(
  '--flux %s: every Flux object init writes is in the storage version of its CRD and passes its schema',
  (flux, dir) => {
    const schemas = crds(dir);
    const root = tempDir();
    runInit(root, { cluster: 'alpha', domain: 'alpha.example.com', flux });
    const objects = ['clusters/alpha/flux/config/cluster.yaml', 'clusters/common/flux/apps.yaml'].flatMap((f) =>
      load(path.join(root, f)),
    );
    expect(objects.map((o) => o.apiVersion)).toEqual([
      FLUX_APIS[flux].gitRepository,
      FLUX_APIS[flux].kustomization,
      FLUX_APIS[flux].kustomization,
      FLUX_APIS[flux].kustomization,
    ]);
    for (const o of objects) {
      const crd = schemas.get(`${o.apiVersion}/${o.kind}`);
      expect([o.kind, crd?.storage]).toEqual([o.kind, true]);
      expect([o.kind, o.metadata.name, schemaErrors(o, crd!.schema)]).toEqual([o.kind, o.metadata.name, []]);
    }
  },
);

describe("init's entry point means what the reference repository's does", () => {
  const root = tempDir();
  runInit(root, { cluster: 'talos-ottawa', domain: 'killinit.cc' });
  const ours = (f: string) => load(path.join(root, f));
  const theirs = (f: string) => load(path.join(ANCHOR, f));
  const byId = (objs: any[]) => new Map(objs.map((o) => [`${o.kind}/${o.metadata.name}`, o]));

  test('config/cluster.yaml: the same GitRepository and Kustomizations, paths, sources, prune, wait and SOPS decryption', () => {
    const a = byId(ours('clusters/talos-ottawa/flux/config/cluster.yaml'));
    const b = byId(theirs('clusters/talos-ottawa/flux/config/cluster.yaml'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [id, o] of a) {
      const ref = b.get(id)!;
      expect([id, o.apiVersion, o.metadata.namespace]).toEqual([id, ref.apiVersion, ref.metadata.namespace]);
      if (o.kind !== 'Kustomization') continue;
      const pick = (x: any) => ({
        interval: x.spec.interval,
        path: x.spec.path,
        prune: x.spec.prune,
        wait: x.spec.wait,
        sourceRef: x.spec.sourceRef,
        provider: x.spec.decryption.provider,
      });
      expect([id, pick(o)]).toEqual([id, pick(ref)]);
    }
  });

  test("the parent of the common apps: same name, path and source; it substitutes a subset of the reference's sources", () => {
    const [o] = ours('clusters/common/flux/apps.yaml');
    const [ref] = theirs('clusters/common/flux/apps.yaml');
    expect([o.metadata.name, o.spec.path, o.spec.sourceRef, o.spec.decryption.provider]).toEqual([
      ref.metadata.name,
      ref.spec.path,
      ref.spec.sourceRef,
      ref.spec.decryption.provider,
    ]);
    const refSources = ref.spec.postBuild.substituteFrom.map((s: any) => `${s.kind}/${s.name}`);
    for (const s of o.spec.postBuild.substituteFrom) expect(refSources).toContain(`${s.kind}/${s.name}`);
  });

  test("cluster-settings is where the reference keeps it, and the kustomizations list a subset of the reference's entries", () => {
    const [o] = ours('clusters/talos-ottawa/flux/vars/cluster-settings.yaml');
    const [ref] = theirs('clusters/talos-ottawa/flux/vars/cluster-settings.yaml');
    expect([o.kind, o.metadata, o.data.CLUSTER_DOMAIN]).toEqual([ref.kind, ref.metadata, ref.data.CLUSTER_DOMAIN]);
    for (const f of [
      'clusters/talos-ottawa/flux/kustomization.yaml',
      'clusters/talos-ottawa/flux/vars/kustomization.yaml',
      'clusters/common/flux/vars/kustomization.yaml',
    ]) {
      for (const entry of ours(f)[0].resources)
        expect([f, theirs(f)[0].resources]).toEqual([f, expect.arrayContaining([entry])]);
    }
    // The reference lists ./repositories (whose kustomization lists ./helm, not in the reference copy); init lists the helm folder itself.
    expect(ours('clusters/common/flux/kustomization.yaml')[0].resources).toEqual([
      './apps.yaml',
      './repositories/helm',
      './vars',
    ]);
    expect(theirs('clusters/common/flux/kustomization.yaml')[0].resources).toEqual([
      './apps.yaml',
      './repositories',
      './vars',
    ]);
  });
});
