// The reader: the input as a Go string, checked and counted character by character the way libyaml's reader hands
// it to the scanner (go-yaml@v2.4.2+v2.4.4 readerc.go: 512-byte raw chunks, the UTF-8 checks and the printable set),
// the position marks, the character classes at a position (yamlprivateh.go), and the error messages with their line
// (decode.go parser.fail).
import { failf } from './failure';
import { GoString } from './go-string';
import { ErrKind, Mark, widthOf } from './tokens';

/**
 * The bottom of libyaml's scanner and parser over a Go string (the classes above it: TokenScanner, ScalarScanner,
 * Scanner, Parser). Errors are thrown as YamlFailure with go-yaml's message
 * (go-yaml@v2.4.2+v2.4.4 decode.go parser.fail: "line N: problem", the line rule included).
 */
export class Reader {
  protected readonly buf: GoString; // input + NUL padding
  protected readonly inputLen: number;
  // reader state (go-yaml@v2.4.2+v2.4.4 readerc.go yaml_parser_update_buffer / update_raw_buffer)
  protected rawEnd = 0;
  protected decodedEnd = 0;
  protected eof = false;
  protected unread = 0;
  protected encodingKnown = false;
  protected bufBase = 0; // input offset of parser.buffer[0] (is_bom looks there, whatever the position)
  // the position (go-yaml@v2.4.2+v2.4.4 yamlh.go yaml_parser_t buffer_pos, mark)
  protected pos = 0;
  protected mIndex = 0;
  protected mLine = 0;
  protected mColumn = 0;
  // error state
  protected errKind = ErrKind.NONE;

  constructor(input: GoString) {
    this.inputLen = input.length;
    this.buf = input + '\0\0\0\0\0\0\0\0';
  }

  protected b(i: number): number {
    return this.buf.charCodeAt(i);
  }

  protected mark(): Mark {
    return { index: this.mIndex, line: this.mLine, column: this.mColumn };
  }

  // ---- errors (go-yaml@v2.4.2+v2.4.4 decode.go parser.fail: the line shown) ----

  protected readerError(problem: string): never {
    this.errKind = ErrKind.READER;
    // go-yaml@v2.4.2+v2.4.4 readerc.go sets problem_offset, not a mark: parser.fail prints no line.
    return failf(problem);
  }

  protected scannerError(_context: string, contextMark: Mark, problem: string): never {
    this.errKind = ErrKind.SCANNER;
    return this.failAt(this.mark(), contextMark, problem);
  }

  protected parserError(problem: string, problemMark: Mark, contextMark?: Mark): never {
    this.errKind = ErrKind.PARSER;
    return this.failAt(problemMark, contextMark, problem);
  }

  protected failAt(problemMark: Mark, contextMark: Mark | undefined, problem: string): never {
    let line = 0;
    if (problemMark.line !== 0) {
      line = problemMark.line;
      if (this.errKind === ErrKind.SCANNER) line++; // "Scanner errors don't iterate line before returning error"
    } else if (contextMark && contextMark.line !== 0) line = contextMark.line;
    return failf(line !== 0 ? `line ${line}: ${problem}` : problem);
  }

  // ---- reader (go-yaml@v2.4.2+v2.4.4 readerc.go) ----

  protected cache(length: number): void {
    if (this.unread < length) this.updateBuffer(length);
  }

  protected updateRaw(): void {
    if (this.eof) return;
    // go-yaml@v2.4.2+v2.4.4 apic.go yaml_string_read_handler: io.EOF only once everything was handed out.
    if (this.rawEnd === this.inputLen) {
      this.eof = true;
      return;
    }
    // the raw buffer holds input_raw_buffer_size = 512 bytes, undecoded bytes included (go-yaml@v2.4.2+v2.4.4 yamlprivateh.go)
    this.rawEnd = Math.min(this.inputLen, this.rawEnd + 512 - (this.rawEnd - this.decodedEnd));
  }

  protected updateBuffer(length: number): void {
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
  protected decodeRaw(): void {
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

  protected isBreakAt(i: number): boolean {
    const c = this.b(i);
    return (
      c === 0x0d ||
      c === 0x0a ||
      (c === 0xc2 && this.b(i + 1) === 0x85) ||
      (c === 0xe2 && this.b(i + 1) === 0x80 && (this.b(i + 2) === 0xa8 || this.b(i + 2) === 0xa9))
    );
  }
  protected isBreakzAt(i: number): boolean {
    return this.b(i) === 0 || this.isBreakAt(i);
  }
  protected isBlankAt(i: number): boolean {
    const c = this.b(i);
    return c === 0x20 || c === 0x09;
  }
  protected isBlankzAt(i: number): boolean {
    const c = this.b(i);
    return c === 0x20 || c === 0x09 || c === 0 || this.isBreakAt(i);
  }

  /** A document indicator at column 0: "---" (c = '-') or "..." (c = '.') followed by a blank, a break or the end. */
  protected isDocumentIndicatorAt(p: number, c: number): boolean {
    return (
      this.mColumn === 0 && this.b(p) === c && this.b(p + 1) === c && this.b(p + 2) === c && this.isBlankzAt(p + 3)
    );
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go skip / skip_line / read / read_line
  protected skip(): void {
    this.mIndex++;
    this.mColumn++;
    this.unread--;
    this.pos += widthOf(this.b(this.pos));
  }

  protected skipLine(): void {
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

  protected readChar(): GoString {
    const w = widthOf(this.b(this.pos));
    const s = this.buf.slice(this.pos, this.pos + w);
    this.pos += w;
    this.mIndex++;
    this.mColumn++;
    this.unread--;
    return s;
  }

  protected readLine(): GoString {
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
}
