// Tag resolution: what a scalar's text means in YAML 1.1 as go-yaml v2 reads it — null, bools (yes/on/y…), ints
// (0123, 0x, 0o, 0b, 1_000), floats (.inf, .nan, 1e3), timestamps, merge keys (go-yaml@v2.4.2+v2.4.4 resolve.go).
import { failf } from './failure';
import { GoString } from './go-string';
import { GoFloat, GoInt, GoUint, GoValue } from './values';
export const STR_TAG = 'tag:yaml.org,2002:str';
export const BOOL_TAG = 'tag:yaml.org,2002:bool';
export const INT_TAG = 'tag:yaml.org,2002:int';
export const FLOAT_TAG = 'tag:yaml.org,2002:float';
export const NULL_TAG = 'tag:yaml.org,2002:null';
export const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
export const BINARY_TAG = 'tag:yaml.org,2002:binary';
export const MERGE_TAG = 'tag:yaml.org,2002:merge';
export const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';

// go-yaml@v2.4.2+v2.4.4 resolve.go shortTag
export function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? '!!' + tag.slice(LONG_TAG_PREFIX.length) : tag;
}

// go-yaml@v2.4.2+v2.4.4 resolve.go resolveMap: YAML 1.1 booleans, nulls, .inf/.nan and the merge key.
export const RESOLVE_MAP = new Map<string, [string, GoValue | 'merge']>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
  RESOLVE_MAP.set(s, [BOOL_TAG, true]);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
  RESOLVE_MAP.set(s, [BOOL_TAG, false]);
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, [NULL_TAG, null]);
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, [FLOAT_TAG, new GoFloat(NaN)]);
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'])
  RESOLVE_MAP.set(s, [FLOAT_TAG, new GoFloat(Infinity)]);
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, [FLOAT_TAG, new GoFloat(-Infinity)]);
RESOLVE_MAP.set('<<', [MERGE_TAG, '<<']);

// go-yaml@v2.4.2+v2.4.4 resolve.go resolveTable: the first byte's hint ('S' sign, 'D' digit, 'M' in the map, '.' float).
export function hintOf(c: number): string {
  if (c === 0x2b || c === 0x2d) return 'S';
  if (c >= 0x30 && c <= 0x39) return 'D';
  if ('yYnNtTfFoO~'.includes(String.fromCharCode(c))) return 'M';
  if (c === 0x2e) return '.';
  return '';
}

export const MAX_INT64 = 9223372036854775807n;
export const MAX_UINT64 = 18446744073709551615n;

// go@1.19 strconv/atoi.go ParseUint(s, base, 64) for base 0 (prefixes 0b 0o 0x need 3+ chars; a leading 0 is octal) or 2.
export function parseGoUint(s: string, base0: boolean, base = 10): bigint | null {
  if (s === '') return null;
  if (base0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : '';
      if (p === 'b') {
        base = 2;
        s = s.slice(2);
      } else if (p === 'o') {
        base = 8;
        s = s.slice(2);
      } else if (p === 'x') {
        base = 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  }
  let n = 0n;
  const b = BigInt(base);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x7a
          ? c - 0x61 + 10
          : c >= 0x41 && c <= 0x5a
            ? c - 0x41 + 10
            : 99;
    if (d >= base) return null; // underscores were removed by resolve; any other byte is a syntax error
    n = n * b + BigInt(d);
    if (n > MAX_UINT64) return null;
  }
  return n;
}

// go@1.19 strconv/atoi.go ParseInt(s, base, 64).
export function parseGoInt(s: string, base0: boolean, base = 10): bigint | null {
  if (s === '') return null;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const u = parseGoUint(s, base0, base);
  if (u === null) return null;
  if (!neg && u > MAX_INT64) return null;
  if (neg && u > MAX_INT64 + 1n) return null;
  return neg ? -u : u;
}

