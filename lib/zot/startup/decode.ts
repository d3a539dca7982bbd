// Step 2 of zot's LoadConfiguration: mapstructure v2.5.0 with ErrorUnused and WeaklyTypedInput
// (viper v1.21.0 viper.go: UnmarshalExact, defaultDecoderConfig; mapstructure.go: decode*) against
// zot's structs, the key tree of the version (lib/zot/config-keys.ts), with the hooks
// StringToTimeDurationHookFunc, zot's events SinkConfigDecoderHook and (v2.1.19) GCTimeWindowDecodeHook.
// How a single value converts is Go's (lib/go/mapstructure.ts); what zot refuses and why is here.
import { compareZotVersions, findKey, hasKey, KeyNode, versionWithKey, ZOT_MAIN } from '../config-keys';
import { typeName, weakBool, weakDuration, weakFloat, weakInt, weakString } from '../../go/mapstructure';
import { formatGoDuration } from '../../go/time';
import { parseGCTimeWindow } from './gc-window';
import { fieldPath, indexPath, isPlain, mapKeyPath, Plain, Report, SPELLING, WHERE, WRITTEN } from './report';

// zot v2.1.14 pkg/cli/server/root.go: LoadConfiguration: viperInstance.UnmarshalExact (ErrorUnused) — all versions
export const UNKNOWN_KEY =
  'zot refuses unknown keys (LoadConfiguration: viper UnmarshalExact → mapstructure ErrorUnused "has invalid keys")';

/** One decode: where it is, the key names above it, and where its problems go. */
interface At {
  readonly path: string;
  readonly keys: string[];
  readonly report: Report;
}

/** A value mapstructure cannot decode: zot exits with the joined decode errors. */
function refuse(at: At, value: unknown, reason: string): undefined {
  at.report.undecodableAt(at.path, value, `${reason} (LoadConfiguration: mapstructure decode error, zot exits)`);
  return undefined;
}

/** `value` decoded as zot's struct `node` decodes it: undefined for nothing set (a null) or a refusal (reported). */
export function decode(node: KeyNode, value: unknown, path: string, keys: string[], report: Report): unknown {
  // mapstructure.go: decode: "If the data is nil, then we don't set anything" (a null inside a list item)
  if (value === null || value === undefined) return undefined;
  const at: At = { path, keys, report };
  switch (node.type) {
    case 'object':
      return decodeStruct(node, value, at);
    case 'map':
      return decodeMap(node, value, at);
    case 'list':
      return decodeSlice(node, value, at);
    case 'any':
      return value;
    default:
      return decodeScalar(node, value, at);
  }
}

/** Why a key of an object is not decoded: zot refuses it, or (events sink, forward mode) ignores it with a warning. */
function unknownKey(
  node: KeyNode,
  key: string,
  hit: [string, KeyNode] | undefined,
  v: unknown,
  childPath: string,
  at: At,
) {
  const { report } = at;
  if (node.lenient) {
    // zot v2.1.14..v2.1.20 pkg/extensions/config/events/decoder.go: SinkConfigDecoderHook decodes without ErrorUnused
    report.warn(
      childPath,
      v,
      'is not a key of an events sink: zot ignores it (SinkConfigDecoderHook decodes sinks without ErrorUnused)',
    );
    return;
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
    return;
  }
  const later = versionWithKey([...at.keys, key]);
  const hint =
    later === 'main'
      ? `; it is a key of zot's main branch after ${ZOT_MAIN.after} (${hit?.[1].addedBy ?? `commit ${ZOT_MAIN.commit}`}), in no release this project has read`
      : later && compareZotVersions(later, report.version) > 0
        ? `; it is a key from zot ${later} on`
        : '';
  report.undecodableAt(childPath, undefined, `is not a key zot ${report.version} knows: ${UNKNOWN_KEY}${hint}`);
}

