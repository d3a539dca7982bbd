// Every command answers --help (its usage, exit 0, no work) and refuses an unknown option with exit 2
// before doing any work (the tree it was pointed at stays byte for byte); --quiet means errors, warnings
// and the summary line only. The lib/cli commands run in-process with a fake Io (fast); bench and import,
// which are scripts, run as the real bundled entry points.
import * as fs from 'fs';
import * as path from 'path';
import { accessCommand } from '../../lib/cli/access';
import { CHART_FACTS_USAGE, chartFactsCommand } from '../../lib/cli/chart-facts';
import { Io, reportError } from '../../lib/cli/command';
import {
  CONFORMANCE_SUBSET_USAGE,
  CONFORMANCE_USAGE,
  conformanceCommand,
  conformanceSubsetCommand,
} from '../../scripts/conformance-tool';
import { diffCommand } from '../../lib/cli/diff';
import { fleetCheckCommand } from '../../lib/cli/fleet-check';
import { htpasswdCommand } from '../../lib/cli/htpasswd';
import { initCommand } from '../../lib/cli/init';
import { renderCommand } from '../../lib/cli/render';
import { synthCommand } from '../../lib/cli/synth';
import { ZOT_VERIFY_USAGE, zotVerifyCommand } from '../../lib/cli/zot-verify';
import { runCli } from '../support/cli';
import { appWith, hashTree, PROJECT_ROOT, synth, tempDir } from '../support/tree';

type Main = (argv: string[], io: Io) => number | Promise<number>;

const noWork = (): never => {
  throw new Error('work was done: the app was built');
};

/** Each command, and options that point it at the tree under test (so any work would show there). */
const COMMANDS: ReadonlyArray<[string, Main, string[], string?]> = [
  ['synth', (argv, io) => synthCommand(argv, io, noWork, io.cwd), ['--out', '.']],
  ['render', renderCommand, ['--all', '--repo', '.', '--out-dir', 'rendered']],
  ['fleet-check', fleetCheckCommand, ['--repo', '.']],
  ['diff', diffCommand, ['--base', 'HEAD', '--repo', '.']],
  ['init', initCommand, ['--repo', '.', '--cluster', 'alpha']],
  ['htpasswd', (argv, io) => htpasswdCommand(argv, io, async () => noWork()), ['admin']],
  ['access', accessCommand, ['--repo', '.']],
  // These throw their usage errors: scripts/*.ts give runCommand their usage, as call() does here.
  ['zot-verify', zotVerifyCommand, ['config.json'], ZOT_VERIFY_USAGE],
  ['chart-facts', chartFactsCommand, ['--dir', '.', '--out', 'facts.json'], CHART_FACTS_USAGE],
  ['conformance', conformanceCommand, ['--flux', '2.9', 'cases.jsonl'], CONFORMANCE_USAGE],
  ['conformance-subset', conformanceSubsetCommand, ['--from', '.', '--out', 'subset'], CONFORMANCE_SUBSET_USAGE],
];

/** Runs a command as runCommand does (a thrown error goes through reportError). */
async function call(
  command: string,
  main: Main,
  argv: string[],
  cwd: string,
  usage?: string,
): Promise<{ code: number; out: string; err: string }> {
  const r = { code: -1, out: '', err: '' };
  const io: Io = {
    stdout: (s) => {
      r.out += s;
    },
    stderr: (s) => {
      r.err += s;
    },
    cwd,
    env: {},
  };
  try {
    r.code = await main(argv, io);
  } catch (e) {
    r.code = reportError(command, e, io, usage);
  }
  return r;
}

/** A small repository-like tree: any command that did work would change it. */
function tree(): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'clusters', 'alpha', 'flux'), { recursive: true });
  fs.writeFileSync(path.join(root, 'clusters', 'alpha', 'flux', 'kustomization.yaml'), 'resources: []\n');
  fs.writeFileSync(path.join(root, 'config.json'), '{}\n');
  fs.writeFileSync(path.join(root, 'cases.jsonl'), '');
  return root;
}

