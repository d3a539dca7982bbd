// One synth run: render the app, check the whole tree, then (under the tree's lock, after finishing
// or undoing an interrupted run) plan against disk and write all-or-nothing.
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import * as path from 'path';
import { Problem, refuse, ZotFluxError } from '../core/error';
import { isZotRelease } from '../checks/zot-release';
import { chartUpgradeProblems, immutableChangeShows } from '../zot/chart-versions';
import { validateFiles } from '../checks/tree';
import { CHARTS_DIR, JOURNAL_FILE } from '../layout/layout';
import { chartDirsFromEnv, ChartStore, defaultCacheDir } from '../tools/chart-store';
import { applyPlan, interruptedRun, nodeFs, recoverInterruptedRun, WriterFs } from './apply';
import { judgeRenderedReleases, RenderJudgement } from './chart-render';
import { immutableValueWarnings } from './immutable';
import { acquireLock } from './lock';
import { Plan, planTree } from './plan';
import { renderApp } from './render';
import { fsError } from './safe-fs';

export interface SynthOptions {
  /** Write nothing: plan only (the drift check). */
  readonly check?: boolean;
  /** How long to wait for another synth on the same tree. @default 30000 */
  readonly lockWaitMs?: number;
  /** The file-system calls of the write (tests inject failures). @default nodeFs */
  readonly io?: WriterFs;
  /**
   * Where chart packages come from to render each zot HelmRelease with the real helm and judge what
   * runs; `false` skips that judgment (`--no-render`). @default chartStore(root)
   */
  readonly render?: ChartStore | false;
}

/** The chart store synth uses for a repository: `--charts` folders, ZOT_FLUX_CHARTS, the repository's .zot-flux/charts, the local cache, then a pull. */
export function chartStore(root: string, dirs: readonly string[] = []): ChartStore {
  return { dirs: [...dirs, ...chartDirsFromEnv(), path.join(root, CHARTS_DIR)], cacheDir: defaultCacheDir() };
}

export interface SynthOutcome {
  readonly plan: Plan;
  /** What zot or the chart would accept but warn about: printed, never a refusal. */
  readonly warnings: readonly Problem[];
  /** What was done about an interrupted earlier run. */
  readonly recovered: 'none' | 'rolled back' | 'completed';
  /** The zot releases rendered with helm and judged (how many from the cache), or 'skipped' (--no-render). */
  readonly rendered: { readonly releases: number; readonly fromCache: number } | 'skipped';
}

export function synthesize(app: App, root: string, options: SynthOptions = {}): SynthOutcome {
  const rendered = renderApp(app);
  const warnings = validateFiles(rendered.files);
  const judged = judgeWhatRuns(rendered.files, root, options.render);
  if (judged !== 'skipped') warnings.push(...judged.warnings);
  if (options.check) {
    if (interruptedRun(root)) {
      refuse(
        JOURNAL_FILE,
        undefined,
        'exists: a synth was interrupted on this tree and the tree may be half-written; run `npm run synth` to finish or undo it',
      );
    }
    const plan = planTree(root, rendered);
    return {
      plan,
      recovered: 'none',
      rendered: summary(judged),
      warnings: [...warnings, ...chartUpgradeWarnings(plan), ...immutableValueWarnings(plan)],
    };
  }
  const lock = acquireLock(root, options.lockWaitMs);
  try {
    const recovered = recover(root, options.io ?? nodeFs);
    const plan = planTree(root, rendered);
    const upgrade = [...chartUpgradeWarnings(plan), ...immutableValueWarnings(plan)];
    applyPlan(plan, options.io ?? nodeFs);
    return { plan, recovered, rendered: summary(judged), warnings: [...warnings, ...upgrade] };
  } finally {
    lock.release();
  }
}

/** Finishes or undoes an interrupted run; a file-system error there is the user's world, said as such. */
function recover(root: string, io: WriterFs): SynthOutcome['recovered'] {
  try {
    return recoverInterruptedRun(root, io);
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) throw e;
    throw fsError(e, JOURNAL_FILE, 'lists an interrupted synth that could not be finished or undone') ?? e;
  }
}

/** Renders every zot HelmRelease with helm and refuses what would run other than the props say (nothing is written then). */
function judgeWhatRuns(
  files: ReadonlyMap<string, string>,
  root: string,
  render: ChartStore | false | undefined,
): RenderJudgement | 'skipped' {
  if (render === false) return 'skipped';
  const judged = judgeRenderedReleases(files, render ?? chartStore(root));
  if (judged.errors.length) throw new ZotFluxError(judged.errors, 'what would run is refused');
  return judged;
}

const summary = (j: RenderJudgement | 'skipped'): SynthOutcome['rendered'] =>
  j === 'skipped' ? j : { releases: j.releases, fromCache: j.fromCache };

/**
 * A zot HelmRelease whose chart moves across a change of an immutable field (chart 0.1.113's
 * StatefulSet serviceName): helm-controller's upgrade would be refused on every cluster.
 */
export function chartUpgradeWarnings(plan: Plan): Problem[] {
  const out: Problem[] = [];
  const releases = (text: string | undefined) => {
    const found = new Map<string, { version: string; values: any }>();
    if (text === undefined) return found;
    try {
      for (const o of yaml.loadAll(text) as any[])
        if (isZotRelease(o))
          found.set(o.metadata?.name, { version: String(o.spec.chart.spec.version), values: o.spec.values });
    } catch {
      /* a hand-broken file: the plan overwrites it */
    }
    return found;
  };
  for (const c of plan.changes) {
    if (c.kind !== 'write' || c.before === undefined || !c.path.endsWith('.yaml')) continue;
    const before = releases(c.before);
    for (const [name, { version: to, values }] of releases(c.after)) {
      const from = before.get(name)?.version;
      if (from === undefined || from === to) continue;
      let problems: Problem[];
      try {
        problems = chartUpgradeProblems(from, to);
      } catch {
        continue;
      }
      for (const p of problems) {
        if (!immutableChangeShows(p.field, values) && !immutableChangeShows(p.field, before.get(name)?.values))
          continue;
        out.push({
          field: `${c.path} HelmRelease/${name} chart ${from} → ${to}`,
          reason: `${p.field} ${p.reason}; helm-controller's upgrade fails there unless the StatefulSet is recreated (upgrade.force, or delete it with --cascade=orphan first)`,
        });
      }
    }
  }
  return out;
}
