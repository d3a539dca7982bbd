// htpasswd lines made with bcryptjs, and the `npm run htpasswd` command.
import * as bcrypt from 'bcryptjs';
import * as fs from 'fs';
import * as path from 'path';
import {
  hashKind, htpasswdLineProblem, makeHtpasswdLine, parseHtpasswd, verifyHtpasswd,
} from '../../lib/zot/htpasswd';
import { runCli } from '../support/cli';
import { tempDir } from '../support/tree';

const LINE = /^([^:]+):\$2y\$(\d\d)\$[./A-Za-z0-9]{53}$/;

describe('makeHtpasswdLine', () => {
  test('writes user:$2y$NN$<53 chars> that bcrypt verifies, at the requested cost', () => {
    const line = makeHtpasswdLine('admin', 'correct horse', 5);
    const m = LINE.exec(line)!;
    expect(m[1]).toBe('admin');
    expect(m[2]).toBe('05');
    expect(bcrypt.compareSync('correct horse', line.slice('admin:'.length))).toBe(true);
    expect(bcrypt.compareSync('wrong horse', line.slice('admin:'.length))).toBe(false);
  });

  test('two lines for the same password differ (fresh salt each time)', () => {
    expect(makeHtpasswdLine('a', 'pw', 4)).not.toBe(makeHtpasswdLine('a', 'pw', 4));
  });

  test.each([
    ['', 'pw', 'the user name is empty'],
    ['a:b', 'pw', "the user name 'a:b' contains ':'"],
    ['a b', 'pw', "the user name 'a b' contains whitespace"],
    ['a\tb', 'pw', 'contains whitespace'],
    ['a\u0007b', 'pw', 'contains control characters'],
    ['admin', '', 'the password is empty'],
    ['admin', 'a\nb', 'the password contains a line break'],
    ['admin', 'x'.repeat(73), 'longer than 72 bytes'],
  ])('refuses user %j / password %j', (user, password, message) => {
    expect(() => makeHtpasswdLine(user, password, 4)).toThrow(message);
  });

  test.each([3, 18, 4.5])('refuses cost %p', (cost) => {
    expect(() => makeHtpasswdLine('admin', 'pw', cost)).toThrow(`--cost: '${cost}' is not an integer from 4 to 17`);
  });
});

describe('reading htpasswd lines the way zot does', () => {
  test.each([
    ['$2y$05$' + 'a'.repeat(53), 'bcrypt'],
    ['$2a$10$' + 'a'.repeat(53), 'bcrypt'],
    ['$2b$12$' + 'a'.repeat(53), 'bcrypt'],
    ['$apr1$abc$def', 'apr1'],
    ['{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'sha1'],
    ['$1$abc$def', 'md5-crypt'],
    ['$6$salt$hash', 'sha-crypt'],
    ['hunter2', 'plaintext-or-unknown'],
  ])('%s is %s', (hash, kind) => {
    expect(hashKind(hash)).toBe(kind);
  });

  test.each([
    ['admin:$apr1$abc$def', 'Apache MD5 ($apr1$) hash, which zot refuses'],
    ['admin:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', '{SHA} hash, which zot refuses'],
    ['admin:hunter2', 'not a bcrypt hash (plaintext or unknown), which zot refuses'],
    ['admin', "no ':'"],
    [`admin:$2y$05$${'a'.repeat(53)} `, 'trailing whitespace'],
  ])('%s is reported as refused', (line, message) => {
    expect(htpasswdLineProblem(line)).toContain(message);
  });

  test('a good line has no problem; a later duplicate user wins; lines without ":" are skipped', () => {
    const a = makeHtpasswdLine('admin', 'one', 4);
    const b = makeHtpasswdLine('admin', 'two', 4);
    expect(htpasswdLineProblem(a)).toBeUndefined();
    const text = `${a}\njunk line\n${b}\n`;
    expect(parseHtpasswd(text).get('admin')!.line).toBe(3);
    expect(verifyHtpasswd(text, 'admin', 'two')).toEqual({ ok: true });
    expect(verifyHtpasswd(text, 'admin', 'one')).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('npm run htpasswd', () => {
  test('prints exactly one line on stdout, the guidance on stderr', () => {
    const r = runCli('scripts/htpasswd.ts', ['admin', '--cost', '5'], 'p4ssw0rd\n');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stdout.trimEnd()).toMatch(LINE);
    expect(r.stdout.startsWith('admin:$2y$05$')).toBe(true);
    expect(bcrypt.compareSync('p4ssw0rd', r.stdout.trimEnd().slice(6))).toBe(true);
    expect(r.stderr).toContain('sops --set "[\\"stringData\\"][\\"COMMON_OCI\\"] \\"$line\\"" clusters/common/flux/vars/common-secrets.sops.yaml');
    expect(r.stderr).toContain('checksum/secret');
    expect(r.stderr).not.toContain('p4ssw0rd');
  });

  test('the default cost is 10 (README "Choosing the bcrypt cost")', () => {
    const r = runCli('scripts/htpasswd.ts', ['admin'], 'pw');
    expect(r.stdout).toMatch(/^admin:\$2y\$10\$/);
  });

  test('never takes the password as an argument', () => {
    const r = runCli('scripts/htpasswd.ts', ['admin', 'hunter2'], 'pw');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unexpected argument 'hunter2' (the password is never an argument");
  });

  test.each([
    [[''], 'pw', 'the user name is empty'],
    [['a:b'], 'pw', "contains ':'"],
    [['admin'], '', 'the password is empty'],
    [['admin'], '\n', 'the password is empty'],
  ])('refuses %j with stdin %j: exit 1, nothing on stdout', (args, input, message) => {
    const r = runCli('scripts/htpasswd.ts', args, input);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  test('--cost out of range is refused before any password is read', () => {
    const r = runCli('scripts/htpasswd.ts', ['admin', '--cost', '31'], 'pw');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--cost: '31' is not an integer from 4 to 17");
  });

  describe('--verify', () => {
    const dir = tempDir();
    const file = path.join(dir, 'htpasswd');
    fs.writeFileSync(file, [makeHtpasswdLine('admin', 'right', 4), 'old:$apr1$abc$def', 'plain:hunter2', 'broken'].join('\n') + '\n');

    test.each<[string, string, number, string]>([
      ['admin', 'right', 0, "matches the line of 'admin'"],
      ['admin', 'wrong', 1, "does not match the line of 'admin'"],
      ['nobody', 'x', 2, "no line for user 'nobody'"],
      ['old', 'x', 2, 'Apache MD5 ($apr1$) hash, which zot refuses'],
      ['plain', 'hunter2', 2, 'not a bcrypt hash'],
    ])('user %s, password %s: exit %i', (user, password, code, message) => {
      const r = runCli('scripts/htpasswd.ts', ['--verify', user, '--file', file], password);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(message);
    });

    test('a missing file is an error (exit 2)', () => {
      const r = runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', path.join(dir, 'nope')], 'x');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("cannot read --file");
    });
  });
});
