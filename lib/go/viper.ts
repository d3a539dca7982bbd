// What viper v1.21.0 hands to mapstructure when a program reads its config with a key delimiter:
// viper.go (ReadInConfig, AllKeys → flattenAndMergeMap, AllSettings → getSettings, find →
// searchIndexableWithPathPrefixes, searchSliceWithPathPrefixes) and util.go (insensitiviseMap).
// The caller (lib/zot) words the problems: this file only says what viper does.

/** A JSON object as viper holds it (map[string]any). */
export type Plain = Record<string, unknown>;

export const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Original spelling of each (lower-cased) key of an object viper lower-cased (viper forgets it; messages need it). */
export const SPELLING = new WeakMap<object, Map<string, string>>();

/** The key path as the user wrote it: `parent.key`. */
export const fieldPath = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);
/** A map entry's path: `parent["key"]`. */
export const mapKeyPath = (parent: string, key: string) => `${parent}[${JSON.stringify(key)}]`;
/** A list item's path: `parent[i]`. */
export const indexPath = (parent: string, i: number) => `${parent}[${i}]`;

/** What viper does that the caller may want to report. */
export interface ViperEvents {
  /** Two keys of one map equal but for case: viper keeps one of them, by Go's map order. */
  collision(path: string, first: string, lower: string): void;
  /** A key holding the delimiter: viper reads it as nested keys, and it wins over those keys written nested. */
  delimited(path: string, parts: string[]): void;
  /** A leaf and a map of settings at one path: viper keeps one of them, by Go's map order. */
  leafAndMap(path: string): void;
}

/** viper util.go insensitiviseMap: every map key lower-cased, inside lists too. Two keys equal but for case collide. */
export function insensitivise(value: unknown, path: string, events: ViperEvents): unknown {
  if (Array.isArray(value)) return value.map((v, i) => insensitivise(v, indexPath(path, i), events));
  if (!isPlain(value)) return value;
  const out: Plain = {};
  const spelled = new Map<string, string>();
  for (const [key, v] of Object.entries(value)) {
    const lower = key.toLowerCase();
    const childPath = path ? fieldPath(path, key) : key;
    const first = spelled.get(lower);
    if (first !== undefined) {
      // viper v1.21.0 util.go: insensitiviseMap: the later write wins in Go map order
      events.collision(childPath, first, lower);
      continue;
    }
    spelled.set(lower, key);
    out[lower] = insensitivise(v, childPath, events);
  }
  SPELLING.set(out, spelled);
  return out;
}

/**
 * AllKeys (flattenAndMergeMap): each leaf's full key joined with `delimiter`, and its spelling as
 * written. Objects without leaves yield nothing; lists are leaves.
 */
function allKeys(lowered: Plain, path: string, delimiter: string, events: ViperEvents): Map<string, string[]> {
  const leaves = new Map<string, string[]>();
  const flatten = (m: Plain, segs: string[], spelledSegs: string[], at: string) => {
    const spelled = SPELLING.get(m) ?? new Map<string, string>();
    for (const [key, v] of Object.entries(m)) {
      const orig = spelled.get(key) ?? key;
      const where = fieldPath(at, orig);
      if (key.includes(delimiter)) events.delimited(where, orig.split(delimiter));
      const full = [...segs, ...key.split(delimiter)];
      const fullSpelled = [...spelledSegs, ...orig.split(delimiter)];
      if (isPlain(v)) flatten(v, full, fullSpelled, where);
      else if (!leaves.has(full.join(delimiter))) leaves.set(full.join(delimiter), fullSpelled);
    }
  };
  flatten(lowered, [], [], path);
  return leaves;
}

/** A fresh object with its (empty) spelling map. */
function spelledObject(): Plain {
  const o: Plain = {};
  SPELLING.set(o, new Map());
  return o;
}

/** deepSearch: the object at `segs` under `root`, a value in the way replaced by a map. */
function deepSearch(root: Plain, segs: string[], spelledSegs: string[]): Plain {
  let target = root;
  segs.forEach((seg, i) => {
    const existing = target[seg];
    if (isPlain(existing)) {
      target = existing;
      return;
    }
    const child = spelledObject();
    target[seg] = child;
    SPELLING.get(target)?.set(seg, spelledSegs[i] ?? seg);
    target = child;
  });
  return target;
}

/**
 * What viper hands to mapstructure (viper v1.21.0 viper.go: AllSettings → getSettings(AllKeys())):
 * AllKeys (flattenAndMergeMap) joins every path to a leaf with the delimiter, so a key written with
 * the delimiter and the nested keys it spells are the same setting; Get(key) (find →
 * searchIndexableWithPathPrefixes) takes the longest prefix of the path that is a key of the map
 * first, and shorter ones only when that finds nothing. Nulls and objects without leaves vanish
 * (getSettings skips nil; flattenAndMergeMap finds no leaf in an empty map). Lists are leaves, kept
 * whole; a number in the path indexes a list (searchSliceWithPathPrefixes).
 */
export function settle(lowered: Plain, path: string, delimiter: string, events: ViperEvents): Plain {
  const root = spelledObject();
  for (const [key, spelledSegs] of allKeys(lowered, path, delimiter, events)) {
    const segs = key.split(delimiter);
    const value = viperGet(lowered, segs, delimiter);
    if (value === null || value === undefined) continue;
    const target = deepSearch(root, segs.slice(0, -1), spelledSegs);
    const last = segs[segs.length - 1];
    if (isPlain(target[last])) events.leafAndMap(spelledSegs.join('.'));
    target[last] = value;
    SPELLING.get(target)?.set(last, spelledSegs[spelledSegs.length - 1] ?? last);
  }
  return root;
}

/** searchIndexableWithPathPrefixes' one step: the value under `prefix` of a map or (strconv.Atoi, in range) a list. */
function child(source: unknown, prefix: string): { found: boolean; value?: unknown } {
  if (Array.isArray(source)) {
    // searchSliceWithPathPrefixes: strconv.Atoi of the prefix, in range
    if (!/^[+-]?\d+$/.test(prefix)) return { found: false };
    const index = Number(prefix);
    if (index < 0 || index >= source.length) return { found: false };
    return { found: true, value: source[index] };
  }
  if (isPlain(source) && Object.prototype.hasOwnProperty.call(source, prefix))
    return { found: true, value: source[prefix] };
  return { found: false };
}

/** viper v1.21.0 viper.go searchIndexableWithPathPrefixes: the longest prefix of `path` that is a key (or a list index) first; nil → the next shorter one. */
export function viperGet(source: unknown, path: string[], delimiter: string): unknown {
  if (path.length === 0) return source;
  for (let i = path.length; i > 0; i--) {
    const next = child(source, path.slice(0, i).join(delimiter));
    if (!next.found) continue;
    const v = next.value;
    const val =
      i === path.length ? v : isPlain(v) || Array.isArray(v) ? viperGet(v, path.slice(i), delimiter) : undefined;
    if (val !== null && val !== undefined) return val;
  }
  return undefined;
}
