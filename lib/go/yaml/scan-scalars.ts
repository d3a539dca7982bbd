// The scanner's scalars: block (| >), flow (' ") and plain (go-yaml@v2.4.2+v2.4.4 scannerc.go
// yaml_parser_scan_block_scalar, scan_block_scalar_breaks, scan_flow_scalar, scan_plain_scalar).
import { GoString, encodeRune } from './go-string';
import { TokenScanner } from './scan-tokens';
import { Mark, Style, T, Token, hexValue, isHexByte } from './tokens';

/**
 * The text of a flow or plain scalar while it is scanned: the characters so far and the blanks and line breaks not
 * yet joined (go-yaml@v2.4.2+v2.4.4 scannerc.go scan_flow_scalar / scan_plain_scalar: string, leading_break,
 * trailing_breaks, whitespaces, leading_blanks).
 */
class ScalarText {
  text: GoString = '';
  leadingBreak: GoString = '';
  trailingBreaks: GoString = '';
  whitespaces: GoString = '';
  leadingBlanks = false;

  /** "Join the whitespaces or fold line breaks": one "\n" folds to a space, more breaks are kept, blanks are kept. */
  joinPending(): void {
    if (this.leadingBlanks) {
      if (this.leadingBreak.charCodeAt(0) === 0x0a)
        this.text += this.trailingBreaks.length === 0 ? ' ' : this.trailingBreaks;
      else this.text += this.leadingBreak + this.trailingBreaks;
      this.trailingBreaks = '';
      this.leadingBreak = '';
    } else {
      this.text += this.whitespaces;
      this.whitespaces = '';
    }
  }
}

/** A block scalar's indentation and pending breaks (go-yaml@v2.4.2+v2.4.4 scannerc.go scan_block_scalar locals). */
interface BlockBreaks {
  indent: number; // 0 until the first non-empty line fixes it
  trailingBreaks: GoString;
  endMark: Mark;
}

// go-yaml@v2.4.2+v2.4.4 scannerc.go scan_flow_scalar: the escapes "\x" of a double-quoted scalar that stand for fixed bytes.
const SIMPLE_ESCAPES = new Map<number, GoString>([
  [0x30, '\x00'], // \0
  [0x61, '\x07'], // \a
  [0x62, '\x08'], // \b
  [0x74, '\x09'], // \t
  [0x09, '\x09'], // \<TAB>
  [0x6e, '\x0a'], // \n
  [0x76, '\x0b'], // \v
  [0x66, '\x0c'], // \f
  [0x72, '\x0d'], // \r
  [0x65, '\x1b'], // \e
  [0x20, ' '],
  [0x22, '"'],
  [0x27, "'"],
  [0x5c, '\\'],
  [0x4e, '\xc2\x85'], // \N: NEL
  [0x5f, '\xc2\xa0'], // \_: NBSP
  [0x4c, '\xe2\x80\xa8'], // \L: LS
  [0x50, '\xe2\x80\xa9'], // \P: PS
]);
// ... and the escapes followed by hex digits: \xXX, \uXXXX, \UXXXXXXXX
const HEX_ESCAPE_LENGTHS = new Map<number, number>([
  [0x78, 2],
  [0x75, 4],
  [0x55, 8],
]);

/** The scalar scanners, on top of the small token scanners. */
export class ScalarScanner extends TokenScanner {
  // ---- block scalars (go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_block_scalar) ----

  protected scanBlockScalar(literal: boolean): Token {
    const start = this.mark();
    this.skip();
    const { chomping, increment } = this.scanBlockScalarIndicators(start);
    this.skipToLineEnd('while scanning a block scalar', start); // blanks, a comment, the line break
    const st: BlockBreaks = { indent: 0, trailingBreaks: '', endMark: this.mark() };
    if (increment > 0) st.indent = this.indent >= 0 ? this.indent + increment : increment;
    this.scanBlockScalarBreaks(st, start);
    this.cache(1);
    let s = '';
    let leadingBreak = '';
    let leadingBlank = false;
    while (this.mColumn === st.indent && this.b(this.pos) !== 0) {
      const trailingBlank = this.isBlankAt(this.pos);
      // a folded scalar joins two lines with a space, unless either is more indented or there were empty lines
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.charCodeAt(0) === 0x0a) {
        if (st.trailingBreaks.length === 0) s += ' ';
      } else s += leadingBreak;
      s += st.trailingBreaks;
      st.trailingBreaks = '';
      leadingBlank = this.isBlankAt(this.pos);
      s += this.readToLineEnd();
      this.cache(2);
      leadingBreak = this.readLine();
      this.scanBlockScalarBreaks(st, start);
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += st.trailingBreaks;
    return { type: T.SCALAR, start, end: st.endMark, value: s, style: literal ? Style.LITERAL : Style.FOLDED };
  }

