// Does zot start with this config.json? zot's own start-up rules, per zot version, read from zot's
// source at each tag v2.1.14..v2.1.20: pkg/cli/server/root.go (LoadConfiguration: the viper and
// mapstructure decode, applyDefaultValues, validateConfiguration and everything it calls),
// pkg/api/config/config.go, pkg/extensions/config/**, pkg/storage/storage.go (New). Every rule
// carries the version range it applies to and a one-line citation.
//
// errors: zot refuses to start (LoadConfiguration returns an error, or the controller's Init fails);
// warnings: zot starts but clamps, ignores, replaces or logs (and what it does instead).
//
// The decode is emulated in two steps, as zot does it:
//   1. viper v1.21.0 (viper.go: ReadInConfig, AllKeys, getSettings; util.go: insensitiviseMap):
//      map keys lower-cased at every depth, "::" splits a key (zot's key delimiter), nulls and empty
//      objects dropped (lists are kept whole);
//   2. mapstructure v2.5.0 with ErrorUnused and WeaklyTypedInput (viper.go: UnmarshalExact,
//      defaultDecoderConfig; mapstructure.go: decode*), the hooks StringToTimeDurationHookFunc,
//      zot's events SinkConfigDecoderHook and (v2.1.19) GCTimeWindowDecodeHook.
import { Problem, ZotFluxError } from '../core/error';
import { parseJsonWithin } from '../core/nesting';
import { loadYaml } from '../core/yaml';
import {
  compareZotVersions,
  findKey,
  hasKey,
  KeyNode,
  OAUTH2_HELPER_KEYS,
  resolveZotModel,
  versionWithKey,
  ZOT_CONFIG_KEYS,
  ZOT_MAIN,
  ZOT_VERSIONS,
  ZotModel,
  ZotVersion,
} from './config-keys';
import { validatePattern } from './glob';
import { storageDriverProblems, subPathRootProblems } from './storage-driver';
import { goRegexpError } from '../go/regexp';
import { goPathClean } from '../go/path';
import { goFormatFloat, goParseBool, goParseFloat, goParseInt } from '../go/strconv';
import { equalFold, goLen } from '../go/strings';
import { formatGoDuration, HOUR, parseGoDuration, SECOND } from '../go/time';
import { goParseUrl } from '../go/url';

export {
  checkedZotVersion,
  isModelledZotVersion,
  modelledZotVersion,
  normalizeZotVersion,
  resolveZotModel,
  ZOT_MAIN,
} from './config-keys';
export type { ZotModel, ZotVersion } from './config-keys';

/** The zot versions whose keys and start-up rules are modelled, oldest first. */
export const SUPPORTED_ZOT_VERSIONS: readonly ZotVersion[] = ZOT_VERSIONS;

/** What zot does with a config: refuses it (errors) or starts with changes or notes (warnings). */
export interface ZotStartup {
  readonly errors: Problem[];
  readonly warnings: Problem[];
}

// ====================================================================================================
// zot's path rules (the Go they rest on is in lib/go/)
// ====================================================================================================

/**
 * zot's isPathInside (pkg/cli/server/root.go, v2.1.14..v2.1.20): filepath.Abs both, filepath.Rel,
 * inside when the relative path is not ".", not "" and does not start with "..". Relative paths are
 * taken from "/" (zot's working directory in its image is not part of the config).
 */
function isPathInside(path1: string, path2: string): boolean {
  const abs = (p: string) => goPathClean(p.startsWith('/') ? p : `/${p}`);
  const a1 = abs(path1);
  const a2 = abs(path2);
  if (a1 === a2) return false;
  const base = a2 === '/' ? '/' : `${a2}/`;
  if (!a1.startsWith(base)) return false;
  return !a1.slice(base.length).startsWith('..');
}

/** zot's pathsConflict (pkg/cli/server/root.go, v2.1.14..v2.1.20): 0 none, 1 identical, 2 path1 inside path2, 3 path2 inside path1. */
function pathsConflict(path1: string, path2: string): 0 | 1 | 2 | 3 {
  if (equalFold(path1, path2)) return 1;
  if (isPathInside(path1, path2)) return 2;
  if (isPathInside(path2, path1)) return 3;
  return 0;
}

/**
 * zot v2.1.19 pkg/api/config/gctimewindow.go: parseGCTimeWindow: "" (no window) or "HH:MM-HH:MM"
 * with each side trimmed and parsed by time.Parse("15:04", ...) (hour 1 or 2 digits, 0-23; minute
 * exactly 2 digits, 0-59), start ≠ end.
 */
export function parseGCTimeWindow(window: string): { start: number; end: number } | null | { error: string } {
  if (window === '') return null;
  const dash = window.indexOf('-');
  if (dash < 0) return { error: `invalid gcTimeWindow ${JSON.stringify(window)}, expected format "HH:MM-HH:MM"` };
  const side = (v: string): number | undefined => {
    const m = /^([0-9]{1,2}):([0-9]{2})$/.exec(v.trim());
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return undefined;
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const start = side(window.slice(0, dash));
  const end = side(window.slice(dash + 1));
  if (start === undefined || end === undefined)
    return { error: `invalid gcTimeWindow ${JSON.stringify(window)}: invalid time, expected 24h format "HH:MM"` };
  if (start === end)
    return { error: `invalid gcTimeWindow ${JSON.stringify(window)}: start and end of the window cannot be equal` };
  return { start, end };
}

// ====================================================================================================
// Step 1: what viper hands to mapstructure
// ====================================================================================================

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Original spelling of each (lower-cased) key of a normalized or decoded object. */
const SPELLING = new WeakMap<object, Map<string, string>>();
/** Where a decoded object or list sits in the config (the key path as the user wrote it). */
const WHERE = new WeakMap<object, string>();
/** The values as written, by key, of a decoded object (messages show what the user wrote). */
const WRITTEN = new WeakMap<object, Map<string, unknown>>();

const fieldPath = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);
const mapKeyPath = (parent: string, key: string) => `${parent}[${JSON.stringify(key)}]`;
const indexPath = (parent: string, i: number) => `${parent}[${i}]`;

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