describe.each(COMMANDS)('%s', (command, main, pointed, usage) => {
  test('--help: the usage on stdout, exit 0, nothing done', async () => {
    const root = tree();
    const before = hashTree(root);
    for (const argv of [['--help'], [...pointed, '--help'], ['-h']]) {
      const r = await call(command, main, argv, root);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^usage: /);
      expect(r.err).toBe('');
    }
    expect(hashTree(root)).toBe(before);
  });

  test('an unknown option: exit 2 naming it, with the usage, before any work', async () => {
    const root = tree();
    const before = hashTree(root);
    for (const argv of [['--bogus'], [...pointed, '--bogus'], ['--bogus', ...pointed], [...pointed, '--bogus=1']]) {
      const r = await call(command, main, argv, root, usage);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^${command}: unknown option '--bogus'\\n\\nusage: `));
      expect(r.out).toBe('');
    }
    expect(hashTree(root)).toBe(before);
  });
});

describe('the scripts: bench and import parse their options before any work', () => {
  const imports = path.join(PROJECT_ROOT, 'imports');
  const bench = path.join(PROJECT_ROOT, '.bench');
  const state = () =>
    `${hashTree(imports)} ${fs.readFileSync(path.join(PROJECT_ROOT, 'cdk8s.yaml'), 'utf8')} ${fs.existsSync(bench) ? hashTree(bench) : 'no .bench'}`;

  test.each([
    ['scripts/bench.ts', 'bench'],
    ['scripts/import.ts', 'import'],
  ])('%s', (entry, command) => {
    const before = state();
    const help = runCli(entry, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^usage: npm run ${command} -- `));
    const bogus = runCli(entry, ['--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(new RegExp(`^${command}: unknown option '--bogus'\\n\\nusage: `));
    expect(bogus.stdout).toBe('');
    expect(runCli(entry, ['extra']).code).toBe(2);
    expect(state()).toBe(before);
  });

  test('bench --runs takes a whole number from 1 to 1000', () => {
    const r = runCli('scripts/bench.ts', ['--runs', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bench: --runs: '0' is not a whole number from 1 to 1000");
  });
});

describe('--quiet: errors, warnings and the summary line only', () => {
  test('synth --quiet prints no wrote lines, only the summary', () => {
    const root = tempDir();
    const loud = synth(root, () => appWith(), ['--no-render']);
    expect(loud.code).toBe(0);
    expect(loud.stdout).toMatch(/^wrote {4}/m);
    const quietRoot = tempDir();
    const r = synth(quietRoot, () => appWith(), ['--no-render', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^synth: \d+ written, 0 unchanged, 0 removed; NOT RENDERED \(--no-render\)[^\n]*\n$/);
    expect(hashTree(quietRoot)).toBe(hashTree(root));
  });

  test('fleet-check --quiet: only the summary when every cluster is OK; the failing rows (under the header) when not', async () => {
    const repo = tempDir();
    fs.cpSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet'), repo, { recursive: true });
    const ok = await call('fleet-check', fleetCheckCommand, ['--repo', '.', '--quiet'], repo);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('fleet-check: 4 clusters OK\n');
    expect(ok.err).toBe('');
    const settings = path.join(repo, 'clusters/talos-ottawa/flux/vars/cluster-settings.yaml');
    fs.writeFileSync(settings, fs.readFileSync(settings, 'utf8').replace(/^ {2}CLUSTER_DOMAIN: .*\n/m, ''));
    const bad = await call('fleet-check', fleetCheckCommand, ['--repo', '.', '--quiet'], repo);
    expect(bad.code).toBe(1);
    expect(bad.out + bad.err).not.toContain('note:');
    const rows = bad.out.split('\n').filter((l) => l);
    expect(rows[0]).toMatch(/^CLUSTER +HOSTNAME +VARIABLES +FLUX$/);
    expect(rows.slice(1)).toEqual([expect.stringMatching(/^talos-ottawa +.*missing: CLUSTER_DOMAIN/)]);
    expect(bad.err).toContain('fleet-check: talos-ottawa: ');
    expect(bad.err).toMatch(/fleet-check: 1 of 4 clusters have problems\n$/);
  });

  test('init --quiet: no created lines, the summary', async () => {
    const repo = tempDir();
    const r = await call(
      'init',
      initCommand,
      ['--repo', '.', '--cluster', 'alpha', '--domain', 'alpha.example.com', '--quiet'],
      repo,
    );
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('created ');
    expect(r.out).not.toContain('next:');
    expect(r.out).toMatch(/^init: \d+ created, 0 left alone, \d+ to do, 0 need your edit$/m);
    expect(fs.existsSync(path.join(repo, 'clusters/alpha/flux/vars/cluster-settings.yaml'))).toBe(true);
  });

  test('conformance --quiet: no line per file, the summary', async () => {
    const file = path.join(PROJECT_ROOT, 'test/fixtures/flux-conformance/envsubst-v1.7.0.jsonl');
    const r = await call('conformance', conformanceCommand, ['--flux', '2.9', '--quiet', file], PROJECT_ROOT);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+ passed, 0 failed\n$/);
  });
});

describe('the same failure, the same code in every command', () => {
  test('a --repo that does not exist is a usage error (2) wherever it is taken', async () => {
    const cwd = tempDir();
    const cases: Array<[string, Main, string[]]> = [
      ['render', renderCommand, ['--cluster', 'a', '--repo', 'missing']],
      ['fleet-check', fleetCheckCommand, ['--repo', 'missing']],
      ['diff', diffCommand, ['--base', 'HEAD', '--repo', 'missing']],
      ['init', initCommand, ['--repo', 'missing', '--cluster', 'alpha']],
      ['access', accessCommand, ['--repo', 'missing']],
    ];
    for (const [command, main, argv] of cases) {
      const r = await call(command, main, argv, cwd);
      expect([command, r.code]).toEqual([command, 2]);
      expect(r.err).toContain(path.join(cwd, 'missing'));
    }
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('an invalid --flux value is 2 in render, fleet-check and init', async () => {
    const cwd = tempDir();
    for (const [command, main, argv] of [
      ['render', renderCommand, ['--cluster', 'a', '--flux', '3.0']],
      ['fleet-check', fleetCheckCommand, ['--flux', '3.0']],
      ['init', initCommand, ['--repo', '.', '--cluster', 'alpha', '--flux', '3.0']],
    ] as Array<[string, Main, string[]]>) {
      const r = await call(command, main, argv, cwd);
      expect([command, r.code]).toEqual([command, 2]);
    }
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});

describe('paths given to a command: one answer everywhere', () => {
  // A missing path, a folder where a file belongs, a file where a folder belongs and a link loop are usage
  // errors (2) naming the option and the path, in every command that reads one (lib/cli/command.ts optionFile).
  const dir = tempDir();
  const loop = path.join(dir, 'loop');
  fs.symlinkSync(loop, loop);
  const file = path.join(dir, 'file.json');
  fs.writeFileSync(file, '{}');
  const cases: Array<[string, (argv: string[], io: Io) => number | Promise<number>, (p: string) => string[], string]> =
    [
      ['access --config', accessCommand, (p) => ['--config', p], '--config'],
      ['zot-verify FILE', zotVerifyCommand, (p) => [p], 'FILE'],
      ['render --vars', renderCommand, (p) => ['--all', '--repo', dir, '--vars', p], '--vars'],
      ['htpasswd --verify --file', (a, o) => htpasswdCommand(a, o), (p) => ['--verify', 'u', '--file', p], '--file'],
    ];
  test.each(cases)(
    '%s: missing, a folder, a link loop: 2 naming the option and the path',
    async (_what, command, args, option) => {
      for (const [p, says] of [
        [path.join(dir, 'nope'), 'does not exist'],
        [dir, 'is a folder, not a file'],
        [loop, 'is a loop of symbolic links'],
      ]) {
        const r = await call(_what, command, args(p), dir);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`${option}: '${p}' ${says}`);
      }
    },
  );
  test.each([
    ['render --repo', renderCommand, ['--all', '--repo', file]],
    ['fleet-check --repo', fleetCheckCommand, ['--repo', file]],
    ['diff --repo', diffCommand, ['--base', 'HEAD', '--repo', file]],
  ] as Array<[string, (argv: string[], io: Io) => number | Promise<number>, string[]]>)(
    '%s on a file: 2, "is a file, not a folder"',
    async (what, command, argv) => {
      const r = await call(what, command, argv, dir);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--repo: '${file}' is a file, not a folder`);
    },
  );
  test('render --out-dir on a file: 2; a link at a cluster file is replaced, never written through', async () => {
    const repo = tempDir();
    fs.cpSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet'), repo, { recursive: true });
    const onFile = await call('render', renderCommand, ['--all', '--repo', repo, '--out-dir', file], dir);
    expect(onFile.code).toBe(2);
    expect(onFile.err).toContain(`--out-dir: '${file}' is a file, not a folder`);
    const out = path.join(tempDir(), 'out');
    fs.mkdirSync(out);
    const precious = path.join(dir, 'precious.txt');
    fs.writeFileSync(precious, 'precious');
    fs.symlinkSync(precious, path.join(out, 'talos-ottawa.yaml'));
    const r = await call('render', renderCommand, ['--all', '--repo', repo, '--out-dir', out], dir);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(precious, 'utf8')).toBe('precious');
    expect(fs.lstatSync(path.join(out, 'talos-ottawa.yaml')).isFile()).toBe(true);
    expect(fs.readdirSync(out).filter((f) => f.includes('zot-flux-tmp'))).toEqual([]);
  });
  test("access on a config that is not a JSON object grants nothing: 1, as zot-verify; --can '' is 2", async () => {
    for (const text of ['null', '[]', '"x"', '1']) {
      fs.writeFileSync(file, text);
      const r = await call('access', accessCommand, ['--config', file, '--can', 'anonymous', 'delete', 'x'], dir);
      expect(r.code).toBe(1);
      expect(r.out).not.toContain('allowed');
      expect(r.err).toContain('is not a JSON object: zot cannot read it as its config');
    }
    fs.writeFileSync(file, '{}');
    expect((await call('access', accessCommand, ['--config', file, '--can', '', 'read', 'x'], dir)).code).toBe(2);
  });
});
