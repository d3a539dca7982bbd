import { Construct } from 'constructs';

const BRAND = Symbol.for('zot-flux.TextFile');

/** A generated file that is not YAML (an app's README.md). */
export class TextFile extends Construct {
  /** A Symbol.for brand, not instanceof: two copies of this module in one process still agree. */
  static isTextFile(x: unknown): x is TextFile {
    return typeof x === 'object' && x !== null && (x as any)[BRAND] === true;
  }

  constructor(
    scope: Construct,
    id: string,
    readonly path: string,
    readonly content: string,
  ) {
    super(scope, id);
    Object.defineProperty(this, BRAND, { value: true });
  }
}
