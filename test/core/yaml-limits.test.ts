// lib/core/yaml.ts: YAML a user wrote is read to MAX_NESTING levels (as JSON is), and go-yaml's aliasing rule
// refuses an alias bomb quickly, naming the file; lib/core/nesting.ts walks shared values once per depth.
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../../lib/core/error';
import { MAX_NESTING, nestingDepth } from '../../lib/core/nesting';
import { loadYaml, loadYamlAll } from '../../lib/core/yaml';
import { goString, unmarshalGoYaml } from '../../lib/go/yaml';
import { parseZotConfigText } from '../../lib/zot/startup';

jest.setTimeout(5000);

const nested = (key: string, n: number) => `${key}: ${'['.repeat(n)}${']'.repeat(n)}\n`;
const bomb = (levels = 40) =>
  ['a0: &a0 [x]', ...Array.from({ length: levels - 1 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)].join(
    '\n',
  ) + '\n';

/** The refusal `f` throws: a ZotFluxError naming `field`, never a js-yaml exception or a stack. */
function refusal(f: () => unknown, field: string): string {
  let caught: unknown;
  const start = Date.now();
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(Date.now() - start).toBeLessThan(2000);
  expect(ZotFluxError.isZotFluxError(caught)).toBe(true);
  const e = caught as ZotFluxError;
  expect(e.problems[0].field).toBe(field);
  expect(e.message).not.toMatch(/\n\s+at /);
  return e.message;
}

describe('nesting', () => {
  test('YAML nests to MAX_NESTING levels like JSON (js-yaml alone stops at 100)', () => {
    expect(nestingDepth(loadYaml(nested('extensions', 150), 'd.yaml'))).toBe(151);
    expect(nestingDepth(loadYaml('['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING), 'top.yaml'))).toBe(MAX_NESTING);
    expect(nestingDepth(loadYaml(nested('x', MAX_NESTING - 1), 'x.yaml'))).toBe(MAX_NESTING);
  });

  test("beyond MAX_NESTING: refused as zot-flux's limit, naming the file", () => {
    for (const text of [
      nested('x', MAX_NESTING),
      '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1),
      nested('x', 20000),
    ]) {
      const m = refusal(() => loadYamlAll(text, 'clusters/a/deep.yaml'), 'clusters/a/deep.yaml');
      expect(m).toMatch(new RegExp(`more than ${MAX_NESTING} levels deep: zot-flux reads at most ${MAX_NESTING}`));
      expect(m).not.toMatch(/zot cannot/);
    }
  });

  test('nestingDepth is bounded on shared values (a 2^60-node DAG) and ends on a cycle', () => {
    let v: unknown = ['x'];
    for (let i = 0; i < 60; i++) v = [v, v, { a: v, b: v }];
    const start = Date.now();
    expect(nestingDepth(v)).toBe(121);
    expect(Date.now() - start).toBeLessThan(500);
    const cyc: any[] = [];
    cyc.push(cyc);
    expect(nestingDepth(cyc)).toBe(MAX_NESTING + 1);
  });
});

describe('aliases', () => {
  test("an alias bomb of ~1 KB is refused with go-yaml's words, naming the file, in well under a second", () => {
    const text = bomb();
    expect(text.length).toBeLessThan(1200);
    const m = refusal(() => loadYamlAll(text, 'b.yaml'), 'b.yaml');
    expect(m).toMatch(/document contains excessive aliasing/);
    // The second document of a file too: each is decoded afresh, as yaml.v3's Decoder does.
    expect(refusal(() => loadYamlAll('a: 1\n---\n' + text, 'two.yaml'), 'two.yaml')).toMatch(/excessive aliasing/);
    expect(refusal(() => loadYamlAll('a: &a [*a]\n', 'cycle.yaml'), 'cycle.yaml')).toMatch(
      /anchor 'a' value contains itself|not supported/,
    );
  });

  test('ordinary anchors, aliases and merges read exactly as js-yaml reads them', () => {
    const text =
      'base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  z: 3\nlist: [*b, *b]\n---\nsecond: &s two\nthird: *s\n';
    expect(loadYamlAll(text, 'f.yaml')).toEqual(yaml.loadAll(text));
    expect(loadYamlAll('', 'empty.yaml')).toEqual([]);
    expect(loadYaml('', 'empty.yaml')).toBeUndefined();
    expect(refusal(() => loadYaml('a: [1\n', 'bad.yaml'), 'bad.yaml')).toMatch(/does not parse as YAML/);
  });

  test("the same verdict as go-yaml's decoder (lib/go/yaml.ts, v2.4.2) around the threshold", () => {
    const goRefuses = (text: string) => {
      try {
        unmarshalGoYaml(goString(text));
        return false;
      } catch (e) {
        return /excessive aliasing/.test(String((e as Error).message));
      }
    };
    const oursRefuses = (text: string) => {
      try {
        loadYamlAll(text, 'g.yaml');
        return false;
      } catch (e) {
        return /excessive aliasing/.test(String((e as Error).message));
      }
    };
    let refused = 0;
    let accepted = 0;
    // Aliased share m(k+1) against m + k + 4·pad + a few: the 99% line lies near k = 99.
    for (const k of [1, 30, 96, 98, 99, 100, 101, 103, 150, 200, 400]) {
      for (const m of [5, 11, 50, 200, 1000]) {
        for (const pad of [0, 3, 20]) {
          const text =
            `a: &a [${Array(k).fill('x').join(', ')}]\n` +
            Array.from({ length: pad }, (_, i) => `p${i}: [1, 2, 3]`).join('\n') +
            `\nb: [${Array(m).fill('*a').join(', ')}]\n`;
          const go = goRefuses(text);
          expect([k, m, pad, oursRefuses(text)]).toEqual([k, m, pad, go]);
          if (go) refused++;
          else accepted++;
        }
      }
    }
    expect(refused).toBeGreaterThan(5);
    expect(accepted).toBeGreaterThan(10);
    expect(goRefuses(bomb())).toBe(true);
  });
});

describe('zot config text (lib/zot/startup.ts parseZotConfigText)', () => {
  test("150 levels of YAML parse (zot's go-yaml reads them); 600 are zot-flux's refusal, naming the file", () => {
    expect(nestingDepth(parseZotConfigText(nested('extensions', 150), 'd.yaml'))).toBe(151);
    expect(refusal(() => parseZotConfigText(nested('extensions', 600), 'd.yaml'), 'd.yaml')).toMatch(
      /zot-flux reads at most/,
    );
  });

  test('an alias bomb is refused quickly, naming the file, by extension or without one', () => {
    for (const f of ['b.yaml', 'b'])
      expect(refusal(() => parseZotConfigText(bomb(), f), f)).toMatch(/excessive aliasing/);
  });

  test('JSON by extension; JSON then YAML without one', () => {
    expect(parseZotConfigText('{"a": 1}', 'c.json')).toEqual({ a: 1 });
    expect(refusal(() => parseZotConfigText('a: 1', 'c.json'), 'c.json')).toMatch(/does not parse as JSON/);
    expect(parseZotConfigText('a: 1', 'config')).toEqual({ a: 1 });
  });
});
