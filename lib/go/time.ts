// Go's time.Duration as zot reads and prints it (src/time/format.go, time.go).
import { MAX_INT64 } from './int64';

const NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

/** Go's time.ParseDuration (src/time/format.go): nanoseconds, or the error Go gives. */
export function parseGoDuration(s: string): { ns: number } | { error: string } {
  const bad = { error: `time: invalid duration ${JSON.stringify(s)}` };
  let t = s;
  let neg = false;
  if (t !== '' && (t[0] === '-' || t[0] === '+')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (t === '0') return { ns: 0 };
  if (t === '') return bad;
  let total = 0n;
  while (t !== '') {
    if (!(t[0] === '.' || (t[0] >= '0' && t[0] <= '9'))) return bad;
    const int = /^[0-9]*/.exec(t)?.[0] ?? '';
    t = t.slice(int.length);
    let frac = '';
    if (t[0] === '.') {
      t = t.slice(1);
      frac = /^[0-9]*/.exec(t)?.[0] ?? '';
      t = t.slice(frac.length);
    }
    if (int === '' && frac === '') return bad;
    const unitText = /^[^.0-9]*/.exec(t)?.[0] ?? '';
    if (unitText === '') return { error: `time: missing unit in duration ${JSON.stringify(s)}` };
    t = t.slice(unitText.length);
    const unit = Object.prototype.hasOwnProperty.call(NS, unitText) ? NS[unitText] : undefined;
    if (unit === undefined)
      return { error: `time: unknown unit ${JSON.stringify(unitText)} in duration ${JSON.stringify(s)}` };
    const v = int === '' ? 0n : BigInt(int);
    if (v > (1n << 63n) / unit) return bad;
    let part = v * unit;
    if (frac !== '') part += BigInt(Math.floor(Number(`0.${frac}`) * Number(unit)));
    total += part;
    if (total > 1n << 63n) return bad;
  }
  if (!neg && total > MAX_INT64) return bad;
  return { ns: Number(neg ? -total : total) };
}

export const HOUR = 3600e9;
export const MINUTE = 60e9;
export const SECOND = 1e9;

/** A duration as Go prints it (time.Duration.String), for messages. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let rest = Math.abs(ns);
  if (rest < SECOND) {
    if (rest < 1e3) return `${sign}${rest}ns`;
    if (rest < 1e6) return `${sign}${rest / 1e3}µs`;
    return `${sign}${rest / 1e6}ms`;
  }
  let out = '';
  const h = Math.floor(rest / HOUR);
  if (h) {
    out += `${h}h`;
    rest -= h * HOUR;
  }
  const m = Math.floor(rest / MINUTE);
  if (h || m) {
    out += `${m}m`;
    rest -= m * MINUTE;
  }
  out += `${Number((rest / SECOND).toFixed(9))}s`;
  return sign + out;
}
