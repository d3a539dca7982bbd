// Go values as go-yaml v2 decodes them into interface{} (go-yaml@v2.4.2+v2.4.4 decode.go, resolve.go).
import { GoString } from './go-string';

/** Go `int` (go-yaml@v2.4.2+v2.4.4 resolve.go returns int for every value that fits int64 on 64-bit platforms). */
export class GoInt {
  constructor(readonly v: bigint) {}
}
/** Go `uint64` (integers above MaxInt64). */
export class GoUint {
  constructor(readonly v: bigint) {}
}
/** Go `float64`. */
export class GoFloat {
  constructor(readonly v: number) {}
}
/** Go `map[interface{}]interface{}`: keys compare by dynamic type and value. */
export class GoMap {
  readonly entries = new Map<string, [GoValue, GoValue]>();
  set(k: GoValue, v: GoValue): void {
    this.entries.set(mapKeyId(k), [k, v]);
  }
}
/** A Go scalar go-yaml decodes into interface{}: nil, bool, string, int, uint64, float64. */
export type GoScalar = null | boolean | GoString | GoInt | GoUint | GoFloat;
export type GoValue = GoScalar | GoValue[] | GoMap;

let nanKeys = 0;
export function mapKeyId(k: GoValue): string {
  if (k === null) return 'n';
  if (typeof k === 'boolean') return k ? 'b1' : 'b0';
  if (typeof k === 'string') return 's' + k;
  if (k instanceof GoInt) return 'i' + k.v;
  if (k instanceof GoUint) return 'u' + k.v;
  if (k instanceof GoFloat) return Number.isNaN(k.v) ? `f NaN${nanKeys++}` : 'f' + (k.v === 0 ? 0 : k.v);
  throw new Error('unhashable map key');
}
