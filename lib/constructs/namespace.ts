import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** The label (or annotation) that stops Flux from ever pruning an object. */
export const FLUX_PRUNE_DISABLED = 'kustomize.toolkit.fluxcd.io/prune';

export interface NamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /**
   * Label the namespace so that Flux never prunes it (deleting it would delete the registry's PVC).
   * @default true
   */
  readonly pruneDisabled?: boolean;
}

/** A Namespace, without the `spec: {}` that cdk8s-plus's Namespace adds. */
export class Namespace extends Construct {
  readonly name: string;
  readonly resource: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const labels = (props.pruneDisabled ?? true) ? { [FLUX_PRUNE_DISABLED]: 'disabled' } : undefined;
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: props.name, ...(labels ? { labels } : {}) },
    });
  }
}
