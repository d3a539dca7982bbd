// `npm run render`: lib/cli/render.ts.
import { runCommand } from '../lib/cli/command';
import { renderCommand, RENDER_USAGE } from '../lib/cli/render';

runCommand('render', renderCommand, RENDER_USAGE);
