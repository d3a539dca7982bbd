// zot-verify reads a YAML config as zot's viper does (lib/zot/startup.ts parseZotConfigText → lib/core/yaml.ts):
// nesting past js-yaml's 100 levels parses (zot's go-yaml reads it), beyond 512 is zot-flux's own refusal, and an
// alias bomb is go-yaml's refusal, quickly: exit 1 naming the file, no stack, never 'internal error'.
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../support/cli';
import { tempDir } from '../support/tree';

jest.setTimeout(30_000);

function file(name: string, text: string): string {
  const f = path.join(tempDir('zot-flux-verify-yaml-'), name);
  fs.writeFileSync(f, text);
  return f;
}

function verify(f: string) {
  const start = Date.now();
  const r = runCli('scripts/zot-verify.ts', [f]);
  expect(Date.now() - start).toBeLessThan(10_000);
  expect(r.stderr + r.stdout).not.toMatch(/internal error|YAMLException|maxDepth|\n\s+at /);
  return r;
}

test('150 levels of YAML: zot parses it, so zot-verify judges it (no "zot cannot parse it")', () => {
  const r = verify(file('d.yaml', `extensions: ${'['.repeat(150)}${']'.repeat(150)}\n`));
  expect(r.stderr).not.toMatch(/cannot parse/);
  expect(r.stdout).toMatch(/refuses .*d\.yaml: 1 problem/); // extensions is a struct in zot, not a list
});

test("600 levels: zot-flux's own limit, naming the file, not worded as zot's", () => {
  const f = file('deep.yaml', `extensions: ${'['.repeat(600)}${']'.repeat(600)}\n`);
  const r = verify(f);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`${f}: nests objects and arrays more than 512 levels deep: zot-flux reads at most 512`);
  expect(r.stderr).not.toMatch(/zot cannot/);
});

test("an alias bomb of ~1 KB: go-yaml's refusal, naming the file, in well under the timeout", () => {
  const text =
    ['a0: &a0 [x]', ...Array.from({ length: 39 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)].join('\n') +
    '\n';
  for (const name of ['b.yaml', 'b']) {
    const f = file(name, text);
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}: zot cannot parse it (go-yaml refuses it: document contains excessive aliasing`);
  }
});
