// YAML exactly as Flux's kustomize-controller writes and reads it, plus the few Go runtime rules
// (UTF-8, unicode classes, encoding/json strings, number formatting) that Flux's substitution relies on.
//
// Where this comes from (read at the versions the controllers link; every rule below cites its file):
//   - fluxcd/pkg kustomize/v1.24.0 and kustomize/v1.35.4 kustomize/kustomize_varsub.go: the object is written with
//     sigs.k8s.io/yaml, substituted as text, then read back with yaml.YAMLToJSON.
//   - kubernetes-sigs/yaml v1.6.0 yaml.go (both controllers pin it, go.mod of kustomize-controller v1.7.3/v1.9.4):
//     Marshal = encoding/json.Marshal then JSONToYAML (go-yaml v2 Unmarshal of the JSON text into interface{},
//     then go-yaml v2 Marshal); YAMLToJSON = go-yaml v2 Unmarshal + convertToJSONableObject + json.Marshal.
//   - yaml/go-yaml v2.4.2 (kustomize-controller v1.7.3 go.mod: go.yaml.in/yaml/v2 v2.4.2) and v2.4.4 (v1.9.4);
//     every non-test file is byte-identical between the two tags, so one implementation serves both Flux
//     generations: readerc.go, scannerc.go, parserc.go, decode.go, resolve.go, encode.go, emitterc.go, sorter.go.
//
// The code is written here (a TypeScript state machine following libyaml's structure where behaviour depends on
// it: lazy token fetching, simple-key bookkeeping, 512-byte reader chunks). Text is handled as "Go strings":
// JS strings whose char codes are bytes (0-255), so byte offsets, invalid UTF-8 and slicing match Go exactly.
// One concern per file in lib/go/yaml/, each citing the go-yaml file it follows:
//   reading   go-string (UTF-8, unicode classes) → reader (readerc.go) → scan-tokens, scan-scalars, scanner
//             (scannerc.go) → parser, events (parserc.go) → decode (decode.go) with resolve (resolve.go) → values
//   writing   encode (encode.go: a Go value's text and style) → emitter (emitterc.go: collections, style choice)
//             → scalar-writer (emitterc.go: the four scalar writers, 80-column folding), analyze
//             (yaml_emitter_analyze_scalar), sorter (sorter.go), float (strconv.FormatFloat)
//   JSON      json (encoding/json, sigs.k8s.io/yaml convertToJSONableObject); failure (the thrown error)
//
// Why a port and not the `yaml` package (v2, installed through cdk8s) under an adapter: measured on the committed
// conformance subset with `version: '1.1'` and the options closest to go-yaml (scripts/yaml-package-vs-port.ts;
// test/go/yaml-package.test.ts names one case per class), `yaml` writes Go's bytes in 229/254 (v1.7.3) and
// 242/267 (v1.9.4) cases and reads Go's result in 186/223 and 189/226; the port in all of them. No piece can be
// swapped without losing cases, because each direction misses whole classes:
//   writing  quoting: go-yaml single-quotes what needs quotes (value:star:0, value:colon:0, value:hash:0,
//              value:leadingSpace:0, value:dashStart:0, value:braceStart:0) but double-quotes strings that would
//              read back as non-strings ("yes", "0123": roundtrip:string:0) — `yaml` picks one quote for both;
//            a tab inside a string is double-quoted (value:tab:0); 80-column folding of plain, quoted and list
//              scalars (value:long:0, fold:double-quoted:40, fold:single-quoted:40, fold:list:72,
//              real:prometheus-rule, real:dashboard-json).
//   reading  YAML 1.1 as go-yaml v2 resolves it: 0o17 is 15 (value:plain:17), 12:30 and 190:20:30.15 stay strings
//              (value:plain:27, :81), timestamps stay strings (value:plain:26, :84), 1e400 stays a string
//              (value:plain:88); .inf/.nan are refused by encoding/json (value:plain:24, :25, :76, :77);
//            explicit tags: !!float 1, !!null x, !!binary, "!!int 7/!!int 7" (value:plain:69, :71, :72,
//              value:twice:68..73);
//            "\r", U+0085, U+2028, U+2029 are line breaks (value:plain:57, :59, :60, :92, :93, :94, newline:3,
//              shape:deep:11); control characters are refused (value:plain:96, :97);
//            nil and mapping keys are refused (shape:keyWhole:4, shape:keyWhole:9).
//
// Public API (this file; import '../go/yaml', not the files under yaml/): toFluxYaml(object) and fromFluxYaml(text)
// (errors are ZotFluxError); marshalFluxYamlGo / unmarshalFluxYamlGo / isYamlFailure on Go strings for
// lib/flux/substitute-object.ts; the Go-string helpers for lib/flux/substitution.ts; unmarshalGoYaml and
// formatGoFloat for tests.

