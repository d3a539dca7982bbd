// What every command shares: option parsing, paths from the folder the user ran npm in, and one
// mapping from errors to messages and exit codes (refusal 1, usage 2, bug 3 with its stack).
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../../lib/core/error';
import { Io, parseArgs, reportError, UsageError, userPath } from '../../lib/cli/command';
import { synth, tempDir } from '../support/tree';

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

describe('parseArgs', () => {
  const spec = { values: ['out', 'repo'], flags: ['check'] };
  test('--name VALUE, --name=VALUE, flags, and -- before positionals', () => {
    expect(parseArgs(['--out', 'a', '--check', '--repo=b', '--', '--not-an-option'], spec)).toEqual({
      options: { out: 'a', check: true, repo: 'b' },
      positionals: ['--not-an-option'],
      help: false,
    });
  });
  test.each([
    [['--out='], '--out needs a value (it is empty)'],
    [['--out'], '--out needs a value'],
    [['--out', '--check'], '--out needs a value'],
    [['--check=yes'], '--check takes no value'],
    [['--outdir', 'x'], "unknown option '--outdir'"],
    [['--out', 'a', '--out', 'b'], '--out is given twice'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv, spec)).toThrow(new UsageError(message).message);
  });
});

test('relative paths are taken from the folder the user ran npm in', () => {
  expect(userPath(io('/repo/sub'), '../x')).toBe(path.resolve('/repo/x'));
  expect(userPath(io('/repo/sub'), '/abs')).toBe('/abs');
});

describe('reportError', () => {
  test('a refusal: its message, exit 1, no stack', () => {
    const o = io();
    expect(
      reportError(
        'synth',
        new ZotFluxError({ field: 'release.port', value: 0, reason: 'is not an integer from 1 to 65535' }),
        o,
      ),
    ).toBe(1);
    expect(o.err).toBe('synth: error: release.port: 0 is not an integer from 1 to 65535\n');
  });
  test('a usage error: exit 2 with the usage', () => {
    const o = io();
    expect(reportError('render', new UsageError('give --cluster NAME or --all'), o, 'usage: ...\n')).toBe(2);
    expect(o.err).toBe('render: give --cluster NAME or --all\n\nusage: ...\n');
  });
  test('anything else is a bug: exit 3 and its stack, never dressed as a refusal', () => {
    const o = io();
    const bug = new TypeError("Cannot read properties of undefined (reading 'replace')");
    expect(reportError('synth', bug, o)).toBe(3);
    expect(o.err).toContain('internal error (a bug in zot-flux');
    expect(o.err).toContain('TypeError: Cannot read properties of undefined');
    expect(o.err).toMatch(/\n\s+at /);
    expect(o.err).not.toContain('synth: error:');
  });
});

describe('synth --out', () => {
  test('a folder that does not exist is a usage error unless --mkdir asks for it', () => {
    const root = path.join(tempDir(), 'deep', 'repo');
    const r = synth(root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist (give the root of an existing repository, or add --mkdir)');
    expect(fs.existsSync(root)).toBe(false);
    expect(synth(root, undefined, ['--mkdir']).code).toBe(0);
    expect(fs.existsSync(path.join(root, 'clusters/common/apps/zot/ks.yaml'))).toBe(true);
  });
  test('--out= (empty) is a usage error, not the project root', () => {
    const r = synth(tempDir(), undefined, ['--out=']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out needs a value (it is empty)');
  });
});