class Report {
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

/** viper util.go insensitiviseMap: every map key lower-cased, inside lists too. Two keys equal but for case collide. */
function insensitivise(value: unknown, path: string, report: Report): unknown {
  if (Array.isArray(value)) return value.map((v, i) => insensitivise(v, indexPath(path, i), report));
  if (!isPlain(value)) return value;
  const out: Plain = {};
  const spelled = new Map<string, string>();
  for (const [key, v] of Object.entries(value)) {
    const lower = key.toLowerCase();
    const childPath = path ? fieldPath(path, key) : key;
    if (spelled.has(lower)) {
      // zot v2.1.14..v2.1.20 (viper v1.21.0 util.go: insensitiviseMap): the later write wins in Go map order
      report.error(
        childPath,
        undefined,
        `collides with '${spelled.get(lower)}': zot lower-cases every key (viper), so both are '${lower}' and it keeps one of them at random (Go map order)`,
      );
      continue;
    }
    spelled.set(lower, key);
    out[lower] = insensitivise(v, childPath, report);
  }
  SPELLING.set(out, spelled);
  return out;
}

/**
 * What viper hands to mapstructure (viper v1.21.0 viper.go: AllSettings → getSettings(AllKeys())):
 * AllKeys (flattenAndMergeMap) joins every path to a leaf with "::", zot's key delimiter, so a key
 * written with "::" and the nested keys it spells are the same setting; Get(key) (find →
 * searchIndexableWithPathPrefixes) takes the longest prefix of the path that is a key of the map
 * first, and shorter ones only when that finds nothing. So `"http::auth::htpasswd::path": ""` wins
 * over `http.auth.htpasswd.path` whatever their order. Nulls and objects without leaves vanish
 * (getSettings skips nil; flattenAndMergeMap finds no leaf in an empty map). Lists are leaves, kept
 * whole; a number in the path indexes a list (searchSliceWithPathPrefixes).
 */
function settle(lowered: Plain, path: string, report: Report): Plain {
  // AllKeys: each leaf's full key, and its spelling as written (for messages).
  const leaves = new Map<string, string[]>();
  const flatten = (m: Plain, segs: string[], spelledSegs: string[], at: string) => {
    const spelled = SPELLING.get(m) ?? new Map<string, string>();
    for (const [key, v] of Object.entries(m)) {
      const orig = spelled.get(key) ?? key;
      const where = fieldPath(at, orig);
      if (key.includes('::')) {
        // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration uses viper.KeyDelimiter("::")
        report.warn(
          where,
          undefined,
          `holds '::', zot's key delimiter: viper reads it as the nested keys ${orig
            .split('::')
            .map((p) => `'${p}'`)
            .join(' → ')}, and it wins over those keys written nested`,
        );
      }
      const full = [...segs, ...key.split('::')];
      const fullSpelled = [...spelledSegs, ...orig.split('::')];
      if (isPlain(v)) flatten(v, full, fullSpelled, where);
      else if (!leaves.has(full.join('::'))) leaves.set(full.join('::'), fullSpelled);
    }
  };
  flatten(lowered, [], [], path);

  // getSettings: each key's value by viper's Get, set at its path (deepSearch replaces a value in the way by a map).
  const root: Plain = {};
  SPELLING.set(root, new Map());
  for (const [key, spelledSegs] of leaves) {
    const segs = key.split('::');
    const value = viperGet(lowered, segs);
    if (value === null || value === undefined) continue;
    let target = root;
    segs.slice(0, -1).forEach((seg, i) => {
      if (!isPlain(target[seg])) {
        const child: Plain = {};
        SPELLING.set(child, new Map());
        target[seg] = child;
        SPELLING.get(target)!.set(seg, spelledSegs[i] ?? seg);
      }
      target = target[seg] as Plain;
    });
    const last = segs[segs.length - 1];
    if (isPlain(target[last])) {
      // a leaf and a map at the same path: Go's map order decides which AllKeys yields last
      report.error(
        spelledSegs.join('.'),
        undefined,
        "is both a value and a map of settings (written once nested, once with '::'): viper keeps one of them at random (Go map order)",
      );
    }
    target[last] = value;
    SPELLING.get(target)!.set(last, spelledSegs[spelledSegs.length - 1] ?? last);
  }
  return root;
}

/** viper v1.21.0 viper.go searchIndexableWithPathPrefixes: the longest prefix of `path` that is a key (or a list index) first; nil → the next shorter one. */
function viperGet(source: unknown, path: string[]): unknown {
  if (path.length === 0) return source;
  for (let i = path.length; i > 0; i--) {
    const prefix = path.slice(0, i).join('::');
    let next: unknown;
    if (Array.isArray(source)) {
      // searchSliceWithPathPrefixes: strconv.Atoi of the prefix, in range
      if (!/^[+-]?\d+$/.test(prefix)) continue;
      const index = Number(prefix);
      if (index < 0 || index >= source.length) continue;
      next = source[index];
    } else if (isPlain(source)) {
      if (!Object.prototype.hasOwnProperty.call(source, prefix)) continue;
      next = source[prefix];
    } else {
      continue;
    }
    const val =
      i === path.length ? next : isPlain(next) || Array.isArray(next) ? viperGet(next, path.slice(i)) : undefined;
    if (val !== null && val !== undefined) return val;
  }
  return undefined;
}

// ====================================================================================================
// Step 2: mapstructure's decode against zot's structs (the key tree of the version)
// ====================================================================================================

type Decoded = any;

const typeName = (v: unknown) =>
  Array.isArray(v) ? 'a list' : isPlain(v) ? 'an object' : v === null ? 'null' : `a ${typeof v}`;

// zot v2.1.14 pkg/cli/server/root.go: LoadConfiguration: viperInstance.UnmarshalExact (ErrorUnused) — all versions
const UNKNOWN_KEY =
  'zot refuses unknown keys (LoadConfiguration: viper UnmarshalExact → mapstructure ErrorUnused "has invalid keys")';

function decode(node: KeyNode, value: unknown, path: string, keys: string[], report: Report): Decoded {
  // mapstructure.go: decode: "If the data is nil, then we don't set anything" (a null inside a list item)
  if (value === null || value === undefined) return undefined;
  const refuse = (reason: string) => {
    report.undecodableAt(path, value, `${reason} (LoadConfiguration: mapstructure decode error, zot exits)`);
    return undefined;
  };
  switch (node.type) {
    case 'object': {
      // mapstructure.go: decodeStruct — "expected a map or struct"
      if (!isPlain(value)) return refuse(`is ${typeName(value)}, but zot needs an object here`);
      const out: Plain = {};
      const spelled = new Map<string, string>();
      const written = new Map<string, unknown>();
      const from = SPELLING.get(value);
      for (const [key, v] of Object.entries(value)) {
        const orig = from?.get(key) ?? key;
        const hit = findKey(node, key);
        const childPath = fieldPath(path, orig);
        if (!hit || !hasKey(hit[1], report.version, report.model.main)) {
          if (node.lenient) {
            // zot v2.1.14..v2.1.20 pkg/extensions/config/events/decoder.go: SinkConfigDecoderHook decodes without ErrorUnused
            report.warn(
              childPath,
              v,
              'is not a key of an events sink: zot ignores it (SinkConfigDecoderHook decodes sinks without ErrorUnused)',
            );
            continue;
          }
          if (report.forward) {
            // forward mode (resolveZotModel): a newer zot may know the key; the model cannot say what it does
            const { version, model, relation } = report.model;
            const why =
              relation === 'newer'
                ? `is newer than the newest modelled (${model})`
                : `is not a modelled release (checked with ${model}'s model)`;
            report.warn(
              childPath,
              undefined,
              `zot ${version} ${why}: key ${childPath} is not known to ${model}'s model; not checked`,
            );
            continue;
          }
          const later = versionWithKey([...keys, key]);
          const hint =
            later === 'main'
              ? `; it is a key of zot's main branch after ${ZOT_MAIN.after} (${hit?.[1].addedBy ?? `commit ${ZOT_MAIN.commit}`}), in no release this project has read`
              : later && compareZotVersions(later, report.version) > 0
                ? `; it is a key from zot ${later} on`
                : '';
          report.undecodableAt(childPath, undefined, `is not a key zot ${report.version} knows: ${UNKNOWN_KEY}${hint}`);
          continue;
        }
        const [name, child] = hit;
        if (child.since === 'main') {
          // ZOT_MAIN: read on zot main at 6d19b445, in no tag read here
          report.warn(
            childPath,
            v,
            `is a key of zot's main branch after ${ZOT_MAIN.after} (${child.addedBy}; read at ${ZOT_MAIN.commit}): checked as main checks it; ` +
              `that zot ${report.model.version} has it is assumed, its own source was not read`,
          );
        }
        const d = decode(child, v, childPath, [...keys, name], report);
        if (d !== undefined) {
          out[name] = d;
          spelled.set(name, orig);
          written.set(name, v);
        }
      }
      SPELLING.set(out, spelled);
      WRITTEN.set(out, written);
      WHERE.set(out, path);
      return out;
    }
    case 'map': {
      let entries: Array<[string, unknown, string]>;
      if (isPlain(value)) {
        const from = SPELLING.get(value);
        entries = Object.entries(value).map(([k, v]) => [k, v, from?.get(k) ?? k]);
      } else if (Array.isArray(value) && value.every(isPlain)) {
        // mapstructure.go: decodeMapFromSlice (WeaklyTypedInput): each element merged into the map
        if (value.length)
          report.warn(
            path,
            undefined,
            'is a list of objects: zot merges them into one map (mapstructure WeaklyTypedInput)',
          );
        entries = value.flatMap((m) =>
          Object.entries(m).map(([k, v]) => [k, v, SPELLING.get(m)?.get(k) ?? k] as [string, unknown, string]),
        );
      } else {
        return refuse(`is ${typeName(value)}, but zot needs an object (a map) here`);
      }
      const out: Plain = {};
      const spelled = new Map<string, string>();
      for (const [k, v, orig] of entries) {
        const d = decode(node.of!, v, mapKeyPath(path, orig), keys, report);
        if (d !== undefined) {
          out[k] = d;
          spelled.set(k, orig);
        }
      }
      SPELLING.set(out, spelled);
      WHERE.set(out, path);
      return out;
    }
    case 'list': {
      let items: unknown[];
      if (Array.isArray(value)) items = value;
      else if (isPlain(value) && Object.keys(value).length === 0) items = [];
      else {
        // mapstructure.go: decodeSlice (WeaklyTypedInput): a single value is "lifted" into a list
        report.warn(path, value, 'is not a list: zot reads it as a list of one (mapstructure WeaklyTypedInput)');
        items = [value];
      }
      const out = items.map((v, i) => decode(node.of!, v, indexPath(path, i), keys, report));
      WHERE.set(out, path);
      return out;
    }
    case 'string': {
      // mapstructure.go: decodeString
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return goFormatFloat(value);
      if (typeof value === 'boolean') {
        report.warn(
          path,
          value,
          `is a boolean: zot reads it as the string '${value ? '1' : '0'}' (mapstructure WeaklyTypedInput)`,
        );
        return value ? '1' : '0';
      }
      return refuse(`is ${typeName(value)}, but zot needs a string here`);
    }
    case 'bool': {
      // mapstructure.go: decodeBool
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string') {
        const b = goParseBool(value);
        if (b !== undefined) return b;
        if (value === '') return false;
        return refuse('is not a boolean zot can read (Go strconv.ParseBool: true, false, 1, 0, t, f, TRUE, FALSE...)');
      }
      return refuse(`is ${typeName(value)}, but zot needs a boolean here`);
    }
    case 'int': {
      // mapstructure.go: decodeInt
      if (typeof value === 'number') {
        if (!Number.isInteger(value))
          report.warn(path, value, `is not a whole number: zot truncates it to ${Math.trunc(value)}`);
        return Math.trunc(value);
      }
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string') {
        const n = goParseInt(value === '' ? '0' : value, 0);
        if (n === undefined) return refuse('is not an integer zot can read (Go strconv.ParseInt, base 0)');
        return Number(n);
      }
      return refuse(`is ${typeName(value)}, but zot needs an integer here`);
    }
    case 'float': {
      // mapstructure v2.5.0 mapstructure.go: decodeFloat (WeaklyTypedInput: a bool is 1 or 0, a string goes through strconv.ParseFloat, "" is 0)
      if (typeof value === 'number') return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string') {
        const f = goParseFloat(value === '' ? '0' : value);
        if (f === undefined) return refuse('is not a number zot can read (Go strconv.ParseFloat)');
        return f;
      }
      return refuse(`is ${typeName(value)}, but zot needs a number here`);
    }
    case 'duration': {
      // mapstructure decode_hooks.go: StringToTimeDurationHookFunc (time.ParseDuration); a number is decodeInt: nanoseconds
      if (typeof value === 'string') {
        const d = parseGoDuration(value);
        if ('error' in d) return refuse(`is not a Go duration (${d.error}); write e.g. '90s', '30m', '1h30m'`);
        return d.ns;
      }
      if (typeof value === 'number' || typeof value === 'boolean') {
        const ns = typeof value === 'number' ? Math.trunc(value) : value ? 1 : 0;
        if (ns !== 0)
          report.warn(
            path,
            value,
            `is a number: zot reads it as ${ns} nanoseconds (${formatGoDuration(ns)}); write a Go duration such as '1h' instead`,
          );
        return ns;
      }
      return refuse(`is ${typeName(value)}, but zot needs a duration (a string such as '1h') here`);
    }
    case 'bytes': {
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && value.every((b) => typeof b === 'number')) return value;
      return refuse(`is ${typeName(value)}, but zot needs a string here`);
    }
    case 'timeWindow': {
      // zot v2.1.19 pkg/api/config/gctimewindow.go: GCTimeWindowDecodeHook: only a string is parsed; anything else fails decodeStruct
      if (typeof value !== 'string') return refuse(`is ${typeName(value)}, but zot needs a string "HH:MM-HH:MM" here`);
      const w = parseGCTimeWindow(value);
      if (w && 'error' in w) return refuse(`is not a time window: ${w.error} (GCTimeWindowDecodeHook)`);
      return w ?? undefined;
    }
    case 'any':
      return value;
  }
}

