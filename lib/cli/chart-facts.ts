// `npm run chart-facts`: the facts this project needs about each zot chart version, derived from the
// chart packages (lib/zot/chart-derive.ts).
//   - no option: regenerate the shipped facts (lib/zot/chart-facts.json) from ../shared/charts/zot;
//     --check writes nothing and exits 1 when the file differs;
//   - --add FILE: learn one package into lib/zot/chart-facts.learned.json, which synth reads too;
//   - --pull VERSION [--repo URL]: `helm pull` it first (classic or oci:// repository), then --add.
//     A version the project already has facts for is not downloaded. Renovate's post-upgrade command
//     runs `--pull {{{newVersion}}}`, so a chart released after this project's last release is learned
//     in the user's CI.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../core/error';
import { CHARTS_DIR } from '../layout/layout';
import { helmPull, helmTemplate } from '../tools/helm';
import {
  buildChartFacts,
  chartFactsJson,
  ChartFacts,
  emptyLearnedFacts,
  learnChart,
  Learned,
} from '../zot/chart-derive';
import { ZOT_CHART_NAME, ZOT_HELM_REPOSITORY_URL } from '../zot/chart';
import { isChartVersion, LearnedChartFacts, SHIPPED_CHARTS } from '../zot/chart-versions';
import { resolveZotModel } from '../zot/config-keys';
import { EXIT_OK, EXIT_PROBLEM, Io, parseArgs, UsageError, userPath } from './command';
import { atPath } from './failure';

const SHIPPED_FILE = path.join('lib', 'zot', 'chart-facts.json');
const LEARNED_FILE = path.join('lib', 'zot', 'chart-facts.learned.json');

export const CHART_FACTS_USAGE = `usage: npm run chart-facts -- [--dir DIR] [--out FILE] [--check] [--quiet]
       npm run chart-facts -- --add FILE [--out FILE] [--charts DIR] [--quiet]
       npm run chart-facts -- --pull VERSION [--repo URL] [--out FILE] [--charts DIR] [--quiet]

Reads zot chart packages and records what each version deploys and which upgrades Kubernetes
refuses, where synth reads them.

  --dir DIR       the shipped chart packages, zot-<version>.tgz (default: ../shared/charts/zot);
                  writes ${SHIPPED_FILE}
  --check         write nothing; exit 1 if the facts file differs from what DIR gives
  --add FILE      learn one chart package (.tgz) into ${LEARNED_FILE}
  --pull VERSION  helm pull the zot chart VERSION (X.Y.Z) first, then learn it; nothing is
                  downloaded when its facts and its package are already here
  --repo URL      the repository to pull from: https://... (a classic Helm repository) or
                  oci://... (default: ${ZOT_HELM_REPOSITORY_URL})
  --out FILE      the facts file to write (default: ${SHIPPED_FILE}; with --add or --pull,
                  ${LEARNED_FILE})
  --charts DIR    with --add or --pull: where the package is kept for synth to render with
                  (default: ${CHARTS_DIR}/, commit it; with --out and no --charts: not kept)
  --quiet         only errors and the summary line (not what was learned, caveats, the kept package)
  --help          this text

Exit 1: a package that cannot be read or is not the zot chart, a repository that cannot be reached,
a facts file out of date (--check), a path the machine refuses (full disk, read-only folder).
Exit 2: a usage error. Nothing is written on either. Exit 3: a bug in zot-flux.
`;

/** The command's options (parseArgs). */
export const CHART_FACTS_OPTIONS = {
  values: ['dir', 'out', 'add', 'pull', 'repo', 'charts'],
  flags: ['check', 'quiet'],
} as const;

/** Writes `text` to `file` only when it changes, through a temporary file (never half a file). */
function writeIfChanged(file: string, text: string): boolean {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    atPath(tmp, () => fs.writeFileSync(tmp, text));
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true }); // never a half-written temporary file left beside it
    throw e;
  }
  return true;
}

function readLearned(file: string): LearnedChartFacts {
  if (!fs.existsSync(file)) return emptyLearnedFacts();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ZotFluxError({ field: file, reason: `is not a learned facts file (not JSON: ${(e as Error).message})` });
  }
  const charts = (parsed as LearnedChartFacts | undefined)?.charts;
  if (!Array.isArray(charts))
    throw new ZotFluxError({ field: file, reason: 'is not a learned facts file (no charts list)' });
  return parsed as LearnedChartFacts;
}

/**
 * The chart as helm renders it with its defaults must run the zot image the facts say it deploys
 * (`<imageRepository>:<zotVersion>`): the same package, read by the real helm.
 */
