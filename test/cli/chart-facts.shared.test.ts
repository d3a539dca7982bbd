// A chart released after this project's last release, learned offline the way a user's CI learns it:
// the shipped zot chart 0.1.122 (../shared/charts/zot) repackaged with the real helm as 0.1.125
// deploying zot v2.1.21 (and as 0.1.126 with another StatefulSet serviceName template), served as a
// classic chart repository (index.yaml from `helm repo index`) on 127.0.0.1, `npm run chart-facts --
// --pull 0.1.125 --repo URL --out TEMP` and `--add`, then an app on 0.1.125 synthesized with those
// facts in place of lib/zot/chart-facts.learned.json (the committed file is never touched).
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { layerBinary } from '../../lib/tools/layer-binary';
import { runCli } from '../support/cli';
import { PROJECT_ROOT, SHARED, tempDir } from '../support/tree';

const helm = layerBinary('helm')!;
const LEARNED_FILE = path.join(PROJECT_ROOT, 'lib', 'zot', 'chart-facts.learned.json');
const dir = tempDir('zot-flux-learn-');
const repo = path.join(dir, 'repo');
const out = path.join(dir, 'learned.json');
const committed = fs.readFileSync(LEARNED_FILE, 'utf8');
let server: ChildProcess | undefined;
let url = '';

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: path.join(dir, 'cache'), HELM_CONFIG_HOME: path.join(dir, 'config') },
  });
  expect([cmd, args[0], r.status, r.stderr]).toEqual([cmd, args[0], 0, '']);
}

/** zot 0.1.122's sources, edited, packaged as `version` into the repository folder. */
function repackage(version: string, edit: (src: string) => void): void {
  const src = path.join(dir, `src-${version}`);
  fs.mkdirSync(src, { recursive: true });
  sh('tar', ['xzf', path.join(SHARED, 'charts', 'zot', 'zot-0.1.122.tgz'), '-C', src]);
  edit(path.join(src, 'zot'));
  sh(helm, ['package', path.join(src, 'zot'), '--version', version, '--app-version', 'v2.1.21', '-d', repo]);
}

const replaceIn = (file: string, from: RegExp, to: string) => {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toMatch(from);
  fs.writeFileSync(file, text.replace(from, to));
};

beforeAll(async () => {
  fs.mkdirSync(repo);
  // 0.1.125: what a chart release for zot v2.1.21 changes (image.tag, appVersion); 0.1.126: also
  // renders spec.serviceName always, as 0.1.113 did (an immutable field from another template)
  repackage('0.1.125', (src) => replaceIn(path.join(src, 'values.yaml'), /tag: "v2\.1\.18"/, 'tag: "v2.1.21"'));
  repackage('0.1.126', (src) => {
    replaceIn(path.join(src, 'values.yaml'), /tag: "v2\.1\.18"/, 'tag: "v2.1.21"');
    replaceIn(
      path.join(src, 'templates', 'statefulset.yaml'),
      /\{\{- if and \.Values\.serviceHeadless[^\n]*\n {2}serviceName: ([^\n]*)-headless\n {2}\{\{- end \}\}/,
      'serviceName: $1',
    );
  });
  // a tiny chart repository: a node http server serving the folder, in its own process (the commands under test block this one)
  const code = `const http=require('http'),fs=require('fs'),path=require('path');const root=process.argv[1];
    const s=http.createServer((q,r)=>{const f=path.join(root,path.basename(decodeURIComponent(q.url.split('?')[0])));
    fs.readFile(f,(e,b)=>{if(e){r.writeHead(404);r.end();return;}r.writeHead(200);r.end(b);});});
    s.listen(0,'127.0.0.1',()=>console.log(s.address().port));`;
  server = spawn(process.execPath, ['-e', code, repo], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    server!.stdout!.once('data', (d) => resolve(String(d).trim()));
    server!.once('exit', (c) => reject(new Error(`the chart server exited (${c})`)));
  });
  url = `http://127.0.0.1:${port}`;
  sh(helm, ['repo', 'index', repo, '--url', url]);
}, 60_000);

afterAll(() => {
  if (server?.pid) process.kill(server.pid);
  fs.rmSync(dir, { recursive: true, force: true });
  expect(fs.readFileSync(LEARNED_FILE, 'utf8')).toBe(committed);
});

test('--pull 0.1.125 from a classic repository learns it in under 5 s; again is a no-op', () => {
  const started = Date.now();
  const r = runCli('scripts/chart-facts.ts', ['--pull', '0.1.125', '--repo', url, '--out', out]);
  const took = Date.now() - started;
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toContain(`learned zot chart 0.1.125 from zot-0.1.125.tgz into ${out}`);
  expect(r.stdout).toContain('zot v2.1.21 is newer than the newest modelled (v2.1.20)');
  expect(r.stdout).toContain('from 0.1.122: no immutable field renders from another template');
  // the command's own figure: pull, derive, helm template check, write (the wall time below also bundles the command once)
  const learning = Number(/ in ([\d.]+) s\n/.exec(r.stdout)?.[1]);
  console.log(`chart-facts --pull 0.1.125: learned in ${learning} s; the command's wall time ${took} ms`);
  expect(learning).toBeLessThan(5);
  expect(took).toBeLessThan(5000);
  const learned = JSON.parse(fs.readFileSync(out, 'utf8'));
  expect(learned.charts.map((c: any) => [c.chart, c.zotVersion, c.source])).toEqual([
    ['0.1.125', 'v2.1.21', `${url} zot 0.1.125`],
  ]);
  const again = runCli('scripts/chart-facts.ts', ['--pull', '0.1.125', '--repo', 'http://127.0.0.1:1', '--out', out]);
  expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('already known')]);
});

