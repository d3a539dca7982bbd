// Repository globs as zot matches them: a port of doublestar's Match and ValidatePattern.
//
// zot matches an accessControl repository key against a repository name with
//   glob.Match(pattern, repository)   (glob "github.com/bmatcuk/doublestar/v4")
// (zot v2.1.14..v2.1.20 pkg/api/authz.go: AccessController.can;
//  pkg/requestcontext/user_access_control.go: matchesRepo). The doublestar release is the one zot's
// go.mod requires: v4.9.2 at zot v2.1.14, v4.10.0 at v2.1.15..v2.1.20 (go.mod@each tag).
//
// `doublestarMatch` below is written from doublestar v4.9.1's match.go, utils.go and validate.go
// (the newest tag in the stored snapshot of bmatcuk/doublestar; v4.9.2 and v4.10.0 could not be read
// here). It was compared with v4.10.2's match.go and utils.go (vendored by VictoriaMetrics at commit
// 4a5a0291, go.mod `doublestar/v4 v4.10.2`): doMatchWithSeparator, isZeroLengthPattern and
// validate.go are unchanged; indexMatchedClosingAlt and indexNextAlt learned to skip a `[...]`
// class inside `{...}`. Both behaviours are implemented; `matchRepository` answers only when they
// agree, so a pattern whose meaning changed across those releases is refused instead of guessed.
// test/zot/glob.test.ts holds cases checked against the real Go library (doublestar v4.9.1 source
// built with Go 1.19), and test/fixtures/zot/doublestar/ the table that library wrote for thousands of
// (pattern, name) pairs (its generate.sh rebuilds it).

import { ZotFluxError } from '../core/error';

/** The two matching behaviours read: v4.9.1's source, and v4.10.2's (class-aware brace scanning). */
export type DoublestarBehaviour = 'v4.9.1' | 'v4.10.2';

const SEP = 0x2f; // '/'
const STAR = 0x2a;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const BANG = 0x21;
const CARET = 0x5e;
const DASH = 0x2d;
const MAX_RUNE = 0x10ffff; // Go utf8.MaxRune
const RUNE_ERROR = 0xfffd; // Go utf8.RuneError

/** Go's utf8.DecodeRuneInString on s[i:]: [rune, size]; (RuneError, 0) when empty, (RuneError, 1) when invalid. */
function decodeRune(s: Uint8Array, i: number): [number, number] {
  const n = s.length - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const b0 = s[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => k < s.length && s[k] >= lo && s[k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    return cont(i + 1) ? [((b0 & 0x1f) << 6) | (s[i + 1] & 0x3f), 2] : [RUNE_ERROR, 1];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (!cont(i + 1, lo, hi) || !cont(i + 2)) return [RUNE_ERROR, 1];
    return [((b0 & 0x0f) << 12) | ((s[i + 1] & 0x3f) << 6) | (s[i + 2] & 0x3f), 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return [RUNE_ERROR, 1];
    return [((b0 & 0x07) << 18) | ((s[i + 1] & 0x3f) << 12) | ((s[i + 2] & 0x3f) << 6) | (s[i + 3] & 0x3f), 4];
  }
  return [RUNE_ERROR, 1];
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** doublestar utils: index of the first unescaped byte c in s[from:], relative to from, or -1. */
function indexUnescapedByte(s: Uint8Array, from: number, c: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === BACKSLASH) i++;
    else if (s[i] === c) return i - from;
  }
  return -1;
}

/** Skips a `[...]` class starting at i (s[i] === '['): the index of its `]`, or s.length (v4.10.2 only). */
function skipClass(s: Uint8Array, i: number): number {
  for (i++; i < s.length; i++) {
    if (s[i] === BACKSLASH) i++;
    else if (s[i] === RBRACKET) break;
  }
  return i;
}

/** doublestar match.go indexMatchedClosingAlt: the `}` closing the `{` just before s, or -1. */
function indexMatchedClosingAlt(s: Uint8Array, b: DoublestarBehaviour): number {
  let alts = 1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === BACKSLASH) i++;
    else if (b === 'v4.10.2' && s[i] === LBRACKET) i = skipClass(s, i);
    else if (s[i] === LBRACE) alts++;
    else if (s[i] === RBRACE) {
      if (--alts === 0) return i;
    }
  }
  return -1;
}

/** doublestar utils.go indexNextAlt: the next `,` at this nesting level, or -1. */
function indexNextAlt(s: Uint8Array, b: DoublestarBehaviour): number {
  let alts = 1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === BACKSLASH) i++;
    else if (b === 'v4.10.2' && s[i] === LBRACKET) i = skipClass(s, i);
    else if (s[i] === LBRACE) alts++;
    else if (s[i] === RBRACE) alts--;
    else if (s[i] === COMMA && alts === 1) return i;
  }
  return -1;
}

