// Which authentication zot really runs with: decided on the config as zot loads it (viper drops
// empty maps, "::" keys win over nested ones, keys are lower-cased: lib/zot/startup.ts
// loadZotConfig), by zot's own predicates at the deployed version.
//
// Read at every tag v2.1.14..v2.1.20 (project-zot/zot):
//   pkg/api/config/config.go  AuthConfig.IsHtpasswdAuthEnabled (htpasswd.path != ""),
//     IsLdapAuthEnabled (ldap != nil), IsOpenIDAuthEnabled (a provider named google, gitlab or oidc
//     (openIDSupportedProviders) or github (oauth2SupportedProviders)), IsAPIKeyEnabled (apikey),
//     IsBasicAuthnEnabled (any of those four), IsTraditionalBearerAuthEnabled (cert, realm and
//     service all non-empty; from v2.1.15 also awsSecretsManager with realm and service:
//     IsTraditionalBearerAuthEnabledWithASM), IsOIDCBearerAuthEnabled (BearerOIDCConfigs.IsEnabled:
//     an entry with an issuer and at least one audience), Config.IsMTLSAuthEnabled (http.tls key,
//     cert and cacert all non-empty);
//   pkg/api/authn.go  AuthHandler: bearer, when enabled, is the only handler; otherwise
//     tryAuthnHandlers, whose `case !authConfig.IsBasicAuthnEnabled() && !IsMTLSAuthEnabled():
//     authenticated = true` lets every request through when none of the others is enabled.
import { compareZotVersions, normalizeZotVersion } from './config-keys';

/** An authentication method zot runs with. */
export type ZotAuthMethod =
  'htpasswd' | 'ldap' | 'openid' | 'apikey' | 'bearer' | 'bearer-oidc' | 'bearer-aws-secrets-manager' | 'mtls';

// zot v2.1.14..v2.1.20 pkg/api/config/config.go: openIDSupportedProviders, oauth2SupportedProviders
const OPENID_PROVIDERS = ['google', 'gitlab', 'oidc', 'github'];

/** An object's value at a key, case-insensitively (viper lower-cases every key; zot's struct names are camelCase). */
function get(x: unknown, key: string): unknown {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
const present = (x: unknown) => x !== undefined && x !== null;
const nonEmpty = (x: unknown) => typeof x === 'string' && x !== '';

/**
 * The authentication methods zot v`zotVersion` enables for a loaded config (`loadZotConfig(...).config`).
 * With bearer enabled it is the only one zot uses (AuthHandler); [] means zot lets every request
 * through as if it were allowed everything (tryAuthnHandlers).
 */
export function enabledAuthentication(loaded: unknown, zotVersion: string): ZotAuthMethod[] {
  const http = get(loaded, 'http');
  const auth = get(http, 'auth');
  const bearer = get(auth, 'bearer');
  const out: ZotAuthMethod[] = [];
  if (present(bearer)) {
    if (nonEmpty(get(bearer, 'cert')) && nonEmpty(get(bearer, 'realm')) && nonEmpty(get(bearer, 'service')))
      out.push('bearer');
    const oidc = get(bearer, 'oidc');
    if (
      Array.isArray(oidc) &&
      oidc.some(
        (o) =>
          nonEmpty(get(o, 'issuer')) &&
          Array.isArray(get(o, 'audiences')) &&
          (get(o, 'audiences') as unknown[]).length > 0,
      )
    )
      out.push('bearer-oidc');
    const asmFrom = compareZotVersions(normalizeZotVersion(zotVersion), 'v2.1.15') >= 0;
    if (
      asmFrom &&
      present(get(bearer, 'awsSecretsManager')) &&
      nonEmpty(get(bearer, 'realm')) &&
      nonEmpty(get(bearer, 'service'))
    )
      out.push('bearer-aws-secrets-manager');
    // pkg/api/authn.go AuthHandler: bearer replaces every other handler
    if (out.length) return out;
  }
  if (nonEmpty(get(get(auth, 'htpasswd'), 'path'))) out.push('htpasswd');
  if (present(get(auth, 'ldap'))) out.push('ldap');
  const providers = get(get(auth, 'openid'), 'providers');
  if (
    typeof providers === 'object' &&
    providers !== null &&
    Object.keys(providers).some((p) => OPENID_PROVIDERS.includes(p.toLowerCase()))
  )
    out.push('openid');
  if (get(auth, 'apikey') === true) out.push('apikey');
  const tls = get(http, 'tls');
  if (nonEmpty(get(tls, 'key')) && nonEmpty(get(tls, 'cert')) && nonEmpty(get(tls, 'cacert'))) out.push('mtls');
  return out;
}
