// Flux postBuild variable substitution at the text level, exactly as kustomize-controller runs it:
// fluxcd/pkg kustomize varSubstitution (the var-name check, then envsubst.Eval with the strict or lax mapper) and
// fluxcd/pkg envsubst (parser, evaluator, functions, its forked path.Match) at the version each Flux generation links.
//
// Sources read (fetched with git, cited next to each rule):
//   fluxcd/pkg envsubst/v1.5.0 (Flux 2.7) and envsubst/v1.7.0 (Flux 2.9): envsubst/parse/scan.go, parse/parse.go,
//     parse/node.go, template.go, funcs.go, eval.go, path/match.go. Only template.go differs between the tags
//     (strict mode scope: isDefaultOp, added in v1.7.0).
//   fluxcd/pkg kustomize/v1.24.0 and kustomize/v1.35.4 kustomize/kustomize_varsub.go: varsubRegex, '\n' removal,
//     the mapper (strict: `v, exists := vars[s]`; lax: `return vars[s], true`).
//
// Everything runs on Go strings (bytes; see GoString in go-yaml.ts) because Flux's functions slice bytes: `${A:1}`
// on "é…" or `${#A}` count and cut UTF-8 bytes, so Go's output may be invalid UTF-8.
// NON-UTF-8 OUTPUT: substituteTextBytes() returns Go's exact bytes (a Buffer); substituteText() returns a JS
// string and refuses (ZotFluxError, field 'postBuild') when Go's bytes are not valid UTF-8, since no JS string can
// hold them and a manifest that contains them cannot be applied as YAML anyway (the YAML reader rejects them).
//
// Errors: what Flux reports as an error (parse errors, "variable not set (strict mode)", invalid var names) and what
// makes Go panic (slice bounds in ${VAR:offset:length}; the reconciliation fails) are thrown as ZotFluxError with
// the expression (or 'postBuild') as field and Flux's message as reason. Variable values are never put in messages.

import { ZotFluxError } from '../core/error';
import { FLUX_GENERATIONS, FluxGeneration } from './generation';
import {
  GoString,
  RUNE_ERROR,
  decodeRunePacked,
  encodeRune,
  goBytes,
  goString,
  isGoDigit,
  isGoLetter,
  validUtf8,
} from '../go/yaml';

// ------------------------------------------------------------------------------------------------
// Variables: names and values as the controller prepares them
// ------------------------------------------------------------------------------------------------

/**
 * The name rule the controller applies to every var key before substituting (kustomize@v1.24.0+v1.35.4
 * kustomize@v1.24.0+v1.35.4 kustomize/kustomize_varsub.go: varsubRegex = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";
 * RE2 [:alpha:]/[:digit:] are ASCII and `$` is the end of the text).
 */
export const FLUX_VARIABLE_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;

/** The regex as Flux prints it in its error message. */
export const FLUX_VARIABLE_NAME_SOURCE = '^[_[:alpha:]][_[:alpha:][:digit:]]*$';

/** Go-string variables, ready for evaluation. */
export type GoVars = ReadonlyMap<GoString, GoString>;

/**
 * The vars as the controller hands them to envsubst: every key name-checked (kustomize@v1.24.0+v1.35.4 kustomize/kustomize_varsub.go varSubstitution:
 * `'%s' var name is invalid, must match '%s'`, checked for every key even when the text uses none), every value
 * with each "\n" removed (kustomize@v1.24.0+v1.35.4 kustomize/kustomize_varsub.go: `strings.ReplaceAll(v, "\n", "")` for substitute, ConfigMap data
 * and Secret data; "\r", U+0085 and U+2028 stay).
 */
