// htpasswd lines made and verified on bytes, the hash kinds zot accepts, and the `npm run htpasswd` command.
// bcryptjs is the independent oracle for the bcrypt written in lib/zot/htpasswd.ts.
import * as bcrypt from 'bcryptjs';
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  bcryptHash,
  checkHash,
  hashKind,
  htpasswdLineProblem,
  isUtf8,
  makeHtpasswdLine,
  parseHtpasswd,
  passwordProblem,
  shaCryptDigest,
  verifyHtpasswd,
  verifyRefusal,
  zotVerifies,
} from '../../lib/zot/htpasswd';
import { runCli } from '../support/cli';
import { PROJECT_ROOT, tempDir } from '../support/tree';

const { bundle } = require('../../scripts/bundle.js') as { bundle(entry: string, outfile: string): unknown };

/** Runs `npm run htpasswd` (bundled) with exact bytes on stdin. */
function htpasswdWithBytes(args: string[], input: Buffer): { code: number; stdout: string; stderr: string } {
  const outfile = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-htpasswd-bytes.js`);
  if (!fs.existsSync(outfile)) bundle('scripts/htpasswd.ts', outfile);
  const r = spawnSync(process.execPath, [outfile, ...args], {
    cwd: PROJECT_ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
afterAll(() => fs.rmSync(path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-htpasswd-bytes.js`), { force: true }));

/** 'abc', the byte 0xff (never valid UTF-8), 'def': what `printf 'abc\xffdef'` pipes. */
const NOT_UTF8 = Buffer.from([0x61, 0x62, 0x63, 0xff, 0x64, 0x65, 0x66]);
/** The same password after a UTF-8 decoder replaced the byte by U+FFFD (what the old tool hashed). */
const REPLACED = Buffer.from(NOT_UTF8.toString('utf8'), 'utf8');

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

  test('the bcrypt written here equals bcryptjs for the same salt, and each verifies the other', () => {
    const passwords = ['a', 'correct horse', 'héllo wörld ✓ 🔑', 'x'.repeat(72), 'p:a:s:s', '\u00ff\u0100'];
    for (let i = 0; i < 6; i++) passwords.push(randomBytes(1 + i * 11).toString('base64'));
    for (const [i, password] of passwords.entries()) {
      const salt = randomBytes(16);
      const ours = bcryptHash(password, 4 + (i % 2), salt);
      const saltText = ours.slice(7, 29);
      expect(ours.replace(/^\$2y\$/, '$2b$')).toBe(bcrypt.hashSync(password, `$2b$0${4 + (i % 2)}$${saltText}`));
      expect(bcrypt.compareSync(password, ours)).toBe(true);
      expect(zotVerifies(bcrypt.hashSync(password, 4), password)).toBe(true);
      expect(
        zotVerifies(
          ours,
          password.replace(/^./, (c) => (c === 'Z' ? 'Y' : 'Z')),
        ),
      ).toBe(false);
    }
  });

  test('bytes that are not UTF-8 are hashed as they are: only those bytes verify, not their U+FFFD replacement', () => {
    expect(isUtf8(NOT_UTF8)).toBe(false);
    const line = makeHtpasswdLine('u', NOT_UTF8, 4);
    const hash = line.slice(2);
    expect(zotVerifies(hash, NOT_UTF8)).toBe(true);
    expect(zotVerifies(hash, REPLACED)).toBe(false);
    expect(bcrypt.compareSync(NOT_UTF8.toString('utf8'), hash)).toBe(false);
    // A string is its UTF-8: the same bytes whichever way they come.
    const typed = bcryptHash('é', 4);
    expect(zotVerifies(typed, Buffer.from([0xc3, 0xa9]))).toBe(true);
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
    ['admin', 'é'.repeat(37), 'longer than 72 bytes'],
    ['admin', 'a\u0000b', 'contains a NUL byte'],
  ])('refuses user %j / password %j', (user, password, message) => {
    expect(() => makeHtpasswdLine(user, password, 4)).toThrow(message);
  });

  test('password refusals count bytes, and never quote the password', () => {
    expect(passwordProblem(Buffer.alloc(72, 0xff))).toBeUndefined();
    expect(passwordProblem(Buffer.alloc(73, 0xff))).toContain('longer than 72 bytes');
    expect(passwordProblem(Buffer.from([0x61, 0x0d, 0x62]))).toBe('the password contains a line break');
    expect(passwordProblem('hunter2\n')).not.toContain('hunter2');
  });

  test.each([3, 18, 4.5])('refuses cost %p', (cost) => {
    expect(() => makeHtpasswdLine('admin', 'pw', cost)).toThrow(`--cost: '${cost}' is not an integer from 4 to 17`);
  });
});

