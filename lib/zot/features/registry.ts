// The typed zot features. A feature is one module (lib/zot/features/<name>.ts) exporting a ZotFeature:
// its props type, their checks and version rules, the config.json keys, chart values, env, secret
// files and Flux variables it adds, and its README lines. ZotRelease and the app README iterate
// this list and name no feature. Adding an option to a feature touches that module and its test;
// adding a feature adds its line to both lists here and its props type to ZotFeatureProps.
import type { ZotExtensions } from '../config';
import type { ZotFeature } from './feature';
import { httpTimeoutsFeature, ZotHttpProps } from './http';
import { metricsDefinition, ZotMetricsProps } from './metrics';
import { podDefinition, ZotPodProps } from './pod';
import { scaleOutDefinition, ZotScaleOutProps } from './scale-out';
import { storageDefinition, ZotStorageProps } from './storage';
import { syncDefinition, ZotSyncProps } from './sync';

/** The props every registered feature owns (ZotReleaseProps extends it). */
export type ZotFeatureProps = ZotHttpProps &
  ZotStorageProps &
  ZotScaleOutProps &
  ZotSyncProps &
  ZotMetricsProps &
  ZotPodProps;

/** A registered feature: it may read the other features' props and the release's `extensions`. */
export type RegisteredFeature = ZotFeature<ZotFeatureProps, ZotFeatureProps & { readonly extensions?: ZotExtensions }>;

/** In the order their props are listed (in refusals of an unknown prop) and checked. */
export const ZOT_FEATURES: readonly RegisteredFeature[] = [
  httpTimeoutsFeature,
  storageDefinition,
  scaleOutDefinition,
  syncDefinition,
  metricsDefinition,
  podDefinition,
];

/**
 * In the order their output is merged: config.json's keys and the chart values keep this order, so
 * the pod's values come before the metrics' (as the HelmRelease has always written them).
 */
export const ZOT_FEATURES_BUILT: readonly RegisteredFeature[] = [
  httpTimeoutsFeature,
  storageDefinition,
  scaleOutDefinition,
  podDefinition,
  syncDefinition,
  metricsDefinition,
];
