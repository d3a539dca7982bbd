// YAML as kustomize-controller writes and reads it (lib/go/yaml.ts): the committed conformance subset's
// traces (the YAML text Go wrote for each object, the text after substitution) and focused cases whose expected
// values were taken from go-yaml v2 / sigs.k8s.io/yaml themselves.
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../../lib/core/error';
import { canonicalJson } from '../../scripts/conformance-tool';
import { formatGoFloat, fromFluxYaml, toFluxYaml } from '../../lib/go/yaml';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'flux-conformance');

interface PipelineLine {
  id: string;
  object: unknown;
  expect: { object?: unknown; error?: boolean; message?: string };
  trace: { path: string; yaml: string; substituted?: string };
}
const load = (file: string): PipelineLine[] =>
  fs
    .readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));

function reason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e.reason;
    throw e;
  }
  throw new Error('expected a ZotFluxError');
}

describe.each(['pipeline-v1.7.3.jsonl', 'pipeline-v1.9.4.jsonl'])('committed conformance subset %s', (file) => {
  const cases = load(file);
  test('toFluxYaml writes each object byte for byte as Go did (trace.yaml)', () => {
    const written = cases.filter((c) => c.trace.path !== 'AsYAML-failed');
    expect(written.length).toBeGreaterThan(200);
    const wrong = written.filter((c) => toFluxYaml(c.object) !== c.trace.yaml).map((c) => c.id);
    expect(wrong).toEqual([]);
  });
  test('an object Go could not write is refused', () => {
    const failed = cases.filter((c) => c.trace.path === 'AsYAML-failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const c of failed) expect(() => toFluxYaml(c.object)).toThrow(/control characters are not allowed/);
  });
  test('fromFluxYaml reads each substituted text as Go did (trace.substituted → expected object or error)', () => {
    const read = cases.filter((c) => c.trace.substituted !== undefined);
    expect(read.length).toBeGreaterThan(200);
    const wrong: string[] = [];
    for (const c of read) {
      if (c.expect.object !== undefined) {
        if (canonicalJson(fromFluxYaml(c.trace.substituted!)) !== canonicalJson(c.expect.object)) wrong.push(c.id);
      } else if (/YAMLToJSON/.test(c.expect.message ?? '')) {
        try {
          fromFluxYaml(c.trace.substituted!);
          wrong.push(c.id);
        } catch (e) {
          if (!ZotFluxError.isZotFluxError(e)) throw e;
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('reading YAML back (go-yaml v2: YAML 1.1)', () => {
  test.each([
    ['a: yes\nb: on\nc: y\nd: NO\ne: off\nf: True', { a: true, b: true, c: true, d: false, e: false, f: true }],
    [
      'a: 0123\nb: 1_000\nc: 0x1F\nd: 0o17\ne: 0b101\nf: 08\ng: +12\nh: 1e3\ni: .5\nk: 1e400',
      { a: 83, b: 1000, c: 31, d: 15, e: 5, f: 8, g: 12, h: 1000, i: 0.5, k: '1e400' },
    ],
    ['a: ~\nb: null\nc:', { a: null, b: null, c: null }],
    ['a: x\rb: y', { a: 'x', b: true }], // "\r" is a line break
    ['a: x\u0085b: y', { a: 'x', b: true }], // so is U+0085
    ['a: x\u2028b: y', { a: 'x', b: true }], // and U+2028
    ['a: 1\n---\nb: 2', { a: 1 }], // the first document only
    ['a: 1\na: 2', { a: 2 }], // the last duplicate wins
    ['base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3', { base: { true: 2, x: 1 }, m: { true: 3, x: 1 } }], // `y` is a bool key
    ['base: &b {x: 1, z: 2}\nm:\n  z: 3\n  <<: *b', { base: { x: 1, z: 2 }, m: { x: 1, z: 2 } }], // a later merge overrides
    ['a: !!binary aGk=', { a: 'hi' }],
    ['a: 2024-01-01\nb: 2024-01-01T10:00:00Z', { a: '2024-01-01', b: '2024-01-01T10:00:00Z' }], // timestamps stay strings
    ['1.5: x\n2: y\ntrue: z\n0.1: w\n1e6: v', { '2': true, '0.1': 'w', '1.5': 'x', '1e+06': 'v', true: 'z' }],
    ['a: !!int 7\nb: !!float 1\nc: !!str 7\nd: !foo bar\ne: ! 12', { a: 7, b: 1, c: '7', d: 'bar', e: '12' }],
    ['a:\tb', { a: 'b' }],
    ['\ufeffa: 1', { a: 1 }],
    ['a: |\n  l1\n  l2\nb: >-\n  f1\n  f2\n\n  f3', { a: 'l1\nl2\n', b: 'f1 f2\nf3' }],
    ['{a: 1, b: [x, y]} trailing', { a: 1, b: ['x', true] }],
    ['a: "x\\\n  y"', { a: 'xy' }],
  ])('%j', (text, value) => {
    expect(canonicalJson(fromFluxYaml(text))).toBe(canonicalJson(value));
  });
  test('an integer beyond 2^53 reads as the nearest float64 (encoding/json), like JSON.parse', () => {
    expect(fromFluxYaml('j: 9223372036854775808')).toEqual({ j: 9223372036854775808 });
  });
  test.each([
    ['a: .inf', /unsupported value: \+Inf/],
    ['a: -.Inf', /unsupported value: -Inf/],
    ['a: .nan', /unsupported value: NaN/],
    ['a: !!binary aGk', /invalid base64/],
    ['~: x', /unsupported map key of type: <nil>/],
    ['18446744073709551615: x', /unsupported map key of type: uint64/],
    ['? [a]\n: x', /invalid map key/],
    ['a: &x\n  - *x', /contains itself/],
    ['a: "\\ud800"', /invalid Unicode character escape/],
    ['a: !!null x', /cannot decode !!str a value as a !!null/],
    ['a: b: c', /mapping values are not allowed in this context/],
    ['- a\nb: c', /line 1: did not find expected '-' indicator/],
    ['a: *nope', /unknown anchor/],
    ['k: \u0080', /control characters are not allowed/],
  ])('%j is refused', (text, message) => {
    expect(reason(() => fromFluxYaml(text))).toMatch(message);
  });
  test('a refusal never quotes the text it refuses (it may be a substituted secret)', () => {
    const r = reason(() => fromFluxYaml('a: !!null hunter2'));
    expect(r).not.toContain('hunter2');
    expect(reason(() => fromFluxYaml('a: *hunter2'))).not.toContain('hunter2');
  });
  test('the reader checks characters 512 bytes at a time: a control character far past the first document goes unseen', () => {
    expect(reason(() => fromFluxYaml('a: 1\n---\n\u007f'))).toMatch(/control characters/);
    expect(fromFluxYaml(`a: 1\n---\n${'x'.repeat(600)}\u007f`)).toEqual({ a: 1 });
  });
});

describe('writing YAML (sigs.k8s.io/yaml.Marshal: json.Marshal, then go-yaml v2)', () => {
  test('keys in go-yaml natural order: digit runs compare as numbers, letters after other runes', () => {
    const o = { b: 1, a: 2, a10: 3, a2: 4, A: 5, é: 6, _: 7, '1': 8, '01': 9, '10': 10 };
    expect(toFluxYaml(o)).toBe('_: 7\n"1": 8\n"01": 9\n"10": 10\nA: 5\na: 2\na2: 4\na10: 3\nb: 1\né: 6\n');
  });
  test('YAML 1.1 quoting, literal blocks, escapes', () => {
    const o = {
      s1: 'yes',
      s2: '0123',
      s3: '',
      s4: '1:20',
      s5: 'a: b',
      s6: "it's",
      s7: 'line1\nline2',
      s8: 'a😀',
      s9: '\ttab',
      s10: '2024-01-01',
      s11: '- a',
      s12: '#c',
      s13: ' lead',
      s14: 'trail ',
      s15: 'null',
      s16: '~',
      s17: '1e3',
      s18: '\ufeffbom',
      s19: 'line\n',
      s20: 'l\n\n',
    };
    expect(toFluxYaml(o)).toBe(
      's1: "yes"\ns2: "0123"\ns3: ""\ns4: "1:20"\ns5: \'a: b\'\ns6: it\'s\ns7: |-\n  line1\n  line2\ns8: "a\\U0001F600"\n' +
        's9: "\\ttab"\ns10: "2024-01-01"\ns11: \'- a\'\ns12: \'#c\'\ns13: \' lead\'\ns14: \'trail \'\ns15: "null"\ns16: "~"\n' +
        's17: "1e3"\ns18: "\\uFEFF\\x62\\x6F\\x6D"\ns19: |\n  line\ns20: |+\n  l\n\n',
    );
  });
  test('line breaks other than "\\n": U+2028 kept raw, "\\r" escaped, U+0085 folded to a space', () => {
    // json.Marshal leaves U+0085 raw inside the JSON string; go-yaml reads it there as a line break and folds it
    // (JSONToYAML), so a NEL in a value becomes a space once Flux substitutes the object.
    expect(toFluxYaml({ s: 'a\u2028b', t: 'a\u0085b', u: 'a\rb' })).toBe('s: \'a\u2028  b\'\nt: a b\nu: "a\\rb"\n');
  });
  test('long plain and quoted strings fold past column 80', () => {
    const words = 'word '.repeat(30).trim();
    expect(toFluxYaml({ s: words })).toBe(`s: ${'word '.repeat(16).trim()}\n  ${'word '.repeat(14).trim()}\n`);
    expect(toFluxYaml({ s: `x: ${words}` })).toBe(
      `s: 'x: ${'word '.repeat(15).trim()}\n  ${'word '.repeat(15).trim()}'\n`,
    );
  });
  test('numbers: ints exact, floats in Go %g (exponent from 1e+06 up and below 1e-04)', () => {
    const o = {
      n1: 1e21,
      n2: 123456.5,
      n3: 1234567.5,
      n4: 0.00001,
      n5: 0.0001,
      n6: -1.5,
      n7: 2 ** 64,
      n8: 2 ** 53,
      n9: 1e6,
      n10: 0.1,
    };
    expect(toFluxYaml(o)).toBe(
      'n1: 1e+21\nn2: 123456.5\nn3: 1.2345675e+06\nn4: 1e-05\nn5: 0.0001\nn6: -1.5\nn7: 1.8446744073709552e+19\nn8: 9007199254740992\nn9: 1000000\nn10: 0.1\n',
    );
    expect(formatGoFloat(1e6)).toBe('1e+06');
    expect(formatGoFloat(0.1, 32)).toBe('0.1');
    expect(formatGoFloat(1 / 3, 32)).toBe('0.33333334');
  });
  test('collections: empty ones in flow style, sequences indentless under a key', () => {
    expect(toFluxYaml({ l: [], m: {}, n: [1, [2, 3], { a: 1, b: [] }], o: { p: { q: [{ r: 1 }] } } })).toBe(
      'l: []\nm: {}\n"n":\n- 1\n- - 2\n  - 3\n- a: 1\n  b: []\no:\n  p:\n    q:\n    - r: 1\n',
    );
  });
  test('a key longer than 128 bytes is written as a complex key', () => {
    expect(toFluxYaml({ ['k'.repeat(130)]: 'v' })).toBe(`? ${'k'.repeat(130)}\n: v\n`);
  });
  test('a string Go cannot write (C1 control) is refused', () => {
    expect(reason(() => toFluxYaml({ s: '\u0080' }))).toMatch(/control characters are not allowed/);
  });
  test('round trip: what toFluxYaml writes, fromFluxYaml reads back unchanged', () => {
    const o = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { app: 'zot' } },
      data: { a: 'yes', b: '0123', c: 'x: y', d: 'l1\nl2', e: 'word '.repeat(40) },
    };
    expect(fromFluxYaml(toFluxYaml(o))).toEqual(o);
  });
});
