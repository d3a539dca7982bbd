// The project's library, for use from main.ts or another cdk8s app: the constructs and the types
// their props refer to. Only re-exports, by name: internals (the state folder's lock and journal,
// the schemas, the checks) stay out.
export { ZotFluxError } from './core/error';
export type { Problem } from './core/error';
export { ZotApp } from './constructs/zot-app';
export type { ZotAppExtraResources, ZotAppKustomizationProps, ZotAppProps } from './constructs/zot-app';
export { SEED_ADMIN, ZotRelease } from './constructs/zot-release';
export type { AnonymousWrite, ZotGrant, ZotReleaseCoreProps, ZotReleaseProps, ZotUser } from './constructs/zot-release';
export { ZotRoute } from './constructs/zot-route';
export type { ZotRouteProps } from './constructs/zot-route';
export { Namespace } from './constructs/namespace';
export type { NamespaceProps } from './constructs/namespace';
export { HelmRepository } from './constructs/helm-repository';
export type { HelmRepositoryProps } from './constructs/helm-repository';
export type { BackendTrafficPolicyOptions } from './constructs/backend-traffic-policy';
export type { ServiceMonitorOptions } from './constructs/service-monitor';
export type { ProbeOptions } from './constructs/probe';
export type { DashboardOptions } from './constructs/dashboard';
export type { ObjectBucketClaimOptions } from './constructs/object-bucket-claim';
export { CLUSTER_SETTINGS, COMMON_SECRETS } from './flux/variables';
export type { FluxVariableSource } from './flux/variables';
export type { LayoutOptions } from './layout/layout';
export { ZOT_CHART_VERSION } from './zot/chart';
export type {
  ZotAccessControl,
  ZotAction,
  ZotConfig,
  ZotExtensions,
  ZotLogLevel,
  ZotPolicy,
  ZotRepositoryAccess,
} from './zot/config';
export type { ZotFeatureProps } from './zot/features/registry';
export type { ZotHttpProps } from './zot/features/http';
export type {
  S3Credentials,
  ZotGc,
  ZotKeepTags,
  ZotLocalStorage,
  ZotRetention,
  ZotRetentionPolicy,
  ZotS3Storage,
  ZotStorage,
  ZotStorageProps,
} from './zot/features/storage';
export type { ZotPodDisruptionBudget, ZotRedisCache, ZotScaleOut, ZotScaleOutProps } from './zot/features/scale-out';
export type { ZotSync, ZotSyncContent, ZotSyncProps, ZotSyncRegistry, ZotSyncTags } from './zot/features/sync';
export type { MetricsBasicAuthSecret, ZotMetrics, ZotMetricsProps, ZotServiceMonitor } from './zot/features/metrics';
export type {
  ZotCompatMode,
  ZotPlacement,
  ZotPodProps,
  ZotResources,
  ZotStartupProbe,
  ZotToleration,
} from './zot/features/pod';
