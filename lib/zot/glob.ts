// Repository globs as zot matches them, and what can be decided about two or more of them.
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
// built with Go 1.19).
//
// The analysis half (`parseSafeGlob`, `globsOverlap`, `globContains`, `findName`) decides
// containment and overlap exactly, by automata, for a documented subset of the syntax, over the
// repository names zot routes (zot pkg/regexp/regexp.go NameRegexp, v2.1.14..v2.1.20); anything
// outside the subset is refused with the reason.

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

/** doublestar match.go doMatchWithSeparator, separator '/', case-sensitive. */
function doMatch(
  pattern: Uint8Array,
  name: Uint8Array,
  validate: boolean,
  b: DoublestarBehaviour,
  dsPB: number,
  dsNB: number,
  sPB: number,
  sNB: number,
  patIdx: number,
  nameIdx: number,
): Result {
  const patLen = pattern.length;
  const nameLen = name.length;
  let startOfSegment = true;
  MATCH: while (nameIdx < nameLen) {
    sw: if (patIdx < patLen) {
      switch (pattern[patIdx]) {
        case STAR: {
          if (++patIdx < patLen && pattern[patIdx] === STAR) {
            // `**` is a doublestar only at the start of a segment and followed by '/' or the end
            patIdx++;
            if (startOfSegment) {
              if (patIdx >= patLen) return TRUE;
              const [pr, pl] = decodeRune(pattern, patIdx);
              if (pr === SEP) {
                patIdx += pl;
                dsPB = patIdx;
                dsNB = nameIdx;
                sPB = -1;
                sNB = -1;
                continue MATCH;
              }
            }
          }
          startOfSegment = false;
          sPB = patIdx;
          sNB = nameIdx;
          continue MATCH;
        }
        case QUESTION: {
          startOfSegment = false;
          const [nr, nl] = decodeRune(name, nameIdx);
          if (nr === SEP) break sw; // `?` never matches the separator
          patIdx++;
          nameIdx += nl;
          continue MATCH;
        }
        case LBRACKET: {
          startOfSegment = false;
          if (++patIdx >= patLen) return BAD;
          const [nr, nl] = decodeRune(name, nameIdx);
          let matched = false;
          const negate = pattern[patIdx] === BANG || pattern[patIdx] === CARET;
          if (negate) patIdx++;
          if (patIdx >= patLen || pattern[patIdx] === RBRACKET) return BAD;
          let last = MAX_RUNE;
          while (patIdx < patLen && pattern[patIdx] !== RBRACKET) {
            let [pr, pl] = decodeRune(pattern, patIdx);
            patIdx += pl;
            if (last < MAX_RUNE && pr === DASH && patIdx < patLen && pattern[patIdx] !== RBRACKET) {
              if (pattern[patIdx] === BACKSLASH) patIdx++;
              [pr, pl] = decodeRune(pattern, patIdx);
              patIdx += pl;
              if (last <= nr && nr <= pr) {
                matched = true;
                break;
              }
              last = MAX_RUNE;
              continue;
            }
            if (pr === BACKSLASH) {
              [pr, pl] = decodeRune(pattern, patIdx);
              patIdx += pl;
            }
            if (pr === nr) {
              matched = true;
              break;
            }
            last = pr;
          }
          if (matched === negate) {
            if (patIdx >= patLen) return BAD;
            break sw;
          }
          const closingIdx = indexUnescapedByte(pattern, patIdx, RBRACKET);
          if (closingIdx === -1) return BAD;
          patIdx += closingIdx + 1;
          nameIdx += nl;
          continue MATCH;
        }
        case LBRACE: {
          startOfSegment = false;
          const beforeIdx = patIdx;
          patIdx++;
          let closingIdx = indexMatchedClosingAlt(pattern.subarray(patIdx), b);
          if (closingIdx === -1) return BAD;
          closingIdx += patIdx;
          for (;;) {
            let commaIdx = indexNextAlt(pattern.subarray(patIdx, closingIdx), b);
            if (commaIdx === -1) break;
            commaIdx += patIdx;
            const r = doMatch(
              concat(
                pattern.subarray(0, beforeIdx),
                pattern.subarray(patIdx, commaIdx),
                pattern.subarray(closingIdx + 1),
              ),
              name,
              validate,
              b,
              dsPB,
              dsNB,
              sPB,
              sNB,
              beforeIdx,
              nameIdx,
            );
            if (r !== FALSE) return r;
            patIdx = commaIdx + 1;
          }
          return doMatch(
            concat(
              pattern.subarray(0, beforeIdx),
              pattern.subarray(patIdx, closingIdx),
              pattern.subarray(closingIdx + 1),
            ),
            name,
            validate,
            b,
            dsPB,
            dsNB,
            sPB,
            sNB,
            beforeIdx,
            nameIdx,
          );
        }
        default: {
          if (pattern[patIdx] === BACKSLASH) {
            // the next rune is matched literally
            if (++patIdx >= patLen) return BAD;
          }
          const [pr, pl] = decodeRune(pattern, patIdx);
          const [nr, nl] = decodeRune(name, nameIdx);
          if (pr !== nr) {
            if (patIdx > 0 && pattern[patIdx - 1] === BACKSLASH) patIdx--;
            break sw;
          }
          patIdx += pl;
          nameIdx += nl;
          startOfSegment = pr === SEP;
          continue MATCH;
        }
      }
    }
    if (sPB >= 0) {
      // `*` backtrack, unless the name's next rune is the separator
      const [nr, nl] = decodeRune(name, sNB);
      if (nr !== SEP) {
        sNB += nl;
        patIdx = sPB;
        nameIdx = sNB;
        startOfSegment = false;
        continue MATCH;
      }
    }
    if (dsPB >= 0) {
      // `**` backtrack: skip past the name's next separator
      nameIdx = dsNB;
      while (nameIdx < nameLen) {
        const [nr, nl] = decodeRune(name, nameIdx);
        nameIdx += nl;
        if (nr === SEP) {
          dsNB = nameIdx;
          patIdx = dsPB;
          startOfSegment = true;
          continue MATCH;
        }
      }
    }
    if (validate && patIdx < patLen && !validateBytes(pattern.subarray(patIdx))) return BAD;
    return FALSE;
  }
  return isZeroLength(pattern.subarray(patIdx), validate, b);
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
  const r = doMatch(utf8(pattern), utf8(name), true, behaviour, -1, -1, -1, -1, 0, 0);
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

// ---------------------------------------------------------------------------------------------
// Analysis: a subset of the glob syntax, turned into automata over repository names.

/** The characters of repository names (zot pkg/regexp/regexp.go NameRegexp: [a-z0-9], '.', '_', '-', '/'). */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789._-/';
const NSYM = ALPHABET.length;
const SLASH_SYM = ALPHABET.indexOf('/');
const symOf = (c: string) => ALPHABET.indexOf(c);

type CharSet = readonly boolean[]; // indexed by symbol

const NON_SEP: CharSet = Array.from({ length: NSYM }, (_, i) => i !== SLASH_SYM);

/** A regular expression over the repository-name alphabet. */
type Rx =
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

const SAFE_SUBSET =
  'segments separated by single "/" (none empty); a segment is "**" alone or made of ' +
  'a-z 0-9 . _ - characters, "*", "?" and [classes] of those characters (optionally negated with ! or ^); ' +
  '{alternatives} of plain text (a-z 0-9 . _ - /), not nested, none empty; no "**" twice in a row; no uppercase, no backslash';

/**
 * Parses a glob of the subset the analysis decides exactly; returns the reason when the glob is
 * outside it (or when zot would refuse it: doublestar ValidatePattern).
 */
export function parseSafeGlob(pattern: string): SafeGlob | { readonly problem: string } {
  let parsed = parsedGlobs.get(pattern);
  if (parsed === undefined) {
    if (parsedGlobs.size >= 10_000) parsedGlobs.clear();
    parsed = parseUncached(pattern);
    parsedGlobs.set(pattern, parsed);
  }
  return parsed;
}
// One parse (and so one set of automata) per pattern text.
const parsedGlobs = new Map<string, SafeGlob | { readonly problem: string }>();

function parseUncached(pattern: string): SafeGlob | { readonly problem: string } {
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
  // spell out the braces
  let expansions = [''];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === '{') {
      const close = pattern.indexOf('}', i);
      const body = pattern.slice(i + 1, close);
      if (close < 0 || /[{[\]*?!^]/.test(body))
        return { problem: `has a {...} group that is not plain text alternatives (${SAFE_SUBSET})` };
      const alts = body.split(',');
      if (alts.some((a) => a === '')) return { problem: 'has an empty {alternative}' };
      const next: string[] = [];
      for (const e of expansions) for (const a of alts) next.push(e + a);
      if (next.length > 256) return { problem: 'spells out to more than 256 alternatives' };
      expansions = next;
      i = close + 1;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) return { problem: 'has an unclosed [class]' };
      expansions = expansions.map((e) => e + pattern.slice(i, close + 1));
      i = close + 1;
    } else if (c === '}' || c === ',' || c === ']' || c === '!' || c === '^') {
      return { problem: `has '${c}' outside a {group} or [class] (${SAFE_SUBSET})` };
    } else {
      // a run of plain characters, appended at once
      let end = i + 1;
      while (end < pattern.length && !'{[}],!^'.includes(pattern[end])) end++;
      const run = pattern.slice(i, end);
      expansions = expansions.map((e) => e + run);
      i = end;
    }
  }
  const alternatives: Rx[] = [];
  for (const e of expansions) {
    const rx = expansionRx(e);
    if ('problem' in rx) return rx;
    alternatives.push(rx);
  }
  return { pattern, expansions, rx: alternatives.length === 1 ? alternatives[0] : { t: 'alt', items: alternatives } };
}

