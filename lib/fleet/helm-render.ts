// `render --helm`: each HelmRelease Flux would apply, rendered with the real helm and the chart its
// HelmRepository names, so the output holds what the cluster runs (StatefulSet, Service, ConfigMap,
// Secret). Secret values print as placeholders. Charts come from a folder of packages (`--charts`,
// offline) or `helm pull` from the repository URL (online); a missing chart names chart, version, URL.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { refuse, ZotFluxError } from '../core/error';
import { judgeRelease } from '../checks/what-runs';
import { isZotRelease } from '../checks/zot-release';
import { chartFact } from '../zot/chart-versions';
import { loadYamlAll, toYaml } from '../core/yaml';
import { CHARTS_DIR } from '../layout/layout';
import { valueAt } from '../k8s/objects';
import { chartDirsFromEnv, defaultCacheDir, locateChart } from '../tools/chart-store';
import { chartPackage, helmTemplate } from '../tools/helm';

export interface ChartSource {
  /** A folder of chart packages `<name>-<version>.tgz`, searched first. */
  readonly chartsDir?: string;
  /** The repository whose `.zot-flux/charts/` is searched after it (and ZOT_FLUX_CHARTS); then the local cache, then helm pull from the HelmRepository URL. */
  readonly repo?: string;
}

/** The Helm release name helm-controller uses (helm-controller api/v2 HelmRelease.GetReleaseName, v1.4.x). */
export function helmReleaseName(hr: unknown): string {
  const releaseName = valueAt(hr, 'spec', 'releaseName');
  if (releaseName) return releaseName as string; // a string by the HelmRelease schema
  const name = valueAt(hr, 'metadata', 'name') as string;
  const targetNamespace = valueAt(hr, 'spec', 'targetNamespace');
  return targetNamespace ? `${String(targetNamespace)}-${name}` : name;
}

/** The namespace helm installs into (helm-controller: spec.targetNamespace, else the HelmRelease's own). */
function releaseNamespace(hr: unknown): string {
  return (valueAt(hr, 'spec', 'targetNamespace') ?? valueAt(hr, 'metadata', 'namespace') ?? 'default') as string;
}

/** Secret values become `<secret:KEY>`: what a rendered chart's Secret holds is never printed. */
function maskSecret(obj: Readonly<Record<string, unknown>>): unknown {
  if (obj.kind !== 'Secret') return obj;
  const mask = (m: unknown) => m && Object.fromEntries(Object.keys(m).map((k) => [k, `<secret:${k}>`]));
  return {
    ...obj,
    ...(obj.data ? { data: mask(obj.data) } : {}),
    ...(obj.stringData ? { stringData: mask(obj.stringData) } : {}),
  };
}

/**
 * Whether helm-controller runs the chart's test hooks for this HelmRelease: only with
 * `spec.test.enable: true` (helm-controller v1.6.3 and v1.4.5 internal/reconcile/state.go
 * DetermineReleaseState: ReleaseStatusUntested only `if testSpec := req.Object.GetTest(); testSpec.Enable`;
 * atomic_release.go actionForState: NewTest only for ReleaseStatusUntested). Test hooks are
 * created by the test action alone, never by install or upgrade.
 */
export function testsEnabled(hr: unknown): boolean {
  return valueAt(hr, 'spec', 'test', 'enable') === true;
}

/**
 * The events a manifest's `helm.sh/hook` annotation lists, or [] for an ordinary manifest (helm v4
 * pkg/release/v1/util/manifest_sorter.go: split on ',', trimmed, lower-cased; `test-success` is
 * helm 2's name for `test`).
 */
function hookEvents(obj: unknown): string[] {
  const v = valueAt(obj, 'metadata', 'annotations', 'helm.sh/hook');
  return typeof v === 'string'
    ? v
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean)
    : [];
}

