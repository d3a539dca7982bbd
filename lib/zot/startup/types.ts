// zot's Config as the decode (lib/zot/startup/decode.ts) builds it from the key tree
// (lib/zot/config-keys.ts): only the keys written and known to the version are there, each of the
// key tree's type (string, boolean, number, a duration in nanoseconds); a null item of a list is
// undefined (mapstructure.go: decode sets nothing for nil). The names are those of zot's structs
// (zot v2.1.19 pkg/api/config/config.go, pkg/extensions/config/**); only the fields the start-up
// rules read are named, the others are reached through the index signature.

/** A list as decoded: a null item stays undefined. */
export type List<T> = Array<T | undefined>;

/** An object of zot's structs: named fields, the rest by name. */
interface Struct {
  [key: string]: unknown;
}

/** A map(any) value (storageDriver, cacheDriver, sessionDriver, oauth2CredentialHelper): the keys as written, lower-cased. */
export type AnyMap = Record<string, unknown>;

export interface KeepTags extends Struct {
  patterns?: List<string>;
}
export interface RetentionPolicy extends Struct {
  repositories?: List<string>;
  keepTags?: List<KeepTags>;
}
export interface Retention extends Struct {
  policies?: List<RetentionPolicy>;
}

/** zot pkg/api/config/config.go: StorageConfig (the global storage and each subpath). */
export interface StorageConfig extends Struct {
  rootDirectory?: string;
  dedupe?: boolean;
  remoteCache?: boolean;
  redirectBlobURL?: boolean;
  gc?: boolean;
  gcDelay?: number;
  gcInterval?: number;
  gcTimeWindow?: { start: number; end: number };
  retention?: Retention;
  storageDriver?: AnyMap;
  cacheDriver?: AnyMap;
}
export interface GlobalStorageConfig extends StorageConfig {
  subPaths?: Record<string, StorageConfig>;
}

export interface Ldap extends Struct {
  credentialsFile?: string;
  address?: string;
  baseDN?: string;
  userAttribute?: string;
}
export interface OpenIdProvider extends Struct {
  credentialsFile?: string;
  clientid?: string;
  issuer?: string;
  scopes?: List<string>;
}
export interface Mtls extends Struct {
  identityAttributes?: List<string>;
  uriSanPattern?: string;
}
export interface UpstreamTokenEndpoint extends Struct {
  realm?: string;
  service?: string;
  allowInsecureHttp?: boolean;
}
export interface AwsSecretsManager extends Struct {
  region?: string;
  secretName?: string;
  refreshInterval?: number;
}
export interface BearerOidc extends Struct {
  issuer?: string;
  audiences?: List<string>;
}
export interface Bearer extends Struct {
  realm?: string;
  service?: string;
  cert?: string;
  upstreamTokenEndpoint?: UpstreamTokenEndpoint;
  oidc?: List<BearerOidc>;
  awsSecretsManager?: AwsSecretsManager;
}
export interface AuthConfig extends Struct {
  htpasswd?: { path?: string };
  ldap?: Ldap;
  bearer?: Bearer;
  openid?: { providers?: Record<string, OpenIdProvider> };
  apikey?: boolean;
  sessionKeysFile?: string;
  sessionDriver?: AnyMap;
  mtls?: Mtls;
}

export interface Condition extends Struct {
  expression?: string;
}
export interface Policy extends Struct {
  users?: List<string>;
  actions?: List<string>;
  groups?: List<string>;
  conditions?: List<Condition>;
}
export interface PolicyGroup extends Struct {
  policies?: List<Policy>;
  defaultPolicy?: List<string>;
  anonymousPolicy?: List<string>;
}
export interface AccessControl extends Struct {
  repositories?: Record<string, PolicyGroup>;
  adminPolicy?: Policy;
  groups?: Record<string, Struct>;
  metrics?: { users?: List<string>; anonymousPolicy?: List<string> };
}

export interface HttpConfig extends Struct {
  address?: string;
  port?: string;
  readTimeout?: number;
  writeTimeout?: number;
  tls?: { cert?: string; key?: string; cacert?: string };
  auth?: AuthConfig;
  accessControl?: AccessControl;
  compat?: List<string>;
}

export interface SyncContent extends Struct {
  prefix?: string;
  tags?: { regex?: string; excludeRegex?: string };
  destination?: string;
  stripPrefix?: boolean;
}
export interface SyncRegistry extends Struct {
  content?: List<SyncContent>;
  onDemand?: boolean;
  maxRetries?: number;
  retryDelay?: number;
  maxRetryDelay?: number;
  credentialHelper?: string;
  oauth2CredentialHelper?: AnyMap;
  preserveDigest?: boolean;
  manifestCheckInterval?: number;
  reqConcurrent?: number;
  reqPerSec?: number;
  maxIdleConnsPerHost?: number;
}
export interface SyncConfig extends Struct {
  enable?: boolean;
  downloadDir?: string;
  registries?: List<SyncRegistry>;
}
export interface Enable extends Struct {
  enable?: boolean;
}
export interface Extensions extends Struct {
  search?: Enable & { cve?: { updateInterval?: number; trivy?: Struct } & Struct };
  sync?: SyncConfig;
  metrics?: Enable & { prometheus?: { path?: string } };
  scrub?: Enable & { interval?: number };
  ui?: Enable;
  mgmt?: Enable;
  apikey?: Enable;
  trust?: Enable;
  events?: Enable & { sinks?: List<Struct & { type?: string }> };
}

/** zot's Config (pkg/api/config/config.go) as decoded, before applyDefaultValues. */
export interface ZotConfig extends Struct {
  distSpecVersion?: string;
  storage?: GlobalStorageConfig;
  http?: HttpConfig;
  log?: { level?: string; output?: string; audit?: string };
  extensions?: Extensions;
  cluster?: { members?: List<string>; hashKey?: string };
}

/** zot's Config after applyDefaultValues: the blocks config.New() always creates are there. */
export interface DefaultedConfig extends ZotConfig {
  distSpecVersion: string;
  storage: GlobalStorageConfig & { retention: Retention };
  http: HttpConfig & { auth: AuthConfig };
  log: { level?: string; output?: string; audit?: string };
}