import { ZotFluxError } from '../core/error';
import { unmarshalGoYaml } from './yaml/decode';
import { marshalGoYaml } from './yaml/emitter';
import { YamlFailure } from './yaml/failure';
import { GoString, goString } from './yaml/go-string';
import { goJsonMarshal, goValueToJson } from './yaml/json';

export {
  GoString,
  RUNE_ERROR,
  decodeRunePacked,
  encodeRune,
  goBytes,
  goString,
  isGoDigit,
  isGoLetter,
  jsString,
  validUtf8,
} from './yaml/go-string';
export { formatGoFloat } from './yaml/float';
export { unmarshalGoYaml } from './yaml/decode';

function yamlError(e: unknown, field: string, what: string): never {
  if (e instanceof YamlFailure) {
    // go-yaml quotes scalar text in a few messages ("cannot decode !!str `…`", anchors); those may carry
    // substituted values, so the quoted part is left out.
    const reason = e.message.replace(/`[^`]*`/g, 'a value').replace(/anchor '[^']*'/g, "anchor '…'");
    throw new ZotFluxError({ field, reason: `${what}: yaml: ${reason}` });
  }
  throw e;
}

/** sigs.k8s.io/yaml.JSONToYAML(json.Marshal(object)) as a Go string; YamlFailure on what Go refuses. */
export function marshalFluxYamlGo(object: unknown): GoString {
  return marshalGoYaml(unmarshalGoYaml(goJsonMarshal(object)));
}

/** sigs.k8s.io/yaml.YAMLToJSON then json.Unmarshal, on a Go string; YamlFailure on what Go refuses. */
export function unmarshalFluxYamlGo(text: GoString): unknown {
  return goValueToJson(unmarshalGoYaml(text));
}

/** Is this error go-yaml's (or encoding/json's) refusal? */
export function isYamlFailure(e: unknown): e is { message: string } {
  return e instanceof YamlFailure;
}

/**
 * What sigs.k8s.io/yaml.Marshal gives for a JSON-like object (the text kustomize-controller substitutes in):
 * keys sorted (go-yaml's natural order), YAML 1.1 quoting, long plain/quoted strings folded at 80 columns,
 * literal blocks for strings with "\n", emoji and control characters escaped in double quotes.
 */
export function toFluxYaml(object: unknown): string {
  let out: GoString;
  try {
    out = marshalFluxYamlGo(object);
  } catch (e) {
    return yamlError(e, 'object', 'sigs.k8s.io/yaml cannot write it');
  }
  return Buffer.from(out, 'latin1').toString('utf8');
}

/**
 * YAML text read back the way the controller does after substitution (sigs.k8s.io/yaml.YAMLToJSON with go-yaml
 * v2: YAML 1.1 — yes/on/y → true, 0123 → 83, 1_000 → 1000, .inf → refused, "\r"/U+0085/U+2028 are line breaks,
 * only the first document, the last duplicate key wins, merge keys and anchors honoured).
 */
export function fromFluxYaml(text: string | Uint8Array): unknown {
  const g = typeof text === 'string' ? goString(text) : Buffer.from(text).toString('latin1');
  try {
    return unmarshalFluxYamlGo(g);
  } catch (e) {
    return yamlError(e, 'postBuild', 'the substituted YAML cannot be read back');
  }
}
