// A ZotRelease's accounts: the ZotUser and ZotGrant props, their run-time checks, the access intent
// compiled from them (lib/zot/access.ts), and the advisories that access meets.
import { Problem, refuse } from '../core/error';
import {
  checkBoolean,
  checkKnownKeys,
  checkList,
  checkObject,
  checkOneOf,
  checkString,
  checkStringList,
} from '../core/props';
import { FLUX_VARIABLE_NAME } from '../flux/substitution';
import { FluxVariableSource } from '../flux/variables';
import { AccessIntent } from '../zot/access';
import { advisoriesFor, advisoryHits, advisoryMeaning, advisoryName, advisoryRemedy } from '../zot/advisories';
import { ALL_ACTIONS, ZotAction, ZOT_ACTIONS } from '../zot/config';

/** Actions a user may do on the repositories the globs match. */
export interface ZotGrant {
  /** What the user may do there. */
  readonly actions: ZotAction[];
  /** Repository globs (zot's doublestar syntax), e.g. `['team/**']`. */
  readonly repositories: string[];
}

/** One registry account. Its htpasswd line never enters Git: it comes from a Flux variable. */
export interface ZotUser {
  /** The user name (the part before `:` in its htpasswd line). */
  readonly name: string;
  /** The Flux variable holding this user's whole htpasswd line, e.g. `COMMON_OCI`. */
  readonly variable: string;
  /**
   * What the user may do in `repositories`: the one-grant shorthand for
   * `grants: [{ actions, repositories }]`. Not together with `grants`.
   * @default - none: give `actions`, `grants` or `admin: true`
   */
  readonly actions?: ZotAction[];
  /**
   * Repository globs the actions apply to. zot decides each name with the longest matching glob
   * only; synth compiles what is declared here into keys that give exactly this (lib/zot/access.ts).
   * @default ['**']
   */
  readonly repositories?: string[];
  /**
   * Different rights on different repositories, e.g. push to `team/**` and pull everything:
   * `[{ actions: ['read', 'create', 'update'], repositories: ['team/**'] }, { actions: ['read'], repositories: ['**'] }]`.
   * The user may do an action on a repository when any grant whose globs match it lists the action.
   * Not together with `actions`/`repositories`, nor with `admin`.
   * @default - the one grant `actions` on `repositories`
   */
  readonly grants?: ZotGrant[];
  /**
   * zot's adminPolicy: read, create, update and delete on every repository. An admin's `actions`,
   * when given, must be those four and it takes no `repositories` or `grants` (anything narrower
   * would be a lie: admin grants everything).
   * @default false
   */
  readonly admin?: boolean;
  /**
   * The ConfigMap or Secret the variable is substituted from.
   * @default - Secret `common-secrets`
   */
  readonly source?: FluxVariableSource;
}

/** The seed's only account: `admin`, all actions, htpasswd line from `COMMON_OCI` in `common-secrets`. */
export const SEED_ADMIN: ZotUser = { name: 'admin', variable: 'COMMON_OCI', actions: [...ALL_ACTIONS], admin: true };

/** Anonymous clients' create, update or delete on the globs, as anonymousWrite lists them. */
export type AnonymousWrite = ReadonlyArray<{ readonly repositories: string[]; readonly actions: ZotAction[] }>;

const USER_NAME = /^[^:\s\x00-\x1f\x7f]+$/;