function checkRendered(file: string, learned: Learned): void {
  const { imageRepository, zotVersion } = learned.fact;
  let docs: any[];
  try {
    docs = yaml.loadAll(
      helmTemplate({ chart: file, releaseName: ZOT_CHART_NAME, namespace: ZOT_CHART_NAME, values: {} }),
    ) as any[];
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e))
      throw new ZotFluxError({ field: file, reason: `does not render with its default values: ${e.message}` });
    throw e;
  }
  const workload = docs.find((d) => d && (d.kind === 'Deployment' || d.kind === 'StatefulSet'));
  const images: string[] = (workload?.spec?.template?.spec?.containers ?? []).map((c: any) => String(c?.image));
  const want = `${imageRepository}:${zotVersion}`;
  if (!images.includes(want)) {
    throw new ZotFluxError({
      field: file,
      value: images.join(', ') || '(no workload)',
      reason: `is what helm renders, not the zot image its Chart.yaml and values.yaml name (${want}): not learned`,
    });
  }
}

/** Keeps the learned package where synth renders from (`.zot-flux/charts/`, committed), unless it is there already. */
function keepPackage(io: Io, file: string, chart: string, charts: string | undefined, quiet = false): void {
  if (charts === undefined) return;
  const to = path.join(charts, `${ZOT_CHART_NAME}-${chart}.tgz`);
  if (path.resolve(file) === path.resolve(to)) return;
  const bytes = fs.readFileSync(file);
  if (fs.existsSync(to) && fs.readFileSync(to).equals(bytes)) return;
  fs.mkdirSync(charts, { recursive: true });
  try {
    atPath(`${to}.tmp`, () => fs.writeFileSync(`${to}.tmp`, bytes));
    fs.renameSync(`${to}.tmp`, to);
  } catch (e) {
    fs.rmSync(`${to}.tmp`, { force: true });
    throw e;
  }
  if (!quiet) io.stdout(`chart-facts: kept the package as ${to} (synth renders with it; commit it)\n`);
}

function learn(
  io: Io,
  file: string,
  source: string,
  out: string,
  started = Date.now(),
  charts?: string,
  quiet = false,
): number {
  const learned = learnChart(file, source, SHIPPED_CHARTS, readLearned(out));
  const { fact } = learned;
  let model;
  try {
    model = resolveZotModel(fact.zotVersion, `chart ${fact.chart}: the zot version it deploys`);
  } catch {
    throw new ZotFluxError({
      field: file,
      value: fact.zotVersion,
      reason: `deploys zot '${fact.zotVersion}' (values.yaml image.tag, else appVersion), which is not a version: not learned`,
    });
  }
  checkRendered(file, learned);
  keepPackage(io, file, fact.chart, charts, quiet);
  const name = path.basename(file);
  if (learned.status === 'shipped') {
    io.stdout(
      `chart-facts: zot chart ${fact.chart} is one this project ships facts for (${SHIPPED_FILE}), and ${name} agrees with them: nothing to learn\n`,
    );
    return EXIT_OK;
  }
  if (learned.status === 'unchanged') {
    io.stdout(`chart-facts: zot chart ${fact.chart} is already learned in ${out}, with the same facts: unchanged\n`);
    return EXIT_OK;
  }
  writeIfChanged(out, chartFactsJson(learned.facts));
  const lines = learnedLines(learned, name, out, started, model.note);
  io.stdout(`${(quiet ? lines.slice(0, 1) : lines).join('\n')}\n`);
  return EXIT_OK;
}

