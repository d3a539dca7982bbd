// `npm run bench`: the figures behind the speed targets (README "Speed"). Prints medians with min
// and max, and writes them to .bench/latest.json (and a timestamped copy) so two runs compare.
//   npm run bench -- [--runs N] [--skip-tests] [--skip-fleet] [--skip-review] [--quiet]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as bcrypt from 'bcryptjs';
import { ZotApp } from '../lib/constructs/zot-app';
import { synthesize } from '../lib/synth/synthesize';
import { makeHtpasswdLine } from '../lib/zot/htpasswd';
import { DOCKER_REGISTRY, onPath, startRegistry } from '../lib/tools/registry';
import { ZotFluxError } from '../lib/core/error';
import { EXIT_OK, Io, parseArgs, runCommand, UsageError } from '../lib/cli/command';

const ROOT = path.resolve(__dirname, '..');
const BENCH_USAGE = `usage: npm run bench -- [--runs N] [--skip-tests] [--skip-fleet] [--skip-review] [--quiet]

Takes the figures behind the speed targets (README "Speed"): synth start-up against node loading
cdk8s, npm test, bcrypt per cost (bcryptjs, Apache htpasswd and Go's bcrypt when installed), synth of
N releases, fleet-check, render and diff over generated fleets, access over 100/1000/3000 repository
globs. Prints medians with min and max and
writes them to .bench/latest.json (and a timestamped copy) so two runs compare. Takes minutes.

  --runs N        runs per figure (default 7; some figures take fewer)
  --skip-tests    do not time npm test and the unit suites
  --skip-fleet    do not time fleet-check and render --all over generated fleets
  --skip-review   do not time render --helm and diff over generated fleets
  --quiet         print only errors and the summary line (the figures still go to .bench/)
  --help          this text

Exit codes: 0 figures taken, 1 a timed command failed (named, with its output), 2 usage,
3 a bug in zot-flux.
`;

let RUNS = 7;
let SKIP = new Set<string>();
let QUIET = false;
const skip = (what: string) => SKIP.has(what);
/** Progress and figures: not with --quiet. */
const say = (s: string) => {
  if (!QUIET) process.stdout.write(s);
};

interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
};

function stat(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: round(mid), min: round(s[0]), max: round(s[s.length - 1]), runs: s.length };
}
const round = (x: number) => Math.round(x * 10) / 10;
/** a / b to two decimals, printed without binary noise (1.77, not 1.7700000000000002). */
const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
const fmt = (s: Stat, unit = 'ms') =>
  `${String(s.median).padStart(8)} ${unit}  (min ${s.min}, max ${s.max}, n=${s.runs})`;
const now = () => Number(process.hrtime.bigint()) / 1e6;

