// Which suites need what, named in this one place; the jest configs read it.
// - `npm test` (jest.config.js): every suite but the shared ones.
// - `npm run test:unit` (jest.unit.config.js): every suite that needs neither a tool nor ../shared.
// - `npm run test:shared` (jest.shared.config.js): the shared ones, run by .ci/run.
// A test that needs a tool the machine lacks is reported as skipped (test/support/tree.ts requireOrSkip, testIf);
// under ZOT_FLUX_REQUIRE_TOOLS=1 (.ci/run) a missing tool fails it instead.
'use strict';

/** Suites that read ../shared (reference files, CRDs, conformance data, chart packages): named *.shared.test.ts. */
const SHARED_SUITES = '\\.shared\\.test\\.ts$';

/**
 * Suites none of whose tests runs without a tool, with the tools. Suites that only partly need one (a kubectl
 * build beside checks that need none) are not listed: test:unit runs them, and their tool tests skip where
 * the tool is missing. test/project/suites.test.ts keeps this list true.
 */
const TOOL_SUITES = {
  'test/cli/htpasswd-tty.test.ts': 'script (util-linux): a pseudo-terminal',
  'test/init/e2e.test.ts': 'git, kubectl (kustomize)',
  'test/init/flux-declared.e2e.test.ts': 'git, kubectl (kustomize)',
  'test/synth/disk.test.ts': 'mount (a small tmpfs, as root): a full and a read-only disk',
  'test/tools/credentials.test.ts': "Apache's htpasswd, docker-registry, skopeo, kubectl (kustomize)",
  'test/tools/kustomize.test.ts': 'kubectl (kustomize)',
};

/** A jest path pattern matching exactly one file under the project root. */
const exactly = (file) => `<rootDir>/${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

module.exports = { SHARED_SUITES, TOOL_SUITES, toolSuitePatterns: () => Object.keys(TOOL_SUITES).map(exactly) };
