// YAML exactly as Flux's kustomize-controller writes and reads it, plus the few Go runtime rules
// (UTF-8, unicode classes, encoding/json strings, number formatting) that Flux's substitution relies on.
//
// Where this comes from (read at the versions the controllers link; every rule below cites its file):
//   - fluxcd/pkg kustomize/v1.24.0 and kustomize/v1.35.4 kustomize/kustomize_varsub.go: the object is written with
//     sigs.k8s.io/yaml, substituted as text, then read back with yaml.YAMLToJSON.
//   - kubernetes-sigs/yaml v1.6.0 yaml.go (both controllers pin it, go.mod of kustomize-controller v1.7.3/v1.9.4):
//     Marshal = encoding/json.Marshal then JSONToYAML (go-yaml v2 Unmarshal of the JSON text into interface{},
//     then go-yaml v2 Marshal); YAMLToJSON = go-yaml v2 Unmarshal + convertToJSONableObject + json.Marshal.
//   - yaml/go-yaml v2.4.2 (kustomize-controller v1.7.3 go.mod: go.yaml.in/yaml/v2 v2.4.2) and v2.4.4 (v1.9.4);
//     every non-test file is byte-identical between the two tags, so one implementation serves both Flux
//     generations: readerc.go, scannerc.go, parserc.go, decode.go, resolve.go, encode.go, emitterc.go, sorter.go.
//
// The code is written here (a TypeScript state machine following libyaml's structure where behaviour depends on
// it: lazy token fetching, simple-key bookkeeping, 512-byte reader chunks). Text is handled as "Go strings":
// JS strings whose char codes are bytes (0-255), so byte offsets, invalid UTF-8 and slicing match Go exactly.
//
// Public API: toFluxYaml(object) and fromFluxYaml(text) (errors are ZotFluxError); the Go-string helpers are
// exported for lib/flux/substitution.ts and lib/flux/substitute-object.ts.

import { ZotFluxError } from '../core/error';

// ------------------------------------------------------------------------------------------------
// Go strings and the Go runtime rules they follow
// ------------------------------------------------------------------------------------------------

/** A Go string: a JS string whose char codes are the bytes (0-255) of the Go value. */
export type GoString = string;

/** The UTF-8 bytes of a JS string as a Go string (lone surrogates become U+FFFD, as Go's encoding/json decodes them). */
export function goString(s: string): GoString {
  // ASCII fast path: the bytes are the chars.
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** The bytes of a Go string. */
export function goBytes(s: GoString): Buffer {
  return Buffer.from(s, 'latin1');
}

/** Go's unicode/utf8.RuneError. */
export const RUNE_ERROR = 0xfffd;

/**
 * utf8.DecodeRuneInString (go@1.19 unicode/utf8/utf8.go): the rune at byte i and its width; an invalid or
 * truncated sequence is (RuneError, 1), the end of the string is (RuneError, 0). The accepted second-byte ranges
 * exclude overlong forms, surrogates (ED A0..BF) and values above U+10FFFF (F4 90..).
 * Returns rune * 8 + width to avoid an allocation per call.
 */
export function decodeRunePacked(s: GoString, i: number): number {
  const n = s.length;
  if (i >= n) return RUNE_ERROR * 8;
  const b0 = s.charCodeAt(i);
  if (b0 < 0x80) return b0 * 8 + 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    if (b0 === 0xe0) lo = 0xa0;
    else if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f;
  } else return RUNE_ERROR * 8 + 1;
  if (i + need >= n) return RUNE_ERROR * 8 + 1;
  const b1 = s.charCodeAt(i + 1);
  if (b1 < lo || b1 > hi) return RUNE_ERROR * 8 + 1;
  if (need === 1) return (((b0 & 0x1f) << 6) | (b1 & 0x3f)) * 8 + 2;
  const b2 = s.charCodeAt(i + 2);
  if (b2 < 0x80 || b2 > 0xbf) return RUNE_ERROR * 8 + 1;
  if (need === 2) return (((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f)) * 8 + 3;
  const b3 = s.charCodeAt(i + 3);
  if (b3 < 0x80 || b3 > 0xbf) return RUNE_ERROR * 8 + 1;
  return (((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)) * 8 + 4;
}

/** utf8.EncodeRune / string(rune): invalid runes (surrogates, > U+10FFFF, negative) become U+FFFD. */
export function encodeRune(r: number): GoString {
  if (r >= 0 && r < 0x80) return String.fromCharCode(r);
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}

/** utf8.ValidString. */
export function validUtf8(s: GoString): boolean {
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    const p = decodeRunePacked(s, i);
    if ((p & 7) === 1) return false;
    i += p & 7;
  }
  return true;
}

/**
 * A Go string as a JS string the way encoding/json renders it (go@1.19 encoding/json/encode.go
 * encodeState.string): every byte that does not start a valid UTF-8 sequence becomes U+FFFD.
 */
export function jsString(s: GoString): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  if (validUtf8(s)) return Buffer.from(s, 'latin1').toString('utf8');
  let out = '';
  for (let i = 0; i < s.length;) {
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    out += w === 1 && p >> 3 === RUNE_ERROR ? '\ufffd' : String.fromCodePoint(p >> 3);
    i += w;
  }
  return out;
}

// Letter and digit classes come from the JS engine's Unicode tables (\p{L}, \p{Nd}). Go's own tables are those of
// the Go release the controller is built with (unicode/tables.go `Version`); characters assigned after that
// Unicode version are the one known divergence (none occurs in the conformance data).
const LETTER_RE = /^\p{L}$/u;
const DIGIT_RE = /^\p{Nd}$/u;
const letterCache = new Map<number, boolean>();
const digitCache = new Map<number, boolean>();

/** unicode.IsLetter (go@1.19 unicode/graphic.go): Latin-1 from the properties table, the rest category L. */
export function isGoLetter(r: number): boolean {
  if (r < 0x80) return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  let v = letterCache.get(r);
  if (v === undefined) {
    v = r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff) && LETTER_RE.test(String.fromCodePoint(r));
    letterCache.set(r, v);
  }
  return v;
}

/** unicode.IsDigit (go@1.19 unicode/digit.go): '0'..'9' in Latin-1, category Nd above. */
export function isGoDigit(r: number): boolean {
  if (r <= 0xff) return r >= 0x30 && r <= 0x39;
  let v = digitCache.get(r);
  if (v === undefined) {
    v = r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff) && DIGIT_RE.test(String.fromCodePoint(r));
    digitCache.set(r, v);
  }
  return v;
}

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

/** A failure inside the YAML library: `message` is go-yaml's text without the "yaml: " prefix. */
class YamlFailure {
  constructor(readonly message: string) {}
}

function failf(message: string): never {
  throw new YamlFailure(message);
}

// ------------------------------------------------------------------------------------------------
// Reader and scanner (go-yaml@v2.4.2+v2.4.4 readerc.go, scannerc.go, yamlprivateh.go)
// ------------------------------------------------------------------------------------------------

const enum T {
  // go-yaml@v2.4.2+v2.4.4 yamlh.go yaml_token_type_t
  NONE,
  STREAM_START,
  STREAM_END,
  VERSION_DIRECTIVE,
  TAG_DIRECTIVE,
  DOCUMENT_START,
  DOCUMENT_END,
  BLOCK_SEQUENCE_START,
  BLOCK_MAPPING_START,
  BLOCK_END,
  FLOW_SEQUENCE_START,
  FLOW_SEQUENCE_END,
  FLOW_MAPPING_START,
  FLOW_MAPPING_END,
  BLOCK_ENTRY,
  FLOW_ENTRY,
  KEY,
  VALUE,
  ALIAS,
  ANCHOR,
  TAG,
  SCALAR,
}

const enum Style {
  ANY,
  PLAIN,
  SINGLE,
  DOUBLE,
  LITERAL,
  FOLDED,
}

interface Mark {
  readonly index: number;
  readonly line: number;
  readonly column: number;
}

interface Token {
  readonly type: T;
  readonly start: Mark;
  readonly end: Mark;
  readonly value?: GoString; // scalar, anchor, alias, tag handle, tag directive handle
  readonly suffix?: GoString; // tag suffix
  readonly prefix?: GoString; // tag directive prefix
  readonly style?: Style;
  readonly major?: number;
  readonly minor?: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const enum ErrKind {
  NONE,
  READER,
  SCANNER,
  PARSER,
}

// go-yaml@v2.4.2+v2.4.4 yamlprivateh.go is_alpha: [0-9A-Za-z_-] (ASCII only).
function isAlphaByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}
function isHexByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
function hexValue(c: number): number {
  return c >= 0x61 ? c - 0x61 + 10 : c >= 0x41 ? c - 0x41 + 10 : c - 0x30;
}
// go-yaml@v2.4.2+v2.4.4 yamlprivateh.go width: the UTF-8 sequence length from the leading byte (0 for a continuation byte).
function widthOf(c: number): number {
  return (c & 0x80) === 0 ? 1 : (c & 0xe0) === 0xc0 ? 2 : (c & 0xf0) === 0xe0 ? 3 : (c & 0xf8) === 0xf0 ? 4 : 0;
}

/**
 * libyaml's scanner and parser over a Go string. Errors are thrown as YamlFailure with go-yaml's message
 * (go-yaml@v2.4.2+v2.4.4 decode.go parser.fail: "line N: problem", the line rule included).
 */
class YamlParser {
  private readonly buf: GoString; // input + NUL padding
  private readonly inputLen: number;
  // reader state (go-yaml@v2.4.2+v2.4.4 readerc.go yaml_parser_update_buffer / update_raw_buffer)
  private rawEnd = 0;
  private decodedEnd = 0;
  private eof = false;
  private unread = 0;
  private encodingKnown = false;
  private bufBase = 0; // input offset of parser.buffer[0] (is_bom looks there, whatever the position)
  // scanner state
  private pos = 0;
  private mIndex = 0;
  private mLine = 0;
  private mColumn = 0;
  private streamStartProduced = false;
  private streamEndProduced = false;
  private flowLevel = 0;
  private tokens: Token[] = [];
  private tokensHead = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private indent = -1;
  private indents: number[] = [];
  private simpleKeyAllowed = false;
  private simpleKeys: SimpleKey[] = [];
  private simpleKeysByTok = new Map<number, number>();
  // parser state (go-yaml@v2.4.2+v2.4.4 parserc.go)
  private state: PState = PState.STREAM_START;
  private states: PState[] = [];
  private marks: Mark[] = [];
  private tagDirectives: Array<{ handle: GoString; prefix: GoString }> = [];
  // error state
  private errKind = ErrKind.NONE;

  constructor(input: GoString) {
    this.inputLen = input.length;
    this.buf = input + '\0\0\0\0\0\0\0\0';
  }

  private b(i: number): number {
    return this.buf.charCodeAt(i);
  }

  private mark(): Mark {
    return { index: this.mIndex, line: this.mLine, column: this.mColumn };
  }

  // ---- errors (go-yaml@v2.4.2+v2.4.4 decode.go parser.fail: the line shown) ----

  private readerError(problem: string): never {
    this.errKind = ErrKind.READER;
    // go-yaml@v2.4.2+v2.4.4 readerc.go sets problem_offset, not a mark: parser.fail prints no line.
    return failf(problem);
  }

  private scannerError(_context: string, contextMark: Mark, problem: string): never {
    this.errKind = ErrKind.SCANNER;
    return this.failAt(this.mark(), contextMark, problem);
  }

  private parserError(problem: string, problemMark: Mark, contextMark?: Mark): never {
    this.errKind = ErrKind.PARSER;
    return this.failAt(problemMark, contextMark, problem);
  }

  private failAt(problemMark: Mark, contextMark: Mark | undefined, problem: string): never {
    let line = 0;
    if (problemMark.line !== 0) {
      line = problemMark.line;
      if (this.errKind === ErrKind.SCANNER) line++; // "Scanner errors don't iterate line before returning error"
    } else if (contextMark && contextMark.line !== 0) line = contextMark.line;
    return failf(line !== 0 ? `line ${line}: ${problem}` : problem);
  }

  // ---- reader (go-yaml@v2.4.2+v2.4.4 readerc.go) ----

  private cache(length: number): void {
    if (this.unread < length) this.updateBuffer(length);
  }