/** doublestar validate.go doValidatePattern with '/' as the separator (unchanged v4.9.1..v4.10.2). */
function validateBytes(s: Uint8Array): boolean {
  let altDepth = 0;
  const l = s.length;
  outer: for (let i = 0; i < l; i++) {
    switch (s[i]) {
      case BACKSLASH:
        if (++i >= l) return false;
        continue;
      case LBRACKET:
        if (++i >= l) return false;
        if (s[i] === CARET || s[i] === BANG) i++;
        if (i >= l || s[i] === RBRACKET) return false;
        for (; i < l; i++) {
          if (s[i] === BACKSLASH) i++;
          else if (s[i] === RBRACKET) continue outer;
        }
        return false;
      case LBRACE:
        altDepth++;
        continue;
      case RBRACE:
        if (altDepth === 0) return false;
        altDepth--;
        continue;
    }
  }
  return altDepth === 0;
}

// Match results: Go's (matched bool, err error) where err is only ever ErrBadPattern.
const FALSE = 0;
const TRUE = 1;
const BAD = -1;
type Result = typeof FALSE | typeof TRUE | typeof BAD;

/** doublestar match.go isZeroLengthPattern: can the rest of the pattern match an empty name? */
function isZeroLength(p: Uint8Array, validate: boolean, b: DoublestarBehaviour): Result {
  switch (p.length) {
    case 0:
      return TRUE;
    case 1:
      if (p[0] === STAR) return TRUE;
      break;
    case 2:
      if (p[0] === STAR && p[1] === STAR) return TRUE;
      break;
    case 3:
      if (p[1] === STAR && p[2] === STAR && p[0] === SEP) return TRUE;
      if (p[0] === STAR && p[1] === STAR && p[2] === SEP) return TRUE;
      break;
    case 4:
      if (p[1] === STAR && p[2] === STAR && p[0] === SEP && p[3] === SEP) return TRUE;
      break;
  }
  if (p[0] === LBRACE) {
    let closingIdx = indexMatchedClosingAlt(p.subarray(1), b);
    if (closingIdx === -1) return BAD;
    closingIdx += 1;
    let patIdx = 1;
    for (;;) {
      let commaIdx = indexNextAlt(p.subarray(patIdx, closingIdx), b);
      if (commaIdx === -1) break;
      commaIdx += patIdx;
      const r = isZeroLength(concat(p.subarray(patIdx, commaIdx), p.subarray(closingIdx + 1)), validate, b);
      if (r !== FALSE) return r;
      patIdx = commaIdx + 1;
    }
    return isZeroLength(concat(p.subarray(patIdx, closingIdx), p.subarray(closingIdx + 1)), validate, b);
  }
  if (validate && !validateBytes(p)) return BAD;
  return FALSE;
}

// The matcher's steps: go on with the next pattern item, or this item missed (backtrack).
const NEXT = 2;
const MISS = 3;
type Step = Result | typeof NEXT | typeof MISS;

/**
 * doublestar match.go doMatchWithSeparator, separator '/', case-sensitive: one call's state (the indexes
 * into the pattern and the name, and the backtrack points of the last `**` and `*`), each pattern item
 * matched by its own step.
 */
class Matcher {
  private startOfSegment = true;
  constructor(
    private readonly pattern: Uint8Array,
    private readonly name: Uint8Array,
    private readonly validate: boolean,
    private readonly b: DoublestarBehaviour,
    private dsPB: number,
    private dsNB: number,
    private sPB: number,
    private sNB: number,
    private patIdx: number,
    private nameIdx: number,
  ) {}

  run(): Result {
    while (this.nameIdx < this.name.length) {
      const step = this.patIdx < this.pattern.length ? this.matchItem() : MISS;
      if (step === NEXT) continue;
      if (step !== MISS) return step;
      if (this.backtrackStar() || this.backtrackDoublestar()) continue;
      if (this.validate && this.patIdx < this.pattern.length && !validateBytes(this.pattern.subarray(this.patIdx)))
        return BAD;
      return FALSE;
    }
    return isZeroLength(this.pattern.subarray(this.patIdx), this.validate, this.b);
  }

  private matchItem(): Step {
    switch (this.pattern[this.patIdx]) {
      case STAR:
        return this.star();
      case QUESTION:
        return this.question();
      case LBRACKET:
        return this.bracketClass();
      case LBRACE:
        return this.alternatives();
      default:
        return this.literal();
    }
  }

  /** `*`, or `**` (a doublestar only at the start of a segment and followed by '/' or the end). */
  private star(): Step {
    const p = this.pattern;
    if (++this.patIdx < p.length && p[this.patIdx] === STAR) {
      this.patIdx++;
      if (this.startOfSegment) {
        if (this.patIdx >= p.length) return TRUE;
        const [pr, pl] = decodeRune(p, this.patIdx);
        if (pr === SEP) {
          this.patIdx += pl;
          this.dsPB = this.patIdx;
          this.dsNB = this.nameIdx;
          this.sPB = -1;
          this.sNB = -1;
          return NEXT;
        }
      }
    }
    this.startOfSegment = false;
    this.sPB = this.patIdx;
    this.sNB = this.nameIdx;
    return NEXT;
  }

