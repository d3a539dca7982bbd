import * as path from 'path';

/** Where an app's files live in the GitOps repository (paths relative to its root, `/`-separated). */
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

export function appLayout(app: string, helmRepository: string, options: LayoutOptions = {}): AppLayout {
  const dir = path.posix.join(options.appsDir ?? 'clusters/common/apps', app);
  const appDir = path.posix.join(dir, 'app');
  const repos = options.helmRepositoriesDir ?? 'clusters/common/flux/repositories/helm';
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
    helmRepository: `${repos}/${helmRepository}.yaml`,
    helmRepositoriesKustomization: `${repos}/kustomization.yaml`,
  };
}

/** A folder as Flux's Kustomization `path` wants it: `./clusters/...`. */
export function fluxPath(dir: string): string {
  return `./${dir}`;
}
