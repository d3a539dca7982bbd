// One object through kustomize-controller's postBuild substitution, exactly as the controller does it
// (fluxcd/pkg kustomize/v1.24.0 for Flux 2.7 and kustomize/v1.35.4 for Flux 2.9, kustomize/kustomize_varsub.go
// SubstituteVariables + varSubstitution; fluxcd/kustomize-controller v1.7.3 / v1.9.4
// internal/controller/kustomization_controller.go build()):
//   1. the object is written as YAML (res.AsYAML(): sigs.k8s.io/yaml) — a failure here fails the object even when
//      it opts out or no variable is defined;
//   2. an object whose OWN metadata.labels or metadata.annotations hold
//      `kustomize.toolkit.fluxcd.io/substitute: disabled` (exact value, DisabledValue) is left alone;
//   3. the vars: each value with every "\n" removed; when none is defined the object is left alone — unless
//      Flux 2.9's `postBuild.substituteStrategy: Always` (v1.35.4: `if len(vars) > 0 || options.Always`);
//   4. every var name is checked against varsubRegex (even names the text does not use);
//   5. envsubst.Eval on the YAML text (strict mapper when the StrictPostBuildSubstitutions gate is on);
//   6. the text is read back with yaml.YAMLToJSON (go-yaml v2, YAML 1.1) and becomes the object.
// Errors are ZotFluxError; like the controller's "envsubst error: ..." they fail the whole Kustomization.

import { ZotFluxError } from '../core/error';
import { FLUX_GENERATIONS, FluxGeneration } from './generation';
import { GoString, isYamlFailure, marshalFluxYamlGo, unmarshalFluxYamlGo } from '../go/yaml';
import { fluxVariables, substituteGoString } from './substitution';

/** postBuild.substituteStrategy (kustomize-controller@v1.9.4 api/v1/kustomization_types.go). */
export type SubstituteStrategy = 'WithVariables' | 'Always';

export interface SubstituteObjectOptions {
  readonly generation: FluxGeneration;
  /** The StrictPostBuildSubstitutions feature gate (default: FLUX_GENERATIONS[generation].strictByDefault). */
  readonly strict: boolean;
  /** Flux 2.9 only (the field does not exist in Flux 2.7 and is ignored there). Default WithVariables. */
  readonly substituteStrategy?: SubstituteStrategy;
}

/** kustomize@v1.24.0+v1.35.4 kustomize/kustomize_varsub.go substituteAnnotationKey / DisabledValue. */
export const SUBSTITUTE_OPT_OUT_KEY = 'kustomize.toolkit.fluxcd.io/substitute';
export const SUBSTITUTE_OPT_OUT_VALUE = 'disabled';

function metaMap(object: unknown, field: 'labels' | 'annotations'): Record<string, unknown> | undefined {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  const meta = (object as Record<string, unknown>).metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
  const m = (meta as Record<string, unknown>)[field];
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
}

/**
 * Whether the object opts out of substitution: its own labels or annotations hold the key with exactly
 * "disabled" (kustomize_varsub.go: `res.GetLabels()[key] == DisabledValue || res.GetAnnotations()[key] == ...`).
 */
export function optsOutOfSubstitution(object: unknown): boolean {
  return (
    metaMap(object, 'labels')?.[SUBSTITUTE_OPT_OUT_KEY] === SUBSTITUTE_OPT_OUT_VALUE ||
    metaMap(object, 'annotations')?.[SUBSTITUTE_OPT_OUT_KEY] === SUBSTITUTE_OPT_OUT_VALUE
  );
}

function clone<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}

function describe(object: unknown): string {
  if (typeof object !== 'object' || object === null) return 'object';
  const o = object as { kind?: unknown; metadata?: { name?: unknown } };
  const kind = typeof o.kind === 'string' ? o.kind : '?';
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '?';
  return `${kind}/${name}`;
}

/** The YAML text the controller substitutes in (res.AsYAML()), as a Go string. */
function asYaml(object: unknown): GoString {
  try {
    return marshalFluxYamlGo(object);
  } catch (e) {
    if (isYamlFailure(e)) {
      throw new ZotFluxError({
        field: describe(object),
        reason: `cannot be written as YAML by Flux (yaml: ${e.message})`,
      });
    }
    throw e;
  }
}

/**
 * The object Flux applies after postBuild substitution with `vars` (the merged substitute/substituteFrom
 * values, before "\n" removal). Returns a copy of the input when Flux leaves the object alone. Throws
 * ZotFluxError for everything that fails the reconciliation.
 */
export function substituteObject(
  object: unknown,
  vars: Readonly<Record<string, string>>,
  opts: SubstituteObjectOptions,
): unknown {
  const text = asYaml(object);
  if (optsOutOfSubstitution(object)) return clone(object);
  const facts = FLUX_GENERATIONS[opts.generation];
  const always = facts.substituteStrategy && opts.substituteStrategy === 'Always';
  if (Object.keys(vars).length === 0 && !always) return clone(object);
  const where = describe(object);
  let goVars;
  try {
    goVars = fluxVariables(vars);
  } catch (e) {
    throw ZotFluxError.isZotFluxError(e) ? e.under(where) : e;
  }
  let substituted: GoString;
  try {
    substituted = substituteGoString(text, goVars, { generation: opts.generation, strict: opts.strict });
  } catch (e) {
    throw ZotFluxError.isZotFluxError(e) ? e.under(where) : e;
  }
  try {
    return unmarshalFluxYamlGo(substituted);
  } catch (e) {
    if (isYamlFailure(e)) {
      // The message may quote substituted text (values can be secrets): only go-yaml's wording is kept.
      const reason = e.message.replace(/`[^`]*`/g, 'a value').replace(/anchor '[^']*'/g, "anchor '…'");
      throw new ZotFluxError({ field: where, reason: `the substituted YAML cannot be read back (yaml: ${reason})` });
    }
    throw e;
  }
}
