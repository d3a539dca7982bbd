// mapstructure v2.5.0 with WeaklyTypedInput, as viper's UnmarshalExact configures it (viper v1.21.0
// viper.go: defaultDecoderConfig): how one JSON value becomes a Go string, bool, int, float64 or
// time.Duration (mapstructure.go: decodeString, decodeBool, decodeInt, decodeFloat; decode_hooks.go:
// StringToTimeDurationHookFunc). Each function returns the Go value, or `undefined` when mapstructure
// fails; the caller (lib/zot) words the failure.
import { goFormatFloat, goParseBool, goParseFloat, goParseInt } from './strconv';
import { parseGoDuration } from './time';

/** The value, or why mapstructure refuses it (`kind` says whether the type or the text was wrong). */
export type Weak<T> = { value: T } | { fail: 'type' } | { fail: 'parse'; error?: string };

const TYPE: { fail: 'type' } = { fail: 'type' };

/** How a JSON value is described in messages: `a list`, `an object`, `null`, `a string`. */
export const typeName = (v: unknown) =>
  Array.isArray(v)
    ? 'a list'
    : typeof v === 'object' && v !== null
      ? 'an object'
      : v === null
        ? 'null'
        : `a ${typeof v}`;

/** mapstructure.go decodeString: a number is formatted (strconv.FormatFloat 'f', -1), a bool is "1" or "0". */
export function weakString(value: unknown): Weak<string> {
  if (typeof value === 'string') return { value };
  if (typeof value === 'number') return { value: goFormatFloat(value) };
  if (typeof value === 'boolean') return { value: value ? '1' : '0' };
  return TYPE;
}

/** mapstructure.go decodeBool: a number is true unless 0, a string goes through strconv.ParseBool, "" is false. */
export function weakBool(value: unknown): Weak<boolean> {
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'number') return { value: value !== 0 };
  if (typeof value !== 'string') return TYPE;
  const b = goParseBool(value);
  if (b !== undefined) return { value: b };
  if (value === '') return { value: false };
  return { fail: 'parse' };
}

/** mapstructure.go decodeInt: a float is truncated, a bool is 1 or 0, a string goes through strconv.ParseInt(s, 0, 0), "" is 0. */
export function weakInt(value: unknown): Weak<number> {
  if (typeof value === 'number') return { value: Math.trunc(value) };
  if (typeof value === 'boolean') return { value: value ? 1 : 0 };
  if (typeof value !== 'string') return TYPE;
  const n = goParseInt(value === '' ? '0' : value, 0);
  return n === undefined ? { fail: 'parse' } : { value: Number(n) };
}

/** mapstructure v2.5.0 mapstructure.go decodeFloat: a bool is 1 or 0, a string goes through strconv.ParseFloat, "" is 0. */
export function weakFloat(value: unknown): Weak<number> {
  if (typeof value === 'number') return { value };
  if (typeof value === 'boolean') return { value: value ? 1 : 0 };
  if (typeof value !== 'string') return TYPE;
  const f = goParseFloat(value === '' ? '0' : value);
  return f === undefined ? { fail: 'parse' } : { value: f };
}

/**
 * A time.Duration field: decode_hooks.go StringToTimeDurationHookFunc (time.ParseDuration) for a
 * string; a number or bool is decodeInt, nanoseconds.
 */
export function weakDuration(value: unknown): Weak<number> {
  if (typeof value === 'string') {
    const d = parseGoDuration(value);
    return 'error' in d ? { fail: 'parse', error: d.error } : { value: d.ns };
  }
  if (typeof value === 'number') return { value: Math.trunc(value) };
  if (typeof value === 'boolean') return { value: value ? 1 : 0 };
  return TYPE;
}
