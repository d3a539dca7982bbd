// Repository globs as zot matches them, and what can be decided about two or more of them.
//
// The port of doublestar's matcher is glob-doublestar.ts (zot matches an accessControl repository key with
// doublestar's glob.Match: zot v2.1.14..v2.1.20 pkg/api/authz.go). The analysis half (`parseSafeGlob`,
// `globsOverlap`, `globContains`, `findName`) decides containment and overlap exactly, by automata, for a
// documented subset of the syntax (glob-syntax.ts), over the repository names zot routes (zot
// pkg/regexp/regexp.go NameRegexp, v2.1.14..v2.1.20; glob-automata.ts); anything outside the subset is refused
// with the reason. glob-overlap.ts holds the cheap filters in front of the automata.

import { ZotFluxError } from '../core/error';
import { findName, isEverything, isRepositoryName } from './glob-automata';
import { doublestarMatch, matchesInBoth } from './glob-doublestar';
import { ALPHABET, readSafeGlob, Refused, SafeGlob } from './glob-syntax';

export type { DoublestarBehaviour } from './glob-doublestar';
export type { SafeGlob } from './glob-syntax';
export type { LiteralEnds } from './glob-overlap';
export {
  DOUBLESTAR_BY_ZOT_VERSION,
  doublestarMatch,
  goLength,
  matchRepository,
  validatePattern,
} from './glob-doublestar';
export { analysisMatches, ANALYSIS_STATE_LIMIT, findName, findNameDense, isRepositoryName } from './glob-automata';
export { literalEnds, mayOverlap, OverlapIndex } from './glob-overlap';

/**
 * Parses a glob of the subset the analysis decides exactly; returns the reason when the glob is
 * outside it (or when zot would refuse it: doublestar ValidatePattern).
 */
export function parseSafeGlob(pattern: string): SafeGlob | Refused {
  let parsed = parsedGlobs.get(pattern);
  if (parsed === undefined) {
    if (parsedGlobs.size >= 10_000) parsedGlobs.clear();
    parsed = readSafeGlob(pattern, (g) => findName([g]));
    parsedGlobs.set(pattern, parsed);
  }
  return parsed;
}
// One parse (and so one set of automata) per pattern text.
const parsedGlobs = new Map<string, SafeGlob | Refused>();

// --- Quick witnesses ----------------------------------------------------------------------------

/**
 * Whether zot's doublestar matches `name` with the glob (both brace scannings read agree and match: glob.Match
 * as zot calls it). For a SafeGlob this is what its automaton accepts (test/zot/glob.test.ts holds them equal).
 */
export function doublestarMatches(g: SafeGlob, name: string): boolean {
  return matchesInBoth(g.pattern, name);
}

const quickNames = new WeakMap<SafeGlob, string | null>();
/**
 * A repository name `g` matches, guessed from its text ('**' segments dropped, '*' and '?' as 'a', a class as
 * its first member) and checked by doublestar; undefined when the guess fails (ask findName). Proves that a
 * glob matches some name, or that two globs meet, without building an automaton.
 */
export function quickName(g: SafeGlob): string | undefined {
  let w = quickNames.get(g);
  if (w === undefined) {
    w = guessName(g) ?? null;
    quickNames.set(g, w);
  }
  return w ?? undefined;
}

function guessName(g: SafeGlob): string | undefined {
  const segments: string[] = [];
  for (const seg of g.expansions[0].split('/')) {
    if (seg === '**') continue;
    let out = '';
    for (let i = 0; i < seg.length; i++) {
      const c = seg[i];
      if (c === '*' || c === '?') out += 'a';
      else if (c === '[') {
        const close = seg.indexOf(']', i + 1);
        const cls = seg.slice(i, close + 1);
        const member = [...ALPHABET].find((x) => x !== '/' && doublestarMatch(cls, x).matched);
        if (member === undefined) return undefined;
        out += member;
        i = close;
      } else out += c;
    }
    segments.push(out);
  }
  const name = segments.length ? segments.join('/') : 'a';
  return isRepositoryName(name) && doublestarMatches(g, name) ? name : undefined;
}

/** true when a quick witness shows some name matched by both globs (false says nothing: ask findName). */
export function quicklyMeet(a: SafeGlob, b: SafeGlob): boolean {
  if (isEverything(a)) return quickName(b) !== undefined;
  if (isEverything(b)) return quickName(a) !== undefined;
  const x = quickName(a);
  if (x !== undefined && doublestarMatches(b, x)) return true;
  const y = quickName(b);
  return y !== undefined && doublestarMatches(a, y);
}

/** A repository name both globs match, or undefined when they are disjoint (exact, over valid names). */
export function globsOverlap(a: SafeGlob, b: SafeGlob): string | undefined {
  return findName([a, b]);
}

/** Whether every repository name `inner` matches is matched by `outer` too (exact, over valid names). */
export function globContains(outer: SafeGlob, inner: SafeGlob): boolean {
  return findName([inner], [outer]) === undefined;
}

/** Parses, or throws ZotFluxError naming `field` with the reason the glob cannot be analysed. */
export function requireSafeGlob(pattern: string, field: string): SafeGlob {
  const g = parseSafeGlob(pattern);
  if ('problem' in g) throw new ZotFluxError({ field, value: pattern, reason: g.problem });
  return g;
}
