// `npm run render -- --cluster NAME [--repo DIR] [--vars FILE] [--flux 2.7|2.9]`: prints what Flux applies
// for the generated apps on that cluster. `--all [--out-dir DIR]`: one file per cluster, for CI diffs.
import * as fs from 'fs';
import * as path from 'path';
import { renderFleet } from '../fleet/check';
import { assumedFluxNote } from '../fleet/flux-version';
import { RenderedCluster } from '../fleet/render';
import { FluxGeneration, isFluxGeneration } from '../flux/generation';
import { parseDotenv } from '../fleet/dotenv';
import { expandHelmReleases, HelmRenderer, readHelmRepositories } from '../fleet/helm-render';
import {
  EXIT_OK,
  EXIT_PROBLEM,
  Io,
  optionFile,
  optionFolder,
  outputFolder,
  ParsedArgs,
  parseArgs,
  replaceFile,
  reportError,
  UsageError,
} from './command';
import { atPath } from './failure';

export const RENDER_USAGE = `usage: npm run render -- --cluster NAME [--repo DIR] [--vars FILE] [--flux 2.7|2.9] [--helm [--charts DIR]] [--quiet]
       npm run render -- --all [--out-dir DIR] [--repo DIR] [--vars FILE] [--flux 2.7|2.9] [--helm [--charts DIR]] [--quiet]

Prints, as YAML, what Flux applies for the generated apps on a cluster: the Flux Kustomizations
followed from clusters/<cluster>/flux, each built with kustomize (targetNamespace, patches), then
Flux's postBuild substitution with the variables of the ConfigMaps and Secrets that cluster applies
in the Kustomization's namespace (substituteFrom order, later sources win), read back as Flux reads
it (YAML 1.1), then commonMetadata. The cluster's Flux generation comes from the files it applies
(as fleet-check says; default 2.9, strict: a variable no source defines fails the Kustomization,
and nothing of it is printed); how it was decided, when not plainly, is a comment at the top.
Encrypted (SOPS) and Secret values print as <secret:NAME>. Relative paths are taken from the folder
you run npm in.

  --cluster NAME   the cluster to render
  --all            render every cluster, one file each, into --out-dir (default: rendered)
  --repo DIR       the GitOps repository (default: the folder you run npm in); must exist
  --vars FILE      KEY=VALUE lines with real values for encrypted variables: used for the
                   checks, never printed (not in messages either)
  --flux 2.7|2.9   render every cluster as this Flux generation, whatever its files say
  --helm           also render each HelmRelease with the real helm and its chart: the output
                   holds the StatefulSet, Service, ConfigMap and Secret (values as <secret:KEY>)
  --charts DIR     with --helm: take charts from a folder of packages (<chart>-<version>.tgz,
                   e.g. ../shared/charts/zot) instead of helm pull from the HelmRepository URL
  --quiet          no notes (how each cluster's Flux was decided, assumptions): only the YAML,
                   the problems and, with --all, the summary line
  --help           this text

Exit codes: 0 rendered, 1 unknown cluster or a problem found (problems on stderr), a chart that
cannot be pulled, or a path the machine refuses (missing, symlink loop, read-only --out-dir),
2 usage, 3 a bug in zot-flux.
`;

/** `--flux 2.7|2.9`, checked. */
export function fluxOption(value: unknown): FluxGeneration | undefined {
  if (value === undefined) return undefined;
  if (!isFluxGeneration(value)) throw new UsageError(`--flux must be 2.7 or 2.9 (got '${String(value)}')`);
  return value;
}

/** The notes of the results: the assumptions summed up, the rest one by one. */
export function printNotes(command: string, results: readonly RenderedCluster[], io: Io): void {
  const entry = new Set<string>();
  const parent = new Set<string>();
  const seen = new Set<string>();
  const some = (set: Set<string>) => `${[...set].slice(0, 3).join(', ')}${set.size > 3 ? ', ...' : ''}`;
  for (const r of results) {
    for (const n of r.notes) {
      if (n.includes('declares no Flux Kustomization')) {
        entry.add(r.cluster);
        continue;
      }
      if (n.includes('is taken as applied by a parent')) {
        parent.add(r.cluster);
        continue;
      }
      const line = `${command}: ${r.cluster}: note: ${n}\n`;
      if (!seen.has(line)) {
        seen.add(line);
        io.stderr(line);
      }
    }
  }
  if (entry.size) {
    io.stderr(
      `${command}: note: ${entry.size} cluster(s) declare no Flux Kustomization in clusters/<name>/flux (${some(entry)}): checked as if Kustomizations in flux-system applied it and clusters/common/flux (the reference layout's entry point)\n`,
    );
  }
  if (parent.size) {
    io.stderr(
      `${command}: note: on ${parent.size} cluster(s) (${some(parent)}) no Kustomization applies the generated ks.yaml: checked as if a parent without postBuild applied it\n`,
    );
  }
}

/**
 * How each cluster's Flux was decided, when its files do not say it plainly (lib/fleet/flux-version.ts): one line
 * per cluster, the clusters whose generation is assumed summed up in one.
 */
