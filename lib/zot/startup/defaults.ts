// zot's applyDefaultValues (pkg/cli/server/root.go) and the defaults of config.New()
// (pkg/api/config/config.go), with the warnings zot logs while it applies them.
import { compareZotVersions } from '../config-keys';
import { HOUR, SECOND } from '../../go/time';
import { at, fieldPath, isPlain, Plain, present, Report, shown, SPELLING, WHERE } from './report';
import { DefaultedConfig, Extensions, GlobalStorageConfig, ZotConfig } from './types';

export const DEFAULT_GC_DELAY = HOUR; // zot pkg/storage/constants/constants.go: DefaultGCDelay (v2.1.14..v2.1.20)
export const DEFAULT_GC_INTERVAL = HOUR; // zot pkg/storage/constants/constants.go: DefaultGCInterval
export const DIST_SPEC_VERSION = '1.1.1'; // distribution-spec specs-go a139cc423184 (go.mod of zot v2.1.14..v2.1.20): Version

/** The extensions applyDefaultValues re-creates from empty blocks when nothing else is under extensions. */
const RESTORED_EXTENSIONS = ['metrics', 'search', 'scrub', 'trust', 'ui'];

/** The config as viper read it (lower-cased) and as it settled: what applyDefaultValues asks viper about. */
export interface Sources {
  readonly lowered: Plain;
  readonly settled: Plain;
}

const lookup = (root: Plain, keys: string[]): unknown => {
  let o: unknown = root;
  for (const k of keys) o = isPlain(o) ? o[k] : undefined;
  return o;
};
/** viper.IsSet: a key with a value after the settle step. */
const isSet = (src: Sources, ...keys: string[]) => lookup(src.settled, keys) !== undefined;

/** zot's applyDefaultValues and config.New(), in zot's order. */
export function applyDefaults(c: ZotConfig, src: Sources, report: Report): asserts c is DefaultedConfig {
  configNew(c);
  restoreEmptyExtensions(c, src, report);
  if (present(c.extensions)) extensionDefaults(c.extensions, report);
  storageDefaults(c.storage, src, report);
  timeoutDefaults(c, report);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: OpenID turns API keys on
  if (present(c.http.auth.openid)) c.http.auth.apikey = true;
}

/** zot pkg/api/config/config.go: New (v2.1.14..v2.1.20). */
function configNew(c: ZotConfig): asserts c is DefaultedConfig {
  c.distSpecVersion ??= DIST_SPEC_VERSION;
  const s = (c.storage ??= {});
  s.dedupe ??= true;
  s.gc ??= true;
  s.gcDelay ??= DEFAULT_GC_DELAY;
  s.gcInterval ??= DEFAULT_GC_INTERVAL;
  s.retention ??= {};
  const http = (c.http ??= {});
  http.address ??= '127.0.0.1';
  http.port ??= '8080';
  http.auth ??= {};
  const log = (c.log ??= {});
  log.level ??= 'debug';
}

/**
 * zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: `"extensions": {"metrics": {}}` — empty
 * blocks vanish in viper; when nothing else is under extensions, zot re-creates metrics, search, scrub,
 * trust and ui (not the others).
 */
function restoreEmptyExtensions(c: ZotConfig, src: Sources, report: Report): void {
  const rawExt = lookup(src.lowered, ['extensions']);
  if (!present(c.extensions) && rawExt !== undefined && rawExt !== null) {
    const ext: Extensions = {};
    c.extensions = ext;
    if (isPlain(rawExt)) for (const name of RESTORED_EXTENSIONS) if (name in rawExt) ext[name] = {};
  }
  if (!isPlain(rawExt)) return;
  const spelled = SPELLING.get(rawExt);
  for (const [name, block] of Object.entries(rawExt)) {
    if (!isPlain(block) || Object.keys(block).length > 0) continue;
    const restored = !isSet(src, 'extensions') && RESTORED_EXTENSIONS.includes(name);
    if (!restored) {
      report.warn(
        fieldPath('extensions', spelled?.get(name) ?? name),
        {},
        'is an empty object: viper drops it, so zot does not enable this extension (write {"enable": true})',
      );
    }
  }
}

