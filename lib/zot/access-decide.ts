// Who may do what on which repository, as zot decides it.
//
// zot's rule (zot v2.1.14..v2.1.20 pkg/api/authz.go: AccessController.can, isPermitted, isAdmin;
// the code differs across these tags only as noted where it matters):
//   1. Of the accessControl.repositories keys that glob.Match the repository, take the LONGEST
//      (Go len: bytes). Keys are visited in Go map order and only a strictly longer key replaces the
//      one held, so between two matching keys of equal length the choice depends on map order.
//      When none matches, the key "" is looked up (so a "" key applies to every unmatched name).
//   2. That key's policy group allows the action when: a policy lists the user and the action; or a
//      policy lists one of the user's groups and the action; or defaultPolicy lists the action and
//      the client is signed in (any user name but "", whether or not a policy names it); or
//      anonymousPolicy lists it and the client is anonymous (user ""). Nothing makes anonymousPolicy
//      apply to a signed-in client: a client that sends credentials (docker does whenever it has
//      them) gets anonymousPolicy's actions only if defaultPolicy or its own policies list them too.
//      Other keys are not consulted: a shorter glob's grant does not apply where a longer one matches.
//      (zot v2.1.14..v2.1.20 pkg/api/authz.go isPermitted: `DefaultPolicy ... && username != ""`,
//      `AnonymousPolicy ... && username == ""`; unchanged on main at 6d19b445.)
//   3. If that did not allow it: adminPolicy allows it when the user (or one of the user's groups)
//      is in adminPolicy and adminPolicy.actions lists the action.
//   From v2.1.17 a policy may carry CEL `conditions`; a policy whose conditions are not met grants
//   nothing (decided per request: this model answers 'conditional'). v2.1.14..v2.1.16 have no such
//   field, and zot refuses to start on an unknown key (pkg/cli/server/root.go LoadConfiguration,
//   UnmarshalExact + metaData.Unused).
// Before authz (pkg/api/authn.go AuthnMiddleware, v2.1.14..v2.1.20): a request without credentials
// gets through only when some repository has a non-empty anonymousPolicy (AnonymousPolicyExists) or
// when no authentication method is configured at all (then every client is anonymous). Without
// accessControl, authz is not installed at all (pkg/api/routes.go: `if accessControlConfig != nil`).
// detectManifestCollision is not checked by `can`: it is read through UserAccessControl.Can
// (pkg/requestcontext/user_access_control.go), which answers false for every admin and otherwise
// takes the same longest key's policy group (conditions not evaluated).
// Groups: a user signed in with htpasswd (or mTLS, LDAP) gets the groups accessControl.groups lists
// the user in (authn.go basicAuthn → AccessController.getUserGroups).
//
// What changed across the versions read (git diff of pkg/api/authz.go between the tags):
//   v2.1.14          pushing over an existing tag "latest" is create, not update (DistSpecAuthzHandler).
//   v2.1.15, v2.1.16 identical authz.go: every existing tag is update.
//   v2.1.17, v2.1.18 policy `conditions` (CEL), can() returns a deny reason; v2.1.18 adds
//                    accessControl.metrics.anonymousPolicy (config.go). The decision above is unchanged.
//   v2.1.19, v2.1.20 identical authz.go: a digest push with ?tag= checks create/update for each tag,
//                    and fails closed when the tag list cannot be read.
// Doublestar: v4.9.2 at v2.1.14, v4.10.0 after (glob.ts).

import { ZotFluxError } from '../core/error';
import { ZOT_ACTIONS, ZotAction } from './config';
import { goLength, matchRepository } from './glob';
import {
  DEFAULT_ZOT_VERSION,
  isModel,
  readAccessControl,
  ZotAccessModel,
  ZotPolicyGroupModel,
  zotVersion,
} from './access-model';

/** A signed-in user (groups: as zot holds them; default: those accessControl.groups gives the user), or an anonymous client. */
export type Who = { readonly user: string; readonly groups?: readonly string[] } | 'anonymous';

export type Verdict = 'allowed' | 'denied' | 'conditional';

export interface Decision {
  /** 'ambiguous': equally long keys match and zot's answer depends on which one Go's map order yields. */
  readonly verdict: Verdict | 'ambiguous';
  /** The repository key(s) zot may use: one, or several of equal length. [] when none matches. */
  readonly patterns: readonly string[];
  /** Why, in a few words. */
  readonly reason: string;
}

export interface DecideOptions {
  /** Whether zot authenticates clients (htpasswd, LDAP, OpenID, API keys, bearer or mTLS). Default true. */
  readonly authentication?: boolean;
}

/** A grant: yes, no, or only when a policy's CEL conditions hold. */
export type Tri = boolean | 'conditional';
export const or3 = (a: Tri, b: Tri): Tri =>
  a === true || b === true ? true : a === 'conditional' || b === 'conditional' ? 'conditional' : false;
