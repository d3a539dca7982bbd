// `npm run fleet-check [--repo DIR]`: for every cluster, every variable the generated manifests use
// is defined by a source its Kustomization substitutes from, and the rendered objects pass the CRD
// schemas and the hostname pattern. Prints a table; exits 1 naming each cluster and variable at fault.
import * as fs from 'fs';
import { renderFleet } from '../fleet/check';
import { EXIT_OK, EXIT_PROBLEM, Io, parseArgs, reportError, UsageError, userPath } from './command';

export const FLEET_CHECK_USAGE = `usage: npm run fleet-check -- [--repo DIR] [--quiet]

Checks every cluster of the GitOps repository (each clusters/<name>/ with a flux/ folder):
every variable the generated manifests use is defined by some source the app's Kustomization
substitutes from, and the objects Flux would apply pass the CRD schemas and the hostname pattern.

  --repo DIR   the GitOps repository (default: the folder you run npm in); must exist
  --quiet      print only the clusters with problems
  --help       this text

Exit codes: 0 every cluster OK, 1 a problem on some cluster (or no clusters, or no generated
app), 2 usage, 3 a bug in zot-flux.
`;

export function fleetCheckCommand(argv: string[], io: Io): number {
  try {
    const args = parseArgs(argv, { values: ['repo'], flags: ['quiet'] });
    if (args.help) { io.stdout(FLEET_CHECK_USAGE); return EXIT_OK; }
    if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const repo = userPath(io, (args.options.repo as string | undefined) ?? '.');
    if (!fs.statSync(repo, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--repo: '${repo}' does not exist or is not a folder`);
    const quiet = args.options.quiet === true;
    const { clusters, apps, results } = renderFleet(repo);
    const rows = results.map((r) => [
      r.cluster,
      ...(apps.length > 1 ? [r.app] : []),
      r.hostnames.join(',') || '-',
      r.missing.length ? `missing: ${r.missing.join(', ')}` : r.problems.length ? `OK (${r.used.length}), ${r.problems.length} problem(s)` : `OK (${r.used.length})`,
    ]);
    const header = ['CLUSTER', ...(apps.length > 1 ? ['APP'] : []), 'HOSTNAME', 'VARIABLES'];
    const shown = quiet ? rows.filter((_, i) => results[i].problems.length) : rows;
    const widths = header.map((h, c) => Math.max(h.length, ...shown.map((r) => r[c].length)));
    const fmt = (r: string[]) => r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(widths[c]))).join('  ') + '\n';
    io.stdout(fmt(header) + shown.map(fmt).join(''));
    const bad = results.filter((r) => r.problems.length);
    for (const r of bad) for (const p of r.problems) io.stderr(`fleet-check: ${r.cluster}: ${p}\n`);
    if (bad.length) {
      io.stderr(`fleet-check: ${new Set(bad.map((r) => r.cluster)).size} of ${clusters.length} clusters have problems\n`);
      return EXIT_PROBLEM;
    }
    io.stdout(`fleet-check: ${clusters.length} clusters OK\n`);
    return EXIT_OK;
  } catch (e) {
    return reportError('fleet-check', e, io, FLEET_CHECK_USAGE);
  }
}
