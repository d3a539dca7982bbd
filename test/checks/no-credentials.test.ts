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

test('no generated file, for one user or three, holds a hash or an htpasswd line', () => {
  for (const props of [{}, {
    release: {
      users: [
        { name: 'admin', variable: 'COMMON_OCI', actions: ['read' as const] , admin: true },
        { name: 'puller', variable: 'ZOT_PULL', actions: ['read' as const] },
        { name: 'ci', variable: 'ZOT_CI', actions: ['read' as const, 'create' as const] },
      ],
    },
  }]) {
    const root = tempDir();
    expect(synth(root, () => appWith(props)).code).toBe(0);
    const tree = readTree(root);
    expect(tree.size).toBeGreaterThan(0);
    for (const [file, text] of tree) expect([file, findCredential(text)]).toEqual([file, undefined]);
  }
});

test('nor does any file of the project that Git would commit (clusters/, lib/, test fixtures, docs)', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', '.git', 'dist', 'coverage', '.bench'].includes(e.name)) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ya?ml|md|json|env|txt)$/.test(e.name) && !e.name.endsWith('.snap')) {
        const found = findCredential(fs.readFileSync(full, 'utf8'));
        if (found) offenders.push(`${path.relative(PROJECT_ROOT, full)}: ${found}`);
      }
    }
  };
  walk(PROJECT_ROOT);
  expect(offenders).toEqual([]);
});
