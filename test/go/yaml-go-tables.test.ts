// lib/go/yaml against go-yaml v2.4.4 itself: test/fixtures/go-yaml/v2.4.4.json holds, for 1,300 texts (hand-written
// cases for every part of the reader, scanner, parser, resolver and emitter, and seeded mutations of them), what
// yaml.Unmarshal into interface{} gave (the value with its Go types, or the error) and what yaml.Marshal then wrote.
// Produced by test/fixtures/go-yaml/gen (see PROVENANCE.md there).
import * as fs from 'fs';
import * as path from 'path';
import { GoString, formatGoFloat, goString, jsString, unmarshalGoYaml, validUtf8 } from '../../lib/go/yaml';
import { marshalGoYaml } from '../../lib/go/yaml/emitter';
import { GoFloat, GoInt, GoMap, GoUint, GoValue } from '../../lib/go/yaml/values';

interface GoResult {
  in: string;
  value?: { v: unknown };
  readError?: string;
  yaml?: string;
  writeError?: string;
}
const results: GoResult[] = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'go-yaml', 'v2.4.4.json'), 'utf8'),
);

/** A Go value the way the generator describes it (gen/main.go describe). */
function describe(v: GoValue): unknown {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return validUtf8(v) ? jsString(v) : { bytes: Buffer.from(v, 'latin1').toString('hex') };
  if (v instanceof GoInt) return { int: v.v.toString() };
  if (v instanceof GoUint) return { uint: v.v.toString() };
  if (v instanceof GoFloat) return { float: formatGoFloat(v.v, 64) };
  if (Array.isArray(v)) return v.map(describe);
  return { map: describeMap(v) };
}
function describeMap(m: GoMap): unknown[] {
  const entries = [...m.entries.values()].map(([k, e]) => [describe(k), describe(e)]);
  const key = (e: unknown[]): string => JSON.stringify(e[0]);
  return entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
function read(text: GoString): { value?: { v: unknown }; readError?: string; go?: GoValue } {
  try {
    const go = unmarshalGoYaml(text);
    return { value: { v: describe(go) }, go };
  } catch (e) {
    return { readError: 'yaml: ' + (e as { message: string }).message };
  }
}

test('the table covers reading, refusing and writing', () => {
  expect(results.length).toBeGreaterThan(1000);
  expect(results.filter((r) => r.readError !== undefined).length).toBeGreaterThan(300);
  expect(results.filter((r) => r.yaml !== undefined).length).toBeGreaterThan(500);
});

// The one message the port words differently: go-yaml@v2.4.4 decode.go d.mapping fails with
// "invalid map key: %#v", the key's Go syntax; the port names the type only ("invalid map key: []interface {}").
const goMessage = (m: string | undefined): string | undefined =>
  m?.replace(/^(yaml: invalid map key: (?:\[\]interface \{\}|map\[interface \{\}\]interface \{\})).*$/s, '$1');

test('yaml.Unmarshal: the same value with the same Go types, or the same error', () => {
  const wrong = results
    .map((r) => ({ r, got: read(goString(r.in)) }))
    .filter(
      ({ r, got }) => JSON.stringify([got.value, got.readError]) !== JSON.stringify([r.value, goMessage(r.readError)]),
    )
    .map(({ r, got }) => ({ in: r.in, go: r.value ?? r.readError, port: got.value ?? got.readError }));
  expect(wrong).toEqual([]);
});

test('yaml.Marshal of what was read: the same bytes', () => {
  const wrong = results
    .filter((r) => r.yaml !== undefined)
    .map((r) => ({ r, got: read(goString(r.in)).go }))
    .filter(({ r, got }) => got === undefined || marshalGoYaml(got) !== goString(r.yaml ?? ''))
    .map(({ r }) => r.in);
  expect(wrong).toEqual([]);
});
