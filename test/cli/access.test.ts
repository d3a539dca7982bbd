import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as os from 'os';
import * as path from 'path';
import { accessCommand } from '../../lib/cli/access';
import { Io } from '../../lib/cli/command';
import { compileAccess } from '../../lib/zot/access';
import { synth, tempDir } from '../support/tree';

const ROOT = path.resolve(__dirname, '../..');

function run(argv: string[], cwd = ROOT): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    cwd,
    env: {},
  };
  const code = accessCommand(argv, io);
  return { code, out, err };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zot-flux-access-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function configFile(name: string, config: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const README_CONFIG = {
  storage: { rootDirectory: '/var/lib/registry' },
  http: {
    address: '0.0.0.0',
    port: '5000',
    auth: { htpasswd: { path: '/secret/htpasswd' } },
    accessControl: compileAccess({
      users: [
        { name: 'admin', admin: true },
        { name: 'puller', grants: [{ repositories: ['**'], actions: ['read'] }] },
        { name: 'ci', grants: [{ repositories: ['ci/**'], actions: ['read', 'create', 'update'] }] },
      ],
      anonymousRead: ['public/**'],
    }),
  },
};

describe('npm run access', () => {
  test('the table of a config.json', () => {
    const r = run(['--config', configFile('readme.json', README_CONFIG)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^user puller\s+ci\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(r.out).toMatch(/^user ci\s+ci\/\*\*\s+yes\s+yes\s+yes\s+-$/m);
    expect(r.out).toMatch(/^anonymous\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    // signed in, ci keeps what anonymous clients have (docker sends its credentials whenever it has them)
    expect(r.out).toMatch(/^user ci\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(r.out).toMatch(/^any signed-in user\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(r.out).not.toMatch(/!!/);
  });

  test.each([
    [['puller', 'read', 'ci/x'], 0, 'allowed'],
    [['puller', 'read', 'public/x'], 0, 'allowed'],
    [['ci', 'delete', 'ci/x'], 1, 'denied'],
    [['anonymous', 'read', 'public/x'], 0, 'allowed'],
    [['ci', 'read', 'public/x'], 0, 'allowed'],
    [['ci', 'read', 'other/x'], 1, 'denied'],
    [['anonymous', 'read', 'ci/x'], 1, 'denied'],
    [['admin', 'delete', 'anything/at/all'], 0, 'allowed'],
  ])('--can %j → exit %i, %s', (can, code, verdict) => {
    const r = run(['--config', configFile('readme.json', README_CONFIG), '--can', ...(can as string[])]);
    expect([r.code, r.out]).toEqual([code, `${verdict}\n`]);
  });

  test('--can on a name that is no user says so (exit 1), with what a signed-in user of that name would get', () => {
    const file = configFile('readme.json', README_CONFIG);
    const typo = run(['--config', file, '--can', 'amdin', 'delete', 'x']);
    expect([typo.code, typo.out]).toEqual([1, '']);
    expect(typo.err).toBe(
      "access: 'amdin' is no user: accessControl names puller, ci, admin. A signed-in user of that name (in the htpasswd file, in no policy) would get what any signed-in user gets: denied\n",
    );
    const pub = run(['--config', file, '--can', 'amdin', 'read', 'public/x']);
    expect([pub.code, pub.out]).toEqual([1, '']);
    expect(pub.err).toMatch(/'amdin' is no user: .*any signed-in user gets: allowed$/m);
    // without accessControl zot authorizes every signed-in user: no names to hold it to
    const open = configFile('authz-off.json', { http: { auth: { htpasswd: { path: '/h' } } } });
    expect(run(['--config', open, '--can', 'anyone', 'delete', 'x'])).toMatchObject({
      code: 0,
      out: 'allowed\n',
      err: '',
    });
  });

  test('a hand-written config where anonymous has more than a signed-in user is shouted', () => {
    const file = configFile('anon-only.json', {
      http: {
        auth: { htpasswd: { path: '/h' } },
        accessControl: {
          repositories: {
            'public/**': { anonymousPolicy: ['read'] },
            '**': { policies: [{ users: ['ci'], actions: ['read'] }] },
          },
        },
      },
    });
    const r = run(['--config', file]);
    expect(r.out).toMatch(
      /^!! SIGNED-IN LESS THAN ANONYMOUS: user ci may not read on 'public\/\*\*', which anonymous clients may/m,
    );
    expect(r.out).toMatch(/^any signed-in user\s+\(nothing\)/m);
    expect(run(['--config', file, '--can', 'ci', 'read', 'public/x'])).toMatchObject({ code: 1, out: 'denied\n' });
  });

  test('no auth, no accessControl: loud, and anonymous may delete', () => {
    const file = configFile('open.json', {
      storage: { rootDirectory: '/r' },
      http: { address: '0.0.0.0', port: '5000' },
    });
    const t = run(['--config', file]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^!! NO AUTHENTICATION/m);
    expect(t.out).toMatch(/^!! ANONYMOUS WRITE: anonymous clients may create, update, delete on every repository$/m);
    expect(run(['--config', file, '--can', 'anonymous', 'delete', 'x'])).toMatchObject({ code: 0, out: 'allowed\n' });
  });

  test('an anonymousPolicy with create is flagged', () => {
    const file = configFile('anonpush.json', {
      http: {
        auth: { htpasswd: { path: '/h' } },
        accessControl: { repositories: { 'tmp/**': { anonymousPolicy: ['read', 'create'] } } },
      },
    });
    expect(run(['--config', file]).out).toMatch(/^!! ANONYMOUS WRITE: anonymous clients may create on 'tmp\/\*\*'$/m);
  });

  test('equally long keys that disagree: the table says AMBIGUOUS and --can refuses to answer', () => {
    const file = configFile('tie.json', {
      http: {
        auth: { htpasswd: { path: '/h' } },
        accessControl: {
          repositories: { 'a/*': { policies: [{ users: ['u'], actions: ['read'] }] }, '*/b': { policies: [] } },
        },
      },
    });
    expect(run(['--config', file]).out).toMatch(/^!! keys 'a\/\*' and '\*\/b' are equally long.*AMBIGUOUS$/m);
    const r = run(['--config', file, '--can', 'u', 'read', 'a/b']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/no single answer: keys 'a\/\*', '\*\/b' are equally long and disagree/);
  });

  test('--zot picks the version: conditions are unknown to v2.1.16, conditional in v2.1.18', () => {
    const file = configFile('cel.json', {
      http: {
        auth: { htpasswd: { path: '/h' } },
        accessControl: {
          repositories: {
            '**': { policies: [{ users: ['u'], actions: ['read'], conditions: [{ expression: 'req.tls.enabled' }] }] },
          },
        },
      },
    });
    const old = run(['--config', file, '--zot', 'v2.1.16']);
    expect(old.code).toBe(1);
    expect(old.err).toMatch(/conditions: is not a key zot v2\.1\.16 knows/);
    expect(run(['--config', file, '--zot', '2.1.18']).out).toMatch(/^user u\s+\*\*\s+if\s+-/m);
    expect(run(['--config', file, '--can', 'u', 'read', 'x'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/depends on policy conditions/),
    });
  });

  test('without --config: the config.json of the HelmRelease under --repo', () => {
    const appDir = path.join(dir, 'repo/clusters/common/apps/zot/app');
    fs.mkdirSync(appDir, { recursive: true });
    const hr = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'zot' },
      spec: { values: { image: { tag: 'v2.1.16' }, configFiles: { 'config.json': JSON.stringify(README_CONFIG) } } },
    };
    fs.writeFileSync(path.join(appDir, 'helmrelease.yaml'), `# header\n---\n${yaml.dump(hr)}`);
    expect(run(['--repo', 'repo', '--can', 'puller', 'read', 'ci/x'], dir)).toMatchObject({
      code: 0,
      out: 'allowed\n',
    });
    // the version the HelmRelease deploys (image.tag here), unless --zot says otherwise
    expect(run(['--repo', 'repo'], dir).out).toMatch(/^Effective access \(zot v2\.1\.16;/m);
    expect(run(['--repo', 'repo', '--zot', 'v2.1.20'], dir).out).toMatch(/^Effective access \(zot v2\.1\.20;/m);
  });

  test('--zot newer than the versions read: decided with the nearest rules read, and said', () => {
    const file = configFile('readme.json', README_CONFIG);
    const r = run(['--config', file, '--zot', 'v2.1.21']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Effective access \(zot v2\.1\.20;/m);
    expect(r.err).toMatch(
      /^access: note: zot v2\.1\.21's authorization was not read here: decided with v2\.1\.20's rules/,
    );
  });

  test('without --config or --repo: the HelmRelease synth wrote in the folder npm runs in', () => {
    const root = tempDir();
    expect(synth(root).code).toBe(0);
    const r = run([], root);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Effective access \(zot v2\.1\.\d+;/m);
    expect(r.out).toMatch(/^subject\s+repositories\s+read\s+create\s+update\s+delete$/m);
    expect(r.out).toMatch(/^user admin\s+\*\*\s+yes\s+yes\s+yes\s+yes$/m);
    expect(run(['--can', 'admin', 'delete', 'x/y'], root)).toMatchObject({ code: 0, out: 'allowed\n' });
  });

  test('a config that is not JSON: exit 1 naming the file', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{ nope');
    const r = run(['--config', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`access: error: ${file}: is not JSON`);
  });

  test.each([
    [['--can', 'u', 'read']],
    [['--can', 'u', 'push', 'x']],
    [['--can', 'u', 'read', 'Not/Valid']],
    [['stray']],
    [['--zot', 'latest']],
    [['--config', '/nonexistent/config.json']],
    [['--config', 'x.json', '--repo', '.']],
    [['--bogus']],
  ])('usage error %j → exit 2', (argv) => {
    const r = run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^access: .*\n\nusage: npm run access/);
  });

  test('--help', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run access/);
  });

  test('the entry point: node scripts/run.js scripts/access.ts sets the exit code', () => {
    const file = configFile('readme.json', README_CONFIG);
    const allowed = spawnSync(
      process.execPath,
      ['scripts/run.js', 'scripts/access.ts', '--config', file, '--can', 'puller', 'read', 'ci/x'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect([allowed.status, allowed.stdout]).toEqual([0, 'allowed\n']);
    const denied = spawnSync(
      process.execPath,
      ['scripts/run.js', 'scripts/access.ts', '--config', file, '--can', 'ci', 'delete', 'ci/x'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect([denied.status, denied.stdout]).toEqual([1, 'denied\n']);
    const usage = spawnSync(process.execPath, ['scripts/run.js', 'scripts/access.ts', '--can'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(usage.status).toBe(2);
  });
});
