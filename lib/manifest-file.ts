import { Chart } from 'cdk8s';
import { Construct } from 'constructs';

/** A chart that becomes one YAML file at `path` (relative to the repository root). */
export class ManifestFile extends Chart {
  static isManifestFile(x: unknown): x is ManifestFile {
    return x instanceof ManifestFile;
  }

  constructor(scope: Construct, id: string, readonly path: string) {
    super(scope, id, { disableResourceNameHashes: true });
  }
}
