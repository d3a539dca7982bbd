// `npm run zot-verify -- [--zot VERSION | --chart VERSION] FILE`: exit 0 with warnings, 1 with each
// refusal, 2 for usage errors; run in-process (zotVerifyCommand) and as the real bundled command.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Io, reportError } from '../../lib/cli/command';
import { ZOT_VERIFY_USAGE, zotVerifyCommand } from '../../lib/cli/zot-verify';
import {
  KNOWN_BAD_CHART_VERSIONS,
  NEWEST_CHART_VERSION,
  SUPPORTED_CHART_VERSIONS,
  zotVersionOfChart,
} from '../../lib/zot/chart-versions';
import { runCli } from '../support/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zot-verify-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

function cmd(argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    cwd: dir,
    env: {},
  };
  let code: number;
  try {
    code = zotVerifyCommand(argv, io);
  } catch (e) {
    code = reportError('zot-verify', e, io, ZOT_VERIFY_USAGE);
  }
  return { code, stdout, stderr };
}

const good = {
  storage: { rootDirectory: '/var/lib/registry' },
  http: { address: '0.0.0.0', port: '5000', readTimeout: '30m', writeTimeout: '30m' },
  log: { level: 'info' },
};
const clamped = { ...good, extensions: { scrub: { enable: true, interval: '1h' } } };
const refused = { ...good, storage: { rootDirectory: '/var/lib/registry', lint: true }, http: { ...good.http } };

describe('zot-verify in-process', () => {
  test('a config zot starts with: exit 0, the version checked on stdout', () => {
    const r = cmd([file('good.json', good)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `zot ${zotVersionOfChart(NEWEST_CHART_VERSION)} (chart ${NEWEST_CHART_VERSION}, the newest supported) starts with`,
    );
    expect(r.stderr).toBe('');
  });

  test('warnings are listed with exit 0', () => {
    const r = cmd(['--zot', 'v2.1.18', file('clamped.json', clamped)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(1 warning)');
    expect(r.stderr).toContain("zot-verify: warning: extensions.scrub.interval: '1h' is under 2h");
  });

  test('each refusal with its key path and why: exit 1', () => {
    const r = cmd(['--zot', '2.1.16', file('refused.json', refused)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('zot-verify: error: storage.lint: is not a key zot v2.1.16 knows');
    expect(r.stdout).toContain('zot v2.1.16 refuses');
  });

  test('the version matters: readTimeout is refused by v2.1.16 and accepted by v2.1.17', () => {
    const f = file('timeouts.json', good);
    expect(cmd(['--zot', 'v2.1.16', f]).code).toBe(1);
    expect(cmd(['--zot', 'v2.1.17', f]).code).toBe(0);
  });

  test('--chart checks the zot version the chart deploys and warns about a known-bad chart', () => {
    const oldest = SUPPORTED_CHART_VERSIONS[0];
    const r = cmd(['--chart', oldest, file('good2.json', good)]);
    expect(r.stdout).toContain(`zot ${zotVersionOfChart(oldest)} (chart ${oldest})`);
    for (const { chart } of KNOWN_BAD_CHART_VERSIONS) {
      expect(cmd(['--chart', chart, file('good3.json', { storage: good.storage })]).stderr).toContain(
        `chart ${chart} is known bad`,
      );
    }
  });

  test('a zot newer than the model: checked with the newest model, unknown keys are warnings naming the version, refusals stay', () => {
    const ahead = { ...good, http: { ...good.http, newKnob: 3 } };
    const r = cmd(['--zot', 'v2.1.21', file('ahead.json', ahead)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('zot v2.1.21 starts with');
    expect(r.stderr).toContain(
      'zot-verify: warning: (the config): zot v2.1.21 is newer than the newest modelled (v2.1.20)',
    );
    expect(r.stderr).toContain(
      "zot-verify: warning: http.newKnob: zot v2.1.21 is newer than the newest modelled (v2.1.20): key http.newKnob is not known to v2.1.20's model; not checked",
    );
    expect(cmd(['--zot', 'v2.1.20', file('ahead.json', ahead)]).code).toBe(1);
    const sync = {
      ...good,
      extensions: {
        sync: {
          registries: [
            {
              urls: ['https://ghcr.io'],
              onDemand: false,
              manifestCheckInterval: '1m',
              reqConcurrent: 16,
              disableHTTP2: true,
            },
          ],
        },
      },
    };
    const s = cmd(['--zot', '2.1.21', file('sync.json', sync)]);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain(
      "zot-verify: error: extensions.sync.registries[0].manifestCheckInterval: '1m' only throttles on-demand checks and onDemand is off",
    );
    // zot refuses policies for users when nobody can authenticate (validateAuthzPolicies): still a refusal past the model
    const closed = {
      ...good,
      http: {
        ...good.http,
        newKnob: 3,
        accessControl: { repositories: { '{a': { policies: [{ users: ['ci'], actions: ['read'] }] } } },
      },
    };
    const past = cmd(['--zot', 'v2.1.21', file('closed.json', closed)]);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain(
      'zot-verify: error: http.accessControl.repositories["{a"]: is not a glob zot can compile',
    );
    expect(past.stderr).toContain('but no authentication is configured');
  });

  test('a zot older than the model: the oldest model, with a warning', () => {
    const r = cmd(['--zot', 'v2.0.0', file('old.json', { storage: good.storage, http: { port: '5000' } })]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('zot v2.0.0 starts with');
    expect(r.stderr).toContain('zot v2.0.0 is older than the oldest modelled (v2.1.14)');
  });

  test('YAML by extension, as zot reads it', () => {
    const r = cmd([
      '--zot',
      'v2.1.14',
      file('config.yaml', 'storage:\n  rootDirectory: /z\nhttp:\n  port: 5000\nlog:\n  level: debug\n'),
    ]);
    expect(r.code).toBe(0);
  });

  test('a file zot cannot parse is a refusal', () => {
    const r = cmd([file('broken.json', '{"storage": ')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('zot cannot parse it');
  });

  test.each([
    [[], 'FILE is required'],
    [['--zot', 'v2.1.18', '--chart', '0.0.1', 'x.json'], 'not both'],
    [['--zot', 'latest', 'x.json'], "--zot: 'latest' is not a zot version (expected vX.Y.Z"],
    [['--zot', 'v2.1', 'x.json'], "--zot: 'v2.1' is not a zot version"],
    [['--chart', '999.0.0', 'x.json'], 'npm run chart-facts'],
    [['--frobnicate', 'x.json'], 'unknown option'],
    [['missing.json'], 'does not exist'],
  ])('usage errors exit 2: %j', (argv, message) => {
    const r = cmd(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('zot-verify as a command (bundled, as npm run runs it)', () => {
  test('exit codes 0, 1 and 2, stdin with -', () => {
    const ok = runCli('scripts/zot-verify.ts', [file('ok.json', good)]);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringContaining('starts with')]);
    const bad = runCli(
      'scripts/zot-verify.ts',
      ['--zot', 'v2.1.18', '-'],
      JSON.stringify({ ...good, cluster: { members: ['a:5000'], hashKey: 'short' } }),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('zot-verify: error: cluster.hashKey: is 5 bytes long');
    expect(bad.stdout).toContain('refuses stdin');
    const usage = runCli('scripts/zot-verify.ts', ['--zot']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run zot-verify');
    const help = runCli('scripts/zot-verify.ts', ['--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('--chart VERSION')]);
  });
});
