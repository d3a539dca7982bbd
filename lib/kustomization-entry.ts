import { Construct } from 'constructs';

/**
 * An entry that must be listed in a kustomization.yaml that may be hand-written and shared with
 * other apps (clusters/common/flux/repositories/helm/kustomization.yaml): the writer creates the
 * file when it is absent, and otherwise adds only the missing entry.
 */
export class KustomizationEntry extends Construct {
  static isKustomizationEntry(x: unknown): x is KustomizationEntry {
    return x instanceof KustomizationEntry;
  }

  constructor(scope: Construct, id: string, readonly kustomizationPath: string, readonly resource: string) {
    super(scope, id);
  }
}
