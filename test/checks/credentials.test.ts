// The credential scanner: one test per kind, with fake values built here at run time (nothing real-looking is
// committed), refusals that name the kind and where without any part of the value, and no false positives on what
// the project writes.
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CredentialKind, describeFinding, findCredential, findCredentials } from '../../lib/checks/credentials';
import { bcryptHash, shaCryptDigest } from '../../lib/zot/htpasswd';
import { appWith, PROJECT_ROOT, readTree, synth, tempDir } from '../support/tree';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CRYPT = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** `n` random characters from `alphabet`. */
const rand = (n: number, alphabet = ALNUM) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** Every printable ASCII character, the space included. */
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** Every fake credential, the text it sits in, and the kind the scanner must report. */
function cases(): Array<{ name: string; kind: CredentialKind; secret: string; text: string }> {
  const pw = `pw-${rand(10)}`;
  const bcrypt = bcryptHash(pw, 4);
  const sha256 = `$5$${rand(8)}$${shaCryptDigest('$5$', Buffer.from(pw), Buffer.from('saltsalt'), 5000)}`;
  const sha512 = `$6$rounds=1000$${rand(8)}$${shaCryptDigest('$6$', Buffer.from(pw), Buffer.from('saltsalt'), 1000)}`;
  const apr1 = `$apr1$${rand(8, CRYPT)}$${rand(22, CRYPT)}`;
  const md5 = `$1$${rand(8, CRYPT)}$${rand(22, CRYPT)}`;
  const ssha = `{SHA}${createHash('sha1').update(pw).digest('base64')}`;
  const jwt = [
    b64url('{"alg":"HS256","typ":"JWT"}'),
    b64url(`{"sub":"${rand(8)}","iat":1700000000}`),
    b64url(rand(32)),
  ].join('.');
  const user = `u${rand(5)}`;
  const awsSecret = `${rand(18)}/${rand(10)}+${rand(10)}`;
  const basic = b64(`${user}:${pw}`);
  const dockerConfig = b64(JSON.stringify({ auths: { 'oci.example.test': { auth: basic } } }));
  const pem =
    ['-----BEGIN', 'PRIVATE KEY-----'].join(' ') +
    `\n${b64(randomBytes(48))}\n` +
    ['-----END', 'PRIVATE KEY-----'].join(' ');
  const rsa = ['-----BEGIN RSA', 'PRIVATE KEY-----'].join(' ') + `\n${b64(randomBytes(48))}\n`;
  const openssh = ['-----BEGIN OPENSSH', 'PRIVATE KEY-----'].join(' ') + `\n${b64(randomBytes(48))}\n`;
  const helmRelease = (secretFile: string) =>
    [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata:',
      '  name: zot',
      'spec:',
      '  chart:',
      '    spec:',
      '      chart: zot',
      '  values:',
      '    secretFiles:',
      '      htpasswd: |',
      ...secretFile.split('\n').map((l) => `        ${l}`),
    ].join('\n') + '\n';
  return [
    { name: 'bcrypt hash', kind: 'bcrypt-hash', secret: bcrypt, text: `hash: ${bcrypt}\n` },
    {
      name: 'bcrypt $2x$ hash',
      kind: 'bcrypt-hash',
      secret: bcrypt,
      text: `hash: ${bcrypt.replace('$2y$', '$2x$')}\n`,
    },
    { name: 'apr1 hash', kind: 'apr1-hash', secret: apr1, text: `x: "${apr1}"` },
    { name: 'md5-crypt hash', kind: 'md5-crypt-hash', secret: md5, text: `x: ${md5}` },
    { name: 'sha-crypt $5$ hash', kind: 'sha-crypt-hash', secret: sha256, text: `x: ${sha256}` },
    { name: 'sha-crypt $6$ hash with rounds', kind: 'sha-crypt-hash', secret: sha512, text: `x: '${sha512}'` },
    { name: '{SHA} hash', kind: 'sha1-hash', secret: ssha, text: `x: ${ssha}` },
    { name: 'htpasswd line (bcrypt)', kind: 'htpasswd-line', secret: bcrypt, text: `htpasswd: ${user}:${bcrypt}\n` },
    { name: 'htpasswd line (sha-crypt)', kind: 'htpasswd-line', secret: sha512, text: `line: "${user}:${sha512}"` },
    { name: 'htpasswd line ({SHA})', kind: 'htpasswd-line', secret: ssha, text: `${user}:${ssha}\n` },
    {
      name: 'htpasswd line with a partial hash',
      kind: 'htpasswd-line',
      secret: '',
      text: `${user}:$apr1$${rand(3)}$${rand(3)}\n`,
    },
    {
      name: 'Authorization: Basic header',
      kind: 'basic-auth',
      secret: basic,
      text: `headers:\n  Authorization: Basic ${basic}\n`,
    },
    {
      name: 'JSON authorization Bearer',
      kind: 'basic-auth',
      secret: pw,
      text: `{"authorization": "Bearer ${pw}${rand(12)}"}`,
    },
    {
      name: 'authHeader (base64 user:password)',
      kind: 'base64-user-password',
      secret: basic,
      text: `sync:\n  authHeader: ${basic}\n`,
    },
    {
      name: 'docker config auth inside base64 JSON',
      kind: 'base64-user-password',
      secret: dockerConfig,
      text: `data:\n  .dockerconfigjson: ${dockerConfig}\n`,
    },
    {
      name: 'URL userinfo',
      kind: 'url-userinfo',
      secret: pw,
      text: `url: https://${user}:${pw}@charts.example.test/zot\n`,
    },
    {
      name: 'oci URL userinfo',
      kind: 'url-userinfo',
      secret: pw,
      text: `url: oci://${user}:${pw}@ghcr.io/org/charts\n`,
    },
    { name: 'PEM private key', kind: 'private-key', secret: pem, text: `key: |\n  ${pem.split('\n').join('\n  ')}\n` },
    { name: 'PEM RSA private key', kind: 'private-key', secret: rsa, text: rsa },
    {
      name: 'OpenSSH private key in JSON',
      kind: 'private-key',
      secret: openssh,
      text: JSON.stringify({ key: openssh }),
    },
    { name: 'GitHub classic token', kind: 'github-token', secret: `ghp_${'x'}`, text: `token: ${'gh'}p_${rand(36)}` },
    {
      name: 'GitHub fine-grained token',
      kind: 'github-token',
      secret: 'github_pat_',
      text: `t=${'github'}_pat_${rand(22)}_${rand(59)}`,
    },
    { name: 'GitLab token', kind: 'gitlab-token', secret: 'glpat-', text: `x: ${'gl'}pat-${rand(20)}` },
    {
      name: 'Slack token',
      kind: 'slack-token',
      secret: 'xoxb-',
      text: `x: ${'xo'}xb-${rand(12, '0123456789')}-${rand(24)}`,
    },
    {
      name: 'AWS access key id',
      kind: 'aws-access-key',
      secret: 'AKIA',
      text: `x: ${'AK'}IA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    },
    { name: 'AWS secret access key', kind: 'aws-secret-key', secret: '', text: `aws_secret_access_key = ${rand(40)}` },
    { name: 'Google API key', kind: 'google-api-key', secret: 'AIza', text: `key: ${'AI'}za${rand(35)}` },
    { name: 'JWT', kind: 'jwt', secret: jwt, text: `token: ${jwt}` },
    {
      name: 'npm token',
      kind: 'npm-token',
      secret: 'npm_',
      text: `//registry.npmjs.org/:_authToken=${'np'}m_${rand(36)}`,
    },
    { name: 'Docker Hub token', kind: 'docker-hub-token', secret: 'dckr_pat_', text: `x: ${'dckr'}_pat_${rand(27)}` },
    { name: 'Stripe live key', kind: 'stripe-key', secret: 'sk_live_', text: `x: ${'sk'}_live_${rand(24)}` },
    { name: 'SendGrid key', kind: 'sendgrid-key', secret: 'SG.', text: `x: ${'S'}G.${rand(22)}.${rand(43)}` },
    {
      name: 'age secret key',
      kind: 'age-secret-key',
      secret: 'AGE-SECRET-KEY-1',
      text: `# key\n${'AGE-SECRET'}-KEY-1${rand(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}\n`,
    },
    {
      name: 'plaintext user:password in a chart secretFiles entry',
      kind: 'plaintext-user-password',
      secret: pw,
      text: helmRelease(`\${COMMON_OCI}\n${user}:${pw}`),
    },
    {
      name: 'plaintext user:password in a Secret stringData',
      kind: 'plaintext-user-password',
      secret: pw,
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  htpasswd: "${user}:${pw}"\n`,
    },
    {
      name: 'plaintext user:password in a Secret data (base64)',
      kind: 'plaintext-user-password',
      secret: pw,
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  creds: ${b64(`# users\n${user}:${pw} `)}\n`,
    },
    // Found by a hostile review (issue 19): a password with a space, URL-encoding, AWS keys outside aws_secret_access_key.
    {
      name: 'base64 user:password whose password has spaces',
      kind: 'base64-user-password',
      secret: b64(`${user}:${pw} and more`),
      text: `sync:\n  authHeader: ${b64(`${user}:${pw} and more`)}\n`,
    },
    {
      name: 'base64 user:password whose password has every printable ASCII',
      kind: 'base64-user-password',
      secret: pw,
      text: `h: ${b64(`${user}:${pw}${PRINTABLE}`)}\n`,
    },
    {
      name: 'URL-encoded htpasswd line',
      kind: 'htpasswd-line',
      secret: bcrypt,
      text: `q: htpasswd=${encodeURIComponent(`${user}:${bcrypt}`)}\n`,
    },
    {
      name: 'URL-encoded bcrypt hash, twice',
      kind: 'bcrypt-hash',
      secret: bcrypt,
      text: `q: ${encodeURIComponent(encodeURIComponent(bcrypt))}\n`,
    },
    {
      name: 'URL-encoded base64 user:password',
      kind: 'base64-user-password',
      secret: basic,
      text: `url: https://h.example.test/?auth=${encodeURIComponent(basic)}\n`,
    },
    {
      name: 'URL-encoded Authorization header',
      kind: 'basic-auth',
      secret: basic,
      text: `x: ${encodeURIComponent(`Authorization: Basic ${basic}`)}\n`,
    },
    {
      name: 'AWS secret key in a container env entry',
      kind: 'aws-secret-key',
      secret: awsSecret,
      text: `env:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: ${awsSecret}\n`,
    },
    {
      name: 'AWS secret key in an env entry named *SECRET*',
      kind: 'aws-secret-key',
      secret: awsSecret,
      text: `env:\n  - name: S3_SECRET\n    value: "${awsSecret}"\n`,
    },
    {
      name: 'AWS secret key after a name like *SECRET* (dotenv)',
      kind: 'aws-secret-key',
      secret: awsSecret,
      text: `MINIO_SECRET_KEY=${awsSecret}\n`,
    },
    {
      name: 'AWS secret key next to its key id',
      kind: 'aws-secret-key',
      secret: awsSecret,
      text: `id: ${'AK'}IA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}\nkey: ${awsSecret}\n`,
    },
    {
      name: 'a literal in an env entry named like a password',
      kind: 'secret-key-literal',
      secret: pw,
      text: `env:\n  - name: LDAP_BIND_PASSWORD\n    value: ${pw}\n`,
    },
    {
      name: "a literal under a key zot treats as secret (config.json's password)",
      kind: 'secret-key-literal',
      secret: pw,
      text: `kind: HelmRelease\nmetadata:\n  name: zot\nspec:\n  values:\n    configFiles:\n      config.json: |\n        {"http": {"auth": {"ldap": {"password": "${pw}"}}}}\n`,
    },
  ];
}

