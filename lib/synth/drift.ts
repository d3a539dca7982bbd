import { unifiedDiff } from '../core/unified-diff';
import { Plan } from './plan';

/** The drift report: a unified diff for each file that differs from what synth writes; '' when none. */
export function driftReport(plan: Plan): string {
  return plan.changes
    .filter((c) => c.kind !== 'unchanged')
    .map((c) => unifiedDiff(c.path, c.before, c.after))
    .join('');
}
