// Checks on the whole generated tree, before anything is written: what Flux (either generation), the
// API server or zot would refuse later, on every cluster at once, is refused here with an error a
// person can act on.
import { Problem, ZotFluxError } from '../core/error';
import { toFluxYaml } from '../go/yaml';
import { optsOutOfSubstitution, substituteObject } from '../flux/substitute-object';
import { variableReferences } from '../flux/substitution';
import { objectNameErrors } from '../k8s/names';
import { validateAgainstCrd } from '../k8s/schema';
import { zotServiceName } from '../zot/chart';
import { findCredential } from './credentials';
import { sampleValue } from './hostnames';
import { advisoryCheck } from './advisories';
import { isZotRelease, zotReleaseCheck } from './zot-release';
import { loadYamlAll } from '../core/yaml';
import { HTTPRoute, isKind, isKubeObject, stringAt, valueAt } from '../k8s/objects';

/** Flux's parse error as a person reads it: the expression, its line in `text`, Flux's reason. */
function parseProblem(e: ZotFluxError, text: string): string {
  const snippet = typeof e.value === 'string' ? e.value : '';
  const at = snippet ? text.indexOf(snippet) : -1;
  const line = at >= 0 ? ` (line ${text.slice(0, at).split('\n').length})` : '';
  return `flux cannot parse '${snippet}'${line}: ${e.reason}`;
}

/**
 * The variables a text uses, as Flux's parser reads them (fluxcd/pkg envsubst v1.5.0 and v1.7.0 parse the
 * same way: their parse/*.go are identical), in order of first use. A `${` Flux cannot parse is a
 * ZotFluxError: `flux cannot parse '<expression>' (line N): <Flux's reason>`.
 */
export function fluxVariableNames(text: string): string[] {
  try {
    return [...new Set(variableReferences(text, '2.9').map((r) => r.name))];
  } catch (e) {
    if (!ZotFluxError.isZotFluxError(e)) throw e;
    throw new ZotFluxError({ field: '', reason: parseProblem(e, text) });
  }
}

/** kustomize's own files: kustomize reads them, Flux never applies or substitutes them. */
function isKustomizeConfig(obj: unknown): boolean {
  return stringAt(obj, 'apiVersion')?.startsWith('kustomize.config.k8s.io/') === true;
}

/**
 * The object as Flux applies it on a cluster where every variable it uses is defined (each a sample
 * value): its parsed form written as Flux writes it, substituted, read back as Flux reads it (YAML 1.1),
 * or left alone when it opts out (`kustomize.toolkit.fluxcd.io/substitute: disabled`, exactly). Comments
 * are not part of it. One substitution stands for both generations: with every variable defined, Flux 2.7
 * (envsubst v1.5.0, not strict) and Flux 2.9 (envsubst v1.7.0, strict) give the same result, since the two
 * differ only in which unset variables strict mode rejects (envsubst template.go); the parse errors are the
 * same. Throws ZotFluxError for what fails the reconciliation.
 */
export function asFluxApplies(obj: unknown, fileText?: string): unknown {
  if (isKustomizeConfig(obj) || optsOutOfSubstitution(obj)) return obj;
  // No `$` anywhere: envsubst returns the text unchanged (it acts on `$` only: fluxcd/pkg envsubst parse/scan.go),
  // so Flux applies the object as written.
  const json = JSON.stringify(obj);
  if (!json.includes('$')) return obj;
  // The names, read from the JSON text (the same string contents); where that does not parse, from the text
  // Flux writes, which is what reports the error.
  let names: string[] | undefined;
  try {
    names = [...new Set(variableReferences(json, '2.9').map((r) => r.name))];
  } catch (e) {
    if (!ZotFluxError.isZotFluxError(e)) throw e;
  }
  if (!names) {
    let text: string;
    try {
      text = toFluxYaml(obj);
    } catch (e) {
      if (!ZotFluxError.isZotFluxError(e)) throw e;
      throw new ZotFluxError({
        field: '',
        reason: `${e.message} (flux would fail the whole reconciliation on every cluster)`,
      });
    }
    try {
      names = [...new Set(variableReferences(text, '2.9').map((r) => r.name))];
    } catch (e) {
      if (!ZotFluxError.isZotFluxError(e)) throw e;
      // The line is the file's (where a person finds the expression), else the object's text as Flux writes it.
      const where =
        fileText !== undefined && typeof e.value === 'string' && fileText.includes(e.value) ? fileText : text;
      throw new ZotFluxError({
        field: '',
        reason: `${parseProblem(e, where)} (flux would fail the whole reconciliation on every cluster)`,
      });
    }
  }
  const sample = Object.fromEntries(names.map((n) => [n, sampleValue(n)]));
  try {
    return substituteObject(obj, sample, { generation: '2.9', strict: true });
  } catch (e) {
    if (!ZotFluxError.isZotFluxError(e)) throw e;
    throw new ZotFluxError({
      field: '',
      reason: `${e.message} (flux would fail the whole reconciliation on every cluster)`,
    });
  }
}