test('--add 0.1.126: the serviceName template change is recorded; the same package again is unchanged', () => {
  const pkg = path.join(repo, 'zot-0.1.126.tgz');
  const r = runCli('scripts/chart-facts.ts', ['--add', pkg, '--out', out]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toContain(
    'from 0.1.125: StatefulSet.spec.serviceName render from another template; synth warns on an upgrade across it',
  );
  const before = fs.readFileSync(out, 'utf8');
  expect(JSON.parse(before).charts.map((c: any) => c.chart)).toEqual(['0.1.125', '0.1.126']);
  const again = runCli('scripts/chart-facts.ts', ['--add', pkg, '--out', out]);
  expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('already learned')]);
  expect(fs.readFileSync(out, 'utf8')).toBe(before);
});

test('a package that claims a shipped version with other templates is refused, nothing written', () => {
  const before = fs.readFileSync(out, 'utf8');
  repackage('0.1.121', (src) => replaceIn(path.join(src, 'values.yaml'), /tag: "v2\.1\.18"/, 'tag: "v2.1.21"'));
  const r = runCli('scripts/chart-facts.ts', ['--add', path.join(repo, 'zot-0.1.121.tgz'), '--out', out]);
  expect([r.code, r.stderr]).toEqual([
    1,
    expect.stringContaining('is chart 0.1.121, which this project ships with other facts'),
  ]);
  expect(fs.readFileSync(out, 'utf8')).toBe(before);
});

test('synth with the learned facts: 0.1.125 deploys zot v2.1.21 checked with the newest model; 0.1.125 → 0.1.126 warns on serviceName', () => {
  const learned = JSON.parse(fs.readFileSync(out, 'utf8'));
  jest.isolateModules(() => {
    jest.doMock(LEARNED_FILE, () => learned);
    const { appWith, synth, readTree } = require('../support/tree') as typeof import('../support/tree');
    const { chartUpgradeProblems } =
      require('../../lib/zot/chart-versions') as typeof import('../../lib/zot/chart-versions');
    const root = tempDir('zot-flux-learn-synth-');
    try {
      const first = synth(root, () => appWith({ release: { chartVersion: '0.1.125' } }), ['--charts', repo]);
      expect([first.code, first.stderr]).toEqual([
        0,
        expect.stringContaining('zot v2.1.21 is newer than the newest modelled (v2.1.20)'),
      ]);
      const release = readTree(root).get('clusters/common/apps/zot/app/helmrelease.yaml')!;
      expect(release).toContain('version: 0.1.125');
      expect(chartUpgradeProblems('0.1.125', '0.1.126').map((p) => [p.field, p.reason])).toEqual([
        [
          'StatefulSet.spec.serviceName',
          'changes: 0.1.126 (learned from its package) renders it from another template than the chart before it',
        ],
      ]);
      const next = synth(root, () => appWith({ release: { chartVersion: '0.1.126' } }), ['--charts', repo]);
      expect(next.code).toBe(0);
      expect(next.stderr).toContain('chart 0.1.125 → 0.1.126');
      expect(next.stderr).toContain(
        'StatefulSet.spec.serviceName changes: 0.1.126 (learned from its package) renders it from another template',
      );
      // a chart with neither facts nor a package: the one command that fixes it
      const none = synth(tempDir('zot-flux-learn-none-'), () => appWith({ release: { chartVersion: '0.1.127' } }));
      expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('`npm run chart-facts -- --pull 0.1.127`')]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
