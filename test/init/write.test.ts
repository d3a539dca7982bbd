// init writes every file or none, whatever stops it: killed (SIGKILL) before any one of its changes
// to the disk, the next init undoes what the killed one left (only files still holding the bytes it
// wrote) and says so; a full disk or a read-only file system (injected by the test seam, and for
// real by strace into the command) rolls back and refuses naming the path. Each case compares the
// tree, .git included, byte for byte, and the user's git status and staged changes.
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../../lib/core/error';
import { runInit } from '../../lib/init/init';
import { InitOptions } from '../../lib/init/options';
import { recoverInterruptedInits, STAGING_PREFIX } from '../../lib/init/write';
import { PROJECT_ROOT, hashTree, mountAllowed, tempDir, testIf } from '../support/tree';

const { bundle } = require('../../scripts/bundle.js') as { bundle(entry: string, outfile: string): unknown };
const CRASHER = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-crash-init.js`);
const INIT = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-init-cli.js`);
beforeAll(() => {
  bundle('test/support/crash-init.ts', CRASHER);
  bundle('scripts/init.ts', INIT);
});
afterAll(() => {
  fs.rmSync(CRASHER, { force: true });
  fs.rmSync(INIT, { force: true });
});

const ALPHA: InitOptions = { cluster: 'alpha', domain: 'alpha.example.com' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

/** A repository with the user's work in progress: a commit, a staged and an unstaged edit, an untracked file. */
function userRepo(): string {
  const root = tempDir('zot-flux-init-');
  fs.mkdirSync(path.join(root, 'clusters/common'), { recursive: true });
  fs.writeFileSync(path.join(root, 'README.md'), 'mine\n');
  fs.writeFileSync(path.join(root, 'clusters/common/notes.txt'), 'notes\n');
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'mine');
  fs.appendFileSync(path.join(root, 'README.md'), 'staged\n');
  git(root, 'add', 'README.md');
  fs.appendFileSync(path.join(root, 'README.md'), 'unstaged\n');
  fs.writeFileSync(path.join(root, 'untracked.txt'), 'mine\n');
  git(root, 'status', '--porcelain'); // refreshes the index once, so later reads leave it as it is
  return root;
}

function copyTree(from: string): string {
  const to = tempDir('zot-flux-init-copy-');
  fs.cpSync(from, to, { recursive: true });
  return to;
}

const gitState = (root: string) => ({
  status: git(root, 'status', '--porcelain', '--untracked-files=all'),
  cached: git(root, 'diff', '--cached'),
});
const stagings = (root: string) => fs.readdirSync(root).filter((n) => n.startsWith(STAGING_PREFIX));
const crash = (root: string, n: number) =>
  spawnSync(process.execPath, [CRASHER, root, String(n)], { encoding: 'utf8' });
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

test('killed before any one of its changes: the tree is as before, or the next init undoes what was left and says so', () => {
  const base = userRepo();
  const before = hashTree(base);
  const dry = copyTree(base);
  const full = JSON.parse(crash(dry, 0).stdout);
  expect(full).toEqual({ changes: expect.any(Number), created: 12, recovered: [] });
  const after = hashTree(dry);
  const total = full.changes;
  expect(total).toBeGreaterThan(20);
  const [gitBefore, gitAfter] = [gitState(copyTree(base)), gitState(copyTree(dry))];
  let leftSeen = 0;
  for (let n = 1; n <= total; n++) {
    const root = copyTree(base);
    expect([n, crash(root, n).signal]).toEqual([n, 'SIGKILL']);
    const left = stagings(root);
    if (left.length === 0) {
      expect([n, hashTree(root)]).toEqual([n, before]); // killed before it made its staging folder
    } else {
      leftSeen++;
      // Undoing alone puts back the tree as it was, byte for byte.
      const undo = copyTree(root);
      const lines = recoverInterruptedInits(undo);
      expect([n, lines]).toEqual([
        n,
        [
          expect.stringMatching(
            /^\.zot-flux-init-\d+-\d+-\w+: an init was killed here; removed \d+ files? and \d+ folders? it had created, and its staging folder$/,
          ),
        ],
      ]);
      // Killed after its journal said "placed" (only the staging folder was left to delete), the run had finished.
      expect([n, hashTree(undo)]).toEqual([n, n === total ? after : before]);
      expect([n, gitState(undo)]).toEqual([n, n === total ? gitAfter : gitBefore]);
    }
    // The next init says what it undid and leaves exactly what an uninterrupted init leaves.
    const next = runInit(root, ALPHA);
    expect([n, next.create.size, next.recovered.length]).toEqual([n, n === total ? 0 : 12, left.length]);
    expect([n, hashTree(root)]).toEqual([n, after]);
  }
  expect(leftSeen).toBe(total - 1);
}, 180_000);

