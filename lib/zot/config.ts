// zot's config.json as this project writes it, as types. What zot accepts at start-up, per
// version, is lib/zot/startup.ts (verifyZotConfig) over the key tree of lib/zot/config-keys.ts.

export type ZotAction = 'read' | 'create' | 'update' | 'delete' | 'detectManifestCollision';
export const ZOT_ACTIONS: readonly ZotAction[] = ['read', 'create', 'update', 'delete', 'detectManifestCollision'];
/** Read, push, overwrite and delete: what the seed's admin may do. */
export const ALL_ACTIONS: readonly ZotAction[] = ['read', 'create', 'update', 'delete'];

export type ZotLogLevel = 'debug' | 'trace' | 'info' | 'warn' | 'warning' | 'error' | 'fatal' | 'panic';
export const ZOT_LOG_LEVELS: readonly ZotLogLevel[] = [
  'debug',
  'trace',
  'info',
  'warn',
  'warning',
  'error',
  'fatal',
  'panic',
];

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
  /** From zot v2.1.17 (a Go duration); unset means 60 s there. */
  readonly readTimeout?: string;
  readonly writeTimeout?: string;
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
/** The users a config's access control names (policies and adminPolicy), in order of first mention. */
export function usersInPolicies(config: ZotConfig): string[] {
  const ac = config.http.accessControl;
  if (!ac) return [];
  const names: string[] = [];
  for (const access of Object.values(ac.repositories))
    for (const p of access.policies ?? []) names.push(...(p.users ?? []));
  names.push(...(ac.adminPolicy?.users ?? []));
  return [...new Set(names)];
}