/** A user as its type declares it (esbuild does not type-check main.ts). */
export function checkUserShape(value: unknown, at: string): ZotUser {
  const u = checkObject(value, at);
  if (!u) refuse(at, value, 'is not a user object');
  checkKnownKeys(u, at, ['name', 'variable', 'actions', 'repositories', 'grants', 'admin', 'source']);
  checkString(u.name, `${at}.name`);
  checkString(u.variable, `${at}.variable`);
  checkBoolean(u.admin, `${at}.admin`);
  if (u.grants !== undefined) {
    const beside = (['actions', 'repositories'] as const).filter((k) => u[k] !== undefined);
    if (beside.length) {
      refuse(
        `${at}.grants`,
        undefined,
        `is given next to ${beside.join(' and ')}: give a user's rights one way, either actions with repositories (one grant) or grants (one entry per set of repositories), e.g. grants: [{ actions: ['read', 'create'], repositories: ['team/**'] }, { actions: ['read'], repositories: ['**'] }]`,
      );
    }
    if (u.admin === true)
      refuse(
        `${at}.grants`,
        undefined,
        "is given for an admin: zot's adminPolicy already grants read, create, update and delete on every repository; drop grants or admin",
      );
    checkList(u.grants, `${at}.grants`, checkGrantShape, { nonEmpty: true });
  } else {
    if (u.actions === undefined && u.admin !== true)
      refuse(
        `${at}.actions`,
        undefined,
        "is missing; give the user at least ['read'] (or grants: [{ actions, repositories }, ...], or admin: true)",
      );
    checkStringList(u.actions, `${at}.actions`);
    checkStringList(u.repositories, `${at}.repositories`, { nonEmpty: true, unique: true });
  }
  const src = checkObject(u.source, `${at}.source`);
  if (src) {
    checkOneOf(src.kind, `${at}.source.kind`, ['ConfigMap', 'Secret'] as const);
    checkString(src.name, `${at}.source.name`, { nonEmpty: true });
  }
  return u as unknown as ZotUser;
}

/** One entry of a user's grants, as its type declares it. */
function checkGrantShape(value: unknown, at: string): ZotGrant {
  const g = checkObject(value, at);
  if (!g) refuse(at, value, 'is not a grant { actions, repositories }');
  checkKnownKeys(g, at, ['actions', 'repositories']);
  for (const k of ['actions', 'repositories'] as const) {
    if (g[k] === undefined)
      refuse(
        `${at}.${k}`,
        undefined,
        "is missing: a grant is { actions: ['read', ...], repositories: ['team/**', ...] }",
      );
    checkStringList(g[k], `${at}.${k}`, { nonEmpty: true, unique: true });
  }
  for (const a of g.actions as string[]) {
    if (!(ZOT_ACTIONS as readonly string[]).includes(a))
      refuse(`${at}.actions`, a, `is not a zot action (${ZOT_ACTIONS.join(', ')})`);
  }
  return g as unknown as ZotGrant;
}

export function checkUsers(users: ZotUser[]): void {
  if (users.length === 0)
    refuse('users', users, 'is empty; at least one user is required (zot with auth and no users locks everyone out)');
  const names = new Set<string>();
  const variables = new Set<string>();
  users.forEach((u, i) => {
    const at = `users[${i}]`;
    if (!USER_NAME.test(u.name ?? '')) {
      refuse(
        `${at}.name`,
        u.name,
        "is not a valid htpasswd user name (non-empty, no ':', whitespace or control characters)",
      );
    }
    if (names.has(u.name)) {
      refuse(
        `${at}.name`,
        u.name,
        "is listed twice: one name is one htpasswd line; to give a user different rights on different repositories, list them in its grants: [{ actions: ['read', 'create', 'update'], repositories: ['team/**'] }, { actions: ['read'], repositories: ['**'] }]",
      );
    }
    names.add(u.name);
    if (!FLUX_VARIABLE_NAME.test(u.variable ?? '')) {
      refuse(
        `${at}.variable`,
        u.variable,
        `is not a valid flux variable name (must match ${FLUX_VARIABLE_NAME.source})`,
      );
    }
    if (variables.has(u.variable)) {
      refuse(`${at}.variable`, u.variable, 'is already used by another user (one variable carries one htpasswd line)');
    }
    variables.add(u.variable);
    if (u.grants !== undefined || (u.admin && u.actions === undefined)) return;
    if (!Array.isArray(u.actions) || u.actions.length === 0) {
      refuse(`${at}.actions`, u.actions, `gives user '${u.name}' no actions; give it at least 'read'`);
    }
    for (const a of u.actions) {
      if (!ZOT_ACTIONS.includes(a)) refuse(`${at}.actions`, a, `is not a zot action (${ZOT_ACTIONS.join(', ')})`);
    }
  });
}