describe('reading htpasswd lines the way zot does', () => {
  const bcryptOf = (pw: string) => bcryptHash(pw, 4);
  test.each([
    ['$2y$05$' + 'a'.repeat(53), 'bcrypt'],
    ['$2a$10$' + 'a'.repeat(53), 'bcrypt'],
    ['$2b$12$' + 'a'.repeat(53), 'bcrypt'],
    ['$2x$05$' + 'a'.repeat(53), 'bcrypt-other-prefix'],
    ['$2$05$' + 'a'.repeat(53), 'bcrypt-other-prefix'],
    ['$5$salt$hash', 'sha256-crypt'],
    ['$6$salt$hash', 'sha512-crypt'],
    ['$apr1$abc$def', 'apr1'],
    ['{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'sha1'],
    ['$1$abc$def', 'md5-crypt'],
    ['hunter2', 'plaintext-or-unknown'],
  ])('%s is %s', (hash, kind) => {
    expect(hashKind(hash)).toBe(kind);
  });

  // zot v2.1.14..v2.1.20 pkg/api/htpasswd.go Authenticate: $2a$/$2b$/$2y$ → Go bcrypt, $5$/$6$ → SHA-crypt, else refused.
  test('the kinds zot accepts have no problem; every other kind is refused with a reason', () => {
    const pw = 'pw';
    const y = bcryptOf(pw);
    const salt = Buffer.from('abcdefgh');
    const accepted = [
      y,
      y.replace('$2y$', '$2a$'),
      y.replace('$2y$', '$2b$'),
      `$5$abcdefgh$${shaCryptDigest('$5$', Buffer.from(pw), salt, 5000)}`,
      `$6$rounds=1000$abcdefgh$${shaCryptDigest('$6$', Buffer.from(pw), salt, 1000)}`,
    ];
    for (const hash of accepted) {
      expect(checkHash(hash)).toEqual({ kind: hashKind(hash), zotAccepts: true });
      expect(zotVerifies(hash, pw)).toBe(true);
      expect(zotVerifies(hash, 'pX')).toBe(false);
    }
    const refused: Array<[string, string]> = [
      [y.replace('$2y$', '$2x$'), "zot refuses: it hands only those three to Go's bcrypt (which would take $2x$)"],
      ['$apr1$abc$def', 'Apache MD5 ($apr1$) hash, which zot refuses'],
      ['{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', '{SHA} hash, which zot refuses'],
      ['$1$abc$def', 'MD5-crypt ($1$) hash, which zot refuses'],
      ['hunter2', 'not a hash zot knows (plaintext or another scheme), which zot refuses'],
      [' ' + y, 'leading whitespace'],
      [y.slice(0, 59), 'a malformed bcrypt hash (59 characters where bcrypt writes 60)'],
      [y.replace('$04$', '$03$'), 'cost 3 is outside 4..31'],
      ['$5$', 'SHA-256-crypt ($5$) hash that zot cannot use (no salt and no hash)'],
      ['$6$abcdefgh$short', 'shorter than 86 characters'],
      ['$5$rounds=many$abcdefgh$' + 'a'.repeat(43), 'rounds= is not a decimal integer'],
    ];
    for (const [hash, message] of refused) {
      const c = checkHash(hash);
      expect([hash, c.zotAccepts]).toEqual([hash, false]);
      expect(c.problem).toContain(message);
      if (hash.trim().length > 12) expect(c.problem).not.toContain(hash.trim().slice(7, 12));
      expect(zotVerifies(hash, pw)).toBe(false);
    }
    // Every refusal names what zot accepts or why nobody can log in.
    for (const [hash] of refused)
      expect(checkHash(hash).problem).toMatch(
        /accepts only bcrypt \$2a\$\/\$2b\$\/\$2y\$ and SHA-crypt \$5\$\/\$6\$|nobody can log in|unsupported hash type|no known prefix/,
      );
  });

  test("what Go's bcrypt still reads (trailing text, a cost written '+4') is accepted with a note, and verifies", () => {
    const y = bcryptOf('pw');
    for (const hash of [y + '  ', y + 'xyz', y.replace('$04$', '$+4$')]) {
      const c = checkHash(hash);
      expect(c.zotAccepts).toBe(true);
      expect(c.problem).toMatch(/still reads it, so logins work/);
      expect(zotVerifies(hash, 'pw')).toBe(true);
    }
  });

  test("SHA-crypt follows Drepper's published examples (the digest glibc, Apache and zot's library compute)", () => {
    const hello = Buffer.from('Hello world!');
    expect(shaCryptDigest('$5$', hello, Buffer.from('saltstring'), 5000)).toBe(
      '5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5',
    );
    expect(shaCryptDigest('$6$', hello, Buffer.from('saltstring'), 5000)).toBe(
      'svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    );
    // rounds below 1000 count as 1000; the salt is cut to 16 bytes.
    const d = shaCryptDigest('$5$', hello, Buffer.from('saltstringsaltst'), 1000);
    expect(zotVerifies(`$5$rounds=10$saltstringsaltstring$${d}`, hello)).toBe(true);
    // An empty password never verifies (nathanaelle/password Verify).
    expect(zotVerifies(`$5$s$${shaCryptDigest('$5$', Buffer.alloc(0), Buffer.from('s'), 5000)}`, '')).toBe(false);
  });

  test.each([
    ['admin:$apr1$abc$def', 'Apache MD5 ($apr1$) hash, which zot refuses'],
    ['admin:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', '{SHA} hash, which zot refuses'],
    ['admin:hunter2', 'not a hash zot knows (plaintext or another scheme), which zot refuses'],
    ['admin', "no ':'"],
    [`admin:$2y$05$${'a'.repeat(53)} `, 'followed by 1 more character(s)'],
  ])('%s is reported', (line, message) => {
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

  test('verify agrees with the messages: a refused kind is an error carrying the same reason, an accepted one verifies', () => {
    const sha = `$6$abcdefgh$${shaCryptDigest('$6$', Buffer.from('six'), Buffer.from('abcdefgh'), 5000)}`;
    const text = `x:${bcryptOf('pw').replace('$2y$', '$2x$')}\nold:$apr1$abc$def\nsix:${sha}\n`;
    for (const user of ['x', 'old']) {
      const r = verifyHtpasswd(text, user, 'pw');
      const problem = htpasswdLineProblem(text.split('\n').find((l) => l.startsWith(`${user}:`))!)!;
      expect(r).toEqual({ ok: false, reason: 'error', message: expect.stringContaining(problem) });
    }
    expect(verifyHtpasswd(text, 'six', 'six')).toEqual({ ok: true });
    expect(verifyHtpasswd(text, 'six', 'seven')).toEqual({ ok: false, reason: 'mismatch' });
  });
});

// golang.org/x/crypto bcrypt.go MaxCost 31 and nathanaelle/password v1.0.0 rounds ≤ 999,999,999: zot's libraries take
// them, but one login would take days or minutes; --verify refuses them, naming the value, without hashing.
describe('costs and rounds no login can practically pay', () => {
  const y31 = bcryptHash('pw', 4).replace('$04$', '$31$');
  const six = `$6$rounds=999999999$abcdefgh$${'a'.repeat(86)}`;
  const five = `$5$rounds=10000001$abcdefgh$${'a'.repeat(43)}`;

  test('checkHash: accepted by zot, impractical, and the message names the value and the time per login', () => {
    expect(checkHash(y31)).toEqual({
      kind: 'bcrypt',
      zotAccepts: true,
      impractical: true,
      problem: expect.stringContaining('bcrypt cost 31 is above 17'),
    });
    expect(checkHash(y31).problem).toContain('every login and every docker request would take about 2.7 days');
    expect(checkHash(six).problem).toContain('SHA-512-crypt ($6$) rounds=999999999 is above 10,000,000');
    expect(checkHash(six).problem).toContain('about 14 minutes');
    expect(checkHash(five).problem).toContain('rounds=10000001');
    expect(htpasswdLineProblem(`u:${y31}`)).toContain('cost 31');
    // The ceilings themselves are computed as usual.
    expect(checkHash(bcryptHash('pw', 4).replace('$04$', '$17$'))).toEqual({ kind: 'bcrypt', zotAccepts: true });
    expect(checkHash(`$6$rounds=10000000$abcdefgh$${'a'.repeat(86)}`)).toEqual({
      kind: 'sha512-crypt',
      zotAccepts: true,
    });
    // rounds zot clamps (nathanaelle/password bounded): above 999,999,999 is 999,999,999.
    expect(checkHash(`$6$rounds=99999999999$abcdefgh$${'a'.repeat(86)}`).problem).toContain('rounds=999999999');
  });

  test.each([
    ['$2y$31$', 'u', 'bcrypt cost 31'],
    ['$6$rounds=999999999$', 's', 'rounds=999999999'],
    ['$5$rounds=10000001$', 'f', 'rounds=10000001'],
  ])(
    'verify on %s refuses within a second',
    (_, user, message) => {
      const text = `u:${y31}\ns:${six}\nf:${five}\n`;
      const t = Date.now();
      const r = verifyHtpasswd(text, user, 'pw');
      expect(r).toEqual({ ok: false, reason: 'error', message: expect.stringContaining(message) });
      expect(verifyRefusal(text, user)).toContain(message);
      expect(() => zotVerifies(user === 'u' ? y31 : user === 's' ? six : five, 'pw')).toThrow(message);
      expect(Date.now() - t).toBeLessThan(1000);
    },
    2000,
  );

  test('npm run htpasswd --verify on them: exit 1 within a second of work, naming the value', () => {
    const file = path.join(tempDir(), 'htpasswd');
    fs.writeFileSync(file, `u:${y31}\ns:${six}\n`);
    for (const [user, message] of [
      ['u', 'bcrypt cost 31 is above 17'],
      ['s', 'rounds=999999999 is above 10,000,000'],
    ]) {
      const r = runCli('scripts/htpasswd.ts', ['--verify', user, '--file', file], 'pw');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
    }
  }, 30_000);
});

describe('npm run htpasswd', () => {
  test('prints exactly one line on stdout, the guidance on stderr', () => {
    const r = runCli('scripts/htpasswd.ts', ['admin', '--cost', '5'], 'p4ssw0rd\n');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stdout.trimEnd()).toMatch(LINE);
    expect(r.stdout.startsWith('admin:$2y$05$')).toBe(true);
    expect(bcrypt.compareSync('p4ssw0rd', r.stdout.trimEnd().slice(6))).toBe(true);
    expect(r.stderr).toContain(
      'sops --set "[\\"stringData\\"][\\"COMMON_OCI\\"] \\"$line\\"" clusters/common/flux/vars/common-secrets.sops.yaml',
    );
    expect(r.stderr).toContain('checksum/secret');
    expect(r.stderr).not.toContain('p4ssw0rd');
  });

  test('the default cost is 10 (docs/credentials.md "Choosing the bcrypt cost")', () => {
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

  test("printf 'abc\\xffdef' | npm run htpasswd -- u: the exact bytes are hashed, and stderr says so", () => {
    const r = htpasswdWithBytes(['u', '--cost', '4'], Buffer.concat([NOT_UTF8, Buffer.from('\n')]));
    expect(r.code).toBe(0);
    const hash = r.stdout.trimEnd().slice(2);
    expect(zotVerifies(hash, NOT_UTF8)).toBe(true);
    expect(zotVerifies(hash, REPLACED)).toBe(false);
    expect(r.stderr).toContain('the password is not valid UTF-8; its 7 bytes are used exactly as read');
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'htpasswd'), r.stdout);
    expect(htpasswdWithBytes(['--verify', 'u', '--file', path.join(dir, 'htpasswd')], NOT_UTF8).code).toBe(0);
    expect(htpasswdWithBytes(['--verify', 'u', '--file', path.join(dir, 'htpasswd')], REPLACED).code).toBe(1);
  });

  test('one final CRLF is stripped from piped input, and a UTF-8 password gets no note', () => {
    const r = htpasswdWithBytes(['u', '--cost', '4'], Buffer.from('pässword\r\n'));
    expect(r.code).toBe(0);
    expect(zotVerifies(r.stdout.trimEnd().slice(2), 'pässword')).toBe(true);
    expect(r.stderr).not.toContain('UTF-8');
  });

  test('a NUL byte in the password is refused, and the password is not echoed', () => {
    const r = htpasswdWithBytes(['u', '--cost', '4'], Buffer.from('se\u0000cret'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the password contains a NUL byte');
    expect(r.stderr).not.toContain('cret');
  });

  test('--cost out of range is a usage error (2, as every invalid option value), before any password is read', () => {
    const r = runCli('scripts/htpasswd.ts', ['admin', '--cost', '31'], 'pw');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--cost: '31' is not an integer from 4 to 17");
  });

  describe('--verify', () => {
    const dir = tempDir();
    const file = path.join(dir, 'htpasswd');
    const sha = `$5$saltsalt$${shaCryptDigest('$5$', Buffer.from('five'), Buffer.from('saltsalt'), 5000)}`;
    const x = makeHtpasswdLine('x', 'pw', 4).replace('$2y$', '$2x$');
    fs.writeFileSync(
      file,
      [
        makeHtpasswdLine('admin', 'right', 4),
        'old:$apr1$abc$def',
        'plain:hunter2',
        'broken',
        `five:${sha}`,
        x,
        `late:${makeHtpasswdLine('late', 'pw', 4).slice(5)}  `,
      ].join('\n') + '\n',
    );

    test.each<[string, string, number, string]>([
      ['admin', 'right', 0, "matches the line of 'admin'"],
      ['admin', 'wrong', 1, "does not match the line of 'admin'"],
      ['nobody', 'x', 1, "no line for user 'nobody'"],
      ['old', 'x', 1, 'Apache MD5 ($apr1$) hash, which zot refuses'],
      ['plain', 'hunter2', 1, 'not a hash zot knows (plaintext or another scheme), which zot refuses'],
      ['five', 'five', 0, "matches the line of 'five'"],
      ['five', 'six', 1, "does not match the line of 'five'"],
      ['x', 'pw', 1, "zot refuses: it hands only those three to Go's bcrypt (which would take $2x$)"],
      ['late', 'pw', 0, "note: line 7 (user 'late'): the hash is followed by 2 more character(s)"],
    ])('user %s, password %s: exit %i', (user, password, code, message) => {
      const r = runCli('scripts/htpasswd.ts', ['--verify', user, '--file', file], password);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(message);
    });

    test('a missing file is a usage error naming it (exit 2, as in every command)', () => {
      const r = runCli('scripts/htpasswd.ts', ['--verify', 'admin', '--file', path.join(dir, 'nope')], 'x');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--file: '${path.join(dir, 'nope')}' does not exist`);
    });
  });
});
