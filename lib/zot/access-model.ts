// zot's accessControl, read the way zot reads config.json: the versions whose authorization was read,
// the model of accessControl, and the parts of a whole config.json the decision needs.

import { ZotFluxError, Problem } from '../core/error';
import { ZOT_ACTIONS, ZotAction } from './config';
import { compareZotVersions, isZotVersionString } from './config-keys';
import { enabledAuthentication, ZotAuthMethod } from './authentication';
import { DOUBLESTAR_BY_ZOT_VERSION, validatePattern } from './glob';
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
/** The patch number of a version 'v2.1.N'. */
export const patch = (v: string): number => Number(v.split('.')[2]);

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
  return new AccessControlReader(zotVersion(version), field).read(raw);
}

/** One reading: the problems found on the way, in the order zot's reading meets them. */
class AccessControlReader {
  private readonly problems: Problem[] = [];
  private readonly policyKeys: readonly string[];
  constructor(
    private readonly v: string,
    private readonly field: string,
  ) {
    this.policyKeys = patch(v) >= 17 ? ['users', 'actions', 'groups', 'conditions'] : ['users', 'actions', 'groups'];
  }

  read(raw: unknown): ZotAccessModel {
    const field = this.field;
    const ac = this.obj(raw, field) ?? {};
    this.known(ac, field, ['repositories', 'adminpolicy', 'groups', 'metrics']);
    const repositories = new Map<string, ZotPolicyGroupModel>();
    const repos = this.obj(ac.repositories, `${field}.repositories`) ?? {};
    for (const [pattern, pg] of Object.entries(repos)) repositories.set(pattern, this.repository(pattern, pg));
    const groups = this.groups(ac.groups);
    const metrics = this.obj(ac.metrics, `${field}.metrics`);
    if (metrics)
      this.known(metrics, `${field}.metrics`, patch(this.v) >= 18 ? ['users', 'anonymouspolicy'] : ['users']);
    const adminPolicy = this.policy(ac.adminpolicy, `${field}.adminPolicy`);
    if (this.problems.length) throw new ZotFluxError(this.problems, `zot ${this.v} would not read this accessControl`);
    return { repositories, adminPolicy, groups };
  }

  /** An object with its keys lowercased (undefined for null or absent, and a problem for anything else). */
  private obj(x: unknown, at: string): Record<string, unknown> | undefined {
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'object' || Array.isArray(x)) {
      this.problems.push({ field: at, value: x, reason: 'is not an object' });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    const seen = new Map<string, string>();
    for (const [k, val] of Object.entries(x)) {
      const lower = k.toLowerCase();
      if (seen.has(lower)) {
        this.problems.push({
          field: `${at}["${k}"]`,
          value: k,
          reason: `and '${seen.get(lower)}' are one key once viper lowercases it (viper v1.21.0 insensitiviseMap); which survives depends on Go map order`,
        });
      }
      seen.set(lower, k);
      out[lower] = val;
    }
    return out;
  }

  private known(o: Record<string, unknown>, at: string, keys: readonly string[]): void {
    for (const k of Object.keys(o))
      if (!keys.includes(k))
        this.problems.push({
          field: `${at}.${k}`,
          reason: `is not a key zot ${this.v} knows there (zot refuses to start: unknown keys)`,
        });
  }

  private strings(x: unknown, at: string): string[] {
    if (x === undefined || x === null) return [];
    if (!Array.isArray(x) || x.some((s) => typeof s !== 'string')) {
      this.problems.push({ field: at, value: x, reason: 'is not a list of strings' });
      return [];
    }
    return x as string[];
  }

  private policy(x: unknown, at: string): ZotPolicyModel {
    const o = this.obj(x, at);
    if (!o) return EMPTY_POLICY;
    this.known(o, at, this.policyKeys);
    const conditions = o.conditions;
    if (conditions !== undefined && conditions !== null && !Array.isArray(conditions))
      this.problems.push({ field: `${at}.conditions`, value: conditions, reason: 'is not a list' });
    if (Array.isArray(conditions))
      conditions.forEach((c, i) => {
        const co = this.obj(c, `${at}.conditions[${i}]`);
        if (co) this.known(co, `${at}.conditions[${i}]`, ['expression', 'message']);
      });
    return {
      users: this.strings(o.users, `${at}.users`),
      groups: this.strings(o.groups, `${at}.groups`),
      actions: this.strings(o.actions, `${at}.actions`),
      conditional: Array.isArray(conditions) && conditions.length > 0,
    };
  }

  /** One repositories key and its policy group. */
  private repository(pattern: string, pg: unknown): ZotPolicyGroupModel {
    const at = `${this.field}.repositories["${pattern}"]`;
    if (!validatePattern(pattern))
      this.problems.push({
        field: at,
        value: pattern,
        reason:
          'is not a valid doublestar pattern: zot refuses to start (pkg/cli/server/root.go: glob.ValidatePattern on every repositories key)',
      });
    if (pattern.includes('::'))
      this.problems.push({
        field: at,
        value: pattern,
        reason:
          'contains "::", the key delimiter zot gives viper (root.go LoadConfiguration): it would be read as nested keys',
      });
    const o = this.obj(pg, at) ?? {};
    this.known(o, at, ['policies', 'defaultpolicy', 'anonymouspolicy']);
    const policies = this.list(o.policies, `${at}.policies`);
    return {
      policies: policies.map((p, i) => this.policy(p, `${at}.policies[${i}]`)),
      defaultPolicy: this.strings(o.defaultpolicy, `${at}.defaultPolicy`),
      anonymousPolicy: this.strings(o.anonymouspolicy, `${at}.anonymousPolicy`),
    };
  }

  private list(x: unknown, at: string): readonly unknown[] {
    if (x === undefined || x === null) return [];
    if (Array.isArray(x)) return x;
    this.problems.push({ field: at, value: x, reason: 'is not a list' });
    return [];
  }

  /** accessControl.groups: group → its users. */
  private groups(raw: unknown): Map<string, string[]> {
    const field = this.field;
    const groups = new Map<string, string[]>();
    for (const [name, g] of Object.entries(this.obj(raw, `${field}.groups`) ?? {})) {
      const o = this.obj(g, `${field}.groups["${name}"]`) ?? {};
      this.known(o, `${field}.groups["${name}"]`, ['users']);
      groups.set(name, this.strings(o.users, `${field}.groups["${name}"].users`));
    }
    return groups;
  }
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

/** A ZotAccessModel already read (rather than a parsed config.json object). */
export function isModel(x: unknown): x is ZotAccessModel {
  return typeof x === 'object' && x !== null && 'repositories' in x && x.repositories instanceof Map;
}
