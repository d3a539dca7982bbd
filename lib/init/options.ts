// What init is told: the cluster, its domain, the Flux generation, the layout (as synth's), where
// Flux fetches the repository from, and the age keys of the secrets file. Each value is checked
// here, before anything is planned; a refusal names the command-line option.
import { refuse } from '../core/error';
import { refuseGitUrlCredentials } from '../checks/git-url';
import { crdSchemaFor } from '../k8s/schema';
import { DNS_LABEL, DNS_SUBDOMAIN } from '../k8s/names';
import { DEFAULT_APPS_DIR, DEFAULT_HELM_REPOSITORIES_DIR, NOT_CLUSTERS, repoPath } from '../layout/layout';
import { checkAgeRecipient } from './age';
import { DEFAULT_FLUX_GENERATION, FLUX_APIS, FluxGeneration, fluxGeneration } from './flux-api';

export interface InitOptions {
  /** The cluster's folder under clusters/. */
  readonly cluster: string;
  /** CLUSTER_DOMAIN of the cluster. @default - an empty value, which fleet-check reports */
  readonly domain?: string;
  /**
   * The Flux generation the cluster runs. Given, init declares it where fleet-check and render read it: a
   * kustomize-controller image pin in clusters/<cluster>/flux/flux-system/kustomization.yaml.
   * @default - nothing is declared (fleet-check then assumes 2.9 and says so); the files are checked against 2.7's CRDs
   */
  readonly flux?: FluxGeneration;
  /** @default 'clusters/common/apps' (as synth's layout.appsDir) */
  readonly appsDir?: string;
  /** @default 'clusters/common/flux/repositories/helm' (as synth's layout.helmRepositoriesDir) */
  readonly helmRepositoriesDir?: string;
  /** The app folder under appsDir that the parent Kustomization applies (main.ts's ZotApp name). @default 'zot' */
  readonly app?: string;
  /** The URL Flux clones the repository from. @default - a placeholder that init reports as a to-do */
  readonly gitUrl?: string;
  /** @default 'main' */
  readonly branch?: string;
  /** age public keys of the secrets file (.sops.yaml). @default - a placeholder that sops refuses */
  readonly ageRecipients?: readonly string[];
}

export interface CheckedOptions {
  readonly cluster: string;
  readonly domain?: string;
  readonly flux: FluxGeneration;
  /** `flux` was given: init declares it. */
  readonly declareFlux: boolean;
  readonly appsDir: string;
  readonly helmRepositoriesDir: string;
  readonly app: string;
  readonly gitUrl?: string;
  readonly branch: string;
  readonly ageRecipients: readonly string[];
}

/** The GitRepository kustomize.toolkit's Kustomizations name (ZotApp's kustomization.gitRepository default). */
export const GIT_REPOSITORY_NAME = 'kubernetes-manifests';
export const DEFAULT_BRANCH = 'main';
export const DEFAULT_APP = 'zot';

/** The GitRepository url pattern of that generation's CRD (source-controller v1.7.4 and v1.9: `^(http|https|ssh)://.*$`). */
function gitUrlPattern(flux: FluxGeneration): RegExp {
  const pattern = crdSchemaFor(FLUX_APIS[flux].gitRepository, 'GitRepository', flux)?.properties?.spec?.properties?.url
    ?.pattern;
  return new RegExp(pattern ?? '^(http|https|ssh)://.*$');
}

function checkCluster(cluster: unknown): string {
  if (typeof cluster !== 'string' || !DNS_LABEL.test(cluster) || cluster.length > 63) {
    refuse(
      '--cluster',
      cluster,
      'is not a cluster folder name init writes (lowercase letters, digits and -, at most 63 characters)',
    );
  }
  if (NOT_CLUSTERS.has(cluster))
    refuse('--cluster', cluster, `is a folder under clusters/ that holds no cluster (${[...NOT_CLUSTERS].join(', ')})`);
  return cluster;
}

function checkDomain(domain: string | undefined): string | undefined {
  if (domain === undefined) return undefined;
  if (domain.length > 253 || !DNS_SUBDOMAIN.test(domain) || domain.split('.').some((l) => l.length > 63))
    refuse(
      '--domain',
      domain,
      'is not a DNS name (lowercase letters, digits, - and dots); zot is served at oci.<domain>',
    );
  return domain;
}

function checkApp(app: string): string {
  if (!DNS_LABEL.test(app) || app.length > 63)
    refuse('--app', app, 'is not an app name (lowercase letters, digits and -)');
  return app;
}

/** git-check-ref-format: no space, ~ ^ : ? * [ \, no '..', not starting with '-' or ending with '/' or '.lock'. */
function checkBranch(branch: string): string {
  if (
    !/^[^\s~^:?*[\\]+$/.test(branch) ||
    branch.includes('..') ||
    branch.startsWith('-') ||
    branch.endsWith('/') ||
    branch.endsWith('.lock')
  ) {
    refuse('--branch', branch, 'is not a git branch name');
  }
  return branch;
}

function checkGitUrl(gitUrl: string | undefined, flux: FluxGeneration): string | undefined {
  if (gitUrl === undefined) return undefined;
  // Before the pattern check, which echoes the URL: a token is never printed (lib/checks/git-url.ts).
  refuseGitUrlCredentials(gitUrl, '--git-url');
  if (!gitUrlPattern(flux).test(gitUrl))
    refuse(
      '--git-url',
      gitUrl,
      'is not a URL Flux clones from (http://, https:// or ssh://; for git@host:path write ssh://git@host/path)',
    );
  return gitUrl;
}

export function checkInitOptions(o: InitOptions): CheckedOptions {
  const flux = o.flux === undefined ? DEFAULT_FLUX_GENERATION : fluxGeneration(o.flux);
  const cluster = checkCluster(o.cluster);
  const domain = checkDomain(o.domain);
  const app = checkApp(o.app ?? DEFAULT_APP);
  const branch = checkBranch(o.branch ?? DEFAULT_BRANCH);
  const gitUrl = checkGitUrl(o.gitUrl, flux);
  const ageRecipients = (o.ageRecipients ?? []).map((r) => checkAgeRecipient(r));
  return {
    cluster,
    domain,
    flux,
    declareFlux: o.flux !== undefined,
    appsDir: repoPath(o.appsDir ?? DEFAULT_APPS_DIR, '--apps-dir'),
    helmRepositoriesDir: repoPath(o.helmRepositoriesDir ?? DEFAULT_HELM_REPOSITORIES_DIR, '--helm-repositories-dir'),
    app,
    gitUrl,
    branch,
    ageRecipients: [...new Set(ageRecipients)],
  };
}
