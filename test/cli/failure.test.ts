// One place maps failures to exit codes for every command (lib/cli/failure.ts): a refusal, the user's
// world (a node system error of a path, a missing tool, absurd nesting) is 1 in every command, a usage error 2, anything else 3 with its stack. Fake errors shaped as node's,
// real ones where the machine gives them (a symlink loop, /dev/full, a program that is not installed).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../../lib/core/error';
import { MAX_NESTING, nestingDepth, parseJsonWithin, refuseDeepNesting } from '../../lib/core/nesting';
import { accessCommand } from '../../lib/cli/access';
import { Io, reportError, UsageError } from '../../lib/cli/command';
import { atPath, describeFailure, EXIT_CODES, exitCodeOf, nothingWrittenAfter } from '../../lib/cli/failure';
import { zotVerifyCommand } from '../../lib/cli/zot-verify';
import { mountAllowed, tempDir, testIf } from '../support/tree';

function io(cwd = '/'): Io & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    cwd,
    env: {},
    stdout: (s: string) => {
      o.out += s;
    },
    stderr: (s: string) => {
      o.err += s;
    },
  };
  return o;
}

/** An error shaped as node's fs and child_process errors. */
function sysError(code: string, fields: { syscall?: string; path?: string; dest?: string }): Error {
  return Object.assign(new Error(`${code}: fake, ${fields.syscall ?? ''}`), { code, errno: -1, ...fields });
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe("the user's world: exit 1, the path and what to do", () => {
  test.each([
    ['ENOSPC', 'write', 'no space left on the device', 'df -h'],
    ['EDQUOT', 'write', 'disk quota is exceeded', 'quota'],
    ['EROFS', 'open', 'the file system is read-only', 'remount it read-write'],
    ['EACCES', 'open', 'permission denied', 'ls -ld'],
    ['EPERM', 'unlink', 'operation not permitted', 'ls -ld'],
    ['ENOENT', 'open', 'does not exist', 'a typo?'],
    ['ENOTDIR', 'scandir', 'a part of the path is a file, not a folder', 'a folder is expected'],
    ['EISDIR', 'read', 'a folder stands where a file is expected', 'give a file'],
    ['ELOOP', 'open', 'loop of symbolic links', 'fix or remove the link'],
    ['EMFILE', 'open', 'too many open files', 'ulimit -n'],
    ['ENAMETOOLONG', 'open', 'too long', 'shorter'],
  ])('%s names the path, the system call and what to do', (code, syscall, what, todo) => {
    const o = io();
    const file = '/repo/clusters/common/apps/zot/app/helmrelease.yaml';
    expect(reportError('synth', sysError(code, { syscall, path: file }), o)).toBe(1);
    expect(o.err).toContain(`synth: error: '${file}': `);
    expect(o.err).toContain(what);
    expect(o.err).toContain(`(${code} on ${syscall})`);
    expect(o.err).toContain(todo);
    expect(o.err).not.toContain('internal error');
    expect(o.err).not.toMatch(/\n\s+at /); // no stack: it is not a bug
  });

  test('a rename names both paths', () => {
    const o = io();
    expect(reportError('init', sysError('EXDEV', { syscall: 'rename', path: '/tmp/a', dest: '/repo/b' }), o)).toBe(1);
    expect(o.err).toContain("'/tmp/a' -> '/repo/b'");
  });

  test('a system error with no path says so, and atPath gives it the file being written', () => {
    const o = io();
    expect(reportError('render', sysError('ENOSPC', { syscall: 'write' }), o)).toBe(1);
    expect(o.err).toContain('(write: the system named no path)');
    // A real full disk: /dev/full answers every write with ENOSPC, and write(2) names no path.
    const e = caught(() => atPath('/dev/full', () => fs.writeFileSync('/dev/full', 'x')));
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    const p = io();
    expect(reportError('render', e, p)).toBe(1);
    expect(p.err).toContain("render: error: '/dev/full': no space left on the device (ENOSPC on write)");
  });

  test('real errors: a symlink loop, a file where a folder is expected', () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    const loop = io();
    expect(
      reportError(
        'fleet-check',
        caught(() => fs.readFileSync(path.join(dir, 'a'))),
        loop,
      ),
    ).toBe(1);
    expect(loop.err).toContain(`'${path.join(dir, 'a')}': a loop of symbolic links`);
    fs.writeFileSync(path.join(dir, 'f'), '');
    const notDir = io();
    expect(
      reportError(
        'render',
        caught(() => fs.readdirSync(path.join(dir, 'f', 'x'))),
        notDir,
      ),
    ).toBe(1);
    expect(notDir.err).toContain(path.join(dir, 'f', 'x'));
  });
});

