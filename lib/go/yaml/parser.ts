// The parser: tokens to events, a state machine (go-yaml@v2.4.2+v2.4.4 parserc.go yaml_parser_parse and the
// yaml_parser_parse_* state functions, yaml_parser_process_directives).
import { GoString } from './go-string';
import { E, YEvent, emptyScalar } from './events';
import { Scanner } from './scanner';
import { Mark, Style, T, Token } from './tokens';

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

/** A tag token's parts, before the handle is resolved. */
interface TagProperty {
  handle: GoString;
  suffix: GoString;
  mark: Mark;
}

/** A node's properties (anchor, resolved tag) and the token after them. */
interface NodeProperties {
  start: Mark;
  anchor?: GoString;
  tag: GoString;
  token: Token;
}

/** libyaml's parser over the scanner: nextEvent() gives the events of the input one by one. */
export class Parser extends Scanner {
  private state: PState = PState.STREAM_START;
  private states: PState[] = [];
  private marks: Mark[] = [];
  private tagDirectives: Array<{ handle: GoString; prefix: GoString }> = [];

  private popState(): void {
    const state = this.states.pop();
    if (state === undefined) throw new Error('yaml parser: no state to return to'); // never: states are pushed first
    this.state = state;
  }

  private popMark(): Mark {
    const mark = this.marks.pop();
    if (mark === undefined) throw new Error('yaml parser: no mark to pop'); // never: marks are pushed first
    return mark;
  }

  /** go-yaml@v2.4.2+v2.4.4 parserc.go yaml_parser_parse / yaml_parser_state_machine: the next event. One case per
   * parser state, kept as go-yaml's dispatch table (the only function here over 50 lines). */
  public nextEvent(): YEvent {
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

  // go-yaml@v2.4.2+v2.4.4 parserc.go yaml_parser_parse_node: an alias, or the node's properties then its content.
  private parseNode(block: boolean, indentlessSequence: boolean): YEvent {
    const token = this.peekToken();
    if (token.type === T.ALIAS) {
      this.popState();
      this.skipToken();
      return { type: E.ALIAS, start: token.start, anchor: token.value };
    }
    return this.parseNodeContent(this.parseNodeProperties(token), block, indentlessSequence);
  }

  /** The anchor and the tag, in either order; the tag handle resolved through the %TAG directives. */
  private parseNodeProperties(token: Token): NodeProperties {
    const start = token.start;
    let anchor: GoString | undefined;
    let tag: TagProperty | undefined;
    if (token.type === T.ANCHOR) {
      anchor = token.value;
      this.skipToken();
      token = this.peekToken();
      if (token.type === T.TAG) {
        tag = this.takeTag(token);
        token = this.peekToken();
      }
    } else if (token.type === T.TAG) {
      tag = this.takeTag(token);
      token = this.peekToken();
      if (token.type === T.ANCHOR) {
        anchor = token.value;
        this.skipToken();
        token = this.peekToken();
      }
    }
    return { start, anchor, tag: tag ? this.resolveTag(tag, start) : '', token };
  }

  private takeTag(token: Token): TagProperty {
    this.skipToken();
    return { handle: token.value ?? '', suffix: token.suffix ?? '', mark: token.start };
  }

  private resolveTag(t: TagProperty, start: Mark): GoString {
    if (t.handle.length === 0) return t.suffix;
    const d = this.tagDirectives.find((dir) => dir.handle === t.handle);
    const tag = d ? d.prefix + t.suffix : '';
    if (tag.length === 0) this.parserError('found undefined tag handle', t.mark, start);
    return tag;
  }

  /** What follows the properties: a scalar, the start of a collection, or an empty scalar when there were properties. */
  private parseNodeContent(props: NodeProperties, block: boolean, indentlessSequence: boolean): YEvent {
    const { start, anchor, tag, token } = props;
    if (indentlessSequence && token.type === T.BLOCK_ENTRY)
      return this.collectionStart(PState.INDENTLESS_SEQUENCE_ENTRY, E.SEQUENCE_START, props);
    if (token.type === T.SCALAR) return this.scalarContent(props);
    if (token.type === T.FLOW_SEQUENCE_START)
      return this.collectionStart(PState.FLOW_SEQUENCE_FIRST_ENTRY, E.SEQUENCE_START, props);
    if (token.type === T.FLOW_MAPPING_START)
      return this.collectionStart(PState.FLOW_MAPPING_FIRST_KEY, E.MAPPING_START, props);
    if (block && token.type === T.BLOCK_SEQUENCE_START)
      return this.collectionStart(PState.BLOCK_SEQUENCE_FIRST_ENTRY, E.SEQUENCE_START, props);
    if (block && token.type === T.BLOCK_MAPPING_START)
      return this.collectionStart(PState.BLOCK_MAPPING_FIRST_KEY, E.MAPPING_START, props);
    if (anchor !== undefined || tag.length > 0) {
      this.popState();
      const implicit = tag.length === 0;
      return { type: E.SCALAR, start, anchor, tag, value: '', implicit, quotedImplicit: false, style: Style.PLAIN };
    }
    return this.parserError('did not find expected node content', token.start, start);
  }

  private collectionStart(state: PState, type: E, props: NodeProperties): YEvent {
    this.state = state;
    return { type, start: props.start, anchor: props.anchor, tag: props.tag, implicit: props.tag.length === 0 };
  }

  // a plain scalar without a tag, or one tagged "!", is resolved from its text; a quoted one without a tag is a string
  private scalarContent(props: NodeProperties): YEvent {
    const { start, anchor, tag, token } = props;
    const plainImplicit = (tag.length === 0 && token.style === Style.PLAIN) || tag === '!';
    const quotedImplicit = !plainImplicit && tag.length === 0;
    this.popState();
    this.skipToken();
    const value = token.value;
    return { type: E.SCALAR, start, anchor, tag, value, implicit: plainImplicit, quotedImplicit, style: token.style };
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
    const contextMark = this.popMark();
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
    const contextMark = this.popMark();
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
          const contextMark = this.popMark();
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
          const contextMark = this.popMark();
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
        this.tagDirectives.push({ handle: token.value ?? '', prefix: token.prefix ?? '' });
      }
      this.skipToken();
      token = this.peekToken();
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) {
      if (!this.tagDirectives.some((t) => t.handle === d.handle)) this.tagDirectives.push(d);
    }
  }
}
