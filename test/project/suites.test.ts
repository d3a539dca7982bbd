// Which suites each test command runs (test/support/suites.js names the tool and shared suites in one place):
// `npm run test:unit` is every suite of `npm test` but the tool suites, and a tool suite is one none of
// whose tests runs without its tool.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../support/tree';

const { TOOL_SUITES } = require('../support/suites') as { TOOL_SUITES: Record<string, string> };

/** The suites jest runs with a config, relative to the project, sorted. */
function suites(config: string): string[] {
  const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', config, '--listTests'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout
    .split('\n')
    .filter((l) => l.endsWith('.ts'))
    .map((l) => path.relative(PROJECT_ROOT, l))
    .sort();
}

/** A test that runs whatever the machine has: `test(`, `it(` or `test.each(` at the start of a line. */
const UNCONDITIONAL_TEST = /^\s*(test|it)(\.each\b|\()/m;
const hasUnconditionalTest = (file: string) =>
  UNCONDITIONAL_TEST.test(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8'));

const all = suites('jest.config.js');
const unit = suites('jest.unit.config.js');
const shared = suites('jest.shared.config.js');

test('npm test runs every suite but the shared ones; test:shared runs exactly those', () => {
  expect(all.length).toBeGreaterThan(50);
  expect(all.filter((f) => f.endsWith('.shared.test.ts'))).toEqual([]);
  expect(shared.length).toBeGreaterThan(0);
  expect(shared.filter((f) => !f.endsWith('.shared.test.ts'))).toEqual([]);
});

test("test:unit runs npm test's suites less the tool suites, and nothing else", () => {
  const tools = Object.keys(TOOL_SUITES).sort();
  expect(tools.filter((f) => !all.includes(f))).toEqual([]); // every name is a suite npm test runs
  expect(unit).toEqual(all.filter((f) => !tools.includes(f)));
});

test('a tool suite has no test that runs without its tool; every other suite has one', () => {
  expect(Object.keys(TOOL_SUITES).filter(hasUnconditionalTest)).toEqual([]);
  expect(unit.filter((f) => !hasUnconditionalTest(f))).toEqual([]);
});
