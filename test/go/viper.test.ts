// What viper v1.21.0 hands to mapstructure (lib/go/viper.ts): util.go insensitiviseMap, viper.go
// AllKeys → flattenAndMergeMap, getSettings, find → searchIndexableWithPathPrefixes,
// searchSliceWithPathPrefixes. zot reads its config with viper.KeyDelimiter("::").
import { insensitivise, isPlain, Plain, settle, SPELLING, viperGet, ViperEvents } from '../../lib/go/viper';

function recorder(): ViperEvents & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    collision: (path, first, lower) => seen.push(`collision ${path} ${first} ${lower}`),
    delimited: (path, parts) => seen.push(`delimited ${path} ${parts.join('|')}`),
    leafAndMap: (path) => seen.push(`leafAndMap ${path}`),
  };
}

const settled = (config: Plain) => {
  const events = recorder();
  const lowered = insensitivise(config, '', events);
  return { out: settle(isPlain(lowered) ? lowered : {}, '', '::', events), seen: events.seen };
};

describe('insensitiviseMap (util.go)', () => {
  test('every map key is lower-cased, inside lists too; the spelling is kept aside', () => {
    const events = recorder();
    const out = insensitivise({ HTTP: { Auth: [{ HtPasswd: 1 }] } }, '', events);
    expect(out).toEqual({ http: { auth: [{ htpasswd: 1 }] } });
    expect(isPlain(out) && SPELLING.get(out)?.get('http')).toBe('HTTP');
    expect(events.seen).toEqual([]);
  });
  test('two keys equal but for case collide: the first is kept, the second reported', () => {
    const events = recorder();
    expect(insensitivise({ log: { Level: 'debug', level: 'info' } }, '', events)).toEqual({ log: { level: 'debug' } });
    expect(events.seen).toEqual(['collision log.level Level level']);
  });
});

describe('AllSettings (viper.go: AllKeys, getSettings)', () => {
  test('nulls and objects without leaves vanish; lists are leaves, kept whole', () => {
    expect(settled({ a: null, b: {}, c: { d: {} }, e: [1, { f: null }], g: 0 }).out).toEqual({
      e: [1, { f: null }],
      g: 0,
    });
  });
  test('a key holding the delimiter is the nested keys it spells, and wins over them written nested', () => {
    const { out, seen } = settled({ 'http::port': '1', http: { port: '2', address: 'x' } });
    expect(out).toEqual({ http: { port: '1', address: 'x' } });
    expect(seen).toEqual(['delimited http::port http|port']);
  });
  test('a value and a map of settings at one path are reported', () => {
    expect(settled({ a: { b: { c: 2 } }, 'a::b': 1 }).seen).toContain('leafAndMap a.b');
  });
});

describe('find (viper.go: searchIndexableWithPathPrefixes)', () => {
  test('the longest prefix that is a key first; nil falls back to a shorter one', () => {
    const source = { 'a::b': { c: 1 }, a: { b: { c: 2, d: 3 } } };
    expect(viperGet(source, ['a', 'b', 'c'], '::')).toBe(1);
    expect(viperGet(source, ['a', 'b', 'd'], '::')).toBe(3);
    expect(viperGet({ 'a::b': null, a: { b: 4 } }, ['a', 'b'], '::')).toBe(4);
  });
  test('a number in the path indexes a list (searchSliceWithPathPrefixes: strconv.Atoi, in range)', () => {
    const source = { l: [{ x: 1 }, { x: 2 }] };
    expect(viperGet(source, ['l', '1', 'x'], '::')).toBe(2);
    expect(viperGet(source, ['l', '+1', 'x'], '::')).toBe(2);
    expect(viperGet(source, ['l', '2', 'x'], '::')).toBeUndefined();
    expect(viperGet(source, ['l', 'x'], '::')).toBeUndefined();
  });
});
