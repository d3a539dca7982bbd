// Map key order when writing: go-yaml's natural order (go-yaml@v2.4.2+v2.4.4 sorter.go keyList.Less).
import { GoString, decodeRunePacked, isGoDigit, isGoLetter } from './go-string';
import { GoFloat, GoInt, GoMap, GoUint, GoValue } from './values';

// go@1.19 reflect.Kind order (Bool 1, Int 2, Uint64 11, Float64 14, Interface 20, Map 21, Slice 23, String 24) used by go-yaml@v2.4.2+v2.4.4 sorter.go when kinds differ.
function reflectKind(v: GoValue): number {
  if (v === null) return 20; // a nil interface stays reflect.Interface
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'string') return 24;
  if (v instanceof GoInt) return 2;
  if (v instanceof GoUint) return 11;
  if (v instanceof GoFloat) return 14;
  if (v instanceof GoMap) return 21;
  return 23;
}

function keyFloat(v: GoValue): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof GoInt || v instanceof GoUint) return Number(v.v);
  if (v instanceof GoFloat) return v.v;
  return null;
}

function runesOf(s: GoString): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length;) {
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    out.push((p - w) / 8);
    i += w;
  }
  return out;
}

// go-yaml@v2.4.2+v2.4.4 sorter.go keyList.Less: numbers first by value, strings by runes with digit runs compared as numbers.
export function keyLess(a: GoValue, b: GoValue): boolean {
  const ak = reflectKind(a);
  const bk = reflectKind(b);
  const af = keyFloat(a);
  const bf = keyFloat(b);
  if (af !== null && bf !== null) {
    if (af !== bf) return af < bf;
    if (ak !== bk) return ak < bk;
    if (typeof a === 'boolean') return !a && b === true;
    return numberOf(a) < numberOf(b); // same kind, same float value: int and uint64 compare exactly
  }
  if (typeof a !== 'string' || typeof b !== 'string') return ak < bk;
  return runesLess(runesOf(a), runesOf(b));
}

function numberOf(v: GoValue): bigint | number {
  return v instanceof GoInt || v instanceof GoUint || v instanceof GoFloat ? v.v : 0;
}

// sorter.go: at the first differing rune, letters compare as runes, a letter sorts after a non-letter, and digit
// runs compare by their value (then by length, then by rune).
function runesLess(ar: number[], br: number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isGoLetter(ar[i]);
    const bl = isGoLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    return digitRunLess(ar, br, i);
  }
  return ar.length < br.length;
}

// sorter.go: the digit runs starting at i compared by value (int64, wrapping as Go's does); when either rune is '0'
// and a non-zero digit precedes it in the run, both values start at 1 (the zero is inside a number, not leading);
// then the shorter run first, then the rune.
function digitRunLess(ar: number[], br: number[], i: number): boolean {
  let an = 0n;
  let bn = 0n;
  if (ar[i] === 0x30 || br[i] === 0x30) {
    for (let j = i - 1; j >= 0 && isGoDigit(ar[j]); j--) {
      if (ar[j] !== 0x30) {
        an = 1n;
        bn = 1n;
        break;
      }
    }
  }
  let ai = i;
  for (; ai < ar.length && isGoDigit(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai] - 0x30));
  let bi = i;
  for (; bi < br.length && isGoDigit(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi] - 0x30));
  if (an !== bn) return an < bn;
  if (ai !== bi) return ai < bi;
  return ar[i] < br[i];
}
