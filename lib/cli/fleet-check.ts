// `npm run fleet-check [--repo DIR] [--flux 2.7|2.9]`: for every cluster, what its Flux applies for the
// generated apps, followed from clusters/<name>/flux as kustomize-controller does (variables from the
// sources that Kustomization applies, the cluster's Flux generation and strict gate, commonMetadata after
// substitution, the CRD schemas of that generation, hostnames). Prints a table of every cluster, then
// exits 1 naming each cluster, Kustomization and variable at fault.
import { renderFleet } from '../fleet/check';
import { describeFlux } from '../fleet/flux-version';
import { RenderedCluster } from '../fleet/render';
import { EXIT_OK, EXIT_PROBLEM, Io, optionFolder, parseArgs, reportError, UsageError } from './command';
import { fluxNotes, fluxOption, printNotes } from './render';

export const FLEET_CHECK_USAGE = `usage: npm run fleet-check -- [--repo DIR] [--flux 2.7|2.9] [--quiet]

Checks every cluster of the GitOps repository (each clusters/<name>/ with a flux/ folder) as its
Flux applies the generated apps: the Flux Kustomizations are followed from clusters/<name>/flux (built
with kustomize, their patches and postBuild applied), each app's variables come from the ConfigMaps
and Secrets its Kustomization's cluster applies in that Kustomization's namespace, and the objects
pass the CRD schemas of the cluster's Flux and the hostname pattern. The Flux generation comes from
the files the cluster applies (gotk-components.yaml's "# Flux Version", a FluxInstance's version
range such as "2.x", resolved to the newest Flux release it matches, a kustomize-controller image
tag, a --feature-gates=StrictPostBuildSubstitutions=... argument). Flux 2.7 and 2.8 substitute
alike; 2.9 and later 2.x (checked as 2.9, with a note) are strict by default: a variable no source
defines fails the whole Kustomization (on Flux 2.7 it becomes an empty string). Without any of
them, Flux 2.9 strict is assumed, and a note says so. Other versions (2.6 and older, 3.x) are
reported.

  --repo DIR       the GitOps repository (default: the folder you run npm in); must exist
  --flux 2.7|2.9   check every cluster as this Flux generation, whatever its files say
  --quiet          print only the clusters with problems (their rows and messages) and the
                   summary line; nothing else when every cluster is OK
  --help           this text

Exit codes: 0 every cluster OK, 1 a problem on some cluster (or no clusters, or no generated
app, or a path the machine refuses: missing, a symlink loop, unreadable), 2 usage, 3 a bug in
zot-flux.
`;

function status(r: RenderedCluster): string {
  if (!r.kustomization) return 'not applied';
  if (r.failure) return r.missing.length ? `missing: ${r.missing.join(', ')} (fails)` : 'FAILS';
  if (r.missing.length) return `missing: ${r.missing.join(', ')}`;
  // A cluster with a problem never reads OK, even when the app itself renders (another Kustomization fails).
  return r.problems.length
    ? `problems: ${r.problems.length} (app renders, ${r.used.length} variable(s))`
    : `OK (${r.used.length})`;
}

export function fleetCheckCommand(argv: string[], io: Io): number {
  try {
    const args = parseArgs(argv, { values: ['repo', 'flux'], flags: ['quiet'] });
    if (args.help) {
      io.stdout(FLEET_CHECK_USAGE);
      return EXIT_OK;
    }
    if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const repo = optionFolder(io, (args.options.repo as string | undefined) ?? '.', '--repo');
    const quiet = args.options.quiet === true;
    const flux = fluxOption(args.options.flux);
    const { clusters, apps, results } = renderFleet(repo, { flux });
    const rows = results.map((r) => [
      r.cluster,
      ...(apps.length > 1 ? [r.app] : []),
      r.hostnames.join(',') || '-',
      status(r),
      describeFlux(r.flux),
    ]);
    const header = ['CLUSTER', ...(apps.length > 1 ? ['APP'] : []), 'HOSTNAME', 'VARIABLES', 'FLUX'];
    const shown = quiet ? rows.filter((_, i) => results[i].problems.length) : rows;
    const widths = header.map((h, c) => Math.max(h.length, ...shown.map((r) => r[c].length)));
    const fmt = (r: string[]) => r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(widths[c]))).join('  ') + '\n';
    // --quiet: the failing rows only (under the header), nothing when every cluster is OK.
    if (!quiet || shown.length) io.stdout(fmt(header) + shown.map(fmt).join(''));
    // How each cluster's Flux (the FLUX column) was decided, when its files do not say it plainly.
    // --quiet: errors, warnings and the summary only, so no notes.
    if (!quiet) for (const n of fluxNotes(results)) io.stdout(`fleet-check: note: ${n}\n`);
    const bad = results.filter((r) => r.problems.length);
    if (!quiet) printNotes('fleet-check', results, io);
    for (const r of bad) for (const p of r.problems) io.stderr(`fleet-check: ${r.cluster}: ${p}\n`);
    if (bad.length) {
      io.stderr(
        `fleet-check: ${new Set(bad.map((r) => r.cluster)).size} of ${clusters.length} clusters have problems\n`,
      );
      return EXIT_PROBLEM;
    }
    io.stdout(`fleet-check: ${clusters.length} clusters OK\n`);
    return EXIT_OK;
  } catch (e) {
    return reportError('fleet-check', e, io, FLEET_CHECK_USAGE);
  }
}
