// Reading parsed YAML and JSON, which is `unknown`: one guarded step at a time.

/** The value at `keys` in a parsed document; undefined where a step is not an object (or the key is absent). */
export function valueAt(doc: unknown, ...keys: string[]): unknown {
  let at = doc;
  for (const k of keys) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[k];
  }
  return at;
}
