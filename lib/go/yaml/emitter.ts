// The emitter: a document of Go values to YAML text with go-yaml's defaults (go-yaml@v2.4.2+v2.4.4 encode.go,
// emitterc.go; apic.go, emitterc.go yaml_emitter_emit_stream_start: indent 2, width 80, unicode on, "\n" line breaks):
// block collections, flow for empty ones, keys in go-yaml's order, each scalar in the style it allows.
import { analyzeScalar } from './analyze';
import { scalarEvent } from './encode';
import { GoString } from './go-string';
import { BEST_WIDTH, ScalarWriter } from './scalar-writer';
import { keyLess } from './sorter';
import { Style } from './tokens';
import { GoMap, GoScalar, GoValue } from './values';

/** go-yaml@v2.4.2+v2.4.4 emitterc.go, as driven by encode.go for one document of plain Go values. */
class Emitter extends ScalarWriter {
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;

  document(v: GoValue): GoString {
    // the root context only matters for open_ended, cleared before STREAM-END (go-yaml@v2.4.2+v2.4.4 encode.go finish)
    this.emitNode(v, false, false);
    // yaml_emitter_emit_document_end (implicit): write_indent, no "..." (go-yaml@v2.4.2+v2.4.4 encode.go finish clears open_ended)
    this.writeIndent();
    return this.out;
  }

  // yaml_emitter_check_simple_key
  private checkSimpleKey(k: GoValue): boolean {
    if (k instanceof GoMap) return k.entries.size === 0;
    if (Array.isArray(k)) return k.length === 0;
    const { text } = scalarEvent(k);
    if (analyzeScalar(text).multiline) return false;
    return text.length <= 128;
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_emit_node (mapping and simple-key contexts)
  private emitNode(v: GoValue, mapping: boolean, simpleKey: boolean): void {
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

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_mapping_start: flow when empty or inside flow, else block
  private emitMapping(m: GoMap): void {
    const entries = this.sortedEntries(m);
    if (this.flowLevel > 0 || entries.length === 0) this.emitFlowMapping(entries);
    else this.emitBlockMapping(entries);
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_flow_mapping_key / emit_flow_mapping_value
  private emitFlowMapping(entries: Array<[GoValue, GoValue]>): void {
    this.writeIndicator('{', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    entries.forEach(([k, v], i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > BEST_WIDTH) this.writeIndent();
      if (this.checkSimpleKey(k)) {
        this.emitNode(k, true, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, false);
        this.emitNode(k, true, false);
        if (this.column > BEST_WIDTH) this.writeIndent();
        this.writeIndicator(':', true, false, false);
      }
      this.emitNode(v, true, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false, false, false);
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_block_mapping_key / emit_block_mapping_value
  private emitBlockMapping(entries: Array<[GoValue, GoValue]>): void {
    this.increaseIndent(false, false);
    for (const [k, v] of entries) {
      this.writeIndent();
      if (this.checkSimpleKey(k)) {
        this.emitNode(k, true, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(k, true, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(v, true, false);
    }
    this.popIndent();
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_sequence_start: flow when empty or inside flow, else block
  private emitSequence(items: GoValue[]): void {
    if (this.flowLevel > 0 || items.length === 0) this.emitFlowSequence(items);
    else this.emitBlockSequence(items);
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_flow_sequence_item
  private emitFlowSequence(items: GoValue[]): void {
    this.writeIndicator('[', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > BEST_WIDTH) this.writeIndent();
      this.emitNode(item, false, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false, false, false);
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go emit_block_sequence_item (indentless inside a mapping)
  private emitBlockSequence(items: GoValue[]): void {
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item, false, false);
    }
    this.popIndent();
  }

  // yaml_emitter_emit_scalar: select_scalar_style, increase_indent(flow), process_scalar
  private emitScalar(v: GoScalar): void {
    const { text, style: requested } = scalarEvent(v);
    const style = this.selectScalarStyle(text, requested);
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    if (style === Style.PLAIN) this.writePlain(text, allowBreaks);
    else if (style === Style.SINGLE) this.writeSingleQuoted(text, allowBreaks);
    else if (style === Style.DOUBLE) this.writeDoubleQuoted(text, allowBreaks);
    else this.writeLiteral(text);
    this.popIndent();
  }

  // go-yaml@v2.4.2+v2.4.4 emitterc.go yaml_emitter_select_scalar_style: the requested style, or the next one the text allows
  private selectScalarStyle(text: GoString, requested: Style): Style {
    const a = analyzeScalar(text);
    const flow = this.flowLevel > 0;
    let style = requested;
    if (this.simpleKeyContext && a.multiline) style = Style.DOUBLE;
    if (style === Style.PLAIN) {
      if ((flow && !a.flowPlainAllowed) || (!flow && !a.blockPlainAllowed)) style = Style.SINGLE;
      if (text.length === 0 && (flow || this.simpleKeyContext)) style = Style.SINGLE;
    }
    if (style === Style.SINGLE && !a.singleQuotedAllowed) style = Style.DOUBLE;
    const block = style === Style.LITERAL || style === Style.FOLDED;
    if (block && (!a.blockAllowed || flow || this.simpleKeyContext)) style = Style.DOUBLE;
    return style;
  }
}

/** yaml.Marshal(value) (go-yaml@v2.4.2+v2.4.4 yaml.go Marshal → encode.go marshalDoc) for go-yaml's interface{} values. */
export function marshalGoYaml(v: GoValue): GoString {
  return new Emitter().document(v);
}
