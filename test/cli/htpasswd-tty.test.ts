// On a terminal, `npm run htpasswd` prompts twice without echo and requires both to match.
// A real pseudo-terminal comes from util-linux's `script`.
import { spawn } from 'child_process';
import { rmSync } from 'fs';
import * as path from 'path';
import * as bcrypt from 'bcryptjs';
import { onPath } from '../support/registry';
import { PROJECT_ROOT, needs } from '../support/tree';

const { bundle: bundleEntry } = require('../../scripts/bundle.js') as {
  bundle(entry: string, outfile: string): unknown;
};

const run = needs("util-linux's script (a pseudo-terminal)", onPath('script'));
const bundle = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-htpasswd-tty.js`);

beforeAll(() => {
  bundleEntry('scripts/htpasswd.ts', bundle);
});
afterAll(() => rmSync(bundle, { force: true }));

/** Runs the command on a pty, typing each answer when its prompt appears; resolves with the transcript and exit code. */
function onTerminal(args: string[], answers: string[]): Promise<{ out: string; code: number }> {
  return new Promise((resolve, reject) => {
    const cmd = [process.execPath, bundle, ...args].map((a) => `'${a}'`).join(' ') + '; echo "EXIT=$?"';
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let answered = 0;
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`timed out; transcript: ${out}`));
    }, 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const prompts = (out.match(/Password( \(again\))?: /g) ?? []).length;
      while (answered < prompts && answered < answers.length) child.stdin.write(answers[answered++] + '\r');
      const m = /EXIT=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdin.end();
        resolve({ out, code: Number(m[1]) });
      }
    });
    child.on('error', reject);
  });
}

run('two matching prompts: one line, and the password never appears on the terminal', async () => {
  const { out, code } = await onTerminal(['admin', '--cost', '4'], ['tty-Secret-1', 'tty-Secret-1']);
  expect(code).toBe(0);
  expect(out).toContain('Password: ');
  expect(out).toContain('Password (again): ');
  expect(out).not.toContain('tty-Secret-1');
  const line = /admin:(\$2y\$04\$[./A-Za-z0-9]{53})/.exec(out)!;
  expect(bcrypt.compareSync('tty-Secret-1', line[1])).toBe(true);
});

run('two prompts that differ: refused, exit 1, no line', async () => {
  const { out, code } = await onTerminal(['admin', '--cost', '4'], ['tty-Secret-1', 'tty-Secret-2']);
  expect(code).toBe(1);
  expect(out).toContain('htpasswd: error: the two passwords do not match');
  expect(out).not.toMatch(/admin:\$2y\$/);
});

run('a typed password is hashed as its UTF-8 bytes (what a client sends for it)', async () => {
  const { out, code } = await onTerminal(['admin', '--cost', '4'], ['tty-Pässwört-✓', 'tty-Pässwört-✓']);
  expect(code).toBe(0);
  expect(out).not.toContain('Pässwört');
  expect(out).not.toContain('not valid UTF-8');
  const line = /admin:(\$2y\$04\$[./A-Za-z0-9]{53})/.exec(out)!;
  expect(bcrypt.compareSync('tty-Pässwört-✓', line[1])).toBe(true);
});
