// The glob subset the analysis decides exactly, read into regular expressions over the characters of
// repository names (the automata are in glob-automata.ts). A glob outside the subset is refused with the reason.

import { validatePattern } from './glob-doublestar';

/** The characters of repository names (zot pkg/regexp/regexp.go NameRegexp: [a-z0-9], '.', '_', '-', '/'). */
export const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789._-/';
export const NSYM = ALPHABET.length;
const SLASH_SYM = ALPHABET.indexOf('/');
export const symOf = (c: string): number => ALPHABET.indexOf(c);

export type CharSet = readonly boolean[]; // indexed by symbol

const NON_SEP: CharSet = Array.from({ length: NSYM }, (_, i) => i !== SLASH_SYM);

/** A regular expression over the repository-name alphabet. */
export type Rx =
  | { readonly t: 'set'; readonly set: CharSet }
  | { readonly t: 'seq'; readonly items: readonly Rx[] }
  | { readonly t: 'alt'; readonly items: readonly Rx[] }
  | { readonly t: 'star'; readonly item: Rx }
  | { readonly t: 'opt'; readonly item: Rx };

/** A glob of the analysable subset: its text and the language it denotes (as alternatives). */
export interface SafeGlob {
  readonly pattern: string;
  /** Every alternative of its `{a,b}` groups spelled out. */
  readonly expansions: readonly string[];
  readonly rx: Rx;
}

export type Refused = { readonly problem: string };

/** A repository name a glob matches, or undefined when none does (findName, handed in to keep the layers apart). */
type Witness = (g: SafeGlob) => string | undefined;

const SAFE_SUBSET =
  'segments separated by single "/" (none empty); a segment is "**" alone or made of ' +
  'a-z 0-9 . _ - characters, "*", "?" and [classes] of those characters (optionally negated with ! or ^); ' +
  '{alternatives} of plain text (a-z 0-9 . _ - /), not nested, none empty; no "**" twice in a row; no uppercase, no backslash';

/** Reads a glob of the subset, or says why it is outside it (or why zot would refuse it: doublestar ValidatePattern). */
export function readSafeGlob(pattern: string, witness: Witness): SafeGlob | Refused {
  const refused = refusedText(pattern);
  if (refused) return refused;
  const expansions = spellBraces(pattern);
  if ('problem' in expansions) return expansions;
  const alternatives: Rx[] = [];
  for (const e of expansions) {
    const rx = expansionRx(e, witness);
    if ('problem' in rx) return rx;
    alternatives.push(rx);
  }
  return { pattern, expansions, rx: alternatives.length === 1 ? alternatives[0] : { t: 'alt', items: alternatives } };
}

/** The checks on the text as a whole. */
function refusedText(pattern: string): Refused | undefined {
  if (pattern === '') return { problem: 'is empty: it would match no repository' };
  if (!validatePattern(pattern))
    return {
      problem: 'is not a valid doublestar pattern (zot refuses to start: pkg/cli/server/root.go, glob.ValidatePattern)',
    };
  if (/[A-Z]/.test(pattern))
    return {
      problem:
        'has uppercase letters: viper lowercases config keys when zot reads config.json (viper v1.21.0 insensitiviseMap), and repository names are lowercase',
    };
  if (!/^[a-z0-9._\-/*?[\]{},!^]+$/.test(pattern))
    return { problem: `has characters outside the supported glob subset (${SAFE_SUBSET})` };
  return undefined;
}

/** Every alternative of the glob's `{a,b}` groups spelled out (classes kept as they are). */
function spellBraces(pattern: string): string[] | Refused {
  let expansions = [''];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    let next: { expansions: string[]; end: number } | Refused;
    if (c === '{') next = spellGroup(pattern, i, expansions);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) return { problem: 'has an unclosed [class]' };
      next = { expansions: expansions.map((e) => e + pattern.slice(i, close + 1)), end: close + 1 };
    } else if (c === '}' || c === ',' || c === ']' || c === '!' || c === '^') {
      return { problem: `has '${c}' outside a {group} or [class] (${SAFE_SUBSET})` };
    } else {
      // a run of plain characters, appended at once
      let end = i + 1;
      while (end < pattern.length && !'{[}],!^'.includes(pattern[end])) end++;
      const run = pattern.slice(i, end);
      next = { expansions: expansions.map((e) => e + run), end };
    }
    if ('problem' in next) return next;
    ({ expansions, end: i } = next);
  }
  return expansions;
}

