// zot's start-up rules for authentication (pkg/cli/server/root.go: updateLDAPConfig, updateOpenIDConfig,
// loadSessionKeys, validateLDAP, validateMTLS, validateOpenIDConfig, validateBearerConfig,
// validateRemoteSessionStoreConfig).
import { equalFold } from '../../go/strings';
import { goParseUrl } from '../../go/url';
import { at, atMapKey, checkRegexp, fieldPath, nonEmpty, present, Report, shown, SPELLING, whereOf } from './report';
import { AuthConfig, Bearer, DefaultedConfig, HttpConfig, Mtls, OpenIdProvider, UpstreamTokenEndpoint } from './types';

export const OPENID_PROVIDERS = ['google', 'gitlab', 'oidc']; // zot pkg/api/config/config.go: openIDSupportedProviders
export const OAUTH2_PROVIDERS = ['github']; // zot pkg/api/config/config.go: oauth2SupportedProviders
const MTLS_IDENTITY_ATTRIBUTES = [
  'CommonName',
  'CN',
  'Subject',
  'DN',
  'Email',
  'rfc822name',
  'URI',
  'URL',
  'DNSName',
  'DNS',
]; // pkg/cli/server/root.go: validateMTLS

/** The OpenID providers, each with its key path as written. */
function providers(auth: AuthConfig): Array<[string, OpenIdProvider, string]> {
  const map = auth.openid?.providers;
  if (!map) return [];
  return Object.entries(map).map(([name, p]) => [name, p, atMapKey(map, name, 'http.auth.openid.providers')]);
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: updateLDAPConfig / updateOpenIDConfig / loadSessionKeys → readSecretFile. */
export function validateSecretFiles(auth: AuthConfig, report: Report): void {
  if (present(auth.ldap) && nonEmpty(auth.ldap.credentialsFile)) {
    report.warn(
      at(auth.ldap, 'credentialsFile', 'http.auth.ldap'),
      auth.ldap.credentialsFile,
      'is read while zot loads its config: it must exist in the pod and hold exactly bindDN and bindPassword, or zot exits (updateLDAPConfig → readSecretFile)',
    );
  }
  if (nonEmpty(auth.sessionKeysFile)) {
    report.warn(
      at(auth, 'sessionKeysFile', 'http.auth'),
      auth.sessionKeysFile,
      'is read while zot loads its config: it must exist in the pod and hold only hashKey and encryptKey, or zot exits (loadSessionKeys → readSecretFile)',
    );
  }
  for (const [, p, where] of providers(auth)) {
    if (nonEmpty(p.credentialsFile)) {
      report.warn(
        fieldPath(where, SPELLING.get(p)?.get('credentialsFile') ?? 'credentialsFile'),
        p.credentialsFile,
        'is read while zot loads its config: it must exist in the pod and hold exactly clientid and clientsecret, or zot exits (updateOpenIDConfig → readSecretFile)',
      );
    } else {
      report.warn(
        where,
        undefined,
        'has no credentialsFile: zot logs "deprecated: use the new OpenID provider credentialsfile instead of clientid and clientsecret" (updateOpenIDConfig)',
      );
    }
  }
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateLDAP: userAttribute, address and baseDN are mandatory. */
export function validateLdap(auth: AuthConfig, report: Report): void {
  if (!present(auth.ldap)) return;
  for (const key of ['userAttribute', 'address', 'baseDN']) {
    if (!nonEmpty(auth.ldap[key]))
      report.error(
        fieldPath(whereOf(auth.ldap, 'http.auth.ldap'), key),
        undefined,
        `is missing: zot refuses an ldap block without it ("invalid LDAP configuration, missing mandatory key", validateLDAP)`,
      );
  }
}

/** zot pkg/api/config/config.go: IsMTLSAuthEnabled: http.tls with key, cert and cacert. */
export const isMtlsOn = (http: HttpConfig): boolean =>
  present(http.tls) && nonEmpty(http.tls.key) && nonEmpty(http.tls.cert) && nonEmpty(http.tls.cacert);

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateMTLS. */
export function validateMtls(http: DefaultedConfig['http'], report: Report): void {
  const m = http.auth.mtls;
  if (!present(m)) return;
  const where = whereOf(m, 'http.auth.mtls');
  if (!isMtlsOn(http))
    report.error(
      where,
      undefined,
      'needs http.tls with cert, key and cacert: zot refuses it ("mTLS configuration requires TLS to be enabled with CA certificate", validateMTLS)',
    );
  const attrs = (m.identityAttributes ?? []).filter((a): a is string => typeof a === 'string');
  const unknown = attrs.filter((a) => !MTLS_IDENTITY_ATTRIBUTES.some((k) => equalFold(a.trim(), k)));
  if (unknown.length)
    report.error(
      at(m, 'identityAttributes', where),
      unknown,
      `names identity attributes zot does not know (${MTLS_IDENTITY_ATTRIBUTES.join(', ')}): zot refuses it (validateMTLS)`,
    );
  const useSan = attrs.some((a) => ['uri', 'url'].includes(a.trim().toLowerCase()));
  validateSanOptions(m, where, useSan, report);
}

/** validateMTLS: the SAN indexes and pattern need the URI/URL identity attribute; the pattern must compile. */
function validateSanOptions(m: Mtls, where: string, useSan: boolean, report: Report): void {
  for (const key of ['dnsSanIndex', 'emailSanIndex', 'uriSanIndex']) {
    if (m[key] && !useSan)
      report.error(
        at(m, key, where),
        m[key],
        'is only supported with the URI/URL identity attribute: zot refuses it (validateMTLS)',
      );
  }
  if (!nonEmpty(m.uriSanPattern)) return;
  if (!useSan)
    report.error(
      at(m, 'uriSanPattern', where),
      m.uriSanPattern,
      'is only supported with the URI/URL identity attribute: zot refuses it (validateMTLS)',
    );
  else
    checkRegexp(
      m.uriSanPattern,
      at(m, 'uriSanPattern', where),
      'zot refuses it (validateMTLS: regexp.Compile)',
      report,
    );
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateOpenIDConfig (after updateOpenIDConfig read any credentialsFile). */
export function validateOpenId(auth: AuthConfig, report: Report): void {
  for (const [name, p, where] of providers(auth)) {
    const fromFile = nonEmpty(p.credentialsFile);
    if (OPENID_PROVIDERS.includes(name)) {
      if ((!fromFile && !nonEmpty(p.clientid)) || !nonEmpty(p.issuer) || !nonEmpty(p.scopes)) {
        report.error(
          where,
          undefined,
          'needs clientid (or a credentialsFile), issuer and scopes: zot refuses it ("OpenID provider config requires clientid, issuer and scopes parameters", validateOpenIDConfig)',
        );
      }
    } else if (OAUTH2_PROVIDERS.includes(name)) {
      if ((!fromFile && !nonEmpty(p.clientid)) || !nonEmpty(p.scopes)) {
        report.error(
          where,
          undefined,
          'needs clientid (or a credentialsFile) and scopes: zot refuses it ("OAuth2 provider config requires clientid and scopes parameters", validateOpenIDConfig)',
        );
      }
    } else {
      report.error(
        where,
        undefined,
        `is not a provider zot supports (${[...OPENID_PROVIDERS, ...OAUTH2_PROVIDERS].join(', ')}): zot refuses it ("unsupported openid/oauth2 provider", validateOpenIDConfig)`,
      );
    }
  }
}

/** zot v2.1.15..v2.1.20 pkg/cli/server/root.go: validateBearerConfig. */
export function validateBearer(auth: AuthConfig, report: Report): void {
  const bearer = auth.bearer;
  if (!report.at('v2.1.15') || !present(bearer)) return;
  const where = whereOf(bearer, 'http.auth.bearer');
  // zot v2.1.19 pkg/cli/server/root.go: validateBearerConfig: upstreamTokenEndpoint
  const up = bearer.upstreamTokenEndpoint;
  if (report.at('v2.1.19') && present(up))
    validateUpstream(up, whereOf(up, fieldPath(where, 'upstreamTokenEndpoint')), report);
  if (nonEmpty(bearer.cert) && present(bearer.awsSecretsManager))
    report.error(where, undefined, 'has both cert and awsSecretsManager: zot refuses it (validateBearerConfig)');
  validateAwsSecretsManager(bearer, where, report);
}

/** zot v2.1.19 pkg/cli/server/root.go: validateBearerConfig: upstreamTokenEndpoint realm and service, https unless allowInsecureHttp. */
function validateUpstream(up: UpstreamTokenEndpoint, upWhere: string, report: Report): void {
  if (!nonEmpty(up.realm) || !nonEmpty(up.service)) {
    report.error(
      upWhere,
      undefined,
      'needs both realm and service: zot refuses it ("upstreamTokenEndpoint.realm and upstreamTokenEndpoint.service must be configured together", validateBearerConfig)',
    );
    return;
  }
  const u = goParseUrl(up.realm ?? '');
  const field = at(up, 'realm', upWhere);
  if (!u || !u.scheme || !u.host)
    report.error(field, up.realm, 'is not an absolute URL: zot refuses it (validateBearerConfig)');
  else if (equalFold(u.scheme, 'https')) return;
  else if (!equalFold(u.scheme, 'http') || !up.allowInsecureHttp)
    report.error(
      field,
      up.realm,
      'must use https unless allowInsecureHttp is true: zot refuses it (validateBearerConfig)',
    );
  else
    report.warn(
      field,
      up.realm,
      'is plain http with allowInsecureHttp: zot starts and logs that token endpoint credentials may be sent over plaintext HTTP (validateBearerConfig)',
    );
}

/** zot v2.1.15..v2.1.20 pkg/cli/server/root.go: validateBearerConfig: awsSecretsManager region, secretName, refreshInterval. */
function validateAwsSecretsManager(bearer: Bearer, where: string, report: Report): void {
  const asm = bearer.awsSecretsManager;
  if (!present(asm)) return;
  const asmWhere = whereOf(asm, fieldPath(where, 'awsSecretsManager'));
  if (!nonEmpty(asm.region))
    report.error(
      fieldPath(asmWhere, 'region'),
      undefined,
      'is missing: zot refuses it ("awsSecretsManager region must be specified", validateBearerConfig)',
    );
  if (!nonEmpty(asm.secretName))
    report.error(
      fieldPath(asmWhere, 'secretName'),
      undefined,
      'is missing: zot refuses it ("awsSecretsManager secretName must be specified", validateBearerConfig)',
    );
  if ((asm.refreshInterval ?? 0) < 0)
    report.error(
      at(asm, 'refreshInterval', asmWhere),
      shown(asm, 'refreshInterval'),
      'is negative: zot refuses it (validateBearerConfig)',
    );
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateRemoteSessionStoreConfig. */
export function validateSessionDriver(auth: AuthConfig, report: Report): void {
  const driver = auth.sessionDriver;
  if (!present(driver)) return;
  const where = whereOf(driver, 'http.auth.sessionDriver');
  const name = driver.name;
  if (!('name' in driver))
    report.error(
      where,
      undefined,
      'has no name: zot refuses it ("must provide session driver name!", validateRemoteSessionStoreConfig)',
    );
  else if (name !== 'redis' && name !== 'local')
    report.error(
      fieldPath(where, 'name'),
      name,
      'is not a session driver zot allows (redis or local): zot refuses it (validateRemoteSessionStoreConfig)',
    );
  else if (name === 'redis' && nonEmpty(auth.sessionKeysFile))
    report.error(
      at(auth, 'sessionKeysFile', 'http.auth'),
      auth.sessionKeysFile,
      'cannot be used with the redis session driver: zot refuses it ("session keys not supported when redis session driver is used!", validateRemoteSessionStoreConfig)',
    );
}
