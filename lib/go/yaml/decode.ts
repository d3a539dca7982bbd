// Decoding: events to a node tree (anchors, aliases) and the tree to Go values for an interface{} target
// (go-yaml@v2.4.2+v2.4.4 decode.go parser, decoder; yaml.go unmarshal).
import { E, YEvent } from './events';
import { failf } from './failure';
import { GoString } from './go-string';
import { BINARY_TAG, MERGE_TAG, TIMESTAMP_TAG, resolveScalar } from './resolve';
import { GoMap, GoValue } from './values';
import { Parser } from './parser';

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
  constructor(private readonly p: Parser) {}

  private peekEvent(): YEvent {
    if (this.ev === null) this.ev = this.p.nextEvent();
    return this.ev;
  }

  private peek(): E {
    return this.peekEvent().type;
  }

  private expect(type: E): YEvent {
    const ev = this.peekEvent();
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
    const ev = this.peekEvent();
    switch (ev.type) {
      case E.SCALAR:
        return this.scalar(ev);
      case E.ALIAS:
        return this.alias(ev);
      case E.MAPPING_START:
        return this.collection('map', ev, E.MAPPING_START, E.MAPPING_END, 2);
      case E.SEQUENCE_START:
        return this.collection('seq', ev, E.SEQUENCE_START, E.SEQUENCE_END, 1);
      case E.DOCUMENT_START:
        return this.document(ev);
      case E.STREAM_END:
        return null;
      default:
        throw new Error('attempted to parse unknown event');
    }
  }

  /** A child node: the stream cannot end inside a collection or a document. */
  private child(): YNode {
    const n = this.parse();
    if (n === null) return failf('attempted to go past the end of stream; corrupted value?');
    return n;
  }

  private scalar(ev: YEvent): YNode {
    const n = this.node('scalar', ev);
    n.value = ev.value ?? '';
    n.tag = ev.tag ?? '';
    n.implicit = !!ev.implicit;
    if (ev.anchor !== undefined) this.anchors.set(ev.anchor, n);
    this.expect(E.SCALAR);
    return n;
  }

  private alias(ev: YEvent): YNode {
    const n = this.node('alias', ev);
    n.value = ev.anchor ?? '';
    n.alias = this.anchors.get(n.value);
    if (!n.alias) failf(`unknown anchor '${n.value}' referenced`);
    this.expect(E.ALIAS);
    return n;
  }

  // a mapping's children are key, value, key, value…; the anchor is registered before them
  private collection(kind: 'map' | 'seq', ev: YEvent, start: E, end: E, perEntry: 1 | 2): YNode {
    const n = this.node(kind, ev);
    n.tag = ev.tag ?? '';
    if (ev.anchor !== undefined) this.anchors.set(ev.anchor, n);
    this.expect(start);
    while (this.peek() !== end) for (let k = 0; k < perEntry; k++) n.children.push(this.child());
    this.expect(end);
    return n;
  }

  private document(ev: YEvent): YNode {
    const n = this.node('doc', ev);
    this.anchors = new Map();
    this.expect(E.DOCUMENT_START);
    n.children.push(this.child());
    this.expect(E.DOCUMENT_END);
    return n;
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
        const v = this.unmarshal(n.alias ?? failf(`unknown anchor '${n.value}' referenced`), into);
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
  const parser = new Parser(input.length === 0 ? '\n' : input);
  const node = new Composer(parser).parseFirst();
  return node === null ? null : new Decoder().unmarshal(node);
}