/** The set of name characters a `[...]` class matches, computed by the doublestar port itself. */
function classSet(cls: string): CharSet | { problem: string } {
  const inner = cls.slice(1, -1).replace(/^[!^]/, '');
  if (inner === '' || inner.includes('/') || inner.includes('['))
    return { problem: `has a class ${cls} outside the supported subset (${SAFE_SUBSET})` };
  return Array.from({ length: NSYM }, (_, i) => doublestarMatch(cls, ALPHABET[i]).matched);
}

/** One brace-free alternative → its language, following doublestar's `**` rules (see parseSafeGlob). */
function expansionRx(e: string): Rx | { problem: string } {
  const segments = e.split('/');
  if (segments.some((s) => s === '')) return { problem: 'has an empty segment (a leading, trailing or doubled "/")' };
  const items: Rx[] = [];
  const n = segments.length;
  for (let i = 0; i < n; i++) {
    const seg = segments[i];
    if (seg === '**') {
      if (i > 0 && segments[i - 1] === '**') return { problem: 'has "**/**": write "**" once' };
      const anything: Rx = { t: 'star', item: { t: 'set', set: Array(NSYM).fill(true) } };
      const dirs: Rx = {
        t: 'star',
        item: {
          t: 'seq',
          items: [
            { t: 'star', item: { t: 'set', set: NON_SEP } },
            { t: 'set', set: sym1('/') },
          ],
        },
      };
      if (n === 1)
        items.push(anything); // `**`: everything (match.go: pattern ends in `/**` → true)
      else if (i === n - 1)
        items.push({ t: 'opt', item: { t: 'seq', items: [{ t: 'set', set: sym1('/') }, anything] } }); // `x/**`: x, x/...
      else items.push(dirs); // `**/` at the start or in the middle: zero or more whole segments
      continue;
    }
    if (seg.includes('**'))
      return {
        problem: `has "**" inside the segment '${seg}' (doublestar treats it as "*"): use "*" or a whole "**" segment`,
      };
    if (seg.endsWith('*') && seg !== '*' && i === n - 2 && segments[n - 1] === '**') {
      // match.go: when the name runs out just before that `*`, the rest ("*/**") is not one of the
      // forms isZeroLengthPattern accepts, so `ci*/**` does not match `ci` though `ci*` and `ci/**` do.
      // That happens only to names the text before the `*` matches whole: fine when no valid name
      // does (`team-*/**`: no name ends with '-'), refused otherwise. (A lone `*` segment is fine:
      // a valid name never runs out right after a '/'.)
      const prefix = [...segments.slice(0, n - 2), seg.slice(0, -1)].join('/');
      const rx = expansionRx(prefix);
      if ('problem' in rx) return rx;
      const witness = findName([{ pattern: prefix, expansions: [prefix], rx }]);
      if (witness !== undefined) {
        return {
          problem: `ends a segment with "*" right before a final "/**" ('${seg}/**'): doublestar then misses names the "*" would have to match empty (e.g. '${witness}'); write '${segments.slice(0, n - 1).join('/')}' and a separate glob for the deeper names, or narrow the "*"`,
        };
      }
    }
    for (let k = 0; k < seg.length;) {
      const c = seg[k];
      if (c === '*') {
        items.push(STAR_RX);
        k++;
      } else if (c === '?') {
        items.push(ONE_RX);
        k++;
      } else if (c === '[') {
        const close = seg.indexOf(']', k + 1);
        const set = classSet(seg.slice(k, close + 1));
        if (!Array.isArray(set)) return set as { problem: string };
        items.push({ t: 'set', set: set as CharSet });
        k = close + 1;
      } else {
        items.push(literalRx(c));
        k++;
      }
    }
    const next = segments[i + 1];
    if (i < n - 1 && !(next === '**' && i + 1 === n - 1)) items.push(literalRx('/'));
  }
  return { t: 'seq', items };
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

// --- NFA --------------------------------------------------------------------------------------

interface Nfa {
  readonly eps: number[][];
  readonly edges: Array<Array<{ set: CharSet; to: number }>>;
  readonly start: number;
  readonly accept: number;
}

function buildNfa(rx: Rx): Nfa {
  const eps: number[][] = [];
  const edges: Array<Array<{ set: CharSet; to: number }>> = [];
  const state = () => {
    eps.push([]);
    edges.push([]);
    return eps.length - 1;
  };
  const build = (r: Rx, from: number): number => {
    switch (r.t) {
      case 'set': {
        const to = state();
        edges[from].push({ set: r.set, to });
        return to;
      }
      case 'seq': {
        let at = from;
        for (const it of r.items) at = build(it, at);
        return at;
      }
      case 'alt': {
        const end = state();
        for (const it of r.items) {
          const s = state();
          eps[from].push(s);
          eps[build(it, s)].push(end);
        }
        return end;
      }
      case 'star': {
        const loop = state();
        eps[from].push(loop);
        const back = build(r.item, loop);
        eps[back].push(loop);
        return loop;
      }
      case 'opt': {
        const end = state();
        eps[from].push(end);
        eps[build(r.item, from)].push(end);
        return end;
      }
    }
  };
  const start = state();
  const accept = build(rx, start);
  return { eps, edges, start, accept };
}

/** The symbols a character set holds, ascending (made once per set: sets are shared). */
const SYMBOLS_OF = new WeakMap<CharSet, readonly number[]>();
function symbolsOf(set: CharSet): readonly number[] {
  let out = SYMBOLS_OF.get(set);
  if (!out) {
    out = [];
    for (let sym = 0; sym < NSYM; sym++) if (set[sym]) (out as number[]).push(sym);
    SYMBOLS_OF.set(set, out);
  }
  return out;
}

/** Scratch lists for Subsets.fill (one fill runs at a time). */
const FILL_SCRATCH: number[][] = Array.from({ length: NSYM }, () => []);

class Subsets {
  private readonly ids = new Map<string, number>();
  readonly sets: Array<readonly number[]> = [];
  readonly accepting: boolean[] = [];
  /** step[id][symbol]: the next subset's id, -1 while not computed. */
  private readonly step: number[][] = [];
  /** Each NFA state's epsilon closure (sorted) and its key, made once. */
  private readonly closures: Array<readonly number[]> = [];
  private readonly closureKeys: string[] = [];
  /** Marks for unions of closures: mark[s] === generation when s is in the union being built. */
  private readonly mark: number[];
  private generation = 0;
  readonly initial: number;
  constructor(private readonly nfa: Nfa) {
    this.mark = new Array<number>(nfa.eps.length).fill(0);
    this.initial = this.internClosureOf(nfa.start);
  }
  private closureOf(state: number): readonly number[] {
    let c = this.closures[state];
    if (c === undefined) {
      const seen = new Set([state]);
      const stack = [state];
      while (stack.length)
        for (const t of this.nfa.eps[stack.pop()!])
          if (!seen.has(t)) {
            seen.add(t);
            stack.push(t);
          }
      c = [...seen].sort((a, b) => a - b);
      this.closures[state] = c;
      this.closureKeys[state] = c.join(',');
    }
    return c;
  }
  private internClosureOf(state: number): number {
    const states = this.closureOf(state);
    return this.intern(states, this.closureKeys[state]);
  }
  /** The subset holding the closures of `targets`. */
  private internUnion(targets: readonly number[]): number {
    if (targets.length === 1) return this.internClosureOf(targets[0]);
    const gen = ++this.generation;
    const union: number[] = [];
    for (const t of targets)
      for (const s of this.closureOf(t))
        if (this.mark[s] !== gen) {
          this.mark[s] = gen;
          union.push(s);
        }
    union.sort((a, b) => a - b);
    return this.intern(union, union.join(','));
  }
  private intern(states: readonly number[], key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.ids.set(key, id);
      this.sets.push(states);
      this.accepting.push(states.includes(this.nfa.accept));
      this.step.push(new Array<number>(NSYM).fill(-1));
    }
    return id;
  }
  /** The subset after reading one symbol (the empty subset is dead). */
  next(id: number, sym: number): number {
    const to = this.step[id][sym];
    if (to >= 0) return to;
    this.fill(id);
    return this.step[id][sym];
  }
  /** Every symbol's step from subset `id` at once: symbols leading to the same NFA states share one union. */
  private fill(id: number): void {
    const row = this.step[id];
    const targets = FILL_SCRATCH;
    const touched: number[] = [];
    for (const s of this.sets[id]) {
      for (const e of this.nfa.edges[s]) {
        for (const sym of symbolsOf(e.set)) {
          if (targets[sym].length === 0) touched.push(sym);
          targets[sym].push(e.to);
        }
      }
    }
    // Most steps of a literal glob lead nowhere: the dead subset, interned once.
    row.fill((this.deadId ??= this.intern([], '')));
    let union: Map<string, number> | undefined;
    for (const sym of touched) {
      const out = targets[sym];
      if (out.length === 1) {
        row[sym] = this.internClosureOf(out[0]);
      } else {
        const key = out.join(',');
        union ??= new Map<string, number>();
        let to = union.get(key);
        if (to === undefined) {
          to = this.internUnion(out);
          union.set(key, to);
        }
        row[sym] = to;
      }
    }
    for (const sym of touched) targets[sym].length = 0;
  }
  private deadId: number | undefined;
  dead(id: number): boolean {
    return this.sets[id].length === 0;
  }

  private readonly live: number[][] = [];
  /** The symbols, ascending, after which subset `id` is not dead. */
  liveSymbols(id: number): readonly number[] {
    let out = this.live[id];
    if (out === undefined) {
      out = [];
      for (let sym = 0; sym < NSYM; sym++) if (!this.dead(this.next(id, sym))) out.push(sym);
      this.live[id] = out;
    }
    return out;
  }

  private readonly universalMemo = new Map<number, boolean>();
  /**
   * Whether, from subset `id` and valid-name state `v`, this automaton matches every continuation that makes a
   * valid repository name (so no name through here escapes it).
   */
  universal(id: number, v: number): boolean {
    const key = id * 8 + v;
    let known = this.universalMemo.get(key);
    if (known === undefined) {
      known = true;
      const seen = new Set<number>([key]);
      const stack = [[id, v]];
      while (known && stack.length) {
        const [s, w] = stack.pop()!;
        if (w === 1 && !this.accepting[s]) {
          known = false;
          break;
        }
        for (let sym = 0; sym < NSYM; sym++) {
          const w2 = validStep(w, sym);
          if (w2 < 0) continue;
          const s2 = this.next(s, sym);
          // A dead subset never matches again, and every valid state can still end a valid name.
          if (this.dead(s2)) {
            known = false;
            break;
          }
          const k2 = s2 * 8 + w2;
          if (!seen.has(k2)) {
            seen.add(k2);
            stack.push([s2, w2]);
          }
        }
      }
      this.universalMemo.set(key, known);
    }
    return known;
  }
}