  /** `?`: any one rune but the separator. */
  private question(): Step {
    this.startOfSegment = false;
    const [nr, nl] = decodeRune(this.name, this.nameIdx);
    if (nr === SEP) return MISS;
    this.patIdx++;
    this.nameIdx += nl;
    return NEXT;
  }

  /** `[...]`: the name's next rune in the class (or, negated with `!` or `^`, not in it). */
  private bracketClass(): Step {
    this.startOfSegment = false;
    const p = this.pattern;
    if (++this.patIdx >= p.length) return BAD;
    const [nr, nl] = decodeRune(this.name, this.nameIdx);
    const negate = p[this.patIdx] === BANG || p[this.patIdx] === CARET;
    if (negate) this.patIdx++;
    if (this.patIdx >= p.length || p[this.patIdx] === RBRACKET) return BAD;
    if (this.classHolds(nr) === negate) return this.patIdx >= p.length ? BAD : MISS;
    const closingIdx = indexUnescapedByte(p, this.patIdx, RBRACKET);
    if (closingIdx === -1) return BAD;
    this.patIdx += closingIdx + 1;
    this.nameIdx += nl;
    return NEXT;
  }

  /** Reads the class's members and `lo-hi` ranges (both bounds inclusive) until one holds `nr` or the `]`. */
  private classHolds(nr: number): boolean {
    const p = this.pattern;
    let last = MAX_RUNE;
    while (this.patIdx < p.length && p[this.patIdx] !== RBRACKET) {
      let [pr, pl] = decodeRune(p, this.patIdx);
      this.patIdx += pl;
      if (last < MAX_RUNE && pr === DASH && this.patIdx < p.length && p[this.patIdx] !== RBRACKET) {
        if (p[this.patIdx] === BACKSLASH) this.patIdx++;
        [pr, pl] = decodeRune(p, this.patIdx);
        this.patIdx += pl;
        if (last <= nr && nr <= pr) return true;
        last = MAX_RUNE;
        continue;
      }
      if (pr === BACKSLASH) {
        [pr, pl] = decodeRune(p, this.patIdx);
        this.patIdx += pl;
      }
      if (pr === nr) return true;
      last = pr;
    }
    return false;
  }

  /** `{a,b}`: the rest of the match tried with each alternative spliced in, in order. */
  private alternatives(): Step {
    this.startOfSegment = false;
    const p = this.pattern;
    const beforeIdx = this.patIdx;
    let patIdx = beforeIdx + 1;
    let closingIdx = indexMatchedClosingAlt(p.subarray(patIdx), this.b);
    if (closingIdx === -1) return BAD;
    closingIdx += patIdx;
    for (;;) {
      let commaIdx = indexNextAlt(p.subarray(patIdx, closingIdx), this.b);
      if (commaIdx === -1) break;
      commaIdx += patIdx;
      const r = this.matchWith(beforeIdx, patIdx, commaIdx, closingIdx);
      if (r !== FALSE) return r;
      patIdx = commaIdx + 1;
    }
    return this.matchWith(beforeIdx, patIdx, closingIdx, closingIdx);
  }

  /** A new match (doMatchWithSeparator's recursion) of the pattern with the `{...}` replaced by p[from:to]. */
  private matchWith(beforeIdx: number, from: number, to: number, closingIdx: number): Result {
    const p = this.pattern;
    const spliced = concat(p.subarray(0, beforeIdx), p.subarray(from, to), p.subarray(closingIdx + 1));
    const { name, validate, b, dsPB, dsNB, sPB, sNB, nameIdx } = this;
    return new Matcher(spliced, name, validate, b, dsPB, dsNB, sPB, sNB, beforeIdx, nameIdx).run();
  }

  /** Any other rune (or `\x`: x) matches itself. */
  private literal(): Step {
    const p = this.pattern;
    if (p[this.patIdx] === BACKSLASH && ++this.patIdx >= p.length) return BAD;
    const [pr, pl] = decodeRune(p, this.patIdx);
    const [nr, nl] = decodeRune(this.name, this.nameIdx);
    if (pr !== nr) {
      if (this.patIdx > 0 && p[this.patIdx - 1] === BACKSLASH) this.patIdx--;
      return MISS;
    }
    this.patIdx += pl;
    this.nameIdx += nl;
    this.startOfSegment = pr === SEP;
    return NEXT;
  }

