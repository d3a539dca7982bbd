// zot's start-up rules for storage (pkg/cli/server/root.go: validateGC, validateGCRules,
// validateStorageConfig, validateCacheConfig, validateStorageConfigSection; pkg/storage/storage.go: New).
import { validatePattern } from '../glob';
import { storageDriverProblems, subPathRootProblems } from '../storage-driver';
import { goPathClean } from '../../go/path';
import { equalFold } from '../../go/strings';
import { at, atMapKey, checkRegexp, fieldPath, indexPath, nonEmpty, present, Report, shown, whereOf } from './report';
import { DefaultedConfig, GlobalStorageConfig, Retention, StorageConfig } from './types';

/** Each subpath with its key path as written. */
export function subPaths(s: GlobalStorageConfig): Array<[string, StorageConfig, string]> {
  const map = s.subPaths;
  if (!map) return [];
  return Object.entries(map).map(([route, sub]) => [route, sub, atMapKey(map, route, 'storage.subPaths')]);
}

/**
 * zot's isPathInside (pkg/cli/server/root.go, v2.1.14..v2.1.20): filepath.Abs both, filepath.Rel,
 * inside when the relative path is not ".", not "" and does not start with "..". Relative paths are
 * taken from "/" (zot's working directory in its image is not part of the config).
 */
function isPathInside(path1: string, path2: string): boolean {
  const abs = (p: string) => goPathClean(p.startsWith('/') ? p : `/${p}`);
  const a1 = abs(path1);
  const a2 = abs(path2);
  if (a1 === a2) return false;
  const base = a2 === '/' ? '/' : `${a2}/`;
  if (!a1.startsWith(base)) return false;
  return !a1.slice(base.length).startsWith('..');
}