describe('paths and files from the user that node refuses before any system call', () => {
  test('a NUL byte in a path (from a record): exit 1 naming it, never 3', () => {
    const o = io();
    expect(
      reportError(
        'synth',
        caught(() => fs.readFileSync('/repo/clusters/a\0b.yaml')),
        o,
      ),
    ).toBe(1);
    expect(o.err).toContain("synth: error: '/repo/clusters/a\\x00b.yaml': a path holds a NUL byte");
  });
  test('YAML that does not parse, unwrapped: exit 1 with its line, and a request to report the missing file name', async () => {
    const yaml = await import('js-yaml');
    const o = io();
    expect(
      reportError(
        'render',
        caught(() => yaml.load('a: [')),
        o,
      ),
    ).toBe(1);
    expect(o.err).toContain(
      'render: error: a YAML file does not parse: unexpected end of the stream within a flow collection (1:5) (zot-flux did not say which file',
    );
  });
});

describe('a missing tool: exit 1 naming it and how to install it', () => {
  test.each([
    ['helm', 'spawnSync helm', 'helm', 'https://helm.sh/docs/intro/install/'],
    ['an absolute helm', 'spawnSync /opt/x/helm', '/opt/x/helm', '--no-render'],
    ['git', 'spawnSync git', 'git', 'install git'],
    ['age', 'spawn age', 'age', 'FiloSottile/age'],
    ['kubectl', 'spawnSync kubectl', 'kubectl', 'kubernetes.io/docs/tasks/tools'],
  ])('%s', (_what, syscall, program, hint) => {
    const o = io();
    expect(reportError('diff', sysError('ENOENT', { syscall, path: program }), o)).toBe(1);
    expect(o.err).toContain(`error: ${program}: is not installed (or not on PATH)`);
    expect(o.err).toContain(hint);
  });

  test('a real spawn of a program that does not exist', () => {
    const r = spawnSync('zot-flux-no-such-tool', ['--version']);
    const o = io();
    expect(reportError('render', r.error, o)).toBe(1);
    expect(o.err).toContain(
      'zot-flux-no-such-tool: is not installed (or not on PATH): install zot-flux-no-such-tool, or put it on PATH',
    );
  });
});

