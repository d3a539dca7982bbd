// The typed zot features, in the order ZotRelease checks and applies them and the app README lists
// them. A feature is one module (lib/zot/features/<name>.ts) exporting a ZotFeature: adding an option
// to a feature touches that module and its test; adding a feature adds its line here and its props
// type to ZotFeatureProps.
import type { ZotFeature } from './feature';
import { httpTimeoutsFeature, ZotHttpProps } from './http';

/** The props every registered feature owns (ZotReleaseProps extends it). */
export type ZotFeatureProps = ZotHttpProps;

export const ZOT_FEATURES: ReadonlyArray<ZotFeature<ZotFeatureProps>> = [httpTimeoutsFeature];
