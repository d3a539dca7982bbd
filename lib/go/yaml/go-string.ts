// Go strings and the Go runtime rules they follow: UTF-8 (go@1.19 unicode/utf8), unicode classes. Text is handled
// as "Go strings": JS strings whose char codes are bytes (0-255), so byte offsets, invalid UTF-8 and slicing match Go.

/** A Go string: a JS string whose char codes are the bytes (0-255) of the Go value. */
export type GoString = string;

/** The UTF-8 bytes of a JS string as a Go string (lone surrogates become U+FFFD, as Go's encoding/json decodes them). */
export function goString(s: string): GoString {
  // ASCII fast path: the bytes are the chars.
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** The bytes of a Go string. */
export function goBytes(s: GoString): Buffer {
  return Buffer.from(s, 'latin1');
}

/** Go's unicode/utf8.RuneError. */
export const RUNE_ERROR = 0xfffd;

/**
 * utf8.DecodeRuneInString (go@1.19 unicode/utf8/utf8.go): the rune at byte i and its width; an invalid or
 * truncated sequence is (RuneError, 1), the end of the string is (RuneError, 0). The accepted second-byte ranges
 * exclude overlong forms, surrogates (ED A0..BF) and values above U+10FFFF (F4 90..).
 * Returns rune * 8 + width to avoid an allocation per call.
 */
export function decodeRunePacked(s: GoString, i: number): number {
  const n = s.length;
  if (i >= n) return RUNE_ERROR * 8;
  const b0 = s.charCodeAt(i);
  if (b0 < 0x80) return b0 * 8 + 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    if (b0 === 0xe0) lo = 0xa0;
    else if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f;
  } else return RUNE_ERROR * 8 + 1;
  if (i + need >= n) return RUNE_ERROR * 8 + 1;
  const b1 = s.charCodeAt(i + 1);
  if (b1 < lo || b1 > hi) return RUNE_ERROR * 8 + 1;
  if (need === 1) return (((b0 & 0x1f) << 6) | (b1 & 0x3f)) * 8 + 2;
  const b2 = s.charCodeAt(i + 2);
  if (b2 < 0x80 || b2 > 0xbf) return RUNE_ERROR * 8 + 1;
  if (need === 2) return (((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f)) * 8 + 3;
  const b3 = s.charCodeAt(i + 3);
  if (b3 < 0x80 || b3 > 0xbf) return RUNE_ERROR * 8 + 1;
  return (((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)) * 8 + 4;
}

/** utf8.EncodeRune / string(rune): invalid runes (surrogates, > U+10FFFF, negative) become U+FFFD. */
export function encodeRune(r: number): GoString {
  if (r >= 0 && r < 0x80) return String.fromCharCode(r);
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}

/** utf8.ValidString. */
export function validUtf8(s: GoString): boolean {
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    const p = decodeRunePacked(s, i);
    if ((p & 7) === 1) return false;
    i += p & 7;
  }
  return true;
}

/**
 * A Go string as a JS string the way encoding/json renders it (go@1.19 encoding/json/encode.go
 * encodeState.string): every byte that does not start a valid UTF-8 sequence becomes U+FFFD.
 */
export function jsString(s: GoString): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  if (validUtf8(s)) return Buffer.from(s, 'latin1').toString('utf8');
  let out = '';
  for (let i = 0; i < s.length;) {
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    out += w === 1 && p >> 3 === RUNE_ERROR ? '\ufffd' : String.fromCodePoint(p >> 3);
    i += w;
  }
  return out;
}

// Letter and digit classes come from the JS engine's Unicode tables (\p{L}, \p{Nd}). Go's own tables are those of
// the Go release the controller is built with (unicode/tables.go `Version`); characters assigned after that
// Unicode version are the one known divergence (none occurs in the conformance data).
const LETTER_RE = /^\p{L}$/u;
const DIGIT_RE = /^\p{Nd}$/u;
const letterCache = new Map<number, boolean>();
const digitCache = new Map<number, boolean>();

/** unicode.IsLetter (go@1.19 unicode/graphic.go): Latin-1 from the properties table, the rest category L. */
export function isGoLetter(r: number): boolean {
  if (r < 0x80) return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  let v = letterCache.get(r);
  if (v === undefined) {
    v = r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff) && LETTER_RE.test(String.fromCodePoint(r));
    letterCache.set(r, v);
  }
  return v;
}

/** unicode.IsDigit (go@1.19 unicode/digit.go): '0'..'9' in Latin-1, category Nd above. */
export function isGoDigit(r: number): boolean {
  if (r <= 0xff) return r >= 0x30 && r <= 0x39;
  let v = digitCache.get(r);
  if (v === undefined) {
    v = r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff) && DIGIT_RE.test(String.fromCodePoint(r));
    digitCache.set(r, v);
  }
  return v;
}
