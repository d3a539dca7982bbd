// `npm run conformance -- --flux 2.7|2.9 FILE...`: scripts/conformance-tool.ts.
import { runCommand } from '../lib/cli/command';
import { conformanceCommand, CONFORMANCE_USAGE } from './conformance-tool';

runCommand('conformance', conformanceCommand, CONFORMANCE_USAGE);
