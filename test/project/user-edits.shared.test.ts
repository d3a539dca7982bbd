// The user's loop, on a temporary copy of the project: main.ts, ZOT_CHART_VERSION and clusters/ are
// the user's, so an ordinary edit of them, followed by `npm run synth`, must leave `CI=true npm test`
// green — no test reads them. Two runs of the whole suite in a copy:
//   1. ordinary edits, all at once: a user with its own variable, anonymous read, other hostnames,
//      and ZOT_CHART_VERSION on an old supported chart;
//   2. a chart bump as Renovate makes it (oldest → newest supported chart, then the post-upgrade
//      command, docs/charts.md "Dependency updates"): the drift check is clean and the suite green.
// (A shared suite: each case runs the project's suite again, which takes a minute or two.)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  anonymousReadBreaksPush,
  KNOWN_BAD_CHART_VERSIONS,
  SUPPORTED_CHART_VERSIONS,
  zotVersionOfChart,
} from '../../lib/zot/chart-versions';
import { PROJECT_ROOT, tempDir } from '../support/tree';

const CHART_FILE = 'lib/zot/chart.ts';
const RELEASE_FILE = 'clusters/common/apps/zot/app/helmrelease.yaml';

function run(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: cwd, ...env },
    maxBuffer: 64 << 20,
    timeout: 600_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** A copy of the project as a user's clone has it (no node_modules of its own: a link to ours). */
function projectCopy(): string {
  const root = path.join(tempDir('zot-flux-user-'), 'project');
  fs.cpSync(PROJECT_ROOT, root, {
    recursive: true,
    filter: (src) =>
      !['node_modules', '.git', 'dist', '.bench', 'coverage'].includes(path.basename(src)) ||
      path.dirname(src) !== PROJECT_ROOT,
  });
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

/** Sets ZOT_CHART_VERSION the way the README says (and Renovate does): the literal in lib/zot/chart.ts. */
function setVersion(root: string, version: string): void {
  const file = path.join(root, CHART_FILE);
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(
    /^export const ZOT_CHART_VERSION = '[^']+';$/m,
    `export const ZOT_CHART_VERSION = '${version}';`,
  );
  expect(next).toContain(`ZOT_CHART_VERSION = '${version}'`);
  fs.writeFileSync(file, next);
}

/** `CI=true npm test` in the copy: exit 0, or the failing tests named. */
function suiteFailures(root: string): [number | null, string] {
  const suite = run(root, 'npm', ['test', '--silent'], { CI: 'true' });
  const failures = suite.out
    .split('\n')
    .filter((l) => /✕|●/.test(l))
    .join('\n');
  return [suite.code, suite.code === 0 ? '' : `${failures}\n${suite.out.slice(-3000)}`];
}

const EDITED_MAIN = `import { App } from 'cdk8s';
import { ZotApp } from './lib/constructs/zot-app';

export function buildApp(): App {
  const app = new App();
  new ZotApp(app, 'zot', {
    release: {
      users: [
        { name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true },
        { name: 'dev', variable: 'ZOT_DEV', actions: ['read', 'create', 'update'], repositories: ['team/**'] },
      ],
      anonymousRead: ['public/**'],
    },
    route: { hostnames: ['registry.\${CLUSTER_DOMAIN}'] },
  });
  return app;
}
`;

test('ordinary edits of main.ts and ZOT_CHART_VERSION, then synth: CI=true npm test stays green', () => {
  const bad = new Set(KNOWN_BAD_CHART_VERSIONS.map((b) => b.chart));
  // The oldest chart that is not known bad and whose zot lets anonymous read sit beside users (v2.1.16+).
  const old = SUPPORTED_CHART_VERSIONS.find((v) => !bad.has(v) && !anonymousReadBreaksPush(zotVersionOfChart(v)))!;
  expect(old).not.toBe(SUPPORTED_CHART_VERSIONS[SUPPORTED_CHART_VERSIONS.length - 1]);
  const root = projectCopy();
  fs.writeFileSync(path.join(root, 'main.ts'), EDITED_MAIN);
  setVersion(root, old);
  const synth = run(root, 'npm', ['run', '-s', 'synth', '--', '--quiet']);
  expect([synth.code, synth.out.trim()]).toEqual([0, expect.stringContaining('written')]);
  const release = fs.readFileSync(path.join(root, RELEASE_FILE), 'utf8');
  expect(release).toContain(`version: ${old}`);
  expect(release).toContain('${ZOT_DEV}');
  expect(fs.readFileSync(path.join(root, 'clusters/common/apps/zot/app/httproute.yaml'), 'utf8')).toContain(
    'registry.${CLUSTER_DOMAIN}',
  );
  expect(run(root, 'npm', ['run', '-s', 'synth', '--', '--check']).code).toBe(0);
  expect(suiteFailures(root)).toEqual([0, '']);
}, 900_000);

test('oldest → newest chart: the post-upgrade command leaves the drift check clean and npm test green', () => {
  const oldest = SUPPORTED_CHART_VERSIONS[0];
  const newest = SUPPORTED_CHART_VERSIONS[SUPPORTED_CHART_VERSIONS.length - 1];
  expect(oldest).not.toBe(newest);
  const root = projectCopy();

  setVersion(root, oldest);
  expect(run(root, 'npm', ['run', '-s', 'synth', '--', '--quiet']).code).toBe(0);
  expect(fs.readFileSync(path.join(root, RELEASE_FILE), 'utf8')).toContain(`version: ${oldest}`);

  setVersion(root, newest);
  expect(run(root, 'npm', ['run', '-s', 'synth', '--', '--check']).code).toBe(1); // the bump alone is drift
  const post = run(root, 'npm', ['run', '-s', 'synth']);
  expect(post.code).toBe(0);
  expect(fs.readFileSync(path.join(root, RELEASE_FILE), 'utf8')).toContain(`version: ${newest}`);
  expect(run(root, 'npm', ['run', '-s', 'synth', '--', '--check']).code).toBe(0);
  expect(suiteFailures(root)).toEqual([0, '']);
}, 900_000);