/** What learning a chart says: the first line, then what it deploys, how it upgrades, its caveats. */
function learnedLines(
  learned: ReturnType<typeof learnChart>,
  name: string,
  out: string,
  started: number,
  note: string | undefined,
): string[] {
  const { fact } = learned;
  const lines = [
    `chart-facts: learned zot chart ${fact.chart} from ${name} into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  lines.push(`  deploys zot ${fact.zotVersion} (${fact.imageRepository})${note ? `: ${note}` : ''}`);
  if (learned.predecessor === undefined)
    lines.push('  it is older than every chart with facts: no upgrade into it is checked');
  else if (!learned.changes.length)
    lines.push(`  from ${learned.predecessor}: no immutable field renders from another template`);
  else {
    lines.push(
      `  from ${learned.predecessor}: ${learned.changes.join(', ')} render from another template; synth warns on an upgrade across it ` +
        '(helm-controller would be refused unless the workload is recreated); no person read why',
    );
  }
  for (const c of fact.caveats) lines.push(`  caveat ${c.id} (when ${c.when}): ${c.reason}`);
  return lines;
}

interface ChartFactsOptions {
  dir?: string;
  out?: string;
  add?: string;
  pull?: string;
  repo?: string;
  charts?: string;
  check?: true;
  quiet?: true;
}

export function chartFactsCommand(argv: string[], io: Io): number {
  const args = parseArgs(argv, CHART_FACTS_OPTIONS);
  if (args.help) {
    io.stdout(CHART_FACTS_USAGE);
    return EXIT_OK;
  }
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const o = args.options as ChartFactsOptions;
  if (o.add !== undefined && o.pull !== undefined) throw new UsageError('give --add or --pull, not both');
  if (o.repo !== undefined && o.pull === undefined) throw new UsageError('--repo goes with --pull');
  const learning = o.add !== undefined || o.pull !== undefined;
  if (learning && (o.dir !== undefined || o.check))
    throw new UsageError(
      `--${o.dir !== undefined ? 'dir' : 'check'} regenerates the shipped facts: not with --add or --pull`,
    );
  return learning ? learnCommand(io, o) : regenerateCommand(io, o);
}

/** --add FILE or --pull VERSION: one chart learned into the learned facts (and its package kept). */
function learnCommand(io: Io, o: ChartFactsOptions): number {
  const quiet = o.quiet === true;
  const out = o.out !== undefined ? userPath(io, o.out) : path.resolve(LEARNED_FILE);
  if (!fs.statSync(path.dirname(out), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--out: the folder of '${out}' does not exist`);
  // The package is kept where synth renders from: .zot-flux/charts/ of this repository, or --charts; with --out alone, nowhere.
  const charts =
    o.charts !== undefined ? userPath(io, o.charts) : o.out === undefined ? path.resolve(CHARTS_DIR) : undefined;
  if (o.add !== undefined) {
    const file = userPath(io, o.add);
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile())
      throw new UsageError(`--add: '${o.add}' is not a file`);
    return learn(io, file, path.basename(file), out, Date.now(), charts, quiet);
  }
  return pullCommand(io, o.pull!, o.repo ?? ZOT_HELM_REPOSITORY_URL, out, charts, quiet);
}

/** --pull VERSION [--repo URL]: helm pulls the package into a temporary folder, then it is learned. */
function pullCommand(
  io: Io,
  version: string,
  repo: string,
  out: string,
  charts: string | undefined,
  quiet: boolean,
): number {
  if (!isChartVersion(version))
    throw new UsageError(`--pull: '${version}' is not a chart version (expected X.Y.Z, e.g. 0.1.125)`);
  if (!/^(https?|oci):\/\/[^\s/]+/.test(repo))
    throw new UsageError(`--repo: '${repo}' is not a repository URL (https://... or oci://...)`);
  const known = SHIPPED_CHARTS.some((c) => c.chart === version)
    ? SHIPPED_FILE
    : readLearned(out).charts.some((c) => c.chart === version)
      ? out
      : undefined;
  if (known && (charts === undefined || fs.existsSync(path.join(charts, `${ZOT_CHART_NAME}-${version}.tgz`)))) {
    io.stdout(`chart-facts: zot chart ${version} is already known (${known}): nothing to pull\n`);
    return EXIT_OK;
  }
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zot-flux-pull-'));
  try {
    const file = helmPull(
      repo,
      ZOT_CHART_NAME,
      version,
      dir,
      'nothing was learned; check the version and the repository (--repo), or learn a package you have with --add FILE',
    );
    return learn(io, file, `${repo.replace(/\/$/, '')} ${ZOT_CHART_NAME} ${version}`, out, started, charts, quiet);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The shipped facts from a folder of chart packages: written, or (--check) compared. */
function regenerateCommand(io: Io, o: ChartFactsOptions): number {
  const dir = o.dir !== undefined ? userPath(io, o.dir) : path.resolve('..', 'shared', 'charts', 'zot');
  const out = o.out !== undefined ? userPath(io, o.out) : path.resolve(SHIPPED_FILE);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--dir: '${dir}' is not a folder of chart packages`);
  const text = chartFactsJson(buildChartFacts(dir));
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  if (o.check) {
    if (current === text) {
      io.stdout(`chart-facts --check: ${out} is up to date\n`);
      return EXIT_OK;
    }
    io.stderr(
      `chart-facts --check: ${out} is not what the packages in ${dir} give: run \`npm run chart-facts\` and commit it\n`,
    );
    return EXIT_PROBLEM;
  }
  const wrote = writeIfChanged(out, text);
  const facts = JSON.parse(text) as ChartFacts;
  io.stdout(
    `chart-facts: ${wrote ? 'wrote' : 'unchanged'} ${out}: ${facts.charts.length} chart versions (${facts.charts[0].chart} to ${facts.charts[facts.charts.length - 1].chart}), ${facts.transitions.length} upgrade-breaking changes, ${facts.knownBad.length} known-bad versions\n`,
  );
  return EXIT_OK;
}
