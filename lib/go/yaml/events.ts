// The parser's events (go-yaml@v2.4.2+v2.4.4 yamlh.go yaml_event_type_t, yaml_event_t).
import { GoString } from './go-string';
import { Mark, Style } from './tokens';

export const enum E {
  NONE,
  STREAM_START,
  STREAM_END,
  DOCUMENT_START,
  DOCUMENT_END,
  ALIAS,
  SCALAR,
  SEQUENCE_START,
  SEQUENCE_END,
  MAPPING_START,
  MAPPING_END,
}

export interface YEvent {
  readonly type: E;
  readonly start: Mark;
  readonly anchor?: GoString;
  readonly tag?: GoString;
  readonly value?: GoString;
  readonly implicit?: boolean;
  readonly quotedImplicit?: boolean;
  readonly style?: Style;
}

export function emptyScalar(mark: Mark): YEvent {
  return { type: E.SCALAR, start: mark, tag: '', value: '', implicit: true, quotedImplicit: false, style: Style.PLAIN };
}
