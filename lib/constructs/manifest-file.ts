import { Chart } from 'cdk8s';
import { Construct } from 'constructs';

const BRAND = Symbol.for('zot-flux.ManifestFile');

/** A chart that becomes one YAML file at `path` (relative to the repository root). */
export class ManifestFile extends Chart {
  /** A Symbol.for brand, not instanceof: two copies of this module in one process still agree. */
  static isManifestFile(x: unknown): x is ManifestFile {
    return typeof x === 'object' && x !== null && (x as any)[BRAND] === true;
  }

  constructor(
    scope: Construct,
    id: string,
    readonly path: string,
  ) {
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, BRAND, { value: true });
  }
}