// ====================================================================================================
// Step 3: zot's rules
// ====================================================================================================

const DEFAULT_GC_DELAY = HOUR; // zot pkg/storage/constants/constants.go: DefaultGCDelay (v2.1.14..v2.1.20)
const DEFAULT_GC_INTERVAL = HOUR; // zot pkg/storage/constants/constants.go: DefaultGCInterval
const DIST_SPEC_VERSION = '1.1.1'; // distribution-spec specs-go a139cc423184 (go.mod of zot v2.1.14..v2.1.20): Version
const KNOWN_ACTIONS = ['read', 'create', 'update', 'delete', 'detectManifestCollision']; // zot pkg/api/constants/consts.go: *Permission
const OPENID_PROVIDERS = ['google', 'gitlab', 'oidc']; // zot pkg/api/config/config.go: openIDSupportedProviders
const OAUTH2_PROVIDERS = ['github']; // zot pkg/api/config/config.go: oauth2SupportedProviders
const MTLS_IDENTITY_ATTRIBUTES = [
  'CommonName',
  'CN',
  'Subject',
  'DN',
  'Email',
  'rfc822name',
  'URI',
  'URL',
  'DNSName',
  'DNS',
]; // pkg/cli/server/root.go: validateMTLS
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'; // zot v2.1.19 pkg/extensions/config/sync/config.go: TokenExchangeGrantType

/** A child's key path, spelled as the user wrote it when they did. */
function at(parent: Decoded, key: string, fallbackParent = ''): string {
  const base = parent && typeof parent === 'object' ? (WHERE.get(parent) ?? fallbackParent) : fallbackParent;
  const spelled = parent && typeof parent === 'object' ? (SPELLING.get(parent)?.get(key) ?? key) : key;
  return fieldPath(base, spelled);
}
function atMapKey(map: Decoded, key: string, fallbackParent: string): string {
  return mapKeyPath(WHERE.get(map) ?? fallbackParent, SPELLING.get(map)?.get(key) ?? key);
}
const nonEmpty = (v: unknown) =>
  Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v !== '' : v !== undefined && v !== null;
const present = (o: Decoded) => o !== undefined && o !== null;
const hasEntries = (o: Decoded) => present(o) && Object.keys(o).length > 0;
/** A duration field's value for messages: as written, or as zot holds it after its defaults. */
const shown = (o: Decoded, key: string): unknown => {
  const w = o && typeof o === 'object' ? WRITTEN.get(o)?.get(key) : undefined;
  return w !== undefined ? w : typeof o?.[key] === 'number' ? formatGoDuration(o[key]) : o?.[key];
};

/**
 * A config file's text as zot's viper reads it: JSON or YAML by the extension of `file`, JSON then YAML when there is
 * none. YAML is read by lib/core/yaml.ts loadYaml (nesting to MAX_NESTING, go-yaml's aliasing rule), JSON by
 * parseJsonWithin; every refusal is a ZotFluxError naming `file` (exit 1), never a parser's stack.
 */
export function parseZotConfigText(text: string, file: string): unknown {
  const ext = /\.[^./\\]*$/.exec(file)?.[0].toLowerCase() ?? '';
  const json = () => {
    try {
      return parseJsonWithin(text, file);
    } catch (e) {
      if (e instanceof SyntaxError)
        throw new ZotFluxError({ field: file, reason: `does not parse as JSON: ${e.message}` });
      throw e;
    }
  };
  if (ext === '.json') return json();
  if (ext === '.yaml' || ext === '.yml') return loadYaml(text, file);
  try {
    return json();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e) && !/does not parse as JSON/.test(e.message)) throw e;
    return loadYaml(text, file);
  }
}

/**
 * What zot v`zotVersion` does with `config` (parsed config.json) at start-up: the refusals (errors)
 * and what it clamps, ignores or logs (warnings). Throws ZotFluxError for a version with no model.
 */
export function verifyZotConfig(config: unknown, zotVersion: string): ZotStartup {
  const { errors, warnings } = loadZotConfig(config, zotVersion);
  return { errors, warnings };
}

/** The config as zot holds it after LoadConfiguration, when it starts (`config` undefined when it refuses). */
export interface LoadedZotConfig extends ZotStartup {
  /**
   * zot's Config after viper, mapstructure and applyDefaultValues, keyed by the names of zot's
   * structs (lib/zot/config-keys.ts): `http.auth.htpasswd.path`, `http.accessControl`. Undefined
   * when zot refuses the config.
   */
  readonly config?: any;
}

/** Loads `config` the way zot v`zotVersion` does (pkg/cli/server/root.go LoadConfiguration): the settings it runs with, and what it refuses or warns about. */
export function loadZotConfig(config: unknown, zotVersion: string): LoadedZotConfig {
  const report = new Report(resolveZotModel(zotVersion));
  const done = (c?: Decoded): LoadedZotConfig => ({
    errors: report.errors,
    warnings: report.warnings,
    ...(c && report.errors.length === 0 ? { config: c } : {}),
  });
  if (report.model.note) report.warn('', undefined, report.model.note);
  if (!isPlain(config)) {
    // viper v1.21.0 viper.go: ReadInConfig → unmarshalReader decodes into map[string]any (zot: LoadConfiguration returns the error)
    report.error(
      '',
      config,
      'is not a JSON object: zot cannot read it as its config (viper ReadInConfig fails, zot exits)',
    );
    return done();
  }
  const lowered = insensitivise(config, '', report) as Plain;
  const settled = settle(lowered, '', report);

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration: "the absence of any key:value pair"
  if (Object.keys(settled).length === 0) {
    report.error(
      '',
      config,
      'holds no key with a value: zot refuses it ("failed to load config due to the absence of any key:value pair", LoadConfiguration)',
    );
    return done();
  }
  const c: Decoded = decode(ZOT_CONFIG_KEYS, settled, '', [], report) ?? {};
  checkDecodeHooks(c, report);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration returns the joined decode errors before any other check
  if (report.errors.length) return done();
  applyDefaults(c, lowered, settled, report);
  validate(c, report);
  return done(c);
}

/** Rules that run inside the decode: the events sink hook and the oauth2 helper keys. */
function checkDecodeHooks(c: Decoded, report: Report): void {
  const sinks: Decoded[] = c.extensions?.events?.sinks ?? [];
  sinks.forEach((sink, i) => {
    if (!present(sink)) return;
    const field = at(sink, 'type', indexPath('extensions.events.sinks', i));
    // zot v2.1.14..v2.1.20 pkg/extensions/config/events/decoder.go: SinkConfigDecoderHook → IsSupportedSink (http, nats), during UnmarshalExact
    if (sink.type !== 'http' && sink.type !== 'nats') {
      report.error(
        field,
        sink.type,
        'is not an event sink type zot supports (http or nats): its decoder refuses the config ("event sink is not supported")',
      );
    }
  });
}