export function fluxNotes(results: readonly RenderedCluster[]): string[] {
  const assumed: string[] = [];
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    if (seen.has(r.cluster) || !r.flux.note) continue;
    seen.add(r.cluster);
    if (r.flux.source === 'default') assumed.push(r.cluster);
    else lines.push(`${r.cluster}: Flux: ${r.flux.note}`);
  }
  if (assumed.length === 1)
    lines.unshift(`${assumed[0]}: Flux: ${results.find((r) => r.cluster === assumed[0])!.flux.note}`);
  else if (assumed.length)
    lines.unshift(
      `${assumed.length} clusters (${assumed.slice(0, 3).join(', ')}${assumed.length > 3 ? ', ...' : ''}): Flux: ${assumedFluxNote('clusters/<name>/flux')}`,
    );
  return lines;
}

export function renderCommand(argv: string[], io: Io): number {
  try {
    const args = parseArgs(argv, {
      values: ['cluster', 'out-dir', 'repo', 'vars', 'charts', 'flux'],
      flags: ['all', 'helm', 'quiet'],
    });
    if (args.help) {
      io.stdout(RENDER_USAGE);
      return EXIT_OK;
    }
    const o = renderOptions(io, args);
    const fleet = renderFleet(o.repo, { only: o.all ? undefined : [o.cluster!], provided: o.provided, flux: o.flux });
    const renderer = o.helm ? new HelmRenderer({ chartsDir: o.chartsDir, repo: o.repo }) : undefined;
    const repositories = o.helm ? readHelmRepositories(o.repo) : [];
    if (o.all) fs.mkdirSync(o.outDir, { recursive: true });
    if (!o.quiet) printNotes('render', fleet.results, io);
    const texts = clusterTexts(io, fleet.results, (text) =>
      renderer ? expandHelmReleases(text, repositories, renderer) : text,
    );
    writeClusters(io, o, fleet.results, texts.byCluster);
    for (const name of texts.ignored) {
      io.stderr(
        `render: --vars: ${name} is not an encrypted variable the apps use (on some cluster); its value was not used\n`,
      );
    }
    if (o.all) io.stderr(`render: wrote ${texts.byCluster.size} clusters into ${o.outDir}/\n`);
    return texts.problems ? EXIT_PROBLEM : EXIT_OK;
  } catch (e) {
    return reportError('render', e, io, RENDER_USAGE);
  }
}

interface RenderOptions {
  readonly all: boolean;
  readonly cluster?: string;
  readonly flux: ReturnType<typeof fluxOption>;
  readonly quiet: boolean;
  readonly repo: string;
  readonly provided: Record<string, string>;
  readonly helm: boolean;
  readonly chartsDir?: string;
  readonly outDir: string;
}

/** The options, checked in the order they are told apart (a usage error before any file is read). */
function renderOptions(io: Io, args: ParsedArgs): RenderOptions {
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const all = args.options.all === true;
  const cluster = args.options.cluster as string | undefined;
  if (!all && !cluster) throw new UsageError('give --cluster NAME or --all');
  if (all && cluster) throw new UsageError('--cluster and --all exclude each other');
  if (!all && args.options['out-dir'] !== undefined) throw new UsageError('--out-dir goes with --all');
  const flux = fluxOption(args.options.flux);
  const quiet = args.options.quiet === true;
  const repo = optionFolder(io, (args.options.repo as string | undefined) ?? '.', '--repo');
  const varsFile = args.options.vars as string | undefined;
  let provided: Record<string, string> = {};
  if (varsFile !== undefined) {
    const file = optionFile(io, varsFile, '--vars');
    provided = parseDotenv(fs.readFileSync(file, 'utf8'), varsFile);
  }
  const helm = args.options.helm === true;
  if (args.options.charts !== undefined && !helm) throw new UsageError('--charts goes with --helm');
  const chartsDir =
    args.options.charts === undefined ? undefined : optionFolder(io, args.options.charts as string, '--charts');
  const outDir = outputFolder(io, (args.options['out-dir'] as string | undefined) ?? 'rendered', '--out-dir');
  return { all, cluster, flux, quiet, repo, provided, helm, chartsDir, outDir };
}

/** Each cluster's texts (through `expand`), its problems said on stderr, the --vars values no app used. */
function clusterTexts(
  io: Io,
  results: readonly RenderedCluster[],
  expand: (text: string) => string,
): { byCluster: Map<string, string[]>; problems: number; ignored: Set<string> } {
  let problems = 0;
  const ignored = new Set<string>();
  const byCluster = new Map<string, string[]>();
  for (const r of results) {
    byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), expand(r.text)]);
    for (const msg of r.problems) io.stderr(`render: ${r.cluster}: ${msg}\n`);
    for (const name of r.ignoredProvided) ignored.add(name);
    problems += r.problems.length;
  }
  return { byCluster, problems, ignored };
}

/** Each cluster's YAML: a file under --out-dir with --all, else stdout. */
function writeClusters(
  io: Io,
  o: RenderOptions,
  results: readonly RenderedCluster[],
  byCluster: ReadonlyMap<string, string[]>,
): void {
  for (const [name, texts] of byCluster) {
    // How the cluster's Flux was decided, as comments above what it applies (stdout stays YAML).
    const notes = o.quiet
      ? ''
      : fluxNotes(results.filter((r) => r.cluster === name))
          .map((n) => `# zot-flux render: note: ${n}\n`)
          .join('');
    const file = path.join(o.outDir, `${name}.yaml`);
    if (o.all) atPath(file, () => replaceFile(file, notes + texts.join('')));
    else io.stdout(notes + texts.join(''));
  }
}
