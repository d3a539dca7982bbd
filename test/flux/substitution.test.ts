// Flux's text-level substitution (lib/flux/substitution.ts): the committed conformance subset (expectations made
// by Flux's own Go code, test/fixtures/flux-conformance/PROVENANCE.md) for both generations, plus focused cases.
import { loadConformanceFixture, thrown } from '../support/flux';
import { runConformanceCase } from '../../scripts/conformance-tool';
import { FLUX_GENERATIONS, FluxGeneration } from '../../lib/flux/generation';
import {
  FLUX_VARIABLE_NAME,
  fluxVariables,
  substituteText,
  substituteTextBytes,
  variableReferences,
} from '../../lib/flux/substitution';

const load = loadConformanceFixture;

const sub = (input: string, vars: Record<string, string>, generation: FluxGeneration = '2.9', strict = false) =>
  substituteText(input, vars, { generation, strict });

describe.each([
  ['envsubst-v1.5.0.jsonl', '2.7'],
  ['envsubst-v1.7.0.jsonl', '2.9'],
] as const)('committed conformance subset %s (Flux %s)', (file, generation) => {
  const cases = load(file);
  test('covers every kind of expectation: output, non-UTF-8 bytes, error, panic, strict', () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.some((c) => c.expect.outputBase64 !== undefined)).toBe(true);
    expect(cases.some((c) => c.expect.panic)).toBe(true);
    expect(cases.some((c) => c.expect.error)).toBe(true);
    expect(cases.some((c) => c.strict)).toBe(true);
  });
  test('every case gives what Flux gives', () => {
    const failures = cases.map((c) => ({ id: c.id, r: runConformanceCase(c, generation) })).filter((x) => !x.r.ok);
    expect(failures).toEqual([]);
  });
  test('the other generation disagrees on some strict cases (the subset can fail)', () => {
    const other: FluxGeneration = generation === '2.7' ? '2.9' : '2.7';
    expect(cases.filter((c) => !runConformanceCase(c, other).ok).length).toBeGreaterThan(0);
  });
});

describe('variables as the controller prepares them', () => {
  test('the name rule is ASCII letters, digits and _ with no leading digit, anchored at both ends', () => {
    for (const ok of ['A', '_', 'a_1', 'CLUSTER_DOMAIN']) expect(FLUX_VARIABLE_NAME.test(ok)).toBe(true);
    for (const bad of ['1a', 'a-b', 'tls.crt', 'é', '', 'A\n', ' A']) expect(FLUX_VARIABLE_NAME.test(bad)).toBe(false);
  });
  test('every key is checked, also one the text does not use', () => {
    const e = thrown(() => sub('plain text', { OK: 'x', 'tls.crt': 'y' }));
    expect(e.reason).toMatch(/var name is invalid/);
    expect(e.value).toBe('tls.crt');
  });
  test('"\\n" is removed from values; "\\r", U+0085 and U+2028 stay', () => {
    const vars = fluxVariables({ A: 'l1\nl2\r\n\u0085\u2028' });
    expect(Buffer.from(vars.get('A')!, 'latin1').toString('utf8')).toBe('l1l2\r\u0085\u2028');
    expect(sub('${#A}', { A: 'a\nb\n' })).toBe('2');
  });
});

describe("Flux's operators, read from envsubst", () => {
  const vars = { P: 'a/b/c.tar.gz', A: 'abcabc', E: '', U8: 'héllo', N: '2' };
  test.each([
    ['${P##*/}', 'c.tar.gz'], // '*' matches '/' in Flux's forked path.Match
    ['${P#*/}', 'b/c.tar.gz'],
    ['${P%.*}', 'a/b/c.tar'],
    ['${P%%.*}', 'a/b/c'],
    ['${A/b/X}', 'aXcabc'],
    ['${A//b/X}', 'aXcaXc'],
    ['${A/#a/X}', 'Xbcabc'],
    ['${A/%c/X}', 'abcabX'],
    ['${A:1:2}', 'bc'],
    ['${A:-2}', 'abcabc'], // ':-' is the default operator, not a negative offset
    ['${A: -2}', 'abcabc'], // " -2" does not parse as an int: the value is returned
    ['${A:${N}}', 'cabc'],
    ['${E:-d}', 'd'],
    ['${E:+x}', 'x'], // Flux's :+ is toDefault: the word when the value is empty
    ['${A:+x}', 'abcabc'],
    ['${E:?msg}', 'msg'],
    ['${A^^}', 'ABCABC'],
    ['${A^}', 'Abcabc'],
    ['${#U8}', '6'], // bytes, not characters
    ['$$', '$'],
    ['$${A}', '${A}'],
    ['${A:=$$}', 'abcabc'],
    ['${E:=$$}', '$$'], // no escapes inside a default
    ['${1abc}', ''], // a leading digit is a name for the parser
    ['a\u0000${A}', 'a'], // a NUL rune is the scanner's eof
  ])('%s → %j', (input, out) => {
    expect(sub(input, vars)).toBe(out);
  });
  test.each([
    ['${X/init}', 'bad substitution'],
    ['${A-x}', 'missing closing brace'],
    ['${A#}', 'unable to parse substitution within function'],
    ['${}', 'unable to parse variable name'],
    ['${A', 'missing closing brace'],
  ])('%s is refused: %s', (input, reason) => {
    const e = thrown(() => sub(input, vars));
    expect(e.reason).toBe(reason);
    expect(e.field).toBe('postBuild');
  });
  test('a negative length that Go slices before the offset panics: refused, named as a panic', () => {
    const e = thrown(() => sub('${A:3:-2}', vars));
    expect(e.field).toBe('${A:3:-2}');
    expect(e.reason).toMatch(/panic.*slice bounds out of range \[3:1\]/);
  });
});

