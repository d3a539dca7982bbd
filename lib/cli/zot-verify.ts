// `npm run zot-verify -- [--zot VERSION | --chart VERSION] FILE`: does that zot version start with
// this config.json? Prints each refusal (exit 1) or the warnings (exit 0); 2 for a usage error.
import * as fs from 'fs';
import { formatProblem, Problem, ZotFluxError } from '../core/error';
import { refuseDeepNesting } from '../core/nesting';
import { chartFact, knownBadChartReason, NEWEST_CHART_VERSION } from '../zot/chart-versions';
import { checkedZotVersion, parseZotConfigText, SUPPORTED_ZOT_VERSIONS, verifyZotConfig } from '../zot/startup';
import { advisoriesFor, advisorySummary, configHits } from '../zot/advisories';
import { EXIT_OK, EXIT_PROBLEM, Io, optionFile, parseArgs, UsageError } from './command';
import { atPath } from './failure';

export const ZOT_VERIFY_USAGE = `usage: npm run zot-verify -- [--zot VERSION | --chart VERSION] FILE

Checks a zot config.json against zot's own start-up rules for one zot version: the keys it knows
(matched as zot matches them, case-insensitively), their types, and every check zot makes before
it serves. FILE may be JSON or YAML (by its extension, as zot reads it); - reads stdin.

  --zot VERSION    the zot version (vX.Y.Z): ${SUPPORTED_ZOT_VERSIONS[0]} to ${SUPPORTED_ZOT_VERSIONS[SUPPORTED_ZOT_VERSIONS.length - 1]} are modelled; a newer
                   one is checked with ${SUPPORTED_ZOT_VERSIONS[SUPPORTED_ZOT_VERSIONS.length - 1]}'s model and the keys of zot's main branch
                   (a key that model does not know is a warning), an older one with
                   ${SUPPORTED_ZOT_VERSIONS[0]}'s (with a warning)
  --chart VERSION  the zot chart version; checks the zot version it deploys
                   (default: the newest supported chart, ${NEWEST_CHART_VERSION})
  --help           this text

Prints each refusal with its key path and why (exit 1), or the warnings: what zot clamps, ignores
or logs (exit 0). Exit 1 too for a file that does not parse or nests objects and arrays more than
512 levels deep. Exit 2: usage error, or a FILE that cannot be read. Exit 3: a bug in zot-flux.
`;

const show = (p: Problem) => formatProblem(p.field ? p : { ...p, field: '(the config)' });

export function zotVerifyCommand(argv: string[], io: Io): number {
  const args = parseArgs(argv, { values: ['zot', 'chart'] });
  if (args.help) {
    io.stdout(ZOT_VERIFY_USAGE);
    return EXIT_OK;
  }
  if (args.positionals.length !== 1)
    throw new UsageError(
      args.positionals.length ? `expected one FILE, got ${args.positionals.length}` : 'FILE is required',
    );
  const { zot, chart } = args.options as { zot?: string; chart?: string };
  if (zot !== undefined && chart !== undefined) throw new UsageError('give --zot or --chart, not both');
  const { version, label, notes } = verifiedZot(zot, chart);
  const file = args.positionals[0];
  const name = file === '-' ? 'stdin' : file;
  const config = readConfig(io, file, name);
  if (config === NOT_PARSED) {
    io.stdout(`${label} refuses ${name}: it does not parse\n`);
    return EXIT_PROBLEM;
  }
  // Before any recursive walk: a config nested thousands deep is refused naming the file (lib/core/nesting.ts).
  refuseDeepNesting(config, name);
  const { errors, warnings } = verifyZotConfig(config, version);
  // The advisories against that zot (lib/zot/known-advisories.json), with where this config depends on one.
  for (const a of advisoriesFor(version)) {
    const hits = configHits(a, config, version);
    notes.push(
      `${advisorySummary(a, version)}${hits.length ? `; this config depends on it: ${hits.map((h) => h.says).join('; ')}` : ''}`,
    );
  }
  for (const n of notes) io.stderr(`zot-verify: warning: ${n}\n`);
  for (const p of errors) io.stderr(`zot-verify: error: ${show(p)}\n`);
  for (const p of warnings) io.stderr(`zot-verify: warning: ${show(p)}\n`);
  const w = warnings.length + notes.length;
  const warned = w ? ` (${w} warning${w === 1 ? '' : 's'})` : '';
  if (errors.length) {
    io.stdout(`${label} refuses ${name}: ${errors.length} problem${errors.length === 1 ? '' : 's'}${warned}\n`);
    return EXIT_PROBLEM;
  }
  io.stdout(`${label} starts with ${name}${warned}\n`);
  return EXIT_OK;
}

/** The zot version checked against (--zot, else --chart's, else the newest chart's), how it is named, notes on it. */
function verifiedZot(
  zot: string | undefined,
  chart: string | undefined,
): { version: string; label: string; notes: string[] } {
  const notes: string[] = [];
  try {
    if (zot !== undefined) {
      const version = checkedZotVersion(zot, '--zot');
      return { version, label: `zot ${version}`, notes };
    }
    const c = chart ?? NEWEST_CHART_VERSION;
    const version = checkedZotVersion(chartFact(c, '--chart').zotVersion, `--chart ${c}: its zot version`);
    const label = `zot ${version} (chart ${c}${chart === undefined ? ', the newest supported' : ''})`;
    const bad = knownBadChartReason(c);
    if (bad) notes.push(`chart ${c} is known bad: ${bad}`);
    return { version, label, notes };
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) throw new UsageError(e.message);
    throw e;
  }
}

const NOT_PARSED = Symbol('not parsed');

/** The config FILE (or stdin for `-`) as zot reads it; NOT_PARSED (said on stderr) when zot cannot parse it. */
function readConfig(io: Io, file: string, name: string): unknown {
  // A missing file, a folder or a link loop is a usage error (2); what the machine refuses on reading is 1 (failure.ts).
  const source = file === '-' ? undefined : optionFile(io, file, 'FILE');
  const text =
    source === undefined ? fs.readFileSync(0, 'utf8') : atPath(source, () => fs.readFileSync(source, 'utf8'));
  try {
    // As zot's viper reads it (JSON or YAML by extension, both when there is none; lib/zot/startup.ts).
    return parseZotConfigText(text, name);
  } catch (e) {
    // zot-flux's own limit (nesting beyond 512) is said as zot-flux's, naming the file (exit 1 through failure.ts);
    // a syntax error or go-yaml's aliasing refusal is zot's.
    if (ZotFluxError.isZotFluxError(e) && /zot-flux reads at most/.test(e.message)) throw e;
    const why = ZotFluxError.isZotFluxError(e) ? e.problems[0].reason : (e as Error).message.split('\n')[0];
    io.stderr(`zot-verify: error: ${name}: zot cannot parse it (${why})\n`);
    return NOT_PARSED;
  }
}