  private updateRaw(): void {
    if (this.eof) return;
    // go-yaml@v2.4.2+v2.4.4 apic.go yaml_string_read_handler: io.EOF only once everything was handed out.
    if (this.rawEnd === this.inputLen) {
      this.eof = true;
      return;
    }
    // the raw buffer holds input_raw_buffer_size = 512 bytes, undecoded bytes included (go-yaml@v2.4.2+v2.4.4 yamlprivateh.go)
    this.rawEnd = Math.min(this.inputLen, this.rawEnd + 512 - (this.rawEnd - this.decodedEnd));
  }

  private updateBuffer(length: number): void {
    if (this.unread >= length) return;
    if (!this.encodingKnown) {
      // go-yaml@v2.4.2+v2.4.4 readerc.go yaml_parser_determine_encoding: wait for 3 raw bytes, skip a UTF-8 BOM. (A UTF-16 BOM cannot
      // start a text that came out of the UTF-8 emitter and envsubst: bytes FE/FF never occur in UTF-8.)
      while (!this.eof && this.rawEnd - this.decodedEnd < 3) this.updateRaw();
      if (this.inputLen >= 3 && this.b(0) === 0xef && this.b(1) === 0xbb && this.b(2) === 0xbf) {
        this.decodedEnd = 3;
        this.pos = 3;
      }
      this.encodingKnown = true;
    }
    this.bufBase = this.pos; // the unread characters move to the start of parser.buffer
    let first = true;
    while (this.unread < length) {
      if (!first || this.decodedEnd === this.rawEnd) this.updateRaw();
      first = false;
      this.decodeRaw();
      if (this.eof) {
        this.unread++; // "On EOF, put NUL into the buffer and return."
        break;
      }
    }
  }

