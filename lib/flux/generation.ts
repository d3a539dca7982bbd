// The Flux generations this project substitutes for, and what each one is made of.
// Every fact is read from the upstream sources at the tags named:
//   - fluxcd/kustomize-controller v1.7.3 go.mod: github.com/fluxcd/pkg/kustomize v1.24.0, envsubst v1.5.0 (indirect),
//     go.yaml.in/yaml/v2 v2.4.2, sigs.k8s.io/yaml v1.6.0
//   - fluxcd/kustomize-controller v1.9.4 go.mod: github.com/fluxcd/pkg/kustomize v1.35.4, envsubst v1.7.0 (indirect),
//     go.yaml.in/yaml/v2 v2.4.4, sigs.k8s.io/yaml v1.6.0
//   - internal/features/features.go: StrictPostBuildSubstitutions is `false` ("opt-in from v1.3") at v1.7.3 and
//     `true` ("opt-out from v1.9") at v1.9.4
//   - api/v1/kustomization_types.go v1.9.4: PostBuild.SubstituteStrategy (WithVariables | Always, default
//     WithVariables); the field does not exist at v1.7.3

/** A Flux release line whose postBuild substitution behaves in one way. */
export type FluxGeneration = '2.7' | '2.9';

export interface FluxGenerationFacts {
  /** The Flux distribution line. */
  readonly flux: string;
  /** The kustomize-controller release the facts were read from. */
  readonly kustomizeController: string;
  /** fluxcd/pkg kustomize module (kustomize/kustomize_varsub.go) the controller links. */
  readonly pkgKustomize: string;
  /** fluxcd/pkg envsubst module the kustomize module links. */
  readonly envsubst: string;
  /** go.yaml.in/yaml/v2 version (the YAML 1.1 reader/writer under sigs.k8s.io/yaml). */
  readonly goYamlV2: string;
  /** sigs.k8s.io/yaml version. */
  readonly sigsYaml: string;
  /** The StrictPostBuildSubstitutions feature gate's default. */
  readonly strictByDefault: boolean;
  /** Whether `spec.postBuild.substituteStrategy` exists. */
  readonly substituteStrategy: boolean;
  /**
   * Which expressions fail on an unset variable in strict mode:
   * 'bare' = only `${VAR}` (envsubst v1.5.0 template.go: `node.Name == "" && !exists`);
   * 'non-default' = every operator except - + = ? :- :+ := :? (envsubst v1.7.0 template.go: isDefaultOp).
   */
  readonly strictScope: 'bare' | 'non-default';
}

export const FLUX_GENERATIONS: Readonly<Record<FluxGeneration, FluxGenerationFacts>> = {
  '2.7': {
    flux: 'v2.7',
    kustomizeController: 'v1.7.3',
    pkgKustomize: 'v1.24.0',
    envsubst: 'v1.5.0',
    goYamlV2: 'v2.4.2',
    sigsYaml: 'v1.6.0',
    strictByDefault: false,
    substituteStrategy: false,
    strictScope: 'bare',
  },
  '2.9': {
    flux: 'v2.9',
    kustomizeController: 'v1.9.4',
    pkgKustomize: 'v1.35.4',
    envsubst: 'v1.7.0',
    goYamlV2: 'v2.4.4',
    sigsYaml: 'v1.6.0',
    strictByDefault: true,
    substituteStrategy: true,
    strictScope: 'non-default',
  },
};

export const FLUX_GENERATION_NAMES: readonly FluxGeneration[] = ['2.7', '2.9'];

/** True for '2.7' and '2.9'. */
export function isFluxGeneration(x: unknown): x is FluxGeneration {
  return x === '2.7' || x === '2.9';
}
