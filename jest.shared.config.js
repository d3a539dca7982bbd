/** The suites that need ../shared (reference files, CRDs, conformance data, chart packages): `npm run test:shared`, run by .ci/run. */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.shared.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