  // go-yaml@v2.4.2+v2.4.4 readerc.go: decode every complete character of the raw buffer, checking UTF-8 and the printable set.
  private decodeRaw(): void {
    const s = this.buf;
    while (this.decodedEnd < this.rawEnd) {
      const i = this.decodedEnd;
      const octet = s.charCodeAt(i);
      const w = widthOf(octet);
      if (w === 0) this.readerError('invalid leading UTF-8 octet');
      if (w > this.rawEnd - i) {
        if (this.eof) this.readerError('incomplete UTF-8 octet sequence');
        break;
      }
      let value = w === 1 ? octet & 0x7f : w === 2 ? octet & 0x1f : w === 3 ? octet & 0x0f : octet & 0x07;
      for (let k = 1; k < w; k++) {
        const o = s.charCodeAt(i + k);
        if ((o & 0xc0) !== 0x80) this.readerError('invalid trailing UTF-8 octet');
        value = (value << 6) + (o & 0x3f);
      }
      if (!(w === 1 || (w === 2 && value >= 0x80) || (w === 3 && value >= 0x800) || (w === 4 && value >= 0x10000))) {
        this.readerError('invalid length of a UTF-8 sequence');
      }
      if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) this.readerError('invalid Unicode character');
      // #x9 | #xA | #xD | [#x20-#x7E] | #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
      if (!(
        value === 0x09 ||
        value === 0x0a ||
        value === 0x0d ||
        (value >= 0x20 && value <= 0x7e) ||
        value === 0x85 ||
        (value >= 0xa0 && value <= 0xd7ff) ||
        (value >= 0xe000 && value <= 0xfffd) ||
        (value >= 0x10000 && value <= 0x10ffff)
      )) {
        this.readerError('control characters are not allowed');
      }
      this.decodedEnd += w;
      this.unread++;
    }
  }

  // ---- character classes at the buffer position (go-yaml@v2.4.2+v2.4.4 yamlprivateh.go) ----

  private isBreakAt(i: number): boolean {
    const c = this.b(i);
    return (
      c === 0x0d ||
      c === 0x0a ||
      (c === 0xc2 && this.b(i + 1) === 0x85) ||
      (c === 0xe2 && this.b(i + 1) === 0x80 && (this.b(i + 2) === 0xa8 || this.b(i + 2) === 0xa9))
    );
  }
  private isBreakzAt(i: number): boolean {
    return this.b(i) === 0 || this.isBreakAt(i);
  }
  private isBlankAt(i: number): boolean {
    const c = this.b(i);
    return c === 0x20 || c === 0x09;
  }
  private isBlankzAt(i: number): boolean {
    const c = this.b(i);
    return c === 0x20 || c === 0x09 || c === 0 || this.isBreakAt(i);
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go skip / skip_line / read / read_line
  private skip(): void {
    this.mIndex++;
    this.mColumn++;
    this.unread--;
    this.pos += widthOf(this.b(this.pos));
  }

  private skipLine(): void {
    if (this.b(this.pos) === 0x0d && this.b(this.pos + 1) === 0x0a) {
      this.mIndex += 2;
      this.mColumn = 0;
      this.mLine++;
      this.unread -= 2;
      this.pos += 2;
    } else if (this.isBreakAt(this.pos)) {
      this.mIndex++;
      this.mColumn = 0;
      this.mLine++;
      this.unread--;
      this.pos += widthOf(this.b(this.pos));
    }
  }

  private readChar(): GoString {
    const w = widthOf(this.b(this.pos));
    const s = this.buf.slice(this.pos, this.pos + w);
    this.pos += w;
    this.mIndex++;
    this.mColumn++;
    this.unread--;
    return s;
  }

  private readLine(): GoString {
    const c = this.b(this.pos);
    let s: GoString;
    if (c === 0x0d && this.b(this.pos + 1) === 0x0a) {
      s = '\n';
      this.pos += 2;
      this.mIndex++;
      this.unread--;
    } else if (c === 0x0d || c === 0x0a) {
      s = '\n';
      this.pos += 1;
    } else if (c === 0xc2 && this.b(this.pos + 1) === 0x85) {
      s = '\n';
      this.pos += 2;
    } else if (
      c === 0xe2 &&
      this.b(this.pos + 1) === 0x80 &&
      (this.b(this.pos + 2) === 0xa8 || this.b(this.pos + 2) === 0xa9)
    ) {
      s = this.buf.slice(this.pos, this.pos + 3);
      this.pos += 3;
    } else return '';
    this.mIndex++;
    this.mColumn = 0;
    this.mLine++;
    this.unread--;
    return s;
  }

  // ---- token queue (go-yaml@v2.4.2+v2.4.4 apic.go yaml_insert_token) ----

  private insertToken(pos: number, token: Token): void {
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.tokensHead + pos, 0, token);
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_fetch_more_tokens
  private fetchMoreTokens(): void {
    for (;;) {
      if (this.tokensHead !== this.tokens.length) {
        const idx = this.simpleKeysByTok.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_fetch_next_token
  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.mColumn);
    this.cache(4);
    const p = this.pos;
    const c = this.b(p);
    if (c === 0) return this.fetchStreamEnd();
    if (this.mColumn === 0 && c === 0x25) return this.fetchDirective();
    if (
      this.mColumn === 0 &&
      c === 0x2d &&
      this.b(p + 1) === 0x2d &&
      this.b(p + 2) === 0x2d &&
      this.isBlankzAt(p + 3)
    ) {
      return this.fetchDocumentIndicator(T.DOCUMENT_START);
    }
    if (
      this.mColumn === 0 &&
      c === 0x2e &&
      this.b(p + 1) === 0x2e &&
      this.b(p + 2) === 0x2e &&
      this.isBlankzAt(p + 3)
    ) {
      return this.fetchDocumentIndicator(T.DOCUMENT_END);
    }
    if (c === 0x5b) return this.fetchFlowCollectionStart(T.FLOW_SEQUENCE_START);
    if (c === 0x7b) return this.fetchFlowCollectionStart(T.FLOW_MAPPING_START);
    if (c === 0x5d) return this.fetchFlowCollectionEnd(T.FLOW_SEQUENCE_END);
    if (c === 0x7d) return this.fetchFlowCollectionEnd(T.FLOW_MAPPING_END);
    if (c === 0x2c) return this.fetchFlowEntry();
    if (c === 0x2d && this.isBlankzAt(p + 1)) return this.fetchBlockEntry();
    if (c === 0x3f && (this.flowLevel > 0 || this.isBlankzAt(p + 1))) return this.fetchKey();
    if (c === 0x3a && (this.flowLevel > 0 || this.isBlankzAt(p + 1))) return this.fetchValue();
    if (c === 0x2a) return this.fetchAnchor(T.ALIAS);
    if (c === 0x26) return this.fetchAnchor(T.ANCHOR);
    if (c === 0x21) return this.fetchTag();
    if (c === 0x7c && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 0x3e && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 0x27) return this.fetchFlowScalar(true);
    if (c === 0x22) return this.fetchFlowScalar(false);
    // A plain scalar may start with any non-blank character except the indicators; '-' too when not followed by a
    // blank, and '?' ':' in the block context when not followed by a blank or NUL.
    if (
      !(
        this.isBlankzAt(p) ||
        c === 0x2d ||
        c === 0x3f ||
        c === 0x3a ||
        c === 0x2c ||
        c === 0x5b ||
        c === 0x5d ||
        c === 0x7b ||
        c === 0x7d ||
        c === 0x23 ||
        c === 0x26 ||
        c === 0x2a ||
        c === 0x21 ||
        c === 0x7c ||
        c === 0x3e ||
        c === 0x27 ||
        c === 0x22 ||
        c === 0x25 ||
        c === 0x40 ||
        c === 0x60
      ) ||
      (c === 0x2d && !this.isBlankAt(p + 1)) ||
      (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !this.isBlankzAt(p + 1))
    ) {
      return this.fetchPlainScalar();
    }
    this.scannerError('while scanning for the next token', this.mark(), 'found character that cannot start any token');
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_simple_key_is_valid: a simple key must end on its line within 1024 characters.
  private simpleKeyIsValid(sk: SimpleKey): boolean {
    if (!sk.possible) return false;
    if (sk.mark.line < this.mLine || sk.mark.index + 1024 < this.mIndex) {
      if (sk.required) this.scannerError('while scanning a simple key', sk.mark, "could not find expected ':'");
      sk.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mColumn;
    if (this.simpleKeyAllowed) {
      const sk: SimpleKey = {
        possible: true,
        required,
        tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead),
        mark: this.mark(),
      };
      this.removeSimpleKey();
      this.simpleKeys[this.simpleKeys.length - 1] = sk;
      this.simpleKeysByTok.set(sk.tokenNumber, this.simpleKeys.length - 1);
    }
  }

  private removeSimpleKey(): void {
    const i = this.simpleKeys.length - 1;
    const sk = this.simpleKeys[i];
    if (sk.possible) {
      if (sk.required) this.scannerError('while scanning a simple key', sk.mark, "could not find expected ':'");
      sk.possible = false;
      this.simpleKeysByTok.delete(sk.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead),
      mark: this.mark(),
    });
    this.flowLevel++;
    if (this.flowLevel > 10000) {
      this.scannerError(
        'while increasing flow level',
        this.simpleKeys[this.simpleKeys.length - 1].mark,
        'exceeded max depth of 10000',
      );
    }
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.length - 1;
      this.simpleKeysByTok.delete(this.simpleKeys[last].tokenNumber);
      this.simpleKeys.pop();
    }
  }

  private rollIndent(column: number, number: number, type: T, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > 10000) {
        this.scannerError(
          'while increasing indent level',
          this.simpleKeys[this.simpleKeys.length - 1].mark,
          'exceeded max depth of 10000',
        );
      }
      if (number > -1) number -= this.tokensParsed;
      this.insertToken(number, { type, start: mark, end: mark });
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      const m = this.mark();
      this.insertToken(-1, { type: T.BLOCK_END, start: m, end: m });
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
    this.simpleKeysByTok = new Map();
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    const m = this.mark();
    this.insertToken(-1, { type: T.STREAM_START, start: m, end: m });
  }

  private fetchStreamEnd(): void {
    if (this.mColumn !== 0) {
      this.mColumn = 0;
      this.mLine++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const m = this.mark();
    this.insertToken(-1, { type: T.STREAM_END, start: m, end: m });
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: T): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  private fetchFlowCollectionStart(type: T): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  private fetchFlowCollectionEnd(type: T): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type: T.FLOW_ENTRY, start, end: this.mark() });
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed)
        this.scannerError('', this.mark(), 'block sequence entries are not allowed in this context');
      this.rollIndent(this.mColumn, -1, T.BLOCK_SEQUENCE_START, this.mark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type: T.BLOCK_ENTRY, start, end: this.mark() });
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scannerError('', this.mark(), 'mapping keys are not allowed in this context');
      this.rollIndent(this.mColumn, -1, T.BLOCK_MAPPING_START, this.mark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type: T.KEY, start, end: this.mark() });
  }

  private fetchValue(): void {
    const sk = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(sk)) {
      this.insertToken(sk.tokenNumber - this.tokensParsed, { type: T.KEY, start: sk.mark, end: sk.mark });
      this.rollIndent(sk.mark.column, sk.tokenNumber, T.BLOCK_MAPPING_START, sk.mark);
      sk.possible = false;
      this.simpleKeysByTok.delete(sk.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed)
          this.scannerError('', this.mark(), 'mapping values are not allowed in this context');
        this.rollIndent(this.mColumn, -1, T.BLOCK_MAPPING_START, this.mark());
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type: T.VALUE, start, end: this.mark() });
  }

  private fetchAnchor(type: T): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_to_next_token: spaces (tabs only in flow context or where no simple key is
  // allowed), comments, line breaks; a BOM (as is_bom sees it: at the start of parser.buffer) at column 0.
  private scanToNextToken(): void {
    for (;;) {
      this.cache(1);
      if (
        this.mColumn === 0 &&
        this.b(this.bufBase) === 0xef &&
        this.b(this.bufBase + 1) === 0xbb &&
        this.b(this.bufBase + 2) === 0xbf &&
        this.bufBase + 3 <= this.decodedEnd
      ) {
        this.skip();
      }
      this.cache(1);
      while (
        this.b(this.pos) === 0x20 ||
        ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.b(this.pos) === 0x09)
      ) {
        this.skip();
        this.cache(1);
      }
      if (this.b(this.pos) === 0x23) {
        while (!this.isBreakzAt(this.pos)) {
          this.skip();
          this.cache(1);
        }
      }
      if (this.isBreakAt(this.pos)) {
        this.cache(2);
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else break;
    }
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_directive (+ name, version and tag directive values)
  private scanDirective(): Token {
    const start = this.mark();
    this.skip();
    this.cache(1);
    let name = '';
    while (isAlphaByte(this.b(this.pos))) {
      name += this.readChar();
      this.cache(1);
    }
    if (name === '') this.scannerError('while scanning a directive', start, 'could not find expected directive name');
    if (!this.isBlankzAt(this.pos))
      this.scannerError('while scanning a directive', start, 'found unexpected non-alphabetical character');
    let token: Token;
    if (name === 'YAML') {
      this.cache(1);
      while (this.isBlankAt(this.pos)) {
        this.skip();
        this.cache(1);
      }
      const major = this.scanVersionNumber(start);
      if (this.b(this.pos) !== 0x2e)
        this.scannerError('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionNumber(start);
      token = { type: T.VERSION_DIRECTIVE, start, end: this.mark(), major, minor };
    } else if (name === 'TAG') {
      this.cache(1);
      while (this.isBlankAt(this.pos)) {
        this.skip();
        this.cache(1);
      }
      const handle = this.scanTagHandle(true, start);
      this.cache(1);
      if (!this.isBlankAt(this.pos))
        this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace');
      while (this.isBlankAt(this.pos)) {
        this.skip();
        this.cache(1);
      }
      const prefix = this.scanTagUri(true, '', start);
      this.cache(1);
      if (!this.isBlankzAt(this.pos))
        this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
      token = { type: T.TAG_DIRECTIVE, start, end: this.mark(), value: handle, prefix };
    } else {
      return this.scannerError('while scanning a directive', start, 'found unknown directive name');
    }
    this.cache(1);
    while (this.isBlankAt(this.pos)) {
      this.skip();
      this.cache(1);
    }
    if (this.b(this.pos) === 0x23) {
      while (!this.isBreakzAt(this.pos)) {
        this.skip();
        this.cache(1);
      }
    }
    if (!this.isBreakzAt(this.pos))
      this.scannerError('while scanning a directive', start, 'did not find expected comment or line break');
    if (this.isBreakAt(this.pos)) {
      this.cache(2);
      this.skipLine();
    }
    return token;
  }

  private scanVersionNumber(start: Mark): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (this.b(this.pos) >= 0x30 && this.b(this.pos) <= 0x39) {
      length++;
      if (length > 2)
        this.scannerError('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + (this.b(this.pos) - 0x30);
      this.skip();
      this.cache(1);
    }
    if (length === 0)
      this.scannerError('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_anchor: [0-9A-Za-z_-]+ followed by a blank or one of ? : , ] } % @ `
  private scanAnchor(type: T): Token {
    const start = this.mark();
    this.skip();
    this.cache(1);
    let s = '';
    while (isAlphaByte(this.b(this.pos))) {
      s += this.readChar();
      this.cache(1);
    }
    const end = this.mark();
    const c = this.b(this.pos);
    if (
      s === '' ||
      !(
        this.isBlankzAt(this.pos) ||
        c === 0x3f ||
        c === 0x3a ||
        c === 0x2c ||
        c === 0x5d ||
        c === 0x7d ||
        c === 0x25 ||
        c === 0x40 ||
        c === 0x60
      )
    ) {
      this.scannerError(
        type === T.ANCHOR ? 'while scanning an anchor' : 'while scanning an alias',
        start,
        'did not find expected alphabetic or numeric character',
      );
    }
    return { type, start, end, value: s };
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_tag
  private scanTag(): Token {
    const start = this.mark();
    this.cache(2);
    let handle: GoString;
    let suffix: GoString;
    if (this.b(this.pos + 1) === 0x3c) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (this.b(this.pos) !== 0x3e) this.scannerError('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.charCodeAt(0) === 0x21 && handle.length > 1 && handle.charCodeAt(handle.length - 1) === 0x21) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix.length === 0) {
          suffix = handle;
          handle = '';
        }
      }
    }
    this.cache(1);
    if (!this.isBlankzAt(this.pos))
      this.scannerError('while scanning a tag', start, 'did not find expected whitespace or line break');
    return { type: T.TAG, start, end: this.mark(), value: handle, suffix };
  }

  private scanTagHandle(directive: boolean, start: Mark): GoString {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    this.cache(1);
    if (this.b(this.pos) !== 0x21) this.scannerError(context, start, "did not find expected '!'");
    let s = this.readChar();
    this.cache(1);
    while (isAlphaByte(this.b(this.pos))) {
      s += this.readChar();
      this.cache(1);
    }
    if (this.b(this.pos) === 0x21) s += this.readChar();
    else if (directive && s !== '!') this.scannerError(context, start, "did not find expected '!'");
    return s;
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_tag_uri: URI characters and %-escapes; `head` (a handle that was not one) is
  // copied without its leading '!'.
  private scanTagUri(directive: boolean, head: GoString, start: Mark): GoString {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    this.cache(1);
    for (;;) {
      const c = this.b(this.pos);
      if (!(
        isAlphaByte(c) ||
        c === 0x3b ||
        c === 0x2f ||
        c === 0x3f ||
        c === 0x3a ||
        c === 0x40 ||
        c === 0x26 ||
        c === 0x3d ||
        c === 0x2b ||
        c === 0x24 ||
        c === 0x2c ||
        c === 0x2e ||
        c === 0x21 ||
        c === 0x7e ||
        c === 0x2a ||
        c === 0x27 ||
        c === 0x28 ||
        c === 0x29 ||
        c === 0x5b ||
        c === 0x5d ||
        c === 0x25
      ))
        break;
      if (c === 0x25) s += this.scanUriEscapes(context, start);
      else s += this.readChar();
      this.cache(1);
      hasTag = true;
    }
    if (!hasTag) this.scannerError(context, start, 'did not find expected tag URI');
    return s;
  }

  private scanUriEscapes(context: string, start: Mark): GoString {
    let s = '';
    let w = 1024;
    while (w > 0) {
      this.cache(3);
      if (!(this.b(this.pos) === 0x25 && isHexByte(this.b(this.pos + 1)) && isHexByte(this.b(this.pos + 2)))) {
        this.scannerError(context, start, 'did not find URI escaped octet');
      }
      const octet = (hexValue(this.b(this.pos + 1)) << 4) + hexValue(this.b(this.pos + 2));
      if (w === 1024) {
        w = widthOf(octet);
        if (w === 0) this.scannerError(context, start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) this.scannerError(context, start, 'found an incorrect trailing UTF-8 octet');
      s += String.fromCharCode(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return s;
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_block_scalar
  private scanBlockScalar(literal: boolean): Token {
    const start = this.mark();
    this.skip();
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    if (this.b(this.pos) === 0x2b || this.b(this.pos) === 0x2d) {
      chomping = this.b(this.pos) === 0x2b ? 1 : -1;
      this.skip();
      this.cache(1);
      if (this.b(this.pos) >= 0x30 && this.b(this.pos) <= 0x39) {
        if (this.b(this.pos) === 0x30)
          this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
        increment = this.b(this.pos) - 0x30;
        this.skip();
      }
    } else if (this.b(this.pos) >= 0x30 && this.b(this.pos) <= 0x39) {
      if (this.b(this.pos) === 0x30)
        this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
      increment = this.b(this.pos) - 0x30;
      this.skip();
      this.cache(1);
      if (this.b(this.pos) === 0x2b || this.b(this.pos) === 0x2d) {
        chomping = this.b(this.pos) === 0x2b ? 1 : -1;
        this.skip();
      }
    }
    this.cache(1);
    while (this.isBlankAt(this.pos)) {
      this.skip();
      this.cache(1);
    }
    if (this.b(this.pos) === 0x23) {
      while (!this.isBreakzAt(this.pos)) {
        this.skip();
        this.cache(1);
      }
    }
    if (!this.isBreakzAt(this.pos))
      this.scannerError('while scanning a block scalar', start, 'did not find expected comment or line break');
    if (this.isBreakAt(this.pos)) {
      this.cache(2);
      this.skipLine();
    }
    let endMark = this.mark();
    let indent = 0;
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment;
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    const breaks = (): void => {
      // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_block_scalar_breaks
      endMark = this.mark();
      let maxIndent = 0;
      for (;;) {
        this.cache(1);
        while ((indent === 0 || this.mColumn < indent) && this.b(this.pos) === 0x20) {
          this.skip();
          this.cache(1);
        }
        if (this.mColumn > maxIndent) maxIndent = this.mColumn;
        if ((indent === 0 || this.mColumn < indent) && this.b(this.pos) === 0x09) {
          this.scannerError(
            'while scanning a block scalar',
            start,
            'found a tab character where an indentation space is expected',
          );
        }
        if (!this.isBreakAt(this.pos)) break;
        this.cache(2);
        trailingBreaks += this.readLine();
        endMark = this.mark();
      }
      if (indent === 0) {
        indent = maxIndent;
        if (indent < this.indent + 1) indent = this.indent + 1;
        if (indent < 1) indent = 1;
      }
    };
    breaks();
    this.cache(1);
    let leadingBlank = false;
    let trailingBlank = false;
    while (this.mColumn === indent && this.b(this.pos) !== 0) {
      trailingBlank = this.isBlankAt(this.pos);
      if (
        !literal &&
        !leadingBlank &&
        !trailingBlank &&
        leadingBreak.length > 0 &&
        leadingBreak.charCodeAt(0) === 0x0a
      ) {
        if (trailingBreaks.length === 0) s += ' ';
      } else s += leadingBreak;
      leadingBreak = '';
      s += trailingBreaks;
      trailingBreaks = '';
      leadingBlank = this.isBlankAt(this.pos);
      while (!this.isBreakzAt(this.pos)) {
        s += this.readChar();
        this.cache(1);
      }
      this.cache(2);
      leadingBreak = this.readLine();
      breaks();
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += trailingBreaks;
    return { type: T.SCALAR, start, end: endMark, value: s, style: literal ? Style.LITERAL : Style.FOLDED };
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_flow_scalar (single- and double-quoted)
  private scanFlowScalar(single: boolean): Token {
    const start = this.mark();
    this.skip();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    for (;;) {
      this.cache(4);
      const p = this.pos;
      if (
        this.mColumn === 0 &&
        ((this.b(p) === 0x2d && this.b(p + 1) === 0x2d && this.b(p + 2) === 0x2d) ||
          (this.b(p) === 0x2e && this.b(p + 1) === 0x2e && this.b(p + 2) === 0x2e)) &&
        this.isBlankzAt(p + 3)
      ) {
        this.scannerError('while scanning a quoted scalar', start, 'found unexpected document indicator');
      }
      if (this.b(this.pos) === 0)
        this.scannerError('while scanning a quoted scalar', start, 'found unexpected end of stream');
      let leadingBlanks = false;
      while (!this.isBlankzAt(this.pos)) {
        const c = this.b(this.pos);
        if (single && c === 0x27 && this.b(this.pos + 1) === 0x27) {
          s += "'";
          this.skip();
          this.skip();
        } else if (single && c === 0x27) break;
        else if (!single && c === 0x22) break;
        else if (!single && c === 0x5c && this.isBreakAt(this.pos + 1)) {
          this.cache(3);
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 0x5c) {
          let codeLength = 0;
          switch (this.b(this.pos + 1)) {
            case 0x30:
              s += '\x00';
              break;
            case 0x61:
              s += '\x07';
              break;
            case 0x62:
              s += '\x08';
              break;
            case 0x74:
            case 0x09:
              s += '\x09';
              break;
            case 0x6e:
              s += '\x0a';
              break;
            case 0x76:
              s += '\x0b';
              break;
            case 0x66:
              s += '\x0c';
              break;
            case 0x72:
              s += '\x0d';
              break;
            case 0x65:
              s += '\x1b';
              break;
            case 0x20:
              s += ' ';
              break;
            case 0x22:
              s += '"';
              break;
            case 0x27:
              s += "'";
              break;
            case 0x5c:
              s += '\\';
              break;
            case 0x4e:
              s += '\xc2\x85';
              break; // NEL
            case 0x5f:
              s += '\xc2\xa0';
              break; // NBSP
            case 0x4c:
              s += '\xe2\x80\xa8';
              break; // LS
            case 0x50:
              s += '\xe2\x80\xa9';
              break; // PS
            case 0x78:
              codeLength = 2;
              break;
            case 0x75:
              codeLength = 4;
              break;
            case 0x55:
              codeLength = 8;
              break;
            default:
              this.scannerError('while parsing a quoted scalar', start, 'found unknown escape character');
          }
          this.skip();
          this.skip();
          if (codeLength > 0) {
            this.cache(codeLength);
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!isHexByte(this.b(this.pos + k)))
                this.scannerError('while parsing a quoted scalar', start, 'did not find expected hexdecimal number');
              value = value * 16 + hexValue(this.b(this.pos + k));
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
              this.scannerError('while parsing a quoted scalar', start, 'found invalid Unicode character escape code');
            }
            s += encodeRune(value);
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else s += this.readChar();
        this.cache(2);
      }
      this.cache(1);
      if (this.b(this.pos) === (single ? 0x27 : 0x22)) break;
      while (this.isBlankAt(this.pos) || this.isBreakAt(this.pos)) {
        if (this.isBlankAt(this.pos)) {
          if (!leadingBlanks) whitespaces += this.readChar();
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak += this.readLine();
            leadingBlanks = true;
          } else trailingBreaks += this.readLine();
        }
        this.cache(1);
      }
      if (leadingBlanks) {
        if (leadingBreak.length > 0 && leadingBreak.charCodeAt(0) === 0x0a) {
          s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
        } else s += leadingBreak + trailingBreaks;
        trailingBreaks = '';
        leadingBreak = '';
      } else {
        s += whitespaces;
        whitespaces = '';
      }
    }
    this.skip();
    return { type: T.SCALAR, start, end: this.mark(), value: s, style: single ? Style.SINGLE : Style.DOUBLE };
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_plain_scalar
  private scanPlainScalar(): Token {
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.mark();
    let end = this.mark();
    for (;;) {
      this.cache(4);
      const p = this.pos;
      if (
        this.mColumn === 0 &&
        ((this.b(p) === 0x2d && this.b(p + 1) === 0x2d && this.b(p + 2) === 0x2d) ||
          (this.b(p) === 0x2e && this.b(p + 1) === 0x2e && this.b(p + 2) === 0x2e)) &&
        this.isBlankzAt(p + 3)
      )
        break;
      if (this.b(this.pos) === 0x23) break;
      while (!this.isBlankzAt(this.pos)) {
        const c = this.b(this.pos);
        if (
          (c === 0x3a && this.isBlankzAt(this.pos + 1)) ||
          (this.flowLevel > 0 && (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d))
        )
          break;
        if (leadingBlanks || whitespaces.length > 0) {
          if (leadingBlanks) {
            if (leadingBreak.charCodeAt(0) === 0x0a) s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
            else s += leadingBreak + trailingBreaks;
            trailingBreaks = '';
            leadingBreak = '';
            leadingBlanks = false;
          } else {
            s += whitespaces;
            whitespaces = '';
          }
        }
        s += this.readChar();
        end = this.mark();
        this.cache(2);
      }
      if (!(this.isBlankAt(this.pos) || this.isBreakAt(this.pos))) break;
      this.cache(1);
      while (this.isBlankAt(this.pos) || this.isBreakAt(this.pos)) {
        if (this.isBlankAt(this.pos)) {
          if (leadingBlanks && this.mColumn < indent && this.b(this.pos) === 0x09) {
            this.scannerError(
              'while scanning a plain scalar',
              start,
              'found a tab character that violates indentation',
            );
          }
          if (!leadingBlanks) whitespaces += this.readChar();
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak += this.readLine();
            leadingBlanks = true;
          } else trailingBreaks += this.readLine();
        }
        this.cache(1);
      }
      if (this.flowLevel === 0 && this.mColumn < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return { type: T.SCALAR, start, end, value: s, style: Style.PLAIN };
  }

  // ---- parser (go-yaml@v2.4.2+v2.4.4 parserc.go) ----

  private peekToken(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.tokensHead];
  }

  private skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.tokensHead].type === T.STREAM_END;
    this.tokensHead++;
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  /** go-yaml@v2.4.2+v2.4.4 parserc.go yaml_parser_parse: the next event. */
  nextEvent(): YEvent {
    if (this.streamEndProduced || this.state === PState.END) return { type: E.NONE, start: this.mark() };
    switch (this.state) {
      case PState.STREAM_START:
        return this.parseStreamStart();
      case PState.IMPLICIT_DOCUMENT_START:
        return this.parseDocumentStart(true);
      case PState.DOCUMENT_START:
        return this.parseDocumentStart(false);
      case PState.DOCUMENT_CONTENT:
        return this.parseDocumentContent();
      case PState.DOCUMENT_END:
        return this.parseDocumentEnd();
      case PState.BLOCK_NODE:
        return this.parseNode(true, false);
      case PState.BLOCK_NODE_OR_INDENTLESS_SEQUENCE:
        return this.parseNode(true, true);
      case PState.FLOW_NODE:
        return this.parseNode(false, false);
      case PState.BLOCK_SEQUENCE_FIRST_ENTRY:
        return this.parseBlockSequenceEntry(true);
      case PState.BLOCK_SEQUENCE_ENTRY:
        return this.parseBlockSequenceEntry(false);
      case PState.INDENTLESS_SEQUENCE_ENTRY:
        return this.parseIndentlessSequenceEntry();
      case PState.BLOCK_MAPPING_FIRST_KEY:
        return this.parseBlockMappingKey(true);
      case PState.BLOCK_MAPPING_KEY:
        return this.parseBlockMappingKey(false);
      case PState.BLOCK_MAPPING_VALUE:
        return this.parseBlockMappingValue();
      case PState.FLOW_SEQUENCE_FIRST_ENTRY:
        return this.parseFlowSequenceEntry(true);
      case PState.FLOW_SEQUENCE_ENTRY:
        return this.parseFlowSequenceEntry(false);
      case PState.FLOW_SEQUENCE_ENTRY_MAPPING_KEY:
        return this.parseFlowSequenceEntryMappingKey();
      case PState.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE:
        return this.parseFlowSequenceEntryMappingValue();
      case PState.FLOW_SEQUENCE_ENTRY_MAPPING_END:
        return this.parseFlowSequenceEntryMappingEnd();
      case PState.FLOW_MAPPING_FIRST_KEY:
        return this.parseFlowMappingKey(true);
      case PState.FLOW_MAPPING_KEY:
        return this.parseFlowMappingKey(false);
      case PState.FLOW_MAPPING_VALUE:
        return this.parseFlowMappingValue(false);
      case PState.FLOW_MAPPING_EMPTY_VALUE:
        return this.parseFlowMappingValue(true);
      default:
        throw new Error('invalid parser state');
    }
  }

  private parseStreamStart(): YEvent {
    const token = this.peekToken();
    if (token.type !== T.STREAM_START) this.parserError('did not find expected <stream-start>', token.start);
    this.state = PState.IMPLICIT_DOCUMENT_START;
    this.skipToken();
    return { type: E.STREAM_START, start: token.start };
  }

  private parseDocumentStart(implicit: boolean): YEvent {
    let token = this.peekToken();
    if (!implicit) {
      while (token.type === T.DOCUMENT_END) {
        this.skipToken();
        token = this.peekToken();
      }
    }
    if (
      implicit &&
      token.type !== T.VERSION_DIRECTIVE &&
      token.type !== T.TAG_DIRECTIVE &&
      token.type !== T.DOCUMENT_START &&
      token.type !== T.STREAM_END
    ) {
      this.processDirectives();
      this.states.push(PState.DOCUMENT_END);
      this.state = PState.BLOCK_NODE;
      return { type: E.DOCUMENT_START, start: token.start };
    }
    if (token.type !== T.STREAM_END) {
      const start = token.start;
      this.processDirectives();
      token = this.peekToken();
      if (token.type !== T.DOCUMENT_START) this.parserError('did not find expected <document start>', token.start);
      this.states.push(PState.DOCUMENT_END);
      this.state = PState.DOCUMENT_CONTENT;
      this.skipToken();
      return { type: E.DOCUMENT_START, start };
    }
    this.state = PState.END;
    this.skipToken();
    return { type: E.STREAM_END, start: token.start };
  }

  private parseDocumentContent(): YEvent {
    const token = this.peekToken();
    if (
      token.type === T.VERSION_DIRECTIVE ||
      token.type === T.TAG_DIRECTIVE ||
      token.type === T.DOCUMENT_START ||
      token.type === T.DOCUMENT_END ||
      token.type === T.STREAM_END
    ) {
      this.popState();
      return emptyScalar(token.start);
    }
    return this.parseNode(true, false);
  }

  private parseDocumentEnd(): YEvent {
    const token = this.peekToken();
    if (token.type === T.DOCUMENT_END) this.skipToken();
    this.tagDirectives = [];
    this.state = PState.DOCUMENT_START;
    return { type: E.DOCUMENT_END, start: token.start };
  }

  private parseNode(block: boolean, indentlessSequence: boolean): YEvent {
    let token = this.peekToken();
    if (token.type === T.ALIAS) {
      this.popState();
      this.skipToken();
      return { type: E.ALIAS, start: token.start, anchor: token.value };
    }
    let start = token.start;
    let anchor: GoString | undefined;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let tagMark = token.start;
    if (token.type === T.ANCHOR) {
      anchor = token.value;
      start = token.start;
      this.skipToken();
      token = this.peekToken();
      if (token.type === T.TAG) {
        tagToken = true;
        tagHandle = token.value!;
        tagSuffix = token.suffix!;
        tagMark = token.start;
        this.skipToken();
        token = this.peekToken();
      }
    } else if (token.type === T.TAG) {
      tagToken = true;
      tagHandle = token.value!;
      tagSuffix = token.suffix!;
      start = token.start;
      tagMark = token.start;
      this.skipToken();
      token = this.peekToken();
      if (token.type === T.ANCHOR) {
        anchor = token.value;
        this.skipToken();
        token = this.peekToken();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagHandle.length === 0) tag = tagSuffix;
      else {
        const d = this.tagDirectives.find((t) => t.handle === tagHandle);
        if (d) tag = d.prefix + tagSuffix;
        if (tag.length === 0) this.parserError('found undefined tag handle', tagMark, start);
      }
    }
    const implicit = tag.length === 0;
    if (indentlessSequence && token.type === T.BLOCK_ENTRY) {
      this.state = PState.INDENTLESS_SEQUENCE_ENTRY;
      return { type: E.SEQUENCE_START, start, anchor, tag, implicit };
    }
    if (token.type === T.SCALAR) {
      let plainImplicit = false;
      let quotedImplicit = false;
      if ((tag.length === 0 && token.style === Style.PLAIN) || tag === '!') plainImplicit = true;
      else if (tag.length === 0) quotedImplicit = true;
      this.popState();
      this.skipToken();
      return {
        type: E.SCALAR,
        start,
        anchor,
        tag,
        value: token.value,
        implicit: plainImplicit,
        quotedImplicit,
        style: token.style,
      };
    }
    if (token.type === T.FLOW_SEQUENCE_START) {
      this.state = PState.FLOW_SEQUENCE_FIRST_ENTRY;
      return { type: E.SEQUENCE_START, start, anchor, tag, implicit };
    }
    if (token.type === T.FLOW_MAPPING_START) {
      this.state = PState.FLOW_MAPPING_FIRST_KEY;
      return { type: E.MAPPING_START, start, anchor, tag, implicit };
    }
    if (block && token.type === T.BLOCK_SEQUENCE_START) {
      this.state = PState.BLOCK_SEQUENCE_FIRST_ENTRY;
      return { type: E.SEQUENCE_START, start, anchor, tag, implicit };
    }
    if (block && token.type === T.BLOCK_MAPPING_START) {
      this.state = PState.BLOCK_MAPPING_FIRST_KEY;
      return { type: E.MAPPING_START, start, anchor, tag, implicit };
    }
    if (anchor !== undefined || tag.length > 0) {
      this.popState();
      return { type: E.SCALAR, start, anchor, tag, value: '', implicit, quotedImplicit: false, style: Style.PLAIN };
    }
    return this.parserError('did not find expected node content', token.start, start);
  }

  private parseBlockSequenceEntry(first: boolean): YEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type === T.BLOCK_ENTRY) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (token.type !== T.BLOCK_ENTRY && token.type !== T.BLOCK_END) {
        this.states.push(PState.BLOCK_SEQUENCE_ENTRY);
        return this.parseNode(true, false);
      }
      this.state = PState.BLOCK_SEQUENCE_ENTRY;
      return emptyScalar(mark);
    }
    if (token.type === T.BLOCK_END) {
      this.popState();
      this.marks.pop();
      this.skipToken();
      return { type: E.SEQUENCE_END, start: token.start };
    }
    const contextMark = this.marks.pop()!;
    return this.parserError("did not find expected '-' indicator", token.start, contextMark);
  }

  private parseIndentlessSequenceEntry(): YEvent {
    let token = this.peekToken();
    if (token.type === T.BLOCK_ENTRY) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (
        token.type !== T.BLOCK_ENTRY &&
        token.type !== T.KEY &&
        token.type !== T.VALUE &&
        token.type !== T.BLOCK_END
      ) {
        this.states.push(PState.INDENTLESS_SEQUENCE_ENTRY);
        return this.parseNode(true, false);
      }
      this.state = PState.INDENTLESS_SEQUENCE_ENTRY;
      return emptyScalar(mark);
    }
    this.popState();
    return { type: E.SEQUENCE_END, start: token.start };
  }

  private parseBlockMappingKey(first: boolean): YEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type === T.KEY) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (token.type !== T.KEY && token.type !== T.VALUE && token.type !== T.BLOCK_END) {
        this.states.push(PState.BLOCK_MAPPING_VALUE);
        return this.parseNode(true, true);
      }
      this.state = PState.BLOCK_MAPPING_VALUE;
      return emptyScalar(mark);
    }
    if (token.type === T.BLOCK_END) {
      this.popState();
      this.marks.pop();
      this.skipToken();
      return { type: E.MAPPING_END, start: token.start };
    }
    const contextMark = this.marks.pop()!;
    return this.parserError('did not find expected key', token.start, contextMark);
  }

  private parseBlockMappingValue(): YEvent {
    let token = this.peekToken();
    if (token.type === T.VALUE) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (token.type !== T.KEY && token.type !== T.VALUE && token.type !== T.BLOCK_END) {
        this.states.push(PState.BLOCK_MAPPING_KEY);
        return this.parseNode(true, true);
      }
      this.state = PState.BLOCK_MAPPING_KEY;
      return emptyScalar(mark);
    }
    this.state = PState.BLOCK_MAPPING_KEY;
    return emptyScalar(token.start);
  }

  private parseFlowSequenceEntry(first: boolean): YEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type !== T.FLOW_SEQUENCE_END) {
      if (!first) {
        if (token.type === T.FLOW_ENTRY) {
          this.skipToken();
          token = this.peekToken();
        } else {
          const contextMark = this.marks.pop()!;
          return this.parserError("did not find expected ',' or ']'", token.start, contextMark);
        }
      }
      if (token.type === T.KEY) {
        this.state = PState.FLOW_SEQUENCE_ENTRY_MAPPING_KEY;
        this.skipToken();
        return { type: E.MAPPING_START, start: token.start, tag: '', implicit: true };
      } else if (token.type !== T.FLOW_SEQUENCE_END) {
        this.states.push(PState.FLOW_SEQUENCE_ENTRY);
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    this.skipToken();
    return { type: E.SEQUENCE_END, start: token.start };
  }

  private parseFlowSequenceEntryMappingKey(): YEvent {
    const token = this.peekToken();
    if (token.type !== T.VALUE && token.type !== T.FLOW_ENTRY && token.type !== T.FLOW_SEQUENCE_END) {
      this.states.push(PState.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE);
      return this.parseNode(false, false);
    }
    const mark = token.end;
    this.skipToken();
    this.state = PState.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE;
    return emptyScalar(mark);
  }

  private parseFlowSequenceEntryMappingValue(): YEvent {
    let token = this.peekToken();
    if (token.type === T.VALUE) {
      this.skipToken();
      token = this.peekToken();
      if (token.type !== T.FLOW_ENTRY && token.type !== T.FLOW_SEQUENCE_END) {
        this.states.push(PState.FLOW_SEQUENCE_ENTRY_MAPPING_END);
        return this.parseNode(false, false);
      }
    }
    this.state = PState.FLOW_SEQUENCE_ENTRY_MAPPING_END;
    return emptyScalar(token.start);
  }

  private parseFlowSequenceEntryMappingEnd(): YEvent {
    const token = this.peekToken();
    this.state = PState.FLOW_SEQUENCE_ENTRY;
    return { type: E.MAPPING_END, start: token.start };
  }

  private parseFlowMappingKey(first: boolean): YEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type !== T.FLOW_MAPPING_END) {
      if (!first) {
        if (token.type === T.FLOW_ENTRY) {
          this.skipToken();
          token = this.peekToken();
        } else {
          const contextMark = this.marks.pop()!;
          return this.parserError("did not find expected ',' or '}'", token.start, contextMark);
        }
      }
      if (token.type === T.KEY) {
        this.skipToken();
        token = this.peekToken();
        if (token.type !== T.VALUE && token.type !== T.FLOW_ENTRY && token.type !== T.FLOW_MAPPING_END) {
          this.states.push(PState.FLOW_MAPPING_VALUE);
          return this.parseNode(false, false);
        }
        this.state = PState.FLOW_MAPPING_VALUE;
        return emptyScalar(token.start);
      } else if (token.type !== T.FLOW_MAPPING_END) {
        this.states.push(PState.FLOW_MAPPING_EMPTY_VALUE);
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    this.skipToken();
    return { type: E.MAPPING_END, start: token.start };
  }

  private parseFlowMappingValue(empty: boolean): YEvent {
    let token = this.peekToken();
    if (empty) {
      this.state = PState.FLOW_MAPPING_KEY;
      return emptyScalar(token.start);
    }
    if (token.type === T.VALUE) {
      this.skipToken();
      token = this.peekToken();
      if (token.type !== T.FLOW_ENTRY && token.type !== T.FLOW_MAPPING_END) {
        this.states.push(PState.FLOW_MAPPING_KEY);
        return this.parseNode(false, false);
      }
    }
    this.state = PState.FLOW_MAPPING_KEY;
    return emptyScalar(token.start);
  }

  // go-yaml@v2.4.2+v2.4.4 parserc.go yaml_parser_process_directives (+ append_tag_directive, default_tag_directives)
  private processDirectives(): void {
    let version = false;
    let token = this.peekToken();
    while (token.type === T.VERSION_DIRECTIVE || token.type === T.TAG_DIRECTIVE) {
      if (token.type === T.VERSION_DIRECTIVE) {
        if (version) this.parserError('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) this.parserError('found incompatible YAML document', token.start);
        version = true;
      } else {
        if (this.tagDirectives.some((t) => t.handle === token.value))
          this.parserError('found duplicate %TAG directive', token.start);
        this.tagDirectives.push({ handle: token.value!, prefix: token.prefix! });
      }
      this.skipToken();
      token = this.peekToken();
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) {
      if (!this.tagDirectives.some((t) => t.handle === d.handle)) this.tagDirectives.push(d);
    }
  }
}

const DEFAULT_TAG_DIRECTIVES = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

const enum PState {
  // go-yaml@v2.4.2+v2.4.4 yamlh.go yaml_parser_state_t
  STREAM_START,
  IMPLICIT_DOCUMENT_START,
  DOCUMENT_START,
  DOCUMENT_CONTENT,
  DOCUMENT_END,
  BLOCK_NODE,
  BLOCK_NODE_OR_INDENTLESS_SEQUENCE,
  FLOW_NODE,
  BLOCK_SEQUENCE_FIRST_ENTRY,
  BLOCK_SEQUENCE_ENTRY,
  INDENTLESS_SEQUENCE_ENTRY,
  BLOCK_MAPPING_FIRST_KEY,
  BLOCK_MAPPING_KEY,
  BLOCK_MAPPING_VALUE,
  FLOW_SEQUENCE_FIRST_ENTRY,
  FLOW_SEQUENCE_ENTRY,
  FLOW_SEQUENCE_ENTRY_MAPPING_KEY,
  FLOW_SEQUENCE_ENTRY_MAPPING_VALUE,
  FLOW_SEQUENCE_ENTRY_MAPPING_END,
  FLOW_MAPPING_FIRST_KEY,
  FLOW_MAPPING_KEY,
  FLOW_MAPPING_VALUE,
  FLOW_MAPPING_EMPTY_VALUE,
  END,
}

const enum E {
  NONE,
  STREAM_START,
  STREAM_END,
  DOCUMENT_START,
  DOCUMENT_END,
  ALIAS,
  SCALAR,
  SEQUENCE_START,
  SEQUENCE_END,
  MAPPING_START,
  MAPPING_END,
}

interface YEvent {
  readonly type: E;
  readonly start: Mark;
  readonly anchor?: GoString;
  readonly tag?: GoString;
  readonly value?: GoString;
  readonly implicit?: boolean;
  readonly quotedImplicit?: boolean;
  readonly style?: Style;
}

function emptyScalar(mark: Mark): YEvent {
  return { type: E.SCALAR, start: mark, tag: '', value: '', implicit: true, quotedImplicit: false, style: Style.PLAIN };
}

// ------------------------------------------------------------------------------------------------
// Go values as go-yaml v2 decodes them into interface{} (go-yaml@v2.4.2+v2.4.4 decode.go, resolve.go)
// ------------------------------------------------------------------------------------------------

/** Go `int` (go-yaml@v2.4.2+v2.4.4 resolve.go returns int for every value that fits int64 on 64-bit platforms). */
export class GoInt {
  constructor(readonly v: bigint) {}
}
/** Go `uint64` (integers above MaxInt64). */
export class GoUint {
  constructor(readonly v: bigint) {}
}
/** Go `float64`. */
export class GoFloat {
  constructor(readonly v: number) {}
}
/** Go `map[interface{}]interface{}`: keys compare by dynamic type and value. */
export class GoMap {
  readonly entries = new Map<string, [GoValue, GoValue]>();
  set(k: GoValue, v: GoValue): void {
    this.entries.set(mapKeyId(k), [k, v]);
  }
}
export type GoValue = null | boolean | GoString | GoInt | GoUint | GoFloat | GoValue[] | GoMap;

let nanKeys = 0;
function mapKeyId(k: GoValue): string {
  if (k === null) return 'n';
  if (typeof k === 'boolean') return k ? 'b1' : 'b0';
  if (typeof k === 'string') return 's' + k;
  if (k instanceof GoInt) return 'i' + k.v;
  if (k instanceof GoUint) return 'u' + k.v;
  if (k instanceof GoFloat) return Number.isNaN(k.v) ? `f NaN${nanKeys++}` : 'f' + (k.v === 0 ? 0 : k.v);
  throw new Error('unhashable map key');
}

const STR_TAG = 'tag:yaml.org,2002:str';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const NULL_TAG = 'tag:yaml.org,2002:null';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const BINARY_TAG = 'tag:yaml.org,2002:binary';
const MERGE_TAG = 'tag:yaml.org,2002:merge';
const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';

// go-yaml@v2.4.2+v2.4.4 resolve.go shortTag
function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? '!!' + tag.slice(LONG_TAG_PREFIX.length) : tag;
}

// go-yaml@v2.4.2+v2.4.4 resolve.go resolveMap: YAML 1.1 booleans, nulls, .inf/.nan and the merge key.
const RESOLVE_MAP = new Map<string, [string, GoValue | 'merge']>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
  RESOLVE_MAP.set(s, [BOOL_TAG, true]);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
  RESOLVE_MAP.set(s, [BOOL_TAG, false]);
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, [NULL_TAG, null]);
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, [FLOAT_TAG, new GoFloat(NaN)]);
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'])
  RESOLVE_MAP.set(s, [FLOAT_TAG, new GoFloat(Infinity)]);
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, [FLOAT_TAG, new GoFloat(-Infinity)]);
RESOLVE_MAP.set('<<', [MERGE_TAG, '<<']);

