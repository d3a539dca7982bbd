// `npm run synth`: options, messages and exit codes. The work is in lib/synth/.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { formatProblem } from '../core/error';
import { OWNED_FILES_RECORD } from '../layout/layout';
import { driftReport } from '../synth/drift';
import { chartStore, synthesize } from '../synth/synthesize';
import { EXIT_OK, EXIT_PROBLEM, Io, ParsedArgs, parseArgs, reportError, UsageError, userPath } from './command';
import { nothingWrittenAfter } from './failure';

export const SYNTH_USAGE = `usage: npm run synth -- [--check] [--out DIR [--mkdir]] [--charts DIR] [--no-render] [--quiet]

Writes the zot app's Flux manifests into the clusters/ tree of a GitOps repository.

  --check     write nothing; exit 1 and print a diff for every file that differs from
              what synth would write (CI's drift check)
  --out DIR   the repository root to write into (default: this project's root); relative
              to the folder you run npm in; it must exist
  --mkdir     create --out (and its parents) when it does not exist
  --charts DIR  a folder of chart packages (<name>-<version>.tgz) searched first; then
              ZOT_FLUX_CHARTS (folders separated by ${path.delimiter}), the repository's
              .zot-flux/charts/, the local cache, and last helm pull from the HelmRepository
  --no-render write without rendering each zot HelmRelease with the real helm and judging
              what will run (the pod's command, image, mounts and the config zot loads);
              the summary line says so. For machines where no helm can run.
  --quiet     print only errors, warnings and the summary line (no wrote/removed lines)
  --help      this text

Exit codes: 0 ok, 1 refused (the error names the field, the value and why), drift, or the
machine refused (full disk, read-only folder, missing path, symlink loop: the message names the
path and what to do), 2 usage error, 3 a bug in zot-flux (printed with its stack).
`;

/** The nearest folder at or above `from` holding package.json: where the project's clusters/ lives. */
export function projectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Runs synth; returns the exit code. `buildApp` constructs the app (main.ts). */
export function synthCommand(argv: string[], io: Io, buildApp: () => App, defaultRoot: string): number {
  try {
    const args = parseArgs(argv, { values: ['out', 'charts'], flags: ['check', 'quiet', 'mkdir', 'no-render'] });
    if (args.help) {
      io.stdout(SYNTH_USAGE);
      return EXIT_OK;
    }
    const o = synthOptions(io, args, defaultRoot);
    const synthesized = synthesize(buildApp(), o.out, {
      check: o.check,
      render: o.noRender ? false : chartStore(o.out, o.chartsDir ? [o.chartsDir] : []),
    });
    const judged = judgedText(synthesized.rendered);
    notices(io, synthesized, o.check);
    return o.check
      ? checkReport(io, synthesized.plan, judged, o.quiet)
      : writeReport(io, synthesized.plan, judged, o.quiet);
  } catch (e) {
    const code = reportError('synth', e, io, SYNTH_USAGE);
    if (nothingWrittenAfter(e)) io.stderr('nothing was written\n');
    return code;
  }
}

type Synthesized = ReturnType<typeof synthesize>;
type Plan = Synthesized['plan'];

interface SynthOptions {
  readonly out: string;
  readonly check: boolean;
  readonly quiet: boolean;
  readonly noRender: boolean;
  readonly chartsDir?: string;
}

/** The options, every one checked before --mkdir creates anything. */
function synthOptions(io: Io, args: ParsedArgs, defaultRoot: string): SynthOptions {
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const out = typeof args.options.out === 'string' ? userPath(io, args.options.out) : defaultRoot;
  const check = args.options.check === true;
  if (args.options.mkdir === true && args.options.out === undefined) throw new UsageError('--mkdir goes with --out');
  const quiet = args.options.quiet === true;
  const noRender = args.options['no-render'] === true;
  if (noRender && args.options.charts !== undefined)
    throw new UsageError('--charts and --no-render exclude each other');
  const chartsDir = typeof args.options.charts === 'string' ? userPath(io, args.options.charts) : undefined;
  if (chartsDir !== undefined && !fs.statSync(chartsDir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--charts: '${chartsDir}' is not a folder`);
  const stat = fs.statSync(out, { throwIfNoEntry: false });
  if (!stat && args.options.mkdir === true && !check) fs.mkdirSync(out, { recursive: true });
  else if (!stat?.isDirectory()) {
    throw new UsageError(
      `--out: '${out}' ${stat ? 'is not a folder' : 'does not exist (give the root of an existing repository, or add --mkdir)'}`,
    );
  }
  return { out, check, quiet, noRender, chartsDir };
}

/** The summary line's word on rendering. */
function judgedText(rendered: Synthesized['rendered']): string {
  if (rendered === 'skipped') return '; NOT RENDERED (--no-render): what will run was not judged';
  return rendered.releases
    ? `; ${rendered.releases} zot release${rendered.releases === 1 ? '' : 's'} rendered with helm and judged`
    : '';
}

/** Warnings, a recovered interrupted synth, adopted and released files, on stderr. */
function notices(io: Io, { plan, recovered, warnings }: Synthesized, check: boolean): void {
  for (const w of warnings) io.stderr(`synth: warning: ${formatProblem(w)}\n`);
  if (recovered !== 'none') io.stderr(`synth: an interrupted synth was found on this tree and ${recovered}\n`);
  if (plan.adopted.length && !check)
    io.stderr(
      `synth: no ${OWNED_FILES_RECORD} yet: adopted the ${plan.adopted.length} generated files at the paths synth writes; commit the record\n`,
    );
  for (const f of plan.released)
    io.stderr(
      `synth: ${f} is no longer synth's (it lost its generated header): left as it is and dropped from ${OWNED_FILES_RECORD}\n`,
    );
}

/** --check: exit 1 with the drift when the tree is not what synth writes. */
function checkReport(io: Io, plan: Plan, judged: string, quiet: boolean): number {
  const report = driftReport(plan);
  if (report) {
    const names = plan.changes
      .filter((c) => c.kind !== 'unchanged')
      .map((c) => `  ${c.kind === 'remove' ? 'would remove' : 'differs'}: ${c.path}`);
    if (!quiet) io.stdout(report);
    io.stderr(
      `synth --check: the committed tree is not what synth writes:\n${names.join('\n')}\nrun \`npm run synth\` and commit the result\n`,
    );
    return EXIT_PROBLEM;
  }
  io.stdout(`synth --check: ${plan.changes.length} files match what synth writes${judged}\n`);
  return EXIT_OK;
}

/** What synth wrote, file by file (not with --quiet), and the summary line. */
function writeReport(io: Io, plan: Plan, judged: string, quiet: boolean): number {
  const counts = { write: 0, unchanged: 0, remove: 0 };
  for (const c of plan.changes) counts[c.kind]++;
  for (const c of plan.changes) {
    if (quiet) break;
    io.stdout(`${c.kind === 'write' ? 'wrote    ' : c.kind === 'remove' ? 'removed  ' : 'unchanged'} ${c.path}\n`);
  }
  io.stdout(`synth: ${counts.write} written, ${counts.unchanged} unchanged, ${counts.remove} removed${judged}\n`);
  return EXIT_OK;
}
