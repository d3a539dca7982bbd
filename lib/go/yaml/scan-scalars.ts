// The scanner's scalars: block (| >), flow (' ") and plain (go-yaml@v2.4.2+v2.4.4 scannerc.go
// yaml_parser_scan_block_scalar, scan_block_scalar_breaks, scan_flow_scalar, scan_plain_scalar).
import { encodeRune } from './go-string';
import { TokenScanner } from './scan-tokens';
import { Style, T, Token, hexValue, isHexByte } from './tokens';

/** The scalar scanners, on top of the small token scanners. */
export class ScalarScanner extends TokenScanner {
  protected scanBlockScalar(literal: boolean): Token {
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
  protected scanFlowScalar(single: boolean): Token {
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
  protected scanPlainScalar(): Token {
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
}
