// What go-yaml writes for a Go scalar: its text and the style it asks for (go-yaml@v2.4.2+v2.4.4 encode.go).
import { YamlFailure } from './failure';
import { formatGoFloat } from './float';
import { GoString, validUtf8 } from './go-string';
import { STR_TAG, resolvePlain } from './resolve';
import { Style } from './tokens';
import { GoFloat, GoInt, GoScalar, GoUint } from './values';

// go-yaml@v2.4.2+v2.4.4 encode.go isBase60Float / base60float
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s.charCodeAt(0);
  if (!(c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/** The scalar event go-yaml@v2.4.2+v2.4.4 encode.go (nilv, boolv, intv, uintv, floatv, stringv) emits for a Go value (always implicit: no tag is written for these values). */
export function scalarEvent(v: GoScalar): { text: GoString; style: Style } {
  if (v === null) return { text: 'null', style: Style.PLAIN };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', style: Style.PLAIN };
  if (v instanceof GoInt || v instanceof GoUint) return { text: v.v.toString(), style: Style.PLAIN };
  if (v instanceof GoFloat) {
    const s = formatGoFloat(v.v, 64);
    return { text: s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s, style: Style.PLAIN };
  }
  const s: GoString = v;
  // go-yaml@v2.4.2+v2.4.4 encode.go stringv: invalid UTF-8 would be written as !!binary; the JSON text Flux marshals never holds any.
  if (!validUtf8(s)) throw new YamlFailure('invalid UTF-8 string (go-yaml would write !!binary)');
  const [rtag] = resolvePlain('', s);
  const canUsePlain = rtag === STR_TAG && !isBase60Float(s);
  return { text: s, style: s.includes('\n') ? Style.LITERAL : canUsePlain ? Style.PLAIN : Style.DOUBLE };
}
