// Go's float formatting as go-yaml and encoding/json use it (go@1.19 strconv/ftoa.go FormatFloat 'g', -1).

/**
 * strconv.FormatFloat(f, 'g', -1, bits): the shortest digits that read back as the same value, in %e form when
 * the exponent is < -4 or >= 6 (the shortest-format precision rule of go strconv/ftoa.go).
 */
export function formatGoFloat(f: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const neg = f < 0;
  const a = Math.abs(f);
  let e: string;
  if (bits === 64) e = a.toExponential();
  else {
    const f32 = Math.fround(a);
    e = f32.toExponential();
    for (let p = 1; p <= 9; p++) {
      const s = f32.toExponential(p - 1);
      if (Math.fround(Number(s)) === f32) {
        e = s;
        break;
      }
    }
  }
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
  if (m === null) throw new Error(`toExponential gave ${e}`); // never: toExponential always has this form
  const digits = (m[1] + (m[2] ?? '')).replace(/0+$/, '') || '0';
  const exp = Number(m[3]);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const ae = Math.abs(exp);
    out =
      digits[0] +
      (digits.length > 1 ? '.' + digits.slice(1) : '') +
      'e' +
      (exp < 0 ? '-' : '+') +
      (ae < 10 ? '0' + ae : String(ae));
  } else {
    const dp = exp + 1;
    if (dp <= 0) out = '0.' + '0'.repeat(-dp) + digits;
    else if (dp >= digits.length) out = digits + '0'.repeat(dp - digits.length);
    else out = digits.slice(0, dp) + '.' + digits.slice(dp);
  }
  return neg ? '-' + out : out;
}
