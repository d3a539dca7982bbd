// Where a chart package comes from when synth, render or diff run the real helm on it: a folder the
// user names (`--charts DIR`, or ZOT_FLUX_CHARTS, a list like PATH), the repository's own
// `.zot-flux/charts/` (committed: synth runs offline and the same everywhere), the local cache, or
// `helm pull` from the HelmRepository URL into the cache. A package is checked against the sha256
// its chart facts were learned from, wherever it comes from.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { refuse, ZotFluxError } from '../core/error';
import { helmPull } from './helm';

export interface ChartWanted {
  readonly name: string;
  readonly version: string;
  /** The HelmRepository URL (https or oci://) it is pulled from when no folder has it. */
  readonly url: string;
  /** The package's sha256 from the chart facts; unchecked when undefined. */
  readonly digest?: string;
}

export interface ChartStore {
  /** Folders searched first, in order (`--charts`, ZOT_FLUX_CHARTS). */
  readonly dirs: readonly string[];
  /** The local cache pulls go into. */
  readonly cacheDir: string;
  /** Whether a chart found nowhere may be pulled (the network). @default true */
  readonly pull?: boolean;
}

/** This package's own cache folder: node_modules/.cache/zot-flux (ZOT_FLUX_CACHE overrides). */
export function defaultCacheDir(): string {
  if (process.env.ZOT_FLUX_CACHE) return path.resolve(process.env.ZOT_FLUX_CACHE);
  return path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'zot-flux');
}

/** The folders ZOT_FLUX_CHARTS names (path.delimiter-separated), resolved. */
export function chartDirsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.ZOT_FLUX_CHARTS ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.resolve(d));
}

/** The sha256 of a file, hex. */
export function fileSha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function verified(file: string, want: ChartWanted): string {
  if (want.digest === undefined) return file;
  const got = fileSha256(file);
  if (got !== want.digest) {
    refuse(
      file,
      undefined,
      `is not the package chart ${want.name} ${want.version} was learned from (its sha256 is ${got}, the chart facts say ${want.digest}): a re-published or tampered chart; remove it, or learn it again with \`npm run chart-facts -- --add ${file}\` if you trust it`,
    );
  }
  return file;
}

/** The package file for `want`: the first folder holding `<name>-<version>.tgz`, else a pull into the cache. */
export function locateChart(want: ChartWanted, store: ChartStore): string {
  const file = `${want.name}-${want.version}.tgz`;
  for (const dir of [...store.dirs, path.join(store.cacheDir, 'charts')]) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return verified(candidate, want);
  }
  const searched = store.dirs.length ? store.dirs.join(', ') : 'no --charts folder';
  if (store.pull === false) {
    throw new ZotFluxError({
      field: `chart ${want.name} ${want.version}`,
      reason: `is in none of ${searched} and pulling is off: add ${file} to one of them (helm pull ${want.name} --version ${want.version} --repo ${want.url})`,
    });
  }
  const into = path.join(store.cacheDir, 'charts');
  fs.mkdirSync(into, { recursive: true });
  // a pull is written beside the cache, then renamed in: a concurrent reader never sees half a package
  const staging = fs.mkdtempSync(path.join(into, '.pull-'));
  try {
    const pulled = helmPull(
      want.url,
      want.name,
      want.version,
      staging,
      `offline, put ${file} in .zot-flux/charts/ of the repository (npm run chart-facts -- --add FILE does), pass --charts DIR or set ZOT_FLUX_CHARTS (searched: ${searched})`,
    );
    verified(pulled, want);
    fs.renameSync(pulled, path.join(into, file));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return path.join(into, file);
}
