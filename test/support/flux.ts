// Shared by the Flux suites: the committed conformance subset, and catching a refusal.
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../../lib/core/error';
import { ConformanceCase, parseConformanceFile } from '../../scripts/conformance-tool';

/** The committed conformance subset's folder. */
export const CONFORMANCE_FIXTURES = path.join(__dirname, '..', 'fixtures', 'flux-conformance');

/** The cases of one committed conformance file (test/fixtures/flux-conformance). */
export function loadConformanceFixture(file: string): ConformanceCase[] {
  return parseConformanceFile(fs.readFileSync(path.join(CONFORMANCE_FIXTURES, file), 'utf8'), file);
}

/** The ZotFluxError `f` throws; fails the test when it throws nothing or something else. */
export function thrown(f: () => unknown): ZotFluxError {
  try {
    f();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e;
    throw e;
  }
  throw new Error('expected a ZotFluxError');
}
