// Go regexp syntax checking (RE2 syntax, regexp.Compile = syntax.Parse with syntax.Perl flags).
// Written from golang/go src/regexp/syntax/parse.go (Parse, parsePerlFlags, parseRepeat, repeat,
// repeatIsValid, parseEscape, parseClass, parseNamedClass, parseUnicodeClass); zot v2.1.14..v2.1.20
// builds with Go 1.25/1.26 (go.mod `go` line). Unicode script names are not listed here: an unknown
// \p{Name} that could be a script is reported by goRegexpNotes, not refused.

type RNode = {
  op: 'lit' | 'class' | 'op' | 'empty' | 'concat' | 'alt' | 'cap' | 'rep';
  min?: number;
  max?: number;
  subs: RNode[];
};
type RItem = RNode | { op: 'lparen'; cap: boolean } | { op: 'vbar' };

/** A parsed piece, not a pseudo-operator (a left paren or a vertical bar) on the stack. */
const isNode = (x: RItem): x is RNode => x.op !== 'lparen' && x.op !== 'vbar';

const POSIX_CLASSES = [
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
];
const UNICODE_CATEGORIES = new Set([
  'C',
  'Cc',
  'Cf',
  'Co',
  'Cs',
  'L',
  'Ll',
  'Lm',
  'Lo',
  'Lt',
  'Lu',
  'M',
  'Mc',
  'Me',
  'Mn',
  'N',
  'Nd',
  'Nl',
  'No',
  'P',
  'Pc',
  'Pd',
  'Pe',
  'Pf',
  'Pi',
  'Po',
  'Ps',
  'S',
  'Sc',
  'Sk',
  'Sm',
  'So',
  'Z',
  'Zl',
  'Zp',
  'Zs',
  'Any',
  'Assigned',
  'Ascii',
  'Lc',
]);

class RegexpError extends Error {}

