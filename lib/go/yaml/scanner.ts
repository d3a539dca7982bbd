// The scanner: the token queue, fetching the next token, simple keys, flow levels and indentation
// (go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_fetch_more_tokens, fetch_next_token, the fetch_* functions, the simple
// key and indent bookkeeping; apic.go yaml_insert_token).
import { ScalarScanner } from './scan-scalars';
import { Mark, SimpleKey, T, Token, byteSet } from './tokens';

// go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_fetch_next_token: the indicators that cannot start a plain scalar.
const PLAIN_SCALAR_INDICATORS = byteSet('-?:,[]{}#&*!|>\'"%@`');

/** libyaml's lazy token fetching over the character scanners: tokens are produced only when the parser asks. */
export class Scanner extends ScalarScanner {
  protected streamStartProduced = false;
  protected streamEndProduced = false;
  protected tokens: Token[] = [];
  protected tokensHead = 0;
  protected tokensParsed = 0;
  protected tokenAvailable = false;
  protected indents: number[] = [];
  protected simpleKeys: SimpleKey[] = [];
  protected simpleKeysByTok = new Map<number, number>();

  // ---- token queue (go-yaml@v2.4.2+v2.4.4 apic.go yaml_insert_token) ----

  protected insertToken(pos: number, token: Token): void {
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.tokensHead + pos, 0, token);
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_parser_fetch_more_tokens
  protected fetchMoreTokens(): void {
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
  protected fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) return this.fetchStreamStart();
    this.scanToNextToken();
    this.unrollIndent(this.mColumn);
    this.cache(4);
    const c = this.b(this.pos);
    if (c === 0) return this.fetchStreamEnd();
    if (this.mColumn === 0 && c === 0x25) return this.fetchDirective();
    if (this.isDocumentIndicatorAt(this.pos, 0x2d)) return this.fetchDocumentIndicator(T.DOCUMENT_START);
    if (this.isDocumentIndicatorAt(this.pos, 0x2e)) return this.fetchDocumentIndicator(T.DOCUMENT_END);
    if (this.fetchIndicatorToken(c)) return;
    if (this.canStartPlainScalar(c)) return this.fetchPlainScalar();
    this.scannerError('while scanning for the next token', this.mark(), 'found character that cannot start any token');
  }

  /** The token an indicator character starts (flow collections and entries, ? :, anchors, tags, block and quoted
   * scalars), in go-yaml's order; false when c starts none of them. */
  private fetchIndicatorToken(c: number): boolean {
    const flow = this.flowLevel > 0;
    const blankzNext = (c === 0x2d || c === 0x3f || c === 0x3a) && this.isBlankzAt(this.pos + 1); // - ? :
    if (c === 0x5b) this.fetchFlowCollectionStart(T.FLOW_SEQUENCE_START);
    else if (c === 0x7b) this.fetchFlowCollectionStart(T.FLOW_MAPPING_START);
    else if (c === 0x5d) this.fetchFlowCollectionEnd(T.FLOW_SEQUENCE_END);
    else if (c === 0x7d) this.fetchFlowCollectionEnd(T.FLOW_MAPPING_END);
    else if (c === 0x2c) this.fetchFlowEntry();
    else if (c === 0x2d && blankzNext) this.fetchBlockEntry();
    else if (c === 0x3f && (flow || blankzNext)) this.fetchKey();
    else if (c === 0x3a && (flow || blankzNext)) this.fetchValue();
    else if (c === 0x2a) this.fetchAnchor(T.ALIAS);
    else if (c === 0x26) this.fetchAnchor(T.ANCHOR);
    else if (c === 0x21) this.fetchTag();
    else if (c === 0x7c && !flow) this.fetchBlockScalar(true);
    else if (c === 0x3e && !flow) this.fetchBlockScalar(false);
    else if (c === 0x27) this.fetchFlowScalar(true);
    else if (c === 0x22) this.fetchFlowScalar(false);
    else return false;
    return true;
  }

  // A plain scalar may start with any non-blank character except the indicators; '-' too when not followed by a
  // blank, and '?' ':' in the block context when not followed by a blank or NUL.
  private canStartPlainScalar(c: number): boolean {
    const p = this.pos;
    return (
      !(this.isBlankzAt(p) || PLAIN_SCALAR_INDICATORS[c] === 1) ||
      (c === 0x2d && !this.isBlankAt(p + 1)) ||
      (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !this.isBlankzAt(p + 1))
    );
  }

  // go-yaml@v2.4.2+v2.4.4 scannerc.go yaml_simple_key_is_valid: a simple key must end on its line within 1024 characters.
  protected simpleKeyIsValid(sk: SimpleKey): boolean {
    if (!sk.possible) return false;
    if (sk.mark.line < this.mLine || sk.mark.index + 1024 < this.mIndex) {
      if (sk.required) this.scannerError('while scanning a simple key', sk.mark, "could not find expected ':'");
      sk.possible = false;
      return false;
    }
    return true;
  }

  protected saveSimpleKey(): void {
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

  protected removeSimpleKey(): void {
    const i = this.simpleKeys.length - 1;
    const sk = this.simpleKeys[i];
    if (sk.possible) {
      if (sk.required) this.scannerError('while scanning a simple key', sk.mark, "could not find expected ':'");
      sk.possible = false;
      this.simpleKeysByTok.delete(sk.tokenNumber);
    }
  }

  protected increaseFlowLevel(): void {
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

  protected decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.length - 1;
      this.simpleKeysByTok.delete(this.simpleKeys[last].tokenNumber);
      this.simpleKeys.pop();
    }
  }

  protected rollIndent(column: number, number: number, type: T, mark: Mark): void {
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

  protected unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      const m = this.mark();
      this.insertToken(-1, { type: T.BLOCK_END, start: m, end: m });
      this.indent = this.indents.pop() ?? -1;
    }
  }

  protected fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
    this.simpleKeysByTok = new Map();
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    const m = this.mark();
    this.insertToken(-1, { type: T.STREAM_START, start: m, end: m });
  }

  protected fetchStreamEnd(): void {
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

  protected fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  protected fetchDocumentIndicator(type: T): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  protected fetchFlowCollectionStart(type: T): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  protected fetchFlowCollectionEnd(type: T): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  protected fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type: T.FLOW_ENTRY, start, end: this.mark() });
  }

  protected fetchBlockEntry(): void {
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

  protected fetchKey(): void {
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

  protected fetchValue(): void {
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

  protected fetchAnchor(type: T): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  protected fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  protected fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  protected fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  protected fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  // ---- the parser's view of the queue (go-yaml@v2.4.2+v2.4.4 parserc.go peek_token, skip_token) ----

  protected peekToken(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.tokensHead];
  }

  protected skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.tokensHead].type === T.STREAM_END;
    this.tokensHead++;
  }
}
