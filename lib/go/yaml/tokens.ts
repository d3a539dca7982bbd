// The scanner's vocabulary: token types, scalar styles, marks (go-yaml@v2.4.2+v2.4.4 yamlh.go) and the byte classes
// of yamlprivateh.go.
import { GoString } from './go-string';

export const enum T {
  // go-yaml@v2.4.2+v2.4.4 yamlh.go yaml_token_type_t
  NONE,
  STREAM_START,
  STREAM_END,
  VERSION_DIRECTIVE,
  TAG_DIRECTIVE,
  DOCUMENT_START,
  DOCUMENT_END,
  BLOCK_SEQUENCE_START,
  BLOCK_MAPPING_START,
  BLOCK_END,
  FLOW_SEQUENCE_START,
  FLOW_SEQUENCE_END,
  FLOW_MAPPING_START,
  FLOW_MAPPING_END,
  BLOCK_ENTRY,
  FLOW_ENTRY,
  KEY,
  VALUE,
  ALIAS,
  ANCHOR,
  TAG,
  SCALAR,
}

export const enum Style {
  ANY,
  PLAIN,
  SINGLE,
  DOUBLE,
  LITERAL,
  FOLDED,
}

export interface Mark {
  readonly index: number;
  readonly line: number;
  readonly column: number;
}

export interface Token {
  readonly type: T;
  readonly start: Mark;
  readonly end: Mark;
  readonly value?: GoString; // scalar, anchor, alias, tag handle, tag directive handle
  readonly suffix?: GoString; // tag suffix
  readonly prefix?: GoString; // tag directive prefix
  readonly style?: Style;
  readonly major?: number;
  readonly minor?: number;
}

export interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

export const enum ErrKind {
  NONE,
  READER,
  SCANNER,
  PARSER,
}

// go-yaml@v2.4.2+v2.4.4 yamlprivateh.go is_alpha: [0-9A-Za-z_-] (ASCII only).
export function isAlphaByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}
export function isHexByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
export function hexValue(c: number): number {
  return c >= 0x61 ? c - 0x61 + 10 : c >= 0x41 ? c - 0x41 + 10 : c - 0x30;
}
// go-yaml@v2.4.2+v2.4.4 yamlprivateh.go width: the UTF-8 sequence length from the leading byte (0 for a continuation byte).
export function widthOf(c: number): number {
  return (c & 0x80) === 0 ? 1 : (c & 0xe0) === 0xc0 ? 2 : (c & 0xf0) === 0xe0 ? 3 : (c & 0xf8) === 0xf0 ? 4 : 0;
}

/** A set of ASCII characters as a 256-entry table indexed by byte (the scanner and the analysis test one per byte). */
export function byteSet(chars: string): Uint8Array {
  const table = new Uint8Array(256);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
}