/** zot's applyDefaultValues (pkg/cli/server/root.go) and the defaults of config.New(), with the warnings it logs. */
function applyDefaults(c: Decoded, lowered: Plain, settled: Plain, report: Report): void {
  const v = report.version;
  // zot pkg/api/config/config.go: New (v2.1.14..v2.1.20)
  c.distSpecVersion ??= DIST_SPEC_VERSION;
  c.storage ??= {};
  const s = c.storage;
  s.dedupe ??= true;
  s.gc ??= true;
  s.gcDelay ??= DEFAULT_GC_DELAY;
  s.gcInterval ??= DEFAULT_GC_INTERVAL;
  s.retention ??= {};
  c.http ??= {};
  c.http.address ??= '127.0.0.1';
  c.http.port ??= '8080';
  c.http.auth ??= {};
  c.log ??= {};
  c.log.level ??= 'debug';

  const rawGet = (...keys: string[]): unknown => {
    let o: unknown = lowered;
    for (const k of keys) o = isPlain(o) ? o[k] : undefined;
    return o;
  };
  const isSet = (...keys: string[]): boolean => {
    let o: unknown = settled;
    for (const k of keys) o = isPlain(o) ? o[k] : undefined;
    return o !== undefined;
  };

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: `"extensions": {"metrics": {}}` — empty blocks vanish in viper;
  // when nothing else is under extensions, zot re-creates metrics, search, scrub, trust and ui (not the others)
  const rawExt = rawGet('extensions');
  if (!present(c.extensions) && rawExt !== undefined && rawExt !== null) {
    c.extensions = {};
    if (isPlain(rawExt))
      for (const name of ['metrics', 'search', 'scrub', 'trust', 'ui']) if (name in rawExt) c.extensions[name] = {};
  }
  if (isPlain(rawExt)) {
    const spelled = SPELLING.get(rawExt);
    for (const [name, block] of Object.entries(rawExt)) {
      if (!isPlain(block) || Object.keys(block).length > 0) continue;
      const restored = !isSet('extensions') && ['metrics', 'search', 'scrub', 'trust', 'ui'].includes(name);
      if (!restored) {
        report.warn(
          fieldPath('extensions', spelled?.get(name) ?? name),
          {},
          'is an empty object: viper drops it, so zot does not enable this extension (write {"enable": true})',
        );
      }
    }
  }

  const ext = c.extensions;
  if (present(ext)) {
    if (present(ext.sync)) ext.sync.enable ??= true;
    if (present(ext.search)) {
      ext.search.enable ??= true;
      if (ext.search.enable && present(ext.search.cve)) {
        const cve = ext.search.cve;
        // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: cve update interval < 2h is raised to 2h with a warning
        if ((cve.updateInterval ?? 0) < 2 * HOUR) {
          report.warn(
            at(cve, 'updateInterval', 'extensions.search.cve'),
            cve.updateInterval === undefined ? undefined : shown(cve, 'updateInterval'),
            `${cve.updateInterval === undefined ? 'is not set' : 'is under 2h'}: zot uses 2h and logs "cve update interval set to too-short interval < 2h" (applyDefaultValues)`,
          );
          cve.updateInterval = 2 * HOUR;
        }
        cve.trivy ??= {};
      }
    }
    if (present(ext.metrics)) {
      ext.metrics.enable ??= true;
      ext.metrics.prometheus ??= { path: '/metrics' }; // zot pkg/api/constants: DefaultMetricsExtensionRoute
    }
    if (present(ext.scrub)) {
      ext.scrub.enable ??= true;
      if (!ext.scrub.interval) ext.scrub.interval = 24 * HOUR;
      // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: scrub interval < 2h is raised to 2h with a warning (not refused)
      if (ext.scrub.interval < 2 * HOUR) {
        report.warn(
          at(ext.scrub, 'interval', 'extensions.scrub'),
          shown(ext.scrub, 'interval'),
          'is under 2h: zot uses 2h and logs "scrub interval set to too-short interval < 2h" (applyDefaultValues)',
        );
        ext.scrub.interval = 2 * HOUR;
      }
    }
    if (present(ext.ui)) ext.ui.enable ??= true;
    if (present(ext.trust)) ext.trust.enable ??= true;
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: "set default values in case GC is disabled"
  if (!s.gc) {
    if (!isSet('storage', 'gcdelay')) s.gcDelay = 0;
    if (!isSet('storage', 'gcinterval')) s.gcInterval = 0;
  }
  // "for cloud based storage, remoteCache defaults to true" (global and each subpath)
  if (s.dedupe && !isSet('storage', 'remotecache') && present(s.storageDriver)) s.remoteCache = true;
  s.remoteCache ??= false;
  if (
    present(s.storageDriver) &&
    s.storageDriver.name === 's3' &&
    'regionendpoint' in s.storageDriver &&
    !('forcepathstyle' in s.storageDriver)
  ) {
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: "deprecated: automatically setting forcepathstyle to true"
    report.warn(
      at(s, 'storageDriver', 'storage'),
      undefined,
      'has regionendpoint but no forcepathstyle: zot sets forcepathstyle true and logs a deprecation warning (applyDefaultValues)',
    );
  }
  for (const [route, sub] of Object.entries<Decoded>(s.subPaths ?? {})) {
    sub.dedupe ??= false;
    sub.gc ??= false;
    sub.gcDelay ??= 0;
    sub.gcInterval ??= 0;
    if (sub.dedupe && !isSet('storage', 'subpaths', route, 'remotecache') && present(sub.storageDriver))
      sub.remoteCache = true;
    sub.remoteCache ??= false;
    if (sub.gc) {
      if (!isSet('storage', 'subpaths', route, 'gcdelay')) sub.gcDelay = DEFAULT_GC_DELAY;
      if (!isSet('storage', 'subpaths', route, 'gcinterval')) sub.gcInterval = DEFAULT_GC_INTERVAL;
    }
  }

  if (compareZotVersions(v, 'v2.1.17') >= 0) {
    // zot v2.1.17 pkg/cli/server/root.go: applyDefaultValues: defaultReadTimeout / defaultWriteTimeout = 60s when unset
    for (const key of ['readTimeout', 'writeTimeout']) {
      if (c.http[key] === undefined) {
        report.warn(
          fieldPath(WHERE.get(c.http) ?? 'http', key),
          undefined,
          `is not set: zot ${v} uses 60s (applyDefaultValues: default${key[0].toUpperCase()}${key.slice(1)}), so a request whose body or response takes longer than a minute (a large layer push or pull) is cut; set it, e.g. '30m', or '0s' for no limit`,
        );
        c.http[key] = 60 * SECOND;
      }
    }
  }
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: OpenID turns API keys on
  if (present(c.http.auth.openid)) c.http.auth.apikey = true;
}

function validate(c: Decoded, report: Report): void {
  const v = report.version;
  const http = c.http;
  const auth = http.auth;
  const s = c.storage;
  const ext = c.extensions;
  const ac = http.accessControl;

  // --- LoadConfiguration, before applyDefaultValues -------------------------------------------------
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration: zlog.ParseLevel (pkg/log/log.go: case-insensitive)
  if (
    !['debug', 'trace', 'info', 'warn', 'warning', 'error', 'fatal', 'panic'].includes(
      String(c.log.level).toLowerCase(),
    )
  ) {
    report.error(
      at(c.log, 'level', 'log'),
      c.log.level,
      'is not a log level zot knows (debug, trace, info, warn, warning, error, fatal, panic): zot refuses it (LoadConfiguration: zlog.ParseLevel)',
    );
  }
  // zot v2.1.14..v2.1.20 pkg/log/log.go: NewLogger / NewAuditLogger panic when the file cannot be opened
  for (const key of ['output', 'audit']) {
    if (nonEmpty(c.log[key]))
      report.warn(
        at(c.log, key, 'log'),
        c.log[key],
        'is a file zot opens (append, create) at start-up: it panics and exits if the directory is missing or read-only in the pod (pkg/log: NewLogger)',
      );
  }
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: updateLDAPConfig / updateOpenIDConfig / loadSessionKeys → readSecretFile
  if (present(auth.ldap) && nonEmpty(auth.ldap.credentialsFile)) {
    report.warn(
      at(auth.ldap, 'credentialsFile', 'http.auth.ldap'),
      auth.ldap.credentialsFile,
      'is read while zot loads its config: it must exist in the pod and hold exactly bindDN and bindPassword, or zot exits (updateLDAPConfig → readSecretFile)',
    );
  }
  if (nonEmpty(auth.sessionKeysFile)) {
    report.warn(
      at(auth, 'sessionKeysFile', 'http.auth'),
      auth.sessionKeysFile,
      'is read while zot loads its config: it must exist in the pod and hold only hashKey and encryptKey, or zot exits (loadSessionKeys → readSecretFile)',
    );
  }
  const providers: Record<string, Decoded> = auth.openid?.providers ?? {};
  for (const [name, p] of Object.entries(providers)) {
    const where = atMapKey(auth.openid.providers, name, 'http.auth.openid.providers');
    if (nonEmpty(p.credentialsFile)) {
      report.warn(
        fieldPath(where, SPELLING.get(p)?.get('credentialsFile') ?? 'credentialsFile'),
        p.credentialsFile,
        'is read while zot loads its config: it must exist in the pod and hold exactly clientid and clientsecret, or zot exits (updateOpenIDConfig → readSecretFile)',
      );
    } else {
      report.warn(
        where,
        undefined,
        'has no credentialsFile: zot logs "deprecated: use the new OpenID provider credentialsfile instead of clientid and clientsecret" (updateOpenIDConfig)',
      );
    }
  }

  // --- validateConfiguration, in zot's order --------------------------------------------------------
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateHTTP: strconv.ParseInt(port, 10, 64) in 0..65535 (an empty port is not checked)
  const port = String(http.port);
  if (port !== '') {
    const n = goParseInt(port, 10);
    if (n === undefined || n < 0n || n > 65535n)
      report.error(
        at(http, 'port', 'http'),
        http.port,
        'is not a port zot accepts (an integer 0 to 65535 written in decimal): zot refuses it (validateHTTP)',
      );
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGC
  if (s.gcDelay < 0)
    report.error(
      at(s, 'gcDelay', 'storage'),
      shown(s, 'gcDelay'),
      'is negative: zot refuses it ("invalid garbage-collect delay specified", validateGC)',
    );
  if (s.gcInterval < 0)
    report.error(
      at(s, 'gcInterval', 'storage'),
      shown(s, 'gcInterval'),
      'is negative: zot refuses it ("invalid garbage-collect interval specified", validateGC)',
    );
  if (!s.gc) {
    if (s.gcDelay !== 0)
      report.warn(
        at(s, 'gcDelay', 'storage'),
        shown(s, 'gcDelay'),
        'is set while gc is false: zot ignores it ("garbage-collect delay specified without enabling garbage-collect", validateGC)',
      );
    if (s.gcInterval !== 0)
      report.warn(
        at(s, 'gcInterval', 'storage'),
        shown(s, 'gcInterval'),
        'is set while gc is false: zot ignores it ("periodic garbage-collect interval specified without enabling garbage-collect", validateGC)',
      );
    // zot v2.1.19 pkg/cli/server/root.go: validateGC: gcTimeWindow without gc
    if (report.at('v2.1.19') && s.gcTimeWindow)
      report.warn(at(s, 'gcTimeWindow', 'storage'), undefined, 'is set while gc is false: zot ignores it (validateGC)');
  }
  validateRetention(s.retention, at(s, 'retention', 'storage'), report);
  for (const [route, sub] of Object.entries<Decoded>(s.subPaths ?? {})) {
    const where = atMapKey(s.subPaths, route, 'storage.subPaths');
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGC (subpaths): gc on with a delay <= 0
    if (sub.gc && sub.gcDelay <= 0)
      report.error(
        fieldPath(where, 'gcDelay'),
        shown(sub, 'gcDelay'),
        'is zero or negative while gc is on for this subpath: zot refuses it ("invalid GC delay configuration - cannot be negative or zero", validateGC)',
      );
    // zot v2.1.19 pkg/cli/server/root.go: validateGC (subpaths): gcTimeWindow without gc
    if (report.at('v2.1.19') && !sub.gc && sub.gcTimeWindow)
      report.warn(
        fieldPath(where, 'gcTimeWindow'),
        undefined,
        'is set while gc is false for this subpath: zot ignores it (validateGC)',
      );
    validateRetention(sub.retention, fieldPath(where, 'retention'), report);
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateLDAP: userAttribute, address and baseDN are mandatory
  if (present(auth.ldap)) {
    for (const key of ['userAttribute', 'address', 'baseDN']) {
      if (!nonEmpty(auth.ldap[key]))
        report.error(
          fieldPath(WHERE.get(auth.ldap) ?? 'http.auth.ldap', key),
          undefined,
          `is missing: zot refuses an ldap block without it ("invalid LDAP configuration, missing mandatory key", validateLDAP)`,
        );
    }
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateMTLS
  const mtlsOn = present(http.tls) && nonEmpty(http.tls.key) && nonEmpty(http.tls.cert) && nonEmpty(http.tls.cacert); // config.go: IsMTLSAuthEnabled
  if (present(auth.mtls)) {
    const m = auth.mtls;
    const where = WHERE.get(m) ?? 'http.auth.mtls';
    if (!mtlsOn)
      report.error(
        where,
        undefined,
        'needs http.tls with cert, key and cacert: zot refuses it ("mTLS configuration requires TLS to be enabled with CA certificate", validateMTLS)',
      );
    const attrs: string[] = (m.identityAttributes ?? []).filter((a: unknown) => typeof a === 'string');
    const unknown = attrs.filter((a) => !MTLS_IDENTITY_ATTRIBUTES.some((k) => equalFold(a.trim(), k)));
    if (unknown.length)
      report.error(
        at(m, 'identityAttributes', where),
        unknown,
        `names identity attributes zot does not know (${MTLS_IDENTITY_ATTRIBUTES.join(', ')}): zot refuses it (validateMTLS)`,
      );
    const useSan = attrs.some((a) => ['uri', 'url'].includes(a.trim().toLowerCase()));
    for (const key of ['dnsSanIndex', 'emailSanIndex', 'uriSanIndex']) {
      if (m[key] && !useSan)
        report.error(
          at(m, key, where),
          m[key],
          'is only supported with the URI/URL identity attribute: zot refuses it (validateMTLS)',
        );
    }
    if (nonEmpty(m.uriSanPattern)) {
      if (!useSan)
        report.error(
          at(m, 'uriSanPattern', where),
          m.uriSanPattern,
          'is only supported with the URI/URL identity attribute: zot refuses it (validateMTLS)',
        );
      else
        checkRegexp(
          m.uriSanPattern,
          at(m, 'uriSanPattern', where),
          'zot refuses it (validateMTLS: regexp.Compile)',
          report,
        );
    }
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateOpenIDConfig (after updateOpenIDConfig read any credentialsFile)
  for (const [name, p] of Object.entries(providers)) {
    const where = atMapKey(auth.openid.providers, name, 'http.auth.openid.providers');
    const fromFile = nonEmpty(p.credentialsFile);
    if (OPENID_PROVIDERS.includes(name)) {
      if ((!fromFile && !nonEmpty(p.clientid)) || !nonEmpty(p.issuer) || !nonEmpty(p.scopes)) {
        report.error(
          where,
          undefined,
          'needs clientid (or a credentialsFile), issuer and scopes: zot refuses it ("OpenID provider config requires clientid, issuer and scopes parameters", validateOpenIDConfig)',
        );
      }
    } else if (OAUTH2_PROVIDERS.includes(name)) {
      if ((!fromFile && !nonEmpty(p.clientid)) || !nonEmpty(p.scopes)) {
        report.error(
          where,
          undefined,
          'needs clientid (or a credentialsFile) and scopes: zot refuses it ("OAuth2 provider config requires clientid and scopes parameters", validateOpenIDConfig)',
        );
      }
    } else {
      report.error(
        where,
        undefined,
        `is not a provider zot supports (${[...OPENID_PROVIDERS, ...OAUTH2_PROVIDERS].join(', ')}): zot refuses it ("unsupported openid/oauth2 provider", validateOpenIDConfig)`,
      );
    }
  }

  // zot v2.1.15..v2.1.20 pkg/cli/server/root.go: validateBearerConfig
  const bearer = auth.bearer;
  if (report.at('v2.1.15') && present(bearer)) {
    const where = WHERE.get(bearer) ?? 'http.auth.bearer';
    // zot v2.1.19 pkg/cli/server/root.go: validateBearerConfig: upstreamTokenEndpoint
    const up = bearer.upstreamTokenEndpoint;
    if (report.at('v2.1.19') && present(up)) {
      const upWhere = WHERE.get(up) ?? fieldPath(where, 'upstreamTokenEndpoint');
      if (!nonEmpty(up.realm) || !nonEmpty(up.service)) {
        report.error(
          upWhere,
          undefined,
          'needs both realm and service: zot refuses it ("upstreamTokenEndpoint.realm and upstreamTokenEndpoint.service must be configured together", validateBearerConfig)',
        );
      } else {
        const u = goParseUrl(up.realm);
        if (!u || !u.scheme || !u.host)
          report.error(
            at(up, 'realm', upWhere),
            up.realm,
            'is not an absolute URL: zot refuses it (validateBearerConfig)',
          );
        else if (!equalFold(u.scheme, 'https')) {
          if (!equalFold(u.scheme, 'http') || !up.allowInsecureHttp)
            report.error(
              at(up, 'realm', upWhere),
              up.realm,
              'must use https unless allowInsecureHttp is true: zot refuses it (validateBearerConfig)',
            );
          else
            report.warn(
              at(up, 'realm', upWhere),
              up.realm,
              'is plain http with allowInsecureHttp: zot starts and logs that token endpoint credentials may be sent over plaintext HTTP (validateBearerConfig)',
            );
        }
      }
    }
    if (nonEmpty(bearer.cert) && present(bearer.awsSecretsManager))
      report.error(where, undefined, 'has both cert and awsSecretsManager: zot refuses it (validateBearerConfig)');
    const asm = bearer.awsSecretsManager;
    if (present(asm)) {
      const asmWhere = WHERE.get(asm) ?? fieldPath(where, 'awsSecretsManager');
      if (!nonEmpty(asm.region))
        report.error(
          fieldPath(asmWhere, 'region'),
          undefined,
          'is missing: zot refuses it ("awsSecretsManager region must be specified", validateBearerConfig)',
        );
      if (!nonEmpty(asm.secretName))
        report.error(
          fieldPath(asmWhere, 'secretName'),
          undefined,
          'is missing: zot refuses it ("awsSecretsManager secretName must be specified", validateBearerConfig)',
        );
      if ((asm.refreshInterval ?? 0) < 0)
        report.error(
          at(asm, 'refreshInterval', asmWhere),
          shown(asm, 'refreshInterval'),
          'is negative: zot refuses it (validateBearerConfig)',
        );
    }
  }

  validateSync(c, report);

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateStorageConfig: no two stores of one storage type share or nest root directories
  validateStoreRoots(s, report);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateCacheConfig
  validateCache(s, report);

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateRemoteSessionStoreConfig
  if (present(auth.sessionDriver)) {
    const where = WHERE.get(auth.sessionDriver) ?? 'http.auth.sessionDriver';
    const name = auth.sessionDriver.name;
    if (!('name' in auth.sessionDriver))
      report.error(
        where,
        undefined,
        'has no name: zot refuses it ("must provide session driver name!", validateRemoteSessionStoreConfig)',
      );
    else if (name !== 'redis' && name !== 'local')
      report.error(
        fieldPath(where, 'name'),
        name,
        'is not a session driver zot allows (redis or local): zot refuses it (validateRemoteSessionStoreConfig)',
      );
    else if (name === 'redis' && nonEmpty(auth.sessionKeysFile))
      report.error(
        at(auth, 'sessionKeysFile', 'http.auth'),
        auth.sessionKeysFile,
        'cannot be used with the redis session driver: zot refuses it ("session keys not supported when redis session driver is used!", validateRemoteSessionStoreConfig)',
      );
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateExtensionsConfig
  if (present(ext)) {
    if (present(ext.mgmt))
      report.warn(
        WHERE.get(ext.mgmt) ?? 'extensions.mgmt',
        undefined,
        'is redundant: zot ignores it and logs "mgmt extensions configuration option has been made redundant" (validateExtensionsConfig)',
      );
    if (present(ext.apikey))
      report.warn(
        WHERE.get(ext.apikey) ?? 'extensions.apikey',
        undefined,
        'is ignored: API keys are configured with http.auth.apikey (validateExtensionsConfig)',
      );
    // zot v2.1.18 pkg/cli/server/root.go: validateMetricsConfig
    const prom = ext.metrics?.prometheus;
    if (report.at('v2.1.18') && present(prom)) {
      const field = at(prom, 'path', 'extensions.metrics.prometheus');
      const p = String(prom.path ?? '');
      if (p !== goPathClean(p))
        report.error(
          field,
          p,
          `is not a clean path (Go path.Clean gives '${goPathClean(p)}'): zot ${v} refuses it ("invalid metrics path", validateMetricsConfig)`,
        );
      else if (!p.startsWith('/'))
        report.error(
          field,
          p,
          `does not start with '/': zot ${v} refuses it ("metrics path must start with /", validateMetricsConfig)`,
        );
      else if (p === '/' || p === '/v2')
        report.error(
          field,
          p,
          `is '/' or '/v2': zot ${v} refuses it ("provided metrics path is disallowed", validateMetricsConfig)`,
        );
    }
    const searchOn = present(ext.search) && ext.search.enable === true;
    if (present(ext.ui) && ext.ui.enable === true && !searchOn) {
      report.error(
        WHERE.get(ext.ui) ?? 'extensions.ui',
        undefined,
        'is enabled without extensions.search: zot refuses it ("failed to enable ui, search extension must be enabled", validateExtensionsConfig)',
      );
    }
    const cveOn = searchOn && present(ext.search.cve); // config.go: IsCveScanningEnabled (trivy is defaulted)
    if (cveOn) {
      const remote = [
        present(s.storageDriver) ? 'storage.storageDriver' : '',
        ...Object.entries<Decoded>(s.subPaths ?? {})
          .filter(([, sub]) => present(sub.storageDriver))
          .map(([r]) => `${atMapKey(s.subPaths, r, 'storage.subPaths')}.storageDriver`),
      ].filter(Boolean);
      if (remote.length)
        report.error(
          WHERE.get(ext.search.cve) ?? 'extensions.search.cve',
          undefined,
          `turns CVE scanning on, which zot refuses with remote storage (${remote.join(', ')}): "failed to enable cve scanning due to incompatibility with remote storage, please disable cve" (validateExtensionsConfig)`,
        );
    }
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateAuthzPolicies (when accessControl is set)
  if (present(ac)) validateAuthz(c, mtlsOn, report);

  // zot v2.1.14 pkg/cli/server/root.go: validateConfiguration / v2.1.15..v2.1.20 pkg/cli/server/root.go: validateStorageConfigSection
  validateStorageDrivers(c, report);

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateConfiguration: "failed to compile authorization pattern" (doublestar ValidatePattern)
  if (present(ac)) {
    for (const glob of Object.keys(ac.repositories ?? {})) {
      if (!validatePattern(glob))
        report.error(
          atMapKey(ac.repositories, glob, 'http.accessControl.repositories'),
          undefined,
          'is not a glob zot can compile (doublestar ValidatePattern: an unclosed [ or {, an empty [], a } without {, or a trailing \\): zot refuses it',
        );
    }
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateClusterConfig
  if (present(c.cluster)) {
    const where = WHERE.get(c.cluster) ?? 'cluster';
    if (!nonEmpty(c.cluster.members))
      report.error(
        fieldPath(where, 'members'),
        c.cluster.members,
        'is empty: zot refuses a cluster with no members ("cannot have 0 members in a scale out cluster", validateClusterConfig)',
      );
    const key = c.cluster.hashKey ?? '';
    if (goLen(key) !== 16)
      report.error(
        at(c.cluster, 'hashKey', where),
        undefined,
        `is ${goLen(key)} bytes long: zot refuses any hashKey that is not exactly 16 (siphash needs a 128-bit key, validateClusterConfig)`,
      );
  }

  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration → updateDistSpecVersion
  if (c.distSpecVersion !== DIST_SPEC_VERSION)
    report.warn(
      at(c, 'distSpecVersion'),
      c.distSpecVersion,
      `differs from the distribution-spec version zot ${v} implements (${DIST_SPEC_VERSION}): zot uses ${DIST_SPEC_VERSION} and logs a warning (updateDistSpecVersion)`,
    );

  // zot v2.1.14..v2.1.20 pkg/storage/storage.go: New (controller Init): "no storage config provided"
  if (!nonEmpty(s.rootDirectory))
    report.error(
      fieldPath(WHERE.get(s) ?? 'storage', 'rootDirectory'),
      s.rootDirectory,
      'is empty: zot loads the config but its controller refuses to start without a storage root directory (storage.New: ErrImgStoreNotFound)',
    );

  // --- what zot accepts but ignores or replaces -------------------------------------------------------
  for (const key of ['goVersion', 'commit', 'releaseTag', 'binaryType']) {
    // zot v2.1.14..v2.1.20 pkg/api/config/config.go: Config: build fields are ordinary keys to mapstructure
    if (c[key] !== undefined)
      report.warn(
        at(c, key),
        c[key],
        'replaces the build information zot reports about itself (these Config fields are not settings)',
      );
  }
  for (const [i, mode] of ((http.compat ?? []) as unknown[]).entries()) {
    // zot v2.1.14..v2.1.20 pkg/compat/compat.go: DockerManifestV2SchemaV2 is the only mode pkg/storage/common acts on
    if (mode !== 'docker2s2')
      report.warn(
        indexPath(WHERE.get(http.compat) ?? 'http.compat', i),
        mode,
        "is not a compat mode zot knows ('docker2s2'): zot accepts it and does nothing with it",
      );
  }
}

function checkRegexp(pattern: unknown, field: string, why: string, report: Report): void {
  if (typeof pattern !== 'string') return;
  const notes: string[] = [];
  const err = goRegexpError(pattern, notes);
  if (err) report.error(field, pattern, `is not a regular expression Go accepts (${err}): ${why}`);
  for (const n of notes) report.warn(field, pattern, `${n}: not checked here`);
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGCRules: retention repository globs and keepTags regexes must compile
function validateRetention(retention: Decoded, where: string, report: Report): void {
  ((retention?.policies ?? []) as Decoded[]).forEach((p, i) => {
    if (!present(p)) return;
    const pw = indexPath(at(retention, 'policies', where), i);
    ((p.repositories ?? []) as unknown[]).forEach((glob, j) => {
      if (typeof glob === 'string' && !validatePattern(glob))
        report.error(
          indexPath(at(p, 'repositories', pw), j),
          glob,
          'is not a glob zot can compile: zot refuses it ("retention repo glob pattern could not be compiled", validateGCRules)',
        );
    });
    ((p.keepTags ?? []) as Decoded[]).forEach((k, j) => {
      if (!present(k)) return;
      const kw = indexPath(at(p, 'keepTags', pw), j);
      ((k.patterns ?? []) as unknown[]).forEach((re, n) =>
        checkRegexp(
          re,
          indexPath(at(k, 'patterns', kw), n),
          'zot refuses it ("retention tag regex could not be compiled", validateGCRules)',
          report,
        ),
      );
    });
  });
}

function validateSync(c: Decoded, report: Report): void {
  const sync = c.extensions?.sync;
  const registries: Decoded[] = sync?.registries ?? [];
  const compatOn = (c.http.compat ?? []).length > 0; // config.go: IsCompatEnabled
  registries.forEach((r, i) => {
    if (!present(r)) return;
    const where = indexPath(WHERE.get(sync.registries) ?? 'extensions.sync.registries', i);
    if (report.model.main) validateSyncOnMain(r, where, report);
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateSync: "retryDelay is required when using maxRetries"
    if (r.maxRetries !== undefined && r.retryDelay === undefined)
      report.error(
        at(r, 'maxRetries', where),
        r.maxRetries,
        'is set without retryDelay: zot refuses it ("retryDelay is required when using maxRetries", validateSync)',
      );
    if (report.at('v2.1.19')) {
      // zot v2.1.19 pkg/cli/server/root.go: validateSync: maxRetryDelay needs retryDelay and must not be smaller
      if (r.maxRetryDelay !== undefined && r.retryDelay === undefined)
        report.error(
          at(r, 'maxRetryDelay', where),
          shown(r, 'maxRetryDelay'),
          'is set without retryDelay: zot refuses it (validateSync)',
        );
      else if (r.maxRetryDelay !== undefined && r.maxRetryDelay < r.retryDelay)
        report.error(
          at(r, 'maxRetryDelay', where),
          shown(r, 'maxRetryDelay'),
          `is smaller than retryDelay (${shown(r, 'retryDelay')}): zot refuses it ("maxRetryDelay must be greater than or equal to retryDelay", validateSync)`,
        );
      if (r.credentialHelper === 'oauth2') validateOAuth2Helper(r, where, report);
      else if (hasEntries(r.oauth2CredentialHelper))
        report.warn(
          at(r, 'oauth2CredentialHelper', where),
          undefined,
          `is only read when credentialHelper is 'oauth2': zot ignores it`,
        );
    }
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateSync: preserveDigest needs http.compat
    if (r.preserveDigest && !compatOn)
      report.error(
        at(r, 'preserveDigest', where),
        true,
        'needs http.compat (e.g. ["docker2s2"]): zot refuses it ("can not use PreserveDigest option without enabling http.Compat", validateSync)',
      );
    ((r.content ?? []) as Decoded[]).forEach((content, j) => {
      if (!present(content)) return;
      const cw = indexPath(at(r, 'content', where), j);
      const prefix = content.prefix ?? '';
      // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateSync: "sync prefix could not be compiled" (doublestar ValidatePattern)
      if (!validatePattern(prefix))
        report.error(
          at(content, 'prefix', cw),
          prefix,
          'is not a glob zot can compile: zot refuses it ("sync prefix could not be compiled", validateSync)',
        );
      const tags = content.tags;
      if (present(tags)) {
        checkRegexp(
          tags.regex,
          at(tags, 'regex', fieldPath(cw, 'tags')),
          'zot refuses it ("sync content regex could not be compiled", validateSync)',
          report,
        );
        checkRegexp(
          tags.excludeRegex,
          at(tags, 'excludeRegex', fieldPath(cw, 'tags')),
          'zot refuses it ("sync content excludeRegex could not be compiled", validateSync)',
          report,
        );
      }
      if (content.stripPrefix && !String(prefix).includes('/*') && content.destination === '/') {
        report.error(
          cw,
          undefined,
          `has stripPrefix true and destination '/' but no glob in prefix: zot refuses it (validateSync)`,
        );
      }
      // zot v2.1.14..v2.1.20 pkg/cli/server/validate_sync_enabled.go: validateRetentionSyncOverlaps (content without destination)
      if (!nonEmpty(content.destination)) {
        const policies = [
          ...((c.storage.retention?.policies ?? []) as Decoded[]).flatMap((p) => (p?.repositories ?? []) as string[]),
          ...Object.entries<Decoded>(c.storage.subPaths ?? {}).flatMap(([route, sub]) =>
            ((sub.retention?.policies ?? []) as Decoded[]).flatMap((p) =>
              ((p?.repositories ?? []) as string[]).map((repo) => goPathClean(`${route}/${repo}`).slice(1)),
            ),
          ),
        ];
        if (policies.includes(prefix)) {
          report.warn(
            at(content, 'prefix', cw),
            prefix,
            'is also a retention policy repository: zot logs that retention may remove images sync brings in (validateRetentionSyncOverlaps)',
          );
        }
      }
    });
  });
}

/** The rules zot's main branch (ZOT_MAIN) adds for the sync registry keys it adds, for a version newer than v2.1.20. */
function validateSyncOnMain(r: Decoded, where: string, report: Report): void {
  const why = (msg: string) =>
    `zot refuses it ("${msg}", validateSyncRegistry; zot main ${ZOT_MAIN.commit}, after ${ZOT_MAIN.after})`;
  // zot main 6d19b445 pkg/cli/server/root.go: validateRegistryManifestCheckInterval (commit 18261d4f, #4328)
  if (r.manifestCheckInterval < 0)
    report.error(
      at(r, 'manifestCheckInterval', where),
      shown(r, 'manifestCheckInterval'),
      `is negative: ${why('manifestCheckInterval cannot be negative')}`,
    );
  else if (r.manifestCheckInterval > 0 && r.onDemand !== true)
    report.error(
      at(r, 'manifestCheckInterval', where),
      shown(r, 'manifestCheckInterval'),
      `only throttles on-demand checks and onDemand is off: ${why('manifestCheckInterval requires onDemand to be enabled')}`,
    );
  // zot main 6d19b445 pkg/cli/server/root.go: validateSyncReqLimits (commits 5fca8a6d #4322, d00a1000 #4335): set pointers only
  if (r.reqConcurrent !== undefined && r.reqConcurrent <= 0)
    report.error(
      at(r, 'reqConcurrent', where),
      r.reqConcurrent,
      `is not above 0: ${why('reqConcurrent must be greater than 0')}`,
    );
  // zot main 6d19b445 pkg/cli/server/root.go: invalidOptionalPositiveFloat (NaN and ±Inf refused explicitly)
  if (r.reqPerSec !== undefined && !(Number.isFinite(r.reqPerSec) && r.reqPerSec > 0))
    report.error(
      at(r, 'reqPerSec', where),
      Number.isNaN(r.reqPerSec) || !Number.isFinite(r.reqPerSec) ? String(r.reqPerSec) : r.reqPerSec,
      `is not a finite number above 0: ${why('reqPerSec must be a finite value greater than 0')}`,
    );
  if (r.maxIdleConnsPerHost !== undefined && r.maxIdleConnsPerHost <= 0)
    report.error(
      at(r, 'maxIdleConnsPerHost', where),
      r.maxIdleConnsPerHost,
      `is not above 0: ${why('maxIdleConnsPerHost must be greater than 0')}`,
    );
}

// zot v2.1.19 pkg/extensions/config/sync/config.go: OAuth2HelperConfigFromMap (ErrorUnused) and OAuth2HelperConfig.Validate
function validateOAuth2Helper(r: Decoded, where: string, report: Report): void {
  const field = at(r, 'oauth2CredentialHelper', where);
  const why = 'zot refuses it ("invalid oauth2CredentialHelper config", validateSync)';
  if (!hasEntries(r.oauth2CredentialHelper)) {
    report.error(field, undefined, `is missing while credentialHelper is 'oauth2': ${why}`);
    return;
  }
  const sub = new Report(report.model);
  const raw = r.oauth2CredentialHelper;
  const h: Decoded = decode(OAUTH2_HELPER_KEYS, raw, field, [], sub) ?? {};
  for (const p of sub.errors)
    report.error(
      p.field,
      p.value,
      p.reason
        .replace('(LoadConfiguration: mapstructure decode error, zot exits)', `(${why})`)
        .replace(UNKNOWN_KEY, 'the helper is decoded with ErrorUnused'),
    );
  for (const p of sub.warnings) report.warn(p.field, p.value, p.reason);
  const blank = (x: unknown) => typeof x !== 'string' || x.trim() === '';
  if (blank(h.tokenURL))
    return void report.error(fieldPath(field, 'tokenURL'), h.tokenURL, `is missing or blank: ${why}`);
  if (blank(h.assertionFile) && blank(h.signingFile))
    return void report.error(field, undefined, `needs an assertionFile or a signingFile: ${why}`);
  if (!blank(h.assertionFile) && !blank(h.signingFile))
    return void report.error(field, undefined, `has both assertionFile and signingFile (only one is allowed): ${why}`);
  if (h.grantType !== TOKEN_EXCHANGE_GRANT) {
    if (!blank(h.audience) || !blank(h.subjectTokenType) || !blank(h.requestedTokenType))
      report.error(
        field,
        undefined,
        `sets audience, subjectTokenType or requestedTokenType without the token-exchange grantType: ${why}`,
      );
    return;
  }
  if (blank(h.audience))
    return void report.error(
      fieldPath(field, 'audience'),
      undefined,
      `is required with the token-exchange grantType: ${why}`,
    );
  for (const key of ['subjectTokenType', 'requestedTokenType']) {
    if (blank(h[key])) continue;
    const u = goParseUrl(h[key]);
    if (!u || !u.scheme) report.error(fieldPath(field, key), h[key], `is not an absolute URI: ${why}`);
  }
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: getStorageType / validateStorageConfig
function validateStoreRoots(s: Decoded, report: Report): void {
  const typeOf = (driver: Decoded) => (present(driver) ? String(driver.name) : 'local');
  const stores = [
    {
      route: '',
      field: at(s, 'rootDirectory', 'storage'),
      root: String(s.rootDirectory ?? ''),
      type: typeOf(s.storageDriver),
    },
    ...Object.entries<Decoded>(s.subPaths ?? {}).map(([route, sub]) => ({
      route,
      field: `${atMapKey(s.subPaths, route, 'storage.subPaths')}.rootDirectory`,
      root: String(sub.rootDirectory ?? ''),
      type: typeOf(sub.storageDriver),
    })),
  ].sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
  const name = (x: { route: string }) => (x.route === '' ? 'the default store' : `the subpath '${x.route}'`);
  for (let i = 0; i < stores.length; i++) {
    for (let j = i + 1; j < stores.length; j++) {
      const [a, b] = [stores[i], stores[j]];
      if (a.type !== b.type) continue;
      const kind = pathsConflict(a.root, b.root);
      if (kind === 0) continue;
      const what =
        kind === 1
          ? `is the same root directory as ${name(a)}'s`
          : kind === 2
            ? `holds ${name(a)}'s root directory`
            : `is inside ${name(a)}'s root directory`;
      report.error(
        b.field,
        b.root,
        `${what} ('${a.root}', both ${a.type} storage): zot refuses it ("invalid storage config", validateStorageConfig)`,
      );
    }
  }
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateCacheConfig
function validateCache(s: Decoded, report: Report): void {
  const check = (cfg: Decoded, where: string, isSub: boolean) => {
    const cacheField = `${where}.cacheDriver`;
    if (cfg.dedupe && present(cfg.storageDriver) && cfg.remoteCache && !present(cfg.cacheDriver)) {
      report.error(
        cacheField,
        undefined,
        'is missing: dedupe is on with remote storage and remoteCache (true by default with a storageDriver), so zot needs a remote cache (dynamodb or redis) or dedupe false or remoteCache false; it refuses this ("dedupe set to true with remote storage and database, but no remote database configured", validateCacheConfig)',
      );
    }
    if (present(cfg.cacheDriver) && cfg.remoteCache) {
      const name = cfg.cacheDriver.name;
      const nameField = `${at(cfg, 'cacheDriver', where)}.name`;
      if (!present(cfg.storageDriver) && (isSub || name !== 'redis')) {
        report.error(
          at(cfg, 'cacheDriver', where),
          undefined,
          `is a remote cache on local storage, which zot allows only for redis${isSub ? ' on the default store, not on a subpath' : ''}: it refuses this ("cannot have local storage driver with remote database!", validateCacheConfig)`,
        );
      } else if (isSub ? name !== 'dynamodb' : name !== 'dynamodb' && name !== 'redis') {
        report.error(
          nameField,
          name,
          `is not a cache driver zot supports ${isSub ? 'on a subpath (dynamodb)' : '(dynamodb or redis)'}: zot refuses it ("unsupported database driver", validateCacheConfig)`,
        );
      }
    }
    if (!cfg.remoteCache && present(cfg.cacheDriver)) {
      report.warn(
        at(cfg, 'cacheDriver', where),
        undefined,
        'is set but remoteCache is false: zot ignores it and uses its local cache database (validateCacheConfig)',
      );
    }
  };
  check(s, WHERE.get(s) ?? 'storage', false);
  for (const [route, sub] of Object.entries<Decoded>(s.subPaths ?? {}))
    check(sub, atMapKey(s.subPaths, route, 'storage.subPaths'), true);
}

// zot v2.1.14 pkg/cli/server/root.go: validateConfiguration (s3 only) / v2.1.15..v2.1.17 validateStorageConfigSection (s3, gcs) / v2.1.18.. (s3, gcs, azure)
function validateStorageDrivers(c: Decoded, report: Report): void {
  const drivers = report.at('v2.1.18') ? ['s3', 'gcs', 'azure'] : report.at('v2.1.15') ? ['s3', 'gcs'] : ['s3'];
  const ext = c.extensions;
  const syncOn =
    present(ext?.sync) &&
    (ext.sync.enable === true || (ext.sync.enable === undefined && nonEmpty(ext.sync.registries))); // config.go: IsSyncEnabled
  const check = (cfg: Decoded, where: string) => {
    // zot v2.1.18 pkg/cli/server/root.go: validateStorageConfigSection: redirectBlobURL needs a remote storage driver
    if (report.at('v2.1.18') && cfg.redirectBlobURL && !present(cfg.storageDriver)) {
      report.error(
        at(cfg, 'redirectBlobURL', where),
        true,
        'is only supported with s3, gcs or azure storage: zot refuses it on local storage (validateStorageConfigSection)',
      );
    }
    if (!present(cfg.storageDriver)) return;
    const name = cfg.storageDriver.name;
    if (!drivers.includes(name))
      report.error(
        `${at(cfg, 'storageDriver', where)}.name`,
        name,
        `is not a storage driver zot ${report.version} supports (${drivers.join(', ')}): zot refuses it ("unsupported storage driver")`,
      );
    // distribution registry/storage/driver/{s3-aws,gcs,azure} FromParameters at the version zot vendors (lib/zot/storage-driver.ts)
    else
      for (const p of storageDriverProblems(cfg.storageDriver, at(cfg, 'storageDriver', where), report.version))
        report.error(p.field, p.secret ? undefined : p.value, p.reason);
    if (syncOn && !nonEmpty(ext.sync.downloadDir)) {
      report.error(
        fieldPath(WHERE.get(ext.sync) ?? 'extensions.sync', 'downloadDir'),
        undefined,
        `is missing: sync with remote storage (${at(cfg, 'storageDriver', where)}) needs it, zot refuses this ("using both sync and remote storage features needs config.Extensions.Sync.DownloadDir to be specified")`,
      );
    }
  };
  check(c.storage, WHERE.get(c.storage) ?? 'storage');
  for (const [route, sub] of Object.entries<Decoded>(c.storage.subPaths ?? {})) {
    const subWhere = atMapKey(c.storage.subPaths, route, 'storage.subPaths');
    check(sub, subWhere);
    // zot v2.1.14..v2.1.20 pkg/storage/storage.go getSubStore: an empty subpath rootDirectory
    for (const p of subPathRootProblems(sub, subWhere)) report.error(p.field, p.value, p.reason);
  }
}

function validateAuthz(c: Decoded, mtlsOn: boolean, report: Report): void {
  const ac = c.http.accessControl;
  const auth = c.http.auth;
  const where = WHERE.get(ac) ?? 'http.accessControl';
  const repos: Record<string, Decoded> = ac.repositories ?? {};
  const len = (x: unknown) => (Array.isArray(x) ? x.length : 0);
  // zot pkg/api/config/config.go: IsBasicAuthnEnabled / IsOpenIDAuthEnabled / IsBearerAuthEnabled
  const openidOn = Object.keys(auth.openid?.providers ?? {}).some(
    (p) => OPENID_PROVIDERS.includes(p) || OAUTH2_PROVIDERS.includes(p),
  );
  const basic = nonEmpty(auth.htpasswd?.path) || present(auth.ldap) || openidOn || auth.apikey === true;
  const b = auth.bearer;
  const bearerOn =
    present(b) &&
    ((nonEmpty(b.cert) && nonEmpty(b.realm) && nonEmpty(b.service)) ||
      (report.at('v2.1.15') && present(b.awsSecretsManager) && nonEmpty(b.realm) && nonEmpty(b.service)) ||
      ((b.oidc ?? []) as Decoded[]).some((o) => present(o) && nonEmpty(o.issuer) && len(o.audiences) > 0));
  // zot v2.1.14..v2.1.20 pkg/api/config/config.go: ContainsOnlyAnonymousPolicy (adminPolicy groups and policy groups are not counted)
  const admin = ac.adminPolicy ?? {};
  let authenticatedRules: string[] = [];
  if (len(admin.actions) + len(admin.users) > 0)
    authenticatedRules.push(WHERE.get(admin) ?? fieldPath(where, 'adminPolicy'));
  let anonymous = false;
  for (const [glob, pg] of Object.entries(repos)) {
    const gw = atMapKey(repos, glob, fieldPath(where, 'repositories'));
    if (len(pg.defaultPolicy) > 0) authenticatedRules.push(`${gw}.defaultPolicy`);
    if (len(pg.anonymousPolicy) > 0) anonymous = true;
    ((pg.policies ?? []) as Decoded[]).forEach((p, i) => {
      if (present(p) && len(p.actions) + len(p.users) > 0) authenticatedRules.push(indexPath(`${gw}.policies`, i));
    });
  }
  const onlyAnonymous = authenticatedRules.length === 0 && anonymous;
  // zot v2.1.18 pkg/api/config/config.go: ContainsOnlyMetricsAnonymousPolicy
  const onlyMetricsAnonymous =
    report.at('v2.1.18') &&
    len(admin.actions) + len(admin.users) + len(admin.groups) === 0 &&
    Object.keys(repos).length === 0 &&
    Object.keys(ac.groups ?? {}).length === 0 &&
    ((ac.metrics?.anonymousPolicy ?? []) as unknown[]).includes('read');
  if (!basic && !mtlsOn && !bearerOn && !onlyAnonymous && !onlyMetricsAnonymous) {
    authenticatedRules = [...new Set(authenticatedRules)];
    const why = authenticatedRules.length
      ? `grants authenticated users access (${authenticatedRules.join(', ')})`
      : 'has no anonymousPolicy on any repository (zot counts such a block as not anonymous-only)';
    report.error(
      where,
      undefined,
      `${why} but no authentication is configured (htpasswd, ldap, openid, apikey, bearer or mTLS): zot refuses it ("access control config requires one of htpasswd, ldap, openid or mTLS authentication or using only 'anonymousPolicy' policies", validateAuthzPolicies)`,
    );
  }

  // zot v2.1.17 pkg/cli/server/root.go: validateAuthzPolicies → api.CompileAccessControl: every condition is a CEL program compiled at start-up
  if (report.at('v2.1.17')) {
    const conditions: Array<[string, Decoded]> = [];
    const collect = (p: Decoded, pw: string) =>
      ((p?.conditions ?? []) as Decoded[]).forEach((cond, i) =>
        conditions.push([indexPath(`${pw}.conditions`, i), cond]),
      );
    for (const [glob, pg] of Object.entries(repos))
      ((pg.policies ?? []) as Decoded[]).forEach((p, i) =>
        collect(p, indexPath(`${atMapKey(repos, glob, fieldPath(where, 'repositories'))}.policies`, i)),
      );
    collect(admin, WHERE.get(admin) ?? fieldPath(where, 'adminPolicy'));
    for (const [field, cond] of conditions) {
      const expr = cond?.expression;
      if (typeof expr !== 'string' || expr.trim() === '')
        report.error(
          `${field}.expression`,
          expr,
          'is empty: zot compiles each condition with CEL at start-up and an empty expression does not parse, so it refuses the config (validateAuthzPolicies → CompileAccessControl)',
        );
      else
        report.warn(
          `${field}.expression`,
          expr,
          'is a CEL expression zot compiles at start-up (only the variable `req` is declared) and refuses if it does not compile: not compiled here',
        );
    }
  }

  // --- accepted, but not what it looks like -------------------------------------------------------
  // zot v2.1.14..v2.1.20 pkg/api/authz.go: actions are compared with slices.Contains, exact strings
  const checkActions = (actions: unknown, field: string) =>
    ((actions ?? []) as unknown[]).forEach((a, i) => {
      if (a !== undefined && !KNOWN_ACTIONS.includes(a as string))
        report.warn(
          indexPath(field, i),
          a,
          `is not an action zot checks (${KNOWN_ACTIONS.join(', ')}; exact spelling): it grants nothing`,
        );
    });
  for (const [glob, pg] of Object.entries(repos)) {
    const gw = atMapKey(repos, glob, fieldPath(where, 'repositories'));
    if (glob !== (SPELLING.get(repos)?.get(glob) ?? glob))
      report.warn(gw, undefined, `is lower-cased by viper: zot matches repositories against '${glob}'`);
    ((pg.policies ?? []) as Decoded[]).forEach((p, i) =>
      checkActions(p?.actions, indexPath(`${gw}.policies`, i) + '.actions'),
    );
    checkActions(pg.defaultPolicy, `${gw}.defaultPolicy`);
    checkActions(pg.anonymousPolicy, `${gw}.anonymousPolicy`);
  }
  checkActions(admin.actions, `${WHERE.get(admin) ?? fieldPath(where, 'adminPolicy')}.actions`);
  // zot v2.1.14..v2.1.20 viper util.go: insensitiviseMap lower-cases the accessControl.groups keys; policies name groups by value (case-sensitive)
  const groups = Object.keys(ac.groups ?? {});
  const referenced: Array<[string, unknown]> = [];
  for (const [glob, pg] of Object.entries(repos))
    ((pg.policies ?? []) as Decoded[]).forEach((p, i) =>
      ((p?.groups ?? []) as unknown[]).forEach((g, j) =>
        referenced.push([
          `${indexPath(`${atMapKey(repos, glob, fieldPath(where, 'repositories'))}.policies`, i)}.groups[${j}]`,
          g,
        ]),
      ),
    );
  ((admin.groups ?? []) as unknown[]).forEach((g, j) =>
    referenced.push([`${WHERE.get(admin) ?? fieldPath(where, 'adminPolicy')}.groups[${j}]`, g]),
  );
  for (const [field, g] of referenced) {
    if (typeof g === 'string' && !groups.includes(g) && groups.includes(g.toLowerCase())) {
      report.warn(
        field,
        g,
        `names a group defined as '${SPELLING.get(ac.groups)?.get(g.toLowerCase()) ?? g}', which viper lower-cases to '${g.toLowerCase()}': zot compares group names exactly, so this policy never applies to that group's users`,
      );
    }
  }
  // zot < v2.1.16 pkg/api/authn.go: basicAuthHandler answers /v2/ with 200 to anonymous clients; fixed in v2.1.16 (commit 7ceb01dc, #3868)
  if (
    !report.at('v2.1.16') &&
    anonymous &&
    authenticatedRules.length > 0 &&
    (nonEmpty(auth.htpasswd?.path) || present(auth.ldap) || auth.apikey === true)
  ) {
    report.warn(
      where,
      undefined,
      `mixes anonymousPolicy with authenticated-only rules: zot ${report.version} answers /v2/ with 200 to anonymous clients, so docker never sends its stored credentials and pushes to protected repositories fail (fixed in zot v2.1.16, pkg/api/authn.go)`,
    );
  }
}