describe('one finding per kind, described without any part of the value', () => {
  test.each(cases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const found = findCredentials(c.text);
    expect(found.map((f) => f.kind)).toContain(c.kind);
    const message = findCredential(c.text)!;
    expect(message).toBeDefined();
    expect(message).toMatch(/ at .*line \d+/);
    // No window of the value's random part appears in the message.
    const value = c.text.replace(/^[\s\S]*?(?=[A-Za-z0-9$/{-]{12,})/, '');
    for (let i = 0; i + 6 <= Math.min(value.length, 200); i++) {
      const w = value.slice(i, i + 6);
      if (/[0-9]/.test(w) && /[A-Za-z]/.test(w) && !/[${}]/.test(w))
        expect([c.name, message]).not.toContainEqual(expect.stringContaining(w));
    }
    if (c.secret.length >= 6) expect(message).not.toContain(c.secret.slice(-6));
  });

  test('the old message echoed 12 characters of a hash; no kind does any more', () => {
    const line = `admin:${bcryptHash('pw', 4)}`;
    const message = findCredential(`htpasswd: ${line}`)!;
    expect(message).toBe('a bcrypt hash in an htpasswd line at line 1');
    expect(message).not.toContain('$2y$');
    const sha = `$6$${rand(8)}$${shaCryptDigest('$6$', Buffer.from('pw'), Buffer.from('s'), 5000)}`;
    expect(findCredential(`ci:${sha}`)).toBe('a SHA-crypt ($5$/$6$) hash in an htpasswd line at line 1');
    expect(findCredential(`ci:$apr1$${rand(3)}`)).toBe('an htpasswd line at line 1');
  });

  test('a finding in a YAML document names the object and the field', () => {
    const c = cases().find((x) => x.kind === 'plaintext-user-password')!;
    expect(findCredential(c.text)).toBe(
      'a plaintext user:password in secret content at HelmRelease/zot spec.values.secretFiles.htpasswd (line 2 of the value), line 13',
    );
    const s = cases().find((x) => x.name.includes('Secret stringData'))!;
    expect(findCredential(s.text)).toContain('Secret/s stringData.htpasswd');
  });

  test('several credentials in one text are all found, in line order', () => {
    const text = cases()
      .slice(0, 6)
      .map((c) => c.text.trim())
      .join('\n');
    const found = findCredentials(text);
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(found.map((f) => f.line)).toEqual([...found.map((f) => f.line)].sort((a, b) => a - b));
    expect(findCredential(text)).toMatch(/\(and \d+ more\)$/);
  });
});

