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

/**
 * The Flux releases this project knows, newest last: fluxcd/flux2 tags v2.6.0..v2.9.4 (the mirror, 2026-08-07),
 * and v2.10.0 (released: ../shared/reference/upstream-2026-12.md, from its public release page). A FluxInstance
 * range resolves to the newest of these it matches, as the Flux Operator resolves it to the newest release it has.
 */
export const KNOWN_FLUX_RELEASES: readonly string[] = [
  ...[0, 1, 2, 3, 4].map((p) => `2.6.${p}`),
  ...[0, 1, 2, 3, 4, 5].map((p) => `2.7.${p}`),
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((p) => `2.8.${p}`),
  ...[0, 1, 2, 3, 4].map((p) => `2.9.${p}`),
  '2.10.0',
];

/** The newest Flux minor whose substitution was read at its own tag (FLUX_GENERATIONS['2.9']). */
export const NEWEST_MODELLED_FLUX_MINOR = 9;

/**
 * Why a Flux 2.x newer than 2.9 substitutes as 2.9 (read at the commits named):
 *   - fluxcd/kustomize-controller main 186fb3b (2026-08-01, after v1.9.4): `git diff v1.9.4 main` leaves internal/controller/
 *     and internal/features/ unchanged (StrictPostBuildSubstitutions still `true`, "opt-out from v1.9"); go.mod moves
 *     fluxcd/pkg/kustomize v1.35.4 → v1.39.0 and keeps envsubst v1.7.0, go.yaml.in/yaml/v2 v2.4.4, sigs.k8s.io/yaml v1.6.0.
 *   - fluxcd/pkg e2cfd1a (2026-07-22, after kustomize/v1.39.0): kustomize/kustomize_varsub.go has no diff from
 *     kustomize/v1.35.4; envsubst/ has no change after envsubst/v1.7.0.
 */
export const NEWER_FLUX_REASON =
  "its postBuild substitution is 2.9's: kustomize-controller after v1.9.4 keeps the code and the StrictPostBuildSubstitutions default, and links fluxcd/pkg kustomize up to v1.39.0, whose kustomize_varsub.go is unchanged since v1.35.4, with envsubst v1.7.0 (unchanged since)";

/**
 * Why Flux 2.6 is not checked as 2.7, though its substitution code is the same (read at the tags named):
 * kustomize-controller v1.6.1 go.mod: fluxcd/pkg kustomize v1.18.0 (kustomize_varsub.go identical to v1.24.0's),
 * envsubst v1.4.0 (identical to v1.5.0 but go.mod), but sigs.k8s.io/yaml v1.4.0 (its own goyaml.v2 fork) where 2.7
 * reads back with sigs.k8s.io/yaml v1.6.0 / go.yaml.in/yaml/v2 v2.4.2, and Flux 2.6's CRDs are not among ../shared/crds.
 */
export const FLUX_2_6_REASON =
  "Flux 2.6 (kustomize-controller v1.6) links the same substitution code as 2.7 (envsubst v1.4.0 = v1.5.0, kustomize_varsub.go of fluxcd/pkg kustomize v1.18.0 = v1.24.0) but reads the result back with sigs.k8s.io/yaml v1.4.0, not 2.7's v1.6.0, and its CRDs were not read";
