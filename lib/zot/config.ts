import { ZotFluxError } from '../core/error';

// zot's config.json as a typed object, and zot's own start-up rules (zot v2.1.14), checked before
// anything is written. See ../shared/reference/zot-facts.md.

export type ZotAction = 'read' | 'create' | 'update' | 'delete' | 'detectManifestCollision';
export const ZOT_ACTIONS: readonly ZotAction[] = ['read', 'create', 'update', 'delete', 'detectManifestCollision'];
/** Read, push, overwrite and delete: what the seed's admin may do. */
export const ALL_ACTIONS: readonly ZotAction[] = ['read', 'create', 'update', 'delete'];

export type ZotLogLevel = 'debug' | 'trace' | 'info' | 'warn' | 'warning' | 'error' | 'fatal' | 'panic';
export const ZOT_LOG_LEVELS: readonly ZotLogLevel[] = ['debug', 'trace', 'info', 'warn', 'warning', 'error', 'fatal', 'panic'];

export interface ZotPolicy {
  readonly users?: string[];
  readonly groups?: string[];
  readonly actions: ZotAction[];
}

export interface ZotRepositoryAccess {
  readonly policies?: ZotPolicy[];
  readonly defaultPolicy?: ZotAction[];
  readonly anonymousPolicy?: ZotAction[];
}

export interface ZotAccessControl {
  readonly repositories: Record<string, ZotRepositoryAccess>;
  readonly adminPolicy?: ZotPolicy;
}

export interface ZotStorageConfig {
  readonly rootDirectory: string;
  readonly dedupe?: boolean;
  readonly gc?: boolean;
  readonly gcDelay?: string;
  readonly gcInterval?: string;
}

export interface ZotHttpConfig {
  readonly address: string;
  readonly port: string;
  readonly auth?: { readonly htpasswd: { readonly path: string } };
  readonly accessControl?: ZotAccessControl;
}

export interface ZotExtensions {
  readonly search?: { readonly enable: boolean };
  readonly ui?: { readonly enable: boolean };
  readonly metrics?: { readonly enable: boolean; readonly prometheus?: { readonly path: string } };
  readonly scrub?: { readonly enable: boolean; readonly interval?: string };
}

export interface ZotConfig {
  readonly storage: ZotStorageConfig;
  readonly http: ZotHttpConfig;
  readonly log: { readonly level: ZotLogLevel };
  readonly extensions?: ZotExtensions;
}

/** A config zot would refuse; the message names the key path and the value. */
export class ZotConfigError extends ZotFluxError {
  constructor(message: string) {
    super({ field: '', reason: message });
  }
}

/** Every key zot's strict unmarshal accepts in what this project writes; anything else is fatal at start-up. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['storage', 'http', 'log', 'extensions'],
  storage: ['rootDirectory', 'dedupe', 'gc', 'gcDelay', 'gcInterval'],
  http: ['address', 'port', 'auth', 'accessControl'],
  'http.auth': ['htpasswd'],
  'http.auth.htpasswd': ['path'],
  'http.accessControl': ['repositories', 'adminPolicy'],
  'http.accessControl.adminPolicy': ['users', 'groups', 'actions'],
  log: ['level'],
  extensions: ['search', 'ui', 'metrics', 'scrub'],
  'extensions.search': ['enable'],
  'extensions.ui': ['enable'],
  'extensions.metrics': ['enable', 'prometheus'],
  'extensions.metrics.prometheus': ['path'],
  'extensions.scrub': ['enable', 'interval'],
};
const REPOSITORY_KEYS = ['policies', 'defaultPolicy', 'anonymousPolicy'];
const POLICY_KEYS = ['users', 'groups', 'actions'];

function checkKeys(value: unknown, at: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ZotConfigError(`zot config ${at || '(root)'} must be an object, got ${JSON.stringify(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ZotConfigError(
        `zot config ${at ? at + '.' : ''}${key}: unknown key '${key}' (zot refuses to start on unknown keys; allowed: ${allowed.join(', ')})`,
      );
    }
  }
}

function checkActions(actions: unknown, at: string): void {
  if (!Array.isArray(actions)) throw new ZotConfigError(`zot config ${at} must be a list of actions, got ${JSON.stringify(actions)}`);
  for (const a of actions) {
    if (!ZOT_ACTIONS.includes(a)) {
      throw new ZotConfigError(`zot config ${at}: unknown action '${a}' (allowed: ${ZOT_ACTIONS.join(', ')})`);
    }
  }
}

/** Go duration (time.ParseDuration) in nanoseconds; throws on a string Go would not parse. */
export function parseGoDuration(value: string, at: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(value);
  if (!m && value !== '0') throw new ZotConfigError(`zot config ${at}: '${value}' is not a duration (e.g. 1h, 30m, 90s)`);
  if (value === '0') return 0;
  const sign = value.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const part of value.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * units[part[2]];
  }
  return sign * total;
}

/**
 * Whether a repository glob compiles the way zot compiles it (doublestar): brackets and braces must
 * balance, and a bracket class must not be empty.
 */
