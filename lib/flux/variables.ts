// Flux postBuild variables: where their values come from, and how manifests refer to them.

/** A ConfigMap or Secret in flux-system that a Flux Kustomization substitutes variables from. */
export interface FluxVariableSource {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  /**
   * A missing source counts as empty instead of failing the reconciliation.
   * @default false
   */
  readonly optional?: boolean;
}

/** `${NAME}`: the reference Flux replaces with the variable's value. */
export function variableRef(name: string): string {
  return '${' + name + '}';
}

export function sameSource(a: FluxVariableSource, b: FluxVariableSource): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** The ConfigMap each cluster keeps its settings in (CLUSTER_DOMAIN among them). */
export const CLUSTER_SETTINGS: FluxVariableSource = { kind: 'ConfigMap', name: 'cluster-settings' };

/** The SOPS-encrypted Secret shared by every cluster (COMMON_OCI among them). */
export const COMMON_SECRETS: FluxVariableSource = { kind: 'Secret', name: 'common-secrets' };
