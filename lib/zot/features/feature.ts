// What every typed zot feature module declares, so that the constructs iterate the registry
// (lib/zot/features/registry.ts) instead of naming each feature: the ZotReleaseProps keys it owns,
// their run-time checks (version rules included), what it adds to config.json and the chart values,
// and its lines in the app README. Pure zot and chart knowledge; no cdk8s.
import type { FeatureOutput } from './common';

/** What a feature's checks and output depend on besides its own props. */
export interface FeatureContext {
  /** The zot version the release deploys (`valuesOverrides.image.tag`, else the chart's). */
  readonly zotVersion: string;
  /** The zot chart version. */
  readonly chartVersion: string;
}

/** What a feature's output depends on besides the props: the release's core settings. */
export interface BuildContext extends FeatureContext {
  readonly releaseName: string;
  readonly port: number;
  /** Where zot stores images inside the pod (config.json storage.rootDirectory). */
  readonly rootDirectory: string;
  /** The release's users (their names sign in). */
  readonly userNames: readonly string[];
}

/** The sections of the app README's "Production settings" features write into, in the README's order. */
export const README_SECTIONS = ['Storage', 'Cache and scale-out', 'Sync', 'Metrics', 'HTTP', 'Pod'] as const;
export type ReadmeSection = (typeof README_SECTIONS)[number];

/** What a feature's README lines are written from besides its props: the release and app as built. */
export interface ReadmeContext {
  readonly config: BuiltConfig;
  /** The chart values the release generated (before valuesOverrides). */
  readonly values: Readonly<Record<string, unknown>>;
  readonly releaseName: string;
  readonly serviceName: string;
  readonly namespace: string;
  readonly chartVersion: string;
  readonly port: number;
  /** The keys of the chart's Secret. */
  readonly secretFileKeys: readonly string[];
  /** The route's hostnames, each in backticks, joined. */
  readonly hosts: string;
  /** The app's own ServiceMonitor and the user it scrapes as. */
  readonly appServiceMonitor?: { readonly name: string; readonly scraper: string };
}

/** A feature's part of one README section: whole lines, and the limits joined into the section's "Timeouts:" line. */
export interface FeatureReadme {
  readonly section: ReadmeSection;
  readonly lines?: readonly string[];
  readonly limits?: readonly string[];
}

/** config.json as built, as the README reads it back (zot's keys; parsed, so `unknown` below the top). */
export type BuiltConfig = Readonly<Record<string, unknown>> & { readonly http: Readonly<Record<string, unknown>> };

/**
 * One typed zot feature. `P` are the ZotReleaseProps it owns (its module declares them); `R` the other
 * props it reads, already checked by their owners (scale-out reads `storage`).
 */
export interface ZotFeature<P extends object, R extends object = object> {
  /** For messages and the registry's order. */
  readonly name: string;
  /** The ZotReleaseProps keys the feature owns, in the order the props interface lists them (propKeys). */
  readonly props: ReadonlyArray<keyof P>;
  /** The props whose keys become keys of config.json (refused when a key holds viper's '::'). */
  readonly configProps?: ReadonlyArray<keyof P>;
  /** Refuses what the props' types and the deployed versions do not allow, naming the prop. */
  check(props: P, ctx: FeatureContext): void;
  /** Refuses a combination with another prop, once every feature's props are checked. */
  checkTogether?(props: P & R): void;
  /** The keys of config.json, chart values, container env, secret files and Flux variables it adds. */
  build(props: P & R, ctx: BuildContext): FeatureOutput;
  /** Refuses what only the whole config.json shows (who zot lets read the metrics). */
  verify?(props: P & R, config: BuiltConfig, ctx: BuildContext): void;
  /** Its lines in the app README's "Production settings". */
  readme?(props: P & R, ctx: ReadmeContext): FeatureReadme[];
}
