// Credential variables may appear only inside Secret content: after Flux substitutes them, their values (htpasswd
// lines, passwords) must land in a Secret, never in an annotation, a label, an env value, a ConfigMap or config.json.
//
// Secret content is:
//   - a Secret's `data` and `stringData` values;
//   - a zot HelmRelease's `spec.values.secretFiles` values: the chart renders each into the data of the Secret
//     `<release>-secret` (project-zot/helm-charts zot chart 0.1.98..0.1.122 templates/secret.yaml:
//     `range $key, $val := .Values.secretFiles` → `{{ $key }}: {{ $val | b64enc }}`).
// Everything else — keys included, since Flux substitutes the whole text — is a problem.
//
// References are found as Flux's parser reads them (lib/flux/substitution.ts variableReferences, for every Flux
// generation): `${VAR}`, `${VAR:-x}`, nested `${A:-${VAR}}`; `$${VAR}` is an escape, not a reference.
import { Problem, ZotFluxError } from '../core/error';
import { FLUX_GENERATIONS, FluxGeneration } from '../flux/generation';
import { variableReferences } from '../flux/substitution';
import { isZotRelease } from './zot-release';

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `a.b`, or `a['x.y/z']` for a key that is not a plain name. */
function child(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** The variable names a text references, under every Flux generation; undefined when Flux cannot parse it. */
function referencedNames(text: string): Set<string> | undefined {
  if (!text.includes('${')) return new Set();
  const names = new Set<string>();
  try {
    for (const g of Object.keys(FLUX_GENERATIONS) as FluxGeneration[]) {
      for (const r of variableReferences(text, g)) names.add(r.name);
    }
  } catch (e) {
    // Flux fails the whole reconciliation on a text it cannot parse, so nothing is substituted anywhere; the tree
    // checks report the parse error itself.
    if (ZotFluxError.isZotFluxError(e)) return undefined;
    throw e;
  }
  return names;
}

/** Whether `path` (from the object's root) is Secret content of `obj`. */
function isSecretContent(obj: Record<string, unknown>, path: readonly string[]): boolean {
  if (obj.kind === 'Secret') return path.length === 2 && (path[0] === 'data' || path[0] === 'stringData');
  if (isZotRelease(obj)) return path.length === 4 && path[0] === 'spec' && path[1] === 'values' && path[2] === 'secretFiles';
  return false;
}

function objectName(obj: Record<string, unknown>, index: number): string {
  const meta = isPlain(obj.metadata) ? obj.metadata : {};
  const kind = typeof obj.kind === 'string' ? obj.kind : `objects[${index}]`;
  return typeof meta.name === 'string' ? `${kind}/${meta.name}` : kind;
}

/**
 * Every place in `objects` (plain objects, as they will be written) where one of `secretVariables` is referenced
 * outside Secret content. Each problem names the object, the field path and the variable — never a value.
 */
export function credentialPlacementProblems(objects: any[], secretVariables: string[]): Problem[] {
  const secret = new Set(secretVariables);
  const problems: Problem[] = [];
  if (secret.size === 0) return problems;
  objects.forEach((obj, index) => {
    if (!isPlain(obj)) return;
    const name = objectName(obj, index);
    const report = (text: string, path: string, segments: readonly string[], isKey: boolean) => {
      const names = referencedNames(text);
      if (!names) return;
      for (const variable of [...names].filter((n) => secret.has(n)).sort()) {
        if (!isKey && isSecretContent(obj, segments)) continue;
        problems.push({
          field: `${name} ${path}${isKey ? ' (a key)' : ''}`,
          reason: `uses the credential variable ${variable}, whose value would land outside Secret content; ` +
            `credential variables may appear only in a Secret's data/stringData or the zot chart's values.secretFiles`,
        });
      }
    };
    const walk = (value: unknown, path: string, segments: string[]) => {
      if (typeof value === 'string') report(value, path, segments, false);
      else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, [...segments, String(i)]));
      else if (isPlain(value)) {
        for (const [k, v] of Object.entries(value)) {
          const at = child(path, k);
          report(k, at, [...segments, k], true);
          walk(v, at, [...segments, k]);
        }
      }
    };
    walk(obj, '', []);
  });
  return problems;
}
