// `npm run diff -- --base REF [--head REF] [--repo DIR] [--charts DIR] [--format unified|markdown]
// [--max-bytes N] [--no-helm]`: what a change does on each cluster. Exit codes as every command's (failure.ts).
import * as path from 'path';
import { dangerousChanges, diffFleets, formatUnified, groupDiffs, renderSide } from '../diff/fleet-diff';
import { formatMarkdown } from '../diff/markdown';
import { HelmRenderer } from '../fleet/helm-render';
import { addWorktree, gitTopLevel, resolveRevision, Worktree } from '../tools/git';
import { Io, optionFolder, ParsedArgs, parseArgs, reportError, UsageError, userPath } from './command';

export const DIFF_USAGE = `usage: npm run diff -- --base REF [--head REF] [--repo DIR] [--charts DIR]
                     [--format unified|markdown] [--max-bytes N] [--no-helm]

Renders the GitOps repository at two revisions as each cluster will run it (Flux's substitution
with the cluster's variables, then each HelmRelease through the real helm and its chart) and
prints what changes, cluster by cluster, object by object. Clusters with the same change are
grouped. A change the API server refuses in place (a StatefulSet's volumeClaimTemplates, serviceName
or selector, a Deployment's selector, a Service's clusterIP) leads its group as '⚠ replaced by
hand', with the steps; so does a StatefulSet deleted with its PVCs. The chart's helm test Pods are
shown only when the HelmRelease enables tests (spec.test.enable). Both sides come from git worktrees; without --head the other side is the working tree
as it is, uncommitted and untracked files included. Nothing of your checkout is touched.

  --base REF       the revision to compare against (a branch, tag or commit)
  --head REF       the revision to compare (default: the working tree)
  --repo DIR       the GitOps repository root (default: the folder you run npm in)
  --charts DIR     chart packages (<chart>-<version>.tgz) instead of helm pull (offline)
  --no-helm        compare what Flux applies, without rendering charts
  --format F       unified (default) or markdown (a pull-request comment)
  --max-bytes N    markdown: keep the summary under N bytes, saying what was cut
  --help           this text

Exit codes: 0 the comparison is printed (whether or not something changes: the last line on
stderr says how many clusters change); 1 the head has problems on some cluster (printed above the
summary, as fleet-check finds them; the comparison is still printed), or a refusal (an
unknown revision, a chart that cannot be pulled, a path the machine refuses); 2 a usage error; 3 a
bug in zot-flux (printed with its stack).
`;

export function diffCommand(argv: string[], io: Io): number {
  const worktrees: Worktree[] = [];
  try {
    const args = parseArgs(argv, {
      values: ['base', 'head', 'repo', 'charts', 'format', 'max-bytes'],
      flags: ['no-helm'],
    });
    if (args.help) {
      io.stdout(DIFF_USAGE);
      return 0;
    }
    const o = diffOptions(io, args);
    const helm =
      args.options['no-helm'] === true ? undefined : new HelmRenderer({ chartsDir: o.chartsDir, repo: o.repo });
    const top = gitTopLevel(o.repo);
    const inside = path.relative(top, o.repo);
    resolveRevision(top, o.base);
    const side = (ref: string | undefined) => {
      if (ref === undefined) return o.repo;
      const w = addWorktree(top, ref);
      worktrees.push(w);
      for (const left of w.cleaned) io.stderr(`diff: removed ${left}, left by a diff that was killed\n`);
      return path.join(w.dir, inside);
    };
    const baseSide = renderSide(side(o.base), helm);
    const headSide = renderSide(side(args.options.head as string | undefined), helm);
    return printDiff(io, baseSide, headSide, o, helm);
  } catch (e) {
    return reportError('diff', e, io, DIFF_USAGE);
  } finally {
    for (const w of worktrees) w.remove();
  }
}

interface DiffOptions {
  readonly base: string;
  readonly format: string;
  readonly maxBytes?: number;
  readonly repo: string;
  readonly chartsDir?: string;
}

/** The options, checked before any git or helm runs. */
function diffOptions(io: Io, args: ParsedArgs): DiffOptions {
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const base = args.options.base as string | undefined;
  if (!base) throw new UsageError('--base REF is required');
  const format = (args.options.format as string | undefined) ?? 'unified';
  if (!['unified', 'markdown'].includes(format))
    throw new UsageError(`--format: '${format}' is not unified or markdown`);
  const maxBytesText = args.options['max-bytes'] as string | undefined;
  if (maxBytesText !== undefined && (!/^\d+$/.test(maxBytesText) || Number(maxBytesText) < 200))
    throw new UsageError(`--max-bytes: '${maxBytesText}' is not a number of bytes (at least 200)`);
  if (maxBytesText !== undefined && format !== 'markdown')
    throw new UsageError('--max-bytes goes with --format markdown');
  const repo = userPath(io, (args.options.repo as string | undefined) ?? '.');
  optionFolder(io, repo, '--repo');
  const chartsDir = args.options.charts === undefined ? undefined : userPath(io, args.options.charts as string);
  if (chartsDir) optionFolder(io, chartsDir, '--charts');
  const maxBytes = maxBytesText === undefined ? undefined : Number(maxBytesText);
  return { base, format, maxBytes, repo, chartsDir };
}

/** The comparison on stdout, the head's problems and the summary on stderr; 1 when the head has problems, as in fleet-check. */
function printDiff(
  io: Io,
  baseSide: ReturnType<typeof renderSide>,
  headSide: ReturnType<typeof renderSide>,
  o: DiffOptions,
  helm: HelmRenderer | undefined,
): number {
  const diffs = diffFleets(baseSide, headSide);
  const groups = groupDiffs(diffs);
  for (const [cluster, problems] of headSide.problems)
    for (const p of problems) io.stderr(`diff: head: ${cluster}: ${p}\n`);
  if (o.format === 'markdown') io.stdout(formatMarkdown(diffs, groups, o.maxBytes));
  else io.stdout(formatUnified(groups));
  const changed = diffs.filter((d) => d.changes.length).length;
  const failing = [...headSide.problems].filter(([, ps]) => ps.length).length;
  const byHand = groups.filter((g) => dangerousChanges(g.changes).length).reduce((n, g) => n + g.clusters.length, 0);
  io.stderr(
    `diff: ${changed} of ${diffs.length} clusters change${helm ? `; ${helm.renders} chart render(s)` : ''}` +
      `${byHand ? `; on ${byHand} a change the API server refuses in place (⚠ replaced by hand)` : ''}` +
      `${failing ? `; on ${failing} the head has problems (above)` : ''}\n`,
  );
  // A problem found on the head side (a Kustomization that fails, a variable missing) is 1, as in fleet-check.
  return failing ? 1 : 0;
}
