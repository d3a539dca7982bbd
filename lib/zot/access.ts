// Who may do what on which repository, as zot decides it — and the compiler from declared intent to
// zot's accessControl that makes zot's decision equal the intent.
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

import { ZotFluxError, Problem } from '../core/error';
import { ZOT_ACTIONS, ZotAction } from './config';
import { compareZotVersions, isZotVersionString } from './config-keys';
import { enabledAuthentication, ZotAuthMethod } from './authentication';
import {
  DOUBLESTAR_BY_ZOT_VERSION,
  doublestarMatches,
  findName,
  goLength,
  matchRepository,
  OverlapIndex,
  parseSafeGlob,
  quicklyMeet,
  quickName,
  SafeGlob,
  validatePattern,
} from './glob';
import { loadZotConfig } from './startup';

// ZotAction, ZOT_ACTIONS: the actions zot knows (pkg/api/constants/consts.go, the same five at v2.1.14..v2.1.20).
export type { ZotAction };
export { ZOT_ACTIONS };
/** The actions `can` checks for HTTP requests (authz.go DistSpecAuthzHandler: GET/HEAD read, PUT/PATCH/POST create or update, DELETE delete). */
export const METHOD_ACTIONS: readonly ZotAction[] = ['read', 'create', 'update', 'delete'];

/** The zot versions whose authorization was read for this model. */
export const ZOT_VERSIONS: readonly string[] = Object.keys(DOUBLESTAR_BY_ZOT_VERSION);
export const DEFAULT_ZOT_VERSION = 'v2.1.18';

/**
 * 'v2.1.18' or '2.1.18' → 'v2.1.18': the version whose authorization decides. A version newer than
 * those read is decided as the newest read, an older one as the oldest, one in between (a pre-release)
 * as the newest read before it (the start-up check warns about each: config-keys resolveZotModel);
 * refuses what is not a version.
 */
export function zotVersion(v: string = DEFAULT_ZOT_VERSION, field = 'zotVersion'): string {
  const norm = v.startsWith('v') ? v : `v${v}`;
  if (ZOT_VERSIONS.includes(norm)) return norm;
  if (!isZotVersionString(norm)) {
    throw new ZotFluxError({
      field,
      value: v,
      reason: `is not a zot version whose authorization this project has read (${ZOT_VERSIONS.join(', ')})`,
    });
  }
  // zot main 6d19b445 (after v2.1.20): pkg/api/authz.go, pkg/api/authn.go and doublestar v4.10.0 unchanged from v2.1.20
  const read = [...ZOT_VERSIONS].reverse().find((x) => compareZotVersions(x, norm) <= 0);
  return read ?? ZOT_VERSIONS[0];
}
const patch = (v: string) => Number(v.split('.')[2]);

// ---------------------------------------------------------------------------------------------
// zot's accessControl, read the way zot reads config.json.

