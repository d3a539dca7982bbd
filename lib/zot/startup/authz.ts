// zot's start-up rules for access control (pkg/cli/server/root.go: validateAuthzPolicies,
// validateConfiguration; pkg/api/config/config.go: ContainsOnlyAnonymousPolicy, ContainsOnlyMetricsAnonymousPolicy),
// and what zot accepts there that does not do what it looks like (pkg/api/authz.go).
import { validatePattern } from '../glob';
import { OAUTH2_PROVIDERS, OPENID_PROVIDERS, isMtlsOn } from './authn';
import { atMapKey, fieldPath, indexPath, nonEmpty, present, Report, SPELLING, whereOf } from './report';
import { AccessControl, AuthConfig, Condition, DefaultedConfig, Policy, PolicyGroup } from './types';

const KNOWN_ACTIONS = ['read', 'create', 'update', 'delete', 'detectManifestCollision']; // zot pkg/api/constants/consts.go: *Permission

const len = (x: unknown) => (Array.isArray(x) ? x.length : 0);

/** The access-control block as the rules walk it: its path, its repositories with their paths, the admin policy. */
interface Authz {
  readonly ac: AccessControl;
  readonly where: string;
  readonly repos: Array<[string, PolicyGroup, string]>;
  readonly admin: Policy;
  readonly adminWhere: string;
}

function authzOf(ac: AccessControl): Authz {
  const where = whereOf(ac, 'http.accessControl');
  const map = ac.repositories ?? {};
  const repos = Object.entries(map).map(([glob, pg]): [string, PolicyGroup, string] => [
    glob,
    pg,
    atMapKey(map, glob, fieldPath(where, 'repositories')),
  ]);
  const admin = ac.adminPolicy ?? {};
  return { ac, where, repos, admin, adminWhere: whereOf(admin, fieldPath(where, 'adminPolicy')) };
}

/** zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateAuthzPolicies (when accessControl is set) and what zot accepts there. */
export function validateAuthz(c: DefaultedConfig, report: Report): void {
  const ac = c.http.accessControl;
  if (!present(ac)) return;
  const z = authzOf(ac);
  const auth = c.http.auth;
  const { authenticated, anonymous } = policyKinds(z);
  // zot v2.1.14..v2.1.20 pkg/api/config/config.go: ContainsOnlyAnonymousPolicy (adminPolicy groups and policy groups are not counted)
  const onlyAnonymous = authenticated.length === 0 && anonymous;
  if (!authnOn(c, report) && !onlyAnonymous && !onlyMetricsAnonymous(z, report)) {
    const rules = [...new Set(authenticated)];
    const why = rules.length
      ? `grants authenticated users access (${rules.join(', ')})`
      : 'has no anonymousPolicy on any repository (zot counts such a block as not anonymous-only)';
    report.error(
      z.where,
      undefined,
      `${why} but no authentication is configured (htpasswd, ldap, openid, apikey, bearer or mTLS): zot refuses it ("access control config requires one of htpasswd, ldap, openid or mTLS authentication or using only 'anonymousPolicy' policies", validateAuthzPolicies)`,
    );
  }
  // zot v2.1.17 pkg/cli/server/root.go: validateAuthzPolicies → api.CompileAccessControl: every condition is a CEL program compiled at start-up
  if (report.at('v2.1.17')) validateConditions(z, report);
  warnActions(z, report);
  warnGroupCase(z, report);
  warnAnonymousMix(z, auth, anonymous && authenticated.length > 0, report);
}

/** The rules that grant authenticated users something, and whether any repository has an anonymousPolicy. */
function policyKinds(z: Authz): { authenticated: string[]; anonymous: boolean } {
  const authenticated: string[] = [];
  if (len(z.admin.actions) + len(z.admin.users) > 0) authenticated.push(z.adminWhere);
  let anonymous = false;
  for (const [, pg, gw] of z.repos) {
    if (len(pg.defaultPolicy) > 0) authenticated.push(`${gw}.defaultPolicy`);
    if (len(pg.anonymousPolicy) > 0) anonymous = true;
    (pg.policies ?? []).forEach((p, i) => {
      if (present(p) && len(p.actions) + len(p.users) > 0) authenticated.push(indexPath(`${gw}.policies`, i));
    });
  }
  return { authenticated, anonymous };
}

/** zot pkg/api/config/config.go: IsBasicAuthnEnabled / IsOpenIDAuthEnabled / IsBearerAuthEnabled / IsMTLSAuthEnabled. */
function authnOn(c: DefaultedConfig, report: Report): boolean {
  const auth = c.http.auth;
  const openidOn = Object.keys(auth.openid?.providers ?? {}).some(
    (p) => OPENID_PROVIDERS.includes(p) || OAUTH2_PROVIDERS.includes(p),
  );
  const basic = nonEmpty(auth.htpasswd?.path) || present(auth.ldap) || openidOn || auth.apikey === true;
  const b = auth.bearer;
  const bearerOn =
    present(b) &&
    ((nonEmpty(b.cert) && nonEmpty(b.realm) && nonEmpty(b.service)) ||
      (report.at('v2.1.15') && present(b.awsSecretsManager) && nonEmpty(b.realm) && nonEmpty(b.service)) ||
      (b.oidc ?? []).some((o) => present(o) && nonEmpty(o.issuer) && len(o.audiences) > 0));
  return basic || isMtlsOn(c.http) || bearerOn;
}

