// `npm run init`: adds to a GitOps repository what the generated app needs (lib/cli/init.ts).
import { runCommand } from '../lib/cli/command';
import { initCommand, INIT_USAGE } from '../lib/cli/init';

runCommand('init', initCommand, INIT_USAGE);
