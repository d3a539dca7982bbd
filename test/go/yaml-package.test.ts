// Why lib/go/yaml keeps its go-yaml port instead of the `yaml` package (v2, installed through cdk8s): for each class
// of the committed conformance subset where `yaml` with `version: '1.1'` (and the options closest to go-yaml) does
// not give Go's bytes or Go's reading, one named case shows it, and the port's answer is Go's. Measured with
// scripts/yaml-package-vs-port.ts; if a newer `yaml` starts agreeing on a case, this test says which one.
import * as fs from 'fs';
import * as path from 'path';
import { fromFluxYaml, toFluxYaml } from '../../lib/go/yaml';
import { yamlPackageRead, yamlPackageWrite } from '../../scripts/yaml-package-adapter';

interface PipelineLine {
  id: string;
  object: unknown;
  expect: { object?: unknown; error?: boolean; message?: string };
  trace: { path: string; yaml: string; substituted?: string };
}
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'flux-conformance');
const cases = new Map<string, PipelineLine>(
  fs
    .readFileSync(path.join(FIXTURES, 'pipeline-v1.9.4.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l): [string, PipelineLine] => {
      const c: PipelineLine = JSON.parse(l);
      return [c.id, c];
    }),
);
function get(id: string): PipelineLine {
  const c = cases.get(id);
  if (c === undefined) throw new Error(`no case ${id}`);
  return c;
}

/** The `yaml` package's reading, an error as 'ERROR'. */
function yamlRead(text: string): unknown {
  try {
    return yamlPackageRead(text);
  } catch {
    return 'ERROR';
  }
}
const yamlWrite = yamlPackageWrite;
function portRead(text: string): unknown {
  try {
    return fromFluxYaml(text);
  } catch {
    return 'ERROR';
  }
}
const expected = (c: PipelineLine): unknown => (c.expect.object !== undefined ? c.expect.object : 'ERROR');

describe('writing: go-yaml bytes the `yaml` package does not produce', () => {
  test.each([
    // (with singleQuote: true, yaml gets value:star:0 right but single-quotes "yes" and "0123": roundtrip:string:0)
    ['value:star:0', "quoting: go-yaml single-quotes '*.${X}' (yaml double-quotes it)"],
    ['value:tab:0', 'a tab: go-yaml double-quotes "a\\t${X}" (yaml writes it plain)'],
    ['value:long:0', 'folding: a long plain string at 80 columns'],
    ['fold:double-quoted:40', 'folding inside a double-quoted string'],
    ['fold:list:72', 'folding in a list item'],
    ['real:dashboard-json', 'folding a long single-quoted JSON value'],
  ])('%s (%s)', (id) => {
    const c = get(id);
    expect(toFluxYaml(c.object)).toBe(c.trace.yaml);
    expect(yamlWrite(c.object)).not.toBe(c.trace.yaml);
  });
});

describe('reading: go-yaml values the `yaml` package does not read', () => {
  test.each([
    ['value:plain:17', '0o17 is 15 for go-yaml v2'],
    ['value:plain:24', '.inf is refused (encoding/json has no Inf)'],
    ['value:plain:25', '.NaN is refused'],
    ['value:plain:26', 'a timestamp stays a string'],
    ['value:plain:27', '12:30 stays a string (no sexagesimal ints)'],
    ['value:plain:57', '"\\r" is a line break'],
    ['value:plain:59', 'U+0085 after "plain: " is a line break: null'],
    ['value:plain:60', 'U+2028 is a line break: null'],
    ['value:plain:69', '!!float 1 is the number 1'],
    ['value:plain:71', '!!null x is refused'],
    ['value:plain:72', '!!binary is decoded to a string'],
    ['value:plain:88', '1e400 stays a string (out of float64 range)'],
    ['value:plain:96', 'a control character is refused'],
    ['value:twice:68', '"!!int 7/!!int 7" is refused'],
    ['shape:keyWhole:4', 'an empty key is refused (nil map key)'],
    ['shape:keyWhole:9', 'a mapping as a key is refused'],
  ])('%s (%s)', (id) => {
    const c = get(id);
    const text = c.trace.substituted ?? '';
    expect(portRead(text)).toEqual(expected(c));
    expect(yamlRead(text)).not.toEqual(expected(c));
  });
});