export const verdictOf = (t: Tri): Verdict => (t === true ? 'allowed' : t === 'conditional' ? 'conditional' : 'denied');

export function userGroups(model: ZotAccessModel, username: string): string[] {
  const out: string[] = [];
  for (const [g, users] of model.groups) if (users.includes(username)) out.push(g);
  return out;
}

/** authz.go isPermitted (v2.1.14..v2.1.20; conditions from v2.1.17). */
export function isPermitted(pg: ZotPolicyGroupModel, username: string, groups: readonly string[], action: string): Tri {
  let result: Tri = false;
  for (const p of pg.policies) {
    if (p.users.includes(username) && p.actions.includes(action))
      result = or3(result, p.conditional ? 'conditional' : true);
  }
  for (const p of pg.policies) {
    if (p.actions.includes(action) && p.groups.some((g) => groups.includes(g)))
      result = or3(result, p.conditional ? 'conditional' : true);
  }
  if (pg.defaultPolicy.includes(action) && username !== '') return true;
  if (pg.anonymousPolicy.includes(action) && username === '') return true;
  return result;
}

/** authz.go getGlobPatterns for one key: conditions are not evaluated there (v2.1.17+ comment: "optimistically"). */
function globGrants(pg: ZotPolicyGroupModel, username: string, groups: readonly string[], action: string): boolean {
  if (username === '' ? pg.anonymousPolicy.includes(action) : pg.defaultPolicy.includes(action)) return true;
  if (pg.policies.some((p) => p.users.includes(username) && p.actions.includes(action))) return true;
  return groups.some((g) => pg.policies.some((p) => p.groups.includes(g) && p.actions.includes(action)));
}

export function isAdmin(model: ZotAccessModel, username: string, groups: readonly string[]): boolean {
  return model.adminPolicy.users.includes(username) || groups.some((g) => model.adminPolicy.groups.includes(g));
}

/** The keys zot may pick for `repository`: the longest matching ones (several when equally long). */
export function longestPatterns(model: ZotAccessModel, repository: string): string[] {
  let best = -1;
  let out: string[] = [];
  for (const pattern of model.repositories.keys()) {
    if (!matchRepository(pattern, repository)) continue;
    const len = goLength(pattern);
    if (len > best) {
      best = len;
      out = [pattern];
    } else if (len === best) out.push(pattern);
  }
  // No key matched: can() looks up repositories[""] (longestMatchedPattern stays "").
  if (out.length === 0 && model.repositories.has('')) out = [''];
  // A matching "" can never beat a non-empty match (len 0 is never > anything held).
  return out;
}

/** config.go ContainsOnlyAnonymousPolicy (v2.1.14..v2.1.20): no admin, default or user rules, and some anonymousPolicy. */
export function containsOnlyAnonymousPolicy(model: ZotAccessModel): boolean {
  if (model.adminPolicy.actions.length + model.adminPolicy.users.length > 0) return false;
  let anonymous = false;
  for (const pg of model.repositories.values()) {
    if (pg.defaultPolicy.length > 0) return false;
    if (pg.anonymousPolicy.length > 0) anonymous = true;
    if (pg.policies.some((p) => p.actions.length + p.users.length > 0)) return false;
  }
  return anonymous;
}

export function anonymousPolicyExists(model: ZotAccessModel): boolean {
  for (const pg of model.repositories.values()) if (pg.anonymousPolicy.length > 0) return true;
  return false;
}

/**
 * zot's decision for one request, with the key(s) it may use. `accessControl` is the parsed
 * config.json object (or a ZotAccessModel); undefined means no accessControl (authz off).
 */
export function zotDecide(
  accessControl: unknown,
  who: Who,
  action: ZotAction,
  repository: string,
  version: string = DEFAULT_ZOT_VERSION,
  options: DecideOptions = {},
): Decision {
  const v = zotVersion(version);
  checkAction(action);
  const authentication = options.authentication ?? true;
  // Without authentication every client is anonymous (authn.go: "If no auth methods enabled at all - then just authenticate anything").
  const username = who === 'anonymous' || !authentication ? '' : who.user;
  if (accessControl === undefined || accessControl === null)
    return withoutAccessControl(username, authentication, action);
  const model = isModel(accessControl) ? accessControl : readAccessControl(accessControl, v);
  if (username === '' && authentication && !anonymousPolicyExists(model)) {
    return { verdict: 'denied', patterns: [], reason: 'no credentials, and no anonymousPolicy exists: 401 (authn.go)' };
  }
  const groups =
    username === ''
      ? []
      : who !== 'anonymous' && who.groups !== undefined
        ? [...who.groups]
        : userGroups(model, username);
  const patterns = longestPatterns(model, repository);
  const client = { username, groups, admin: isAdmin(model, username, groups) };
  if (action === 'detectManifestCollision' && client.admin)
    // user_access_control.go Can: admins → false for behaviour actions
    return { verdict: 'denied', patterns, reason: 'admins never get detectManifestCollision (UserAccessControl.Can)' };
  return decisionOf(outcomes(model, client, action, patterns), patterns);
}