  /** `*` backtrack: the star takes one more rune, unless the name's next rune is the separator. */
  private backtrackStar(): boolean {
    if (this.sPB < 0) return false;
    const [nr, nl] = decodeRune(this.name, this.sNB);
    if (nr === SEP) return false;
    this.sNB += nl;
    this.patIdx = this.sPB;
    this.nameIdx = this.sNB;
    this.startOfSegment = false;
    return true;
  }

  /** `**` backtrack: the doublestar takes the name up to and including its next separator. */
  private backtrackDoublestar(): boolean {
    if (this.dsPB < 0) return false;
    this.nameIdx = this.dsNB;
    while (this.nameIdx < this.name.length) {
      const [nr, nl] = decodeRune(this.name, this.nameIdx);
      this.nameIdx += nl;
      if (nr === SEP) {
        this.dsNB = this.nameIdx;
        this.patIdx = this.dsPB;
        this.startOfSegment = true;
        return true;
      }
    }
    return false;
  }
}

const utf8Cache = new Map<string, Uint8Array>();
function utf8(s: string): Uint8Array {
  let b = utf8Cache.get(s);
  if (b === undefined) {
    if (utf8Cache.size >= 10_000) utf8Cache.clear();
    b = new Uint8Array(Buffer.from(s, 'utf8'));
    utf8Cache.set(s, b);
  }
  return b;
}

/**
 * doublestar `Match(pattern, name)`: `{ matched, badPattern }` (Go's `(bool, error)`; the only error
 * is ErrBadPattern). `behaviour` picks the brace scanning of v4.9.1 (default) or v4.10.2.
 */
export function doublestarMatch(
  pattern: string,
  name: string,
  behaviour: DoublestarBehaviour = 'v4.9.1',
): { matched: boolean; badPattern: boolean } {
  const r = new Matcher(utf8(pattern), utf8(name), true, behaviour, -1, -1, -1, -1, 0, 0).run();
  return { matched: r === TRUE, badPattern: r === BAD };
}

/** doublestar `ValidatePattern(pattern)`: zot refuses to start on a repository key for which this is false (pkg/cli/server/root.go validateConfiguration, v2.1.14..v2.1.20). */
export function validatePattern(pattern: string): boolean {
  return validateBytes(utf8(pattern));
}

/** Go's len(string): the UTF-8 byte length zot compares when it picks the longest pattern. */
export function goLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The zot versions whose authorization this project has read, and the doublestar release each requires (go.mod@tag). */
export const DOUBLESTAR_BY_ZOT_VERSION: Readonly<Record<string, string>> = {
  'v2.1.14': 'v4.9.2',
  'v2.1.15': 'v4.10.0',
  'v2.1.16': 'v4.10.0',
  'v2.1.17': 'v4.10.0',
  'v2.1.18': 'v4.10.0',
  'v2.1.19': 'v4.10.0',
  'v2.1.20': 'v4.10.0',
};

const BRACE_THEN_CLASS = /\{[^]*\[/;

/**
 * Whether zot at `zotVersion` (doublestar per DOUBLESTAR_BY_ZOT_VERSION) matches `repository` with
 * the repository key `pattern`, as `glob.Match(pattern, repository)` with its error ignored (zot
 * v2.1.14..v2.1.20 pkg/api/authz.go can: `if err == nil { if matched ... }`).
 * Refuses (ZotFluxError) when v4.9.1's and v4.10.2's brace scanning disagree: the release in between
 * that zot uses could not be read, so the answer is not guessed.
 */
export function matchRepository(pattern: string, repository: string): boolean {
  if (!BRACE_THEN_CLASS.test(pattern)) {
    // The behaviours differ only in how a `[` after a `{` is scanned.
    const only = doublestarMatch(pattern, repository);
    return only.matched && !only.badPattern;
  }
  const a = doublestarMatch(pattern, repository, 'v4.9.1');
  const b = doublestarMatch(pattern, repository, 'v4.10.2');
  const ma = a.matched && !a.badPattern;
  const mb = b.matched && !b.badPattern;
  if (ma !== mb) {
    throw new ZotFluxError({
      field: `repositories["${pattern}"]`,
      value: repository,
      reason:
        'is matched differently by doublestar v4.9.1 and v4.10.2 (a [class] inside {alternatives}); zot uses v4.9.2/v4.10.0, whose source could not be read here: write the glob without a class inside braces',
    });
  }
  return ma;
}

/**
 * Whether zot's doublestar matches `name` with `pattern`: both brace scannings read agree and match
 * (glob.Match as zot calls it, its error counted as no match).
 */
export function matchesInBoth(pattern: string, name: string): boolean {
  const a = doublestarMatch(pattern, name);
  if (!a.matched || a.badPattern) return false;
  if (!BRACE_THEN_CLASS.test(pattern)) return true;
  const b = doublestarMatch(pattern, name, 'v4.10.2');
  return b.matched && !b.badPattern;
}