// go@1.19 strconv/atof.go ParseFloat(s, 64) for the decimal forms resolve can hand it; ±Inf (ErrRange) is an error, underflow is not.
export const GO_DECIMAL_FLOAT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
export function parseGoFloat(s: string): number | null {
  if (!GO_DECIMAL_FLOAT.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

// go-yaml@v2.4.2+v2.4.4 resolve.go yamlStyleFloat
export const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

// go-yaml@v2.4.2+v2.4.4 resolve.go parseTimestamp: "YYYY-" then one of allowedTimestampFormats with Go's time.Parse rules.
export function isGoTimestamp(s: string): boolean {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  if (i !== 4 || i === s.length || s[i] !== '-') return false;
  // "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(.*)$/s.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  const dim = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][month - 1];
  if (day < 1 || day > dim) return false;
  const rest = m[4];
  if (rest === '') return true;
  const t = /^([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})((?:[.,][0-9]+)?)(.*)$/s.exec(rest);
  if (!t) return false;
  if (Number(t[2]) >= 24 || Number(t[3]) >= 60 || Number(t[4]) >= 60) return false;
  const zone = t[6];
  if (t[1] === ' ') return zone === '';
  if (zone === 'Z') return true;
  const z = /^[+-]([0-9]{2}):([0-9]{2})$/.exec(zone);
  return z !== null && Number(z[1]) <= 24 && Number(z[2]) <= 60;
}

/** go-yaml@v2.4.2+v2.4.4 resolve.go resolve(tag, in): the tag a scalar resolves to and its Go value ('merge' for <<). */
export function resolveScalar(tag: string, input: GoString): [string, GoValue | 'merge'] {
  if (!(
    tag === '' ||
    tag === STR_TAG ||
    tag === BOOL_TAG ||
    tag === INT_TAG ||
    tag === FLOAT_TAG ||
    tag === NULL_TAG ||
    tag === TIMESTAMP_TAG
  )) {
    return [tag, input];
  }
  const [rtag, out] = resolvePlain(tag, input);
  // the deferred check: an explicit tag must agree (an int may be read as a float)
  if (tag === '' || tag === rtag || tag === STR_TAG) return [rtag, out];
  if (tag === FLOAT_TAG && rtag === INT_TAG && out instanceof GoInt) return [FLOAT_TAG, new GoFloat(Number(out.v))];
  return failf(`cannot decode ${shortTag(rtag)} \`${input}\` as a ${shortTag(tag)}`);
}

export function resolvePlain(tag: string, input: GoString): [string, GoValue | 'merge'] {
  const hint = input === '' ? 'N' : hintOf(input.charCodeAt(0));
  if (hint !== '' && tag !== STR_TAG && tag !== BINARY_TAG) {
    const item = RESOLVE_MAP.get(input);
    if (item) return item;
    if (hint === '.') {
      const f = parseGoFloat(input);
      if (f !== null) return [FLOAT_TAG, new GoFloat(f)];
    } else if (hint === 'D' || hint === 'S') {
      if ((tag === '' || tag === TIMESTAMP_TAG) && isGoTimestamp(input)) return [TIMESTAMP_TAG, input];
      const plain = input.split('_').join('');
      const i = parseGoInt(plain, true);
      if (i !== null) return [INT_TAG, new GoInt(i)];
      const u = parseGoUint(plain, true);
      if (u !== null) return [INT_TAG, new GoUint(u)];
      if (YAML_STYLE_FLOAT.test(plain)) {
        const f = parseGoFloat(plain);
        if (f !== null) return [FLOAT_TAG, new GoFloat(f)];
      }
      if (plain.startsWith('0b')) {
        const bi = parseGoInt(plain.slice(2), false, 2);
        if (bi !== null) return [INT_TAG, new GoInt(bi)];
        const bu = parseGoUint(plain.slice(2), false, 2);
        if (bu !== null) return [INT_TAG, new GoUint(bu)];
      } else if (plain.startsWith('-0b')) {
        const bi = parseGoInt('-' + plain.slice(3), false, 2);
        if (bi !== null) return [INT_TAG, new GoInt(bi)];
      }
    }
  }
  return [STR_TAG, input];
}
