// The Flux API versions init writes, per Flux generation: the served storage version of each CRD
// the entry point uses. Both generations store the same versions, and every field init writes
// (interval, path, prune, wait, sourceRef, decryption, postBuild.substituteFrom; url, ref.branch)
// has the same schema in both, so the files are the same; --flux names the generation whose CRDs
// (lib/k8s/schema.ts) the files are checked against.
import { refuse } from '../core/error';
import { FLUX_GENERATIONS, FluxGeneration } from '../flux/generation';

export type { FluxGeneration };

/** The generations init writes for: those lib/flux/generation.ts knows. */
export const INIT_FLUX_GENERATIONS = Object.keys(FLUX_GENERATIONS) as FluxGeneration[];

/** The generation the target cluster runs (../shared/crds/SOURCES.md: Flux v2.7.5). */
export const DEFAULT_FLUX_GENERATION: FluxGeneration = '2.7';

export interface FluxApis {
  /** The Flux release whose CRDs these come from. */
  readonly release: string;
  readonly gitRepository: string;
  readonly kustomization: string;
}

export const FLUX_APIS: Readonly<Record<FluxGeneration, FluxApis>> = {
  '2.7': {
    release: 'v2.7.5',
    // source-controller v1.7.4 config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml: v1 served+storage, v1beta2 deprecated
    gitRepository: 'source.toolkit.fluxcd.io/v1',
    // kustomize-controller v1.7.3 config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml: v1 served+storage, v1beta2 deprecated
    kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  },
  '2.9': {
    release: 'v2.9.4',
    // source-controller v1.9 (main 39b711b) config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml: v1 only, served+storage
    gitRepository: 'source.toolkit.fluxcd.io/v1',
    // kustomize-controller v1.9.4 config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml: v1 only, served+storage
    kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  },
};

export function fluxGeneration(value: unknown, field = '--flux'): FluxGeneration {
  if (!INIT_FLUX_GENERATIONS.includes(value as FluxGeneration))
    refuse(field, value, `is not a Flux generation init knows: ${INIT_FLUX_GENERATIONS.join(', ')}`);
  return value as FluxGeneration;
}