// go-yaml@v2.4.2+v2.4.4 resolve.go resolveTable: the first byte's hint ('S' sign, 'D' digit, 'M' in the map, '.' float).
function hintOf(c: number): string {
  if (c === 0x2b || c === 0x2d) return 'S';
  if (c >= 0x30 && c <= 0x39) return 'D';
  if ('yYnNtTfFoO~'.includes(String.fromCharCode(c))) return 'M';
  if (c === 0x2e) return '.';
  return '';
}

const MAX_INT64 = 9223372036854775807n;
const MAX_UINT64 = 18446744073709551615n;

// go@1.19 strconv/atoi.go ParseUint(s, base, 64) for base 0 (prefixes 0b 0o 0x need 3+ chars; a leading 0 is octal) or 2.
function parseGoUint(s: string, base0: boolean, base = 10): bigint | null {
  if (s === '') return null;
  if (base0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : '';
      if (p === 'b') {
        base = 2;
        s = s.slice(2);
      } else if (p === 'o') {
        base = 8;
        s = s.slice(2);
      } else if (p === 'x') {
        base = 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  }
  let n = 0n;
  const b = BigInt(base);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x7a
          ? c - 0x61 + 10
          : c >= 0x41 && c <= 0x5a
            ? c - 0x41 + 10
            : 99;
    if (d >= base) return null; // underscores were removed by resolve; any other byte is a syntax error
    n = n * b + BigInt(d);
    if (n > MAX_UINT64) return null;
  }
  return n;
}

