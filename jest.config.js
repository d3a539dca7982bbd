/**
 * `npm test`'s suites: everything under test/ except `*.shared.test.ts`, which need ../shared and
 * run from .ci/run through `npm run test:shared` (jest.shared.config.js); `npm run test:unit`
 * (jest.unit.config.js) leaves out the tool suites too. test/support/suites.js names both kinds.
 * TypeScript is transformed by swc (no type-check here: `tsc --noEmit` runs first in `npm test`).
 */
const { SHARED_SUITES } = require('./test/support/suites');

module.exports = {
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/jest-env.js'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', SHARED_SUITES],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
