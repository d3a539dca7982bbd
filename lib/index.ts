// The project's library, for use from main.ts or another cdk8s app: the constructs and what their
// props refer to. Only re-exports.
export * from './core/error';
export * from './constructs/zot-app';
export * from './constructs/zot-release';
export * from './constructs/zot-route';
export * from './constructs/namespace';
export * from './constructs/flux-kustomization';
export * from './constructs/helm-repository';
export * from './constructs/kustomize-config';
export * from './constructs/manifest-file';
export * from './constructs/text-file';
export * from './constructs/kustomization-entry';
export * from './flux/variables';
export * from './layout/layout';
export * from './zot/chart';
export * from './zot/config';
