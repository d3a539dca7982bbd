// zot's checks after the decode and applyDefaultValues, in zot's order (pkg/cli/server/root.go:
// LoadConfiguration, validateConfiguration and everything it calls; pkg/storage/storage.go: New), then
// what zot accepts but ignores or replaces. Each area's rules are in its own file.
import { goParseInt } from '../../go/strconv';
import { goLen } from '../../go/strings';
import {
  validateBearer,
  validateLdap,
  validateMtls,
  validateOpenId,
  validateSecretFiles,
  validateSessionDriver,
} from './authn';
import { validateAuthz, validateAuthzGlobs } from './authz';
import { DIST_SPEC_VERSION } from './defaults';
import { validateExtensions } from './extensions';
import { at, fieldPath, indexPath, nonEmpty, present, Report, whereOf } from './report';
import {
  validateCache,
  validateGC,
  validateRootDirectory,
  validateStorageDrivers,
  validateStoreRoots,
} from './storage';
import { validateSync } from './sync';
import { DefaultedConfig } from './types';

const LOG_LEVELS = ['debug', 'trace', 'info', 'warn', 'warning', 'error', 'fatal', 'panic'];

/** Every start-up rule zot applies to its loaded config, in zot's order. */
export function validate(c: DefaultedConfig, report: Report): void {
  const auth = c.http.auth;
  // --- LoadConfiguration, before applyDefaultValues ---
  validateLog(c, report);
  validateSecretFiles(auth, report);
  // --- validateConfiguration, in zot's order ---
  validatePort(c, report);
  validateGC(c.storage, report);
  validateLdap(auth, report);
  validateMtls(c.http, report);
  validateOpenId(auth, report);
  validateBearer(auth, report);
  validateSync(c, report);
  validateStoreRoots(c.storage, report);
  validateCache(c.storage, report);
  validateSessionDriver(auth, report);
  validateExtensions(c, report);
  validateAuthz(c, report);
  // zot v2.1.14 pkg/cli/server/root.go: validateConfiguration / v2.1.15..v2.1.20 pkg/cli/server/root.go: validateStorageConfigSection
  validateStorageDrivers(c, report);
  validateAuthzGlobs(c, report);
  validateCluster(c, report);
  warnDistSpecVersion(c, report);
  validateRootDirectory(c.storage, report);
  // --- what zot accepts but ignores or replaces ---
  warnIgnored(c, report);
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration: zlog.ParseLevel; pkg/log/log.go: the log files. */
function validateLog(c: DefaultedConfig, report: Report): void {
  // pkg/log/log.go: ParseLevel is case-insensitive
  if (!LOG_LEVELS.includes(String(c.log.level).toLowerCase())) {
    report.error(
      at(c.log, 'level', 'log'),
      c.log.level,
      'is not a log level zot knows (debug, trace, info, warn, warning, error, fatal, panic): zot refuses it (LoadConfiguration: zlog.ParseLevel)',
    );
  }
  // zot v2.1.14..v2.1.20 pkg/log/log.go: NewLogger / NewAuditLogger panic when the file cannot be opened
  for (const key of ['output', 'audit'] as const) {
    if (nonEmpty(c.log[key]))
      report.warn(
        at(c.log, key, 'log'),
        c.log[key],
        'is a file zot opens (append, create) at start-up: it panics and exits if the directory is missing or read-only in the pod (pkg/log: NewLogger)',
      );
  }
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateHTTP: strconv.ParseInt(port, 10, 64) in 0..65535 (an empty port is not checked). */
function validatePort(c: DefaultedConfig, report: Report): void {
  const port = String(c.http.port);
  if (port === '') return;
  const n = goParseInt(port, 10);
  if (n === undefined || n < 0n || n > 65535n)
    report.error(
      at(c.http, 'port', 'http'),
      c.http.port,
      'is not a port zot accepts (an integer 0 to 65535 written in decimal): zot refuses it (validateHTTP)',
    );
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateClusterConfig. */
function validateCluster(c: DefaultedConfig, report: Report): void {
  const cluster = c.cluster;
  if (!present(cluster)) return;
  const where = whereOf(cluster, 'cluster');
  if (!nonEmpty(cluster.members))
    report.error(
      fieldPath(where, 'members'),
      cluster.members,
      'is empty: zot refuses a cluster with no members ("cannot have 0 members in a scale out cluster", validateClusterConfig)',
    );
  const key = cluster.hashKey ?? '';
  if (goLen(key) !== 16)
    report.error(
      at(cluster, 'hashKey', where),
      undefined,
      `is ${goLen(key)} bytes long: zot refuses any hashKey that is not exactly 16 (siphash needs a 128-bit key, validateClusterConfig)`,
    );
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration → updateDistSpecVersion. */
function warnDistSpecVersion(c: DefaultedConfig, report: Report): void {
  if (c.distSpecVersion !== DIST_SPEC_VERSION)
    report.warn(
      at(c, 'distSpecVersion'),
      c.distSpecVersion,
      `differs from the distribution-spec version zot ${report.version} implements (${DIST_SPEC_VERSION}): zot uses ${DIST_SPEC_VERSION} and logs a warning (updateDistSpecVersion)`,
    );
}

/** Build fields and compat modes zot accepts and does nothing with (or replaces). */
function warnIgnored(c: DefaultedConfig, report: Report): void {
  for (const key of ['goVersion', 'commit', 'releaseTag', 'binaryType']) {
    // zot v2.1.14..v2.1.20 pkg/api/config/config.go: Config: build fields are ordinary keys to mapstructure
    if (c[key] !== undefined)
      report.warn(
        at(c, key),
        c[key],
        'replaces the build information zot reports about itself (these Config fields are not settings)',
      );
  }
  const compat = c.http.compat ?? [];
  compat.forEach((mode, i) => {
    // zot v2.1.14..v2.1.20 pkg/compat/compat.go: DockerManifestV2SchemaV2 is the only mode pkg/storage/common acts on
    if (mode !== 'docker2s2')
      report.warn(
        indexPath(whereOf(compat, 'http.compat'), i),
        mode,
        "is not a compat mode zot knows ('docker2s2'): zot accepts it and does nothing with it",
      );
  });
}
