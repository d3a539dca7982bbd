// The full Flux conformance data in ../shared/flux-conformance (made by running Flux's own Go code): every case of
// all four files must give what Flux gives, through `npm run conformance` (scripts/conformance-tool.ts). Also checks
// that the committed subset (test/fixtures/flux-conformance) is exactly what scripts/conformance-subset.ts derives
// from these files.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Io } from '../../lib/cli/command';
import {
  CONFORMANCE_FILES,
  conformanceCommand,
  conformanceSubsetCommand,
  parseConformanceFile,
} from '../../scripts/conformance-tool';

const SHARED = path.join(__dirname, '..', '..', '..', 'shared', 'flux-conformance');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'flux-conformance');

function io(cwd: string): Io & { out: string; err: string } {
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

test.each(CONFORMANCE_FILES.map((f) => [f.file, f.generation] as const))(
  '%s: every case passes for Flux %s',
  (file, generation) => {
    const cases = parseConformanceFile(fs.readFileSync(path.join(SHARED, file), 'utf8'), file);
    expect(cases.length).toBeGreaterThan(3000);
    const o = io(SHARED);
    const code = conformanceCommand(['--flux', generation, '--max', '20', file], o);
    expect(o.out.trimEnd().split('\n').pop()).toBe(`${cases.length} passed, 0 failed`);
    expect(code).toBe(0);
  },
);

test('the committed subset is what conformance-subset derives from the shared files, and names their sha256', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-subset-'));
  try {
    expect(conformanceSubsetCommand(['--from', SHARED, '--out', out], io(out))).toBe(0);
    for (const name of [...CONFORMANCE_FILES.map((f) => f.file), 'PROVENANCE.md']) {
      expect([
        name,
        fs.readFileSync(path.join(out, name), 'utf8') === fs.readFileSync(path.join(FIXTURES, name), 'utf8'),
      ]).toEqual([name, true]);
    }
    const provenance = fs.readFileSync(path.join(FIXTURES, 'PROVENANCE.md'), 'utf8');
    for (const f of CONFORMANCE_FILES) {
      const sha = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(SHARED, f.file)))
        .digest('hex');
      expect(provenance).toContain(sha);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
