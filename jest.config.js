/** Unit and snapshot suites. TypeScript is transformed by swc (no type-check here: `tsc --noEmit` runs first in `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