// Valid repository names (zot pkg/regexp/regexp.go v2.1.14..v2.1.20):
//   component = [a-z0-9]+ ( (?:[._]|__|[-]*) [a-z0-9]+ )* ; name = component ( '/' component )*
// States: 0 start of a component, 1 in [a-z0-9]+ (accepting), 2 after '.', 3 after '_', 4 after '__', 5 after '-'s.
function validStepSlow(state: number, sym: number): number {
  const c = ALPHABET[sym];
  const alnum = /[a-z0-9]/.test(c);
  switch (state) {
    case 0:
      return alnum ? 1 : -1;
    case 1:
      return alnum ? 1 : c === '.' ? 2 : c === '_' ? 3 : c === '-' ? 5 : c === '/' ? 0 : -1;
    case 2:
      return alnum ? 1 : -1;
    case 3:
      return alnum ? 1 : c === '_' ? 4 : -1;
    case 4:
      return alnum ? 1 : -1;
    case 5:
      return alnum ? 1 : c === '-' ? 5 : -1;
    default:
      return -1;
  }
}

const VALID_NEXT: readonly number[] = Array.from({ length: 6 * NSYM }, (_, i) =>
  validStepSlow(Math.floor(i / NSYM), i % NSYM),
);
const validStep = (state: number, sym: number): number => (state < 0 ? -1 : VALID_NEXT[state * NSYM + sym]);

