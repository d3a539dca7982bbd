// The scanner's small tokens: the gap to the next token (spaces, tabs, comments, breaks, a BOM), directives, anchors,
// aliases and tags (go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_to_next_token, scan_directive, scan_anchor,
// scan_tag, scan_tag_handle, scan_tag_uri, scan_uri_escapes).
import { GoString } from './go-string';
import { Reader } from './reader';
import { Mark, T, Token, hexValue, isAlphaByte, isHexByte, widthOf } from './tokens';

/** The scanner state the token scanners read (go-yaml@v2.4.2+v2.4.4 yamlh.go yaml_parser_t) and the small token scanners. */
export class TokenScanner extends Reader {
  protected flowLevel = 0;
  protected indent = -1;
  protected simpleKeyAllowed = false;

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_to_next_token: spaces (tabs only in flow context or where no simple key is
  // allowed), comments, line breaks; a BOM (as is_bom sees it: at the start of parser.buffer) at column 0.
  protected scanToNextToken(): void {
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
      this.skipComment();
      if (this.isBreakAt(this.pos)) {
        this.cache(2);
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else break;
    }
  }

  /** Blanks (spaces and tabs). */
  protected skipBlanks(): void {
    this.cache(1);
    while (this.isBlankAt(this.pos)) {
      this.skip();
      this.cache(1);
    }
  }

  /** A comment up to the line break. */
  protected skipComment(): void {
    if (this.b(this.pos) !== 0x23) return;
    while (!this.isBreakzAt(this.pos)) {
      this.skip();
      this.cache(1);
    }
  }

  /** The end of a directive or block scalar header line: blanks, a comment, then a line break (or the end). */
  protected skipToLineEnd(context: string, start: Mark): void {
    this.skipBlanks();
    this.skipComment();
    if (!this.isBreakzAt(this.pos)) this.scannerError(context, start, 'did not find expected comment or line break');
    if (this.isBreakAt(this.pos)) {
      this.cache(2);
      this.skipLine();
    }
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_directive (+ name, version and tag directive values)
  protected scanDirective(): Token {
    const start = this.mark();
    this.skip();
    const name = this.scanDirectiveName(start);
    let token: Token;
    if (name === 'YAML') token = this.scanVersionDirectiveValue(start);
    else if (name === 'TAG') token = this.scanTagDirectiveValue(start);
    else return this.scannerError('while scanning a directive', start, 'found unknown directive name');
    this.skipToLineEnd('while scanning a directive', start);
    return token;
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_directive_name
  private scanDirectiveName(start: Mark): GoString {
    this.cache(1);
    let name = '';
    while (isAlphaByte(this.b(this.pos))) {
      name += this.readChar();
      this.cache(1);
    }
    if (name === '') this.scannerError('while scanning a directive', start, 'could not find expected directive name');
    if (!this.isBlankzAt(this.pos))
      this.scannerError('while scanning a directive', start, 'found unexpected non-alphabetical character');
    return name;
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_version_directive_value: %YAML major.minor
  private scanVersionDirectiveValue(start: Mark): Token {
    this.skipBlanks();
    const major = this.scanVersionNumber(start);
    if (this.b(this.pos) !== 0x2e)
      this.scannerError('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
    this.skip();
    const minor = this.scanVersionNumber(start);
    return { type: T.VERSION_DIRECTIVE, start, end: this.mark(), major, minor };
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_scan_tag_directive_value: %TAG handle prefix
  private scanTagDirectiveValue(start: Mark): Token {
    this.skipBlanks();
    const handle = this.scanTagHandle(true, start);
    this.cache(1);
    if (!this.isBlankAt(this.pos))
      this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace');
    this.skipBlanks();
    const prefix = this.scanTagUri(true, '', start);
    this.cache(1);
    if (!this.isBlankzAt(this.pos))
      this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
    return { type: T.TAG_DIRECTIVE, start, end: this.mark(), value: handle, prefix };
  }

  protected scanVersionNumber(start: Mark): number {
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
  protected scanAnchor(type: T): Token {
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
  protected scanTag(): Token {
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

  protected scanTagHandle(directive: boolean, start: Mark): GoString {
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
  protected scanTagUri(directive: boolean, head: GoString, start: Mark): GoString {
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

  protected scanUriEscapes(context: string, start: Mark): GoString {
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
}