describe('nesting', () => {
  const nested = (n: number, leaf: unknown = 1): unknown => {
    let v = leaf;
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  test('nestingDepth counts without recursion, and stops once beyond the limit', () => {
    expect(nestingDepth(1)).toBe(0);
    expect(nestingDepth({})).toBe(1);
    expect(nestingDepth({ a: [1, { b: [] }] })).toBe(4);
    expect(nestingDepth(nested(MAX_NESTING))).toBe(MAX_NESTING);
    expect(nestingDepth(nested(200_000))).toBe(MAX_NESTING + 1);
  });

  test('refused beyond MAX_NESTING naming where it came from; accepted at it', () => {
    expect(() => refuseDeepNesting(nested(MAX_NESTING), 'config.json')).not.toThrow();
    const e = caught(() => refuseDeepNesting(nested(MAX_NESTING + 1), 'config.json')) as ZotFluxError;
    expect(ZotFluxError.isZotFluxError(e)).toBe(true);
    expect(e.message).toBe(
      `config.json: nests objects and arrays more than ${MAX_NESTING} levels deep: zot-flux reads at most ${MAX_NESTING} ` +
        "(zot's own JSON reader stops at 10000); flatten it, or check that it is the file you meant",
    );
    expect(() => parseJsonWithin('{"a":', 'x.json')).toThrow(SyntaxError);
  });

  test('a stack overflow (a RangeError from nesting) is 1 with what to do, never 3', () => {
    const deep = (n: number): number => (n === 0 ? 0 : deep(n - 1) + 1);
    const e = caught(() => deep(1e7));
    expect(e).toBeInstanceOf(RangeError);
    const o = io();
    expect(reportError('synth', e, o)).toBe(1);
    expect(o.err).toContain('synth: error: an input is nested deeper than zot-flux can follow');
    expect(o.err).toContain(`at most ${MAX_NESTING} levels`);
    expect(describeFailure(e).kind).toBe('nesting');
    expect(nothingWrittenAfter(e)).toBe(true);
  });

  // A config.json nested 3000 deep ran zot-verify out of stack (exit 3); now refused naming the file.
  const dir = tempDir();
  const write = (name: string, depth: number) => {
    let s = '1';
    for (let i = 0; i < depth; i++) s = `[${s}]`;
    fs.writeFileSync(path.join(dir, name), `{"http":{"address":${s}}}`);
    return name;
  };
  const run = (f: (argv: string[], o: Io) => number, command: string, argv: string[]) => {
    const o = io(dir);
    let code: number;
    try {
      code = f(argv, o);
    } catch (e) {
      code = reportError(command, e, o);
    }
    return { code, ...o };
  };

  test('zot-verify: 3000 deep is refused naming the file (exit 1); 500 deep is judged', () => {
    const deep = run(zotVerifyCommand, 'zot-verify', [write('deep.json', 3000)]);
    expect(deep.code).toBe(1);
    expect(deep.err).toContain(
      `zot-verify: error: deep.json: nests objects and arrays more than ${MAX_NESTING} levels deep`,
    );
    const fine = run(zotVerifyCommand, 'zot-verify', [write('fine.json', 500)]);
    expect(fine.code).toBe(1); // an address that is not a string: zot's own refusal, not a stack overflow
    expect(fine.err).not.toContain('nested');
    expect(fine.err).toContain('http.address');
  });

  test('access --config: 3000 deep is refused naming the file (exit 1)', () => {
    const r = run(accessCommand, 'access', ['--config', write('deep-access.json', 3000)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${path.join(dir, 'deep-access.json')}: nests objects and arrays more than ${MAX_NESTING} levels deep`,
    );
  });
});

describe('the rest', () => {
  test('an unknown TypeError is a bug: exit 3 with its stack', () => {
    const o = io();
    const e = caught(() => (undefined as unknown as { x: { y: number } }).x.y);
    expect(reportError('fleet-check', e, o)).toBe(3);
    expect(o.err).toContain(
      'fleet-check: internal error (a bug in zot-flux; please report it with this output):\nTypeError',
    );
    expect(o.err).toMatch(/\n\s+at /);
  });

  test('a system error code outside the table (EINVAL) is a bug, as is a thrown string', () => {
    expect(exitCodeOf(sysError('EINVAL', { syscall: 'open', path: '/x' }))).toBe(3);
    expect(exitCodeOf('a string')).toBe(3);
    expect(exitCodeOf(new RangeError('Invalid array length'))).toBe(3);
  });

  test('one table for every command: a refusal, the world and nesting are 1, usage 2, a bug 3', () => {
    const refusal = new ZotFluxError({
      field: '--charts',
      value: '/c',
      reason: 'has no package of chart zot version 0.1.122',
    });
    expect(exitCodeOf(refusal)).toBe(1);
    expect(exitCodeOf(sysError('ENOSPC', { syscall: 'write', path: '/x' }))).toBe(1);
    expect(exitCodeOf(new UsageError('--base REF is required'))).toBe(2);
    expect(exitCodeOf(new TypeError('x'))).toBe(3);
    expect(EXIT_CODES).toEqual({ usage: 2, refused: 1, world: 1, tool: 1, nesting: 1, bug: 3 });
  });

  test('a usage error is told from a refusal across module copies (a brand, as ZotFluxError)', () => {
    const e = new UsageError('x');
    expect(ZotFluxError.isZotFluxError(e)).toBe(true);
    expect(describeFailure(e).kind).toBe('usage');
    expect(describeFailure(new ZotFluxError({ field: 'f', reason: 'r' })).kind).toBe('refused');
  });

  test('"nothing was written" follows a refusal, not a failed write that says what became of the tree', () => {
    expect(nothingWrittenAfter(new ZotFluxError({ field: 'release.port', value: 0, reason: 'is not a port' }))).toBe(
      true,
    );
    expect(
      nothingWrittenAfter(
        new ZotFluxError({
          field: 'a.yaml',
          reason:
            'could not be written: no space left on device (ENOSPC): free space. Synth changed nothing: every file is as it was',
        }),
      ),
    ).toBe(false);
    expect(nothingWrittenAfter(sysError('ENOSPC', { syscall: 'write', path: '/x' }))).toBe(false);
    expect(nothingWrittenAfter(new TypeError('x'))).toBe(false);
  });
});

// A real read-only file system and a real full disk (tmpfs mounts; skipped where mount is not allowed).
describe('the machine refuses: exit 1 naming the path (tmpfs)', () => {
  const withMount = testIf(mountAllowed(), 'mount is not allowed here');
  const mounts: string[] = [];
  const mount = (options: string): string | undefined => {
    const dir = tempDir('zot-flux-mnt-');
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) return undefined;
    mounts.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
  });

  withMount(
    'read-only: synth and render --all say read-only (node reports ENOENT from a recursive mkdir there)',
    async () => {
      const ro = mount('ro,size=64k');
      if (!ro) throw new Error('the tmpfs mount failed, although the probe could mount one');
      const { synthCommand } = await import('../../lib/cli/synth');
      const { renderCommand } = await import('../../lib/cli/render');
      const { appWith } = await import('../support/tree');
      const s = io(ro);
      expect(synthCommand(['--out', '.', '--no-render'], s, () => appWith(), ro)).toBe(1);
      expect(s.err).toContain(`in '${ro}', the file system is read-only (EROFS): remount it read-write`);
      const r = io(ro);
      const fleet = path.resolve(__dirname, '..', 'fixtures', 'fleet');
      expect(renderCommand(['--all', '--repo', fleet, '--out-dir', 'rendered'], r)).toBe(1);
      expect(r.err).toContain(
        `render: error: '${path.join(ro, 'rendered')}' cannot be created: in '${ro}', the file system is read-only (EROFS)`,
      );
      expect(fs.readdirSync(ro)).toEqual([]);
    },
  );

  withMount('full: render --all names the file it could not write', async () => {
    const full = mount('size=4k');
    if (!full) throw new Error('the tmpfs mount failed, although the probe could mount one');
    fs.writeFileSync(path.join(full, 'filler'), Buffer.alloc(4096)); // the one page there is
    const { renderCommand } = await import('../../lib/cli/render');
    const r = io(full);
    const fleet = path.resolve(__dirname, '..', 'fixtures', 'fleet');
    expect(renderCommand(['--all', '--repo', fleet, '--out-dir', '.'], r)).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `render: error: '${full}/[a-z0-9-]+\\.yaml': no space left on the device \\(ENOSPC on write\\): free some space`,
      ),
    );
  });
});