/** The `{...}` group at `i`: each expansion so far times each of its alternatives. */
function spellGroup(pattern: string, i: number, expansions: string[]): { expansions: string[]; end: number } | Refused {
  const close = pattern.indexOf('}', i);
  const body = pattern.slice(i + 1, close);
  if (close < 0 || /[{[\]*?!^]/.test(body))
    return { problem: `has a {...} group that is not plain text alternatives (${SAFE_SUBSET})` };
  const alts = body.split(',');
  if (alts.some((a) => a === '')) return { problem: 'has an empty {alternative}' };
  const next: string[] = [];
  for (const e of expansions) for (const a of alts) next.push(e + a);
  if (next.length > 256) return { problem: 'spells out to more than 256 alternatives' };
  return { expansions: next, end: close + 1 };
}

/**
 * The set of name characters a `[...]` class matches, read by doublestar's class rules (match.go
 * doMatchWithSeparator, v4.9.1..v4.10.2), not by the port: after an optional `!` or `^` (negation), each
 * rune is a member, except that a '-' after a member and before another rune than the closing `]` makes
 * the range from that member to the next rune, both bounds included; a member ending a range does not
 * start another. (No backslash: the subset has none.)
 */
function classSet(cls: string): CharSet | Refused {
  const negated = cls[1] === '!' || cls[1] === '^';
  const inner = cls.slice(negated ? 2 : 1, -1);
  if (inner === '' || inner.includes('/') || inner.includes('['))
    return { problem: `has a class ${cls} outside the supported subset (${SAFE_SUBSET})` };
  const holds = classMembers(inner);
  return Array.from({ length: NSYM }, (_, i) => holds(ALPHABET.charCodeAt(i)) !== negated);
}

function classMembers(inner: string): (code: number) => boolean {
  const singles = new Set<number>();
  const ranges: Array<readonly [number, number]> = [];
  let last: number | undefined;
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (last !== undefined && inner[i] === '-' && i + 1 < inner.length) {
      ranges.push([last, inner.charCodeAt(++i)]);
      last = undefined;
    } else {
      singles.add(c);
      last = c;
    }
  }
  return (code) => singles.has(code) || ranges.some(([lo, hi]) => lo <= code && code <= hi);
}

/** One brace-free alternative → its language, following doublestar's `**` rules (see readSafeGlob). */
function expansionRx(e: string, witness: Witness): Rx | Refused {
  const segments = e.split('/');
  if (segments.some((s) => s === '')) return { problem: 'has an empty segment (a leading, trailing or doubled "/")' };
  const items: Rx[] = [];
  const n = segments.length;
  for (let i = 0; i < n; i++) {
    const seg = segments[i];
    if (seg === '**') {
      if (i > 0 && segments[i - 1] === '**') return { problem: 'has "**/**": write "**" once' };
      items.push(doublestarRx(i, n));
      continue;
    }
    const refused = refusedSegment(segments, i, witness);
    if (refused) return refused;
    const seen = segmentItems(seg, items);
    if (seen) return seen;
    const next = segments[i + 1];
    if (i < n - 1 && !(next === '**' && i + 1 === n - 1)) items.push(literalRx('/'));
  }
  return { t: 'seq', items };
}