// go@1.19 strconv/atoi.go ParseInt(s, base, 64).
function parseGoInt(s: string, base0: boolean, base = 10): bigint | null {
  if (s === '') return null;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const u = parseGoUint(s, base0, base);
  if (u === null) return null;
  if (!neg && u > MAX_INT64) return null;
  if (neg && u > MAX_INT64 + 1n) return null;
  return neg ? -u : u;
}

// go@1.19 strconv/atof.go ParseFloat(s, 64) for the decimal forms resolve can hand it; ±Inf (ErrRange) is an error, underflow is not.
const GO_DECIMAL_FLOAT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
function parseGoFloat(s: string): number | null {
  if (!GO_DECIMAL_FLOAT.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

// go-yaml@v2.4.2+v2.4.4 resolve.go yamlStyleFloat
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

// go-yaml@v2.4.2+v2.4.4 resolve.go parseTimestamp: "YYYY-" then one of allowedTimestampFormats with Go's time.Parse rules.
function isGoTimestamp(s: string): boolean {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  if (i !== 4 || i === s.length || s[i] !== '-') return false;
  // "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(.*)$/s.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  const dim = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][month - 1];
  if (day < 1 || day > dim) return false;
  const rest = m[4];
  if (rest === '') return true;
  const t = /^([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})((?:[.,][0-9]+)?)(.*)$/s.exec(rest);
  if (!t) return false;
  if (Number(t[2]) >= 24 || Number(t[3]) >= 60 || Number(t[4]) >= 60) return false;
  const zone = t[6];
  if (t[1] === ' ') return zone === '';
  if (zone === 'Z') return true;
  const z = /^[+-]([0-9]{2}):([0-9]{2})$/.exec(zone);
  return z !== null && Number(z[1]) <= 24 && Number(z[2]) <= 60;
}

/** go-yaml@v2.4.2+v2.4.4 resolve.go resolve(tag, in): the tag a scalar resolves to and its Go value ('merge' for <<). */
function resolveScalar(tag: string, input: GoString): [string, GoValue | 'merge'] {
  if (!(
    tag === '' ||
    tag === STR_TAG ||
    tag === BOOL_TAG ||
    tag === INT_TAG ||
    tag === FLOAT_TAG ||
    tag === NULL_TAG ||
    tag === TIMESTAMP_TAG
  )) {
    return [tag, input];
  }
  const [rtag, out] = resolvePlain(tag, input);
  // the deferred check: an explicit tag must agree (an int may be read as a float)
  if (tag === '' || tag === rtag || tag === STR_TAG) return [rtag, out];
  if (tag === FLOAT_TAG && rtag === INT_TAG && out instanceof GoInt) return [FLOAT_TAG, new GoFloat(Number(out.v))];
  return failf(`cannot decode ${shortTag(rtag)} \`${input}\` as a ${shortTag(tag)}`);
}

function resolvePlain(tag: string, input: GoString): [string, GoValue | 'merge'] {
  const hint = input === '' ? 'N' : hintOf(input.charCodeAt(0));
  if (hint !== '' && tag !== STR_TAG && tag !== BINARY_TAG) {
    const item = RESOLVE_MAP.get(input);
    if (item) return item;
    if (hint === '.') {
      const f = parseGoFloat(input);
      if (f !== null) return [FLOAT_TAG, new GoFloat(f)];
    } else if (hint === 'D' || hint === 'S') {
      if ((tag === '' || tag === TIMESTAMP_TAG) && isGoTimestamp(input)) return [TIMESTAMP_TAG, input];
      const plain = input.split('_').join('');
      const i = parseGoInt(plain, true);
      if (i !== null) return [INT_TAG, new GoInt(i)];
      const u = parseGoUint(plain, true);
      if (u !== null) return [INT_TAG, new GoUint(u)];
      if (YAML_STYLE_FLOAT.test(plain)) {
        const f = parseGoFloat(plain);
        if (f !== null) return [FLOAT_TAG, new GoFloat(f)];
      }
      if (plain.startsWith('0b')) {
        const bi = parseGoInt(plain.slice(2), false, 2);
        if (bi !== null) return [INT_TAG, new GoInt(bi)];
        const bu = parseGoUint(plain.slice(2), false, 2);
        if (bu !== null) return [INT_TAG, new GoUint(bu)];
      } else if (plain.startsWith('-0b')) {
        const bi = parseGoInt('-' + plain.slice(3), false, 2);
        if (bi !== null) return [INT_TAG, new GoInt(bi)];
      }
    }
  }
  return [STR_TAG, input];
}

// go-yaml@v2.4.2+v2.4.4 decode.go node
interface YNode {
  readonly kind: 'doc' | 'map' | 'seq' | 'scalar' | 'alias';
  readonly line: number;
  tag: string;
  value: GoString;
  implicit: boolean;
  readonly children: YNode[];
  alias?: YNode;
}

/** go-yaml@v2.4.2+v2.4.4 decode.go parser: events to a node tree (anchors registered before children); yaml.go
 * unmarshal reads only the first document. */
class Composer {
  private ev: YEvent | null = null;
  private anchors = new Map<string, YNode>();
  constructor(private readonly p: YamlParser) {}

  private peek(): E {
    if (this.ev === null) this.ev = this.p.nextEvent();
    return this.ev.type;
  }

  private expect(type: E): YEvent {
    this.peek();
    const ev = this.ev!;
    if (ev.type === E.STREAM_END) failf('attempted to go past the end of stream; corrupted value?');
    if (ev.type !== type) failf(`expected ${type} event but got ${ev.type}`);
    this.ev = null;
    return ev;
  }

  parseFirst(): YNode | null {
    this.expect(E.STREAM_START);
    return this.parse();
  }

  private node(kind: YNode['kind'], ev: YEvent): YNode {
    return { kind, line: ev.start.line, tag: '', value: '', implicit: false, children: [] };
  }

  private parse(): YNode | null {
    switch (this.peek()) {
      case E.SCALAR: {
        const ev = this.ev!;
        const n = this.node('scalar', ev);
        n.value = ev.value ?? '';
        n.tag = ev.tag ?? '';
        n.implicit = !!ev.implicit;
        if (ev.anchor !== undefined) this.anchors.set(ev.anchor, n);
        this.expect(E.SCALAR);
        return n;
      }
      case E.ALIAS: {
        const ev = this.ev!;
        const n = this.node('alias', ev);
        n.value = ev.anchor ?? '';
        n.alias = this.anchors.get(n.value);
        if (!n.alias) failf(`unknown anchor '${n.value}' referenced`);
        this.expect(E.ALIAS);
        return n;
      }
      case E.MAPPING_START: {
        const ev = this.ev!;
        const n = this.node('map', ev);
        n.tag = ev.tag ?? '';
        if (ev.anchor !== undefined) this.anchors.set(ev.anchor, n);
        this.expect(E.MAPPING_START);
        while (this.peek() !== E.MAPPING_END) n.children.push(this.parse()!, this.parse()!);
        this.expect(E.MAPPING_END);
        return n;
      }
      case E.SEQUENCE_START: {
        const ev = this.ev!;
        const n = this.node('seq', ev);
        n.tag = ev.tag ?? '';
        if (ev.anchor !== undefined) this.anchors.set(ev.anchor, n);
        this.expect(E.SEQUENCE_START);
        while (this.peek() !== E.SEQUENCE_END) n.children.push(this.parse()!);
        this.expect(E.SEQUENCE_END);
        return n;
      }
      case E.DOCUMENT_START: {
        const n = this.node('doc', this.ev!);
        this.anchors = new Map();
        this.expect(E.DOCUMENT_START);
        n.children.push(this.parse()!);
        this.expect(E.DOCUMENT_END);
        return n;
      }
      case E.STREAM_END:
        return null;
      default:
        throw new Error('attempted to parse unknown event');
    }
  }
}

// go@1.19 encoding/base64 StdEncoding.DecodeString (go-yaml@v2.4.2+v2.4.4 decode.go scalar, !!binary): '\r' and '\n' are ignored, padding is required.
function decodeStdBase64(s: string): GoString | null {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(={0,2})$/.test(t)) return null;
  if (/=[^=]/.test(t)) return null;
  return Buffer.from(t, 'base64').toString('latin1');
}

/** go-yaml@v2.4.2+v2.4.4 decode.go decoder for an interface{} target (unmarshal, alias, scalar, mapping, merge). */
class Decoder {
  private readonly aliases = new Set<YNode>();
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;

  unmarshal(n: YNode, into?: GoMap): GoValue {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    // go-yaml@v2.4.2+v2.4.4 decode.go allowedAliasRatio: "document contains excessive aliasing"
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    ) {
      failf('document contains excessive aliasing');
    }
    switch (n.kind) {
      case 'doc':
        return this.unmarshal(n.children[0]);
      case 'alias': {
        if (this.aliases.has(n)) failf(`anchor '${n.value}' value contains itself`);
        this.aliases.add(n);
        this.aliasDepth++;
        const v = this.unmarshal(n.alias!, into);
        this.aliasDepth--;
        this.aliases.delete(n);
        return v;
      }
      case 'scalar':
        return this.scalar(n);
      case 'seq':
        return n.children.map((c) => this.unmarshal(c));
      case 'map':
        return this.mapping(n, into ?? new GoMap());
    }
  }

  private scalar(n: YNode): GoValue {
    if (n.tag === '' && !n.implicit) return n.value;
    const [tag, resolved] = resolveScalar(n.tag, n.value);
    if (tag === BINARY_TAG) {
      const data = decodeStdBase64(n.value);
      if (data === null) failf('!!binary value contains invalid base64 data');
      return data;
    }
    if (resolved === null) return null;
    if (tag === TIMESTAMP_TAG) return n.value; // "for backward compatibility reasons we set it as a string"
    return resolved === 'merge' ? '<<' : resolved;
  }

  private mapping(n: YNode, out: GoMap): GoMap {
    for (let i = 0; i < n.children.length; i += 2) {
      const kn = n.children[i];
      if (kn.kind === 'scalar' && kn.value === '<<' && (kn.implicit || kn.tag === MERGE_TAG)) {
        this.merge(n.children[i + 1], out);
        continue;
      }
      const k = this.unmarshal(kn);
      if (Array.isArray(k) || k instanceof GoMap)
        failf(`invalid map key: ${Array.isArray(k) ? '[]interface {}' : 'map[interface {}]interface {}'}`);
      out.set(k, this.unmarshal(n.children[i + 1]));
    }
    return out;
  }

  private merge(n: YNode, out: GoMap): void {
    const wantMap = (): never => failf('map merge requires map or sequence of maps as the value');
    if (n.kind === 'map') this.unmarshal(n, out);
    else if (n.kind === 'alias') {
      if (n.alias && n.alias.kind !== 'map') wantMap();
      this.unmarshal(n, out);
    } else if (n.kind === 'seq') {
      for (let i = n.children.length - 1; i >= 0; i--) {
        const ni = n.children[i];
        if (ni.kind === 'alias') {
          if (ni.alias && ni.alias.kind !== 'map') wantMap();
        } else if (ni.kind !== 'map') wantMap();
        this.unmarshal(ni, out);
      }
    } else wantMap();
  }
}

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

