// `npm run synth` with the tests' own app instead of main.ts's: the seed app on TEST_CHART_VERSION.
// The example fleet (test/fixtures/fleet) is this app's output, so a user's main.ts or
// ZOT_CHART_VERSION never changes it: `node scripts/run.js test/support/synth-test-app.ts --out test/fixtures/fleet`.
import { runCommand } from '../../lib/cli/command';
import { projectRoot, synthCommand, SYNTH_USAGE } from '../../lib/cli/synth';
import { appWith } from './tree';

runCommand('synth', (argv, io) => synthCommand(argv, io, () => appWith(), projectRoot(__dirname)), SYNTH_USAGE);