export function fluxVariables(vars: Readonly<Record<string, string>>): Map<GoString, GoString> {
  const out = new Map<GoString, GoString>();
  for (const [name, value] of Object.entries(vars)) {
    if (!FLUX_VARIABLE_NAME.test(name)) {
      throw new ZotFluxError({
        field: 'postBuild',
        value: name,
        reason: `var name is invalid, must match '${FLUX_VARIABLE_NAME_SOURCE}'`,
      });
    }
    if (typeof value !== 'string') {
      throw new ZotFluxError({ field: `postBuild.${name}`, reason: 'is not a string' });
    }
    out.set(goString(name), goString(value.includes('\n') ? value.split('\n').join('') : value));
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Scanner (envsubst@v1.5.0+v1.7.0 parse/scan.go)
// ------------------------------------------------------------------------------------------------

const enum Tok {
  Illegal,
  EOF,
  Ident,
  Lbrack,
  Rbrack,
}
// envsubst@v1.5.0+v1.7.0 parse/scan.go: scanIdent, scanLbrack, scanRbrack, scanEscape mode bits; dollar/backslash escape bits.
const M_IDENT = 1;
const M_LBRACK = 2;
const M_RBRACK = 4;
const M_ESCAPE = 8;
const E_DOLLAR = 1;
const E_BACKSLASH = 2;
const E_ALL = 3;

type Accept = (r: number, i: number) => boolean;
// envsubst@v1.5.0+v1.7.0 parse/scan.go accept functions; `i` is the byte offset after the rune from the token start.
const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => isGoLetter(r) || isGoDigit(r) || r === 0x5f; // unicode.IsLetter || IsDigit || '_'
const acceptColon: Accept = (r) => r === 0x3a;
const acceptOneHash: Accept = (r, i) => r === 0x23 && i === 1;
const acceptNotClosing: Accept = (r) => r !== 0x7d;
const acceptHashFunc: Accept = (r, i) => r === 0x23 && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === 0x25 && i < 3;
const acceptDefaultFunc: Accept = (r, i) =>
  (i === 1 && r === 0x3a) || (i === 2 && (r === 0x3d || r === 0x2d || r === 0x3f || r === 0x2b));
const acceptReplaceFunc: Accept = (r, i) =>
  (i === 1 && r === 0x2f) || (i === 2 && (r === 0x2f || r === 0x23 || r === 0x25));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === 0x3d;
const acceptOneColon: Accept = (r, i) => i === 1 && r === 0x3a;
const rejectColonClose: Accept = (r) => r !== 0x3a && r !== 0x7d;
const acceptSlash: Accept = (r) => r === 0x2f;
const acceptNotSlash: Accept = (r) => r !== 0x2f;
const acceptCasingFunc: Accept = (r, i) => (r === 0x2c || r === 0x5e) && i < 3;

/** envsubst@v1.5.0+v1.7.0 parse/scan.go scanner: reads runes of a Go string; `skip` deletes the escape byte from the buffer itself. */
class Scanner {
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  escapeChars = 0;
  accept: Accept = acceptRune;
  /** Bytes deleted by skip() so far: every later position maps to the original text by adding it. */
  removed = 0;
  constructor(public buf: GoString) {}

  // envsubst@v1.5.0+v1.7.0 parse/scan.go read: eof (rune 0, width 0) past the end; invalid UTF-8 is RuneError with width 1.
  read(): number {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return 0;
    }
    const c = this.buf.charCodeAt(this.pos);
    if (c < 0x80) {
      this.width = 1;
      this.pos++;
      return c;
    }
    const p = decodeRunePacked(this.buf, this.pos);
    this.width = p & 7;
    this.pos += this.width;
    return (p - this.width) / 8;
  }

  // envsubst@v1.5.0+v1.7.0 parse/scan.go unread: steps back by the width of the LAST rune read (not necessarily the one before pos).
  unread(): void {
    this.pos -= this.width;
  }

  // envsubst@v1.5.0+v1.7.0 parse/scan.go skip: `s.buf = s.buf[:s.pos-1] + s.buf[s.pos:]` (drops the byte just read, keeps pos).
  skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
    this.removed++;
  }

  peek(): number {
    const r = this.read();
    this.unread();
    return r;
  }

  string(): GoString {
    return this.buf.slice(this.start, this.pos);
  }

  // envsubst@v1.5.0+v1.7.0 parse/scan.go scan: a NUL rune is indistinguishable from eof (`case r == eof`), so it ends the text.
  scan(): Tok {
    this.start = this.pos;
    const r = this.read();
    if (r === 0) return Tok.EOF;
    if (this.scanLbrack(r)) return Tok.Lbrack;
    if (this.scanRbrack(r)) return Tok.Rbrack;
    if (this.scanIdent(r)) return Tok.Ident;
    return Tok.Illegal;
  }

  private scanIdent(r: number): boolean {
    if ((this.mode & M_IDENT) === 0) return false;
    if (this.scanEscaped(r)) this.skip();
    else if (!this.accept(r, this.pos - this.start)) return false;
    for (;;) {
      const c = this.read();
      if (c === 0) {
        this.unread();
        break;
      }
      if (this.scanLbrack(c)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(c)) {
        this.skip();
        continue;
      }
      if (!this.accept(c, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private scanLbrack(r: number): boolean {
    if ((this.mode & M_LBRACK) === 0) return false;
    if (r === 0x24) {
      if (this.read() === 0x7b) return true;
      this.unread();
    }
    return false;
  }

  private scanRbrack(r: number): boolean {
    return (this.mode & M_RBRACK) !== 0 && r === 0x7d;
  }

  // envsubst@v1.5.0+v1.7.0 parse/scan.go scanEscaped: "$$" when dollar escapes are on; "\/" and "\\" when backslash escapes are on.
  private scanEscaped(r: number): boolean {
    if ((this.mode & M_ESCAPE) === 0) return false;
    if (r === 0x24 && (this.escapeChars & E_DOLLAR) !== 0) {
      if (this.peek() === 0x24) return true;
    }
    if (r === 0x5c && (this.escapeChars & E_BACKSLASH) !== 0) {
      const p = this.peek();
      return p === 0x2f || p === 0x5c;
    }
    return false;
  }
}

// ------------------------------------------------------------------------------------------------
// Parser (envsubst@v1.5.0+v1.7.0 parse/parse.go, parse/node.go)
// ------------------------------------------------------------------------------------------------

// envsubst@v1.5.0+v1.7.0 parse/parse.go error values (their text is what Flux reports).
const ErrBadSubstitution = 'bad substitution';
const ErrMissingClosingBrace = 'missing closing brace';
const ErrParseVariableName = 'unable to parse variable name';
const ErrParseFuncSubstitution = 'unable to parse substitution within function';
const ErrParseDefaultFunction = 'unable to parse default function';

type Node = TextNode | FuncNode;
interface TextNode {
  readonly text: GoString;
}
interface FuncNode {
  readonly param: GoString;
  name: GoString;
  readonly args: Node[];
  /** Byte offsets of `${` and after `}` in the original text. */
  readonly start: number;
  end: number;
}

class ParseFailure {
  constructor(
    readonly message: string,
    readonly start: number,
  ) {}
}

class Parser {
  readonly sc: Scanner;
  constructor(text: GoString) {
    this.sc = new Scanner(text);
  }

  private fail(message: string, start: number): never {
    throw new ParseFailure(message, start);
  }

  private orig(pos: number): number {
    return pos + this.sc.removed;
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseAny, written as a loop (the Go recursion scans the same tokens in the same order).
  parseAll(): Node[] {
    const sc = this.sc;
    const nodes: Node[] = [];
    for (;;) {
      sc.accept = acceptRune;
      sc.mode = M_IDENT | M_LBRACK | M_ESCAPE;
      sc.escapeChars = E_DOLLAR;
      const t = sc.scan();
      if (t === Tok.Ident) nodes.push({ text: sc.string() });
      else if (t === Tok.EOF) return nodes;
      else if (t === Tok.Lbrack) nodes.push(this.parseFunc(this.orig(sc.start)));
      else this.fail(ErrBadSubstitution, this.orig(sc.start));
    }
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseFunc: `${#name}`, or a name (letters/digits/_ in any order, even a leading digit) followed by an
  // operator or `}`.
  private parseFunc(start: number): FuncNode {
    const sc = this.sc;
    sc.escapeChars = E_ALL;
    if (sc.peek() === 0x23) return this.parseLenFunc(start);
    sc.accept = acceptIdent;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrParseVariableName, start);
    const name = sc.string();
    switch (sc.peek()) {
      case 0x3a:
        return this.parseDefaultOrSubstr(name, start);
      case 0x3d:
        return this.parseDefaultFunc(name, start);
      case 0x2c:
      case 0x5e:
        return this.parseCasingFunc(name, start);
      case 0x2f:
        return this.parseReplaceFunc(name, start);
      case 0x23:
        return this.parseRemoveFunc(name, acceptHashFunc, start);
      case 0x25:
        return this.parseRemoveFunc(name, acceptPercentFunc, start);
      default:
        break;
    }
    sc.accept = acceptIdent;
    sc.mode = M_RBRACK;
    if (sc.scan() === Tok.Rbrack) return { param: name, name: '', args: [], start, end: this.orig(sc.pos) };
    return this.fail(ErrMissingClosingBrace, start);
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseParam: one text run or one nested ${...}.
  private parseParam(accept: Accept, mode: number, start: number): Node {
    const sc = this.sc;
    sc.accept = accept;
    sc.mode = mode | M_LBRACK;
    const t = sc.scan();
    if (t === Tok.Lbrack) return this.parseFunc(this.orig(sc.start));
    if (t === Tok.Ident || t === Tok.Rbrack) return { text: sc.string() };
    return this.fail(ErrParseFuncSubstitution, start);
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseDefaultOrSubstr: read ':', peek, unread — the unread uses the peeked rune's width.
  private parseDefaultOrSubstr(name: GoString, start: number): FuncNode {
    const sc = this.sc;
    sc.read();
    const r = sc.peek();
    sc.unread();
    if (r === 0x3d || r === 0x2d || r === 0x3f || r === 0x2b) return this.parseDefaultFunc(name, start);
    return this.parseSubstrFunc(name, start);
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseSubstrFunc: ${param:offset} and ${param:offset:length}.
  private parseSubstrFunc(name: GoString, start: number): FuncNode {
    const sc = this.sc;
    const node: FuncNode = { param: name, name: '', args: [], start, end: -1 };
    sc.accept = acceptOneColon;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    node.name = sc.string();
    node.args.push(this.parseParam(rejectColonClose, M_IDENT, start));
    sc.accept = acceptColon;
    sc.mode = M_IDENT | M_RBRACK;
    const t = sc.scan();
    if (t === Tok.Rbrack) {
      node.end = this.orig(sc.pos);
      return node;
    }
    if (t !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    node.args.push(this.parseParam(acceptNotClosing, M_IDENT, start));
    return this.close(node);
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseRemoveFunc: ${param#word} ${param##word} ${param%word} ${param%%word}: exactly one argument node.
  private parseRemoveFunc(name: GoString, accept: Accept, start: number): FuncNode {
    const sc = this.sc;
    const node: FuncNode = { param: name, name: '', args: [], start, end: -1 };
    sc.accept = accept;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    node.name = sc.string();
    node.args.push(this.parseParam(acceptNotClosing, M_IDENT, start));
    return this.close(node);
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseReplaceFunc: ${param/pattern/string} (also //, /#, /%); the second '/' is required; both
  // arguments honour the \/ \\ and $$ escapes.
  private parseReplaceFunc(name: GoString, start: number): FuncNode {
    const sc = this.sc;
    const node: FuncNode = { param: name, name: '', args: [], start, end: -1 };
    sc.accept = acceptReplaceFunc;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    node.name = sc.string();
    node.args.push(this.parseParam(acceptNotSlash, M_IDENT | M_ESCAPE, start));
    sc.accept = acceptSlash;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    if (sc.peek() === 0x7d) return this.close(node);
    node.args.push(this.parseParam(acceptNotClosing, M_IDENT | M_ESCAPE, start));
    return this.close(node);
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseDefaultFunc: ${param=word} ${param:=word} ${param:-word} ${param:?word} ${param:+word}; the word
  // is any number of text runs and nested expressions up to '}' (no escapes).
  private parseDefaultFunc(name: GoString, start: number): FuncNode {
    const sc = this.sc;
    const node: FuncNode = { param: name, name: '', args: [], start, end: -1 };
    sc.accept = acceptDefaultFunc;
    if (sc.peek() === 0x3d) sc.accept = acceptOneEqual;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrParseDefaultFunction, start);
    node.name = sc.string();
    for (;;) {
      if (sc.peek() === 0x7d) return this.close(node);
      node.args.push(this.parseParam(acceptNotClosing, M_IDENT, start));
    }
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseCasingFunc: up to two of ',' and '^' in any mix (",^" is accepted and returns the value).
  private parseCasingFunc(name: GoString, start: number): FuncNode {
    const sc = this.sc;
    const node: FuncNode = { param: name, name: '', args: [], start, end: -1 };
    sc.accept = acceptCasingFunc;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    node.name = sc.string();
    return this.close(node);
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go parseLenFunc: ${#param}.
  private parseLenFunc(start: number): FuncNode {
    const sc = this.sc;
    sc.accept = acceptOneHash;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    const fname = sc.string();
    sc.accept = acceptIdent;
    sc.mode = M_IDENT;
    if (sc.scan() !== Tok.Ident) this.fail(ErrBadSubstitution, start);
    return this.close({ param: sc.string(), name: fname, args: [], start, end: -1 });
  }

  // envsubst@v1.5.0+v1.7.0 parse/parse.go consumeRbrack.
  private close(node: FuncNode): FuncNode {
    const sc = this.sc;
    sc.mode = M_RBRACK;
    if (sc.scan() !== Tok.Rbrack) this.fail(ErrBadSubstitution, node.start);
    node.end = this.orig(sc.pos);
    return node;
  }
}

// ------------------------------------------------------------------------------------------------
// Evaluation (envsubst@v1.5.0+v1.7.0 template.go) and functions (envsubst@v1.5.0+v1.7.0 funcs.go, path/match.go)
// ------------------------------------------------------------------------------------------------

class EvalFailure {
  constructor(
    readonly message: string,
    readonly node: FuncNode,
    readonly panic: boolean,
  ) {}
}

// envsubst@v1.7.0 template.go isDefaultOp: the operators that tolerate an unset variable in strict mode.
function isDefaultOp(name: GoString): boolean {
  switch (name) {
    case '-':
    case '+':
    case '=':
    case '?':
    case ':-':
    case ':+':
    case ':=':
    case ':?':
      return true;
    default:
      return false;
  }
}

// go strconv.Quote, enough for variable names in messages (they are Go strings from the text).
function goQuote(s: GoString): string {
  return JSON.stringify(jsText(s));
}

function jsText(s: GoString): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

interface EvalContext {
  readonly vars: GoVars;
  readonly strict: boolean;
  readonly strictScope: 'bare' | 'non-default';
}

function evalNode(node: Node, ctx: EvalContext): GoString {
  if ('text' in node) return node.text;
  // envsubst@v1.5.0+v1.7.0 template.go evalFunc: the arguments first (their errors win), then the mapper.
  const args: GoString[] = [];
  for (const a of node.args) args.push(evalNode(a, ctx));
  // kustomize@v1.24.0+v1.35.4 kustomize/kustomize_varsub.go mapper: strict `v, exists := vars[s]`; lax `return vars[s], true`.
  const found = ctx.vars.get(node.param);
  const exists = !ctx.strict || found !== undefined;
  const v = found ?? '';
  // envsubst@v1.5.0 template.go evalFunc: `node.Name == "" && !exists`;
  // envsubst@v1.7.0 template.go evalFunc: `!exists && !isDefaultOp(node.Name)`.
  if (!exists && (ctx.strictScope === 'bare' ? node.name === '' : !isDefaultOp(node.name))) {
    throw new EvalFailure(`variable not set (strict mode): ${goQuote(node.param)}`, node, false);
  }
  return applyFunc(node, v, args);
}

// envsubst@v1.5.0+v1.7.0 template.go lookupFunc, applied.
function applyFunc(node: FuncNode, s: GoString, args: GoString[]): GoString {
  switch (node.name) {
    case ',':
      return mapFirstRune(s, goToLower);
    case ',,':
      return mapRunes(s, goToLower);
    case '^':
      return mapFirstRune(s, goToUpper);
    case '^^':
      return mapRunes(s, goToUpper);
    case '#':
      return args.length === 0 ? String(s.length) : trimShortestPrefix(s, args);
    case '##':
      return trimLongestPrefix(s, args);
    case '%':
      return trimShortestSuffix(s, args);
    case '%%':
      return trimLongestSuffix(s, args);
    case ':':
      return toSubstr(s, args, node);
    case '/#':
      return args.length !== 2 ? s : s.startsWith(args[0]) ? goReplace(s, args[0], args[1], 1) : s;
    case '/%':
      return args.length !== 2 ? s : s.endsWith(args[0]) ? s.slice(0, s.length - args[0].length) + args[1] : s;
    case '/':
      return args.length === 0 ? s : goReplace(s, args[0], args.length === 1 ? '' : args[1], 1);
    case '//':
      return args.length === 0 ? s : goReplace(s, args[0], args.length === 1 ? '' : args[1], -1);
    // "=", ":=", ":-", ":?", ":+", "-", "+" and every other name: toDefault.
    default:
      return s.length === 0 && args.length > 0 ? args.join('') : s;
  }
}

// envsubst@v1.5.0+v1.7.0 funcs.go toLowerFirst/toUpperFirst: utf8.DecodeRuneInString then string(unicode.To*(r)) + s[n:].
function mapFirstRune(s: GoString, f: (r: number) => number): GoString {
  if (s === '') return s;
  const p = decodeRunePacked(s, 0);
  const w = p & 7;
  return encodeRune(f((p - w) / 8)) + s.slice(w);
}

// strings.ToLower/ToUpper: strings.Map(unicode.To*, s); an invalid byte becomes U+FFFD.
function mapRunes(s: GoString, f: (r: number) => number): GoString {
  let out = '';
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out += String.fromCharCode(f(c));
      i++;
      continue;
    }
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    out += encodeRune(f((p - w) / 8));
    i += w;
  }
  return out;
}

// unicode.ToUpper / unicode.ToLower are the simple (one-to-one) case mappings of UnicodeData (go@1.19 unicode/letter.go
// `to(UpperCase, r, CaseRanges)`). JS toUpperCase/toLowerCase give the full mappings; where those expand to
// several characters the simple mapping is the listed exception or the character itself.
const UPPER_EXCEPTIONS = new Map<number, number>([
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
function goToUpper(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  if (r === RUNE_ERROR) return r;
  if ((r >= 0x1f80 && r <= 0x1f87) || (r >= 0x1f90 && r <= 0x1f97) || (r >= 0x1fa0 && r <= 0x1fa7)) return r + 8;
  const ex = UPPER_EXCEPTIONS.get(r);
  if (ex !== undefined) return ex;
  return single(String.fromCodePoint(r).toUpperCase(), r);
}
function goToLower(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  if (r === RUNE_ERROR) return r;
  if (r === 0x130) return 0x69; // İ: simple lowercase is 'i' (UnicodeData), the full mapping adds U+0307
  return single(String.fromCodePoint(r).toLowerCase(), r);
}
function single(mapped: string, r: number): number {
  const cp = mapped.codePointAt(0)!;
  return mapped.length === (cp > 0xffff ? 2 : 1) ? cp : r;
}

// strconv.Atoi (base 10, optional sign, no underscores, int64 range) — null for an error.
function goAtoi(s: GoString): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

// envsubst@v1.5.0+v1.7.0 funcs.go toSubstr, with Go's int arithmetic (64-bit wraparound) and slice bounds panics.
function toSubstr(s: GoString, args: GoString[], node: FuncNode): GoString {
  if (args.length === 0) return s;
  let pos = goAtoi(args[0]);
  if (pos === null) return s; // "bash returns the string if the position cannot be parsed"
  const len = BigInt(s.length);
  if (pos < 0n) {
    pos = len + pos;
    if (pos < 0n) pos = 0n;
  }
  if (args.length === 1) return pos < len ? s.slice(Number(pos)) : '';
  const length = goAtoi(args[1]);
  if (length === null) return s;
  const end = BigInt.asIntN(64, pos + length);
  if (end >= len) return pos < len ? s.slice(Number(pos)) : '';
  // s[pos:end]: end < 0 panics "[:end]", pos > end panics "[pos:end]" (go runtime boundsError).
  if (end < 0n) throw new EvalFailure(`runtime error: slice bounds out of range [:${end}]`, node, true);
  if (pos > end) throw new EvalFailure(`runtime error: slice bounds out of range [${pos}:${end}]`, node, true);
  return s.slice(Number(pos), Number(end));
}

// strings.Replace(s, old, new, n) (go@1.19 strings/strings.go): an empty `old` matches before every rune and at the end.
function goReplace(s: GoString, old: GoString, repl: GoString, n: number): GoString {
  if (old === repl || n === 0) return s;
  let m: number;
  if (old === '') m = runeCount(s) + 1;
  else {
    m = 0;
    for (let i = s.indexOf(old); i >= 0; i = s.indexOf(old, i + old.length)) m++;
  }
  if (m === 0) return s;
  if (n < 0 || m < n) n = m;
  let out = '';
  let start = 0;
  for (let i = 0; i < n; i++) {
    let j = start;
    if (old === '') {
      if (i > 0) j += decodeRunePacked(s, start) & 7;
    } else j = s.indexOf(old, start);
    out += s.slice(start, j) + repl;
    start = j + old.length;
  }
  return out + s.slice(start);
}

function runeCount(s: GoString): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) i += s.charCodeAt(i) < 0x80 ? 1 : decodeRunePacked(s, i) & 7;
  return n;
}

// envsubst@v1.5.0+v1.7.0 funcs.go reverse: []rune(s) (an invalid byte is one RuneError), reversed, string(runes).
function reverseRunes(s: GoString): GoString {
  const runes: GoString[] = [];
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      runes.push(s[i]);
      i++;
      continue;
    }
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    runes.push(encodeRune((p - w) / 8));
    i += w;
  }
  return runes.reverse().join('');
}

function trimShortestPrefix(s: GoString, args: GoString[]): GoString {
  return args.length !== 0 ? trimShortest(s, args[0]) : s;
}
function trimShortestSuffix(s: GoString, args: GoString[]): GoString {
  return args.length !== 0 ? reverseRunes(trimShortest(reverseRunes(s), reverseRunes(args[0]))) : s;
}
function trimLongestPrefix(s: GoString, args: GoString[]): GoString {
  return args.length !== 0 ? trimLongest(s, args[0]) : s;
}
function trimLongestSuffix(s: GoString, args: GoString[]): GoString {
  return args.length !== 0 ? reverseRunes(trimLongest(reverseRunes(s), reverseRunes(args[0]))) : s;
}

// envsubst@v1.5.0+v1.7.0 funcs.go trimShortest: tries the byte prefixes s[0:len-i] for i = 0..len-1 (never the empty prefix), keeps the
// last (shortest) match; a bad pattern returns s unchanged.
function trimShortest(s: GoString, arg: GoString): GoString {
  let shortest = '';
  for (let i = 0; i < s.length; i++) {
    const m = pathMatch(arg, s.slice(0, s.length - i));
    if (m === null) return s;
    if (m) shortest = s.slice(0, s.length - i);
  }
  return shortest !== '' ? s.slice(shortest.length) : s;
}

// envsubst@v1.5.0+v1.7.0 funcs.go trimLongest: the first (longest) matching byte prefix.
function trimLongest(s: GoString, arg: GoString): GoString {
  for (let i = 0; i < s.length; i++) {
    const m = pathMatch(arg, s.slice(0, s.length - i));
    if (m === null) return s;
    if (m) return s.slice(s.length - i);
  }
  return s;
}

// envsubst@v1.5.0+v1.7.0 path/match.go Match (Go's path.Match, forked): '*' matches any bytes INCLUDING '/', a trailing '*'
// matches the rest; '?' one rune; '[...]' classes with '^' negation, ranges and '\' escapes. Returns null for
// ErrBadPattern.
function pathMatch(pattern: GoString, name: GoString): boolean | null {
  outer: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern);
    pattern = rest;
    if (star && chunk === '') return true; // "Return rest of string" (the fork drops Go's '/' check)
    const r = matchChunk(chunk, name);
    if (r.ok && (r.rest.length === 0 || pattern.length > 0)) {
      name = r.rest;
      continue;
    }
    if (r.bad) return null;
    if (star) {
      for (let k = 0; k < name.length; k++) {
        const t = matchChunk(chunk, name.slice(k + 1));
        if (t.ok) {
          if (pattern.length === 0 && t.rest.length > 0) continue;
          name = t.rest;
          continue outer;
        }
        if (t.bad) return null;
      }
    }
    return false;
  }
  return name.length === 0;
}

// envsubst@v1.5.0+v1.7.0 path/match.go scanChunk: the leading stars, then the chunk up to the next star outside a class.
function scanChunk(pattern: GoString): { star: boolean; chunk: GoString; rest: GoString } {
  let star = false;
  while (pattern.length > 0 && pattern.charCodeAt(0) === 0x2a) {
    pattern = pattern.slice(1);
    star = true;
  }
  let inrange = false;
  let i = 0;
  scan: for (; i < pattern.length; i++) {
    switch (pattern.charCodeAt(i)) {
      case 0x5c:
        if (i + 1 < pattern.length) i++;
        break;
      case 0x5b:
        inrange = true;
        break;
      case 0x5d:
        inrange = false;
        break;
      case 0x2a:
        if (!inrange) break scan;
        break;
      default:
        break;
    }
  }
  return { star, chunk: pattern.slice(0, i), rest: pattern.slice(i) };
}

interface ChunkResult {
  readonly rest: GoString;
  readonly ok: boolean;
  readonly bad: boolean;
}
const NO_MATCH: ChunkResult = { rest: '', ok: false, bad: false };
const BAD: ChunkResult = { rest: '', ok: false, bad: true };

// envsubst@v1.5.0+v1.7.0 path/match.go matchChunk: an exhausted name stops the loop before the chunk is checked for errors.
function matchChunk(chunk: GoString, s: GoString): ChunkResult {
  while (chunk.length > 0) {
    if (s.length === 0) return NO_MATCH;
    const c0 = chunk.charCodeAt(0);
    if (c0 === 0x5b) {
      const p = decodeRunePacked(s, 0);
      const w = p & 7;
      const cls = matchClass(chunk.slice(1), (p - w) / 8);
      if (cls === BAD || cls === NO_MATCH) return cls;
      s = s.slice(w);
      chunk = cls.rest;
    } else if (c0 === 0x3f) {
      s = s.slice(decodeRunePacked(s, 0) & 7);
      chunk = chunk.slice(1);
    } else {
      if (c0 === 0x5c) {
        chunk = chunk.slice(1);
        if (chunk.length === 0) return BAD;
      }
      if (chunk.charCodeAt(0) !== s.charCodeAt(0)) return NO_MATCH;
      s = s.slice(1);
      chunk = chunk.slice(1);
    }
  }
  return { rest: s, ok: true, bad: false };
}

// matchChunk's case '[': the class after its '[' against rune r; ok with the chunk after the class's ']'.
function matchClass(chunk: GoString, r: number): ChunkResult {
  let notNegated = true;
  if (chunk.length > 0 && chunk.charCodeAt(0) === 0x5e) {
    notNegated = false;
    chunk = chunk.slice(1);
  }
  let match = false;
  let nrange = 0;
  for (;;) {
    if (chunk.length > 0 && chunk.charCodeAt(0) === 0x5d && nrange > 0) {
      chunk = chunk.slice(1);
      break;
    }
    const lo = getEsc(chunk);
    if (lo === null) return BAD;
    chunk = lo.rest;
    let hi = lo.r;
    if (chunk.charCodeAt(0) === 0x2d) {
      const h = getEsc(chunk.slice(1));
      if (h === null) return BAD;
      chunk = h.rest;
      hi = h.r;
    }
    if (lo.r <= r && r <= hi) match = true;
    nrange++;
  }
  return match !== notNegated ? NO_MATCH : { rest: chunk, ok: true, bad: false };
}

// envsubst@v1.5.0+v1.7.0 path/match.go getEsc.
function getEsc(chunk: GoString): { r: number; rest: GoString } | null {
  if (chunk.length === 0 || chunk.charCodeAt(0) === 0x2d || chunk.charCodeAt(0) === 0x5d) return null;
  if (chunk.charCodeAt(0) === 0x5c) {
    chunk = chunk.slice(1);
    if (chunk.length === 0) return null;
  }
  const p = decodeRunePacked(chunk, 0);
  const w = p & 7;
  const r = (p - w) / 8;
  if (r === RUNE_ERROR && w === 1) return null;
  const rest = chunk.slice(w);
  if (rest.length === 0) return null;
  return { r, rest };
}

// ------------------------------------------------------------------------------------------------
// Public API
// ------------------------------------------------------------------------------------------------

export interface SubstituteTextOptions {
  readonly generation: FluxGeneration;
  /** The StrictPostBuildSubstitutions feature gate (FLUX_GENERATIONS[generation].strictByDefault is its default). */
  readonly strict: boolean;
}

/** Where a parse error starts, for messages: the original text from its `${`, cut short. */
function snippet(text: GoString, start: number): string {
  let end = text.indexOf('}', start);
  const nl = text.indexOf('\n', start);
  if (end < 0 || (nl >= 0 && nl < end)) end = nl < 0 ? text.length : nl;
  else end += 1;
  const s = jsText(text.slice(start, Math.min(end, start + 80)));
  return end - start > 80 ? `${s}…` : s;
}

function parse(text: GoString): Node[] {
  try {
    return new Parser(text).parseAll();
  } catch (e) {
    if (e instanceof ParseFailure) {
      // envsubst.Eval returns the parse error; the controller wraps it as "variable substitution failed: %w".
      throw new ZotFluxError({ field: 'postBuild', value: snippet(text, e.start), reason: e.message });
    }
    throw e;
  }
}

/**
 * The substitution on Go strings, with vars already prepared by fluxVariables(): what envsubst.Eval returns for
 * the controller's mapper. Throws ZotFluxError for Flux's errors and Go panics.
 */
export function substituteGoString(text: GoString, vars: GoVars, opts: SubstituteTextOptions): GoString {
  const nodes = parse(text);
  const ctx: EvalContext = { vars, strict: opts.strict, strictScope: FLUX_GENERATIONS[opts.generation].strictScope };
  let out = '';
  try {
    for (const n of nodes) out += evalNode(n, ctx);
  } catch (e) {
    if (e instanceof EvalFailure) {
      const expression = jsText(text.slice(e.node.start, e.node.end));
      throw new ZotFluxError({
        field: expression,
        reason: e.panic ? `makes Flux panic (${e.message}); the reconciliation fails` : e.message,
      });
    }
    throw e;
  }
  return out;
}

/**
 * Flux's substitution of `input` with `vars` (names checked, "\n" removed from values), returning Go's exact
 * output bytes — also when they are not valid UTF-8.
 */
export function substituteTextBytes(
  input: string | Uint8Array,
  vars: Readonly<Record<string, string>>,
  opts: SubstituteTextOptions,
): Buffer {
  const text = typeof input === 'string' ? goString(input) : Buffer.from(input).toString('latin1');
  return goBytes(substituteGoString(text, fluxVariables(vars), opts));
}

/**
 * Flux's substitution of `input` with `vars` as a string. Refuses (ZotFluxError) when Go's output is not valid
 * UTF-8 — use substituteTextBytes() for those bytes.
 */
export function substituteText(
  input: string,
  vars: Readonly<Record<string, string>>,
  opts: SubstituteTextOptions,
): string {
  const out = substituteGoString(goString(input), fluxVariables(vars), opts);
  if (!validUtf8(out)) {
    throw new ZotFluxError({
      field: 'postBuild',
      reason:
        'substitution cuts a multi-byte character: Flux would produce bytes that are not valid UTF-8 (offsets and lengths in ${VAR:offset:length}, ${#VAR} and the # % patterns count bytes)',
    });
  }
  return Buffer.from(out, 'latin1').toString('utf8');
}

export interface VariableReference {
  /** The variable name as the parser reads it (letters, digits and '_' in any order). */
  readonly name: string;
  /** The whole expression, `${...}`, as written in the text. */
  readonly expression: string;
  /** Where the expression starts in `text` (a JS string index). */
  readonly offset: number;
}

/**
 * Every variable `text` uses, as Flux's parser sees it (outer expressions before the ones nested in them, in
 * text order); `$${...}` escapes are not references. Throws ZotFluxError where Flux fails to parse.
 */
export function variableReferences(text: string, generation: FluxGeneration): VariableReference[] {
  void FLUX_GENERATIONS[generation]; // both generations parse alike (parse/*.go identical at v1.5.0 and v1.7.0)
  const g = goString(text);
  const nodes = parse(g);
  const refs: VariableReference[] = [];
  const ascii = g === text;
  const toIndex = (byteOffset: number): number => (ascii ? byteOffset : jsText(g.slice(0, byteOffset)).length);
  const walk = (n: Node): void => {
    if ('text' in n) return;
    const offset = toIndex(n.start);
    refs.push({ name: jsText(n.param), expression: text.slice(offset, toIndex(n.end)), offset });
    for (const a of n.args) walk(a);
  };
  for (const n of nodes) walk(n);
  return refs;
}
