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
import { isRecord, UnknownRecord, valueAt } from '../k8s/objects';

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
      if (newline(c)) {
        j--;
        continue;
      }
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
  if (!/^[-._a-zA-Z0-9]+$/.test(key))
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs.length ? errs.join('; ') : undefined;
}

// The names and labels of kubernetes/apimachinery pkg/util/validation/validation.go@v0.33.0 (lengths are Go's
// len(), bytes). Their messages are Go's (RegexError, MaxLenError, EmptyError).
const QNAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = `${DNS_LABEL}(\\.${DNS_LABEL})*`;
const matches = (fmt: string, value: string) => new RegExp(`^(?:${fmt})$`).test(value);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const regexError = (msg: string, fmt: string, ...examples: string[]) =>
  `${msg} (e.g. ${examples.map((e) => `'${e}', `).join('or ')}regex used for validation is '${fmt}')`;

/** IsDNS1123Subdomain: at most 253 characters of lower case alphanumerics, '-' and '.'; [] when valid. */
export function dns1123SubdomainProblems(value: string): string[] {
  const errs: string[] = [];
  if (bytes(value) > 253) errs.push('must be no more than 253 characters');
  if (!matches(DNS_SUBDOMAIN, value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS_SUBDOMAIN,
        'example.com',
      ),
    );
  return errs;
}

/** IsDNS1123Label (a namespace's name: pkg/api/validation/generic.go@v0.33.0 ValidateNamespaceName = NameIsDNSLabel). */
export function dns1123LabelProblems(value: string): string[] {
  const errs: string[] = [];
  if (bytes(value) > 63) errs.push('must be no more than 63 characters');
  if (!matches(DNS_LABEL, value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS_LABEL,
        'my-name',
        '123-abc',
      ),
    );
  return errs;
}

/** IsQualifiedName (a label's key): an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
export function qualifiedNameProblems(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  const nameMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(nameMsg, QNAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainProblems(parts[0]).map((m) => `prefix part ${m}`));
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (bytes(name) > 63) errs.push('name part must be no more than 63 characters');
  if (!matches(QNAME, name)) errs.push(`name part ${regexError(nameMsg, QNAME, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** IsValidLabelValue: empty, or at most 63 characters of a qualified name's characters. */