function checkAction(action: ZotAction): void {
  if (!ZOT_ACTIONS.includes(action))
    throw new ZotFluxError({
      field: 'action',
      value: action,
      reason: `is not a zot action (${ZOT_ACTIONS.join(', ')})`,
    });
}

function withoutAccessControl(username: string, authentication: boolean, action: ZotAction): Decision {
  if (username === '' && authentication)
    return {
      verdict: 'denied',
      patterns: [],
      reason: 'no credentials, and no anonymousPolicy exists: 401 (authn.go)',
    };
  // routes.go: authz middlewares only with accessControl; user_access_control.go Can: no authz info → IsAdmin() → method actions true, detectManifestCollision false.
  return action === 'detectManifestCollision'
    ? { verdict: 'denied', patterns: [], reason: 'no accessControl: behaviour actions are off' }
    : { verdict: 'allowed', patterns: [], reason: 'no accessControl: authorization is off' };
}

/** The grant of each key zot may pick (the admin grant alone when none matches). */
function outcomes(
  model: ZotAccessModel,
  client: { readonly username: string; readonly groups: readonly string[]; readonly admin: boolean },
  action: ZotAction,
  patterns: readonly string[],
): Tri[] {
  const { username, groups, admin } = client;
  const policyGroups = patterns.map((p) => model.repositories.get(p) ?? EMPTY_GROUP);
  if (action === 'detectManifestCollision') {
    // user_access_control.go Can: the longest key's glob grant.
    const out: Tri[] = policyGroups.map((pg) => globGrants(pg, username, groups, action));
    return patterns.length === 0 ? [false] : out;
  }
  const adminGrant: Tri =
    admin && model.adminPolicy.actions.includes(action)
      ? model.adminPolicy.conditional
        ? 'conditional'
        : true
      : false;
  const out = policyGroups.map((pg) => or3(isPermitted(pg, username, groups, action), adminGrant));
  return patterns.length === 0 ? [adminGrant] : out;
}
const EMPTY_GROUP: ZotPolicyGroupModel = { policies: [], defaultPolicy: [], anonymousPolicy: [] };

function decisionOf(outcomes: readonly Tri[], patterns: readonly string[]): Decision {
  const first = outcomes[0];
  if (outcomes.some((o) => o !== first)) {
    return {
      verdict: 'ambiguous',
      patterns,
      reason: `keys ${patterns.map((p) => `'${p}'`).join(', ')} are equally long and disagree: Go map order decides`,
    };
  }
  const where =
    patterns.length === 0
      ? 'no key matches'
      : patterns.length === 1
        ? `key '${patterns[0]}'`
        : `equally long keys ${patterns.map((p) => `'${p}'`).join(', ')} (they agree)`;
  return { verdict: verdictOf(first), patterns, reason: where };
}

/**
 * The user names an accessControl names: in a policy, in adminPolicy or as a member of a group (in
 * the order first named). A signed-in name outside this list gets only defaultPolicy (and admin
 * rights through no group): for a config synth wrote, it is no user at all.
 */
export function namedUsers(accessControl: unknown, version: string = DEFAULT_ZOT_VERSION): string[] {
  const model = isModel(accessControl) ? accessControl : readAccessControl(accessControl, zotVersion(version));
  const out = new Set<string>();
  for (const pg of model.repositories.values()) for (const p of pg.policies) p.users.forEach((u) => out.add(u));
  model.adminPolicy.users.forEach((u) => out.add(u));
  for (const users of model.groups.values()) users.forEach((u) => out.add(u));
  out.delete('');
  return [...out];
}

/** Thrown by zotCan when zot's answer cannot be known from the config alone. */
export class UndecidedAccess extends ZotFluxError {
  constructor(
    readonly decision: Decision,
    repository: string,
  ) {
    super({
      field: `repositories`,
      value: repository,
      reason: `${decision.verdict === 'ambiguous' ? 'has no single answer' : 'depends on policy conditions'}: ${decision.reason}`,
    });
    this.name = 'UndecidedAccess';
  }
}

/**
 * zot's answer: may `who` do `action` on `repository`? Throws UndecidedAccess (a ZotFluxError) when
 * it depends on Go's map order (equally long keys that disagree) or on CEL conditions.
 */
export function zotCan(
  accessControl: unknown,
  who: Who,
  action: ZotAction,
  repository: string,
  version: string = DEFAULT_ZOT_VERSION,
  options: DecideOptions = {},
): boolean {
  const d = zotDecide(accessControl, who, action, repository, version, options);
  if (d.verdict === 'ambiguous' || d.verdict === 'conditional') throw new UndecidedAccess(d, repository);
  return d.verdict === 'allowed';
}
