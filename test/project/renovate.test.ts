// Renovate updates the chart version at its one place in the TypeScript and stays off the generated files.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from '../../lib/cli/command';
import { CHART_FACTS_OPTIONS, CHART_FACTS_USAGE } from '../../lib/cli/chart-facts';
import { ZOT_CHART_VERSION, ZOT_HELM_REPOSITORY_URL } from '../../lib/zot/chart';
import { PROJECT_ROOT, seedTree } from '../support/tree';

const renovate = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'renovate.json'), 'utf8'));
const manager = renovate.customManagers.find((m: any) => m.customType === 'regex');

/** Renovate's managerFilePatterns entry `/re/` as a RegExp. */
const pattern = (p: string) => new RegExp(p.replace(/^\/(.*)\/$/, '$1'));

test('the regex manager finds the chart version, its datasource and registry in lib/zot/chart.ts', () => {
  const file = 'lib/zot/chart.ts';
  expect(manager.managerFilePatterns.some((p: string) => pattern(p).test(file))).toBe(true);
  const source = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
  const matches = manager.matchStrings.map((s: string) => new RegExp(s).exec(source)).filter(Boolean);
  expect(matches).toHaveLength(1);
  expect(matches[0].groups).toEqual({
    datasource: 'helm',
    depName: 'zot',
    registryUrl: ZOT_HELM_REPOSITORY_URL,
    currentValue: ZOT_CHART_VERSION,
  });
});

test('no other source file of the project pins the chart version (it lives in one place)', () => {
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      // A fact about a chart version (`since: '0.1.122'`, when a value appeared) is not a pin.
      else if (
        rel.endsWith('.ts') &&
        new RegExp(`(?<!since: )'${ZOT_CHART_VERSION.replace(/\./g, '\\.')}'`).test(
          fs.readFileSync(path.join(PROJECT_ROOT, rel), 'utf8'),
        )
      )
        hits.push(rel);
    }
  };
  walk('lib');
  walk('scripts');
  if (fs.readFileSync(path.join(PROJECT_ROOT, 'main.ts'), 'utf8').includes(`'${ZOT_CHART_VERSION}'`))
    hits.push('main.ts');
  expect(hits).toEqual(['lib/zot/chart.ts']);
});

test('every generated zot file is ignored by Renovate (its flux manager would bump them, synth would revert)', () => {
  const ignored = (file: string) =>
    renovate.ignorePaths.some((glob: string) => {
      const re = new RegExp(
        '^' +
          glob
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*\*/g, '\u0000')
            .replace(/\*/g, '[^/]*')
            .replace(/\u0000/g, '.*') +
          '$',
      );
      return re.test(file);
    });
  const files = [...seedTree().keys()].filter(
    (f) => f.startsWith('clusters/') && f !== 'clusters/common/flux/repositories/helm/kustomization.yaml',
  );
  expect(files.filter((f) => !ignored(f))).toEqual([]);
  expect(ignored('clusters/common/flux/repositories/helm/cilium.yaml')).toBe(false);
});

test('the post-upgrade commands learn the bumped chart from its package before synth, and commit what they learn', () => {
  const rule = renovate.packageRules.find(
    (r: any) => r.matchManagers?.includes('custom.regex') && r.matchDepNames?.includes('zot'),
  );
  const { commands, fileFilters } = rule.postUpgradeTasks;
  // Renovate renders {{{newVersion}}} (handlebars, unescaped) to the version it bumps to
  const pull = commands.indexOf('npm run chart-facts -- --pull {{{newVersion}}}');
  expect(pull).toBeGreaterThan(commands.indexOf('npm ci'));
  expect(pull).toBeLessThan(commands.indexOf('npm run synth'));
  for (const cmd of commands)
    expect(Object.keys(require(path.join(PROJECT_ROOT, 'package.json')).scripts)).toContain(
      cmd === 'npm ci' ? 'test' : cmd.split(' ')[2],
    );
  // the rendered command is a valid command line of chart-facts (its options, a version it takes)
  const argv = commands[pull].replace('{{{newVersion}}}', '0.1.999').split(' ').slice(4);
  expect(parseArgs(argv, CHART_FACTS_OPTIONS).options).toEqual({ pull: '0.1.999' });
  expect(CHART_FACTS_USAGE).toContain('--pull VERSION');
  // it writes lib/zot/chart-facts.learned.json (its default --out): Renovate commits only the files its filters name
  expect(CHART_FACTS_USAGE).toContain('lib/zot/chart-facts.learned.json');
  expect(fileFilters).toContain('lib/zot/chart-facts.learned.json');
  expect(fs.existsSync(path.join(PROJECT_ROOT, 'lib/zot/chart-facts.learned.json'))).toBe(true);
});
