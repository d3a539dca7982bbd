// The tests' view of a rendered zot chart: every problem lib/checks/rendered-chart.ts finds, errors and
// storage warnings together (synth and `render --helm` keep the two apart: lib/checks/what-runs.ts).
import { Problem } from '../../lib/core/error';
import { RenderedChart, renderedChartErrors, renderedStorageProblems } from '../../lib/checks/rendered-chart';

/** Every problem of a rendered zot chart; [] when it runs as configured. */
export function renderedChartProblems(r: RenderedChart): Problem[] {
  return [...renderedChartErrors(r), ...renderedStorageProblems(r)];
}