/** Whether `name` is a repository name zot routes (pkg/regexp/regexp.go FullNameRegexp). */
export function isRepositoryName(name: string): boolean {
  let s = 0;
  for (const c of name) {
    const sym = symOf(c);
    if (sym < 0) return false;
    s = validStep(s, sym);
    if (s < 0) return false;
  }
  return s === 1;
}

const automata = new WeakMap<SafeGlob, Subsets>();
function subsetsOf(g: SafeGlob): Subsets {
  let s = automata.get(g);
  if (!s) {
    s = new Subsets(buildNfa(g.rx));
    automata.set(g, s);
  }
  return s;
}

const ALL_SYMBOLS: readonly number[] = Array.from({ length: NSYM }, (_, i) => i);

/** The most product states one question may visit before the analysis gives up (and callers refuse). */
export const ANALYSIS_STATE_LIMIT = 200_000;

function tooIntricate(all: readonly SafeGlob[], none: readonly SafeGlob[]): ZotFluxError {
  return new ZotFluxError({
    field: 'repositories',
    value: [...all, ...none].map((g) => g.pattern),
    reason: `are too intricate together to decide their overlap exactly (more than ${ANALYSIS_STATE_LIMIT} states): simplify the globs`,
  });
}

/** The name spelled by the `seen` chain ending at `at`. */
function spell(seen: Map<string, { prev: string | undefined; sym: number }>, at: string | undefined): string {
  let out = '';
  while (at !== undefined) {
    const e = seen.get(at)!;
    if (e.sym >= 0) out = ALPHABET[e.sym] + out;
    at = e.prev;
  }
  return out;
}