export function globCompiles(glob: string): boolean {
  if (glob === '') return false;
  let brace = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') { i++; if (i >= glob.length) return false; continue; }
    if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!' || glob[j] === '^') j++;
      if (glob[j] === ']') return false;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) return false;
      i = j;
    } else if (c === ']') {
      return false;
    } else if (c === '{') {
      brace++;
    } else if (c === '}') {
      if (--brace < 0) return false;
    }
  }
  return brace === 0;
}

function checkPolicy(policy: unknown, at: string): void {
  checkKeys(policy, at, POLICY_KEYS);
  const p = policy as ZotPolicy;
  checkActions(p.actions, `${at}.actions`);
}

/**
 * Throws ZotConfigError, naming the field and the value, for everything zot v2.1.14 refuses at
 * start-up (or that would make it unusable): unknown keys, a port that is not an integer string
 * 0..65535, an unknown log level, ui without search, accessControl with non-anonymous rules but no
 * auth, a glob that does not compile, negative gc delays, a scrub interval under 2h.
 */
export function validateZotConfig(config: ZotConfig): void {
  checkKeys(config, '', KNOWN_KEYS['']);
  for (const [at, allowed] of Object.entries(KNOWN_KEYS)) {
    if (at === '') continue;
    const value = at.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), config);
    checkKeys(value, at, allowed);
  }
  if (!config.storage || !config.http || !config.log) {
    throw new ZotConfigError('zot config must have storage, http and log (zot refuses an empty config)');
  }
  if (!/^\d+$/.test(config.http.port) || Number(config.http.port) > 65535) {
    throw new ZotConfigError(`zot config http.port: '${config.http.port}' is not an integer 0..65535`);
  }
  if (!ZOT_LOG_LEVELS.includes(config.log.level)) {
    throw new ZotConfigError(`zot config log.level: '${config.log.level}' is not a level zot accepts (${ZOT_LOG_LEVELS.join(', ')})`);
  }
  for (const field of ['gcDelay', 'gcInterval'] as const) {
    const v = config.storage[field];
    if (v !== undefined && parseGoDuration(v, `storage.${field}`) < 0) {
      throw new ZotConfigError(`zot config storage.${field}: '${v}' is negative (zot refuses negative gc delays)`);
    }
  }
  const ext = config.extensions;
  if (ext?.ui?.enable && !ext.search?.enable) {
    throw new ZotConfigError('zot config extensions.ui: ui is enabled but extensions.search is not (zot refuses ui without search)');
  }
  if (ext?.scrub?.enable && ext.scrub.interval !== undefined && parseGoDuration(ext.scrub.interval, 'extensions.scrub.interval') < 2 * 3600e9) {
    throw new ZotConfigError(`zot config extensions.scrub.interval: '${ext.scrub.interval}' is under 2h (zot's minimum)`);
  }
  const ac = config.http.accessControl;
  if (ac) {
    checkKeys(ac.repositories, 'http.accessControl.repositories', Object.keys(ac.repositories ?? {}));
    let nonAnonymous = false;
    for (const [glob, access] of Object.entries(ac.repositories ?? {})) {
      const at = `http.accessControl.repositories["${glob}"]`;
      if (!globCompiles(glob)) throw new ZotConfigError(`zot config ${at}: the glob '${glob}' does not compile`);
      checkKeys(access, at, REPOSITORY_KEYS);
      (access.policies ?? []).forEach((p, i) => checkPolicy(p, `${at}.policies[${i}]`));
      if (access.defaultPolicy) checkActions(access.defaultPolicy, `${at}.defaultPolicy`);
      if (access.anonymousPolicy) {
        checkActions(access.anonymousPolicy, `${at}.anonymousPolicy`);
        const writes = access.anonymousPolicy.filter((a) => a !== 'read');
        if (writes.length) {
          throw new ZotConfigError(`zot config ${at}.anonymousPolicy: anonymous '${writes.join("', '")}' refused: anonymous clients may only read`);
        }
      }
      if ((access.policies ?? []).length > 0 || (access.defaultPolicy ?? []).length > 0) nonAnonymous = true;
    }
    if (ac.adminPolicy) {
      checkPolicy(ac.adminPolicy, 'http.accessControl.adminPolicy');
      if ((ac.adminPolicy.users ?? []).length > 0 || (ac.adminPolicy.groups ?? []).length > 0) nonAnonymous = true;
    }
    if (nonAnonymous && !config.http.auth?.htpasswd?.path) {
      throw new ZotConfigError('zot config http.accessControl: has rules for users but http.auth is not configured (zot refuses to start)');
    }
  }
}

/** The users a config's access control names (policies and adminPolicy), in order of first mention. */
export function usersInPolicies(config: ZotConfig): string[] {
  const ac = config.http.accessControl;
  if (!ac) return [];
  const names: string[] = [];
  for (const access of Object.values(ac.repositories)) for (const p of access.policies ?? []) names.push(...(p.users ?? []));
  names.push(...(ac.adminPolicy?.users ?? []));
  return [...new Set(names)];
}
