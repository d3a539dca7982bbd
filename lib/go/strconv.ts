// Go's strconv as zot's decoding uses it (src/strconv/atof.go, atoi.go, atob.go, ftoa.go).
import { MAX_INT64 } from './int64';

/**
 * Go's strconv.ParseFloat(s, 64) (src/strconv/atof.go): decimal and hexadecimal floats, "inf",
 * "infinity" (signed) and "nan" in any case; undefined when Go refuses it (syntax, or out of range).
 * Underscores (allowed only after a base prefix) are not read: such a value is refused here.
 */
export function goParseFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const f = Number(s);
    return Number.isFinite(f) ? f : undefined; // atof.go: ErrRange beyond float64
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (hex && (hex[2] || hex[3])) {
    const f = parseInt(`${hex[2]}${hex[3]}` || '0', 16) * 2 ** (Number(hex[4]) - 4 * hex[3].length);
    return Number.isFinite(f) ? (hex[1] === '-' ? -f : f) : undefined;
  }
  return undefined;
}

/** Go's strconv.ParseBool. */
export function goParseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/**
 * Go's strconv.ParseInt(s, base, 64) for base 10 and base 0 (prefixes 0b 0o 0x, a leading 0 for
 * octal, underscores between digits: src/strconv/atoi.go ParseUint, underscoreOK). undefined when Go
 * refuses it (syntax or range).
 */
export function goParseInt(s: string, base: 0 | 10): bigint | undefined {
  let t = s;
  let neg = false;
  if (t[0] === '+' || t[0] === '-') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (t === '') return undefined;
  let radix = 10;
  let digits = t;
  if (base === 0 && t[0] === '0') {
    const p = t[1]?.toLowerCase();
    if (t.length >= 3 && (p === 'b' || p === 'o' || p === 'x')) {
      radix = p === 'b' ? 2 : p === 'o' ? 8 : 16;
      digits = t.slice(2);
    } else {
      radix = 8;
      digits = t.slice(1);
    }
  }
  if (base === 0 && digits.includes('_')) {
    // underscoreOK: an underscore only between digits, or between a base prefix and a digit
    const prefixed = t.length >= 2 && t[0] === '0' && /[bBoOxX]/.test(t[1]);
    let saw = prefixed ? '0' : '^';
    for (const ch of prefixed ? t.slice(2) : t) {
      if (/[0-9]/.test(ch) || (radix === 16 && /[a-fA-F]/.test(ch))) {
        saw = '0';
        continue;
      }
      if (ch === '_') {
        if (saw !== '0') return undefined;
        saw = '_';
        continue;
      }
      if (saw === '_') return undefined;
      saw = '!';
    }
    if (saw === '_') return undefined;
    digits = digits.replace(/_/g, '');
  }
  let v = 0n;
  for (const ch of digits) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= radix) return undefined;
    v = v * BigInt(radix) + BigInt(d);
  }
  if (neg ? v > 1n << 63n : v > MAX_INT64) return undefined;
  return neg ? -v : v;
}

/** strconv.FormatFloat(f, 'f', -1, 64): how mapstructure turns a number into a string. */
export function goFormatFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(n);
  if (!/e/.test(s)) return s;
  // exponent form: write it out in full, as Go's 'f' format does
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}
