// `npm run fleet-check`: lib/cli/fleet-check.ts.
import { runCommand } from '../lib/cli/command';
import { fleetCheckCommand, FLEET_CHECK_USAGE } from '../lib/cli/fleet-check';

runCommand('fleet-check', fleetCheckCommand, FLEET_CHECK_USAGE);
