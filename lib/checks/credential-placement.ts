// Credential variables may appear only inside Secret content: after Flux substitutes them, their values (htpasswd
// lines, passwords, tokens) must land in a Secret, never in an annotation, a label, an env value, a URL, a ConfigMap or
// config.json.
//
// A credential variable is one the caller names as such (the users' htpasswd variables, what a feature declares
// secret), and any variable whose source is a Secret. One exception, for a variable known only by its source: an
// HTTPRoute's spec.hostnames (a hostname is published by DNS and TLS anyway; keeping it in a SOPS Secret only keeps it
// out of Git).
//
// Secret content is:
//   - a Secret's `data` and `stringData` values;
//   - a zot HelmRelease's `spec.values.secretFiles` values: the chart renders each into the data of the Secret
//     `<release>-secret` (project-zot/helm-charts zot chart 0.1.98..0.1.122 templates/secret.yaml:
//     `range $key, $val := .Values.secretFiles` → `{{ $key }}: {{ $val | b64enc }}`).
// Everything else — keys included, since Flux substitutes the whole text — is a problem.
//
// Credential sources must be Secrets: a variable substituted into Secret content from a ConfigMap is refused (the
// ConfigMap is plain in Git and readable by anyone who may read ConfigMaps), and so is a container env entry named like
// a secret that takes its value from a ConfigMap (`valueFrom.configMapKeyRef`). A variable in the userinfo of a URL
// (`https://bot:${HELM_PW}@charts.example`) is a credential whatever its source: a URL is never Secret content.
//
// References are found as Flux's parser reads them (lib/flux/substitution.ts variableReferences, for every Flux
// generation): `${VAR}`, `${VAR:-x}`, nested `${A:-${VAR}}`; `$${VAR}` is an escape, not a reference.
import { Problem, ZotFluxError } from '../core/error';
import { FLUX_GENERATIONS, FluxGeneration } from '../flux/generation';
import { variableReferences } from '../flux/substitution';
import { SECRET_ENV_NAME } from './credentials';
import { isZotRelease } from './zot-release';

/** A variable with the ConfigMap or Secret Flux substitutes it from. */
export interface SourcedVariable {
  readonly variable: string;
  readonly source: { readonly kind: 'ConfigMap' | 'Secret'; readonly name: string };
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `a.b`, or `a['x.y/z']` for a key that is not a plain name. */
function child(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** URL userinfo: `scheme://` up to the `@` before the host. */
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@"'`<>]*)@/gi;

interface References {
  /** Every variable referenced. */
  readonly names: Set<string>;
  /** Those referenced inside the userinfo of a URL. */
  readonly inUserinfo: Set<string>;
}

/** The variables a text references, under every Flux generation; undefined when Flux cannot parse it. */
function references(text: string): References | undefined {
  const names = new Set<string>();
  const inUserinfo = new Set<string>();
  if (!text.includes('${')) return { names, inUserinfo };
  const spans = [...text.matchAll(URL_USERINFO)].map((m) => [
    m.index + m[0].length - 1 - m[1].length,
    m.index + m[0].length - 1,
  ]);
  try {
    for (const g of Object.keys(FLUX_GENERATIONS) as FluxGeneration[]) {
      for (const r of variableReferences(text, g)) {
        names.add(r.name);
        if (spans.some(([from, to]) => r.offset >= from && r.offset < to)) inUserinfo.add(r.name);
      }
    }
  } catch (e) {
    // Flux fails the whole reconciliation on a text it cannot parse, so nothing is substituted anywhere; the tree
    // checks report the parse error itself.
    if (ZotFluxError.isZotFluxError(e)) return undefined;
    throw e;
  }
  return { names, inUserinfo };
}

/** Whether `path` (from the object's root) is Secret content of `obj`. */
function isSecretContent(obj: Record<string, unknown>, path: readonly string[]): boolean {
  if (obj.kind === 'Secret') return path.length === 2 && (path[0] === 'data' || path[0] === 'stringData');
  if (isZotRelease(obj))
    return path.length === 4 && path[0] === 'spec' && path[1] === 'values' && path[2] === 'secretFiles';
  return false;
}

function objectName(obj: Record<string, unknown>, index: number): string {
  const meta = isPlain(obj.metadata) ? obj.metadata : {};
  const kind = typeof obj.kind === 'string' ? obj.kind : `objects[${index}]`;
  return typeof meta.name === 'string' ? `${kind}/${meta.name}` : kind;
}

/** `HTTPRoute spec.hostnames[i]`: published by DNS and TLS, so a variable kept in a Secret to hide it from Git may go there. */
function isHostname(obj: Record<string, unknown>, path: readonly string[]): boolean {
  return obj.kind === 'HTTPRoute' && path.length === 3 && path[0] === 'spec' && path[1] === 'hostnames';
}

const OUTSIDE =
  "credential variables may appear only in a Secret's data/stringData or the zot chart's values.secretFiles";

/**
 * Every place in `objects` (plain objects, as they will be written) where a credential variable is referenced outside
 * Secret content, where Secret content takes a variable from a ConfigMap, and where a secret-named env entry reads a
 * ConfigMap. `variables` are credential variable names (the users' htpasswd variables, what a feature declares
 * secret) and variables with their source (any whose source is a Secret is a credential). Each problem names the
 * object, the field path and the variable — never a value.
 */
export function credentialPlacementProblems(
  objects: unknown[],
  variables: ReadonlyArray<string | SourcedVariable>,
): Problem[] {
  const rules = placementRules(variables);
  const problems: Problem[] = [];
  objects.forEach((obj, index) => {
    if (isPlain(obj)) problems.push(...objectProblems(obj, objectName(obj, index), rules));
  });
  return problems;
}

/** Which variables are credentials: by role (named), by source (a Secret); and every variable's source. */
interface PlacementRules {
  readonly byRole: ReadonlySet<string>;
  readonly sources: ReadonlyMap<string, SourcedVariable['source']>;
  readonly bySource: ReadonlySet<string>;
}

function placementRules(variables: ReadonlyArray<string | SourcedVariable>): PlacementRules {
  const byRole = new Set(variables.filter((v): v is string => typeof v === 'string'));
  const sources = new Map<string, SourcedVariable['source']>();
  for (const v of variables) if (typeof v !== 'string' && !sources.has(v.variable)) sources.set(v.variable, v.source);
  const bySource = new Set([...sources].filter(([, s]) => s.kind === 'Secret').map(([v]) => v));
  return { byRole, sources, bySource };
}

/** The problems of one object: every string and key, walked from its root; env entries that read a ConfigMap. */
function objectProblems(obj: Record<string, unknown>, name: string, rules: PlacementRules): Problem[] {
  const problems: Problem[] = [];
  const report = (text: string, path: string, segments: readonly string[], isKey: boolean) =>
    problems.push(...textProblems(rules, obj, text, `${name} ${path}${isKey ? ' (a key)' : ''}`, segments, isKey));
  const walk = (value: unknown, path: string, segments: string[]) => {
    if (typeof value === 'string') report(value, path, segments, false);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, [...segments, String(i)]));
    else if (isPlain(value)) {
      const env = configMapEnvProblem(value, name, path);
      if (env) problems.push(env);
      for (const [k, v] of Object.entries(value)) {
        const at = child(path, k);
        report(k, at, [...segments, k], true);
        walk(v, at, [...segments, k]);
      }
    }
  };
  walk(obj, '', []);
  return problems;
}