function timeCommand(cmd: string, argv: string[], runs: number, opts: { cwd?: string; okCodes?: number[] } = {}): Stat {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    const r = spawnSync(cmd, argv, { cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
    const dt = now() - t;
    if (r.error) throw r.error; // a program that cannot start (not installed): failure.ts names it and how to install it
    if (r.status !== 0 && !(opts.okCodes ?? []).includes(r.status ?? -1)) {
      throw new ZotFluxError({
        field: `${cmd} ${argv.join(' ')}`,
        value: r.status ?? r.signal ?? undefined,
        reason: `is the exit of a timed command: no figure taken. Its output:\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-4000)}`,
      });
    }
    samples.push(dt);
  }
  return stat(samples);
}

function line(label: string, value: string): void {
  say(`${label.padEnd(46)} ${value}\n`);
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// 1. Start-up: the floor, synth as typed, the entry point, the cdk8s template way.
function startup(): void {
  say('\n== synth start-up (wall time per process) ==\n');
  const out = tmp('zot-flux-bench-');
  spawnSync('node', ['scripts/run.js', 'scripts/synth.ts', '--out', out, '--quiet'], { cwd: ROOT }); // build dist/synth.js once
  const floor = timeCommand('node', ['-e', "require('cdk8s');require('cdk8s-plus-28')"], RUNS);
  const npmSynth = timeCommand('npm', ['run', '-s', 'synth', '--', '--out', out, '--quiet'], RUNS);
  const entry = timeCommand('node', ['dist/synth.js', '--out', out, '--quiet'], RUNS);
  const template = timeCommand('npx', ['ts-node', 'scripts/synth.ts', '--out', out, '--quiet'], Math.min(RUNS, 3));
  line('floor: node loading cdk8s + cdk8s-plus-28', fmt(floor));
  line('npm run synth', fmt(npmSynth));
  line('synth entry point (node dist/synth.js)', fmt(entry));
  line('template way (npx ts-node scripts/synth.ts)', fmt(template));
  const entryOverFloor = ratio(entry.median, floor.median);
  const templateOverSynth = ratio(template.median, npmSynth.median);
  line(
    'ratio entry point / floor',
    `${entryOverFloor}x   (target <= 1.5x: ${entryOverFloor <= 1.5 ? 'met' : 'NOT met'})`,
  );
  line(
    'ratio template way / npm run synth',
    `${templateOverSynth}x   (target >= 5x: ${templateOverSynth >= 5 ? 'met' : 'NOT met'})`,
  );
  Object.assign(results, { floor, npmSynth, entry, template, entryOverFloor, templateOverSynth });
}

// 2. The test suite.
function tests(): void {
  say('\n== npm test (wall time, one run each) ==\n');
  const full = timeCommand('npm', ['test', '--silent'], 1);
  line('npm test (tsc + all suites, real servers included)', fmt(full));
  const unit = timeCommand('npm', ['run', 'test:unit', '--silent'], 1);
  line(
    'unit + snapshot suites only (jest)',
    `${fmt(unit)}   (target < 15000 ms: ${unit.median < 15000 ? 'met' : 'NOT met'})`,
  );
  Object.assign(results, { npmTest: full, unitTests: unit });
}

// 3. bcrypt: what each cost factor costs per verification, which zot pays on every request.
function bcryptCosts(): void {
  say('\n== bcrypt verify time per cost (zot checks on every request, no cache) ==\n');
  const haveHtpasswd = spawnSync('htpasswd', ['-h']).error === undefined;
  const rows: Record<number, { bcryptjs: Stat; apache?: Stat }> = {};
  const dir = tmp('zot-flux-bcrypt-');
  for (let cost = 5; cost <= 12; cost++) {
    const hash = bcrypt.hashSync('benchmark-password', cost);
    const runs = cost >= 11 ? 3 : 7;
    const js: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = now();
      bcrypt.compareSync('benchmark-password', hash);
      js.push(now() - t);
    }
    rows[cost] = { bcryptjs: stat(js) };
    let apacheText = '';
    if (haveHtpasswd) {
      const file = path.join(dir, `htpasswd-${cost}`);
      fs.writeFileSync(file, makeHtpasswdLine('bench', 'benchmark-password', cost) + '\n');
      rows[cost].apache = timeCommand('htpasswd', ['-vb', file, 'bench', 'benchmark-password'], runs);
      apacheText = `   Apache htpasswd -vb (C, incl. process start) ${rows[cost].apache!.median} ms`;
    }
    line(`cost ${String(cost).padStart(2)}: bcryptjs compare`, `${fmt(rows[cost].bcryptjs)}${apacheText}`);
  }
  results.bcrypt = rows;
}

// 3b. The same in Go's bcrypt, which zot uses: a real registry (Debian's docker-registry, Go
// x/crypto/bcrypt) timed on authenticated requests against unauthenticated ones.
async function goBcryptCosts(): Promise<void> {
  if (!onPath(DOCKER_REGISTRY)) {
    say('(docker-registry not installed: Go bcrypt figures skipped; scripts/install-test-tools.sh installs it)\n');
    return;
  }
  const rows: Record<number, { authenticated: Stat; anonymous: Stat; bcrypt: number }> = {};
  for (const cost of [5, 8, 10, 12]) {
    const dir = tmp('zot-flux-gobcrypt-');
    const file = path.join(dir, 'htpasswd');
    fs.writeFileSync(file, makeHtpasswdLine('bench', 'benchmark-password', cost) + '\n');
    const registry = await startRegistry(dir, file);
    try {
      const auth = 'Basic ' + Buffer.from('bench:benchmark-password').toString('base64');
      const timed = async (headers: Record<string, string>, expect: number) => {
        const samples: number[] = [];
        for (let i = 0; i < (cost >= 12 ? 5 : 9); i++) {
          const t = now();
          const r = await fetch(`${registry.url}/v2/`, { headers });
          await r.arrayBuffer();
          if (r.status !== expect) throw new Error(`registry answered ${r.status}, expected ${expect}`);
          samples.push(now() - t);
        }
        return stat(samples);
      };
      const anonymous = await timed({}, 401);
      const authenticated = await timed({ authorization: auth }, 200);
      rows[cost] = { authenticated, anonymous, bcrypt: round(authenticated.median - anonymous.median) };
      line(
        `cost ${String(cost).padStart(2)}: Go registry request`,
        `${fmt(authenticated)}   bcrypt share ${rows[cost].bcrypt} ms, ${Math.floor(1000 / Math.max(rows[cost].bcrypt, 0.1))} auth'd requests/s per core`,
      );
    } finally {
      await registry.stop();
    }
  }
  results.goBcrypt = rows;
}

// 4. N releases in one app.
function scaleReleases(): void {
  say('\n== synth of N releases in one app (in-process: construct, render, validate, write) ==\n');
  const rows: Record<number, Stat & { perRelease: number }> = {};
  for (const n of [1, 10, 100, 1000]) {
    const runs = n >= 1000 ? 3 : 5;
    const samples: number[] = [];
    for (let r = 0; r < runs; r++) {
      const out = tmp('zot-flux-scale-');
      const t = now();
      const app = new App();
      const first = new ZotApp(app, 'zot-1', { name: 'zot-1' });
      for (let i = 2; i <= n; i++)
        new ZotApp(app, `zot-${i}`, { name: `zot-${i}`, sharedHelmRepository: first.helmRepository });
      synthesize(app, out);
      samples.push(now() - t);
      fs.rmSync(out, { recursive: true, force: true });
    }
    const s = stat(samples);
    rows[n] = { ...s, perRelease: round(s.median / n) };
    line(`N = ${n}`, `${fmt(s)}   ${rows[n].perRelease} ms/release`);
  }
  line('1000 releases under 5 s', rows[1000].median < 5000 ? 'met' : 'NOT met');
  results.releases = rows;
}

/** A GitOps repository of `n` clusters on as many domains, sharing the example fleet's common folder. */
function makeFleet(n: number): string {
  const fixture = path.join(ROOT, 'test', 'fixtures', 'fleet');
  const repo = tmp('zot-flux-fleet-');
  fs.cpSync(path.join(fixture, 'clusters', 'common'), path.join(repo, 'clusters', 'common'), { recursive: true });
  if (fs.existsSync(path.join(fixture, '.zot-flux')))
    fs.cpSync(path.join(fixture, '.zot-flux'), path.join(repo, '.zot-flux'), { recursive: true });
  const template = fs.readdirSync(path.join(fixture, 'clusters')).find((c) => !['common', 'template'].includes(c))!;
  for (let i = 0; i < n; i++) {
    const dir = path.join(repo, 'clusters', `cluster-${i}`);
    fs.cpSync(path.join(fixture, 'clusters', template), dir, { recursive: true });
    for (const f of walkFiles(dir)) {
      const text = fs.readFileSync(f, 'utf8');
      const next = text
        .split(template)
        .join(`cluster-${i}`)
        .replace(/CLUSTER_DOMAIN: .*/, `CLUSTER_DOMAIN: site${i}.example.com`);
      if (next !== text) fs.writeFileSync(f, next);
    }
  }
  return repo;
}

function walkFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walkFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

// 6. Pull-request review: render --helm --all and diff over generated fleets (charts from ../shared).
function scaleReview(): void {
  say('\n== render --helm --all and diff over a generated fleet (charts: ../shared/charts/zot) ==\n');
  const charts = path.resolve(ROOT, '..', 'shared', 'charts', 'zot');
  if (!fs.existsSync(charts)) {
    line('skipped', 'no ../shared/charts/zot here');
    return;
  }
  spawnSync('node', ['scripts/run.js', 'scripts/diff.ts', '--help'], { cwd: ROOT });
  const rows: Record<number, { renderHelm: Stat; diff: Stat; diffPerSecond: number }> = {};
  for (const n of [10, 100, 1000]) {
    const repo = makeFleet(n);
    const git = (...a: string[]) =>
      spawnSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=bench', ...a], { cwd: repo });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const hr = path.join(repo, 'clusters/common/apps/zot/app/helmrelease.yaml');
    fs.writeFileSync(hr, fs.readFileSync(hr, 'utf8').replace('storage: 20Gi', 'storage: 30Gi'));
    const vars = walkFiles(path.join(repo, 'clusters', 'cluster-0')).find((f) =>
      fs.readFileSync(f, 'utf8').includes('CLUSTER_DOMAIN:'),
    )!;
    fs.writeFileSync(
      vars,
      fs.readFileSync(vars, 'utf8').replace(/CLUSTER_DOMAIN: .*/, 'CLUSTER_DOMAIN: moved.example.com'),
    );
    const runs = n >= 1000 ? 3 : 5;
    const renderHelm = timeCommand(
      'node',
      [
        'dist/render.js',
        '--all',
        '--helm',
        '--charts',
        charts,
        '--out-dir',
        path.join(repo, '..', 'rendered'),
        '--repo',
        repo,
      ],
      runs,
    );
    const diff = timeCommand(
      'node',
      [
        'dist/diff.js',
        '--base',
        'HEAD',
        '--repo',
        repo,
        '--charts',
        charts,
        '--format',
        'markdown',
        '--max-bytes',
        '60000',
      ],
      runs,
      { okCodes: [1] },
    );
    rows[n] = { renderHelm, diff, diffPerSecond: Math.round(n / (diff.median / 1000)) };
    line(`${n} clusters: render --helm --all`, fmt(renderHelm));
    line(
      `${n} clusters: diff (both sides, helm)`,
      `${fmt(diff)}   ${rows[n].diffPerSecond} clusters/s${n === 1000 ? `   (target < 10 s: ${diff.median < 10000 ? 'met' : 'NOT met'})` : ''}`,
    );
    fs.rmSync(repo, { recursive: true, force: true });
  }
  results.review = rows;
}

// 5. The fleet: fleet-check and render --all over generated fleets.
function scaleFleet(): void {
  say('\n== fleet-check and render --all over a generated fleet ==\n');
  spawnSync('node', ['scripts/run.js', 'scripts/fleet-check.ts', '--help'], { cwd: ROOT });
  spawnSync('node', ['scripts/run.js', 'scripts/render.ts', '--help'], { cwd: ROOT });
  const rows: Record<
    number,
    { fleetCheck: Stat; renderAll: Stat; fleetCheckPerSecond: number; renderPerSecond: number }
  > = {};
  for (const n of [10, 100, 1000]) {
    const repo = makeFleet(n);
    const runs = n >= 1000 ? 3 : 5;
    const fleetCheck = timeCommand('node', ['dist/fleet-check.js', '--repo', repo, '--quiet'], runs);
    const renderAll = timeCommand(
      'node',
      ['dist/render.js', '--all', '--out-dir', path.join(repo, 'rendered'), '--repo', repo],
      runs,
    );
    rows[n] = {
      fleetCheck,
      renderAll,
      fleetCheckPerSecond: Math.round(n / (fleetCheck.median / 1000)),
      renderPerSecond: Math.round(n / (renderAll.median / 1000)),
    };
    line(`${n} clusters: fleet-check`, `${fmt(fleetCheck)}   ${rows[n].fleetCheckPerSecond} clusters/s`);
    line(`${n} clusters: render --all`, `${fmt(renderAll)}   ${rows[n].renderPerSecond} clusters/s`);
    fs.rmSync(repo, { recursive: true, force: true });
  }
  results.fleet = rows;
}

// 6. access: the effective-access table of a config with thousands of repository globs, against the floor.
/** A zot config.json with `n` repository keys: "one user each" (team-N/** per user) or "mixed" (nested, braces, **). */
function accessConfig(n: number, shape: 'one user each' | 'mixed'): string {
  const pad = (i: number) => String(i).padStart(4, '0');
  const repositories: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    if (shape === 'one user each')
      repositories[`team-${pad(i)}/**`] = { policies: [{ users: [`u${i}`], actions: ['read', 'create'] }] };
    else {
      const glob =
        i % 3 === 0 ? `team-${pad(i)}/**` : i % 3 === 1 ? `team-${pad(i - 1)}/app-*` : `org-${pad(i)}/{x,y}/*`;
      repositories[glob] = { policies: [{ users: [`u${i % 5}`], actions: i % 2 ? ['read'] : ['read', 'create'] }] };
    }
  }
  repositories['public/**'] = { anonymousPolicy: ['read'], defaultPolicy: ['read'] };
  if (shape === 'mixed') repositories['**'] = { policies: [{ users: ['auditor'], actions: ['read'] }] };
  const config = {
    storage: { rootDirectory: '/var/lib/registry' },
    http: {
      address: '0.0.0.0',
      port: '5000',
      auth: { htpasswd: { path: '/secret/htpasswd' } },
      accessControl: {
        repositories,
        adminPolicy: { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] },
      },
    },
    log: { level: 'info' },
  };
  const file = path.join(tmp('zot-flux-bench-access-'), 'config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

function accessScale(): void {
  say('\n== access: the effective-access table over many repository globs ==\n');
  spawnSync('node', ['scripts/run.js', 'scripts/access.ts', '--help'], { cwd: ROOT }); // build dist/access.js once
  const rows: Record<string, { access: Stat; floor: Stat; overFloor: number }> = {};
  for (const shape of ['one user each', 'mixed'] as const) {
    for (const n of [100, 1000, 3000]) {
      const file = accessConfig(n, shape);
      const runs = Math.min(RUNS, 5);
      const floor = timeCommand('node', ['-e', "require('cdk8s');require('cdk8s-plus-28')"], runs);
      const access = timeCommand('node', ['dist/access.js', '--config', file], runs);
      const overFloor = ratio(access.median, floor.median);
      rows[`${shape} ${n}`] = { access, floor, overFloor };
      line(
        `access, ${n} globs (${shape})`,
        `${fmt(access)}   ${overFloor}x the floor${n === 3000 ? `   (target <= 3x: ${overFloor <= 3 ? 'met' : 'NOT met'})` : ''}`,
      );
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  }
  results.access = rows;
}

/** Parses the options first: --help and a wrong option do no work. */
async function main(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['runs'], flags: ['skip-tests', 'skip-fleet', 'skip-review', 'quiet'] });
  if (args.help) {
    io.stdout(BENCH_USAGE);
    return EXIT_OK;
  }
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const runs = args.options.runs as string | undefined;
  if (runs !== undefined && (!/^\d+$/.test(runs) || Number(runs) < 1 || Number(runs) > 1000))
    throw new UsageError(`--runs: '${runs}' is not a whole number from 1 to 1000`);
  RUNS = runs === undefined ? 7 : Number(runs);
  SKIP = new Set(['tests', 'fleet', 'review'].filter((w) => args.options[`skip-${w}`] === true));
  QUIET = args.options.quiet === true;
  results.runs = RUNS;
  // synth renders each zot release with helm: the bench takes the charts the tests use (test/fixtures/charts,
  // ../shared/charts/zot when beside), so its figures never depend on the network.
  if (!process.env.ZOT_FLUX_CHARTS) {
    process.env.ZOT_FLUX_CHARTS = [
      path.join(ROOT, 'test', 'fixtures', 'charts'),
      path.join(ROOT, '..', 'shared', 'charts', 'zot'),
    ]
      .filter((d) => fs.existsSync(d))
      .join(path.delimiter);
  }
  say(`zot-flux benchmark: node ${process.version}, ${os.cpus().length} cpus, ${RUNS} runs per figure unless noted\n`);
  startup();
  if (!skip('tests')) tests();
  bcryptCosts();
  await goBcryptCosts();
  scaleReleases();
  if (!skip('fleet')) scaleFleet();
  if (!skip('review')) scaleReview();
  accessScale();
  const dir = path.join(ROOT, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  fs.writeFileSync(path.join(dir, 'latest.json'), json);
  fs.writeFileSync(path.join(dir, `bench-${(results.date as string).replace(/[:.]/g, '-')}.json`), json);
  io.stdout(`${QUIET ? '' : '\n'}bench: figures written to .bench/latest.json\n`);
  return EXIT_OK;
}

runCommand('bench', main, BENCH_USAGE);