test('an init killed while undoing a killed init: the one after finishes the job', () => {
  const base = userRepo();
  const before = hashTree(base);
  const done = copyTree(base);
  expect(crash(done, 0).status).toBe(0);
  const after = hashTree(done);
  const killed = copyTree(base);
  expect(crash(killed, 28).signal).toBe('SIGKILL'); // 5 of 12 files placed
  // Undoing it takes 5 unlinks, up to 7 folders, the staging folder; each a point to kill the second init.
  for (let n = 1; n <= 14; n++) {
    const root = copyTree(killed);
    const again = crash(root, n);
    if (again.signal !== 'SIGKILL') {
      expect(JSON.parse(again.stdout).recovered).toHaveLength(1);
      expect(hashTree(root)).toBe(after);
      break;
    }
    const undo = copyTree(root);
    recoverInterruptedInits(undo);
    // Either undone to the tree as it was, or the second init had got as far as its own "placed".
    expect([n, [before, after].includes(hashTree(undo)), stagings(undo)]).toEqual([n, true, []]);
    runInit(root, ALPHA);
    expect([n, hashTree(root)]).toEqual([n, after]);
  }
}, 120_000);

test("a file the killed init placed and the user then changed is kept; so is a live init's staging folder", () => {
  const root = userRepo();
  expect(crash(root, 28).signal).toBe('SIGKILL'); // 5 of 12 files placed
  const journal = JSON.parse(fs.readFileSync(path.join(root, stagings(root)[0], 'journal.json'), 'utf8'));
  const placed = journal.changes
    .map((c: { path: string }) => c.path)
    .filter((p: string) => fs.existsSync(path.join(root, p)));
  expect(placed.length).toBeGreaterThan(1);
  fs.appendFileSync(path.join(root, placed[0]), '# my edit\n');
  const sleeper = spawn('sleep', ['60']);
  try {
    const start = fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    const live = `${STAGING_PREFIX}${sleeper.pid}-${start}-abcdef`;
    fs.mkdirSync(path.join(root, live));
    expect(recoverInterruptedInits(root)).toEqual([expect.stringContaining(`removed ${placed.length - 1} files`)]);
    expect(stagings(root)).toEqual([live]);
    expect(fs.readFileSync(path.join(root, placed[0]), 'utf8')).toMatch(/# my edit\n$/);
    for (const p of placed.slice(1)) expect(fs.existsSync(path.join(root, p))).toBe(false);
  } finally {
    sleeper.kill('SIGKILL');
  }
}, 60_000);

test("another user's live init (kill(pid, 0) answers EPERM: the process exists) keeps its staging folder", () => {
  const root = userRepo();
  const sleeper = spawn('sleep', ['60']);
  // As root every kill(pid, 0) succeeds: EPERM, what a process of another user answers, is injected.
  const kill = jest.spyOn(process, 'kill').mockImplementation((pid, signal) => {
    if (pid === sleeper.pid && signal === 0) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    return true;
  });
  try {
    const start = fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    const live = `${STAGING_PREFIX}${sleeper.pid}-${start}-abcdef`;
    fs.mkdirSync(path.join(root, live));
    expect(recoverInterruptedInits(root)).toEqual([]);
    expect(stagings(root)).toEqual([live]);
    expect(kill).toHaveBeenCalledWith(sleeper.pid, 0);
  } finally {
    kill.mockRestore();
    sleeper.kill('SIGKILL');
  }
});

test('the command says what it undid', () => {
  const root = userRepo();
  expect(crash(root, 28).signal).toBe('SIGKILL');
  const [name] = stagings(root);
  const r = spawnSync(process.execPath, [INIT, '--repo', root, '--cluster', 'alpha'], {
    encoding: 'utf8',
    cwd: PROJECT_ROOT,
  });
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(
    `init: ${name}: an init was killed here; removed 5 files and 7 folders it had created, and its staging folder\n`,
  );
  expect(stagings(root)).toEqual([]);
});

test('a journal left by an earlier init ("placing", a list of files) is undone as before', () => {
  const root = userRepo();
  const before = hashTree(root);
  expect(crash(root, 28).signal).toBe('SIGKILL');
  const [name] = stagings(root);
  const file = path.join(root, name, 'journal.json');
  const v2 = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(v2).toMatchObject({ version: 2, state: 'applying' });
  const v1 = {
    state: 'placing',
    files: v2.changes.map((c: { path: string; after: string }) => ({ path: c.path, sha256: c.after })),
    folders: v2.folders,
  };
  fs.writeFileSync(file, JSON.stringify(v1));
  expect(recoverInterruptedInits(root)).toEqual([
    `${name}: an init was killed here; removed 5 files and 7 folders it had created, and its staging folder`,
  ]);
  expect(hashTree(root)).toBe(before);
});

test('an unreadable journal is refused, naming its folder, and nothing is touched', () => {
  const root = userRepo();
  expect(crash(root, 28).signal).toBe('SIGKILL');
  const [name] = stagings(root);
  fs.writeFileSync(path.join(root, name, 'journal.json'), '{"state":"placing","files":null}');
  const before = hashTree(root);
  expect(() => runInit(root, ALPHA)).toThrow(
    new RegExp(
      `^${name.replace(/\./g, '\\.')}: is the staging folder of an init that was killed, and its journal cannot be read`,
    ),
  );
  expect(hashTree(root)).toBe(before);
});

test('a full disk or a read-only file system at any change: rolled back, refused naming the path', () => {
  const base = userRepo();
  const before = hashTree(base);
  let total = 0;
  const files = [
    ...runInit(copyTree(base), ALPHA, {
      hooks: {
        beforeChange: () => {
          total++;
        },
      },
    }).create.keys(),
  ];
  // A staged copy is named as the file it becomes.
  const named = (root: string, file: string) =>
    /\.zot-flux-init-[^/]+\/\d+$/.test(file)
      ? files[Number(path.basename(file))]
      : path.relative(root, file).replace(/\.tmp$/, '') || root;
  for (const code of ['ENOSPC', 'EROFS', 'EDQUOT', 'EIO']) {
    for (let n = 1; n <= total - 1; n++) {
      // the last change removes the staging folder: init is done then
      const root = copyTree(base);
      let seen = 0;
      let where = '';
      let error: unknown;
      try {
        runInit(root, ALPHA, {
          hooks: {
            beforeChange: (_what, file) => {
              if (++seen === n) {
                where = file;
                throw errno(code);
              }
            },
          },
        });
      } catch (e) {
        error = e;
      }
      expect([code, n, ZotFluxError.isZotFluxError(error)]).toEqual([code, n, true]);
      const e = error as ZotFluxError;
      expect([code, n, e.field]).toEqual([code, n, named(root, where)]);
      expect([code, n, e.reason]).toEqual([
        code,
        n,
        expect.stringMatching(new RegExp(`^cannot be written: .* \\(${code}\\); init wrote nothing; `)),
      ]);
      expect([code, n, hashTree(root)]).toEqual([code, n, before]);
    }
  }
}, 60_000);

testIf(spawnSync('strace', ['-V']).status === 0, 'strace is not installed here')(
  'the command under real injected ENOSPC (link) and EROFS (mkdir) errors: exit 1, the path named, the tree as before',
  () => {
    const base = userRepo();
    const before = hashTree(base);
    for (const [calls, code, when] of [
      ['link,linkat', 'ENOSPC', 5],
      ['mkdir,mkdirat', 'EROFS', 1],
      ['link,linkat', 'EROFS', 1],
    ] as const) {
      const root = copyTree(base);
      const r = spawnSync(
        'strace',
        [
          '-f',
          '-qq',
          '-o',
          '/dev/null',
          '-e',
          `trace=${calls}`,
          '-e',
          `inject=${calls}:error=${code}:when=${when}`,
          process.execPath,
          INIT,
          '--repo',
          root,
          '--cluster',
          'alpha',
        ],
        { encoding: 'utf8', cwd: PROJECT_ROOT },
      );
      expect([code, r.status]).toEqual([code, 1]);
      // The path that failed: the repository root (where the staging folder is made) or a file init creates.
      expect(r.stderr).toMatch(
        new RegExp(
          `init: error: (clusters/[^:]*|\\.sops[^:]*|${root}): cannot be written: [^\\n]*\\(${code}\\); init wrote nothing`,
        ),
      );
      expect(r.stderr).not.toMatch(/bug| {4}at /);
      expect([code, hashTree(root)]).toEqual([code, before]);
      expect(gitState(root)).toEqual(gitState(copyTree(base)));
    }
  },
  60_000,
);

test('init never writes through a symbolic link', () => {
  const root = userRepo();
  const before = hashTree(root);
  const outside = tempDir('zot-flux-outside-');
  fs.symlinkSync(outside, path.join(root, 'clusters/alpha'));
  expect(() => runInit(root, ALPHA)).toThrow(
    /^clusters\/alpha\/.*: goes through clusters\/alpha, a symbolic link: init never writes through a link/,
  );
  expect(fs.readdirSync(outside)).toEqual([]);
  fs.rmSync(path.join(root, 'clusters/alpha'));
  expect(hashTree(root)).toBe(before);
});

// A real read-only file system and a real full disk (tmpfs mounts; skipped where mount is not allowed).
describe('the machine refuses (tmpfs): exit 1 naming the path, the tree as before', () => {
  const withMount = testIf(mountAllowed(), 'mount is not allowed here');
  const mounts: string[] = [];
  const mount = (options: string): string | undefined => {
    const dir = tempDir('zot-flux-init-mnt-');
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status !== 0) return undefined;
    mounts.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
  });
  const init = (root: string) =>
    spawnSync(process.execPath, [INIT, '--repo', root, '--cluster', 'alpha'], { encoding: 'utf8', cwd: PROJECT_ROOT });

  withMount('read-only', () => {
    const root = mount('size=64k');
    if (!root) throw new Error('the tmpfs mount failed, although the probe could mount one');
    fs.writeFileSync(path.join(root, 'README.md'), 'mine\n');
    const before = hashTree(root);
    expect(spawnSync('mount', ['-o', 'remount,ro', root]).status).toBe(0);
    const r = init(root);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `init: error: ${root}: cannot be written: the file system is read-only (EROFS); init wrote nothing`,
    );
    expect(hashTree(root)).toBe(before);
  });

  withMount('full', () => {
    const root = mount('size=64k');
    if (!root) throw new Error('the tmpfs mount failed, although the probe could mount one');
    fs.writeFileSync(path.join(root, 'README.md'), 'mine\n');
    fs.writeFileSync(path.join(root, 'filler'), Buffer.alloc(40 << 10));
    const before = hashTree(root);
    const r = init(root);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^init: error: clusters\/[\w/.-]+\.yaml: cannot be written: no space left on the device \(ENOSPC\); init wrote nothing; free some space on that disk \(df -h shows which\) and run init again\n/,
    );
    expect(hashTree(root)).toBe(before);
  });
});
