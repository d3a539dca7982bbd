import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface KustomizeConfigProps {
  /** Files or folders the kustomization builds, relative to it. */
  readonly resources: string[];
  /**
   * Namespace set on every resource.
   * @default - none
   */
  readonly namespace?: string;
}

/** A kustomize `kustomization.yaml` (kustomize.config.k8s.io/v1beta1): a config file, not a cluster object. */
export class KustomizeConfig extends Construct {
  readonly resources: string[];

  constructor(scope: Construct, id: string, props: KustomizeConfigProps) {
    super(scope, id);
    this.resources = props.resources;
    new KustomizeConfigObject(this, 'Resource', props);
  }
}

class KustomizeConfigObject extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: KustomizeConfigProps,
  ) {
    super(scope, id, { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
  }

  /** kustomize reads no metadata from a kustomization.yaml: leave out the name cdk8s would invent. */
  public toJson(): any {
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      ...(this.config.namespace ? { namespace: this.config.namespace } : {}),
      resources: [...this.config.resources],
    };
  }
}
