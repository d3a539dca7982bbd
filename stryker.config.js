/**
 * `npm run mutation`: StrykerJS over the modules that carry the project's guarantees (who may do what in the
 * registry, the glob matcher, Flux's substitution, the synth lock and plan, credential detection). Local only:
 * not in CI and not in `npm test` (it runs the suites below once per mutant). One sandbox at a time, in dist/
 * (ignored by git and eslint); the report is dist/mutation/mutation.html and the score the last table printed.
 * One file: `npm run mutation -- --mutate lib/synth/lock.ts`.
 */
const base = require('./jest.config');

/**
 * The suites that exercise those modules in-process, without a tool or ../shared (found by their imports).
 * Left out for time (each mutant reruns the tests that cover it): faults, record-property, access-scale,
 * advisories, zot-release-access, cli/access and no-credentials also reach these modules, but slowly.
 */
const SUITES = [
  'test/zot/access.test.ts',
  'test/zot/glob.test.ts',
  'test/flux/substitution.test.ts',
  'test/flux/envsubst-ported.test.ts',
  'test/synth/lock.test.ts',
  'test/synth/writer.test.ts',
  'test/synth/owned-data.test.ts',
  'test/checks/credentials.test.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  mutate: [
    'lib/zot/access*.ts',
    'lib/zot/glob*.ts',
    'lib/flux/substitution.ts',
    'lib/synth/lock.ts',
    'lib/synth/plan.ts',
    'lib/checks/credentials.ts',
  ],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    config: { ...base, reporters: ['default'], testMatch: SUITES.map((s) => `<rootDir>/${s}`) },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 10000,
  dryRunTimeoutMinutes: 20,
  tempDirName: 'dist/.stryker-tmp',
  ignorePatterns: ['dist', '.bench', 'coverage', 'rendered'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'dist/mutation/mutation.html' },
  jsonReporter: { fileName: 'dist/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
};
