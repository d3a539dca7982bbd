// Where synth's chart packages come from: the first folder that has one, checked against the
// sha256 its facts were learned from; a pull only when no folder has it.
import * as fs from 'fs';
import * as path from 'path';
import { fileSha256, locateChart } from '../../lib/tools/chart-store';
import { ZotFluxError } from '../../lib/core/error';
import { chartFact } from '../../lib/zot/chart-versions';
import { PROJECT_ROOT, tempDir } from '../support/tree';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'charts', 'zot-0.1.122.tgz');
const want = { name: 'zot', version: '0.1.122', url: 'http://127.0.0.1:1/charts', digest: chartFact('0.1.122').digest };

test("the tests' chart package is the one the facts of 0.1.122 were learned from", () => {
  expect(fileSha256(FIXTURE)).toBe(chartFact('0.1.122').digest);
});

test('the first folder holding <name>-<version>.tgz wins; the cache is searched last', () => {
  const [a, b, cache] = [tempDir(), tempDir(), tempDir()];
  fs.copyFileSync(FIXTURE, path.join(b, 'zot-0.1.122.tgz'));
  expect(locateChart(want, { dirs: [a, b], cacheDir: cache })).toBe(path.join(b, 'zot-0.1.122.tgz'));
  fs.mkdirSync(path.join(cache, 'charts'));
  fs.copyFileSync(FIXTURE, path.join(cache, 'charts', 'zot-0.1.122.tgz'));
  expect(locateChart(want, { dirs: [a], cacheDir: cache })).toBe(path.join(cache, 'charts', 'zot-0.1.122.tgz'));
});

test('a package whose sha256 differs from the facts is refused, naming both digests', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'zot-0.1.122.tgz'), 'not the chart');
  let err: unknown;
  try {
    locateChart(want, { dirs: [dir], cacheDir: tempDir() });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ZotFluxError);
  expect((err as Error).message).toContain(want.digest);
  expect((err as Error).message).toContain('is not the package chart zot 0.1.122 was learned from');
});

test('found nowhere and pulling off: names the file and where to get it; found nowhere and the repository unreachable: names the folders searched', () => {
  const dir = tempDir();
  expect(() => locateChart(want, { dirs: [dir], cacheDir: tempDir(), pull: false })).toThrow(
    /zot-0\.1\.122\.tgz .*helm pull zot --version 0\.1\.122 --repo http:\/\/127\.0\.0\.1:1\/charts/,
  );
  const cache = tempDir();
  expect(() => locateChart(want, { dirs: [dir], cacheDir: cache })).toThrow(
    new RegExp(
      `cannot be pulled from http://127.0.0.1:1/charts.*searched: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    ),
  );
  expect(fs.readdirSync(path.join(cache, 'charts'))).toEqual([]);
});