describe('no false positives on what the project legitimately writes', () => {
  test.each<[string, string]>([
    ['${VAR} lines in secretFiles', 'secretFiles:\n  htpasswd: |\n    ${COMMON_OCI}\n    ${ZOT_PULL}\n'],
    ['a user literal before a variable password', 'htpasswd: admin:${ADMIN_PASSWORD}'],
    ['a URL whose password is a Flux variable', 'url: https://user:${HELM_PASSWORD}@charts.example.test'],
    ['an Authorization header from a variable', 'Authorization: Basic ${BASIC_AUTH}'],
    [
      'a URL with a port, a path and an @ later',
      'url: https://host.example.test:5000/v2/repo@sha256:' + 'ab'.repeat(32),
    ],
    ['sha256 digests', `image: ghcr.io/project-zot/zot@sha256:${createHash('sha256').update('x').digest('hex')}`],
    [
      'checksum annotations',
      `checksum/config: ${createHash('sha256').update('y').digest('hex')}\nchecksum/secret: ${createHash('sha256').update('z').digest('hex')}`,
    ],
    [
      'base64 of non-credentials',
      `a: ${b64('hello world, nothing secret here')}\nb: ${b64('{"storage":{"rootDirectory":"/var/lib/registry"}}')}\nc: ${b64(randomBytes(40))}`,
    ],
    ['base64 of a digest', `d: ${b64('sha256:' + 'ab'.repeat(16))}`],
    [
      'paths and image references',
      'path: ./clusters/common/apps/zot/app\nimage: ghcr.io/project-zot/zot-linux-amd64:v2.1.14\nsourceRef: flux-system/kubernetes-manifests',
    ],
    ['ssh git URLs', 'url: ssh://git@github.com/org/repo.git\nother: git@github.com:org/repo.git'],
    [
      'SOPS encrypted values',
      'stringData:\n  COMMON_OCI: ENC[AES256_GCM,data:' +
        b64(randomBytes(60)) +
        ',iv:' +
        b64(randomBytes(32)) +
        ',tag:' +
        b64(randomBytes(16)) +
        ',type:str]',
    ],
    [
      'secret names under secret-like keys',
      'spec:\n  secretRef:\n    name: zot-secret\n  valuesFrom:\n    - kind: Secret\n      name: zot-values',
    ],
    ['a secret key holding only a variable', '{"http": {"auth": {"ldap": {"password": "${LDAP_PASSWORD}"}}}}'],
    [
      'render placeholders in secretFiles',
      'kind: HelmRelease\nmetadata:\n  name: zot\nspec:\n  values:\n    secretFiles:\n      htpasswd: <secret:COMMON_OCI>\n',
    ],
    ['age public keys', 'creation_rules:\n  - age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'],
    ['base64 of a one-line YAML mapping (a space after the colon)', `config: ${b64('level: debug and more')}`],
    ['URL-encoded text that is no credential', 'url: https://h.example.test/search?q=a%20b%3Dc&path=%2Fv2%2Frepo'],
    ['a 40-character run without an access key id near it', `name: ${'Abc1'.repeat(10)}`],
    [
      'an env entry named like a secret that takes its value from a variable or a Secret',
      'env:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: ${S3_SECRET}\n  - name: TOKEN\n    valueFrom:\n      secretKeyRef: {name: s, key: token}\n',
    ],
    [
      'an env entry with a literal whose name says nothing secret',
      'env:\n  - name: ZOT_LOG_LEVEL\n    value: debug-and-more-and-more\n',
    ],
  ])('%s', (_name, text) => {
    expect(findCredentials(text)).toEqual([]);
  });

  test('a 40-character hex digest or path next to an access key id is not its secret key', () => {
    const text = `id: ${'AK'}IA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}\nsha1: ${createHash('sha1').update('x').digest('hex')}\npath: ${'abcd/efgh/'.repeat(4)}`;
    expect(findCredentials(text).map((f) => f.kind)).toEqual(['aws-access-key']);
  });

  test('synth output (the seed, and three users with valuesOverrides and annotations) has no finding', () => {
    for (const props of [
      {},
      {
        release: {
          users: [
            {
              name: 'admin',
              variable: 'COMMON_OCI',
              actions: ['read' as const, 'create' as const, 'update' as const, 'delete' as const],
              admin: true,
            },
            { name: 'puller', variable: 'ZOT_PULL', actions: ['read' as const] },
            { name: 'ci', variable: 'ZOT_CI', actions: ['read' as const, 'create' as const] },
          ],
        },
      },
    ]) {
      const root = tempDir();
      expect(synth(root, () => appWith(props)).code).toBe(0);
      const tree = readTree(root);
      expect(tree.size).toBeGreaterThan(5);
      for (const [file, text] of tree) expect([file, findCredentials(text).map(describeFinding)]).toEqual([file, []]);
    }
  });

  test('the fixture fleet (SOPS file and Flux components included) has no finding', () => {
    const dir = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
    let scanned = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else {
          scanned++;
          expect([full, findCredentials(fs.readFileSync(full, 'utf8')).map(describeFinding)]).toEqual([full, []]);
        }
      }
    };
    walk(dir);
    expect(scanned).toBeGreaterThan(20);
  });
});

