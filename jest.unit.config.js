/** `npm run test:unit`: every suite that needs neither a tool nor ../shared (test/support/suites.js names the others). */
const base = require('./jest.config');
const { toolSuitePatterns } = require('./test/support/suites');

module.exports = { ...base, testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...toolSuitePatterns()] };
