// Run-time checks of what props' types promise. esbuild does not type-check, so `serviceType:
// 'ExternalName'` or `hostnames: [42]` in main.ts reach the constructs as written: they refuse them
// here, naming the prop, before anything else looks at the value.
import { refuse } from './error';

/** A plain object (props, values), not a class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    [Object.prototype, null].includes(Object.getPrototypeOf(v))
  );
}

export function checkObject(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) refuse(field, value, 'is not an object');
  return value;
}

export function checkString(value: unknown, field: string, opts: { nonEmpty?: boolean } = {}): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') refuse(field, value, 'is not a string');
  if (opts.nonEmpty && value.trim() === '') refuse(field, value, 'is empty');
  return value;
}

export function checkBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') refuse(field, value, 'is not true or false');
  return value;
}

export function checkInteger(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    refuse(field, value, `is not an integer from ${min} to ${max}`);
  }
  return value;
}

export function checkOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T))
    refuse(field, value, `is not one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value as T;
}

/** A list of strings; `nonEmpty` refuses `[]`, `unique` refuses duplicates. */
export function checkStringList(
  value: unknown,
  field: string,
  opts: { nonEmpty?: boolean; unique?: boolean } = {},
): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) refuse(field, value, 'is not a list of strings');
  if (opts.nonEmpty && value.length === 0) refuse(field, value, 'is empty; give at least one');
  value.forEach((v, i) => {
    if (typeof v !== 'string') refuse(`${field}[${i}]`, v, 'is not a string');
    if (v.trim() === '') refuse(`${field}[${i}]`, v, 'is empty');
    if (opts.unique && value.indexOf(v) !== i) refuse(`${field}[${i}]`, v, 'is listed twice');
  });
  return value as string[];
}

/** A list of anything, checked item by item. */
export function checkList<T>(
  value: unknown,
  field: string,
  item: (v: unknown, field: string) => T,
  opts: { nonEmpty?: boolean } = {},
): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) refuse(field, value, 'is not a list');
  if (opts.nonEmpty && value.length === 0) refuse(field, value, 'is empty; give at least one');
  return value.map((v, i) => item(v, `${field}[${i}]`));
}

/** Refuses keys a props object does not declare (a typo would otherwise be ignored silently). */
export function checkKnownKeys(
  value: Record<string, unknown> | undefined,
  field: string,
  known: readonly string[],
): void {
  if (!value) return;
  for (const k of Object.keys(value)) {
    if (!known.includes(k))
      refuse(field ? `${field}.${k}` : k, undefined, `is not a prop here (known: ${known.join(', ')})`);
  }
}

/**
 * The prop keys of `P`, from a record that must name each exactly once: a key of the interface
 * missing here, or one here the interface lacks, is a compile error.
 */
export function propKeys<P extends object>(keys: { readonly [K in keyof Required<P>]: true }): Array<keyof P> {
  return Object.keys(keys) as Array<keyof P>;
}