describe('refused through synth, naming the field and the kind', () => {
  test('a HelmRepository URL with user:password@ is refused, without the password', () => {
    const pw = `pw-${rand(12)}`;
    const root = tempDir();
    const r = synth(root, () => appWith({ helmRepository: { url: `https://reader:${pw}@charts.example.test/zot` } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('helmRepository.url');
    expect(r.stderr).toContain('a password in the userinfo of a URL');
    expect(r.stderr).not.toContain(pw);
    expect(r.stderr).not.toContain(pw.slice(3, 9));
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('an authHeader in valuesOverrides is refused, without the value', () => {
    const pw = `pw-${rand(12)}`;
    const header = b64(`sync-user:${pw}`);
    const root = tempDir();
    const r = synth(root, () => appWith({ release: { valuesOverrides: { sync: { authHeader: header } } } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('release.valuesOverrides.sync.authHeader');
    expect(r.stderr).toContain('base64 of user:password');
    expect(r.stderr).not.toContain(header.slice(4, 12));
  });

  test('a plaintext secretFiles entry is refused by the tree check, naming the file, the object and the field', () => {
    const pw = `pw-${rand(12)}`;
    const root = tempDir();
    const r = synth(root, () =>
      appWith({
        release: { unsafeValues: ['secretFiles'], valuesOverrides: { secretFiles: { extra: `reader:${pw}` } } },
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('helmrelease.yaml');
    expect(r.stderr).toContain(
      'plaintext user:password in secret content at HelmRelease/zot spec.values.secretFiles.extra',
    );
    expect(r.stderr).not.toContain(pw.slice(3, 9));
  });
});
