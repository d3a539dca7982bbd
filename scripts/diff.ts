// `npm run diff`: lib/cli/diff.ts.
import { runCommand } from '../lib/cli/command';
import { DIFF_USAGE, diffCommand } from '../lib/cli/diff';

runCommand('diff', diffCommand, DIFF_USAGE);
