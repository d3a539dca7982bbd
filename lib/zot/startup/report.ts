// What zot's start-up rules report (errors: zot refuses; warnings: zot starts but changes or logs),
// and where a decoded value sits in the config as the user wrote it.
import { Problem } from '../../core/error';
import { compareZotVersions, ZOT_VERSIONS, ZotModel, ZotVersion } from '../config-keys';
import { fieldPath, mapKeyPath, SPELLING } from '../../go/viper';
import { formatGoDuration } from '../../go/time';
import { goRegexpError } from '../../go/regexp';

export { fieldPath, indexPath, isPlain, mapKeyPath, SPELLING } from '../../go/viper';
export type { Plain } from '../../go/viper';

/** Where a decoded object or list sits in the config (the key path as the user wrote it). */
export const WHERE = new WeakMap<object, string>();
/** The values as written, by key, of a decoded object (messages show what the user wrote). */
export const WRITTEN = new WeakMap<object, Map<string, unknown>>();

/** Keys whose values are credentials (a password, a token, a key): their values are never shown. */
const SECRET_KEY = /(password|secret|token|hashkey|encryptkey|accesskey|secretkey|credentials)$/i;

function problem(field: string, value: unknown, reason: string): Problem {
  const last =
    field
      .replace(/\[[^\]]*\]$/, '')
      .split(/[.[]/)
      .pop() ?? '';
  return SECRET_KEY.test(last) && value !== undefined
    ? { field, value, reason, secret: true }
    : { field, value, reason };
}

export class Report {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];
  /** Fields whose value could not be decoded: later rules about them would only repeat the problem. */
  private readonly undecodable = new Set<string>();
  /** The modelled version whose rules apply (`model.model`). */
  readonly version: ZotVersion;
  constructor(readonly model: ZotModel) {
    this.version = model.model;
  }
  /** Keys this model does not know are warnings, not refusals: a version past the model (or a pre-release inside it). */
  get forward(): boolean {
    return this.model.relation === 'newer' || this.model.relation === 'between';
  }
  at(min: ZotVersion, max: ZotVersion = ZOT_VERSIONS[ZOT_VERSIONS.length - 1]): boolean {
    return compareZotVersions(this.version, min) >= 0 && compareZotVersions(this.version, max) <= 0;
  }
  error(field: string, value: unknown, reason: string): void {
    if (this.shadowed(field)) return;
    this.errors.push(problem(field, value, reason));
  }
  undecodableAt(field: string, value: unknown, reason: string): void {
    this.error(field, value, reason);
    this.undecodable.add(field);
  }
  warn(field: string, value: unknown, reason: string): void {
    if (this.shadowed(field)) return;
    this.warnings.push(problem(field, value, reason));
  }
  private shadowed(field: string): boolean {
    for (const f of this.undecodable)
      if (field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`)) return true;
    return false;
  }
}

/** A child's key path, spelled as the user wrote it when they did. */
export function at(parent: unknown, key: string, fallbackParent = ''): string {
  const base = parent && typeof parent === 'object' ? (WHERE.get(parent) ?? fallbackParent) : fallbackParent;
  const spelled = parent && typeof parent === 'object' ? (SPELLING.get(parent)?.get(key) ?? key) : key;
  return fieldPath(base, spelled);
}

/** A map entry's key path, spelled as the user wrote it. */
export function atMapKey(map: object, key: string, fallbackParent: string): string {
  return mapKeyPath(WHERE.get(map) ?? fallbackParent, SPELLING.get(map)?.get(key) ?? key);
}

/** Where a decoded object sits, or `fallback` (the path zot's struct gives it). */
export const whereOf = (o: object, fallback: string): string => WHERE.get(o) ?? fallback;

export const nonEmpty = (v: unknown) =>
  Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v !== '' : v !== undefined && v !== null;
export const present = <T>(o: T | undefined | null): o is T => o !== undefined && o !== null;
export const hasEntries = (o: object | undefined | null) => present(o) && Object.keys(o).length > 0;

/** A duration field's value for messages: as written, or as zot holds it after its defaults. */
export function shown(o: Record<string, unknown>, key: string): unknown {
  const w = WRITTEN.get(o)?.get(key);
  if (w !== undefined) return w;
  const v = o[key];
  return typeof v === 'number' ? formatGoDuration(v) : v;
}

/** A regular expression zot compiles with Go's regexp.Compile: refused when Go refuses it; what cannot be decided here is a warning. */
export function checkRegexp(pattern: unknown, field: string, why: string, report: Report): void {
  if (typeof pattern !== 'string') return;
  const notes: string[] = [];
  const err = goRegexpError(pattern, notes);
  if (err) report.error(field, pattern, `is not a regular expression Go accepts (${err}): ${why}`);
  for (const n of notes) report.warn(field, pattern, `${n}: not checked here`);
}