/** ZOT_MAIN: a key read on zot main at 6d19b445, in no tag read here. */
function warnMainKey(child: KeyNode, v: unknown, childPath: string, report: Report): void {
  if (child.since !== 'main') return;
  report.warn(
    childPath,
    v,
    `is a key of zot's main branch after ${ZOT_MAIN.after} (${child.addedBy}; read at ${ZOT_MAIN.commit}): checked as main checks it; ` +
      `that zot ${report.model.version} has it is assumed, its own source was not read`,
  );
}

/** mapstructure.go: decodeStruct — "expected a map or struct"; each key matched as mapstructure matches it. */
function decodeStruct(node: KeyNode, value: unknown, at: At): Plain | undefined {
  if (!isPlain(value)) return refuse(at, value, `is ${typeName(value)}, but zot needs an object here`);
  const out: Plain = {};
  const spelled = new Map<string, string>();
  const written = new Map<string, unknown>();
  const from = SPELLING.get(value);
  for (const [key, v] of Object.entries(value)) {
    const orig = from?.get(key) ?? key;
    const hit = findKey(node, key);
    const childPath = fieldPath(at.path, orig);
    if (!hit || !hasKey(hit[1], at.report.version, at.report.model.main)) {
      unknownKey(node, key, hit, v, childPath, at);
      continue;
    }
    const [name, child] = hit;
    warnMainKey(child, v, childPath, at.report);
    const d = decode(child, v, childPath, [...at.keys, name], at.report);
    if (d === undefined) continue;
    out[name] = d;
    spelled.set(name, orig);
    written.set(name, v);
  }
  SPELLING.set(out, spelled);
  WRITTEN.set(out, written);
  WHERE.set(out, at.path);
  return out;
}

/** A map's entries with their spelling; a list of objects is merged (mapstructure.go: decodeMapFromSlice, WeaklyTypedInput). */
function mapEntries(value: unknown, at: At): Array<[string, unknown, string]> | undefined {
  if (isPlain(value)) {
    const from = SPELLING.get(value);
    return Object.entries(value).map(([k, v]) => [k, v, from?.get(k) ?? k]);
  }
  if (!Array.isArray(value) || !value.every(isPlain)) return undefined;
  if (value.length)
    at.report.warn(
      at.path,
      undefined,
      'is a list of objects: zot merges them into one map (mapstructure WeaklyTypedInput)',
    );
  return value.flatMap((m) =>
    Object.entries(m).map(([k, v]) => [k, v, SPELLING.get(m)?.get(k) ?? k] as [string, unknown, string]),
  );
}

/** mapstructure.go: decodeMap. */
function decodeMap(node: KeyNode, value: unknown, at: At): Plain | undefined {
  const entries = mapEntries(value, at);
  if (!entries) return refuse(at, value, `is ${typeName(value)}, but zot needs an object (a map) here`);
  const out: Plain = {};
  const spelled = new Map<string, string>();
  for (const [k, v, orig] of entries) {
    const d = node.of && decode(node.of, v, mapKeyPath(at.path, orig), at.keys, at.report);
    if (d === undefined) continue;
    out[k] = d;
    spelled.set(k, orig);
  }
  SPELLING.set(out, spelled);
  WHERE.set(out, at.path);
  return out;
}

/** mapstructure.go: decodeSlice (WeaklyTypedInput): a single value is "lifted" into a list; an empty object is an empty list. */
function decodeSlice(node: KeyNode, value: unknown, at: At): unknown[] {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (isPlain(value) && Object.keys(value).length === 0) items = [];
  else {
    at.report.warn(at.path, value, 'is not a list: zot reads it as a list of one (mapstructure WeaklyTypedInput)');
    items = [value];
  }
  const out = items.map((v, i) => node.of && decode(node.of, v, indexPath(at.path, i), at.keys, at.report));
  WHERE.set(out, at.path);
  return out;
}

