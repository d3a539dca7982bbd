// Writing scalars: the output with its column, indentation and the plain, single-quoted, double-quoted and literal
// writers that fold long lines at 80 columns (go-yaml@v2.4.2+v2.4.4 emitterc.go put, put_break, write, write_break,
// yaml_emitter_increase_indent, write_indent, write_indicator, write_plain_scalar, write_single_quoted_scalar,
// write_double_quoted_scalar, write_literal_scalar, write_block_scalar_hints).
import { isBreakIn, isPrintable } from './analyze';
import { GoString } from './go-string';
import { widthOf } from './tokens';

// go-yaml@v2.4.2+v2.4.4 apic.go yaml_emitter_set_indent / set_width defaults, emitterc.go yaml_emitter_emit_stream_start
export const BEST_INDENT = 2;
export const BEST_WIDTH = 80;

// go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_double_quoted_scalar: the short escapes, by code point.
const SHORT_ESCAPES = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

/** The escape of code point r in a double-quoted scalar. */
function escapeOf(r: number): string {
  const short = SHORT_ESCAPES.get(r);
  if (short !== undefined) return '\\' + short;
  const [letter, n] = r <= 0xff ? ['x', 2] : r <= 0xffff ? ['u', 4] : ['U', 8];
  return '\\' + letter + r.toString(16).toUpperCase().padStart(n, '0');
}

/** The output and the scalar writers; the Emitter above it walks the values. */
export class ScalarWriter {
  out = '';
  protected column = 0;
  protected indent = -1;
  protected readonly indents: number[] = [];
  protected whitespace = true;
  protected indention = true;

  // go-yaml@v2.4.2+v2.4.4 emitterc.go put / put_break / write / write_break
  protected put(c: string): void {
    this.out += c;
    this.column++;
  }

  protected putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  // write: one character (all its bytes), one column
  protected writeAt(v: GoString, i: number): number {
    const w = widthOf(v.charCodeAt(i)) || 1;
    this.out += v.slice(i, i + w);
    this.column++;
    return i + w;
  }

  protected writeBreakAt(v: GoString, i: number): number {
    if (v.charCodeAt(i) === 0x0a) {
      this.putBreak();
      return i + 1;
    }
    const j = this.writeAt(v, i);
    this.column = 0;
    return j;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_increase_indent
  protected increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_indent
  protected writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_indicator
  protected writeIndicator(
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

  protected popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_plain_scalar: a space past column 80 becomes a line break
  protected writePlain(v: GoString, allowBreaks: boolean): void {
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
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_single_quoted_scalar
  protected writeSingleQuoted(v: GoString, allowBreaks: boolean): void {
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
  protected writeDoubleQuoted(v: GoString, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    // go-yaml@v2.4.2+v2.4.4 emitterc.go calls is_bom(value, i), which looks at value[0..2] whatever i is: a value that starts with
    // U+FEFF has every character escaped.
    const bom = v.charCodeAt(0) === 0xef && v.charCodeAt(1) === 0xbb && v.charCodeAt(2) === 0xbf;
    for (let i = 0; i < v.length;) {
      const c = v.charCodeAt(i);
      if (!isPrintable(v, i) || bom || isBreakIn(v, i) || c === 0x22 || c === 0x5c) {
        i = this.writeEscaped(v, i);
        spaces = false;
      } else if (c === 0x20) {
        i = this.writeDoubleQuotedSpace(v, i, allowBreaks && !spaces);
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

  /** One character as an escape: a short one (\n, \t, \", …) or \xXX, \uXXXX, \UXXXXXXXX with upper-case hex. */
  private writeEscaped(v: GoString, i: number): number {
    const c = v.charCodeAt(i);
    const w = widthOf(c);
    let r = w === 1 ? c & 0x7f : w === 2 ? c & 0x1f : w === 3 ? c & 0x0f : c & 0x07;
    for (let k = 1; k < w; k++) r = (r << 6) + (v.charCodeAt(i + k) & 0x3f);
    for (const ch of escapeOf(r)) this.put(ch);
    return i + w;
  }

  /** A space, or past column 80 a line break (a following space then starts with "\\" so it is kept). */
  private writeDoubleQuotedSpace(v: GoString, i: number, mayBreak: boolean): number {
    if (mayBreak && this.column > BEST_WIDTH && i > 0 && i < v.length - 1) {
      this.writeIndent();
      if (v.charCodeAt(i + 1) === 0x20) this.put('\\');
      return i + 1;
    }
    return this.writeAt(v, i);
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_write_literal_scalar + write_block_scalar_hints
  protected writeLiteral(v: GoString): void {
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