/** applyDefaultValues for each extension block present: enable defaults to true, intervals are raised. */
function extensionDefaults(ext: Extensions, report: Report): void {
  if (present(ext.sync)) ext.sync.enable ??= true;
  if (present(ext.search)) {
    ext.search.enable ??= true;
    if (ext.search.enable && present(ext.search.cve)) cveDefaults(ext.search.cve, report);
  }
  if (present(ext.metrics)) {
    ext.metrics.enable ??= true;
    ext.metrics.prometheus ??= { path: '/metrics' }; // zot pkg/api/constants: DefaultMetricsExtensionRoute
  }
  if (present(ext.scrub)) scrubDefaults(ext.scrub, report);
  if (present(ext.ui)) ext.ui.enable ??= true;
  if (present(ext.trust)) ext.trust.enable ??= true;
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: cve update interval < 2h is raised to 2h with a warning. */
function cveDefaults(cve: { updateInterval?: number; trivy?: object }, report: Report): void {
  if ((cve.updateInterval ?? 0) < 2 * HOUR) {
    report.warn(
      at(cve, 'updateInterval', 'extensions.search.cve'),
      cve.updateInterval === undefined ? undefined : shown(cve, 'updateInterval'),
      `${cve.updateInterval === undefined ? 'is not set' : 'is under 2h'}: zot uses 2h and logs "cve update interval set to too-short interval < 2h" (applyDefaultValues)`,
    );
    cve.updateInterval = 2 * HOUR;
  }
  cve.trivy ??= {};
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: scrub interval < 2h is raised to 2h with a warning (not refused). */
function scrubDefaults(scrub: { enable?: boolean; interval?: number }, report: Report): void {
  scrub.enable ??= true;
  if (!scrub.interval) scrub.interval = 24 * HOUR;
  if (scrub.interval < 2 * HOUR) {
    report.warn(
      at(scrub, 'interval', 'extensions.scrub'),
      shown(scrub, 'interval'),
      'is under 2h: zot uses 2h and logs "scrub interval set to too-short interval < 2h" (applyDefaultValues)',
    );
    scrub.interval = 2 * HOUR;
  }
}

/** applyDefaultValues for the global storage and each subpath: gc delays, remoteCache, forcepathstyle. */
function storageDefaults(s: GlobalStorageConfig, src: Sources, report: Report): void {
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: "set default values in case GC is disabled"
  if (!s.gc) {
    if (!isSet(src, 'storage', 'gcdelay')) s.gcDelay = 0;
    if (!isSet(src, 'storage', 'gcinterval')) s.gcInterval = 0;
  }
  // "for cloud based storage, remoteCache defaults to true" (global and each subpath)
  if (s.dedupe && !isSet(src, 'storage', 'remotecache') && present(s.storageDriver)) s.remoteCache = true;
  s.remoteCache ??= false;
  const driver = s.storageDriver;
  if (present(driver) && driver.name === 's3' && 'regionendpoint' in driver && !('forcepathstyle' in driver)) {
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: applyDefaultValues: "deprecated: automatically setting forcepathstyle to true"
    report.warn(
      at(s, 'storageDriver', 'storage'),
      undefined,
      'has regionendpoint but no forcepathstyle: zot sets forcepathstyle true and logs a deprecation warning (applyDefaultValues)',
    );
  }
  for (const [route, sub] of Object.entries(s.subPaths ?? {})) {
    sub.dedupe ??= false;
    sub.gc ??= false;
    sub.gcDelay ??= 0;
    sub.gcInterval ??= 0;
    if (sub.dedupe && !isSet(src, 'storage', 'subpaths', route, 'remotecache') && present(sub.storageDriver))
      sub.remoteCache = true;
    sub.remoteCache ??= false;
    if (sub.gc) {
      if (!isSet(src, 'storage', 'subpaths', route, 'gcdelay')) sub.gcDelay = DEFAULT_GC_DELAY;
      if (!isSet(src, 'storage', 'subpaths', route, 'gcinterval')) sub.gcInterval = DEFAULT_GC_INTERVAL;
    }
  }
}

/** zot v2.1.17 pkg/cli/server/root.go: applyDefaultValues: defaultReadTimeout / defaultWriteTimeout = 60s when unset. */
function timeoutDefaults(c: DefaultedConfig, report: Report): void {
  const v = report.version;
  if (compareZotVersions(v, 'v2.1.17') < 0) return;
  for (const key of ['readTimeout', 'writeTimeout'] as const) {
    if (c.http[key] !== undefined) continue;
    report.warn(
      fieldPath(WHERE.get(c.http) ?? 'http', key),
      undefined,
      `is not set: zot ${v} uses 60s (applyDefaultValues: default${key[0].toUpperCase()}${key.slice(1)}), so a request whose body or response takes longer than a minute (a large layer push or pull) is cut; set it, e.g. '30m', or '0s' for no limit`,
    );
    c.http[key] = 60 * SECOND;
  }
}