export function labelValueProblems(value: string): string[] {
  const errs: string[] = [];
  const fmt = `(${QNAME})?`;
  if (bytes(value) > 63) errs.push('must be no more than 63 characters');
  if (!matches(fmt, value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        fmt,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

/**
 * The object's labels as Flux sends them, or undefined when Flux replaces them all. kustomize-controller
 * internal/controller/kustomization_controller.go@v1.7.3 and @v1.9.4 reconcile: resourceManager.SetOwnerLabels
 * (fluxcd/pkg ssa/manager.go@ssa/v0.61.0 and @ssa/v0.76.1): `labels := object.GetLabels(); if labels == nil {
 * labels = make(map[string]string) }` then its two owner labels, `object.SetLabels(labels)`; and
 * unstructured.GetLabels (apimachinery pkg/apis/meta/v1/unstructured/unstructured.go@v0.33.0) is
 * NestedNullCoercingStringMap, nil for labels that are not a mapping or hold a value that is not a string (null
 * becomes ""). So such an object reaches the API server with Flux's two labels only: it is not refused.
 */
function sentLabels(o: unknown): Record<string, string> | undefined {
  const labels = valueAt(o, 'metadata', 'labels');
  if (labels === undefined || labels === null) return {};
  if (!isRecord(labels)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (v === null) out[k] = '';
    else if (typeof v === 'string') out[k] = v;
    else return undefined;
  }
  return out;
}

/**
 * The labels Flux drops: when `metadata.labels` is not a mapping of strings, Flux applies the object with its
 * own two owner labels in their place (see sentLabels) and every label of the object is lost, silently (no
 * error, no event). A message naming the object and the label, or undefined.
 */
export function droppedLabels(o: unknown): string | undefined {
  const labels = valueAt(o, 'metadata', 'labels');
  if (sentLabels(o) !== undefined) return undefined;
  if (!isRecord(labels))
    return `${describe(o)} metadata.labels: ${valueKind(labels)}, not a mapping: Flux applies it with none of its labels (only Flux's own)`;
  const [k, v] = Object.entries(labels).find(([, x]) => x !== null && typeof x !== 'string')!;
  return `${describe(o)} metadata.labels.${k}: ${valueKind(v)}, not a string${typeof v === 'object' ? '' : ' (quote it)'}: Flux applies it with none of its labels (only Flux's own)`;
}

/**
 * What the API server refuses in the metadata of any object (apimachinery pkg/api/validation/objectmeta.go@v0.33.0
 * ValidateObjectMetaAccessor, which every built-in kind's validation and apiextensions-apiserver's custom resource
 * validation call: v1validation.ValidateLabels, pkg/apis/meta/v1/validation/validation.go@v0.33.0: each key
 * IsQualifiedName, each value IsValidLabelValue, as field.Invalid at metadata.labels). The labels Flux sends only.
 */
export function labelRefusals(o: unknown): string[] {
  const labels = sentLabels(o);
  if (!labels) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of qualifiedNameProblems(k))
      out.push(`${describe(o)} metadata.labels: key ${JSON.stringify(k)}: ${m}`);
    for (const m of labelValueProblems(v))
      out.push(`${describe(o)} metadata.labels.${k}: value ${JSON.stringify(v)}: ${m}`);
  }
  return out;
}

function describe(o: unknown): string {
  return `${String(valueAt(o, 'kind') ?? '?')}/${String(valueAt(o, 'metadata', 'name') ?? '?')}`;
}

function valueKind(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

/**
 * What the API server refuses in an object Flux applies, each naming the object and the field; [] otherwise: the
 * labels of any object (labelRefusals), and for a core/v1 ConfigMap or Secret its name, namespace, keys and values.
 *
 * kubernetes/kubernetes pkg/apis/core/validation/validation.go@v1.33.0 ValidateConfigMap and ValidateSecret:
 * ValidateObjectMeta(..., true, ValidateConfigMapName / ValidateSecretName = NameIsDNSSubdomain, "metadata")
 * (metadata.name a DNS-1123 subdomain, metadata.namespace a DNS-1123 label), and ValidateConfigMap: a key under
 * both data and binaryData is field.Invalid(data[key]) "duplicate of key present in binaryData".
 *
 * Not refused: a top-level field neither type has (`bogus: 1`). Before it applies, kustomize-controller
 * (kustomization_controller.go@v1.7.3 and @v1.9.4 apply) runs fluxcd/pkg ssa/normalize/normalize.go@ssa/v0.61.0
 * and @ssa/v0.76.1 UnstructuredList: each object of a kind client-go knows is converted to its Go type and back
 * (runtime.DefaultUnstructuredConverter.FromUnstructured, apimachinery pkg/runtime/converter.go@v0.33.0:
 * returnUnknownFields false), which drops unknown fields; the API server never sees them. (When that conversion
 * fails, the object goes as it is, but then one of the typed-value refusals below already holds.)
 */
export function coreObjectRefusals(o: unknown): string[] {
  const out: string[] = labelRefusals(o);
  if (!isRecord(o) || o.apiVersion !== 'v1' || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) return out;
  out.push(...nameRefusals(o));
  if (o.kind === 'ConfigMap' && isRecord(o.data) && isRecord(o.binaryData)) {
    for (const k of Object.keys(o.data)) {
      if (Object.prototype.hasOwnProperty.call(o.binaryData, k))
        out.push(`${describe(o)} data.${k}: duplicate of key present in binaryData`);
    }
  }
  const fields: Array<[string, 'string' | 'bytes']> =
    o.kind === 'ConfigMap'
      ? [
          ['data', 'string'],
          ['binaryData', 'bytes'],
        ]
      : [
          ['data', 'bytes'],
          ['stringData', 'string'],
        ];
  for (const [field, type] of fields) out.push(...contentRefusals(o, field, type));
  return out;
}

/** metadata.name (a DNS-1123 subdomain) and metadata.namespace (a DNS-1123 label), when set. */
function nameRefusals(o: UnknownRecord): string[] {
  const out: string[] = [];
  const name = valueAt(o, 'metadata', 'name');
  if (typeof name === 'string' && name !== '') {
    for (const m of dns1123SubdomainProblems(name))
      out.push(`${describe(o)} metadata.name: ${JSON.stringify(name)}: ${m}`);
  }
  const namespace = valueAt(o, 'metadata', 'namespace');
  if (typeof namespace === 'string' && namespace !== '') {
    for (const m of dns1123LabelProblems(namespace))
      out.push(`${describe(o)} metadata.namespace: ${JSON.stringify(namespace)}: ${m}`);
  }
  return out;
}

/** One content field (data, binaryData, stringData): a mapping of valid keys to strings (base64 for `bytes`). */
function contentRefusals(o: UnknownRecord, field: string, type: 'string' | 'bytes'): string[] {
  const content = o[field];
  if (content === undefined || content === null) return [];
  if (!isRecord(content)) return [`${describe(o)} ${field}: ${valueKind(content)}, not a mapping`];
  // A SOPS-encrypted object's values are ENC[...] here; Flux decrypts them before applying (values unknown).
  const encrypted = o.sops !== undefined && o.sops !== null;
  const out: string[] = [];
  for (const [k, v] of Object.entries(content)) {
    const badKey = configMapKeyProblem(k);
    if (badKey) out.push(`${describe(o)} ${field}: key ${JSON.stringify(k)}: ${badKey}`);
    if (v === null) continue;
    if (typeof v !== 'string') {
      out.push(
        `${describe(o)} ${field}.${k}: ${valueKind(v)}, where the API server takes a string${type === 'string' ? ' (quote it)' : ' of base64'}`,
      );
      continue;
    }
    if (type !== 'bytes' || (encrypted && v.startsWith('ENC['))) continue;
    const why = base64Problem(v);
    if (why)
      out.push(
        `${describe(o)} ${field}.${k}: not base64 (${why}); the API server decodes ${String(o.kind)} ${field} as base64 — put plain text under ${o.kind === 'Secret' ? 'stringData' : 'data'}`,
      );
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
    const width =
      (octet & 0x80) === 0
        ? 1
        : (octet & 0xe0) === 0xc0
          ? 2
          : (octet & 0xf0) === 0xe0
            ? 3
            : (octet & 0xf8) === 0xf0
              ? 4
              : 0;
    if (width === 0) return 'invalid leading UTF-8 octet';
    if (i + width > bytes.length) return 'incomplete UTF-8 octet sequence';
    let value = width === 1 ? octet & 0x7f : width === 2 ? octet & 0x1f : width === 3 ? octet & 0x0f : octet & 0x07;
    for (let k = 1; k < width; k++) {
      const trail = bytes[i + k];
      if ((trail & 0xc0) !== 0x80) return 'invalid trailing UTF-8 octet';
      value = (value << 6) + (trail & 0x3f);
    }
    if (!(
      width === 1 ||
      (width === 2 && value >= 0x80) ||
      (width === 3 && value >= 0x800) ||
      (width === 4 && value >= 0x10000)
    )) {
      return 'invalid length of a UTF-8 sequence';
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return 'invalid Unicode character';
    i += width;
  }
  return undefined;
}
