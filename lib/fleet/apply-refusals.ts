// What the API server refuses among a Kustomization's objects, beyond the CRD schemas (lib/k8s/schema.ts): the
// core ConfigMap and Secret, whose fields are typed (kubernetes/api core/v1/types.go@v0.33.0: Secret.Data
// map[string][]byte, Secret.StringData map[string]string, ConfigMap.Data map[string]string, ConfigMap.BinaryData
// map[string][]byte) and whose keys must be config keys. A []byte field is read from JSON as Go's encoding/json
// does (decode.go literalStore: base64.StdEncoding.Decode; encoding/base64 decodeQuantum: padding required, `\r`
// and `\n` skipped); a string field takes a JSON string only (null is
// no value). kustomize-controller applies with server-side apply after a dry-run of every object of a stage
// (fluxcd/pkg ssa/manager_apply.go@ssa/v0.61.0 and @ssa/v0.76.1 ApplyAll: the first dry-run error returns before
// any object is applied), so one refused object fails the whole Kustomization and none of its objects (past the
// CRD and Namespace stage) is applied.
//
// And the bytes of a Secret value that are not UTF-8: the API server keeps them (they are []byte); Flux
// substitutes them as they are (fluxcd/pkg kustomize/v1.24.0+v1.35.4 kustomize_varsub.go LoadVariables:
// `vars[k] = strings.ReplaceAll(string(v), "\n", "")`), and the object's substituted YAML is read back with
// sigs.k8s.io/yaml v1.6.0 YAMLToJSON, whose reader (go.yaml.in/yaml/v2 readerc.go yaml_parser_update_buffer)
// refuses a byte sequence that is not UTF-8.

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const BASE64 = /[A-Za-z0-9+/]/;

/**
 * Why Go's base64.StdEncoding refuses `text` (Go's message, with its offset), or undefined when it decodes:
 * encoding/base64 decodeQuantum (`\r` and `\n` skipped anywhere, "=" padding required, nothing after it).
 */
export function base64Problem(src: string): string | undefined {
  const at = (n: number) => `illegal base64 data at input byte ${n}`;
  const newline = (c: string) => c === '\n' || c === '\r';
  let si = 0;
  for (;;) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) return j === 0 ? undefined : at(si - j);
      const c = src[si++];
      if (BASE64.test(c)) continue;
      if (newline(c)) { j--; continue; }
      if (c !== '=') return at(si - 1);
      if (j === 0 || j === 1) return at(si - 1);
      if (j === 2) {
        while (si < src.length && newline(src[si])) si++;
        if (si === src.length) return at(src.length);
        if (src[si] !== '=') return at(si - 1);
        si++;
      }
      while (si < src.length && newline(src[si])) si++;
      return si < src.length ? at(si) : undefined;
    }
  }
}

/**
 * Why a ConfigMap or Secret key is refused (kubernetes/apimachinery pkg/util/validation/validation.go@v0.33.0
 * IsConfigMapKey, "a valid key for a ConfigMap or Secret": at most 253 characters of `[-._a-zA-Z0-9]`, not `.`,
 * `..` or starting with `..`), or undefined.
 */
export function configMapKeyProblem(key: string): string | undefined {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs.length ? errs.join('; ') : undefined;
}

function describe(o: any): string {
  return `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
}

function valueKind(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

/** What the API server refuses in a core/v1 ConfigMap or Secret, each naming the object and the field; [] otherwise. */
export function coreObjectRefusals(o: any): string[] {
  if (o?.apiVersion !== 'v1' || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) return [];
  const out: string[] = [];
  // A SOPS-encrypted object's values are ENC[...] here; Flux decrypts them before applying (values unknown).
  const encrypted = o.sops !== undefined && o.sops !== null;
  const fields: Array<[string, 'string' | 'bytes']> = o.kind === 'ConfigMap'
    ? [['data', 'string'], ['binaryData', 'bytes']]
    : [['data', 'bytes'], ['stringData', 'string']];
  for (const [field, type] of fields) {
    const content = o[field];
    if (content === undefined || content === null) continue;
    if (!isPlain(content)) { out.push(`${describe(o)} ${field}: ${valueKind(content)}, not a mapping`); continue; }
    for (const [k, v] of Object.entries(content)) {
      const badKey = configMapKeyProblem(k);
      if (badKey) out.push(`${describe(o)} ${field}: key ${JSON.stringify(k)}: ${badKey}`);
      if (v === null) continue;
      if (typeof v !== 'string') {
        out.push(`${describe(o)} ${field}.${k}: ${valueKind(v)}, where the API server takes a string${type === 'string' ? ' (quote it)' : ' of base64'}`);
        continue;
      }
      if (type !== 'bytes' || (encrypted && v.startsWith('ENC['))) continue;
      const why = base64Problem(v);
      if (why) out.push(`${describe(o)} ${field}.${k}: not base64 (${why}); the API server decodes ${o.kind} ${field} as base64 — put plain text under ${o.kind === 'Secret' ? 'stringData' : 'data'}`);
    }
  }
  return out;
}

/**
 * Why go-yaml's reader refuses these bytes (readerc.go yaml_parser_update_buffer's messages), or undefined when
 * they are UTF-8 it accepts.
 */
export function utf8Problem(bytes: Uint8Array): string | undefined {
  for (let i = 0; i < bytes.length;) {
    const octet = bytes[i];
    const width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
    if (width === 0) return 'invalid leading UTF-8 octet';
    if (i + width > bytes.length) return 'incomplete UTF-8 octet sequence';
    let value = width === 1 ? octet & 0x7f : width === 2 ? octet & 0x1f : width === 3 ? octet & 0x0f : octet & 0x07;
    for (let k = 1; k < width; k++) {
      const trail = bytes[i + k];
      if ((trail & 0xc0) !== 0x80) return 'invalid trailing UTF-8 octet';
      value = (value << 6) + (trail & 0x3f);
    }
    if (!(width === 1 || (width === 2 && value >= 0x80) || (width === 3 && value >= 0x800) || (width === 4 && value >= 0x10000))) {
      return 'invalid length of a UTF-8 sequence';
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return 'invalid Unicode character';
    i += width;
  }
  return undefined;
}