/** A secret-named env entry whose value comes from a ConfigMap. */
function configMapEnvProblem(value: Record<string, unknown>, name: string, path: string): Problem | undefined {
  const ref = isPlain(value.valueFrom) ? value.valueFrom.configMapKeyRef : undefined;
  if (typeof value.name !== 'string' || !SECRET_ENV_NAME.test(value.name) || !isPlain(ref)) return undefined;
  return {
    field: `${name} ${child(path, 'valueFrom')}.configMapKeyRef`,
    reason: `gives the env ${value.name} a value from ConfigMap/${String(ref.name)}: a credential's source must be a Secret (valueFrom.secretKeyRef)`,
  };
}

/** The problems of the variables one text (a value or a key at `segments`) references. */
function textProblems(
  rules: PlacementRules,
  obj: Record<string, unknown>,
  text: string,
  field: string,
  segments: readonly string[],
  isKey: boolean,
): Problem[] {
  const refs = references(text);
  if (!refs) return [];
  const content = !isKey && isSecretContent(obj, segments);
  const problems: Problem[] = [];
  for (const variable of [...refs.names].sort()) {
    const reason = content
      ? contentReason(rules, variable)
      : outsideReason(rules, variable, refs, isHostname(obj, segments));
    if (reason) problems.push({ field, reason });
  }
  return problems;
}

/** A variable in Secret content: a problem only when its source is a ConfigMap. */
function contentReason(rules: PlacementRules, variable: string): string | undefined {
  const source = rules.sources.get(variable);
  if (source?.kind !== 'ConfigMap') return undefined;
  return (
    `uses the variable ${variable} from ConfigMap/${source.name} in Secret content: a credential's source must be a Secret ` +
    '(a ConfigMap is plain text in Git and readable by anyone who may read ConfigMaps); move the variable to a SOPS-encrypted Secret'
  );
}

/** A variable outside Secret content: a problem when it is a credential by role, by source, or by its place in a URL. */
function outsideReason(
  rules: PlacementRules,
  variable: string,
  refs: References,
  hostname: boolean,
): string | undefined {
  if (rules.byRole.has(variable))
    return `uses the credential variable ${variable}, whose value would land outside Secret content; ${OUTSIDE}`;
  if (rules.bySource.has(variable) && !hostname)
    return `uses the variable ${variable}, whose source is Secret/${rules.sources.get(variable)?.name}: its value is a credential and would land outside Secret content; ${OUTSIDE}`;
  if (refs.inUserinfo.has(variable))
    return (
      `uses the variable ${variable} in the userinfo of a URL: its value is a credential and would land outside Secret content ` +
      "(a HelmRepository or GitRepository takes credentials through spec.secretRef, zot's sync through credentialsVariable)"
    );
  return undefined;
}
