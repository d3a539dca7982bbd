// One object through kustomize-controller's postBuild substitution (lib/flux/substitute-object.ts): the committed
// conformance subset for both generations, focused cases whose expected results were taken from Flux's Go code
// paths, and `npm run conformance` (scripts/conformance-tool.ts) on the committed subset.
import { CONFORMANCE_FIXTURES as FIXTURES, loadConformanceFixture, thrown } from '../support/flux';
import { Io } from '../../lib/cli/command';
import { conformanceCommand, runConformanceCase } from '../../scripts/conformance-tool';
import { FLUX_GENERATIONS, FluxGeneration } from '../../lib/flux/generation';
import { optsOutOfSubstitution, substituteObject, SubstituteObjectOptions } from '../../lib/flux/substitute-object';

const load = loadConformanceFixture;
const KEY = 'kustomize.toolkit.fluxcd.io/substitute';
const cm = (data: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', ...meta },
  data,
});
const o29: SubstituteObjectOptions = { generation: '2.9', strict: true };

describe.each([
  ['pipeline-v1.7.3.jsonl', '2.7'],
  ['pipeline-v1.9.4.jsonl', '2.9'],
] as const)('committed conformance subset %s (Flux %s)', (file, generation) => {
  const cases = load(file);
  test('covers opt-outs, strict, errors, every value family and (2.9) substituteStrategy', () => {
    const ids = cases.map((c) => c.id);
    for (const prefix of [
      'value:',
      'shape:',
      'roundtrip:',
      'optout:',
      'key:',
      'novars:',
      'strict:',
      'newline:',
      'fold:',
      'real:',
      'upstream-test:',
    ]) {
      expect([prefix, ids.some((id) => id.startsWith(prefix))]).toEqual([prefix, true]);
    }
    expect(cases.some((c) => c.expect.error)).toBe(true);
    expect(cases.some((c) => c.substituteStrategy === 'Always')).toBe(generation === '2.9');
  });
  test('every case gives the object (or the failure) Flux gives', () => {
    const failures = cases.map((c) => ({ id: c.id, r: runConformanceCase(c, generation) })).filter((x) => !x.r.ok);
    expect(failures).toEqual([]);
  });
});