/** zot's pathsConflict (pkg/cli/server/root.go, v2.1.14..v2.1.20): 0 none, 1 identical, 2 path1 inside path2, 3 path2 inside path1. */
function pathsConflict(path1: string, path2: string): 0 | 1 | 2 | 3 {
  if (equalFold(path1, path2)) return 1;
  if (isPathInside(path1, path2)) return 2;
  if (isPathInside(path2, path1)) return 3;
  return 0;
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGC, for the global storage and each subpath, and validateGCRules. */
export function validateGC(s: DefaultedConfig['storage'], report: Report): void {
  if ((s.gcDelay ?? 0) < 0)
    report.error(
      at(s, 'gcDelay', 'storage'),
      shown(s, 'gcDelay'),
      'is negative: zot refuses it ("invalid garbage-collect delay specified", validateGC)',
    );
  if ((s.gcInterval ?? 0) < 0)
    report.error(
      at(s, 'gcInterval', 'storage'),
      shown(s, 'gcInterval'),
      'is negative: zot refuses it ("invalid garbage-collect interval specified", validateGC)',
    );
  if (!s.gc) warnGCOff(s, report);
  validateRetention(s.retention, at(s, 'retention', 'storage'), report);
  for (const [, sub, where] of subPaths(s)) {
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGC (subpaths): gc on with a delay <= 0
    if (sub.gc && (sub.gcDelay ?? 0) <= 0)
      report.error(
        fieldPath(where, 'gcDelay'),
        shown(sub, 'gcDelay'),
        'is zero or negative while gc is on for this subpath: zot refuses it ("invalid GC delay configuration - cannot be negative or zero", validateGC)',
      );
    // zot v2.1.19 pkg/cli/server/root.go: validateGC (subpaths): gcTimeWindow without gc
    if (report.at('v2.1.19') && !sub.gc && sub.gcTimeWindow)
      report.warn(
        fieldPath(where, 'gcTimeWindow'),
        undefined,
        'is set while gc is false for this subpath: zot ignores it (validateGC)',
      );
    validateRetention(sub.retention, fieldPath(where, 'retention'), report);
  }
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGC: delay, interval and (v2.1.19) window without gc are ignored. */
function warnGCOff(s: StorageConfig, report: Report): void {
  if (s.gcDelay !== 0)
    report.warn(
      at(s, 'gcDelay', 'storage'),
      shown(s, 'gcDelay'),
      'is set while gc is false: zot ignores it ("garbage-collect delay specified without enabling garbage-collect", validateGC)',
    );
  if (s.gcInterval !== 0)
    report.warn(
      at(s, 'gcInterval', 'storage'),
      shown(s, 'gcInterval'),
      'is set while gc is false: zot ignores it ("periodic garbage-collect interval specified without enabling garbage-collect", validateGC)',
    );
  // zot v2.1.19 pkg/cli/server/root.go: validateGC: gcTimeWindow without gc
  if (report.at('v2.1.19') && s.gcTimeWindow)
    report.warn(at(s, 'gcTimeWindow', 'storage'), undefined, 'is set while gc is false: zot ignores it (validateGC)');
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGCRules: retention repository globs and keepTags regexes must compile
function validateRetention(retention: Retention | undefined, where: string, report: Report): void {
  (retention?.policies ?? []).forEach((p, i) => {
    if (!present(p)) return;
    const pw = indexPath(at(retention, 'policies', where), i);
    (p.repositories ?? []).forEach((glob, j) => {
      if (typeof glob === 'string' && !validatePattern(glob))
        report.error(
          indexPath(at(p, 'repositories', pw), j),
          glob,
          'is not a glob zot can compile: zot refuses it ("retention repo glob pattern could not be compiled", validateGCRules)',
        );
    });
    (p.keepTags ?? []).forEach((k, j) => {
      if (!present(k)) return;
      const kw = indexPath(at(p, 'keepTags', pw), j);
      (k.patterns ?? []).forEach((re, n) =>
        checkRegexp(
          re,
          indexPath(at(k, 'patterns', kw), n),
          'zot refuses it ("retention tag regex could not be compiled", validateGCRules)',
          report,
        ),
      );
    });
  });
}

interface Store {
  route: string;
  field: string;
  root: string;
  type: string;
}

/** The stores zot opens, by route, with their storage type (getStorageType: the driver's name, or local). */
function stores(s: GlobalStorageConfig): Store[] {
  const typeOf = (driver: Record<string, unknown> | undefined) => (present(driver) ? String(driver.name) : 'local');
  return [
    {
      route: '',
      field: at(s, 'rootDirectory', 'storage'),
      root: String(s.rootDirectory ?? ''),
      type: typeOf(s.storageDriver),
    },
    ...subPaths(s).map(([route, sub, where]) => ({
      route,
      field: `${where}.rootDirectory`,
      root: String(sub.rootDirectory ?? ''),
      type: typeOf(sub.storageDriver),
    })),
  ].sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: getStorageType / validateStorageConfig: no two stores of one storage type share or nest root directories
export function validateStoreRoots(s: GlobalStorageConfig, report: Report): void {
  const all = stores(s);
  const name = (x: { route: string }) => (x.route === '' ? 'the default store' : `the subpath '${x.route}'`);
  all.forEach((a, i) => {
    for (const b of all.slice(i + 1)) {
      if (a.type !== b.type) continue;
      const kind = pathsConflict(a.root, b.root);
      if (kind === 0) continue;
      const what =
        kind === 1
          ? `is the same root directory as ${name(a)}'s`
          : kind === 2
            ? `holds ${name(a)}'s root directory`
            : `is inside ${name(a)}'s root directory`;
      report.error(
        b.field,
        b.root,
        `${what} ('${a.root}', both ${a.type} storage): zot refuses it ("invalid storage config", validateStorageConfig)`,
      );
    }
  });
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateCacheConfig
export function validateCache(s: GlobalStorageConfig, report: Report): void {
  checkCache(s, whereOf(s, 'storage'), false, report);
  for (const [, sub, where] of subPaths(s)) checkCache(sub, where, true, report);
}

/** validateCacheConfig for one store: a remote cache when dedupe meets remote storage; which drivers where. */
function checkCache(cfg: StorageConfig, where: string, isSub: boolean, report: Report): void {
  if (cfg.dedupe && present(cfg.storageDriver) && cfg.remoteCache && !present(cfg.cacheDriver)) {
    report.error(
      `${where}.cacheDriver`,
      undefined,
      'is missing: dedupe is on with remote storage and remoteCache (true by default with a storageDriver), so zot needs a remote cache (dynamodb or redis) or dedupe false or remoteCache false; it refuses this ("dedupe set to true with remote storage and database, but no remote database configured", validateCacheConfig)',
    );
  }
  if (present(cfg.cacheDriver) && cfg.remoteCache) {
    const name = cfg.cacheDriver.name;
    if (!present(cfg.storageDriver) && (isSub || name !== 'redis')) {
      report.error(
        at(cfg, 'cacheDriver', where),
        undefined,
        `is a remote cache on local storage, which zot allows only for redis${isSub ? ' on the default store, not on a subpath' : ''}: it refuses this ("cannot have local storage driver with remote database!", validateCacheConfig)`,
      );
    } else if (isSub ? name !== 'dynamodb' : name !== 'dynamodb' && name !== 'redis') {
      report.error(
        `${at(cfg, 'cacheDriver', where)}.name`,
        name,
        `is not a cache driver zot supports ${isSub ? 'on a subpath (dynamodb)' : '(dynamodb or redis)'}: zot refuses it ("unsupported database driver", validateCacheConfig)`,
      );
    }
  }
  if (!cfg.remoteCache && present(cfg.cacheDriver)) {
    report.warn(
      at(cfg, 'cacheDriver', where),
      undefined,
      'is set but remoteCache is false: zot ignores it and uses its local cache database (validateCacheConfig)',
    );
  }
}

// zot v2.1.14 pkg/cli/server/root.go: validateConfiguration (s3 only) / v2.1.15..v2.1.17 validateStorageConfigSection (s3, gcs) / v2.1.18.. (s3, gcs, azure)
export function validateStorageDrivers(c: DefaultedConfig, report: Report): void {
  const sync = c.extensions?.sync;
  const syncOn = present(sync) && (sync.enable === true || (sync.enable === undefined && nonEmpty(sync.registries))); // config.go: IsSyncEnabled
  const needsDownloadDir = (where: string) => {
    if (!syncOn || nonEmpty(sync.downloadDir)) return;
    report.error(
      fieldPath(whereOf(sync, 'extensions.sync'), 'downloadDir'),
      undefined,
      `is missing: sync with remote storage (${where}) needs it, zot refuses this ("using both sync and remote storage features needs config.Extensions.Sync.DownloadDir to be specified")`,
    );
  };
  checkDriver(c.storage, whereOf(c.storage, 'storage'), needsDownloadDir, report);
  for (const [, sub, subWhere] of subPaths(c.storage)) {
    checkDriver(sub, subWhere, needsDownloadDir, report);
    // zot v2.1.14..v2.1.20 pkg/storage/storage.go getSubStore: an empty subpath rootDirectory
    for (const p of subPathRootProblems(sub, subWhere)) report.error(p.field, p.value, p.reason);
  }
}

/** validateStorageConfigSection for one store: redirectBlobURL, the driver's name and parameters, sync's downloadDir. */
function checkDriver(cfg: StorageConfig, where: string, needsDownloadDir: (where: string) => void, report: Report) {
  const drivers = report.at('v2.1.18') ? ['s3', 'gcs', 'azure'] : report.at('v2.1.15') ? ['s3', 'gcs'] : ['s3'];
  // zot v2.1.18 pkg/cli/server/root.go: validateStorageConfigSection: redirectBlobURL needs a remote storage driver
  if (report.at('v2.1.18') && cfg.redirectBlobURL && !present(cfg.storageDriver)) {
    report.error(
      at(cfg, 'redirectBlobURL', where),
      true,
      'is only supported with s3, gcs or azure storage: zot refuses it on local storage (validateStorageConfigSection)',
    );
  }
  if (!present(cfg.storageDriver)) return;
  const name = cfg.storageDriver.name;
  const field = at(cfg, 'storageDriver', where);
  if (typeof name !== 'string' || !drivers.includes(name))
    report.error(
      `${field}.name`,
      name,
      `is not a storage driver zot ${report.version} supports (${drivers.join(', ')}): zot refuses it ("unsupported storage driver")`,
    );
  // distribution registry/storage/driver/{s3-aws,gcs,azure} FromParameters at the version zot vendors (lib/zot/storage-driver.ts)
  else
    for (const p of storageDriverProblems(cfg.storageDriver, field, report.version))
      report.error(p.field, p.secret ? undefined : p.value, p.reason);
  needsDownloadDir(field);
}

// zot v2.1.14..v2.1.20 pkg/storage/storage.go: New (controller Init): "no storage config provided"
export function validateRootDirectory(s: GlobalStorageConfig, report: Report): void {
  if (!nonEmpty(s.rootDirectory))
    report.error(
      fieldPath(whereOf(s, 'storage'), 'rootDirectory'),
      s.rootDirectory,
      'is empty: zot loads the config but its controller refuses to start without a storage root directory (storage.New: ErrImgStoreNotFound)',
    );
}