export interface ZotPolicyModel {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly actions: readonly string[];
  /** The policy has CEL conditions (v2.1.17+): it grants only when they hold. */
  readonly conditional: boolean;
}
export interface ZotPolicyGroupModel {
  readonly policies: readonly ZotPolicyModel[];
  readonly defaultPolicy: readonly string[];
  readonly anonymousPolicy: readonly string[];
}
/** accessControl as zot holds it after reading config.json (keys lowercased as viper does). */
export interface ZotAccessModel {
  /** Repository keys in the file's order (zot visits them in Go map order). */
  readonly repositories: ReadonlyMap<string, ZotPolicyGroupModel>;
  readonly adminPolicy: ZotPolicyModel;
  /** accessControl.groups: group → its users. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

const EMPTY_POLICY: ZotPolicyModel = { users: [], groups: [], actions: [], conditional: false };

/**
 * Reads an accessControl object (as parsed from config.json) the way zot does: viper lowercases
 * every map key (viper v1.21.0 util.go insensitiviseMap, called from unmarshalReader; zot go.mod
 * requires viper v1.21.0 at v2.1.14..v2.1.20), then mapstructure fills AccessControlConfig
 * (pkg/api/config/config.go) and refuses unknown keys (root.go LoadConfiguration: UnmarshalExact).
 * Refuses what zot would refuse, and keys that collide once lowercased (Go map order picks one).
 */
export function readAccessControl(
  raw: unknown,
  version: string = DEFAULT_ZOT_VERSION,
  field = 'http.accessControl',
): ZotAccessModel {
  const v = zotVersion(version);
  const problems: Problem[] = [];
  const obj = (x: unknown, at: string): Record<string, unknown> | undefined => {
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'object' || Array.isArray(x)) {
      problems.push({ field: at, value: x, reason: 'is not an object' });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    const seen = new Map<string, string>();
    for (const [k, val] of Object.entries(x as Record<string, unknown>)) {
      const lower = k.toLowerCase();
      if (seen.has(lower)) {
        problems.push({
          field: `${at}["${k}"]`,
          value: k,
          reason: `and '${seen.get(lower)}' are one key once viper lowercases it (viper v1.21.0 insensitiviseMap); which survives depends on Go map order`,
        });
      }
      seen.set(lower, k);
      out[lower] = val;
    }
    return out;
  };
  const known = (o: Record<string, unknown>, at: string, keys: readonly string[]) => {
    for (const k of Object.keys(o))
      if (!keys.includes(k))
        problems.push({
          field: `${at}.${k}`,
          reason: `is not a key zot ${v} knows there (zot refuses to start: unknown keys)`,
        });
  };
  const strings = (x: unknown, at: string): string[] => {
    if (x === undefined || x === null) return [];
    if (!Array.isArray(x) || x.some((s) => typeof s !== 'string')) {
      problems.push({ field: at, value: x, reason: 'is not a list of strings' });
      return [];
    }
    return x as string[];
  };
  const policyKeys = patch(v) >= 17 ? ['users', 'actions', 'groups', 'conditions'] : ['users', 'actions', 'groups'];
  const policy = (x: unknown, at: string): ZotPolicyModel => {
    const o = obj(x, at);
    if (!o) return EMPTY_POLICY;
    known(o, at, policyKeys);
    const conditions = o.conditions;
    if (conditions !== undefined && conditions !== null && !Array.isArray(conditions))
      problems.push({ field: `${at}.conditions`, value: conditions, reason: 'is not a list' });
    if (Array.isArray(conditions))
      conditions.forEach((c, i) => {
        const co = obj(c, `${at}.conditions[${i}]`);
        if (co) known(co, `${at}.conditions[${i}]`, ['expression', 'message']);
      });
    return {
      users: strings(o.users, `${at}.users`),
      groups: strings(o.groups, `${at}.groups`),
      actions: strings(o.actions, `${at}.actions`),
      conditional: Array.isArray(conditions) && conditions.length > 0,
    };
  };
  const ac = obj(raw, field) ?? {};
  known(ac, field, ['repositories', 'adminpolicy', 'groups', 'metrics']);
  const repositories = new Map<string, ZotPolicyGroupModel>();
  const repos = obj(ac.repositories, `${field}.repositories`) ?? {};
  for (const [pattern, pg] of Object.entries(repos)) {
    const at = `${field}.repositories["${pattern}"]`;
    if (!validatePattern(pattern))
      problems.push({
        field: at,
        value: pattern,
        reason:
          'is not a valid doublestar pattern: zot refuses to start (pkg/cli/server/root.go: glob.ValidatePattern on every repositories key)',
      });
    if (pattern.includes('::'))
      problems.push({
        field: at,
        value: pattern,
        reason:
          'contains "::", the key delimiter zot gives viper (root.go LoadConfiguration): it would be read as nested keys',
      });
    const o = obj(pg, at) ?? {};
    known(o, at, ['policies', 'defaultpolicy', 'anonymouspolicy']);
    const policies =
      o.policies === undefined || o.policies === null
        ? []
        : Array.isArray(o.policies)
          ? o.policies
          : (problems.push({ field: `${at}.policies`, value: o.policies, reason: 'is not a list' }), []);
    repositories.set(pattern, {
      policies: policies.map((p, i) => policy(p, `${at}.policies[${i}]`)),
      defaultPolicy: strings(o.defaultpolicy, `${at}.defaultPolicy`),
      anonymousPolicy: strings(o.anonymouspolicy, `${at}.anonymousPolicy`),
    });
  }
  const groups = new Map<string, string[]>();
  for (const [name, g] of Object.entries(obj(ac.groups, `${field}.groups`) ?? {})) {
    const o = obj(g, `${field}.groups["${name}"]`) ?? {};
    known(o, `${field}.groups["${name}"]`, ['users']);
    groups.set(name, strings(o.users, `${field}.groups["${name}"].users`));
  }
  const metrics = obj(ac.metrics, `${field}.metrics`);
  if (metrics) known(metrics, `${field}.metrics`, patch(v) >= 18 ? ['users', 'anonymouspolicy'] : ['users']);
  const adminPolicy = policy(ac.adminpolicy, `${field}.adminPolicy`);
  if (problems.length) throw new ZotFluxError(problems, `zot ${v} would not read this accessControl`);
  return { repositories, adminPolicy, groups };
}

/** An object's keys lowercased as viper does ({} for anything that is not an object). */
function lowerKeys(x: unknown): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return {};
  return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * The parts of a whole config.json the decision needs, as zot v`zotVersion` loads it (viper:
 * lower-cased keys, "::" keys win, empty maps dropped; lib/zot/startup.ts loadZotConfig):
 * http.accessControl and the authentication methods it really enables (lib/zot/authentication.ts,
 * zot's own predicates). A config zot refuses is read as written (the refusal is reported elsewhere).
 */
export function configAccess(
  config: unknown,
  zotVersion: string = DEFAULT_ZOT_VERSION,
): { accessControl: unknown; authentication: boolean; methods: ZotAuthMethod[] } {
  let loaded: unknown;
  try {
    loaded = loadZotConfig(config, zotVersion).config;
  } catch {
    loaded = undefined; // a version with no model: read as written
  }
  const from = loaded ?? config;
  const methods = enabledAuthentication(from, zotVersion);
  return { accessControl: lowerKeys(lowerKeys(from).http).accesscontrol, authentication: methods.length > 0, methods };
}

// ---------------------------------------------------------------------------------------------
// The decision.

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

type Tri = boolean | 'conditional';
const or3 = (a: Tri, b: Tri): Tri =>
  a === true || b === true ? true : a === 'conditional' || b === 'conditional' ? 'conditional' : false;
const verdictOf = (t: Tri): Verdict => (t === true ? 'allowed' : t === 'conditional' ? 'conditional' : 'denied');

function userGroups(model: ZotAccessModel, username: string): string[] {
  const out: string[] = [];
  for (const [g, users] of model.groups) if (users.includes(username)) out.push(g);
  return out;
}

/** authz.go isPermitted (v2.1.14..v2.1.20; conditions from v2.1.17). */
function isPermitted(pg: ZotPolicyGroupModel, username: string, groups: readonly string[], action: string): Tri {
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

function isAdmin(model: ZotAccessModel, username: string, groups: readonly string[]): boolean {
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
function containsOnlyAnonymousPolicy(model: ZotAccessModel): boolean {
  if (model.adminPolicy.actions.length + model.adminPolicy.users.length > 0) return false;
  let anonymous = false;
  for (const pg of model.repositories.values()) {
    if (pg.defaultPolicy.length > 0) return false;
    if (pg.anonymousPolicy.length > 0) anonymous = true;
    if (pg.policies.some((p) => p.actions.length + p.users.length > 0)) return false;
  }
  return anonymous;
}

function anonymousPolicyExists(model: ZotAccessModel): boolean {
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
  if (!ZOT_ACTIONS.includes(action))
    throw new ZotFluxError({
      field: 'action',
      value: action,
      reason: `is not a zot action (${ZOT_ACTIONS.join(', ')})`,
    });
  const authentication = options.authentication ?? true;
  // Without authentication every client is anonymous (authn.go: "If no auth methods enabled at all - then just authenticate anything").
  const username = who === 'anonymous' || !authentication ? '' : who.user;
  if (accessControl === undefined || accessControl === null) {
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
  const admin = isAdmin(model, username, groups);

  const outcomes: Tri[] = [];
  if (action === 'detectManifestCollision') {
    // user_access_control.go Can: admins → false for behaviour actions; else the longest key's glob grant.
    if (admin)
      return {
        verdict: 'denied',
        patterns,
        reason: 'admins never get detectManifestCollision (UserAccessControl.Can)',
      };
    for (const p of patterns) outcomes.push(globGrants(model.repositories.get(p)!, username, groups, action));
    if (patterns.length === 0) outcomes.push(false);
  } else {
    const adminGrant: Tri =
      admin && model.adminPolicy.actions.includes(action)
        ? model.adminPolicy.conditional
          ? 'conditional'
          : true
        : false;
    for (const p of patterns)
      outcomes.push(or3(isPermitted(model.repositories.get(p)!, username, groups, action), adminGrant));
    if (patterns.length === 0) outcomes.push(adminGrant);
  }
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

function isModel(x: unknown): x is ZotAccessModel {
  return typeof x === 'object' && x !== null && (x as ZotAccessModel).repositories instanceof Map;
}

// ---------------------------------------------------------------------------------------------
// Intent, and its compilation.

/** Actions on the repositories the globs match. */
export interface AccessGrant {
  readonly repositories: readonly string[];
  readonly actions: readonly ZotAction[];
  /**
   * Where the grant was declared (a prop path such as `users[2]` or `users[2].grants[0]`): refusals
   * name `<field>.repositories[k]` and `<field>.actions` from it.
   * @default - its place in the intent (`users[i].grants[j]`)
   */
  readonly field?: string;
}
export interface UserIntent {
  readonly name: string;
  readonly grants?: readonly AccessGrant[];
  /** read, create, update and delete on every repository (zot adminPolicy). No grants beside it. */
  readonly admin?: boolean;
  /**
   * Where the user was declared (a prop path): refusals about the user name it.
   * @default - its place in the intent (`users[i]`)
   */
  readonly field?: string;
}
export interface GroupIntent {
  /** Lowercase: zot's groups map keys are lowercased by viper, its policy values are not. */
  readonly name: string;
  /** Declared users. */
  readonly members: readonly string[];
  readonly grants?: readonly AccessGrant[];
  readonly admin?: boolean;
}
/**
 * Who may do what. Anonymous clients may read R iff an anonymousRead glob matches R, and do more
 * only through `anonymousWrite`, an explicit opt-in. Any signed-in user may read R iff an
 * authenticatedRead glob matches R, and may do whatever anonymous clients may: a signed-in user
 * never has less than anonymous (docker sends credentials whenever it has them, so logging in must
 * not lose access). A declared user may besides do A on R iff some grant of the user (or of a group
 * the user is in) whose glob matches R lists A. An admin (or a member of an admin group) may do
 * read, create, update and delete everywhere, and never detectManifestCollision (zot's rule:
 * UserAccessControl.Can answers false for admins on behaviour actions).
 */
export interface AccessIntent {
  readonly users: readonly UserIntent[];
  readonly groups?: readonly GroupIntent[];
  readonly anonymousRead?: readonly string[];
  /** Anonymous create/update/delete: flagged wherever the result is shown. */
  readonly anonymousWrite?: readonly AccessGrant[];
  /** Read for every signed-in user (zot's defaultPolicy), declared or not. */
  readonly authenticatedRead?: readonly string[];
}

export interface CompiledPolicy {
  readonly users?: string[];
  readonly groups?: string[];
  readonly actions: ZotAction[];
}
export interface CompiledRepositoryAccess {
  readonly policies: CompiledPolicy[];
  readonly defaultPolicy: ZotAction[];
  readonly anonymousPolicy?: ZotAction[];
}
/** zot's http.accessControl, as compileAccess writes it. */
export interface CompiledAccessControl {
  readonly repositories: Record<string, CompiledRepositoryAccess>;
  readonly adminPolicy?: CompiledPolicy;
  readonly groups?: Record<string, { users: string[] }>;
}

type Subject = { kind: 'user' | 'group'; name: string } | { kind: 'anonymous' } | { kind: 'authenticated' };
interface Entry {
  glob: string;
  field: string;
  subject: Subject;
  actions: readonly ZotAction[];
}

const subjectKey = (s: Subject) =>
  s.kind === 'anonymous' || s.kind === 'authenticated' ? s.kind : `${s.kind}:${s.name}`;

/**
 * Compiles intent into zot's accessControl so that, for every user, action and repository name
 * zot routes, zot `version`'s decision (longest key, then adminPolicy) equals the intent.
 * Every glob of the intent becomes a key; each key's policies are the grants of every glob that
 * covers all the names that key decides. What every signed-in user may do there (authenticatedRead,
 * and everything anonymous clients may) is the key's defaultPolicy, which zot applies to any user
 * name but "" (zot v2.1.14..v2.1.20 pkg/api/authz.go isPermitted). Refuses (ZotFluxError naming the globs and example names)
 * when a glob covers only part of them: zot's longest-match rule could not express the intent.
 * Throws ZotFluxError for contradictory or empty declarations.
 */
export function compileAccess(intent: AccessIntent, version: string = DEFAULT_ZOT_VERSION): CompiledAccessControl {
  zotVersion(version);
  const problems: Problem[] = [];
  if (!intent || !Array.isArray(intent.users))
    throw new ZotFluxError({ field: 'users', value: intent?.users, reason: 'is not a list' });
  const entries: Entry[] = [];
  const parsed = new Map<string, SafeGlob>();
  /** Parses a glob of the intent once; false (and a problem) when it cannot be used. */
  const useGlob = (glob: string, field: string): boolean => {
    if (parsed.has(glob)) return true;
    const s = typeof glob === 'string' ? parseSafeGlob(glob) : { problem: 'is not a string' };
    if ('problem' in s) {
      problems.push({ field, value: glob, reason: s.problem });
      return false;
    }
    if (quickName(s) === undefined && findName([s]) === undefined) {
      problems.push({
        field,
        value: glob,
        reason:
          'matches no repository name zot accepts (pkg/regexp/regexp.go NameRegexp: lowercase a-z 0-9 components joined by . _ __ - and /)',
      });
      return false;
    }
    parsed.set(glob, s);
    return true;
  };
  const addGrants = (grants: readonly AccessGrant[] | undefined, at: string, subject: Subject) => {
    (grants ?? []).forEach((g, i) => {
      const gat = g.field ?? `${at}[${i}]`;
      if (!g.repositories || g.repositories.length === 0)
        problems.push({ field: `${gat}.repositories`, value: [], reason: 'is empty: the grant gives nothing' });
      if (!g.actions || g.actions.length === 0)
        problems.push({ field: `${gat}.actions`, value: [], reason: 'is empty: the grant gives nothing' });
      for (const a of g.actions ?? [])
        if (!ZOT_ACTIONS.includes(a))
          problems.push({
            field: `${gat}.actions`,
            value: a,
            reason: `is not a zot action (${ZOT_ACTIONS.join(', ')})`,
          });
      (g.repositories ?? []).forEach((glob, k) => {
        const field = `${gat}.repositories[${k}]`;
        if (useGlob(glob, field)) entries.push({ glob, field, subject, actions: g.actions ?? [] });
      });
    });
  };

  const userNames = new Set<string>();
  intent.users.forEach((u, i) => {
    const at = u.field ?? `users[${i}]`;
    if (typeof u.name !== 'string' || u.name === '')
      problems.push({
        field: `${at}.name`,
        value: u.name,
        reason: 'is empty: zot treats the user "" as the anonymous client',
      });
    else if (userNames.has(u.name)) problems.push({ field: `${at}.name`, value: u.name, reason: 'is declared twice' });
    userNames.add(u.name);
    if (u.admin && (u.grants ?? []).length > 0) {
      problems.push({
        field: `${at}.grants`,
        value: u.name,
        reason:
          'is admin, which already grants read, create, update and delete on every repository: a grant beside it is contradictory (remove the grants or admin)',
      });
    }
    addGrants(u.grants, `${at}.grants`, { kind: 'user', name: u.name });
  });
  const groupNames = new Set<string>();
  const memberOf = new Map<string, string[]>();
  (intent.groups ?? []).forEach((g, i) => {
    const at = `groups[${i}]`;
    if (typeof g.name !== 'string' || g.name === '')
      problems.push({ field: `${at}.name`, value: g.name, reason: 'is empty' });
    else if (g.name !== g.name.toLowerCase())
      problems.push({
        field: `${at}.name`,
        value: g.name,
        reason:
          'has uppercase letters: viper lowercases the groups map keys but not the names in policies, so its grants would never apply (viper v1.21.0 insensitiviseMap)',
      });
    else if (g.name.includes('::'))
      problems.push({ field: `${at}.name`, value: g.name, reason: 'contains "::", zot\'s viper key delimiter' });
    if (groupNames.has(g.name)) problems.push({ field: `${at}.name`, value: g.name, reason: 'is declared twice' });
    groupNames.add(g.name);
    if (!g.members || g.members.length === 0)
      problems.push({ field: `${at}.members`, value: [], reason: 'is empty: the group gives nobody anything' });
    (g.members ?? []).forEach((m, k) => {
      if (!intent.users.some((u) => u.name === m))
        problems.push({ field: `${at}.members[${k}]`, value: m, reason: 'is not a declared user' });
      memberOf.set(m, [...(memberOf.get(m) ?? []), g.name]);
    });
    if (g.admin && (g.grants ?? []).length > 0)
      problems.push({
        field: `${at}.grants`,
        value: g.name,
        reason:
          'is admin, which already grants read, create, update and delete on every repository: a grant beside it is contradictory',
      });
    if (!g.admin && (g.grants ?? []).length === 0)
      problems.push({
        field: `${at}.grants`,
        value: g.name,
        reason: 'is empty and the group is not admin: it gives its members nothing',
      });
    addGrants(g.grants, `${at}.grants`, { kind: 'group', name: g.name });
  });
  // A user with no grant of its own still signs in and gets what every signed-in user gets.
  const everySignedIn =
    (intent.authenticatedRead ?? []).length +
      (intent.anonymousRead ?? []).length +
      (intent.anonymousWrite ?? []).length >
    0;
  intent.users.forEach((u, i) => {
    const at = u.field ?? `users[${i}]`;
    const groups = (memberOf.get(u.name) ?? []).map((gn) => intent.groups!.find((x) => x.name === gn)!);
    const viaGroup = groups.some((g) => g.admin || (g.grants ?? []).length > 0);
    if (!u.admin && (u.grants ?? []).length === 0 && !viaGroup && !everySignedIn) {
      problems.push({
        field: at,
        value: u.name,
        reason: 'has no access: no grant, not admin, and in no group that has one',
      });
    }
    const dmc = groups.find((g) =>
      (g.grants ?? []).some((gr) => (gr.actions ?? []).includes('detectManifestCollision')),
    );
    if ((u.admin || groups.some((g) => g.admin)) && dmc) {
      problems.push({
        field: at,
        value: u.name,
        reason: `is admin and gets detectManifestCollision through group '${dmc.name}': zot never gives admins detectManifestCollision (UserAccessControl.Can)`,
      });
    }
  });
  (intent.anonymousRead ?? []).forEach((glob, k) => {
    const field = `anonymousRead[${k}]`;
    if (useGlob(glob, field)) entries.push({ glob, field, subject: { kind: 'anonymous' }, actions: ['read'] });
  });
  addGrants(intent.anonymousWrite, 'anonymousWrite', { kind: 'anonymous' });
  // Signed-in users never get less than anonymous clients: zot applies anonymousPolicy only to the
  // user "" (authz.go isPermitted), so every anonymous grant is in defaultPolicy as well.
  for (const e of entries.filter((x) => x.subject.kind === 'anonymous'))
    entries.push({ ...e, subject: { kind: 'authenticated' } });
  (intent.authenticatedRead ?? []).forEach((glob, k) => {
    const field = `authenticatedRead[${k}]`;
    if (useGlob(glob, field)) entries.push({ glob, field, subject: { kind: 'authenticated' }, actions: ['read'] });
  });
  if (problems.length) throw new ZotFluxError(problems, 'access refused');

  // Keys. Globs that match exactly the same names share one key (the first one's text).
  const globs: string[] = [];
  const firstField = new Map<string, string>();
  for (const e of entries)
    if (!globs.includes(e.glob)) {
      globs.push(e.glob);
      firstField.set(e.glob, e.field);
    }
  /** Every name `a` matches is matched by `b`; a quick witness of `a` that `b` misses says no at once. */
  const inside = (a: SafeGlob, b: SafeGlob) => {
    const w = quickName(a);
    return (w === undefined || doublestarMatches(b, w)) && findName([a], [b]) === undefined;
  };
  const same = (a: SafeGlob, b: SafeGlob) => inside(a, b) && inside(b, a);
  // Two globs can be equal, nested or overlapping only when they may overlap (glob.ts mayOverlap: every glob here
  // matches some name, useGlob), so each glob is compared with its candidates only, in the same order as with all.
  const globIndex = new OverlapIndex(globs.map((x) => parsed.get(x)!));
  const candidates = globs.map((_, i) => globIndex.candidates(i));
  const repOf = new Map<string, string>();
  const reps: string[] = [];
  const repIndex = new Map<number, number>(); // glob index → index in reps
  globs.forEach((x, i) => {
    const j = candidates[i].find((c) => c < i && repIndex.has(c) && same(parsed.get(x)!, parsed.get(globs[c])!));
    if (j === undefined) {
      repIndex.set(i, reps.length);
      reps.push(x);
    }
    repOf.set(x, j === undefined ? x : globs[j]);
  });
  /** The reps that may overlap reps[r], by their index in reps, ascending. */
  const repGlobIndex = [...repIndex.keys()];
  const repCandidates = reps.map((_, r) =>
    candidates[repGlobIndex[r]].filter((c) => repIndex.has(c)).map((c) => repIndex.get(c)!),
  );
  // zot applies the longest matching key, so a glob lying inside another must get the longer key.
  // When its own text is not longer, one plain character c becomes the class [cc...] (it still
  // matches c alone) until it is: see padGlob.
  const within = new Map(
    reps.map((x, r) => [x, repCandidates[r].map((c) => reps[c]).filter((y) => inside(parsed.get(x)!, parsed.get(y)!))]),
  );
  const keyOf = new Map<string, string>();
  const keyFor = (x: string): string => {
    const known = keyOf.get(x);
    if (known !== undefined) return known;
    let need = 0;
    let outer = '';
    for (const y of within.get(x)!) {
      const l = goLength(keyFor(y)) + 1;
      if (l > need) {
        need = l;
        outer = y;
      }
    }
    let key = x;
    if (goLength(x) < need) {
      const padded = padGlob(x, need - goLength(x));
      if (padded === undefined) {
        problems.push({
          field: firstField.get(x)!,
          value: x,
          reason: `lies inside '${outer}' (${firstField.get(outer)}) but is not longer, and has no plain character to lengthen its key with: zot would apply '${outer}' to its names; write it longer`,
        });
      } else {
        const pg = parseSafeGlob(padded);
        if ('problem' in pg || !same(pg, parsed.get(x)!))
          throw new Error(`padGlob changed what '${x}' matches: '${padded}'`);
        parsed.set(padded, pg);
        key = padded;
      }
    }
    keyOf.set(x, key);
    return key;
  };
  const keys = reps.map(keyFor);
  if (problems.length) throw new ZotFluxError(problems, "access cannot be expressed exactly in zot's accessControl");
  const keyOfGlob = (glob: string) => keyOf.get(repOf.get(glob)!)!;
  reps.forEach((x) => firstField.set(keyOf.get(x)!, firstField.get(x)!));
  const globOfKey = new Map(reps.map((x) => [keyOf.get(x)!, x]));
  const show = (k: string) => (globOfKey.get(k) === k ? `'${k}'` : `'${globOfKey.get(k)}' (key '${k}')`);
  const g = (k: string) => parsed.get(k)!;
  const overlapping = new Map<string, Set<string>>(keys.map((k) => [k, new Set<string>()]));
  // keys[r] matches what reps[r] matches (padGlob is checked), so the candidates of reps[r] are those of keys[r].
  for (let i = 0; i < keys.length; i++) {
    for (const j of repCandidates[i]) {
      if (j <= i) continue;
      if (quicklyMeet(g(keys[i]), g(keys[j])) || findName([g(keys[i]), g(keys[j])]) !== undefined) {
        overlapping.get(keys[i])!.add(keys[j]);
        overlapping.get(keys[j])!.add(keys[i]);
      }
    }
  }
  // covers.get(k): the keys whose grants apply on every name zot decides with key k.
  const covers = new Map<string, string[]>();
  const reported = new Set<string>();
  for (const k of keys) {
    const len = goLength(k);
    const longer = [...overlapping.get(k)!].filter((h) => goLength(h) > len).map(g);
    const list = [k];
    for (const h of overlapping.get(k)!) {
      if (goLength(h) > len) continue; // where h matches, h (or a longer key) decides, not k
      const both = findName([g(k), g(h)], longer);
      if (both === undefined) continue;
      const kOnly = findName([g(k)], [g(h), ...longer]);
      if (kOnly === undefined) {
        list.push(h);
        continue;
      }
      const tie = goLength(h) === len;
      const pair = [k, h].sort().join('\u0000');
      if (reported.has(pair)) continue;
      reported.add(pair);
      problems.push({
        field: firstField.get(h)!,
        value: globOfKey.get(h)!,
        reason:
          `${globOfKey.get(h) === h ? '' : `(key '${h}') `}covers only part of the names zot decides with the key ${show(k)} (${firstField.get(k)}): ` +
          `'${both}' is matched by both, '${kOnly}' by ${show(k)} alone` +
          (tie
            ? `, and the two are equally long (${len} bytes), so on '${both}' Go map order picks the key`
            : `, and zot applies only the longest matching key (${show(k)})`) +
          `: zot's longest-match rule cannot express this exactly. Make one glob contain the other, make them disjoint, ` +
          `or grant the overlap by a glob of its own (e.g. '${both}')`,
      });
    }
    covers.set(k, list);
  }
  if (problems.length) throw new ZotFluxError(problems, "access cannot be expressed exactly in zot's accessControl");

  const ACTION_ORDER = ZOT_ACTIONS;
  const sortActions = (s: Set<ZotAction>) => ACTION_ORDER.filter((a) => s.has(a));
  const repositories: Record<string, CompiledRepositoryAccess> = {};
  const subjectOrder: Subject[] = [
    ...intent.users.filter((u) => !u.admin).map((u) => ({ kind: 'user' as const, name: u.name })),
    ...(intent.groups ?? []).filter((x) => !x.admin).map((x) => ({ kind: 'group' as const, name: x.name })),
  ];
  // Each key's entries once (the actions gathered per subject do not depend on the entries' order).
  const entriesOfKey = new Map<string, Entry[]>();
  for (const e of entries) {
    const k = keyOfGlob(e.glob);
    const list = entriesOfKey.get(k);
    if (list) list.push(e);
    else entriesOfKey.set(k, [e]);
  }
  const subjectRank = new Map(subjectOrder.map((x, i) => [subjectKey(x), i]));
  for (const k of keys) {
    const bySubject = new Map<string, Set<ZotAction>>();
    for (const h of new Set(covers.get(k)!)) {
      for (const e of entriesOfKey.get(h) ?? []) {
        const key = subjectKey(e.subject);
        const set = bySubject.get(key) ?? new Set<ZotAction>();
        for (const a of e.actions) set.add(a);
        bySubject.set(key, set);
      }
    }
    const policies: CompiledPolicy[] = [];
    const ranked = [...bySubject.keys()]
      .filter((x) => subjectRank.has(x))
      .sort((a, b) => subjectRank.get(a)! - subjectRank.get(b)!);
    for (const sk of ranked) {
      const s = subjectOrder[subjectRank.get(sk)!];
      const set = bySubject.get(sk)!;
      if (set.size === 0) continue;
      policies.push(
        s.kind === 'user'
          ? { users: [s.name], actions: sortActions(set) }
          : { groups: [(s as { name: string }).name], actions: sortActions(set) },
      );
    }
    const anon = bySubject.get('anonymous');
    repositories[k] = {
      policies,
      defaultPolicy: sortActions(bySubject.get('authenticated') ?? new Set()),
      ...(anon && anon.size ? { anonymousPolicy: sortActions(anon) } : {}),
    };
  }
  const adminUsers = intent.users.filter((u) => u.admin).map((u) => u.name);
  const adminGroups = (intent.groups ?? []).filter((x) => x.admin).map((x) => x.name);
  const out: { -readonly [K in keyof CompiledAccessControl]: CompiledAccessControl[K] } = { repositories };
  if (adminUsers.length || adminGroups.length) {
    out.adminPolicy = {
      ...(adminUsers.length ? { users: adminUsers } : {}),
      ...(adminGroups.length ? { groups: adminGroups } : {}),
      actions: [...METHOD_ACTIONS],
    };
  }
  if ((intent.groups ?? []).length) {
    out.groups = Object.fromEntries(intent.groups!.map((x) => [x.name, { users: [...x.members] }]));
  }
  return out;
}

/**
 * `glob` made `extra` bytes longer (or 2 when 1 is asked) without changing the repository names it
 * matches: its first plain character c outside {groups} becomes the class [c...c], which matches c
 * and nothing else (doublestar match.go: a class matches one rune among its members); without one,
 * a whole "*" segment becomes "?*" or "*?*". undefined when neither applies. compileAccess checks
 * the result matches the same names (by the automata of glob.ts) before using it.
 */
export function padGlob(glob: string, extra: number): string | undefined {
  const n = Math.max(2, extra);
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '[') {
      i = glob.indexOf(']', i + 1);
      if (i < 0) return undefined;
    } else if (depth === 0 && /[a-z0-9._-]/.test(c))
      return `${glob.slice(0, i)}[${c.repeat(n - 1)}]${glob.slice(i + 1)}`;
  }
  // No plain character: a whole "*" segment matches one or more characters (a repository name has
  // no empty segment), and so do "?*" and "*?*": one or two bytes more.
  const segments = glob.split('/');
  const star = segments.indexOf('*');
  if (star < 0 || extra > 2 || glob.includes('{')) return undefined;
  segments[star] = extra === 1 ? '?*' : '*?*';
  return segments.join('/');
}

/** What the intent says (the reference the compiled config is held to). */
export function intentAllows(intent: AccessIntent, who: Who, action: ZotAction, repository: string): boolean {
  const matches = (globs: readonly string[]) => globs.some((p) => matchRepository(p, repository));
  const granted = (grants: readonly AccessGrant[] | undefined) =>
    (grants ?? []).some((gr) => gr.actions.includes(action) && matches(gr.repositories));
  const anonymous = (action === 'read' && matches(intent.anonymousRead ?? [])) || granted(intent.anonymousWrite);
  if (who === 'anonymous') return anonymous;
  // Every signed-in user, declared or not: authenticatedRead, and never less than anonymous.
  const everyone = anonymous || (action === 'read' && matches(intent.authenticatedRead ?? []));
  const u = intent.users.find((x) => x.name === who.user);
  const groups = u ? (intent.groups ?? []).filter((x) => x.members.includes(u.name)) : [];
  // Admins: the four method actions everywhere, and never detectManifestCollision (compileAccess refuses declaring it).
  if (u?.admin || groups.some((x) => x.admin)) return METHOD_ACTIONS.includes(action);
  return everyone || granted(u?.grants) || groups.some((x) => granted(x.grants));
}

// ---------------------------------------------------------------------------------------------
// The effective permission table.

export interface AccessRow {
  /** 'anonymous', 'user NAME', 'group NAME' (a member with no grants of its own) or 'any signed-in user'. */
  readonly subject: string;
  /** The repository key, '(no key matches)', or '(nothing)' for a subject denied everything. */
  readonly pattern: string;
  readonly read: Verdict;
  readonly create: Verdict;
  readonly update: Verdict;
  readonly delete: Verdict;
}
export interface AccessTable {
  readonly zotVersion: string;
  readonly rows: readonly AccessRow[];
  /** Loud: anonymous create/update/delete, no authentication, ambiguous keys. */
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
}

const NO_KEY = '(no key matches)';
const NO_GROUPS: readonly string[] = [];
/** The subject a signed-in user named in no policy stands for: only defaultPolicy applies to it (a name no user can have). */
const SIGNED_IN = { label: 'any signed-in user', username: '\u0000signed-in', groups: [] as string[] };
const NOTHING = '(nothing)';

/**
 * The effective permissions: for each subject and each repository key, what zot allows on the
 * names it decides with that key (admin rights included). `accessControl` undefined: no authz.
 */
export function effectiveAccessTable(
  accessControl: unknown,
  version: string = DEFAULT_ZOT_VERSION,
  options: DecideOptions = {},
): AccessTable {
  const v = zotVersion(version);
  const authentication = options.authentication ?? true;
  const warnings: string[] = [];
  const notes: string[] = [];
  const rows: AccessRow[] = [];
  const row = (subject: string, pattern: string, f: (a: ZotAction) => Verdict): AccessRow => ({
    subject,
    pattern,
    read: f('read'),
    create: f('create'),
    update: f('update'),
    delete: f('delete'),
  });
  if (!authentication)
    warnings.push('NO AUTHENTICATION: zot authenticates nobody, so every client is anonymous (authn.go)');
  if (accessControl === undefined || accessControl === null) {
    warnings.push(
      'NO accessControl: authorization is off, every client that gets in may read, create, update and delete everything (routes.go)',
    );
    rows.push(row(authentication ? 'any signed-in user' : 'anonymous', '**', () => 'allowed'));
    if (!authentication)
      warnings.push('ANONYMOUS WRITE: anonymous clients may create, update, delete on every repository');
    return { zotVersion: v, rows, warnings, notes };
  }
  const model = isModel(accessControl) ? accessControl : readAccessControl(accessControl, v);
  const keys = [...model.repositories.keys()];
  // (Sets keep the order first named.)
  const userSet = new Set<string>();
  const groupSet = new Set<string>();
  const addUser = (u: string) => {
    if (u !== '') userSet.add(u);
  };
  const addGroup = (x: string) => {
    groupSet.add(x);
  };
  for (const pg of model.repositories.values())
    for (const p of pg.policies) {
      p.users.forEach(addUser);
      p.groups.forEach(addGroup);
    }
  model.adminPolicy.users.forEach(addUser);
  model.adminPolicy.groups.forEach(addGroup);
  for (const [g, us] of model.groups) {
    us.forEach(addUser);
    addGroup(g);
  }
  const users = [...userSet];
  const groupsNamed = [...groupSet];
  if (
    model.adminPolicy.users.includes('') ||
    keys.some((k) => model.repositories.get(k)!.policies.some((p) => p.users.includes('')))
  ) {
    warnings.push('a policy names the user "": zot applies it to anonymous clients');
  }

  // (v2.1.18+ also starts with nothing but metrics.anonymousPolicy: ContainsOnlyMetricsAnonymousPolicy.)
  const empty =
    model.repositories.size === 0 &&
    model.adminPolicy.users.length + model.adminPolicy.actions.length + model.adminPolicy.groups.length === 0;
  if (!authentication && !empty && !containsOnlyAnonymousPolicy(model)) {
    warnings.push(
      'zot would not start: accessControl has rules for users but no authentication is configured (pkg/cli/server/root.go validateAuthzPolicies)',
    );
  }
  const anonGate = authentication && !anonymousPolicyExists(model);
  // isAdmin once per subject (the groups lists are the subjects' own, so they key the cache).
  const adminCache = new Map<readonly string[], Map<string, boolean>>();
  const adminOf = (username: string, groups: readonly string[]): boolean => {
    let byUser = adminCache.get(groups);
    if (!byUser) {
      byUser = new Map();
      adminCache.set(groups, byUser);
    }
    let admin = byUser.get(username);
    if (admin === undefined) {
      admin = isAdmin(model, username, groups);
      byUser.set(username, admin);
    }
    return admin;
  };
  const cell = (username: string, groups: readonly string[], key: string | undefined, a: ZotAction): Verdict => {
    if (username === '' && anonGate) return 'denied';
    const admin = adminOf(username, groups);
    const adminGrant: Tri =
      admin && model.adminPolicy.actions.includes(a) ? (model.adminPolicy.conditional ? 'conditional' : true) : false;
    const pg = key === undefined ? undefined : model.repositories.get(key);
    return verdictOf(or3(pg ? isPermitted(pg, username, groups, a) : false, adminGrant));
  };
  // Which names each key decides: exact when every key is in the analysable subset (glob.ts).
  const safe = keys.map((k) => parseSafeGlob(k));
  const unsafe = keys.filter((_, i) => 'problem' in safe[i]);
  const analysed = unsafe.length === 0 ? (safe as SafeGlob[]) : undefined;
  // The row for names no key matches: only when such a name exists (or cannot be ruled out).
  const someNameUnmatched = !analysed || findName([], analysed) !== undefined;
  const decidedKeys: Array<string | undefined> = [
    ...keys.filter((k) => k !== ''),
    ...(model.repositories.has('') ? [''] : someNameUnmatched ? [undefined] : []),
  ];
  const subjects: Array<{ label: string; username: string; groups: string[] }> = authentication
    ? [
        ...users.map((u) => ({ label: `user ${u}`, username: u, groups: userGroups(model, u) })),
        ...groupsNamed.map((x) => ({ label: `group ${x}`, username: '\u0000member', groups: [x] })),
        // Shown when something is granted to everyone: what a signed-in user named in no policy gets next to what anonymous gets.
        ...(keys.some(
          (k) =>
            model.repositories.get(k)!.defaultPolicy.length + model.repositories.get(k)!.anonymousPolicy.length > 0,
        )
          ? [SIGNED_IN]
          : []),
        { label: 'anonymous', username: '', groups: [] },
      ]
    : [{ label: 'anonymous', username: '', groups: [] }];
  // Where a subject can get anything (a superset; cell decides): every key for an admin; else the keys whose
  // policies name the user or one of its groups, and those with a defaultPolicy (signed in) or an
  // anonymousPolicy (anonymous): isPermitted grants nothing elsewhere. Each subject visits its own keys only.
  const byUser = new Map<string, number[]>();
  const byGroup = new Map<string, number[]>();
  const withDefault: number[] = [];
  const withAnonymous: number[] = [];
  const push = (m: Map<string, number[]>, name: string, i: number) => {
    const l = m.get(name);
    if (l) l.push(i);
    else m.set(name, [i]);
  };
  decidedKeys.forEach((k, i) => {
    const pg = k === undefined ? undefined : model.repositories.get(k);
    if (!pg) return;
    for (const p of pg.policies) {
      p.users.forEach((u) => push(byUser, u, i));
      p.groups.forEach((g) => push(byGroup, g, i));
    }
    if (pg.defaultPolicy.length) withDefault.push(i);
    if (pg.anonymousPolicy.length) withAnonymous.push(i);
  });
  const allIndexes = decidedKeys.map((_, i) => i);
  const keysOf = (username: string, groups: readonly string[]): readonly number[] => {
    if (username === '' && anonGate) return [];
    if (adminOf(username, groups) && model.adminPolicy.actions.length) return allIndexes;
    const set = new Set<number>([
      ...(byUser.get(username) ?? []),
      ...groups.flatMap((g) => byGroup.get(g) ?? []),
      ...(username === '' ? withAnonymous : withDefault),
    ]);
    return [...set].sort((a, b) => a - b);
  };
  // Rows where every action is denied are left out; a subject with nothing at all gets one row.
  for (const s of subjects) {
    const mine: AccessRow[] = [];
    for (const i of keysOf(s.username, s.groups)) {
      const k = decidedKeys[i];
      const verdicts = METHOD_ACTIONS.map((a) => cell(s.username, s.groups, k, a));
      if (verdicts.some((x) => x !== 'denied'))
        mine.push(row(s.label, k === undefined ? NO_KEY : k, (a) => verdicts[METHOD_ACTIONS.indexOf(a)]));
    }
    for (const r of mine.length ? mine : [row(s.label, NOTHING, () => 'denied')]) rows.push(r); // no spread: keys may be many
  }
  for (const r of rows) {
    if (r.subject !== 'anonymous') continue;
    const writes = (['create', 'update', 'delete'] as const).filter((a) => r[a] !== 'denied');
    if (writes.length)
      warnings.push(
        `ANONYMOUS WRITE: anonymous clients may ${writes.join(', ')} on '${r.pattern}'${r[writes[0]] === 'conditional' ? ' (when its conditions hold)' : ''}`,
      );
  }
  // A signed-in client never gets anonymousPolicy (authz.go isPermitted: `username == ""`): where it
  // grants what a signed-in user lacks, sending credentials loses access, and docker sends them
  // whenever it has them. (Admins never get detectManifestCollision, a behaviour, not a right.)
  if (authentication && !anonGate) {
    const signedIn = [
      ...subjects.filter((s) => s.label.startsWith('user ') || s.label.startsWith('group ')),
      SIGNED_IN,
    ];
    // Only where anonymous clients get something can a signed-in user have less.
    const anonymousKeys = keysOf('', NO_GROUPS).filter((i) =>
      METHOD_ACTIONS.some((a) => cell('', NO_GROUPS, decidedKeys[i], a) !== 'denied'),
    );
    for (const s of signedIn) {
      for (const i of anonymousKeys) {
        const k = decidedKeys[i];
        const lost = METHOD_ACTIONS.filter(
          (a) => cell('', NO_GROUPS, k, a) !== 'denied' && cell(s.username, s.groups, k, a) === 'denied',
        );
        if (lost.length) {
          warnings.push(
            `SIGNED-IN LESS THAN ANONYMOUS: ${s === SIGNED_IN ? 'a signed-in user named in no policy' : s.label} may not ${lost.join(', ')} on '${k === undefined ? NO_KEY : k}', which anonymous clients may: ` +
              "docker sends credentials whenever it has them, so signing in loses that access (list the actions in the key's defaultPolicy too)",
          );
        }
      }
    }
  }
  if (anonGate)
    notes.push('no key has an anonymousPolicy: zot answers 401 to every request without credentials (authn.go)');
  if (model.adminPolicy.users.length || model.adminPolicy.groups.length) {
    notes.push(
      `admins (adminPolicy) get ${model.adminPolicy.actions.filter((a) => (METHOD_ACTIONS as readonly string[]).includes(a)).join(', ') || 'nothing'} wherever the key itself does not grant it, and never detectManifestCollision`,
    );
  }
  if (patch(v) === 14)
    notes.push(
      'zot v2.1.14 counts pushing over an existing tag "latest" as create, not update (authz.go DistSpecAuthzHandler)',
    );
  if (patch(v) >= 19)
    notes.push(
      `zot ${v} checks a digest push with ?tag= for create or update on each tag (authz.go manifestWriteAuthzChecks)`,
    );

  if (!analysed) {
    notes.push(
      `not analysed (outside the supported glob subset): ${unsafe.map((k) => `'${k}'`).join(', ')}; rows show each key's rule, not which names reach it`,
    );
  } else {
    const globs = analysed;
    // meets[i]: the keys j (ascending) sharing a name with key i; only candidates (glob.ts OverlapIndex) are tried.
    const index = new OverlapIndex(globs);
    const meets: number[][] = keys.map(() => []);
    for (let i = 0; i < keys.length; i++) {
      // A quick witness (glob.ts quicklyMeet) proves most meetings without building automata.
      for (const j of index.candidates(i))
        if (j > i && (quicklyMeet(globs[i], globs[j]) || findName([globs[i], globs[j]]) !== undefined)) {
          meets[i].push(j);
          meets[j].push(i);
        }
    }
    for (const m of meets) m.sort((a, b) => a - b);
    for (let i = 0; i < keys.length; i++) {
      const longer = meets[i].filter((j) => goLength(keys[j]) > goLength(keys[i])).map((j) => globs[j]);
      const witness = quickName(globs[i]);
      const used =
        (witness !== undefined && !longer.some((l) => doublestarMatches(l, witness))) ||
        findName([globs[i]], longer) !== undefined;
      if (!used) notes.push(`key '${keys[i]}' is never used: every name it matches has a longer matching key`);
      for (const j of meets[i]) {
        if (j <= i || goLength(keys[i]) !== goLength(keys[j])) continue;
        const both = findName([globs[i], globs[j]], longer);
        if (both === undefined) continue;
        const differ = subjects.some((s) =>
          METHOD_ACTIONS.some((a) => cell(s.username, s.groups, keys[i], a) !== cell(s.username, s.groups, keys[j], a)),
        );
        (differ ? warnings : notes).push(
          `keys '${keys[i]}' and '${keys[j]}' are equally long and both match e.g. '${both}': Go map order picks one` +
            (differ ? ' and their rules differ: AMBIGUOUS' : ' (their rules agree)'),
        );
      }
    }
  }
  return { zotVersion: v, rows, warnings, notes };
}

const MARK: Record<Verdict, string> = { allowed: 'yes', denied: '-', conditional: 'if' };

/** The table as plain text: warnings first and loud, then the rows, then notes. */
export function formatAccessTable(t: AccessTable): string {
  const head = ['subject', 'repositories', 'read', 'create', 'update', 'delete'];
  const body = t.rows.map((r) => [r.subject, r.pattern, MARK[r.read], MARK[r.create], MARK[r.update], MARK[r.delete]]);
  const widths = head.map((h, i) => body.reduce((w, b) => Math.max(w, b[i].length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  for (const w of t.warnings) out.push(`!! ${w}`);
  if (t.warnings.length) out.push('');
  out.push(
    `Effective access (zot ${t.zotVersion}; yes = allowed, - = denied, if = only when the policy's conditions hold;`,
  );
  out.push(
    'a row: what zot allows on the names it decides with that key; keys where a subject gets nothing are left out)',
  );
  out.push('');
  out.push(line(head));
  out.push(line(widths.map((w) => '-'.repeat(w))));
  for (const b of body) out.push(line(b));
  if (t.notes.length) out.push('');
  for (const n of t.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}
