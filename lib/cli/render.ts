// `npm run render -- --cluster NAME [--repo DIR] [--vars FILE]`: prints what Flux applies for the
// generated apps on that cluster. `--all [--out-dir DIR]`: one file per cluster, for CI diffs.
import * as fs from 'fs';
import * as path from 'path';
import { renderFleet } from '../fleet/check';
import { parseDotenv } from '../fleet/dotenv';
import { expandHelmReleases, HelmRenderer, readHelmRepositories } from '../fleet/helm-render';
import { EXIT_OK, EXIT_PROBLEM, Io, parseArgs, reportError, UsageError, userPath } from './command';

export const RENDER_USAGE = `usage: npm run render -- --cluster NAME [--repo DIR] [--vars FILE] [--helm [--charts DIR]]
       npm run render -- --all [--out-dir DIR] [--repo DIR] [--vars FILE] [--helm [--charts DIR]]

Prints, as YAML, what Flux applies for the generated apps on a cluster: kustomize build of their
folders, then Flux's substitution with that cluster's variables (clusters/common/flux/vars and
clusters/<cluster>/flux/vars, in the substituteFrom order of the app's Kustomization).
Encrypted (SOPS) values print as <secret:NAME>. Relative paths are taken from the folder you
run npm in.

  --cluster NAME   the cluster to render
  --all            render every cluster, one file each, into --out-dir (default: rendered)
  --repo DIR       the GitOps repository (default: the folder you run npm in); must exist
  --vars FILE      KEY=VALUE lines with real values for encrypted variables: used for the
                   checks, never printed
  --helm           also render each HelmRelease with the real helm and its chart: the output
                   holds the StatefulSet, Service, ConfigMap and Secret (values as <secret:KEY>)
  --charts DIR     with --helm: take charts from a folder of packages (<chart>-<version>.tgz,
                   e.g. ../shared/charts/zot) instead of helm pull from the HelmRepository URL
  --help           this text

Exit codes: 0 rendered, 1 unknown cluster or a problem found (problems on stderr), 2 usage,
3 a bug in zot-flux.
`;

export function renderCommand(argv: string[], io: Io): number {
  try {
    const args = parseArgs(argv, { values: ['cluster', 'out-dir', 'repo', 'vars', 'charts'], flags: ['all', 'helm'] });
    if (args.help) { io.stdout(RENDER_USAGE); return EXIT_OK; }
    if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const all = args.options.all === true;
    const cluster = args.options.cluster as string | undefined;
    if (!all && !cluster) throw new UsageError('give --cluster NAME or --all');
    if (all && cluster) throw new UsageError('--cluster and --all exclude each other');
    if (!all && args.options['out-dir'] !== undefined) throw new UsageError('--out-dir goes with --all');
    const repo = userPath(io, (args.options.repo as string | undefined) ?? '.');
    if (!fs.statSync(repo, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--repo: '${repo}' does not exist or is not a folder`);
    const varsFile = args.options.vars as string | undefined;
    let provided: Record<string, string> = {};
    if (varsFile !== undefined) {
      const file = userPath(io, varsFile);
      if (!fs.existsSync(file)) throw new UsageError(`--vars: '${file}' does not exist`);
      provided = parseDotenv(fs.readFileSync(file, 'utf8'), varsFile);
    }
    const helm = args.options.helm === true;
    if (args.options.charts !== undefined && !helm) throw new UsageError('--charts goes with --helm');
    const chartsDir = args.options.charts === undefined ? undefined : userPath(io, args.options.charts as string);
    if (chartsDir && !fs.statSync(chartsDir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--charts: '${chartsDir}' does not exist or is not a folder`);
    const fleet = renderFleet(repo, { only: all ? undefined : [cluster!], provided });
    const renderer = helm ? new HelmRenderer({ chartsDir }) : undefined;
    const repositories = helm ? readHelmRepositories(repo) : [];
    const outDir = userPath(io, (args.options['out-dir'] as string | undefined) ?? 'rendered');
    if (all) fs.mkdirSync(outDir, { recursive: true });
    let problems = 0;
    const ignored = new Set<string>();
    const byCluster = new Map<string, string[]>();
    for (const r of fleet.results) {
      byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), renderer ? expandHelmReleases(r.text, repositories, renderer) : r.text]);
      for (const msg of r.problems) io.stderr(`render: ${r.cluster}: ${msg}\n`);
      for (const name of r.ignoredProvided) ignored.add(name);
      problems += r.problems.length;
    }
    for (const [name, texts] of byCluster) {
      if (all) fs.writeFileSync(path.join(outDir, `${name}.yaml`), texts.join(''));
      else io.stdout(texts.join(''));
    }
    for (const name of ignored) {
      io.stderr(`render: --vars: ${name} is not an encrypted variable the apps use (on some cluster); its value was not used\n`);
    }
    if (all) io.stderr(`render: wrote ${byCluster.size} clusters into ${outDir}/\n`);
    return problems ? EXIT_PROBLEM : EXIT_OK;
  } catch (e) {
    return reportError('render', e, io, RENDER_USAGE);
  }
}