function rxError(code: string, expr: string): never {
  throw new RegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

/** Go's canonicalName for \p{...} lookups. */
function canonicalName(name: string): string {
  let out = '';
  let first = true;
  for (const ch of name) {
    if (ch === '_' || ch === '-' || ch === ' ') continue;
    out += first ? ch.toUpperCase() : ch.toLowerCase();
    first = false;
  }
  return out;
}

/**
 * Whether Go's regexp.Compile accepts `src`: undefined when it does, else Go's error text.
 * `notes` collects what cannot be decided here (a Unicode script name).
 */
export function goRegexpError(src: string, notes: string[] = []): string | undefined {
  try {
    parseGoRegexp(src, notes);
    return undefined;
  } catch (e) {
    if (e instanceof RegexpError) return e.message;
    throw e;
  }
}

/** Go's parser state (parse.go: parser): the stack of parsed pieces and pseudo-operators, the nesting depth. */
class Parser {
  private readonly stack: RItem[] = [];
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly notes: string[],
  ) {}

  /** parse.go: parse — the big switch over the next character, then the final concat and alternate. */
  parse(): void {
    let t = this.src;
    let lastRepeat = '';
    while (t !== '') {
      const [rest, repeated] = this.step(t, lastRepeat);
      t = rest;
      lastRepeat = repeated;
    }
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    if (this.stack.length !== 1) rxError('missing closing )', this.src);
  }

  /** One turn of parse.go's BigSwitch: the rest of the text, and the repeat operator's text when it was one. */
  private step(t: string, lastRepeat: string): [string, string] {
    switch (t[0]) {
      case '(':
        return [this.parseLeftParen(t), ''];
      case '|':
        this.parseVerticalBar();
        return [t.slice(1), ''];
      case ')':
        this.parseRightParen();
        return [t.slice(1), ''];
      case '^':
      case '$':
      case '.':
        this.push({ op: 'op', subs: [] });
        return [t.slice(1), ''];
      case '[':
        t = parseClass(t, this.notes);
        this.push({ op: 'class', subs: [] });
        return [t, ''];
      case '*':
      case '+':
      case '?':
        return [this.repeat(t[0] === '+' ? 1 : 0, -1, t, t.slice(1), false, lastRepeat), t];
      case '{':
        return this.parseBrace(t, lastRepeat);
      case '\\':
        return [this.parseBackslash(t), ''];
      default:
        this.push({ op: 'lit', subs: [] });
        return [nextRune(t)[1], ''];
    }
  }

  private push(n: RNode): void {
    this.stack.push(n);
  }

  private static isPseudo(x: RItem | undefined): boolean {
    return x !== undefined && (x.op === 'lparen' || x.op === 'vbar');
  }

  /** parse.go: concat — the pieces above the last pseudo-operator become one concatenation. */
  private concat(): void {
    const stack = this.stack;
    let i = stack.length;
    while (i > 0 && !Parser.isPseudo(stack[i - 1])) i--;
    const subs = stack.splice(i).filter(isNode);
    this.push(subs.length === 0 ? { op: 'empty', subs: [] } : subs.length === 1 ? subs[0] : { op: 'concat', subs });
  }

  /** parse.go: swapVerticalBar — a vertical bar below the top swaps with it. */
  private swapVerticalBar(): boolean {
    const stack = this.stack;
    const n = stack.length;
    if (n >= 2 && stack[n - 2].op === 'vbar') {
      [stack[n - 2], stack[n - 1]] = [stack[n - 1], stack[n - 2]];
      return true;
    }
    return false;
  }

  /** parse.go: alternate — the pieces above the last left paren become one alternation. */
  private alternate(): void {
    const stack = this.stack;
    let i = stack.length;
    while (i > 0 && stack[i - 1].op !== 'lparen') i--;
    const subs = stack.splice(i).filter(isNode);
    this.push(subs.length === 1 ? subs[0] : { op: 'alt', subs });
  }

  private openParen(cap: boolean): void {
    this.stack.push({ op: 'lparen', cap });
    this.depth++;
  }

  /** parse.go: the '(' case — a capture, a named capture, or (PerlX) flags and a non-capturing group. */
  private parseLeftParen(t: string): string {
    let rest: string;
    if (t.length >= 2 && t[1] === '?') rest = this.parsePerlFlags(t);
    else {
      this.openParen(true);
      rest = t.slice(1);
    }
    if (this.depth > 1000) rxError('expression nests too deeply', this.src);
    return rest;
  }

  /** parse.go: parsePerlFlags — (?P<name>, (?<name>, or flags (?imsU-imsU) and (?flags:. */
  private parsePerlFlags(t: string): string {
    const startsWithP = t.length > 4 && t[2] === 'P' && t[3] === '<';
    const startsWithName = t.length > 3 && t[2] === '<';
    if (startsWithP || startsWithName) {
      const end = t.indexOf('>');
      if (end < 0) rxError('invalid named capture', t);
      const name = t.slice(startsWithName ? 3 : 4, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) rxError('invalid named capture', t.slice(0, end + 1));
      this.openParen(true);
      return t.slice(end + 1);
    }
    const [u, group] = scanFlags(t);
    if (group === undefined) rxError('invalid or unsupported Perl syntax', t.slice(0, t.length - u.length));
    if (group) this.openParen(false);
    return u;
  }

  /** parse.go: parseVerticalBar. */
  private parseVerticalBar(): void {
    this.concat();
    if (!this.swapVerticalBar()) this.stack.push({ op: 'vbar' });
  }

  /** parse.go: parseRightParen. */
  private parseRightParen(): void {
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    const inner = this.stack.pop();
    const paren = this.stack.pop();
    if (inner === undefined || !isNode(inner) || paren?.op !== 'lparen') return rxError('unexpected )', this.src);
    this.push(paren.cap ? { op: 'cap', subs: [inner] } : inner);
    this.depth--;
  }

  /** parse.go: the '{' case — a counted repeat, or a literal '{' when parseRepeat fails. */
  private parseBrace(t: string, lastRepeat: string): [string, string] {
    const r = parseRepeat(t);
    if (!r) {
      this.push({ op: 'lit', subs: [] });
      return [t.slice(1), ''];
    }
    const [min, max, after] = r;
    // "Numbers were too big, or max is present and min > max."
    if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
      rxError('invalid repeat count', t.slice(0, t.length - after.length));
    return [this.repeat(min, max, t, after, true, lastRepeat), t];
  }

  /** parse.go: repeat — applies a repetition operator to the top of the stack. */
  private repeat(
    min: number,
    max: number,
    before: string,
    after: string,
    counted: boolean,
    lastRepeat: string,
  ): string {
    if (after.startsWith('?')) after = after.slice(1); // non-greedy (PerlX)
    if (lastRepeat !== '')
      rxError('invalid nested repetition operator', lastRepeat.slice(0, lastRepeat.length - after.length));
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || !isNode(top))
      return rxError('missing argument to repetition operator', before.slice(0, before.length - after.length));
    const re: RNode = { op: 'rep', min, max, subs: [top] };
    this.stack[this.stack.length - 1] = re;
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(re, 1000))
      rxError('invalid repeat count', before.slice(0, before.length - after.length));
    return after;
  }

  /** parse.go: the '\\' case — \A \b \B \z, \C (refused), \Q...\E, \p{...}, Perl classes, single-character escapes. */
  private parseBackslash(t: string): string {
    if (t.length >= 2 && 'AbBz'.includes(t[1])) {
      this.push({ op: 'op', subs: [] });
      return t.slice(2);
    }
    if (t.length >= 2 && t[1] === 'C') rxError('invalid escape sequence', t.slice(0, 2));
    if (t.length >= 2 && t[1] === 'Q') {
      const end = t.indexOf('\\E', 2);
      const lit = end < 0 ? t.slice(2) : t.slice(2, end);
      for (let i = 0; i < [...lit].length; i++) this.push({ op: 'lit', subs: [] });
      return end < 0 ? '' : t.slice(end + 2);
    }
    if (t.length >= 2 && (t[1] === 'p' || t[1] === 'P')) {
      const rest = parseUnicodeClass(t, this.notes);
      this.push({ op: 'class', subs: [] });
      return rest;
    }
    if (isPerlClass(t)) {
      this.push({ op: 'class', subs: [] });
      return t.slice(2);
    }
    const rest = parseEscape(t)[1];
    this.push({ op: 'lit', subs: [] });
    return rest;
  }
}

