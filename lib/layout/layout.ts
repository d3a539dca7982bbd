// The one source of every path zot-flux reads or writes in a GitOps repository. Paths are relative
// to the repository root, `/`-separated; none may leave it.
import * as path from 'path';
import { refuse } from '../core/error';

/** Where an app's files live in the GitOps repository. */
export interface AppLayout {
  /** clusters/common/apps/<app>/ : applied by the parent Kustomization. */
  readonly dir: string;
  readonly kustomization: string;
  readonly namespace: string;
  readonly fluxKustomization: string;
  readonly readme: string;
  /** clusters/common/apps/<app>/app/ : applied only by the app's own Flux Kustomization. */
  readonly appDir: string;
  readonly appKustomization: string;
  readonly helmRelease: string;
  readonly httpRoute: string;
  /** The optional extra objects of the app folder, one file each. */
  readonly extraFiles: Readonly<
    Record<'objectBucketClaim' | 'backendTrafficPolicy' | 'serviceMonitor' | 'probe' | 'dashboard', string>
  >;
  /** The HelmRepository and the shared kustomization.yaml that lists it. */
  readonly helmRepository: string;
  readonly helmRepositoriesKustomization: string;
}

export interface LayoutOptions {
  /** @default 'clusters/common/apps' */
  readonly appsDir?: string;
  /** @default 'clusters/common/flux/repositories/helm' */
  readonly helmRepositoriesDir?: string;
}

export const DEFAULT_APPS_DIR = 'clusters/common/apps';
export const DEFAULT_HELM_REPOSITORIES_DIR = 'clusters/common/flux/repositories/helm';

/** The folder of the repository holding one folder per cluster. */
export const CLUSTERS_DIR = 'clusters';
/** Folders under clusters/ that are not clusters. */
export const NOT_CLUSTERS: ReadonlySet<string> = new Set(['common', 'template']);
/** A cluster's Flux entry point. */
export const clusterFluxDir = (cluster: string) => `${CLUSTERS_DIR}/${cluster}/flux`;
/** Variables shared by every cluster, and one cluster's own. */
export const COMMON_VARS_DIR = `${CLUSTERS_DIR}/common/flux/vars`;
export const clusterVarsDir = (cluster: string) => `${clusterFluxDir(cluster)}/vars`;
/** Where hand-written parent Kustomizations (that may patch postBuild into children) live. */
export const COMMON_FLUX_DIR = `${CLUSTERS_DIR}/common/flux`;

/** synth's own folder at the repository root: the record of owned files (committed), the lock and the journal (not). */
export const STATE_DIR = '.zot-flux';
export const OWNED_FILES_RECORD = `${STATE_DIR}/owned-files.json`;
export const STATE_GITIGNORE = `${STATE_DIR}/.gitignore`;
export const LOCK_FILE = `${STATE_DIR}/lock`;
export const JOURNAL_FILE = `${STATE_DIR}/journal.json`;
/** Chart packages synth renders with (`<name>-<version>.tgz`, committed: synth runs offline; `npm run chart-facts -- --pull` adds them). */
export const CHARTS_DIR = `${STATE_DIR}/charts`;

/**
 * A repository-relative folder or file path as the layout accepts it: relative, `/`-separated,
 * normalised, inside the repository. `field` names the prop it came from.
 */
export function repoPath(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') refuse(field, value, 'is not a non-empty path');
  const p = value as string;
  if (p.includes('\\')) refuse(field, p, "uses '\\'; paths in the repository are '/'-separated");
  if (p.includes('\0')) refuse(field, p, 'contains a NUL byte');
  if (path.posix.isAbsolute(p)) refuse(field, p, 'is absolute; give a path relative to the repository root');
  const norm = path.posix.normalize(p).replace(/\/+$/, '');
  if (norm === '.' || norm === '..' || norm.startsWith('../')) refuse(field, p, 'leaves the repository root (--out)');
  if (norm.split('/').includes('.git') || norm.split('/')[0] === STATE_DIR)
    refuse(field, p, `points into ${norm.split('/')[0]}, which synth does not write into`);
  return norm;
}

/** The file layout of one app, every path checked to stay inside the repository. */
export function appLayout(app: string, helmRepository: string, options: LayoutOptions = {}): AppLayout {
  const dir = path.posix.join(repoPath(options.appsDir ?? DEFAULT_APPS_DIR, 'layout.appsDir'), app);
  const appDir = path.posix.join(dir, 'app');
  const repos = repoPath(options.helmRepositoriesDir ?? DEFAULT_HELM_REPOSITORIES_DIR, 'layout.helmRepositoriesDir');
  return {
    dir,
    kustomization: `${dir}/kustomization.yaml`,
    namespace: `${dir}/namespace.yaml`,
    fluxKustomization: `${dir}/ks.yaml`,
    readme: `${dir}/README.md`,
    appDir,
    appKustomization: `${appDir}/kustomization.yaml`,
    helmRelease: `${appDir}/helmrelease.yaml`,
    httpRoute: `${appDir}/httproute.yaml`,
    extraFiles: {
      objectBucketClaim: `${appDir}/objectbucketclaim.yaml`,
      backendTrafficPolicy: `${appDir}/backendtrafficpolicy.yaml`,
      serviceMonitor: `${appDir}/servicemonitor.yaml`,
      probe: `${appDir}/probe.yaml`,
      dashboard: `${appDir}/dashboard.yaml`,
    },
    helmRepository: `${repos}/${helmRepository}.yaml`,
    helmRepositoriesKustomization: `${repos}/kustomization.yaml`,
  };
}

/** A folder as Flux's Kustomization `path` wants it: `./clusters/...`. */
export function fluxPath(dir: string): string {
  return `./${dir}`;
}

/** The repository-relative path of a Flux Kustomization `spec.path` (`./a/b` → `a/b`). */
export function fromFluxPath(p: string): string {
  return path.posix.normalize(p.replace(/^\.\//, '')).replace(/\/+$/, '');
}

/** `rel` resolved under `root`, refusing anything that would leave it. */
export function underRoot(root: string, rel: string): string {
  const full = path.resolve(root, rel);
  const base = path.resolve(root);
  if (full !== base && !full.startsWith(base + path.sep)) refuse('path', rel, `leaves the output root ${base}`);
  return full;
}