/** yaml.Unmarshal(in, &interface{}) (go-yaml@v2.4.2+v2.4.4 yaml.go unmarshal, decode.go newParser): the first document only; empty input reads as "\n". */
export function unmarshalGoYaml(input: GoString): GoValue {
  const parser = new YamlParser(input.length === 0 ? '\n' : input);
  const node = new Composer(parser).parseFirst();
  return node === null ? null : new Decoder().unmarshal(node);
}

// ------------------------------------------------------------------------------------------------
// Emitter (go-yaml@v2.4.2+v2.4.4 encode.go, sorter.go, emitterc.go) with go-yaml's defaults (apic.go,
// emitterc.go yaml_emitter_emit_stream_start): indent 2, width 80, unicode on, "\n" line breaks
// ------------------------------------------------------------------------------------------------

// go-yaml@v2.4.2+v2.4.4 encode.go isBase60Float / base60float
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s.charCodeAt(0);
  if (!(c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/**
 * strconv.FormatFloat(f, 'g', -1, bits): the shortest digits that read back as the same value, in %e form when
 * the exponent is < -4 or >= 6 (the shortest-format precision rule of go strconv/ftoa.go).
 */
export function formatGoFloat(f: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const neg = f < 0;
  const a = Math.abs(f);
  let e: string;
  if (bits === 64) e = a.toExponential();
  else {
    const f32 = Math.fround(a);
    e = f32.toExponential();
    for (let p = 1; p <= 9; p++) {
      const s = f32.toExponential(p - 1);
      if (Math.fround(Number(s)) === f32) {
        e = s;
        break;
      }
    }
  }
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const digits = (m[1] + (m[2] ?? '')).replace(/0+$/, '') || '0';
  const exp = Number(m[3]);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const ae = Math.abs(exp);
    out =
      digits[0] +
      (digits.length > 1 ? '.' + digits.slice(1) : '') +
      'e' +
      (exp < 0 ? '-' : '+') +
      (ae < 10 ? '0' + ae : String(ae));
  } else {
    const dp = exp + 1;
    if (dp <= 0) out = '0.' + '0'.repeat(-dp) + digits;
    else if (dp >= digits.length) out = digits + '0'.repeat(dp - digits.length);
    else out = digits.slice(0, dp) + '.' + digits.slice(dp);
  }
  return neg ? '-' + out : out;
}

// go@1.19 reflect.Kind order (Bool 1, Int 2, Uint64 11, Float64 14, Interface 20, Map 21, Slice 23, String 24) used by go-yaml@v2.4.2+v2.4.4 sorter.go when kinds differ.
function reflectKind(v: GoValue): number {
  if (v === null) return 20; // a nil interface stays reflect.Interface
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'string') return 24;
  if (v instanceof GoInt) return 2;
  if (v instanceof GoUint) return 11;
  if (v instanceof GoFloat) return 14;
  if (v instanceof GoMap) return 21;
  return 23;
}

