// `npm run synth`: writes what main.ts's buildApp() builds into the repository.
import { buildApp } from '../main';
import { runCommand } from '../lib/cli/command';
import { projectRoot, synthCommand, SYNTH_USAGE } from '../lib/cli/synth';

runCommand('synth', (argv, io) => synthCommand(argv, io, buildApp, projectRoot(__dirname)), SYNTH_USAGE);
