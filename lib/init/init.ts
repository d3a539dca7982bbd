// `init`: adds to a GitOps repository what the generated app needs and the repository lacks, never
// changing a file that exists. Plans first (lib/init/plan.ts), then creates every planned file or
// none (lib/init/write.ts). Running it again on what it wrote creates nothing. What an init that was
// killed left is undone first, before planning (its files must not count as the user's).
import { CheckedOptions, checkInitOptions, InitOptions } from './options';
import { InitPlan, planInit } from './plan';
import { createFilesAtomically, interruptedInits, recoverInterruptedInits, WriteHooks } from './write';

export interface InitResult extends InitPlan {
  readonly options: CheckedOptions;
  /** False with `dryRun`: nothing was written. */
  readonly written: boolean;
  /**
   * What inits that were killed had left and this one undid before planning, one line per staging
   * folder (with `dryRun`: what the next init will undo; the plan then counts those files as existing).
   */
  readonly recovered: readonly string[];
}

export interface RunInitOptions {
  /** Plan and report, write nothing. */
  readonly dryRun?: boolean;
  readonly hooks?: WriteHooks;
}

/** Runs init on the repository at `root` (an existing folder). */
export function runInit(root: string, options: InitOptions, run: RunInitOptions = {}): InitResult {
  const o = checkInitOptions(options);
  const recovered = run.dryRun ? interruptedInits(root) : recoverInterruptedInits(root, run.hooks);
  const plan = planInit(root, o);
  if (!run.dryRun) createFilesAtomically(root, plan.create, run.hooks);
  return { ...plan, options: o, written: !run.dryRun, recovered };
}
