// What styles a string may be written in (go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_analyze_scalar).
import { GoString } from './go-string';
import { byteSet, widthOf } from './tokens';

/** The styles a string may be written in. */
export interface ScalarAnalysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

// go-yaml@v2.4.2+v2.4.4 yamlprivateh.go is_printable on a byte string (4-byte sequences are not "printable" for it).
export function isPrintable(v: GoString, i: number): boolean {
  const c = v.charCodeAt(i);
  const c1 = v.charCodeAt(i + 1);
  const c2 = v.charCodeAt(i + 2);
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c === 0xc2 && c1 >= 0xa0) ||
    (c > 0xc2 && c < 0xed) ||
    (c === 0xed && c1 < 0xa0) ||
    c === 0xee ||
    (c === 0xef && !(c1 === 0xbb && c2 === 0xbf) && !(c1 === 0xbf && (c2 === 0xbe || c2 === 0xbf)))
  );
}
export function isBreakIn(v: GoString, i: number): boolean {
  const c = v.charCodeAt(i);
  return (
    c === 0x0d ||
    c === 0x0a ||
    (c === 0xc2 && v.charCodeAt(i + 1) === 0x85) ||
    (c === 0xe2 && v.charCodeAt(i + 1) === 0x80 && (v.charCodeAt(i + 2) === 0xa8 || v.charCodeAt(i + 2) === 0xa9))
  );
}
export function isBlankzIn(v: GoString, i: number): boolean {
  const c = v.charCodeAt(i);
  return c === 0x20 || c === 0x09 || c === 0 || isBreakIn(v, i);
}

// go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_analyze_scalar: what the text contains, then what that allows.
export function analyzeScalar(value: GoString): ScalarAnalysis {
  if (value.length === 0) {
    return {
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  return allowedStyles(scalarFacts(value));
}

/** What yaml_emitter_analyze_scalar notes while it walks the text. */
interface ScalarFacts {
  flowIndicators: boolean;
  blockIndicators: boolean;
  lineBreaks: boolean;
  specialCharacters: boolean;
  leadingSpace: boolean;
  leadingBreak: boolean;
  trailingSpace: boolean;
  trailingBreak: boolean;
  breakSpace: boolean; // a space right after a line break
  spaceBreak: boolean; // a line break right after a space
}

// go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_analyze_scalar: the rules, from the facts to the styles.
function allowedStyles(f: ScalarFacts): ScalarAnalysis {
  const blankAtAnEdge = f.leadingSpace || f.leadingBreak || f.trailingSpace || f.trailingBreak;
  const spaceBreakOrSpecial = f.spaceBreak || f.specialCharacters;
  const noPlain = blankAtAnEdge || f.breakSpace || spaceBreakOrSpecial || f.lineBreaks;
  return {
    multiline: f.lineBreaks,
    flowPlainAllowed: !(noPlain || f.flowIndicators),
    blockPlainAllowed: !(noPlain || f.blockIndicators),
    singleQuotedAllowed: !(f.breakSpace || spaceBreakOrSpecial),
    blockAllowed: !(f.trailingSpace || spaceBreakOrSpecial),
  };
}

function scalarFacts(value: GoString): ScalarFacts {
  const f: ScalarFacts = {
    flowIndicators: false,
    blockIndicators: false,
    lineBreaks: false,
    specialCharacters: false,
    leadingSpace: false,
    leadingBreak: false,
    trailingSpace: false,
    trailingBreak: false,
    breakSpace: false,
    spaceBreak: false,
  };
  if (value.startsWith('---') || value.startsWith('...')) {
    f.blockIndicators = true;
    f.flowIndicators = true;
  }
  const prev = { space: false, break: false };
  let precededByWhitespace = true;
  for (let i = 0, w = 0; i < value.length; i += w) {
    const c = value.charCodeAt(i);
    w = widthOf(c);
    const followedByWhitespace =
      i + w >= value.length || value.charCodeAt(i + w) === 0x20 || value.charCodeAt(i + w) === 0x09;
    const ind =
      i === 0
        ? firstCharIndicators(c, followedByWhitespace)
        : innerCharIndicators(c, followedByWhitespace, precededByWhitespace);
    if (ind & FLOW) f.flowIndicators = true;
    if (ind & BLOCK) f.blockIndicators = true;
    if (!isPrintable(value, i)) f.specialCharacters = true;
    noteSpaceOrBreak(f, prev, value, i, w);
    precededByWhitespace = isBlankzIn(value, i);
  }
  return f;
}

/** Spaces and line breaks at the edges and next to each other. */
function noteSpaceOrBreak(
  f: ScalarFacts,
  prev: { space: boolean; break: boolean },
  value: GoString,
  i: number,
  w: number,
): void {
  const first = i === 0;
  const last = i + w === value.length;
  if (value.charCodeAt(i) === 0x20) {
    if (first) f.leadingSpace = true;
    if (last) f.trailingSpace = true;
    if (prev.break) f.breakSpace = true;
    prev.space = true;
    prev.break = false;
  } else if (isBreakIn(value, i)) {
    f.lineBreaks = true;
    if (first) f.leadingBreak = true;
    if (last) f.trailingBreak = true;
    if (prev.space) f.spaceBreak = true;
    prev.space = false;
    prev.break = true;
  } else {
    prev.space = false;
    prev.break = false;
  }
}

// The indicators a character is: a bit set (no allocation per character).
const FLOW = 1;
const BLOCK = 2;
const both = (on: boolean): number => (on ? FLOW | BLOCK : 0);

// The indicators that make a first character special in both contexts: # , [ ] { } & * ! | > ' " % @ `
const FIRST_INDICATORS = byteSet('#,[]{}&*!|>\'"%@`');
// ... and a later character special in the flow context: , ? [ ] { }
const INNER_FLOW_INDICATORS = byteSet(',?[]{}');

function firstCharIndicators(c: number, followedByWhitespace: boolean): number {
  if (FIRST_INDICATORS[c] === 1) return FLOW | BLOCK;
  if (c === 0x3f || c === 0x3a) return FLOW | (followedByWhitespace ? BLOCK : 0); // ? :
  if (c === 0x2d) return both(followedByWhitespace); // -
  return 0;
}

function innerCharIndicators(c: number, followedByWhitespace: boolean, precededByWhitespace: boolean): number {
  if (INNER_FLOW_INDICATORS[c] === 1) return FLOW;
  if (c === 0x3a) return FLOW | (followedByWhitespace ? BLOCK : 0); // :
  if (c === 0x23) return both(precededByWhitespace); // #
  return 0;
}