/**
 * Whether a rendered manifest is a test hook helm-controller does not create for this HelmRelease.
 * A manifest whose hook events are all `test` (or helm 2's `test-success`) exists only while the
 * test action runs; with tests enabled, spec.test.filters pick which (helm-controller v1.6.3
 * internal/action/test.go newTest: a filter is `name`, or `!name` when exclude; helm v4
 * pkg/action/release_testing.go Run: `!name` entries are skipped, and when `name` entries exist only
 * they run; a hook's name is its metadata.name).
 */
export function isSkippedTestHook(obj: unknown, hr: unknown): boolean {
  const events = hookEvents(obj);
  if (events.length === 0 || !events.every((e) => e === 'test' || e === 'test-success')) return false;
  if (!testsEnabled(hr)) return true;
  const listed = valueAt(hr, 'spec', 'test', 'filters');
  const filters: readonly unknown[] = Array.isArray(listed) ? listed : [];
  const name = valueAt(obj, 'metadata', 'name');
  if (filters.some((f) => valueAt(f, 'exclude') === true && valueAt(f, 'name') === name)) return true;
  const include = filters.filter((f) => valueAt(f, 'exclude') !== true).map((f) => valueAt(f, 'name'));
  return include.length > 0 && !include.includes(name);
}

/** Renders charts once per distinct input (chart, version, release, namespace, values): a fleet mostly repeats itself. */
export class HelmRenderer {
  private readonly cache = new Map<string, unknown[]>();
  private readonly pulled = new Map<string, string>();
  /** How many `helm template` runs this renderer made (the rest came from its cache). */
  renders = 0;

  constructor(private readonly source: ChartSource = {}) {}

  private chart(name: string, version: string, url: string): string {
    const key = `${url} ${name} ${version}`;
    if (this.pulled.has(key)) return this.pulled.get(key)!;
    let file: string;
    if (this.source.chartsDir) file = chartPackage(this.source.chartsDir, name, version, url);
    else {
      const dirs = [...chartDirsFromEnv(), ...(this.source.repo ? [path.join(this.source.repo, CHARTS_DIR)] : [])];
      file = locateChart({ name, version, url }, { dirs, cacheDir: defaultCacheDir() });
    }
    this.pulled.set(key, file);
    return file;
  }

  /** What runs, judged as synth judges it (lib/checks/what-runs.ts) on the values Flux applies to this cluster: refused with every problem named. */
  private judge(hr: unknown, objects: readonly unknown[]): void {
    const version = String(valueAt(hr, 'spec', 'chart', 'spec', 'version'));
    let imageRepository: string;
    try {
      imageRepository = chartFact(version).imageRepository;
    } catch {
      return;
    } // a chart without facts: fleet-check names it
    const { errors } = judgeRelease(
      hr,
      objects,
      `HelmRelease/${String(valueAt(hr, 'metadata', 'name'))} (chart ${version}, rendered)`,
      imageRepository,
    );
    if (errors.length) throw new ZotFluxError(errors, 'what would run is refused');
  }

  /**
   * The objects of one cluster with every HelmRelease (of a HelmRepository it can find among
   * `repositories`) followed by what its chart renders. `values` placeholders stay as they are.
   * The chart's test hooks are left out unless the HelmRelease enables tests (isSkippedTestHook):
   * what is shown is what helm-controller creates.
   */
  expand(objects: readonly unknown[], repositories: readonly unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const obj of objects) {
      out.push(obj);
      const chart = chartOf(obj, repositories);
      if (chart) out.push(...this.rendered(obj, chart).filter((o) => !isSkippedTestHook(o, obj)));
    }
    return out;
  }

  /** What the chart renders for one HelmRelease (its Secrets masked), from the cache when it was rendered before. */
  private rendered(obj: unknown, { chart, version, url }: ChartOf): unknown[] {
    const releaseName = helmReleaseName(obj);
    const namespace = releaseNamespace(obj);
    const values = valueAt(obj, 'spec', 'values') ?? {};
    const key = createHash('sha256')
      .update(JSON.stringify([url, chart, version, releaseName, namespace, values]))
      .digest('hex');
    let rendered = this.cache.get(key);
    if (!rendered) {
      // a string by the HelmRelease and HelmRepository schemas
      const file = this.chart(chart as string, version as string, url as string);
      const text = helmTemplate({ chart: file, releaseName, namespace, values });
      const objects = yaml.loadAll(text).filter(Boolean);
      if (isZotRelease(obj))
        this.judge(
          obj,
          objects.filter((o) => !isSkippedTestHook(o, obj)),
        );
      rendered = objects.map((o) => maskSecret(withNamespace(o, namespace)));
      this.cache.set(key, rendered);
      this.renders++;
    }
    return rendered;
  }
}