/**
 * A repository name matched by every glob in `all` and by none in `none`, or undefined when there is none. The
 * answer is the shortest such name, and the first in ALPHABET order among the shortest (a breadth-first search
 * over the product of the automata, symbols in order, meets each product state first by its least such name), so
 * it depends on the globs' languages only: findNameDense gives the same answer. Exact for SafeGlobs. Throws
 * ZotFluxError past ANALYSIS_STATE_LIMIT product states.
 *
 * Faster than the plain product: a glob of `none` that cannot meet a glob of `all` (mayOverlap) is left out; a
 * `none` automaton whose state is dead is dropped from the product state (it can never match again); a product
 * state in which some `none` automaton matches every valid continuation is not explored (nothing beyond it can
 * count). None of these changes which names are matched by all and by none, so the answer is the same.
 */
export function findName(all: readonly SafeGlob[], none: readonly SafeGlob[] = []): string | undefined {
  // '**' alone matches every name (expansionRx): nothing escapes it in `none`, and in `all` it asks nothing.
  if (none.some(isEverything)) return undefined;
  if (all.some(isEverything)) all = all.filter((g) => !isEverything(g));
  const relevant = all.length === 0 ? none : none.filter((n) => all.every((a) => mayOverlap(a, n)));
  if (all.length === 1 && relevant.length === 0) {
    // The question asked most: one glob's first name (the same answer every time).
    if (!firstNames.has(all[0])) firstNames.set(all[0], search(all, []));
    return firstNames.get(all[0]);
  }
  return search(all, relevant);
}

