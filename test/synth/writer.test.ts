// The writer: only its own files, a shared kustomization.yaml edited in place, stale files removed,
// all-or-nothing writes, the drift check.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { applyPlan, nodeFs, WriterFs } from '../../lib/synth/apply';
import { planTree } from '../../lib/synth/plan';
import { renderApp as renderFiles } from '../../lib/synth/render';
import { appWith, hashTree, readTree, synth, tempDir } from '../support/tree';

const REPOS = 'clusters/common/flux/repositories/helm/kustomization.yaml';
const HAND_WRITTEN_REPOS = `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./headlamp.yaml
  - ./cilium.yaml
  # charts for storage
  - ./spegel.yaml
`;

function put(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

describe('files the writer does not own', () => {
  test('a hand-written repositories kustomization gets only the missing entry, in place', () => {
    const root = tempDir();
    put(root, REPOS, HAND_WRITTEN_REPOS);
    expect(synth(root).code).toBe(0);
    expect(fs.readFileSync(path.join(root, REPOS), 'utf8')).toBe(
      HAND_WRITTEN_REPOS.replace('  - ./spegel.yaml\n', '  - ./spegel.yaml\n  - ./zot.yaml\n'),
    );
    const again = synth(root);
    expect(again.stdout).toContain(`unchanged ${REPOS}`);
  });

  test('an entry already listed (with or without ./) leaves the file byte-identical', () => {
    const root = tempDir();
    const listed = HAND_WRITTEN_REPOS + '  - zot.yaml\n';
    put(root, REPOS, listed);
    expect(synth(root).code).toBe(0);
    expect(fs.readFileSync(path.join(root, REPOS), 'utf8')).toBe(listed);
  });

  test('a repositories kustomization whose resources cannot be edited safely stops synth, naming it', () => {
    const root = tempDir();
    put(root, REPOS, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [./cilium.yaml]\n');
    const before = hashTree(root);
    const r = synth(root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${REPOS}: has no block 'resources:' list to add ./zot.yaml to`);
    expect(hashTree(root)).toBe(before);
  });

  test('a hand-written file where synth wants to write stops synth, naming it, and nothing is written', () => {
    const root = tempDir();
    put(root, 'clusters/common/apps/zot/ks.yaml', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n');
    const before = hashTree(root);
    const r = synth(root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'clusters/common/apps/zot/ks.yaml: exists and is not a file synth owns (not listed in .zot-flux/owned-files.json)',
    );
    expect(hashTree(root)).toBe(before);
  });

  test('other files under clusters/ stay byte-identical', () => {
    const root = tempDir();
    put(root, 'clusters/talos-ottawa/flux/vars/cluster-settings.yaml', 'data:\n  CLUSTER_DOMAIN: killinit.cc\n');
    put(root, 'clusters/common/apps/other/ks.yaml', '# hand-written\nkind: Kustomization\n');
    synth(root);
    const tree = readTree(root);
    expect(tree.get('clusters/talos-ottawa/flux/vars/cluster-settings.yaml')).toBe(
      'data:\n  CLUSTER_DOMAIN: killinit.cc\n',
    );
    expect(tree.get('clusters/common/apps/other/ks.yaml')).toBe('# hand-written\nkind: Kustomization\n');
  });
});

describe('ownership over time', () => {
  test('renaming the app removes the old generated files and their folders, and reports them', () => {
    const root = tempDir();
    synth(root);
    put(root, 'clusters/common/apps/zot/NOTES.md', 'kept: hand-written\n');
    const r = synth(root, () => appWith({ name: 'registry' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed   clusters/common/apps/zot/ks.yaml');
    expect(r.stdout).toContain('removed   clusters/common/apps/zot/app/helmrelease.yaml');
    const files = [...readTree(root).keys()];
    expect(files.filter((f) => f.startsWith('clusters/common/apps/zot/'))).toEqual([
      'clusters/common/apps/zot/NOTES.md',
    ]);
    expect(fs.existsSync(path.join(root, 'clusters/common/apps/zot/app'))).toBe(false);
    expect(files).toContain('clusters/common/apps/registry/ks.yaml');
  });

  test('renaming the HelmRepository takes its stale entry out of a hand-written kustomization, and nothing else', () => {
    const root = tempDir();
    put(root, REPOS, HAND_WRITTEN_REPOS);
    synth(root);
    expect(fs.readFileSync(path.join(root, REPOS), 'utf8')).toContain('  - ./zot.yaml\n');
    const r = synth(root, () => appWith({ helmRepository: { name: 'zot-charts' } }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed   clusters/common/flux/repositories/helm/zot.yaml');
    expect(fs.readFileSync(path.join(root, REPOS), 'utf8')).toBe(
      HAND_WRITTEN_REPOS.replace('  - ./spegel.yaml\n', '  - ./spegel.yaml\n  - ./zot-charts.yaml\n'),
    );
  });

  test('a generated repositories kustomization says how to share it, and follows a rename', () => {
    const root = tempDir();
    synth(root);
    const text = fs.readFileSync(path.join(root, REPOS), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '# Generated by zot-flux (npm run synth). To list other files here too, delete this line: synth then only adds and removes its own entries.',
    );
    synth(root, () => appWith({ helmRepository: { name: 'zot-charts' } }));
    expect(yaml.load(fs.readFileSync(path.join(root, REPOS), 'utf8'))).toMatchObject({
      resources: ['./zot-charts.yaml'],
    });
  });

  test('synth prints what it wrote, left unchanged and removed', () => {
    const root = tempDir();
    expect(synth(root).stdout).toMatch(/^wrote {5}clusters\/common\/apps\/zot\/ks\.yaml$/m);
    const second = synth(root);
    expect(second.stdout).toMatch(/^unchanged clusters\/common\/apps\/zot\/ks\.yaml$/m);
    expect(second.stdout).toContain('synth: 0 written, 11 unchanged, 0 removed');
  });
});

describe('all-or-nothing', () => {
  function failingFs(failOn: keyof WriterFs, after: number): WriterFs {
    let calls = 0;
    return {
      ...nodeFs,
      [failOn]: (...args: any[]) => {
        if (++calls === after + 1)
          throw Object.assign(new Error(`injected ${String(failOn)} failure`), { code: 'EIO' });
        return (nodeFs[failOn] as any)(...args);
      },
    };
  }

  test.each<[keyof WriterFs, number]>([
    ['writeFileSync', 0],
    ['writeFileSync', 4],
    ['renameSync', 0],
    ['renameSync', 5],
    ['mkdirSync', 0],
  ])('one I/O failure (%s, call %i+1) leaves the tree byte-identical', (op, after) => {
    const root = tempDir();
    synth(root);
    put(
      root,
      'clusters/common/apps/zot/ks.yaml',
      fs.readFileSync(path.join(root, 'clusters/common/apps/zot/ks.yaml'), 'utf8') + '# drift\n',
    );
    fs.rmSync(path.join(root, 'clusters/common/apps/zot/app'), { recursive: true });
    const before = hashTree(root);
    const plan = planTree(root, renderFiles(appWith({ release: { storageSize: '30Gi' } })));
    expect(() => applyPlan(plan, failingFs(op, after))).toThrow(
      /could not be written: an input\/output error from the disk \(EIO\): check the disk \(dmesg\), then run synth again\. Synth changed nothing/,
    );
    expect(hashTree(root)).toBe(before);
  });
});

describe('drift check', () => {
  test('a clean tree passes; a hand edit fails with its name and a diff, and nothing is written', () => {
    const root = tempDir();
    synth(root);
    expect(synth(root, undefined, ['--check'])).toMatchObject({ code: 0 });
    const file = path.join(root, 'clusters/common/apps/zot/app/httproute.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('name: ts', 'name: tailscale'));
    const before = hashTree(root);
    const r = synth(root, undefined, ['--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('differs: clusters/common/apps/zot/app/httproute.yaml');
    expect(r.stdout).toContain('-      name: tailscale\n+      name: ts\n');
    expect(hashTree(root)).toBe(before);
  });

  test('a missing file and a stale generated file (listed in the record) are both drift', () => {
    const root = tempDir();
    synth(root, () => appWith({ name: 'old' }));
    synth(root, () => appWith(), []);
    synth(root, () => appWith({ name: 'old' }));
    // The record now lists old/ only; check the default app against it.
    put(root, 'clusters/common/apps/zot/ks.yaml', '# hand-written\n');
    fs.rmSync(path.join(root, 'clusters/common/apps/zot/ks.yaml'));
    const r = synth(root, undefined, ['--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('differs: clusters/common/apps/zot/namespace.yaml');
    expect(r.stderr).toContain('would remove: clusters/common/apps/old/ks.yaml');
  });

  test('files the record does not list are never removed, whatever their first line says', () => {
    const root = tempDir();
    synth(root);
    const generated = fs.readFileSync(path.join(root, 'clusters/common/apps/zot/ks.yaml'), 'utf8');
    put(root, 'clusters/common/apps/other/ks.yaml', generated); // a generated file copied as a template
    put(root, 'clusters/common/apps/zot/NOTES.md', '# Generated by zot-flux? No: these notes are mine\n');
    const before = readTree(root);
    expect(synth(root, undefined, ['--check']).code).toBe(0);
    const r = synth(root, () => appWith({ name: 'registry' }));
    expect(r.code).toBe(0);
    const after = readTree(root);
    expect(after.get('clusters/common/apps/other/ks.yaml')).toBe(before.get('clusters/common/apps/other/ks.yaml'));
    expect(after.get('clusters/common/apps/zot/NOTES.md')).toBe(before.get('clusters/common/apps/zot/NOTES.md'));
    expect(after.has('clusters/common/apps/zot/ks.yaml')).toBe(false);
  });

  test('usage errors exit 2; --help documents the options', () => {
    const root = tempDir();
    expect(synth(root, undefined, ['--frobnicate']).code).toBe(2);
    const help = synth(root, undefined, ['--help']);
    expect(help.code).toBe(0);
    for (const opt of ['--check', '--out DIR', 'Exit codes: 0 ok, 1 refused', '2 usage error, 3 a bug'])
      expect(help.stdout).toContain(opt);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
