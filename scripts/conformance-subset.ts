// `node scripts/run.js scripts/conformance-subset.ts [--from DIR] [--out DIR]`: derives the committed subset of
// the Flux conformance data (test/fixtures/flux-conformance/) — scripts/conformance-tool.ts.
import { runCommand } from '../lib/cli/command';
import { conformanceSubsetCommand, CONFORMANCE_SUBSET_USAGE } from './conformance-tool';

runCommand('conformance-subset', conformanceSubsetCommand, CONFORMANCE_SUBSET_USAGE);