describe('the controller pipeline, case by case', () => {
  test('opt-out: the object\'s own label or annotation with exactly "disabled"', () => {
    const byAnnotation = cm({ a: '${X}', b: 'yes' }, { annotations: { [KEY]: 'disabled' } });
    expect(substituteObject(byAnnotation, { X: 'on' }, o29)).toEqual(byAnnotation);
    expect(optsOutOfSubstitution(cm({}, { labels: { [KEY]: 'disabled' } }))).toBe(true);
    // "Disabled" is not the value Flux compares with: substituted, and `on` read back as YAML 1.1 true
    expect(substituteObject(cm({ a: '${X}', b: 'yes' }, { labels: { [KEY]: 'Disabled' } }), { X: 'on' }, o29)).toEqual(
      cm({ a: true, b: 'yes' }, { labels: { [KEY]: 'Disabled' } }),
    );
  });
  test("an annotation on a pod template is not the object's own", () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { metadata: { annotations: { [KEY]: 'disabled' } }, spec: { x: '${X}' } } },
    };
    expect((substituteObject(d, { X: 'on' }, o29) as typeof d).spec.template.spec.x).toBe(true);
  });
  test('no variable: left alone (no YAML round trip), unless Flux 2.9 substituteStrategy Always', () => {
    const o = cm({ a: '${X:=d}', b: 'yes', c: '$${X}' });
    expect(substituteObject(o, {}, o29)).toEqual(o);
    expect(substituteObject(o, {}, { ...o29, substituteStrategy: 'WithVariables' })).toEqual(o);
    expect(substituteObject(o, {}, { ...o29, substituteStrategy: 'Always' })).toEqual(
      cm({ a: 'd', b: 'yes', c: '${X}' }),
    );
    // kustomize-controller v1.7.3 has no substituteStrategy: nothing to honour
    expect(FLUX_GENERATIONS['2.7'].substituteStrategy).toBe(false);
    expect(substituteObject(o, {}, { generation: '2.7', strict: false, substituteStrategy: 'Always' })).toEqual(o);
  });
  test('every var name is checked, even one no object uses; an opted-out object is not', () => {
    const e = thrown(() => substituteObject(cm({ a: 'plain' }), { 'tls.crt': 'x' }, o29));
    expect(e.field).toBe('ConfigMap/c.postBuild');
    expect(e.reason).toMatch(/var name is invalid/);
    const out = cm({ a: 'plain' }, { labels: { [KEY]: 'disabled' } });
    expect(substituteObject(out, { 'tls.crt': 'x' }, o29)).toEqual(out);
  });
  test('values lose "\\n"; "\\r" stays and is a YAML line break that can inject a key', () => {
    expect(substituteObject(cm({ a: '${X}' }), { X: 'a\nb' }, o29)).toEqual(cm({ a: 'ab' }));
    expect(substituteObject(cm({ a: '${X}' }), { X: 'a\rnamespace: other' }, o29)).toEqual({
      ...cm({ a: 'a' }),
      namespace: 'other',
    });
  });
  test('the substituted text is read back as YAML 1.1', () => {
    expect(substituteObject(cm({ a: '${X}', b: '${Y}', c: 'v-${X}' }), { X: 'on', Y: '0123' }, o29)).toEqual(
      cm({ a: true, b: 83, c: 'v-on' }),
    );
  });
  test('strict scope per generation', () => {
    expect(substituteObject(cm({ a: '${X^^}' }), { Y: 'y' }, { generation: '2.7', strict: true })).toEqual(
      cm({ a: null }),
    );
    const e = thrown(() => substituteObject(cm({ a: '${X^^}' }), { Y: 'y' }, o29));
    expect(e.field).toBe('ConfigMap/c.${X^^}');
    expect(e.reason).toBe('variable not set (strict mode): "X"');
    expect([FLUX_GENERATIONS['2.7'].strictByDefault, FLUX_GENERATIONS['2.9'].strictByDefault]).toEqual([false, true]);
  });
  test('an object Flux cannot write as YAML fails even when it opts out', () => {
    const e = thrown(() => substituteObject(cm({ s: '\u0080' }, { labels: { [KEY]: 'disabled' } }), { X: 'x' }, o29));
    expect(e.reason).toMatch(/control characters are not allowed/);
  });
  test('a value that breaks the YAML fails the object, and the message does not show the value', () => {
    const e = thrown(() => substituteObject(cm({ a: '${X}' }), { X: 'hunter2: [' }, o29));
    expect(e.field).toBe('ConfigMap/c');
    expect(e.reason).toMatch(/mapping values are not allowed in this context/);
    expect(e.message).not.toContain('hunter2');
  });
  test('the input object is not modified', () => {
    const o = cm({ a: '${X}' });
    substituteObject(o, { X: 'v' }, o29);
    expect(o).toEqual(cm({ a: '${X}' }));
  });
});

describe('npm run conformance (scripts/conformance-tool.ts) on the committed subset', () => {
  function run(argv: string[]): { code: number; out: string; err: string } {
    const o = { out: '', err: '' };
    const io: Io = {
      cwd: FIXTURES,
      env: {},
      stdout: (s) => {
        o.out += s;
      },
      stderr: (s) => {
        o.err += s;
      },
    };
    return { code: conformanceCommand(argv, io), ...o };
  }
  const lastLine = (s: string) => s.trimEnd().split('\n').pop();

  test.each([
    ['2.7', ['envsubst-v1.5.0.jsonl', 'pipeline-v1.7.3.jsonl']],
    ['2.9', ['envsubst-v1.7.0.jsonl', 'pipeline-v1.9.4.jsonl']],
  ] as Array<[FluxGeneration, string[]]>)('Flux %s: all pass, exit 0, "N passed, 0 failed" last', (flux, files) => {
    const r = run(['--flux', flux, ...files]);
    const total = files.map((f) => load(f).length).reduce((a, b) => a + b, 0);
    expect(r.code).toBe(0);
    expect(lastLine(r.out)).toBe(`${total} passed, 0 failed`);
    expect(r.out).not.toMatch(/^FAIL/m);
  });
  test('the wrong generation: mismatches printed (id, expected, got), exit 1', () => {
    const r = run(['--flux', '2.7', 'envsubst-v1.7.0.jsonl']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL envsubst-v1\.7\.0\.jsonl \S+ \[strict\]\n {4}expected: .*\n {4}got: /m);
    expect(lastLine(r.out)).toMatch(/^\d+ passed, [1-9]\d* failed$/);
  });
  test('usage errors', () => {
    expect(() => run(['envsubst-v1.5.0.jsonl'])).toThrow(/--flux 2.7\|2.9 is required/);
    expect(() => run(['--flux', '2.8', 'envsubst-v1.5.0.jsonl'])).toThrow(/--flux must be 2.7 or 2.9/);
    expect(() => run(['--flux', '2.9'])).toThrow(/no conformance FILE/);
    expect(() => run(['--flux', '2.9', 'missing.jsonl'])).toThrow(/no such file/);
  });
});