/** A whole `**` segment, the i-th of n. */
function doublestarRx(i: number, n: number): Rx {
  const anything: Rx = { t: 'star', item: { t: 'set', set: Array<boolean>(NSYM).fill(true) } };
  // `**`: everything (match.go: pattern ends in `/**` → true)
  if (n === 1) return anything;
  // `x/**`: x, x/...
  if (i === n - 1) return { t: 'opt', item: { t: 'seq', items: [{ t: 'set', set: sym1('/') }, anything] } };
  // `**/` at the start or in the middle: zero or more whole segments
  return {
    t: 'star',
    item: {
      t: 'seq',
      items: [
        { t: 'star', item: { t: 'set', set: NON_SEP } },
        { t: 'set', set: sym1('/') },
      ],
    },
  };
}

/** A segment other than `**` the subset does not hold, and why. */
function refusedSegment(segments: readonly string[], i: number, witness: Witness): Refused | undefined {
  const seg = segments[i];
  const n = segments.length;
  if (seg.includes('**'))
    return {
      problem: `has "**" inside the segment '${seg}' (doublestar treats it as "*"): use "*" or a whole "**" segment`,
    };
  if (!(seg.endsWith('*') && seg !== '*' && i === n - 2 && segments[n - 1] === '**')) return undefined;
  // match.go: when the name runs out just before that `*`, the rest ("*/**") is not one of the
  // forms isZeroLengthPattern accepts, so `ci*/**` does not match `ci` though `ci*` and `ci/**` do.
  // That happens only to names the text before the `*` matches whole: fine when no valid name
  // does (`team-*/**`: no name ends with '-'), refused otherwise. (A lone `*` segment is fine:
  // a valid name never runs out right after a '/'.)
  const prefix = [...segments.slice(0, n - 2), seg.slice(0, -1)].join('/');
  const rx = expansionRx(prefix, witness);
  if ('problem' in rx) return rx;
  const name = witness({ pattern: prefix, expansions: [prefix], rx });
  if (name === undefined) return undefined;
  return {
    problem: `ends a segment with "*" right before a final "/**" ('${seg}/**'): doublestar then misses names the "*" would have to match empty (e.g. '${name}'); write '${segments.slice(0, n - 1).join('/')}' and a separate glob for the deeper names, or narrow the "*"`,
  };
}

/** The items of a segment's characters, `*`, `?` and classes, appended to `items`; a refused class stops it. */
function segmentItems(seg: string, items: Rx[]): Refused | undefined {
  for (let k = 0; k < seg.length;) {
    const c = seg[k];
    if (c === '[') {
      const close = seg.indexOf(']', k + 1);
      const set = classSet(seg.slice(k, close + 1));
      if ('problem' in set) return set;
      items.push({ t: 'set', set });
      k = close + 1;
      continue;
    }
    items.push(c === '*' ? STAR_RX : c === '?' ? ONE_RX : literalRx(c));
    k++;
  }
  return undefined;
}

// Rx nodes are never changed once made: the common ones are shared.
const STAR_RX: Rx = { t: 'star', item: { t: 'set', set: NON_SEP } };
const ONE_RX: Rx = { t: 'set', set: NON_SEP };
const LITERAL_RX = new Map<string, Rx>();
function literalRx(c: string): Rx {
  let rx = LITERAL_RX.get(c);
  if (!rx) {
    rx = { t: 'set', set: sym1(c) };
    LITERAL_RX.set(c, rx);
  }
  return rx;
}

const SYM1 = new Map<string, CharSet>();
function sym1(c: string): CharSet {
  let set = SYM1.get(c);
  if (!set) {
    const s = symOf(c);
    set = Array.from({ length: NSYM }, (_, i) => i === s);
    SYM1.set(c, set);
  }
  return set;
}

/** The symbols a character set holds, ascending (made once per set: sets are shared). */
const SYMBOLS_OF = new WeakMap<CharSet, readonly number[]>();
export function symbolsOf(set: CharSet): readonly number[] {
  let out = SYMBOLS_OF.get(set);
  if (!out) {
    const list: number[] = [];
    for (let sym = 0; sym < NSYM; sym++) if (set[sym]) list.push(sym);
    out = list;
    SYMBOLS_OF.set(set, out);
  }
  return out;
}