/** zot v2.1.18 pkg/api/config/config.go: ContainsOnlyMetricsAnonymousPolicy. */
function onlyMetricsAnonymous(z: Authz, report: Report): boolean {
  return (
    report.at('v2.1.18') &&
    len(z.admin.actions) + len(z.admin.users) + len(z.admin.groups) === 0 &&
    z.repos.length === 0 &&
    Object.keys(z.ac.groups ?? {}).length === 0 &&
    (z.ac.metrics?.anonymousPolicy ?? []).includes('read')
  );
}

/** zot v2.1.17 validateAuthzPolicies → CompileAccessControl: an empty condition is refused; the others are CEL, not compiled here. */
function validateConditions(z: Authz, report: Report): void {
  const conditions: Array<[string, Condition | undefined]> = [];
  const collect = (p: Policy | undefined, pw: string) =>
    (p?.conditions ?? []).forEach((cond, i) => conditions.push([indexPath(`${pw}.conditions`, i), cond]));
  for (const [, pg, gw] of z.repos) (pg.policies ?? []).forEach((p, i) => collect(p, indexPath(`${gw}.policies`, i)));
  collect(z.admin, z.adminWhere);
  for (const [field, cond] of conditions) {
    const expr = cond?.expression;
    if (typeof expr !== 'string' || expr.trim() === '')
      report.error(
        `${field}.expression`,
        expr,
        'is empty: zot compiles each condition with CEL at start-up and an empty expression does not parse, so it refuses the config (validateAuthzPolicies → CompileAccessControl)',
      );
    else
      report.warn(
        `${field}.expression`,
        expr,
        'is a CEL expression zot compiles at start-up (only the variable `req` is declared) and refuses if it does not compile: not compiled here',
      );
  }
}

/** zot v2.1.14..v2.1.20 pkg/api/authz.go: actions are compared with slices.Contains, exact strings; repository keys are lower-cased. */
function warnActions(z: Authz, report: Report): void {
  const checkActions = (actions: unknown[] | undefined, field: string) =>
    (actions ?? []).forEach((a, i) => {
      if (a !== undefined && !(typeof a === 'string' && KNOWN_ACTIONS.includes(a)))
        report.warn(
          indexPath(field, i),
          a,
          `is not an action zot checks (${KNOWN_ACTIONS.join(', ')}; exact spelling): it grants nothing`,
        );
    });
  const spelled = z.ac.repositories && SPELLING.get(z.ac.repositories);
  for (const [glob, pg, gw] of z.repos) {
    if (glob !== (spelled?.get(glob) ?? glob))
      report.warn(gw, undefined, `is lower-cased by viper: zot matches repositories against '${glob}'`);
    (pg.policies ?? []).forEach((p, i) => checkActions(p?.actions, indexPath(`${gw}.policies`, i) + '.actions'));
    checkActions(pg.defaultPolicy, `${gw}.defaultPolicy`);
    checkActions(pg.anonymousPolicy, `${gw}.anonymousPolicy`);
  }
  checkActions(z.admin.actions, `${z.adminWhere}.actions`);
}

/** zot v2.1.14..v2.1.20 viper util.go: insensitiviseMap lower-cases the accessControl.groups keys; policies name groups by value (case-sensitive). */
function warnGroupCase(z: Authz, report: Report): void {
  const defined = z.ac.groups ?? {};
  const groups = Object.keys(defined);
  const referenced: Array<[string, unknown]> = [];
  for (const [, pg, gw] of z.repos)
    (pg.policies ?? []).forEach((p, i) =>
      (p?.groups ?? []).forEach((g, j) => referenced.push([`${indexPath(`${gw}.policies`, i)}.groups[${j}]`, g])),
    );
  (z.admin.groups ?? []).forEach((g, j) => referenced.push([`${z.adminWhere}.groups[${j}]`, g]));
  for (const [field, g] of referenced) {
    if (typeof g === 'string' && !groups.includes(g) && groups.includes(g.toLowerCase())) {
      report.warn(
        field,
        g,
        `names a group defined as '${SPELLING.get(defined)?.get(g.toLowerCase()) ?? g}', which viper lower-cases to '${g.toLowerCase()}': zot compares group names exactly, so this policy never applies to that group's users`,
      );
    }
  }
}

/** zot < v2.1.16 pkg/api/authn.go: basicAuthHandler answers /v2/ with 200 to anonymous clients; fixed in v2.1.16 (commit 7ceb01dc, #3868). */
function warnAnonymousMix(z: Authz, auth: AuthConfig, mixed: boolean, report: Report): void {
  if (report.at('v2.1.16') || !mixed) return;
  if (!(nonEmpty(auth.htpasswd?.path) || present(auth.ldap) || auth.apikey === true)) return;
  report.warn(
    z.where,
    undefined,
    `mixes anonymousPolicy with authenticated-only rules: zot ${report.version} answers /v2/ with 200 to anonymous clients, so docker never sends its stored credentials and pushes to protected repositories fail (fixed in zot v2.1.16, pkg/api/authn.go)`,
  );
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateConfiguration: "failed to compile authorization pattern" (doublestar ValidatePattern)
export function validateAuthzGlobs(c: DefaultedConfig, report: Report): void {
  const repos = c.http.accessControl?.repositories;
  if (!present(repos)) return;
  for (const glob of Object.keys(repos)) {
    if (!validatePattern(glob))
      report.error(
        atMapKey(repos, glob, 'http.accessControl.repositories'),
        undefined,
        'is not a glob zot can compile (doublestar ValidatePattern: an unclosed [ or {, an empty [], a } without {, or a trailing \\): zot refuses it',
      );
  }
}
