// `npm run access`: lib/cli/access.ts.
import { runCommand } from '../lib/cli/command';
import { accessCommand, ACCESS_USAGE } from '../lib/cli/access';

runCommand('access', accessCommand, ACCESS_USAGE);
