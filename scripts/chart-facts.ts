// `npm run chart-facts -- [--dir DIR] [--out FILE] [--check] | --add FILE | --pull VERSION [--repo URL]`:
// see lib/cli/chart-facts.ts (the command) and lib/zot/chart-derive.ts (the derivation).
import { runCommand } from '../lib/cli/command';
import { CHART_FACTS_USAGE, chartFactsCommand } from '../lib/cli/chart-facts';

runCommand('chart-facts', chartFactsCommand, CHART_FACTS_USAGE);
