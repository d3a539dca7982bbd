// zot's start-up rules for the sync extension (pkg/cli/server/root.go: validateSync;
// pkg/cli/server/validate_sync_enabled.go; zot v2.1.19 pkg/extensions/config/sync/config.go).
import { OAUTH2_HELPER_KEYS, ZOT_MAIN } from '../config-keys';
import { validatePattern } from '../glob';
import { goPathClean } from '../../go/path';
import { goParseUrl } from '../../go/url';
import { decode, UNKNOWN_KEY } from './decode';
import {
  at,
  checkRegexp,
  fieldPath,
  hasEntries,
  indexPath,
  isPlain,
  nonEmpty,
  present,
  Report,
  shown,
  whereOf,
} from './report';
import { DefaultedConfig, SyncContent, SyncRegistry } from './types';

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'; // zot v2.1.19 pkg/extensions/config/sync/config.go: TokenExchangeGrantType

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateSync, for each registry. */
export function validateSync(c: DefaultedConfig, report: Report): void {
  const sync = c.extensions?.sync;
  const registries = sync?.registries ?? [];
  const compatOn = (c.http.compat ?? []).length > 0; // config.go: IsCompatEnabled
  registries.forEach((r, i) => {
    if (!present(r)) return;
    const where = indexPath(whereOf(registries, 'extensions.sync.registries'), i);
    if (report.model.main) validateSyncOnMain(r, where, report);
    validateRetries(r, where, report);
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateSync: preserveDigest needs http.compat
    if (r.preserveDigest && !compatOn)
      report.error(
        at(r, 'preserveDigest', where),
        true,
        'needs http.compat (e.g. ["docker2s2"]): zot refuses it ("can not use PreserveDigest option without enabling http.Compat", validateSync)',
      );
    (r.content ?? []).forEach((content, j) => {
      if (present(content)) validateContent(c, content, indexPath(at(r, 'content', where), j), report);
    });
  });
}

/** validateSync: retryDelay with maxRetries; (v2.1.19) maxRetryDelay and the oauth2 credential helper. */
function validateRetries(r: SyncRegistry, where: string, report: Report): void {
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateSync: "retryDelay is required when using maxRetries"
  if (r.maxRetries !== undefined && r.retryDelay === undefined)
    report.error(
      at(r, 'maxRetries', where),
      r.maxRetries,
      'is set without retryDelay: zot refuses it ("retryDelay is required when using maxRetries", validateSync)',
    );
  if (!report.at('v2.1.19')) return;
  // zot v2.1.19 pkg/cli/server/root.go: validateSync: maxRetryDelay needs retryDelay and must not be smaller
  if (r.maxRetryDelay !== undefined && r.retryDelay === undefined)
    report.error(
      at(r, 'maxRetryDelay', where),
      shown(r, 'maxRetryDelay'),
      'is set without retryDelay: zot refuses it (validateSync)',
    );
  else if (r.maxRetryDelay !== undefined && r.retryDelay !== undefined && r.maxRetryDelay < r.retryDelay)
    report.error(
      at(r, 'maxRetryDelay', where),
      shown(r, 'maxRetryDelay'),
      `is smaller than retryDelay (${shown(r, 'retryDelay')}): zot refuses it ("maxRetryDelay must be greater than or equal to retryDelay", validateSync)`,
    );
  if (r.credentialHelper === 'oauth2') validateOAuth2Helper(r, where, report);
  else if (hasEntries(r.oauth2CredentialHelper))
    report.warn(
      at(r, 'oauth2CredentialHelper', where),
      undefined,
      `is only read when credentialHelper is 'oauth2': zot ignores it`,
    );
}

/** validateSync for one content entry: the prefix glob, the tag regexes, stripPrefix, retention overlaps. */
function validateContent(c: DefaultedConfig, content: SyncContent, cw: string, report: Report): void {
  const prefix = content.prefix ?? '';
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateSync: "sync prefix could not be compiled" (doublestar ValidatePattern)
  if (!validatePattern(prefix))
    report.error(
      at(content, 'prefix', cw),
      prefix,
      'is not a glob zot can compile: zot refuses it ("sync prefix could not be compiled", validateSync)',
    );
  const tags = content.tags;
  if (present(tags)) {
    const tw = fieldPath(cw, 'tags');
    checkRegexp(
      tags.regex,
      at(tags, 'regex', tw),
      'zot refuses it ("sync content regex could not be compiled", validateSync)',
      report,
    );
    checkRegexp(
      tags.excludeRegex,
      at(tags, 'excludeRegex', tw),
      'zot refuses it ("sync content excludeRegex could not be compiled", validateSync)',
      report,
    );
  }
  if (content.stripPrefix && !String(prefix).includes('/*') && content.destination === '/') {
    report.error(
      cw,
      undefined,
      `has stripPrefix true and destination '/' but no glob in prefix: zot refuses it (validateSync)`,
    );
  }
  // zot v2.1.14..v2.1.20 pkg/cli/server/validate_sync_enabled.go: validateRetentionSyncOverlaps (content without destination)
  if (!nonEmpty(content.destination) && retentionRepositories(c).includes(prefix)) {
    report.warn(
      at(content, 'prefix', cw),
      prefix,
      'is also a retention policy repository: zot logs that retention may remove images sync brings in (validateRetentionSyncOverlaps)',
    );
  }
}

/** Every retention policy repository, a subpath's joined to its route (validateRetentionSyncOverlaps). */
function retentionRepositories(c: DefaultedConfig): Array<string | undefined> {
  return [
    ...(c.storage.retention.policies ?? []).flatMap((p) => p?.repositories ?? []),
    ...Object.entries(c.storage.subPaths ?? {}).flatMap(([route, sub]) =>
      (sub.retention?.policies ?? []).flatMap((p) =>
        (p?.repositories ?? []).map((repo) => goPathClean(`${route}/${repo}`).slice(1)),
      ),
    ),
  ];
}

