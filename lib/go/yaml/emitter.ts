// The emitter: a document of Go values to YAML text with go-yaml's defaults (go-yaml@v2.4.2+v2.4.4 encode.go,
// emitterc.go; apic.go, emitterc.go yaml_emitter_emit_stream_start: indent 2, width 80, unicode on, "\n" line breaks).
import { analyzeScalar, isBreakIn, isPrintable } from './analyze';
import { YamlFailure } from './failure';
import { GoString, validUtf8 } from './go-string';
import { STR_TAG, resolvePlain } from './resolve';
import { formatGoFloat, isBase60Float, keyLess } from './sorter';
import { Style, widthOf } from './tokens';
import { GoFloat, GoInt, GoMap, GoUint, GoValue } from './values';
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