/**
 * The declared access: admins get zot's adminPolicy, everyone else their grants (the shorthand
 * `actions`/`repositories` is one grant). Each grant carries the prop path it was declared at, so
 * the compiler's refusals name `users[2].repositories[0]` or `users[2].grants[1].actions`.
 */
export function accessIntent(
  users: ZotUser[],
  anonymousRead: string[],
  anonymousWrite: AnonymousWrite,
  authenticatedRead: string[],
): AccessIntent {
  return {
    users: users.map((u, i) => {
      const at = `users[${i}]`;
      if (!u.admin) {
        const grants = u.grants
          ? u.grants.map((g, j) => ({ repositories: g.repositories, actions: g.actions, field: `${at}.grants[${j}]` }))
          : [{ repositories: u.repositories ?? ['**'], actions: u.actions ?? [], field: at }];
        return { name: u.name, grants, field: at };
      }
      const all = [...ALL_ACTIONS];
      const actions = u.actions ?? all;
      if (u.repositories !== undefined || actions.length !== all.length || !all.every((a) => actions.includes(a))) {
        refuse(
          at,
          { actions: u.actions, ...(u.repositories ? { repositories: u.repositories } : {}) },
          `is an admin with narrower rights: zot's adminPolicy grants ${all.join(', ')} on every repository, so give actions: [${all.map((a) => `'${a}'`).join(', ')}] (or none) and no repositories, or drop admin`,
        );
      }
      return { name: u.name, admin: true, field: at };
    }),
    anonymousRead,
    anonymousWrite: anonymousWrite.map((w, i) => ({
      repositories: w.repositories,
      actions: w.actions,
      field: `anonymousWrite[${i}]`,
    })),
    authenticatedRead,
  };
}

/**
 * The refusals lib/checks/advisories.ts makes at synth for the compiled access (create without update on an
 * affected zot, unless acknowledged), worded the same, for naming beside a refusal made here.
 */
export function advisoryProblems(
  accessControl: unknown,
  zotVersion: string,
  acknowledged: readonly string[],
  users: readonly ZotUser[],
): Problem[] {
  const out: Problem[] = [];
  for (const a of advisoriesFor(zotVersion)) {
    if (acknowledged.includes(a.id)) continue;
    let hits: ReturnType<typeof advisoryHits>;
    try {
      hits = advisoryHits(a, accessControl, zotVersion);
    } catch {
      continue; // an accessControl zot would not read: synth says so
    }
    for (const h of hits) {
      const user = h.subject.startsWith('user ') ? users.findIndex((u) => `user ${u.name}` === h.subject) : -1;
      out.push({
        // anonymous create comes only from anonymousWrite, and signed-in users inherit it (lib/zot/access.ts compileAccess)
        field:
          h.subject === 'anonymous' || h.subject === 'any signed-in user'
            ? 'anonymousWrite'
            : user >= 0
              ? `users[${user}]`
              : 'users',
        reason:
          `${h.says}, which does not mean what it says on zot ${zotVersion}: ${advisoryName(a)}, ${advisoryMeaning(a)}; ` +
          `${advisoryRemedy(a)}, or acknowledge it by name: acknowledgedAdvisories: ['${a.id}']`,
      });
    }
  }
  return out;
}

/** anonymousWrite as its type declares it: each entry { repositories, actions }, both non-empty. */
export function checkAnonymousWrite(value: unknown): AnonymousWrite | undefined {
  return checkList(value, 'anonymousWrite', (v, at) => {
    const o = checkObject(v, at);
    if (!o) refuse(at, v, 'is not an object { repositories, actions }');
    checkKnownKeys(o, at, ['repositories', 'actions']);
    checkStringList(o.repositories, `${at}.repositories`, { nonEmpty: true, unique: true });
    checkStringList(o.actions, `${at}.actions`, { nonEmpty: true, unique: true });
    if (o.repositories === undefined || o.actions === undefined) refuse(at, v, 'needs both repositories and actions');
    return o as unknown as { repositories: string[]; actions: ZotAction[] };
  });
}