describe('strict mode per generation', () => {
  test('Flux 2.7 (envsubst v1.5.0) fails only a bare ${VAR}; Flux 2.9 (v1.7.0) fails every non-default operator', () => {
    expect(FLUX_GENERATIONS['2.7'].strictScope).toBe('bare');
    expect(thrown(() => sub('${X}', {}, '2.7', true)).reason).toBe('variable not set (strict mode): "X"');
    expect(sub('${X^^}', {}, '2.7', true)).toBe('');
    expect(thrown(() => sub('${X^^}', {}, '2.9', true)).field).toBe('${X^^}');
    expect(thrown(() => sub('${#X}', {}, '2.9', true)).reason).toMatch(/variable not set/);
    for (const op of [':-d', ':=d', ':?d', ':+d', '=d']) expect(sub(`\${X${op}}`, {}, '2.9', true)).toBe('d');
  });
  test('lax mode: an unset variable is empty', () => {
    expect(sub('[${X}]', {}, '2.9', false)).toBe('[]');
  });
  test('an error never shows a variable value', () => {
    const e = thrown(() => sub('${SECRET} ${MISSING}', { SECRET: 'hunter2' }, '2.9', true));
    expect(e.message).not.toContain('hunter2');
    expect(e.message).toContain('MISSING');
  });
});

describe('output that is not valid UTF-8', () => {
  test('substituteTextBytes gives the bytes Go gives; substituteText refuses', () => {
    // "é" is C3 A9: ${V:1} starts inside it
    expect(substituteTextBytes('${V:1}', { V: 'éa' }, { generation: '2.9', strict: false }).toString('hex')).toBe(
      'a961',
    );
    const e = thrown(() => sub('${V:1}', { V: 'éa' }));
    expect(e.field).toBe('postBuild');
    expect(e.reason).toMatch(/not valid UTF-8/);
    expect(e.message).not.toContain('éa');
  });
  test('a valid cut is a plain string', () => {
    expect(sub('${V:2}', { V: 'éa' })).toBe('a');
  });
});

describe('variableReferences', () => {
  test('every expression with its name and offset, nested ones after their parent; $$ escapes are not references', () => {
    const text = 'host: ${NAME}.${DOMAIN:-${ZONE}} $${LITERAL} ${#N}';
    expect(variableReferences(text, '2.9')).toEqual([
      { name: 'NAME', expression: '${NAME}', offset: 6 },
      { name: 'DOMAIN', expression: '${DOMAIN:-${ZONE}}', offset: 14 },
      { name: 'ZONE', expression: '${ZONE}', offset: 24 },
      { name: 'N', expression: '${#N}', offset: 45 },
    ]);
  });
  test('offsets are JS string indexes after non-ASCII text', () => {
    const text = 'é😀 ${A}';
    const [ref] = variableReferences(text, '2.7');
    expect(text.slice(ref.offset)).toBe('${A}');
  });
  test('offsets after $$ escapes point at the original text', () => {
    const text = '$$$$ ${A//\\//x} ${B}';
    const refs = variableReferences(text, '2.9');
    expect(refs.map((r) => text.slice(r.offset, r.offset + r.expression.length))).toEqual(['${A//\\//x}', '${B}']);
  });
  test('what Flux cannot parse throws', () => {
    expect(() => variableReferences('${X/init}', '2.9')).toThrow(/bad substitution/);
  });
});
