import { Construct } from 'constructs';

const BRAND = Symbol.for('zot-flux.KustomizationEntry');

/**
 * An entry that must be listed in a kustomization.yaml that may be hand-written and shared with
 * other apps (clusters/common/flux/repositories/helm/kustomization.yaml): the writer creates the
 * file when it is absent, and otherwise adds only the missing entry.
 */
export class KustomizationEntry extends Construct {
  /** A Symbol.for brand, not instanceof: two copies of this module in one process still agree. */
  static isKustomizationEntry(x: unknown): x is KustomizationEntry {
    return typeof x === 'object' && x !== null && (x as any)[BRAND] === true;
  }

  constructor(
    scope: Construct,
    id: string,
    readonly kustomizationPath: string,
    readonly resource: string,
  ) {
    super(scope, id);
    Object.defineProperty(this, BRAND, { value: true });
  }
}
