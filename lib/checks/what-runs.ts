// The registry judged on what runs: the objects helm rendered for one zot HelmRelease (the pod:
// lib/checks/running-zot.ts), the config file zot really loads, loaded as zot loads it
// (closedRegistryErrors, lib/zot/startup.ts), and the chart's wiring (lib/checks/rendered-chart.ts).
// Used by synth (lib/synth/chart-render.ts) and by `render --helm` (lib/fleet/helm-render.ts).
import { Problem, ZotFluxError } from '../core/error';
import { parseJsonWithin } from '../core/nesting';
import { asObjects, isWorkload, PodSpec, valueAt, Volume, VolumeMount } from '../k8s/objects';
import { ZOT_CONFIG_FILE } from '../zot/chart';
import { loadZotConfig, verifyZotConfig } from '../zot/startup';
import { renderedChartErrors, renderedStorageProblems } from './rendered-chart';
import { runningZot } from './running-zot';
import { unsafeValuesOptIn } from './unsafe-values';
import { closedRegistryErrors, deployedZotVersion } from './zot-release';

/** The problems of one rendered zot release: the pod, the config it loads, the chart's wiring (errors), and what it would lose (warnings). */
export function judgeRelease(
  hr: unknown,
  objects: readonly unknown[],
  what: string,
  imageRepository: string,
): { errors: Problem[]; warnings: Problem[] } {
  const out: Problem[] = [];
  const running = runningZot(objects, { what, imageRepository, unsafe: unsafeValuesOptIn(hr) });
  out.push(...running.problems);
  const written = valueAt(hr, 'spec', 'values', 'configFiles', ZOT_CONFIG_FILE);
  if (running.configText === undefined) return { errors: out, warnings: [] };
  let config: unknown;
  try {
    config = parseJsonWithin(running.configText, ZOT_CONFIG_FILE);
  } catch (e) {
    const why = ZotFluxError.isZotFluxError(e)
      ? e.reason
      : `is the config zot loads and is not JSON (${e instanceof Error ? e.message : undefined}): zot would not start`;
    return {
      errors: [...out, { field: `${what} ${running.configSource ?? running.configPath}`, reason: why }],
      warnings: [],
    };
  }
  const zot = deployedZotVersion(hr);
  if (running.configText !== written) {
    // Another file than the values' config.json: judge it as zot loads it (the values' one was judged by zotReleaseCheck).
    const source = `${running.configSource ?? running.configPath} (loaded by ${running.image ?? 'zot'} instead of the values' config.json)`;
    for (const p of verifyZotConfig(config, zot).errors)
      out.push({ ...p, field: `${what} ${source} ${p.field}`, reason: `${p.reason} (zot ${zot} refuses to start)` });
    const prefix = `HelmRelease/${valueAt(hr, 'metadata', 'name')} `;
    for (const e of closedRegistryErrors(hr, config, zot, source))
      out.push({ field: what, reason: e.startsWith(prefix) ? e.slice(prefix.length) : e });
  }
  const chart = { objects, values: valueAt(hr, 'spec', 'values') ?? {}, config, what };
  out.push(...renderedChartErrors(chart));
  out.push(...logFileErrors(objects, config, zot, what));
  return { errors: out, warnings: renderedStorageProblems(chart) };
}

const READ_ONLY_VOLUME = (v: Volume | undefined) =>
  Boolean(v?.configMap || v?.secret || v?.projected || v?.downwardAPI);

/**
 * Where zot writes its logs must be writable: zot v2.1.14..v2.1.20 pkg/log/log.go NewLogger and
 * NewAuditLogger open `log.output` / `log.audit` with os.OpenFile(O_APPEND|O_WRONLY|O_CREATE) and
 * panic when that fails. configMap, secret, projected and downwardAPI volumes are always mounted
 * read-only (Kubernetes core/v1), and so is the whole root file system under readOnlyRootFilesystem.
 */
function logFileErrors(objects: readonly unknown[], config: unknown, zot: string, what: string): Problem[] {
  let loaded: unknown;
  try {
    loaded = loadZotConfig(config, zot).config;
  } catch {
    return [];
  }
  const w = asObjects(objects).find(isWorkload);
  const pod: PodSpec = w?.spec?.template?.spec ?? {};
  const container = (pod.containers ?? []).find((c) => c?.name === 'zot');
  if (!loaded || !container) return [];
  const volumes = new Map<string | undefined, Volume>((pod.volumes ?? []).map((v) => [v?.name, v]));
  const out: Problem[] = [];
  for (const key of ['output', 'audit'] as const) {
    const file = valueAt(loaded, 'log', key);
    if (typeof file !== 'string' || !file.startsWith('/')) continue;
    const mount = (container.volumeMounts ?? [])
      .filter(
        (m): m is VolumeMount & { readonly mountPath: string } =>
          typeof m?.mountPath === 'string' &&
          (file === m.mountPath || file.startsWith(`${m.mountPath.replace(/\/+$/, '')}/`)),
      )
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    const readOnly = mount
      ? mount.readOnly === true || READ_ONLY_VOLUME(volumes.get(mount.name))
      : container.securityContext?.readOnlyRootFilesystem === true;
    if (readOnly) {
      out.push({
        field: `${what} config.json log.${key}`,
        value: file,
        reason: `is on ${mount ? `the read-only volume ${mount.name} at ${mount.mountPath}` : 'the read-only root file system'}: zot ${zot} cannot open it and panics at start-up (pkg/log/log.go NewLogger)`,
      });
    }
  }
  return out;
}