const isEverything = (g: SafeGlob) => g.pattern === '**';
const firstNames = new WeakMap<SafeGlob, string | undefined>();

/** findName's search, once `relevant` holds only the globs of `none` that may meet every glob of `all`. */
function search(all: readonly SafeGlob[], relevant: readonly SafeGlob[]): string | undefined {
  const none = relevant;
  const pos = all.map(subsetsOf);
  const neg = relevant.map(subsetsOf);
  const k = pos.length;
  // A product state: the valid-name state, each `all` automaton's state, then (index, state) of the live `none` ones.
  interface St {
    readonly v: number;
    readonly p: readonly number[];
    readonly n: readonly number[];
  }
  const keyOf = (st: St) => `${st.v},${st.p.join(',')}|${st.n.join(',')}`;
  const hopeless = (st: St) => {
    for (let i = 0; i < st.n.length; i += 2) if (neg[st.n[i]].universal(st.n[i + 1], st.v)) return true;
    return false;
  };
  const accepted = (st: St) => {
    if (st.v !== 1) return false;
    for (let i = 0; i < k; i++) if (!pos[i].accepting[st.p[i]]) return false;
    for (let i = 0; i < st.n.length; i += 2) if (neg[st.n[i]].accepting[st.n[i + 1]]) return false;
    return true;
  };
  const initialNeg: number[] = [];
  neg.forEach((s, i) => {
    if (!s.dead(s.initial)) initialNeg.push(i, s.initial);
  });
  const initial: St = { v: 0, p: pos.map((s) => s.initial), n: initialNeg };
  if (hopeless(initial)) return undefined;
  const seen = new Map<string, { prev: string | undefined; sym: number }>();
  const initialKey = keyOf(initial);
  seen.set(initialKey, { prev: undefined, sym: -1 });
  if (accepted(initial)) return '';
  // Each state is tested when it is first reached: the first one accepted is the first the layer would pop.
  let frontier: Array<{ st: St; k: string }> = [{ st: initial, k: initialKey }];
  while (frontier.length) {
    const next: Array<{ st: St; k: string }> = [];
    for (const { st, k: stKey } of frontier) {
      // The live `none` automata after each symbol, gathered per symbol from each one's live symbols.
      const bySym: number[][] = [];
      for (let i = 0; i < st.n.length; i += 2) {
        const s = neg[st.n[i]];
        for (const sym of s.liveSymbols(st.n[i + 1])) (bySym[sym] ??= []).push(st.n[i], s.next(st.n[i + 1], sym));
      }
      for (const sym of k > 0 ? pos[0].liveSymbols(st.p[0]) : ALL_SYMBOLS) {
        const v = validStep(st.v, sym);
        if (v < 0) continue;
        const p: number[] = [];
        let alive = true;
        for (let i = 0; i < k && alive; i++) {
          const to = pos[i].next(st.p[i], sym);
          if (pos[i].dead(to)) alive = false;
          p.push(to);
        }
        if (!alive) continue;
        const to: St = { v, p, n: bySym[sym] ?? [] };
        const kk = keyOf(to);
        if (seen.has(kk)) continue;
        seen.set(kk, { prev: stKey, sym });
        if (accepted(to)) return spell(seen, kk);
        if (seen.size > ANALYSIS_STATE_LIMIT) throw tooIntricate(all, none);
        if (hopeless(to)) continue;
        next.push({ st: to, k: kk });
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * findName by the plain product of every automaton, none left out or dropped: slower, and kept as the reference
 * the tests hold findName to (the two must give the same name, or both none).
 */
export function findNameDense(all: readonly SafeGlob[], none: readonly SafeGlob[] = []): string | undefined {
  const pos = all.map(subsetsOf);
  const neg = none.map(subsetsOf);
  const k = pos.length;
  const initial = [0, ...pos.map((s) => s.initial), ...neg.map((s) => s.initial)];
  const key = (st: number[]) => st.join(',');
  const seen = new Map<string, { prev: string | undefined; sym: number }>();
  seen.set(key(initial), { prev: undefined, sym: -1 });
  let frontier: Array<{ st: number[]; k: string }> = [{ st: initial, k: key(initial) }];
  while (frontier.length) {
    const next: Array<{ st: number[]; k: string }> = [];
    for (const { st, k: stKey } of frontier) {
      const accepted =
        st[0] === 1 && pos.every((s, i) => s.accepting[st[1 + i]]) && neg.every((s, i) => !s.accepting[st[1 + k + i]]);
      if (accepted) return spell(seen, stKey);
      for (let sym = 0; sym < NSYM; sym++) {
        const v = validStep(st[0], sym);
        if (v < 0) continue;
        const to = [v];
        let alive = true;
        for (let i = 0; i < k && alive; i++) {
          const n = pos[i].next(st[1 + i], sym);
          if (pos[i].dead(n)) alive = false;
          to.push(n);
        }
        if (!alive) continue;
        for (let i = 0; i < neg.length; i++) to.push(neg[i].next(st[1 + k + i], sym));
        const kk = key(to);
        if (seen.has(kk)) continue;
        seen.set(kk, { prev: stKey, sym });
        if (seen.size > ANALYSIS_STATE_LIMIT) throw tooIntricate(all, none);
        next.push({ st: to, k: kk });
      }
    }
    frontier = next;
  }
  return undefined;
}

// --- Cheap necessary conditions for overlap -----------------------------------------------------

/** The text every name a glob matches starts with, and the text every such name ends with. */
export interface LiteralEnds {
  readonly prefix: string;
  readonly suffix: string;
}

/** The literal text at the start (or end) of every word of `rx`, and whether `rx` is that text alone. */
function literalEnd(rx: Rx, atEnd: boolean): { text: string; whole: boolean } {
  switch (rx.t) {
    case 'set': {
      const syms = symbolsOf(rx.set);
      return syms.length === 1 ? { text: ALPHABET[syms[0]], whole: true } : { text: '', whole: false };
    }
    case 'seq': {
      let text = '';
      const items = atEnd ? [...rx.items].reverse() : rx.items;
      for (const it of items) {
        const e = literalEnd(it, atEnd);
        text = atEnd ? e.text + text : text + e.text;
        if (!e.whole) return { text, whole: false };
      }
      return { text, whole: true };
    }
    case 'alt': {
      const ends = rx.items.map((it) => literalEnd(it, atEnd).text);
      let common = ends[0] ?? '';
      for (const e of ends) {
        let n = 0;
        while (
          n < common.length &&
          n < e.length &&
          (atEnd ? common[common.length - 1 - n] === e[e.length - 1 - n] : common[n] === e[n])
        )
          n++;
        common = atEnd ? common.slice(common.length - n) : common.slice(0, n);
      }
      return { text: common, whole: false };
    }
    default:
      return { text: '', whole: false };
  }
}

const literalEndsCache = new WeakMap<SafeGlob, LiteralEnds>();
/** What every name `g` matches starts and ends with (read from its automaton's expression). */
export function literalEnds(g: SafeGlob): LiteralEnds {
  let e = literalEndsCache.get(g);
  if (!e) {
    e = { prefix: literalEnd(g.rx, false).text, suffix: literalEnd(g.rx, true).text };
    literalEndsCache.set(g, e);
  }
  return e;
}

/**
 * false only when no name can match both globs: one's literal start is not a start of the other's (nor the other
 * way round), or likewise their literal ends. A cheap filter in front of findName; true says nothing.
 */
export function mayOverlap(a: SafeGlob, b: SafeGlob): boolean {
  const x = literalEnds(a);
  const y = literalEnds(b);
  return (
    (x.prefix.startsWith(y.prefix) || y.prefix.startsWith(x.prefix)) &&
    (x.suffix.endsWith(y.suffix) || y.suffix.endsWith(x.suffix))
  );
}

/**
 * For a list of globs, the ones each may overlap (mayOverlap), found through sorted literal starts and ends rather
 * than by trying every pair: what a list of thousands of keys needs.
 */
export class OverlapIndex {
  private readonly byPrefix: EndIndex;
  private readonly bySuffix: EndIndex;
  constructor(private readonly globs: readonly SafeGlob[]) {
    this.byPrefix = new EndIndex(globs.map((g) => literalEnds(g).prefix));
    this.bySuffix = new EndIndex(globs.map((g) => [...literalEnds(g).suffix].reverse().join('')));
  }

  /** The indexes j ≠ i, ascending, of the globs that may overlap globs[i]. */
  candidates(i: number): number[] {
    const p = this.byPrefix.count(i);
    const s = this.bySuffix.count(i);
    const from = p <= s ? this.byPrefix.related(i) : this.bySuffix.related(i);
    const g = this.globs[i];
    return from.filter((j) => j !== i && mayOverlap(g, this.globs[j])).sort((a, b) => a - b);
  }
}

/** Strings, and for each one the others it is a prefix of or that are a prefix of it. */
class EndIndex {
  private readonly sorted: number[];
  private readonly exact = new Map<string, number[]>();
  constructor(private readonly texts: readonly string[]) {
    this.sorted = texts.map((_, i) => i).sort((a, b) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : a - b));
    texts.forEach((t, i) => {
      const l = this.exact.get(t);
      if (l) l.push(i);
      else this.exact.set(t, [i]);
    });
  }
  /** The first position in `sorted` whose text is ≥ t. */
  private lowerBound(t: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.texts[this.sorted[mid]] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Those starting with texts[i] (itself included), as a range of `sorted`. */
  private range(i: number): [number, number] {
    const t = this.texts[i];
    return [this.lowerBound(t), this.lowerBound(t + '\uffff')];
  }
  /** Those whose text is a strict prefix of texts[i]. */
  private shorter(i: number): number[] {
    const t = this.texts[i];
    const out: number[] = [];
    for (let n = 0; n < t.length; n++) for (const j of this.exact.get(t.slice(0, n)) ?? []) out.push(j);
    return out;
  }
  count(i: number): number {
    const [a, b] = this.range(i);
    return b - a + this.shorter(i).length;
  }
  related(i: number): number[] {
    const [a, b] = this.range(i);
    return [...this.sorted.slice(a, b), ...this.shorter(i)];
  }
}

// --- Quick witnesses ----------------------------------------------------------------------------

/**
 * Whether zot's doublestar matches `name` with the glob (both brace scannings read agree and match: glob.Match
 * as zot calls it). For a SafeGlob this is what its automaton accepts (test/zot/glob.test.ts holds them equal).
 */
export function doublestarMatches(g: SafeGlob, name: string): boolean {
  const a = doublestarMatch(g.pattern, name);
  if (!a.matched || a.badPattern) return false;
  if (!BRACE_THEN_CLASS.test(g.pattern)) return true;
  const b = doublestarMatch(g.pattern, name, 'v4.10.2');
  return b.matched && !b.badPattern;
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

/** Whether the glob's automaton accepts `name` (for checking the analysis against doublestarMatch). */
export function analysisMatches(g: SafeGlob, name: string): boolean {
  const s = subsetsOf(g);
  let st = s.initial;
  for (const c of name) {
    const sym = symOf(c);
    if (sym < 0) return false;
    st = s.next(st, sym);
  }
  return s.accepting[st];
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
