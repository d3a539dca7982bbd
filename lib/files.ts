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

/** A generated file that is not YAML (an app's README.md). */
export class TextFile extends Construct {
  static isTextFile(x: unknown): x is TextFile {
    return x instanceof TextFile;
  }

  constructor(scope: Construct, id: string, readonly path: string, readonly content: string) {
    super(scope, id);
  }
}

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
