// `npm run init`: options, paths from the folder the user ran npm in, messages and exit codes.
import * as fs from 'fs';
import * as path from 'path';
import { Io } from '../../lib/cli/command';
import { initCommand } from '../../lib/cli/init';
import { runCli } from '../support/cli';
import { hashTree, tempDir } from '../support/tree';

function io(cwd: string): Io & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    cwd,
    env: {},
    stdout: (s: string) => {
      o.out += s;
    },
    stderr: (s: string) => {
      o.err += s;
    },
  };
  return o;
}

test('--help prints the usage and exits 0', () => {
  const o = io('/');
  expect(initCommand(['--help'], o)).toBe(0);
  expect(o.out).toMatch(/^usage: npm run init -- --repo DIR --cluster NAME/);
  expect(o.out).toContain('Exit codes: 0 done');
});

test.each([
  [[], '--repo DIR is required'],
  [['--repo', '.'], '--cluster NAME is required'],
  [['--repo', '.', '--cluster', 'a', '--flux', '3.0'], "--flux: '3.0' is not one of 2.7, 2.9"],
  [['--repo', '.', '--cluster', 'a', '--', 'extra'], "unexpected argument 'extra'"],
  [['--repo=', '--cluster', 'a'], '--repo needs a value (it is empty)'],
  [['--repo', 'missing', '--cluster', 'a'], 'does not exist (give the root of an existing repository, or add --mkdir)'],
])('%j is a usage error: exit 2 with the usage', (argv, message) => {
  const cwd = tempDir();
  const o = io(cwd);
  expect(initCommand(argv, o)).toBe(2);
  expect(o.err).toContain(message);
  expect(o.err).toContain('usage: npm run init');
  expect(fs.readdirSync(cwd)).toEqual([]);
});

test('--repo is taken from the folder the user ran npm in; --mkdir creates it', () => {
  const cwd = tempDir();
  const o = io(cwd);
  expect(
    initCommand(['--repo', 'gitops/fleet', '--mkdir', '--cluster', 'alpha', '--domain', 'alpha.example.com'], o),
  ).toBe(0);
  expect(fs.existsSync(path.join(cwd, 'gitops/fleet/clusters/alpha/flux/vars/cluster-settings.yaml'))).toBe(true);
  expect(o.out).toContain('created      clusters/alpha/flux/config/cluster.yaml\n');
  expect(o.out).toContain('init: 12 created, 0 left alone, 3 to do, 0 need your edit\n');
  expect(o.out).toContain('next: npm run synth -- --out gitops/fleet');
});

test('a second run prints every file as left alone and exits 0', () => {
  const cwd = tempDir();
  const args = ['--repo', '.', '--cluster', 'alpha', '--domain', 'alpha.example.com'];
  expect(initCommand(args, io(cwd))).toBe(0);
  const before = hashTree(cwd);
  const o = io(cwd);
  expect(initCommand(args, o)).toBe(0);
  expect(o.out.match(/^left alone /gm)).toHaveLength(12);
  expect(o.out).not.toMatch(/^created/m);
  expect(hashTree(cwd)).toBe(before);
});

test('an existing file that lacks an entry: exit 1, named on stderr, the rest created', () => {
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, 'clusters/alpha/flux'), { recursive: true });
  fs.writeFileSync(path.join(cwd, 'clusters/alpha/flux/kustomization.yaml'), 'resources:\n  - ./config\n');
  const o = io(cwd);
  expect(initCommand(['--repo', '.', '--cluster', 'alpha'], o)).toBe(1);
  expect(o.err).toContain(
    'needs edit   clusters/alpha/flux/kustomization.yaml: lacks the entry `- ./vars` in resources',
  );
  expect(o.err).toContain('init: 1 existing file needs your edit');
  expect(o.out).toContain('created      clusters/alpha/flux/vars/cluster-settings.yaml');
});

test('a malformed option value is a usage error: exit 2, the reason, and nothing written (not even --mkdir)', () => {
  const cwd = tempDir();
  const o = io(cwd);
  expect(initCommand(['--repo', '.', '--cluster', 'alpha', '--age-recipient', 'age1qqqq'], o)).toBe(2);
  expect(o.err).toContain(
    "init: --age-recipient: 'age1qqqq' has 4 characters after 'age1' where an age X25519 key has 58",
  );
  expect(fs.readdirSync(cwd)).toEqual([]);
  const p = io(cwd);
  expect(initCommand(['--repo', 'new/repo', '--mkdir', '--cluster', 'Alpha'], p)).toBe(2);
  expect(p.err).toContain("init: --cluster: 'Alpha' is not a cluster folder name init writes");
  expect(fs.readdirSync(cwd)).toEqual([]);
});

test('--dry-run prints what it would create and writes nothing', () => {
  const cwd = tempDir();
  const o = io(cwd);
  expect(initCommand(['--repo', '.', '--cluster', 'alpha', '--dry-run'], o)).toBe(0);
  expect(o.out).toContain('would create clusters/alpha/flux/kustomization.yaml\n');
  expect(o.out).toContain('init --dry-run: 12 to create');
  expect(fs.readdirSync(cwd)).toEqual([]);
});

test('the entry point (scripts/init.ts, as npm runs it) takes --repo from INIT_CWD', () => {
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, 'repo'));
  const r = runCli('scripts/init.ts', ['--repo', 'repo', '--cluster', 'alpha', '--domain', 'alpha.example.com'], '', {
    INIT_CWD: cwd,
  });
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(fs.existsSync(path.join(cwd, 'repo/.sops.yaml'))).toBe(true);
});
