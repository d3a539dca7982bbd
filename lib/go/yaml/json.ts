// encoding/json as sigs.k8s.io/yaml uses it: json.Marshal of a JSON-like value (go@1.19 encoding/json), and
// sigs.k8s.io/yaml@v1.6.0 convertToJSONableObject for go-yaml's values.
import { YamlFailure, failf } from './failure';
import { GoString, RUNE_ERROR, decodeRunePacked, goString, jsString } from './go-string';
import { formatGoFloat } from './float';
import { GoFloat, GoInt, GoUint, GoValue } from './values';
const HEX = '0123456789abcdef';

// go encoding/json go-yaml@v2.4.2+v2.4.4 encode.go encodeState.string (escapeHTML on, as json.Marshal does).
function goJsonString(s: GoString): GoString {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) {
        i++;
        continue;
      }
      out += s.slice(start, i);
      if (c === 0x22 || c === 0x5c) out += '\\' + s[i];
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else out += '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      i++;
      start = i;
      continue;
    }
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    const r = (p - w) / 8;
    if (r === RUNE_ERROR && w === 1) {
      out += s.slice(start, i) + '\\ufffd';
      i += w;
      start = i;
      continue;
    }
    if (r === 0x2028 || r === 0x2029) {
      out += s.slice(start, i) + (r === 0x2028 ? '\\u2028' : '\\u2029');
      i += w;
      start = i;
      continue;
    }
    i += w;
  }
  return out + s.slice(start) + '"';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** json.Marshal of a JSON-like JS value (map keys sorted by bytes, float64 numbers) as a Go string. */
export function goJsonMarshal(v: unknown): GoString {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new YamlFailure(`json: unsupported value: ${formatGoFloat(v)}`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'string') return goJsonString(goString(v));
  if (Array.isArray(v)) return '[' + v.map((x) => goJsonMarshal(x)).join(',') + ']';
  if (isRecord(v)) {
    const keys: Array<[GoString, string]> = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .map((k) => [goString(k), k]);
    keys.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    return '{' + keys.map(([g, k]) => goJsonString(g) + ':' + goJsonMarshal(v[k])).join(',') + '}';
  }
  throw new YamlFailure(`json: unsupported type: ${typeof v}`);
}

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * sigs.k8s.io/yaml@v1.6.0 yaml.go convertToJSONableObject (nil target) then json.Marshal, then json.Unmarshal
 * into interface{}: keys become strings (int → decimal, float → FormatFloat(f, 'g', -1, 32), bool), nil and
 * uint64 keys are refused, NaN/±Inf values are refused by encoding/json, numbers end as float64.
 */
export function goValueToJson(v: GoValue): unknown {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return jsString(v);
  if (v instanceof GoInt || v instanceof GoUint) return Number(v.v);
  if (v instanceof GoFloat) {
    if (!Number.isFinite(v.v)) failf(`json: unsupported value: ${formatGoFloat(v.v)}`);
    return v.v;
  }
  if (Array.isArray(v)) return v.map(goValueToJson);
  const out: Record<string, unknown> = {};
  for (const [k, val] of v.entries.values()) {
    let key: string;
    if (typeof k === 'string') key = jsString(k);
    else if (k instanceof GoInt) key = k.v.toString();
    else if (k instanceof GoFloat) {
      const s = formatGoFloat(k.v, 32);
      key = s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
    } else if (typeof k === 'boolean') key = k ? 'true' : 'false';
    else failf(`unsupported map key of type: ${k === null ? '<nil>' : k instanceof GoUint ? 'uint64' : 'unknown'}`);
    setOwn(out, key, goValueToJson(val));
  }
  return out;
}