/** The rules zot's main branch (ZOT_MAIN) adds for the sync registry keys it adds, for a version newer than v2.1.20. */
function validateSyncOnMain(r: SyncRegistry, where: string, report: Report): void {
  const why = (msg: string) =>
    `zot refuses it ("${msg}", validateSyncRegistry; zot main ${ZOT_MAIN.commit}, after ${ZOT_MAIN.after})`;
  const interval = r.manifestCheckInterval ?? 0;
  // zot main 6d19b445 pkg/cli/server/root.go: validateRegistryManifestCheckInterval (commit 18261d4f, #4328)
  if (interval < 0)
    report.error(
      at(r, 'manifestCheckInterval', where),
      shown(r, 'manifestCheckInterval'),
      `is negative: ${why('manifestCheckInterval cannot be negative')}`,
    );
  else if (interval > 0 && r.onDemand !== true)
    report.error(
      at(r, 'manifestCheckInterval', where),
      shown(r, 'manifestCheckInterval'),
      `only throttles on-demand checks and onDemand is off: ${why('manifestCheckInterval requires onDemand to be enabled')}`,
    );
  // zot main 6d19b445 pkg/cli/server/root.go: validateSyncReqLimits (commits 5fca8a6d #4322, d00a1000 #4335): set pointers only
  if (r.reqConcurrent !== undefined && r.reqConcurrent <= 0)
    report.error(
      at(r, 'reqConcurrent', where),
      r.reqConcurrent,
      `is not above 0: ${why('reqConcurrent must be greater than 0')}`,
    );
  // zot main 6d19b445 pkg/cli/server/root.go: invalidOptionalPositiveFloat (NaN and ±Inf refused explicitly)
  if (r.reqPerSec !== undefined && !(Number.isFinite(r.reqPerSec) && r.reqPerSec > 0))
    report.error(
      at(r, 'reqPerSec', where),
      Number.isNaN(r.reqPerSec) || !Number.isFinite(r.reqPerSec) ? String(r.reqPerSec) : r.reqPerSec,
      `is not a finite number above 0: ${why('reqPerSec must be a finite value greater than 0')}`,
    );
  if (r.maxIdleConnsPerHost !== undefined && r.maxIdleConnsPerHost <= 0)
    report.error(
      at(r, 'maxIdleConnsPerHost', where),
      r.maxIdleConnsPerHost,
      `is not above 0: ${why('maxIdleConnsPerHost must be greater than 0')}`,
    );
}

/** zot v2.1.19 pkg/extensions/config/sync/config.go: OAuth2HelperConfigFromMap (mitchellh/mapstructure, ErrorUnused): its problems worded for the helper. */
function decodeOAuth2Helper(raw: unknown, field: string, why: string, report: Report): Record<string, unknown> {
  const sub = new Report(report.model);
  const h = decode(OAUTH2_HELPER_KEYS, raw, field, [], sub);
  for (const p of sub.errors)
    report.error(
      p.field,
      p.value,
      p.reason
        .replace('(LoadConfiguration: mapstructure decode error, zot exits)', `(${why})`)
        .replace(UNKNOWN_KEY, 'the helper is decoded with ErrorUnused'),
    );
  for (const p of sub.warnings) report.warn(p.field, p.value, p.reason);
  return isPlain(h) ? h : {};
}

// zot v2.1.19 pkg/extensions/config/sync/config.go: OAuth2HelperConfigFromMap (ErrorUnused) and OAuth2HelperConfig.Validate
function validateOAuth2Helper(r: SyncRegistry, where: string, report: Report): void {
  const field = at(r, 'oauth2CredentialHelper', where);
  const why = 'zot refuses it ("invalid oauth2CredentialHelper config", validateSync)';
  if (!hasEntries(r.oauth2CredentialHelper)) {
    report.error(field, undefined, `is missing while credentialHelper is 'oauth2': ${why}`);
    return;
  }
  const h = decodeOAuth2Helper(r.oauth2CredentialHelper, field, why, report);
  const blank = (x: unknown) => typeof x !== 'string' || x.trim() === '';
  if (blank(h.tokenURL))
    return void report.error(fieldPath(field, 'tokenURL'), h.tokenURL, `is missing or blank: ${why}`);
  if (blank(h.assertionFile) && blank(h.signingFile))
    return void report.error(field, undefined, `needs an assertionFile or a signingFile: ${why}`);
  if (!blank(h.assertionFile) && !blank(h.signingFile))
    return void report.error(field, undefined, `has both assertionFile and signingFile (only one is allowed): ${why}`);
  if (h.grantType !== TOKEN_EXCHANGE_GRANT) {
    if (!blank(h.audience) || !blank(h.subjectTokenType) || !blank(h.requestedTokenType))
      report.error(
        field,
        undefined,
        `sets audience, subjectTokenType or requestedTokenType without the token-exchange grantType: ${why}`,
      );
    return;
  }
  if (blank(h.audience))
    return void report.error(
      fieldPath(field, 'audience'),
      undefined,
      `is required with the token-exchange grantType: ${why}`,
    );
  for (const key of ['subjectTokenType', 'requestedTokenType']) {
    const value = h[key];
    if (typeof value !== 'string' || blank(value)) continue;
    const u = goParseUrl(value);
    if (!u || !u.scheme) report.error(fieldPath(field, key), value, `is not an absolute URI: ${why}`);
  }
}