/** A HelmRelease's chart: its name and version, and the URL of the HelmRepository it names. */
interface ChartOf {
  readonly chart: unknown;
  readonly version: unknown;
  readonly url: unknown;
}

/**
 * The chart of `obj` when it is a HelmRelease of a HelmRepository (else undefined); refused when `repositories`
 * holds no HelmRepository of the name it gives.
 */
function chartOf(obj: unknown, repositories: readonly unknown[]): ChartOf | undefined {
  if (valueAt(obj, 'kind') !== 'HelmRelease') return undefined;
  const spec = valueAt(obj, 'spec', 'chart', 'spec');
  if (!spec) return undefined;
  const ref = valueAt(spec, 'sourceRef') ?? {};
  if (valueAt(ref, 'kind') !== 'HelmRepository') return undefined;
  const [name, namespace] = [valueAt(ref, 'name'), valueAt(ref, 'namespace')];
  const repo = repositories.find(
    (r) =>
      valueAt(r, 'kind') === 'HelmRepository' &&
      valueAt(r, 'metadata', 'name') === name &&
      (valueAt(r, 'metadata', 'namespace') ?? 'flux-system') === (namespace ?? valueAt(obj, 'metadata', 'namespace')),
  );
  if (!repo)
    refuse(
      `HelmRelease/${String(valueAt(obj, 'metadata', 'name'))} spec.chart.spec.sourceRef`,
      `${String(namespace ?? '')}/${String(name)}`,
      'names a HelmRepository the repository does not declare',
    );
  return { chart: valueAt(spec, 'chart'), version: valueAt(spec, 'version'), url: valueAt(repo, 'spec', 'url') };
}

/** A rendered object with the release's namespace when it names none (helm template leaves it out). */
function withNamespace(o: unknown, namespace: string): Readonly<Record<string, unknown>> {
  const metadata = valueAt(o, 'metadata');
  return {
    ...(o as object),
    metadata: { ...(metadata as object), namespace: valueAt(metadata, 'namespace') ?? namespace },
  };
}

/** A cluster's rendered text with its HelmReleases expanded (see HelmRenderer.expand). */
export function expandHelmReleases(text: string, repositories: readonly unknown[], renderer: HelmRenderer): string {
  const header = text.startsWith('#') ? text.slice(0, text.indexOf('\n') + 1) : '';
  const objects = yaml.loadAll(text).filter(Boolean);
  return header + toYaml(renderer.expand(objects, repositories));
}

/** The HelmRepository objects of the repository: every YAML file under its clusters/ folder that declares one. */
export function readHelmRepositories(repo: string): unknown[] {
  const found: unknown[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(e.name) && !e.name.endsWith('.sops.yaml')) {
        const text = fs.readFileSync(full, 'utf8');
        if (!text.includes('HelmRepository')) continue;
        try {
          for (const d of loadYamlAll(text, full))
            if (valueAt(d, 'kind') === 'HelmRepository' && valueAt(d, 'spec', 'url')) found.push(d);
        } catch {
          /* not ours to judge here: fleet-check reports broken YAML */
        }
      }
    }
  };
  walk(path.join(repo, 'clusters'));
  return found;
}
