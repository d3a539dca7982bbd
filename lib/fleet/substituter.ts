// Flux's per-object substitution (lib/flux/substitute-object.ts), remembered: a fleet substitutes the
// same built objects on every cluster, and an object's result depends only on the values of the
// variables it refers to, on whether any variable is defined at all, and on the names of all of them
// (one invalid name fails every object: fluxcd/pkg kustomize/v1.24.0+v1.35.4 kustomize_varsub.go
// varSubstitution checks every key; SubstituteVariables substitutes only when `len(vars) > 0 || Always`).
import { ZotFluxError } from '../core/error';
import { FluxGeneration } from '../flux/generation';
import { toFluxYaml } from '../go/yaml';
import { substituteObject, SubstituteStrategy } from '../flux/substitute-object';
import { FLUX_VARIABLE_NAME, VariableReference, variableReferences } from '../flux/substitution';

export interface SubstituteOptions {
  readonly generation: FluxGeneration;
  readonly strict: boolean;
  readonly substituteStrategy?: SubstituteStrategy;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ZotFluxError };

interface ObjectFacts {
  readonly id: number;
  /** The references in the YAML text Flux substitutes in; undefined when Flux cannot parse it (or write it). */
  readonly refs: readonly VariableReference[] | undefined;
}

export class Substituter {
  private readonly facts = new WeakMap<object, ObjectFacts>();
  private readonly memo = new Map<string, Outcome>();
  private next = 0;

  /** The variable references of an object's text as Flux writes it (undefined when it does not parse). */
  references(object: unknown): readonly VariableReference[] | undefined {
    return this.factsOf(object).refs;
  }

  private factsOf(object: unknown): ObjectFacts {
    // An object of a build (a mapping: kustomize writes nothing else); a weak key like before types.
    const key = object as object;
    let f = this.facts.get(key);
    if (!f) {
      let refs: VariableReference[] | undefined;
      try {
        refs = variableReferences(toFluxYaml(object), '2.9'); // both generations parse alike (envsubst parse/*.go identical)
      } catch (e) {
        if (!ZotFluxError.isZotFluxError(e)) throw e;
      }
      f = { id: this.next++, refs };
      this.facts.set(key, f);
    }
    return f;
  }

  /** substituteObject(object, vars, opts), or the same call's remembered result. Throws ZotFluxError. The result is shared: do not change it. */
  substitute(object: unknown, vars: Readonly<Record<string, string>>, opts: SubstituteOptions): unknown {
    const f = this.factsOf(object);
    const names = Object.keys(vars);
    const key = JSON.stringify([
      f.id,
      opts.generation,
      opts.strict,
      opts.substituteStrategy ?? '',
      names.length > 0,
      names.filter((n) => !FLUX_VARIABLE_NAME.test(n)).sort(),
      f.refs
        ? [...new Set(f.refs.map((r) => r.name))].map((n) =>
            Object.prototype.hasOwnProperty.call(vars, n) ? vars[n] : null,
          )
        : names.map((n) => [n, vars[n]]),
    ]);
    let out = this.memo.get(key);
    if (!out) {
      try {
        out = { ok: true, value: substituteObject(object, vars, opts) };
      } catch (e) {
        if (!ZotFluxError.isZotFluxError(e)) throw e;
        out = { ok: false, error: e };
      }
      this.memo.set(key, out);
    }
    if (!out.ok) throw out.error;
    return out.value;
  }
}