function keyFloat(v: GoValue): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof GoInt || v instanceof GoUint) return Number(v.v);
  if (v instanceof GoFloat) return v.v;
  return null;
}

function runesOf(s: GoString): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length;) {
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    out.push((p - w) / 8);
    i += w;
  }
  return out;
}

// go-yaml@v2.4.2+v2.4.4 sorter.go keyList.Less: numbers first by value, strings by runes with digit runs compared as numbers.
function keyLess(a: GoValue, b: GoValue): boolean {
  const ak = reflectKind(a);
  const bk = reflectKind(b);
  const af = keyFloat(a);
  const bf = keyFloat(b);
  if (af !== null && bf !== null) {
    if (af !== bf) return af < bf;
    if (ak !== bk) return ak < bk;
    if (typeof a === 'boolean') return !a && b === true;
    return (a as GoInt).v < (b as GoInt).v;
  }
  if (ak !== 24 || bk !== 24) return ak < bk;
  const ar = runesOf(a as string);
  const br = runesOf(b as string);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isGoLetter(ar[i]);
    const bl = isGoLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === 0x30 || br[i] === 0x30) {
      for (let j = i - 1; j >= 0 && isGoDigit(ar[j]); j--) {
        if (ar[j] !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isGoDigit(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai] - 0x30));
    let bi = i;
    for (; bi < br.length && isGoDigit(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi] - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

interface ScalarAnalysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

// go-yaml@v2.4.2+v2.4.4 yamlprivateh.go is_printable on a byte string (4-byte sequences are not "printable" for it).
function isPrintable(v: GoString, i: number): boolean {
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
function isBreakIn(v: GoString, i: number): boolean {
  const c = v.charCodeAt(i);
  return (
    c === 0x0d ||
    c === 0x0a ||
    (c === 0xc2 && v.charCodeAt(i + 1) === 0x85) ||
    (c === 0xe2 && v.charCodeAt(i + 1) === 0x80 && (v.charCodeAt(i + 2) === 0xa8 || v.charCodeAt(i + 2) === 0xa9))
  );
}
function isBlankzIn(v: GoString, i: number): boolean {
  const c = v.charCodeAt(i);
  return c === 0x20 || c === 0x09 || c === 0 || isBreakIn(v, i);
}

// go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_analyze_scalar
function analyzeScalar(value: GoString): ScalarAnalysis {
  if (value.length === 0) {
    return {
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0, w = 0; i < value.length; i += w) {
    const c = value.charCodeAt(i);
    w = widthOf(c);
    const followedByWhitespace =
      i + w >= value.length || value.charCodeAt(i + w) === 0x20 || value.charCodeAt(i + w) === 0x09;
    if (i === 0) {
      switch (c) {
        case 0x23:
        case 0x2c:
        case 0x5b:
        case 0x5d:
        case 0x7b:
        case 0x7d:
        case 0x26:
        case 0x2a:
        case 0x21:
        case 0x7c:
        case 0x3e:
        case 0x27:
        case 0x22:
        case 0x25:
        case 0x40:
        case 0x60:
          flowIndicators = true;
          blockIndicators = true;
          break;
        case 0x3f:
        case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x2d:
          if (followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
        default:
          break;
      }
    } else {
      switch (c) {
        case 0x2c:
        case 0x3f:
        case 0x5b:
        case 0x5d:
        case 0x7b:
        case 0x7d:
          flowIndicators = true;
          break;
        case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x23:
          if (precededByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
        default:
          break;
      }
    }
    if (!isPrintable(value, i)) specialCharacters = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i + w === value.length) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakIn(value, i)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + w === value.length) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankzIn(value, i);
  }
  const a: ScalarAnalysis = {
    multiline: lineBreaks,
    flowPlainAllowed: true,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

/** The scalar event go-yaml@v2.4.2+v2.4.4 encode.go (nilv, boolv, intv, uintv, floatv, stringv) emits for a Go value (always implicit: no tag is written for these values). */
function scalarEvent(v: GoValue): { text: GoString; style: Style } {
  if (v === null) return { text: 'null', style: Style.PLAIN };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', style: Style.PLAIN };
  if (v instanceof GoInt || v instanceof GoUint) return { text: v.v.toString(), style: Style.PLAIN };
  if (v instanceof GoFloat) {
    const s = formatGoFloat(v.v, 64);
    return { text: s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s, style: Style.PLAIN };
  }
  const s = v as GoString;
  // go-yaml@v2.4.2+v2.4.4 encode.go stringv: invalid UTF-8 would be written as !!binary; the JSON text Flux marshals never holds any.
  if (!validUtf8(s)) throw new YamlFailure('invalid UTF-8 string (go-yaml would write !!binary)');
  const [rtag] = resolvePlain('', s);
  const canUsePlain = rtag === STR_TAG && !isBase60Float(s);
  return { text: s, style: s.includes('\n') ? Style.LITERAL : canUsePlain ? Style.PLAIN : Style.DOUBLE };
}

/** go-yaml@v2.4.2+v2.4.4 emitterc.go, as driven by encode.go for one document of plain Go values. */
class Emitter {
  out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private whitespace = true;
  private indention = true;
  private rootContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;

  document(v: GoValue): GoString {
    this.emitNode(v, true, false, false);
    // yaml_emitter_emit_document_end (implicit): write_indent, no "..." (go-yaml@v2.4.2+v2.4.4 encode.go finish clears open_ended)
    this.writeIndent();
    return this.out;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go put / put_break / write / write_break
  private put(c: string): void {
    this.out += c;
    this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  // write: one character (all its bytes), one column
  private writeAt(v: GoString, i: number): number {
    const w = widthOf(v.charCodeAt(i)) || 1;
    this.out += v.slice(i, i + w);
    this.column++;
    return i + w;
  }

  private writeBreakAt(v: GoString, i: number): number {
    if (v.charCodeAt(i) === 0x0a) {
      this.putBreak();
      return i + 1;
    }
    const j = this.writeAt(v, i);
    this.column = 0;
    return j;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_increase_indent
  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_indent
  private writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_indicator
  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.out += indicator;
    this.column += indicator.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  // yaml_emitter_check_simple_key
  private checkSimpleKey(k: GoValue): boolean {
    if (k instanceof GoMap) return k.entries.size === 0;
    if (Array.isArray(k)) return k.length === 0;
    const { text } = scalarEvent(k);
    if (analyzeScalar(text).multiline) return false;
    return text.length <= 128;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_emit_node (root/mapping/simple-key contexts)
  private emitNode(v: GoValue, root: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (v instanceof GoMap) this.emitMapping(v);
    else if (Array.isArray(v)) this.emitSequence(v);
    else this.emitScalar(v);
  }

  // go-yaml@v2.4.2+v2.4.4 encode.go mapv: `sort.Sort(keyList(in.MapKeys()))`
  private sortedEntries(m: GoMap): Array<[GoValue, GoValue]> {
    return [...m.entries.values()].sort((x, y) => (keyLess(x[0], y[0]) ? -1 : keyLess(y[0], x[0]) ? 1 : 0));
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_mapping_start (flow when empty or inside flow), emit_block_mapping_key/value,
  // emit_flow_mapping_key/value
  private emitMapping(m: GoMap): void {
    const entries = this.sortedEntries(m);
    if (this.flowLevel > 0 || entries.length === 0) {
      this.writeIndicator('{', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
      entries.forEach(([k, v], i) => {
        if (i > 0) this.writeIndicator(',', false, false, false);
        if (this.column > BEST_WIDTH) this.writeIndent();
        if (this.checkSimpleKey(k)) {
          this.emitNode(k, false, true, true);
          this.writeIndicator(':', false, false, false);
        } else {
          this.writeIndicator('?', true, false, false);
          this.emitNode(k, false, true, false);
          if (this.column > BEST_WIDTH) this.writeIndent();
          this.writeIndicator(':', true, false, false);
        }
        this.emitNode(v, false, true, false);
      });
      this.flowLevel--;
      this.indent = this.indents.pop()!;
      this.writeIndicator('}', false, false, false);
      return;
    }
    this.increaseIndent(false, false);
    for (const [k, v] of entries) {
      this.writeIndent();
      if (this.checkSimpleKey(k)) {
        this.emitNode(k, false, true, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(k, false, true, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(v, false, true, false);
    }
    this.indent = this.indents.pop()!;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_sequence_start, emit_block_sequence_item (indentless inside a mapping),
  // emit_flow_sequence_item
  private emitSequence(items: GoValue[]): void {
    if (this.flowLevel > 0 || items.length === 0) {
      this.writeIndicator('[', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
      items.forEach((item, i) => {
        if (i > 0) this.writeIndicator(',', false, false, false);
        if (this.column > BEST_WIDTH) this.writeIndent();
        this.emitNode(item, false, false, false);
      });
      this.flowLevel--;
      this.indent = this.indents.pop()!;
      this.writeIndicator(']', false, false, false);
      return;
    }
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item, false, false, false);
    }
    this.indent = this.indents.pop()!;
  }

  // yaml_emitter_emit_scalar: select_scalar_style, increase_indent(flow), process_scalar
  private emitScalar(v: GoValue): void {
    const { text, style: requested } = scalarEvent(v);
    const a = analyzeScalar(text);
    let style = requested;
    if (this.simpleKeyContext && a.multiline) style = Style.DOUBLE;
    if (style === Style.PLAIN) {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed))
        style = Style.SINGLE;
      if (text.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = Style.SINGLE;
    }
    if (style === Style.SINGLE && !a.singleQuotedAllowed) style = Style.DOUBLE;
    if (
      (style === Style.LITERAL || style === Style.FOLDED) &&
      (!a.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)
    )
      style = Style.DOUBLE;
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    if (style === Style.PLAIN) this.writePlain(text, allowBreaks);
    else if (style === Style.SINGLE) this.writeSingleQuoted(text, allowBreaks);
    else if (style === Style.DOUBLE) this.writeDoubleQuoted(text, allowBreaks);
    else this.writeLiteral(text);
    this.indent = this.indents.pop()!;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_plain_scalar: a space past column 80 becomes a line break
  private writePlain(v: GoString, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length;) {
      const c = v.charCodeAt(i);
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && v.charCodeAt(i + 1) !== 0x20) {
          this.writeIndent();
          i++;
        } else i = this.writeAt(v, i);
        spaces = true;
      } else if (isBreakIn(v, i)) {
        if (!breaks && c === 0x0a) this.putBreak();
        i = this.writeBreakAt(v, i);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.writeAt(v, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
    void this.rootContext; // open_ended is cleared before STREAM-END (go-yaml@v2.4.2+v2.4.4 encode.go finish)
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_single_quoted_scalar
  private writeSingleQuoted(v: GoString, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length;) {
      const c = v.charCodeAt(i);
      if (c === 0x20) {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i > 0 &&
          i < v.length - 1 &&
          v.charCodeAt(i + 1) !== 0x20
        ) {
          this.writeIndent();
          i++;
        } else i = this.writeAt(v, i);
        spaces = true;
      } else if (isBreakIn(v, i)) {
        if (!breaks && c === 0x0a) this.putBreak();
        i = this.writeBreakAt(v, i);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        i = this.writeAt(v, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_double_quoted_scalar
  private writeDoubleQuoted(v: GoString, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    // go-yaml@v2.4.2+v2.4.4 emitterc.go calls is_bom(value, i), which looks at value[0..2] whatever i is: a value that starts with
    // U+FEFF has every character escaped.
    const bom = v.charCodeAt(0) === 0xef && v.charCodeAt(1) === 0xbb && v.charCodeAt(2) === 0xbf;
    for (let i = 0; i < v.length;) {
      const c = v.charCodeAt(i);
      if (!isPrintable(v, i) || bom || isBreakIn(v, i) || c === 0x22 || c === 0x5c) {
        const w = widthOf(c);
        let r = w === 1 ? c & 0x7f : w === 2 ? c & 0x1f : w === 3 ? c & 0x0f : c & 0x07;
        for (let k = 1; k < w; k++) r = (r << 6) + (v.charCodeAt(i + k) & 0x3f);
        i += w;
        this.put('\\');
        switch (r) {
          case 0x00:
            this.put('0');
            break;
          case 0x07:
            this.put('a');
            break;
          case 0x08:
            this.put('b');
            break;
          case 0x09:
            this.put('t');
            break;
          case 0x0a:
            this.put('n');
            break;
          case 0x0b:
            this.put('v');
            break;
          case 0x0c:
            this.put('f');
            break;
          case 0x0d:
            this.put('r');
            break;
          case 0x1b:
            this.put('e');
            break;
          case 0x22:
            this.put('"');
            break;
          case 0x5c:
            this.put('\\');
            break;
          case 0x85:
            this.put('N');
            break;
          case 0xa0:
            this.put('_');
            break;
          case 0x2028:
            this.put('L');
            break;
          case 0x2029:
            this.put('P');
            break;
          default: {
            const [letter, n] = r <= 0xff ? ['x', 2] : r <= 0xffff ? ['u', 4] : ['U', 8];
            this.put(letter);
            const hex = r.toString(16).toUpperCase().padStart(n, '0');
            for (const h of hex) this.put(h);
          }
        }
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < v.length - 1) {
          this.writeIndent();
          if (v.charCodeAt(i + 1) === 0x20) this.put('\\');
          i++;
        } else i = this.writeAt(v, i);
        spaces = true;
      } else {
        i = this.writeAt(v, i);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_literal_scalar + write_block_scalar_hints
  private writeLiteral(v: GoString): void {
    this.writeIndicator('|', true, false, false);
    // yaml_emitter_write_block_scalar_hints
    if (v.charCodeAt(0) === 0x20 || isBreakIn(v, 0)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    if (v.length === 0) chomp = '-';
    else {
      let i = v.length - 1;
      while ((v.charCodeAt(i) & 0xc0) === 0x80) i--;
      if (!isBreakIn(v, i)) chomp = '-';
      else if (i === 0) chomp = '+';
      else {
        i--;
        while ((v.charCodeAt(i) & 0xc0) === 0x80) i--;
        if (isBreakIn(v, i)) chomp = '+';
      }
    }
    if (chomp !== '') this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < v.length;) {
      if (isBreakIn(v, i)) {
        i = this.writeBreakAt(v, i);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.writeAt(v, i);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** yaml.Marshal(value) (go-yaml@v2.4.2+v2.4.4 yaml.go Marshal → encode.go marshalDoc) for go-yaml's interface{} values. */
export function marshalGoYaml(v: GoValue): GoString {
  return new Emitter().document(v);
}

// ------------------------------------------------------------------------------------------------
// encoding/json, sigs.k8s.io/yaml glue
// ------------------------------------------------------------------------------------------------

const HEX = '0123456789abcdef';

// go encoding/json go-yaml@v2.4.2+v2.4.4 encode.go encodeState.string (escapeHTML on, as json.Marshal does).
function goJsonString(s: GoString): GoString {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) {
        i++;
        continue;
      }
      out += s.slice(start, i);
      if (c === 0x22 || c === 0x5c) out += '\\' + s[i];
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else out += '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      i++;
      start = i;
      continue;
    }
    const p = decodeRunePacked(s, i);
    const w = p & 7;
    const r = (p - w) / 8;
    if (r === RUNE_ERROR && w === 1) {
      out += s.slice(start, i) + '\\ufffd';
      i += w;
      start = i;
      continue;
    }
    if (r === 0x2028 || r === 0x2029) {
      out += s.slice(start, i) + (r === 0x2028 ? '\\u2028' : '\\u2029');
      i += w;
      start = i;
      continue;
    }
    i += w;
  }
  return out + s.slice(start) + '"';
}

/** json.Marshal of a JSON-like JS value (map keys sorted by bytes, float64 numbers) as a Go string. */
export function goJsonMarshal(v: unknown): GoString {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new YamlFailure(`json: unsupported value: ${formatGoFloat(v)}`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'string') return goJsonString(goString(v));
  if (Array.isArray(v)) return '[' + v.map((x) => goJsonMarshal(x)).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => [goString(k), k] as const)
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    return (
      '{' +
      keys.map(([g, k]) => goJsonString(g) + ':' + goJsonMarshal((v as Record<string, unknown>)[k])).join(',') +
      '}'
    );
  }
  throw new YamlFailure(`json: unsupported type: ${typeof v}`);
}

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * sigs.k8s.io/yaml@v1.6.0 yaml.go convertToJSONableObject (nil target) then json.Marshal, then json.Unmarshal
 * into interface{}: keys become strings (int → decimal, float → FormatFloat(f, 'g', -1, 32), bool), nil and
 * uint64 keys are refused, NaN/±Inf values are refused by encoding/json, numbers end as float64.
 */
export function goValueToJson(v: GoValue): unknown {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return jsString(v);
  if (v instanceof GoInt || v instanceof GoUint) return Number(v.v);
  if (v instanceof GoFloat) {
    if (!Number.isFinite(v.v)) failf(`json: unsupported value: ${formatGoFloat(v.v)}`);
    return v.v;
  }
  if (Array.isArray(v)) return v.map(goValueToJson);
  const out: Record<string, unknown> = {};
  for (const [k, val] of v.entries.values()) {
    let key: string;
    if (typeof k === 'string') key = jsString(k);
    else if (k instanceof GoInt) key = k.v.toString();
    else if (k instanceof GoFloat) {
      const s = formatGoFloat(k.v, 32);
      key = s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
    } else if (typeof k === 'boolean') key = k ? 'true' : 'false';
    else failf(`unsupported map key of type: ${k === null ? '<nil>' : k instanceof GoUint ? 'uint64' : 'unknown'}`);
    setOwn(out, key, goValueToJson(val));
  }
  return out;
}

function yamlError(e: unknown, field: string, what: string): never {
  if (e instanceof YamlFailure) {
    // go-yaml quotes scalar text in a few messages ("cannot decode !!str `…`", anchors); those may carry
    // substituted values, so the quoted part is left out.
    const reason = e.message.replace(/`[^`]*`/g, 'a value').replace(/anchor '[^']*'/g, "anchor '…'");
    throw new ZotFluxError({ field, reason: `${what}: yaml: ${reason}` });
  }
  throw e;
}

/** sigs.k8s.io/yaml.JSONToYAML(json.Marshal(object)) as a Go string; YamlFailure on what Go refuses. */
export function marshalFluxYamlGo(object: unknown): GoString {
  return marshalGoYaml(unmarshalGoYaml(goJsonMarshal(object)));
}

/** sigs.k8s.io/yaml.YAMLToJSON then json.Unmarshal, on a Go string; YamlFailure on what Go refuses. */
export function unmarshalFluxYamlGo(text: GoString): unknown {
  return goValueToJson(unmarshalGoYaml(text));
}

/** Is this error go-yaml's (or encoding/json's) refusal? */
export function isYamlFailure(e: unknown): e is { message: string } {
  return e instanceof YamlFailure;
}

/**
 * What sigs.k8s.io/yaml.Marshal gives for a JSON-like object (the text kustomize-controller substitutes in):
 * keys sorted (go-yaml's natural order), YAML 1.1 quoting, long plain/quoted strings folded at 80 columns,
 * literal blocks for strings with "\n", emoji and control characters escaped in double quotes.
 */
export function toFluxYaml(object: unknown): string {
  let out: GoString;
  try {
    out = marshalFluxYamlGo(object);
  } catch (e) {
    return yamlError(e, 'object', 'sigs.k8s.io/yaml cannot write it');
  }
  return Buffer.from(out, 'latin1').toString('utf8');
}

/**
 * YAML text read back the way the controller does after substitution (sigs.k8s.io/yaml.YAMLToJSON with go-yaml
 * v2: YAML 1.1 — yes/on/y → true, 0123 → 83, 1_000 → 1000, .inf → refused, "\r"/U+0085/U+2028 are line breaks,
 * only the first document, the last duplicate key wins, merge keys and anchors honoured).
 */
export function fromFluxYaml(text: string | Uint8Array): unknown {
  const g = typeof text === 'string' ? goString(text) : Buffer.from(text).toString('latin1');
  try {
    return unmarshalFluxYamlGo(g);
  } catch (e) {
    return yamlError(e, 'postBuild', 'the substituted YAML cannot be read back');
  }
}
