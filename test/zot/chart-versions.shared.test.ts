// Regenerates the chart facts from the packages in ../shared/charts/zot and compares them with the
// committed lib/zot/chart-facts.json (runs where ../shared is: `npm run test:shared`).
import * as fs from 'fs';
import * as path from 'path';
import { buildChartFacts, chartFactsJson, readTgz, specFieldBlocks } from '../../lib/zot/chart-derive';

const ROOT = path.resolve(__dirname, '..', '..');
const CHARTS = path.resolve(ROOT, '..', 'shared', 'charts', 'zot');

test('lib/zot/chart-facts.json is what npm run chart-facts writes from ../shared/charts/zot', () => {
  expect(fs.existsSync(CHARTS)).toBe(true);
  const committed = fs.readFileSync(path.join(ROOT, 'lib', 'zot', 'chart-facts.json'), 'utf8');
  expect(chartFactsJson(buildChartFacts(CHARTS))).toBe(committed);
});

test('every package in ../shared/charts/zot is in the facts, with its digest', () => {
  const facts = buildChartFacts(CHARTS);
  const packages = fs
    .readdirSync(CHARTS)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => f.replace(/^zot-|\.tgz$/g, ''))
    .sort();
  expect(facts.charts.map((c) => c.chart).sort()).toEqual(packages);
});

test('the spec fields are read from the StatefulSet template as it is written', () => {
  const newest = buildChartFacts(CHARTS).charts.slice(-1)[0].chart;
  const files = readTgz(path.join(CHARTS, `zot-${newest}.tgz`));
  const blocks = specFieldBlocks(files.get('zot/templates/statefulset.yaml')!.toString('utf8'));
  expect([...blocks.keys()]).toEqual(
    expect.arrayContaining(['serviceName', 'replicas', 'selector', 'volumeClaimTemplates']),
  );
  expect(blocks.get('volumeClaimTemplates')).toContain('$pvcName :=');
  expect(blocks.get('serviceName')).toContain('serviceHeadless');
});
