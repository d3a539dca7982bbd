// No password, plaintext or hashed htpasswd line ever lands in generated output or in Git.
import * as fs from 'fs';
import * as path from 'path';
import { makeHtpasswdLine } from '../../lib/zot/htpasswd';
import { findCredential } from '../../lib/checks/credentials';
import { appWith, PROJECT_ROOT, readTree, synth, tempDir } from '../support/tree';

test('the scan finds a bcrypt hash, an htpasswd line and an apr1 line (it can fail)', () => {
  const line = makeHtpasswdLine('admin', 'pw', 4);
  expect(findCredential(`htpasswd: ${line}`)).toMatch(/bcrypt hash|htpasswd line/);
  expect(findCredential(`x: ${line.slice(6)}`)).toMatch(/bcrypt hash/);
  expect(findCredential('u:$apr1$xyz$abc')).toMatch(/htpasswd line/);
  expect(findCredential('ci:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=')).toMatch(/htpasswd line/);
  expect(findCredential('htpasswd: ${COMMON_OCI}\nactions: [read]')).toBeUndefined();
});

// Written here, independently of lib/checks/credentials.ts: a scan that agrees with the code only
// because it is the code would prove nothing.
const HASHES = [
  /\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}/, // bcrypt
  /\$apr1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}/, // Apache MD5
  /\$[156]\$(rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}/, // md5-crypt, sha-crypt
  /\{SHA\}[A-Za-z0-9+/]{27}=/, // Apache SHA-1
];
const hashIn = (text: string) => HASHES.map((re) => re.exec(text)?.[0]).find(Boolean);

test('the independent scan can fail: it finds hashes htpasswd and bcryptjs make', () => {
  expect(hashIn(makeHtpasswdLine('admin', 'pw', 4))).toBeDefined();
  expect(hashIn('x:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/')).toBeDefined();
  expect(hashIn('x:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=')).toBeDefined();
  expect(hashIn('htpasswd: ${COMMON_OCI}')).toBeUndefined();
});

test('no generated file, for one user or three, holds a hash, a password or an htpasswd line', () => {
  const passwords = ['hunter2-admin', 'hunter2-puller', 'hunter2-ci'];
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
    expect([...tree.keys()].filter((f) => f.endsWith('helmrelease.yaml'))).toHaveLength(1);
    for (const [file, text] of tree) {
      expect([file, hashIn(text)]).toEqual([file, undefined]);
      for (const pw of passwords) expect(text).not.toContain(pw);
      // htpasswd content is only ever `${VAR}` lines.
      const secret = /htpasswd: (.*)/.exec(text)?.[1];
      if (secret !== undefined) expect(secret).toMatch(/^("|')?(\$\{[A-Z_][A-Z0-9_]*\}(\\n)?)+("|')?$|^\|/);
    }
  }
});

test('nor does any file of the project that Git would commit: clusters/, lib/ and scripts/ sources, main.ts, fixtures, docs', () => {
  const offenders: string[] = [];
  let scanned = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', '.git', 'dist', 'coverage', '.bench'].includes(e.name)) continue;
      const full = path.join(dir, e.name);
      const rel = path.relative(PROJECT_ROOT, full);
      if (e.isDirectory()) {
        walk(full);
        continue;
      }
      // Test sources hold fake hashes on purpose (to prove the scans can fail); everything else is scanned.
      const testSource = rel.startsWith('test' + path.sep) && rel.endsWith('.ts');
      if (testSource || !/\.(ya?ml|md|json|jsonl|env|txt|ts|js|sh)$/.test(e.name) || e.name.endsWith('.snap')) continue;
      scanned++;
      const found = hashIn(fs.readFileSync(full, 'utf8'));
      if (found) offenders.push(`${rel}: ${found.slice(0, 8)}...`);
    }
  };
  walk(PROJECT_ROOT);
  expect(scanned).toBeGreaterThan(50);
  expect(offenders).toEqual([]);
});
