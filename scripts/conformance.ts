// `npm run conformance -- --flux 2.7|2.9 FILE...`: lib/cli/conformance.ts.
import { runCommand } from '../lib/cli/command';
import { conformanceCommand, CONFORMANCE_USAGE } from '../lib/cli/conformance';

runCommand('conformance', conformanceCommand, CONFORMANCE_USAGE);
