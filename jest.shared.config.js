/** The suites that need ../shared (reference files, CRDs, conformance data, chart packages): `npm run test:shared`, run by .ci/run. */
const base = require('./jest.config');
const { SHARED_SUITES } = require('./test/support/suites');

module.exports = {
  ...base,
  testMatch: undefined,
  testRegex: SHARED_SUITES,
  testPathIgnorePatterns: ['/node_modules/'],
};