/** A string, bool, int, float, duration, bytes or time-window field. */
function decodeScalar(node: KeyNode, value: unknown, at: At): unknown {
  switch (node.type) {
    case 'string':
      return decodeString(value, at);
    case 'bool':
      return decodeBool(value, at);
    case 'int':
      return decodeInt(value, at);
    case 'float':
      return decodeFloat(value, at);
    case 'duration':
      return decodeDuration(value, at);
    case 'bytes':
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && value.every((b) => typeof b === 'number')) return value;
      return refuse(at, value, `is ${typeName(value)}, but zot needs a string here`);
    case 'timeWindow':
      return decodeTimeWindow(value, at);
  }
  return undefined;
}

/** mapstructure.go: decodeString. */
function decodeString(value: unknown, at: At): string | undefined {
  const s = weakString(value);
  if (!('value' in s)) return refuse(at, value, `is ${typeName(value)}, but zot needs a string here`);
  if (typeof value === 'boolean')
    at.report.warn(
      at.path,
      value,
      `is a boolean: zot reads it as the string '${s.value}' (mapstructure WeaklyTypedInput)`,
    );
  return s.value;
}

/** mapstructure.go: decodeBool. */
function decodeBool(value: unknown, at: At): boolean | undefined {
  const b = weakBool(value);
  if ('value' in b) return b.value;
  if (b.fail === 'parse')
    return refuse(
      at,
      value,
      'is not a boolean zot can read (Go strconv.ParseBool: true, false, 1, 0, t, f, TRUE, FALSE...)',
    );
  return refuse(at, value, `is ${typeName(value)}, but zot needs a boolean here`);
}

/** mapstructure.go: decodeInt. */
function decodeInt(value: unknown, at: At): number | undefined {
  const n = weakInt(value);
  if ('value' in n) {
    if (typeof value === 'number' && !Number.isInteger(value))
      at.report.warn(at.path, value, `is not a whole number: zot truncates it to ${n.value}`);
    return n.value;
  }
  if (n.fail === 'parse') return refuse(at, value, 'is not an integer zot can read (Go strconv.ParseInt, base 0)');
  return refuse(at, value, `is ${typeName(value)}, but zot needs an integer here`);
}

/** mapstructure v2.5.0 mapstructure.go: decodeFloat. */
function decodeFloat(value: unknown, at: At): number | undefined {
  const f = weakFloat(value);
  if ('value' in f) return f.value;
  if (f.fail === 'parse') return refuse(at, value, 'is not a number zot can read (Go strconv.ParseFloat)');
  return refuse(at, value, `is ${typeName(value)}, but zot needs a number here`);
}

/** mapstructure decode_hooks.go: StringToTimeDurationHookFunc (time.ParseDuration); a number is decodeInt: nanoseconds. */
function decodeDuration(value: unknown, at: At): number | undefined {
  const d = weakDuration(value);
  if ('value' in d) {
    if (typeof value !== 'string' && d.value !== 0)
      at.report.warn(
        at.path,
        value,
        `is a number: zot reads it as ${d.value} nanoseconds (${formatGoDuration(d.value)}); write a Go duration such as '1h' instead`,
      );
    return d.value;
  }
  if (d.fail === 'parse')
    return refuse(at, value, `is not a Go duration (${d.error}); write e.g. '90s', '30m', '1h30m'`);
  return refuse(at, value, `is ${typeName(value)}, but zot needs a duration (a string such as '1h') here`);
}

/** zot v2.1.19 pkg/api/config/gctimewindow.go: GCTimeWindowDecodeHook: only a string is parsed; anything else fails decodeStruct. */
function decodeTimeWindow(value: unknown, at: At): { start: number; end: number } | undefined {
  if (typeof value !== 'string')
    return refuse(at, value, `is ${typeName(value)}, but zot needs a string "HH:MM-HH:MM" here`);
  const w = parseGCTimeWindow(value);
  if (w && 'error' in w) return refuse(at, value, `is not a time window: ${w.error} (GCTimeWindowDecodeHook)`);
  return w ?? undefined;
}
