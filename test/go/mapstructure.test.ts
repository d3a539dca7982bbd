// mapstructure v2.5.0 with WeaklyTypedInput (lib/go/mapstructure.ts): mapstructure.go decodeString,
// decodeBool, decodeInt, decodeFloat; decode_hooks.go StringToTimeDurationHookFunc.
import { typeName, weakBool, weakDuration, weakFloat, weakInt, weakString } from '../../lib/go/mapstructure';

describe('decodeString (WeaklyTypedInput)', () => {
  test.each<[unknown, unknown]>([
    ['x', { value: 'x' }],
    [1.5, { value: '1.5' }], // strconv.FormatFloat(f, 'f', -1, 64)
    [1e21, { value: '1000000000000000000000' }],
    [true, { value: '1' }],
    [false, { value: '0' }],
    [[1], { fail: 'type' }],
    [{}, { fail: 'type' }],
  ])('%j', (input, want) => expect(weakString(input)).toEqual(want));
});

describe('decodeBool (WeaklyTypedInput: numbers, strconv.ParseBool, "" is false)', () => {
  test.each<[unknown, unknown]>([
    [true, { value: true }],
    [0, { value: false }],
    [2, { value: true }],
    ['T', { value: true }],
    ['FALSE', { value: false }],
    ['', { value: false }],
    ['yes', { fail: 'parse' }],
    [[], { fail: 'type' }],
  ])('%j', (input, want) => expect(weakBool(input)).toEqual(want));
});

describe('decodeInt (WeaklyTypedInput: a float truncated, bools, strconv.ParseInt(s, 0, 0), "" is 0)', () => {
  test.each<[unknown, unknown]>([
    [3, { value: 3 }],
    [2.9, { value: 2 }],
    [-2.9, { value: -2 }],
    [true, { value: 1 }],
    ['0x1f', { value: 31 }],
    ['0o17', { value: 15 }],
    ['017', { value: 15 }],
    ['1_000', { value: 1000 }],
    ['', { value: 0 }],
    ['1.5', { fail: 'parse' }],
    [{}, { fail: 'type' }],
  ])('%j', (input, want) => expect(weakInt(input)).toEqual(want));
});

describe('decodeFloat (WeaklyTypedInput: bools, strconv.ParseFloat, "" is 0)', () => {
  test.each<[unknown, unknown]>([
    [1.5, { value: 1.5 }],
    [false, { value: 0 }],
    ['2.5', { value: 2.5 }],
    ['', { value: 0 }],
    ['fast', { fail: 'parse' }],
    [[1], { fail: 'type' }],
  ])('%j', (input, want) => expect(weakFloat(input)).toEqual(want));
});

describe('time.Duration: StringToTimeDurationHookFunc for a string, decodeInt (nanoseconds) otherwise', () => {
  test.each<[unknown, unknown]>([
    ['1h30m', { value: 5400e9 }],
    ['1d', { fail: 'parse', error: 'time: unknown unit "d" in duration "1d"' }],
    [90, { value: 90 }],
    [1.9, { value: 1 }],
    [true, { value: 1 }],
    [null, { fail: 'type' }],
  ])('%j', (input, want) => expect(weakDuration(input)).toEqual(want));
});

test('typeName', () => {
  expect([[], {}, null, 'x', 1, true].map(typeName)).toEqual([
    'a list',
    'an object',
    'null',
    'a string',
    'a number',
    'a boolean',
  ]);
});
