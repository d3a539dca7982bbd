import { Construct } from 'constructs';
import * as kustomize from '../../imports/kustomize.toolkit.fluxcd.io';
import { FluxVariableSource } from '../flux/variables';

export interface FluxKustomizationProps {
  /** Kustomization name. */
  readonly name: string;
  /** Path inside the source repository, e.g. `./clusters/common/apps/zot/app`. */
  readonly path: string;
  /** Namespace every object of the path is put in. */
  readonly targetNamespace: string;
  /**
   * Namespace of the Kustomization itself.
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * The GitRepository holding the manifests.
   * @default 'kubernetes-manifests'
   */
  readonly gitRepository?: string;
  /**
   * @default '30m'
   */
  readonly interval?: string;
  /**
   * @default '1m'
   */
  readonly retryInterval?: string;
  /**
   * @default '5m'
   */
  readonly timeout?: string;
  /**
   * Wait for every applied object to become ready.
   * @default true
   */
  readonly wait?: boolean;
  /**
   * Sources of postBuild variable substitution, in precedence order (later wins).
   * @default - no postBuild (a parent Kustomization injects it)
   */
  readonly substituteFrom?: FluxVariableSource[];
  /**
   * Kustomizations that must be ready before this one is applied (e.g. the one installing the CRDs of a
   * ServiceMonitor or a BackendTrafficPolicy in the app folder). Flux waits for each to be Ready
   * (kustomize.toolkit.fluxcd.io/v1 spec.dependsOn).
   * @default [] - no dependencies
   */
  readonly dependsOn?: ReadonlyArray<{ readonly name: string; readonly namespace?: string }>;
}

/** A Flux Kustomization (kustomize.toolkit.fluxcd.io/v1): Flux applies a folder of the repository. */
export class FluxKustomization extends Construct {
  readonly name: string;
  readonly resource: kustomize.Kustomization;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    this.name = props.name;
    const substituteFrom = props.substituteFrom ?? [];
    this.resource = new kustomize.Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? 'flux-system' },
      spec: {
        targetNamespace: props.targetNamespace,
        commonMetadata: { labels: { 'app.kubernetes.io/name': props.name } },
        ...(props.dependsOn && props.dependsOn.length
          ? {
              dependsOn: props.dependsOn.map((d) => ({
                name: d.name,
                ...(d.namespace ? { namespace: d.namespace } : {}),
              })),
            }
          : {}),
        path: props.path,
        prune: true,
        sourceRef: {
          kind: kustomize.KustomizationSpecSourceRefKind.GIT_REPOSITORY,
          name: props.gitRepository ?? 'kubernetes-manifests',
        },
        wait: props.wait ?? true,
        interval: props.interval ?? '30m',
        retryInterval: props.retryInterval ?? '1m',
        timeout: props.timeout ?? '5m',
        ...(substituteFrom.length
          ? {
              postBuild: {
                substituteFrom: substituteFrom.map((s) => ({
                  kind:
                    s.kind === 'Secret'
                      ? kustomize.KustomizationSpecPostBuildSubstituteFromKind.SECRET
                      : kustomize.KustomizationSpecPostBuildSubstituteFromKind.CONFIG_MAP,
                  name: s.name,
                  ...(s.optional ? { optional: true } : {}),
                })),
              },
            }
          : {}),
      },
    });
  }
}
