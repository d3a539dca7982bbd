// One synth run: render the app, check the whole tree, then (under the tree's lock, after finishing
// or undoing an interrupted run) plan against disk and write all-or-nothing.
import { App } from 'cdk8s';
import { refuse } from '../core/error';
import { validateFiles } from '../checks/tree';
import { JOURNAL_FILE } from '../layout/layout';
import { applyPlan, interruptedRun, nodeFs, recoverInterruptedRun, WriterFs } from './apply';
import { acquireLock } from './lock';
import { Plan, planTree } from './plan';
import { renderApp } from './render';

export interface SynthOptions {
  /** Write nothing: plan only (the drift check). */
  readonly check?: boolean;
  /** How long to wait for another synth on the same tree. @default 30000 */
  readonly lockWaitMs?: number;
  /** The file-system calls of the write (tests inject failures). @default nodeFs */
  readonly io?: WriterFs;
}

export interface SynthOutcome {
  readonly plan: Plan;
  /** What was done about an interrupted earlier run. */
  readonly recovered: 'none' | 'rolled back' | 'completed';
}

export function synthesize(app: App, root: string, options: SynthOptions = {}): SynthOutcome {
  const rendered = renderApp(app);
  validateFiles(rendered.files);
  if (options.check) {
    if (interruptedRun(root)) {
      refuse(JOURNAL_FILE, undefined, 'exists: a synth was interrupted on this tree and the tree may be half-written; run `npm run synth` to finish or undo it');
    }
    return { plan: planTree(root, rendered), recovered: 'none' };
  }
  const lock = acquireLock(root, options.lockWaitMs);
  try {
    const recovered = recoverInterruptedRun(root, options.io ?? nodeFs);
    const plan = planTree(root, rendered);
    applyPlan(plan, options.io ?? nodeFs);
    return { plan, recovered };
  } finally {
    lock.release();
  }
}
