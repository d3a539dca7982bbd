import { Construct } from 'constructs';

/** A generated file that is not YAML (an app's README.md). */
export class TextFile extends Construct {
  static isTextFile(x: unknown): x is TextFile {
    return x instanceof TextFile;
  }

  constructor(scope: Construct, id: string, readonly path: string, readonly content: string) {
    super(scope, id);
  }
}