/**
 * parsePerlFlags' flag loop over `(?flags)` / `(?flags:`: the rest of the text, and whether a group
 * opens (true for ':', false for ')'), or undefined when Go refuses the syntax.
 */
function scanFlags(t: string): [string, boolean | undefined] {
  let u = t.slice(2);
  let sign = 1;
  let sawFlag = false;
  while (u !== '') {
    const f = u[0];
    u = u.slice(1);
    if ('imsU'.includes(f)) {
      sawFlag = true;
      continue;
    }
    if (f === '-') {
      if (sign < 0) break;
      sign = -1;
      sawFlag = false;
      continue;
    }
    if (f === ':' || f === ')') {
      if (sign < 0 && !sawFlag) break;
      return [u, f === ':'];
    }
    break;
  }
  return [u, undefined];
}

/** parse.go: repeatIsValid — no nesting of counted repeats past 1000 in total. */
function repeatIsValid(re: RNode, n: number): boolean {
  if (re.op === 'rep') {
    let m = re.max ?? 0;
    if (m === 0) return true;
    if (m < 0) m = re.min ?? 0;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  return re.subs.every((s) => repeatIsValid(s, n));
}

/** parse.go: parseInt — a decimal number without leading zeros; -1 when it is too big (≥ 1e8 before the next digit). */
function parseInt10(s: string): [number, string] | undefined {
  if (s === '' || s[0] < '0' || s[0] > '9') return undefined;
  if (s.length >= 2 && s[0] === '0' && s[1] >= '0' && s[1] <= '9') return undefined;
  const d = /^[0-9]+/.exec(s)?.[0] ?? '';
  let n = 0;
  for (const c of d) {
    if (n >= 1e8) {
      n = -1;
      break;
    }
    n = n * 10 + Number(c);
  }
  return [n, s.slice(d.length)];
}

/** parse.go: parseRepeat — {n}, {n,} or {n,m}: [min, max (-1: none), rest], or undefined when it is not one. */
function parseRepeat(s: string): [number, number, string] | undefined {
  const a = parseInt10(s.slice(1));
  if (!a) return undefined;
  let [min, r] = a;
  let max: number;
  if (r === '') return undefined;
  if (r[0] !== ',') max = min;
  else {
    r = r.slice(1);
    if (r === '') return undefined;
    if (r[0] === '}') max = -1;
    else {
      const b = parseInt10(r);
      if (!b) return undefined;
      [max, r] = b;
      if (max < 0) min = -1;
    }
  }
  if (r === '' || r[0] !== '}') return undefined;
  return [min, max, r.slice(1)];
}

/** utf8.DecodeRuneInString: the first code point and the rest. */
function nextRune(s: string): [number, string] {
  const c = s.codePointAt(0) ?? 0;
  return [c, s.slice(c > 0xffff ? 2 : 1)];
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const unhex = (c: number) =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
const isOctal = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '7';
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

/** parse.go: parseEscape — the character a backslash escape stands for, and the rest. */
function parseEscape(s: string): [number, string] {
  const t = s.slice(1);
  if (t === '') rxError('trailing backslash at end of expression', '');
  const [c, rest] = nextRune(t);
  const ch = String.fromCodePoint(c);
  // "Punctuation and/or non-ASCII, as long as not a word character."
  if (c < 0x80 && !isAlnum(c)) return [c, rest];
  // "Octal escapes." \1-\7 alone are backreferences, which RE2 does not support
  if (ch >= '1' && ch <= '7' && !isOctal(rest[0]))
    rxError('invalid escape sequence', s.slice(0, s.length - rest.length));
  if (isOctal(ch)) return parseOctal(c - 48, rest);
  if (ch === 'x' && rest !== '') return parseHex(s, rest);
  if (ch in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[ch], rest];
  return rxError('invalid escape sequence', s.slice(0, s.length - rest.length));
}

/** parseEscape: up to two more octal digits. */
function parseOctal(first: number, t: string): [number, string] {
  let r = first;
  for (let i = 1; i < 3 && isOctal(t[0]); i++) {
    r = r * 8 + (t.charCodeAt(0) - 48);
    t = t.slice(1);
  }
  return [r, t];
}

/** parseEscape: \xFF or \x{10FFFF}; `s` is the whole escape, `t` the text after the x. */
function parseHex(s: string, t: string): [number, string] {
  let d: number;
  [d, t] = nextRune(t);
  if (d === 0x7b /* { */) return parseHexBraced(s, t);
  const x = unhex(d);
  if (t === '') rxError('invalid escape sequence', s);
  let e: number;
  [e, t] = nextRune(t);
  const y = unhex(e);
  if (x < 0 || y < 0) rxError('invalid escape sequence', s.slice(0, s.length - t.length));
  return [x * 16 + y, t];
}

/** parseEscape: the hex digits of \x{...}, at least one, at most 0x10FFFF. */
function parseHexBraced(s: string, t: string): [number, string] {
  let n = 0;
  let r = 0;
  for (;;) {
    if (t === '') rxError('invalid escape sequence', s);
    let d: number;
    [d, t] = nextRune(t);
    if (d === 0x7d /* } */) break;
    const v = unhex(d);
    if (v < 0) rxError('invalid escape sequence', s.slice(0, s.length - t.length));
    r = r * 16 + v;
    if (r > 0x10ffff) rxError('invalid escape sequence', s.slice(0, s.length - t.length));
    n++;
  }
  if (n === 0) rxError('invalid escape sequence', s.slice(0, s.length - t.length));
  return [r, t];
}

/** parse.go: parseUnicodeClass — \pN, \p{Name}, \P{^Name}; `s` starts with \p or \P. The rest of the text. */
function parseUnicodeClass(s: string, notes: string[]): string {
  let t = s.slice(2);
  if (t === '') rxError('invalid character class range', s);
  let name: string;
  let seq: string;
  if (t[0] !== '{') {
    const [c, rest] = nextRune(t);
    name = String.fromCodePoint(c);
    seq = s.slice(0, s.length - rest.length);
    t = rest;
  } else {
    const end = s.indexOf('}');
    if (end < 0) rxError('invalid character class range', s);
    seq = s.slice(0, end + 1);
    name = s.slice(3, end);
    t = s.slice(end + 1);
  }
  if (name.startsWith('^')) name = name.slice(1);
  const canon = canonicalName(name);
  if (!UNICODE_CATEGORIES.has(canon)) {
    // Go also knows scripts (Greek, Han, ...) and category aliases (Letter, ...): not listed here
    if (canon.length >= 2 && /^[A-Za-z][A-Za-z_ -]*$/.test(name))
      notes.push(
        `${seq}: the Unicode class name is not a general category; Go accepts it only if it names a script or category alias`,
      );
    else rxError('invalid character class range', seq);
  }
  return t;
}

/** parse.go: parsePerlClassEscape — \d \D \s \S \w \W. */
const isPerlClass = (s: string) => s.length >= 2 && s[0] === '\\' && 'dDsSwW'.includes(s[1]);

/** parse.go: parseNamedClass — [:alpha:] inside a class; the rest, or undefined when `t` does not start one. */
function parseNamedClass(t: string): string | undefined {
  if (!(t.length > 2 && t[0] === '[' && t[1] === ':')) return undefined;
  const i = t.indexOf(':]', 2);
  if (i < 0) return undefined;
  const name = t.slice(0, i + 2);
  const inner = name.slice(2, -2).replace(/^\^/, '');
  if (!POSIX_CLASSES.includes(inner)) rxError('invalid character class range', name);
  return t.slice(i + 2);
}

/** parse.go: parseClass — a bracketed class; `s` starts with '['. The rest of the text after ']'. */
function parseClass(s: string, notes: string[]): string {
  let t = s.slice(1);
  if (t.startsWith('^')) t = t.slice(1);
  // "If character class does not have ] or - first, ..." — a ']' first is a literal
  let first = true;
  while (t === '' || t[0] !== ']' || first) {
    first = false;
    t = parseClassItem(s, t, notes);
  }
  return t.slice(1);
}

/** parseClass' loop body: a named class, a Unicode class, a Perl class, or a character or range. */
function parseClassItem(s: string, t: string, notes: string[]): string {
  const named = parseNamedClass(t);
  if (named !== undefined) return named;
  if (t.length >= 2 && t[0] === '\\' && (t[1] === 'p' || t[1] === 'P')) return parseUnicodeClass(t, notes);
  if (isPerlClass(t)) return t.slice(2);
  const rng = t;
  const classChar = (u: string): [number, string] => {
    if (u === '') rxError('missing closing ]', s);
    return u[0] === '\\' ? parseEscape(u) : nextRune(u);
  };
  let lo: number;
  [lo, t] = classChar(t);
  if (t.length >= 2 && t[0] === '-' && t[1] !== ']') {
    let hi: number;
    [hi, t] = classChar(t.slice(1));
    if (hi < lo) rxError('invalid character class range', rng.slice(0, rng.length - t.length));
  }
  return t;
}

function parseGoRegexp(src: string, notes: string[]): void {
  new Parser(src, notes).parse();
}