  /** The chomping (+ -) and indentation (1-9) indicators, in either order; chomping 1 keep, -1 strip, 0 clip. */
  private scanBlockScalarIndicators(start: Mark): { chomping: number; increment: number } {
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    if (this.isChompingIndicator()) {
      chomping = this.scanChompingIndicator();
      this.cache(1);
      if (this.isDigitAt(this.pos)) increment = this.scanIndentationIndicator(start);
    } else if (this.isDigitAt(this.pos)) {
      increment = this.scanIndentationIndicator(start);
      this.cache(1);
      if (this.isChompingIndicator()) chomping = this.scanChompingIndicator();
    }
    return { chomping, increment };
  }

  private isChompingIndicator(): boolean {
    return this.b(this.pos) === 0x2b || this.b(this.pos) === 0x2d;
  }

  private isDigitAt(i: number): boolean {
    return this.b(i) >= 0x30 && this.b(i) <= 0x39;
  }

  private scanChompingIndicator(): number {
    const chomping = this.b(this.pos) === 0x2b ? 1 : -1;
    this.skip();
    return chomping;
  }

  private scanIndentationIndicator(start: Mark): number {
    if (this.b(this.pos) === 0x30)
      this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
    const increment = this.b(this.pos) - 0x30;
    this.skip();
    return increment;
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_block_scalar_breaks: the indentation and the empty lines
  // before a content line; the first content line fixes an auto-detected indentation.
  private scanBlockScalarBreaks(st: BlockBreaks, start: Mark): void {
    st.endMark = this.mark();
    let maxIndent = 0;
    for (;;) {
      this.cache(1);
      while ((st.indent === 0 || this.mColumn < st.indent) && this.b(this.pos) === 0x20) {
        this.skip();
        this.cache(1);
      }
      if (this.mColumn > maxIndent) maxIndent = this.mColumn;
      if ((st.indent === 0 || this.mColumn < st.indent) && this.b(this.pos) === 0x09) {
        this.scannerError(
          'while scanning a block scalar',
          start,
          'found a tab character where an indentation space is expected',
        );
      }
      if (!this.isBreakAt(this.pos)) break;
      this.cache(2);
      st.trailingBreaks += this.readLine();
      st.endMark = this.mark();
    }
    if (st.indent === 0) st.indent = Math.max(maxIndent, this.indent + 1, 1);
  }

  private readToLineEnd(): GoString {
    let s = '';
    while (!this.isBreakzAt(this.pos)) {
      s += this.readChar();
      this.cache(1);
    }
    return s;
  }

  // ---- flow scalars (go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_flow_scalar, single- and double-quoted) ----

  protected scanFlowScalar(single: boolean): Token {
    const start = this.mark();
    this.skip();
    const t = new ScalarText();
    for (;;) {
      this.cache(4);
      if (this.isDocumentIndicatorAt(this.pos, 0x2d) || this.isDocumentIndicatorAt(this.pos, 0x2e)) {
        this.scannerError('while scanning a quoted scalar', start, 'found unexpected document indicator');
      }
      if (this.b(this.pos) === 0)
        this.scannerError('while scanning a quoted scalar', start, 'found unexpected end of stream');
      t.leadingBlanks = false;
      this.scanQuotedChars(t, single, start);
      this.cache(1);
      if (this.b(this.pos) === (single ? 0x27 : 0x22)) break;
      this.scanBlanksAndBreaks(t);
      t.joinPending();
    }
    this.skip();
    return { type: T.SCALAR, start, end: this.mark(), value: t.text, style: single ? Style.SINGLE : Style.DOUBLE };
  }

  /** The non-blank characters of a quoted scalar up to a blank, a break or the closing quote: '' and \ escapes. */
  private scanQuotedChars(t: ScalarText, single: boolean, start: Mark): void {
    while (!this.isBlankzAt(this.pos)) {
      const c = this.b(this.pos);
      if (single && c === 0x27 && this.b(this.pos + 1) === 0x27) {
        t.text += "'";
        this.skip();
        this.skip();
      } else if (c === (single ? 0x27 : 0x22)) break;
      else if (!single && c === 0x5c && this.isBreakAt(this.pos + 1)) {
        // an escaped line break: the line continues without a space
        this.cache(3);
        this.skip();
        this.skipLine();
        t.leadingBlanks = true;
        break;
      } else if (!single && c === 0x5c) t.text += this.scanEscape(start);
      else t.text += this.readChar();
      this.cache(2);
    }
  }

  private scanEscape(start: Mark): GoString {
    const c = this.b(this.pos + 1);
    const simple = SIMPLE_ESCAPES.get(c);
    const codeLength = HEX_ESCAPE_LENGTHS.get(c) ?? 0;
    if (simple === undefined && codeLength === 0)
      this.scannerError('while parsing a quoted scalar', start, 'found unknown escape character');
    this.skip();
    this.skip();
    return simple ?? this.scanHexEscape(codeLength, start);
  }

  private scanHexEscape(codeLength: number, start: Mark): GoString {
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
    for (let k = 0; k < codeLength; k++) this.skip();
    return encodeRune(value);
  }

  /** Blanks and line breaks inside a flow or plain scalar: blanks kept until a break, the breaks counted. */
  private scanBlanksAndBreaks(t: ScalarText, checkBlank?: () => void): void {
    while (this.isBlankAt(this.pos) || this.isBreakAt(this.pos)) {
      if (this.isBlankAt(this.pos)) {
        checkBlank?.();
        if (!t.leadingBlanks) t.whitespaces += this.readChar();
        else this.skip();
      } else {
        this.cache(2);
        if (!t.leadingBlanks) {
          t.whitespaces = '';
          t.leadingBreak += this.readLine();
          t.leadingBlanks = true;
        } else t.trailingBreaks += this.readLine();
      }
      this.cache(1);
    }
  }

  // ---- plain scalars (go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_plain_scalar) ----

  protected scanPlainScalar(): Token {
    const t = new ScalarText();
    const indent = this.indent + 1;
    const start = this.mark();
    let end = this.mark();
    const checkTab = (): void => {
      if (t.leadingBlanks && this.mColumn < indent && this.b(this.pos) === 0x09) {
        this.scannerError('while scanning a plain scalar', start, 'found a tab character that violates indentation');
      }
    };
    for (;;) {
      this.cache(4);
      if (this.isDocumentIndicatorAt(this.pos, 0x2d) || this.isDocumentIndicatorAt(this.pos, 0x2e)) break;
      if (this.b(this.pos) === 0x23) break;
      end = this.scanPlainChars(t, end);
      if (!(this.isBlankAt(this.pos) || this.isBreakAt(this.pos))) break;
      this.cache(1);
      this.scanBlanksAndBreaks(t, checkTab);
      if (this.flowLevel === 0 && this.mColumn < indent) break;
    }
    if (t.leadingBlanks) this.simpleKeyAllowed = true;
    return { type: T.SCALAR, start, end, value: t.text, style: Style.PLAIN };
  }

  /** The non-blank characters of a plain scalar up to ": ", a flow indicator in flow context, a blank or a break. */
  private scanPlainChars(t: ScalarText, end: Mark): Mark {
    while (!this.isBlankzAt(this.pos)) {
      const c = this.b(this.pos);
      if (c === 0x3a && this.isBlankzAt(this.pos + 1)) break;
      if (this.flowLevel > 0 && (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d))
        break;
      if (t.leadingBlanks || t.whitespaces.length > 0) {
        t.joinPending();
        t.leadingBlanks = false;
      }
      t.text += this.readChar();
      end = this.mark();
      this.cache(2);
    }
    return end;
  }
}
