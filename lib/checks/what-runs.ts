// The registry judged on what runs: the objects helm rendered for one zot HelmRelease (the pod:
// lib/checks/running-zot.ts), the config file zot really loads, loaded as zot loads it
// (closedRegistryErrors, lib/zot/startup.ts), and the chart's wiring (lib/checks/rendered-chart.ts).
// Used by synth (lib/synth/chart-render.ts) and by `render --helm` (lib/fleet/helm-render.ts).
import { Problem } from '../core/error';
import { ZOT_CONFIG_FILE } from '../zot/chart';
import { verifyZotConfig } from '../zot/startup';
import { renderedChartErrors, renderedStorageProblems } from './rendered-chart';
import { runningZot } from './running-zot';
import { unsafeValuesOptIn } from './unsafe-values';
import { closedRegistryErrors, deployedZotVersion } from './zot-release';

/** The problems of one rendered zot release: the pod, the config it loads, the chart's wiring (errors), and what it would lose (warnings). */
export function judgeRelease(hr: any, objects: readonly any[], what: string, imageRepository: string): { errors: Problem[]; warnings: Problem[] } {
  const out: Problem[] = [];
  const running = runningZot(objects, { what, imageRepository, unsafe: unsafeValuesOptIn(hr) });
  out.push(...running.problems);
  const written = hr.spec?.values?.configFiles?.[ZOT_CONFIG_FILE];
  if (running.configText === undefined) return { errors: out, warnings: [] };
  let config: unknown;
  try {
    config = JSON.parse(running.configText);
  } catch (e: any) {
    return { errors: [...out, { field: `${what} ${running.configSource ?? running.configPath}`, reason: `is the config zot loads and is not JSON (${e.message}): zot would not start` }], warnings: [] };
  }
  const zot = deployedZotVersion(hr);
  if (running.configText !== written) {
    // Another file than the values' config.json: judge it as zot loads it (the values' one was judged by zotReleaseCheck).
    const source = `${running.configSource ?? running.configPath} (loaded by ${running.image ?? 'zot'} instead of the values' config.json)`;
    for (const p of verifyZotConfig(config, zot).errors) out.push({ ...p, field: `${what} ${source} ${p.field}`, reason: `${p.reason} (zot ${zot} refuses to start)` });
    const prefix = `HelmRelease/${hr.metadata?.name} `;
    for (const e of closedRegistryErrors(hr, config, zot, source)) out.push({ field: what, reason: e.startsWith(prefix) ? e.slice(prefix.length) : e });
  }
  const chart = { objects, values: hr.spec?.values ?? {}, config, what };
  out.push(...renderedChartErrors(chart));
  return { errors: out, warnings: renderedStorageProblems(chart) };
}
