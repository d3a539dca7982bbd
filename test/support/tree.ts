import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ZotApp, ZotAppProps } from '../../lib/constructs/zot-app';
import { synthCommand } from '../../lib/cli/synth';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');
export const ANCHOR = path.join(SHARED, 'reference', 'anchor');

/**
 * The chart version the tests build with. The project's default (ZOT_CHART_VERSION in
 * lib/zot/chart.ts) is the user's to change, as main.ts and clusters/ are: no test reads it.
 */
export const TEST_CHART_VERSION = '0.1.122';

/** `props` with the chart version pinned to TEST_CHART_VERSION unless `props` names one. */
export function pinned(props: ZotAppProps = {}): ZotAppProps {
  return { ...props, release: { chartVersion: TEST_CHART_VERSION, ...props.release } };
}

/** An app with one ZotApp built from `props` (the seed when empty), on TEST_CHART_VERSION unless `props` names a chart. */
export function appWith(props: ZotAppProps = {}): App {
  const app = new App();
  new ZotApp(app, 'zot', pinned(props));
  return app;
}

export function tempDir(prefix = 'zot-flux-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface SynthResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the synth command against `root` with the given app; returns exit code and output. */
export function synth(root: string, build: () => App = () => appWith(), args: string[] = []): SynthResult {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s: string) => {
      stdout += s;
    },
    stderr: (s: string) => {
      stderr += s;
    },
    cwd: root,
    env: {},
  };
  const code = synthCommand(['--out', root, ...args], io, build, root);
  return { code, stdout, stderr };
}

/** Every file under `dir`, relative path → content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** sha256 of every file and the list of every folder under `dir`: equal iff the tree is byte-identical. */
export function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      h.update(path.relative(dir, full) + (e.isDirectory() ? '/' : '') + '\0');
      if (e.isDirectory()) walk(full);
      else h.update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** The single YAML document of a generated file, parsed. */
export function doc(tree: Map<string, string>, file: string): any {
  const text = tree.get(file);
  if (text === undefined) throw new Error(`no file ${file} in the tree`);
  const docs = yaml.loadAll(text).filter((d) => d != null);
  if (docs.length !== 1) throw new Error(`${file}: expected one document, found ${docs.length}`);
  return docs[0];
}

/** Seed tree, synthesized once into a temp folder. */
export function seedTree(): Map<string, string> {
  const root = tempDir();
  const r = synth(root);
  if (r.code !== 0) throw new Error(r.stderr);
  return readTree(root);
}

/** How a test is declared: `test`, `test.skip`, or one that fails saying what is missing. */
export type Declare = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/**
 * `test` where what the test needs is here, otherwise `test.skip` with the reason in its name: the runner
 * reports it as skipped (never as passed), e.g. `testIf(haveSops, 'sops is not installed')('sops --set …', …)`.
 */
export function testIf(available: boolean, missing: string): Declare {
  if (available) return (name, fn, timeout) => test(name, fn, timeout);
  return (name, fn, timeout) => test.skip(`${name} (skipped: ${missing})`, fn, timeout);
}

/**
 * How to declare a test that needs `what`: `test` when it is here; when it is missing, `test.skip` with the
 * reason in its name (skipped, never passed), or, where the project's CI (.ci/run installs every tool and
 * sets ZOT_FLUX_REQUIRE_TOOLS=1) runs, a test that fails saying so.
 */
export function needs(what: string, available: boolean): Declare {
  if (available) return (name, fn, timeout) => test(name, fn, timeout);
  if (process.env.ZOT_FLUX_REQUIRE_TOOLS === '1')
    return (name) =>
      test(name, () => {
        throw new Error(`SKIPPED: ${what} is not available here, and this CI must run this test (.ci/run installs it)`);
      });
  return (name, fn, timeout) => test.skip(`${name} (skipped: ${what} is not available here)`, fn, timeout);
}

/** Whether this process may mount a tmpfs (root, or a container allowed to): probed once by mounting one. */
export function mountAllowed(): boolean {
  const dir = tempDir('zot-flux-mount-probe-');
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', dir]).status === 0;
  if (ok) spawnSync('umount', [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
  return ok;
}

/** Loud skip: a test that needs something missing says so, and passes only outside CI. */
export function requireOrSkip(what: string, available: boolean): boolean {
  if (available) return true;
  const msg = `SKIPPED: ${what} is not available here`;
  // The project's CI (.ci/run) installs every tool and sets this; a user's own CI may not have them.
  if (process.env.ZOT_FLUX_REQUIRE_TOOLS === '1')
    throw new Error(`${msg}, and this CI must run this test (.ci/run installs it)`);

  console.warn(`\n!!!!! ${msg} !!!!!\n`);
  return false;
}