/**
 * Every check on the generated files; throws one ZotFluxError listing all problems, naming file,
 * field and value. Returns what zot would start with but warn about (a clamped interval...). Objects are
 * checked parsed, as Flux substitutes them, against the CRDs of both Flux generations (v2.7.5, v2.9.4):
 * the tree must reconcile on either.
 */
export function validateFiles(files: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const servicePorts = new Map<string, unknown>();
  const routes: Route[] = [];
  for (const [path, text] of files) {
    const where = (reason: string) => problems.push({ field: path, reason });
    const credential = findCredential(text);
    if (credential) where(`contains ${credential}; credentials enter only through Flux variables`);
    if (!path.endsWith('.yaml')) continue;
    let docs: unknown[];
    try {
      docs = loadYamlAll(text, path);
    } catch (e) {
      where(`does not parse as YAML: ${String(e instanceof Error ? e.message : undefined).split('\n')[0]}`);
      continue;
    }
    for (const raw of docs) {
      const obj = raw ? checkedObject(raw, path, text, where, warnings) : undefined;
      if (!isKubeObject(obj)) continue;
      const dir = path.slice(0, path.lastIndexOf('/'));
      // a release without a string name has its name refused above (objectNameErrors)
      const release = isZotRelease(obj) ? stringAt(obj, 'metadata', 'name') : undefined;
      if (release !== undefined)
        servicePorts.set(`${dir}/${zotServiceName(release)}`, valueAt(obj, 'spec', 'values', 'service', 'port'));
      if (isKind<HTTPRoute>('HTTPRoute')(obj)) routes.push({ path, dir, route: obj });
    }
  }
  problems.push(...routePortProblems(routes, servicePorts));
  if (problems.length) throw new ZotFluxError(problems, 'the generated tree would be refused');
  return warnings;
}

interface Route {
  readonly path: string;
  readonly dir: string;
  readonly route: HTTPRoute;
}

/** One document as Flux applies it, through every object check; undefined when Flux would not read it. */
function checkedObject(
  raw: unknown,
  path: string,
  text: string,
  where: (reason: string) => void,
  warnings: Problem[],
): unknown {
  let obj: unknown;
  try {
    obj = asFluxApplies(raw, text);
  } catch (e) {
    if (!ZotFluxError.isZotFluxError(e)) throw e;
    where(e.message);
    return undefined;
  }
  for (const e of validateAgainstCrd(obj) ?? []) where(e);
  for (const e of objectNameErrors(obj)) where(e);
  const release = zotReleaseCheck(obj);
  for (const e of release.errors) where(e);
  warnings.push(...release.warnings.map((w) => ({ ...w, field: `${path}: ${w.field}` })));
  const advisories = advisoryCheck(obj);
  for (const e of advisories.errors) where(e);
  warnings.push(...advisories.warnings.map((w) => ({ ...w, field: `${path}: ${w.field}` })));
  return obj;
}

/** An HTTPRoute backend's port that differs from the zot Service's port in the same folder. */
function routePortProblems(routes: readonly Route[], servicePorts: ReadonlyMap<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const { path, dir, route } of routes) {
    (route.spec?.rules ?? []).forEach((rule, i) =>
      (rule.backendRefs ?? []).forEach((b, j) => {
        const port = servicePorts.get(`${dir}/${b.name}`);
        if (port !== undefined && b.port !== port) {
          problems.push({
            field: path,
            reason: `HTTPRoute/${route.metadata?.name} spec.rules[${i}].backendRefs[${j}].port: ${b.port} differs from Service ${b.name}'s port ${port}`,
          });
        }
      }),
    );
  }
  return problems;
}
