// How deep a parsed file may nest before zot-flux refuses it, naming the file.
//
// The readers of zot's config (lib/zot/startup.ts and access.ts) and of Kubernetes objects walk values
// recursively, so a config.json nested a few thousand levels deep ran node out of stack (a RangeError
// that the CLI had to call a bug). The parsers themselves cope: V8's JSON.parse is not recursive, and
// js-yaml refuses beyond its `maxDepth` option, which lib/core/yaml.ts sets from MAX_NESTING (its default, 100, is
// far below what zot and Flux read).
// zot reads config.json with Go's encoding/json, which refuses beyond 10000 levels
// (golang/go src/encoding/json/scanner.go: `const maxNestingDepth = 10000`, enforced in pushParseState:
// "exceeded max depth"); node's default stack runs out well before 10000 frames of a recursive walk, so
// zot-flux refuses beyond MAX_NESTING: no real config nests a tenth as deep, and every walker in the
// project is far inside node's stack at that depth.
import { ZotFluxError } from './error';

/** The deepest nesting of objects and arrays zot-flux reads (Go's encoding/json allows 10000; see above). */
export const MAX_NESTING = 512;

/**
 * How deep `value` nests (a scalar is 0, `{}` or `[]` is 1), counted without recursion; stops once beyond `limit`.
 * A value shared by several parents (js-yaml's aliases, a JS object graph) is walked again only when reached
 * deeper than before, so the work is bounded by (distinct objects × (limit + 1)), not by the expanded size: an
 * alias bomb of 40 nested aliases (2^40 expanded nodes) costs 40 visits. A cycle ends beyond `limit`.
 */
export function nestingDepth(value: unknown, limit = MAX_NESTING): number {
  let deepest = 0;
  const seen = new Map<object, number>();
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    const before = seen.get(v);
    if (before !== undefined && before >= d) continue;
    seen.set(v, d);
    if (d > deepest) deepest = d;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, d]);
    }
  }
  return deepest;
}

/** Refuses a value nested deeper than `limit`, naming where it came from (`field`: a file, a key). */
export function refuseDeepNesting(value: unknown, field: string, limit = MAX_NESTING): void {
  if (nestingDepth(value, limit) > limit) {
    throw new ZotFluxError({
      field,
      reason:
        `nests objects and arrays more than ${limit} levels deep: zot-flux reads at most ${limit} ` +
        "(zot's own JSON reader stops at 10000); flatten it, or check that it is the file you meant",
    });
  }
}

/** JSON.parse, then refuseDeepNesting: a syntax error stays a SyntaxError for the caller to word. */
export function parseJsonWithin(text: string, field: string, limit = MAX_NESTING): unknown {
  const value: unknown = JSON.parse(text);
  refuseDeepNesting(value, field, limit);
  return value;
}
