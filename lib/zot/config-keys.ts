// The keys of zot's config.json in every zot version this project models, read from zot's source at
// each tag (pkg/api/config/config.go, pkg/api/config/gctimewindow.go, pkg/extensions/config/config.go,
// pkg/extensions/config/sync/config.go, pkg/extensions/config/events/config.go; v2.1.14 to v2.1.20).
// Every key carries its type and, when it is newer than v2.1.14, the version it appears in. No key of
// v2.1.14 was removed up to v2.1.20; v2.1.20's config packages are byte-identical to v2.1.19's.
//
// How zot matches keys (zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration):
// - viper v1.21.0 reads the file and lower-cases every map key at every depth, inside lists too
//   (viper util.go: insensitiviseMap), so two keys that differ only by case collide;
// - viper's key delimiter is "::" there (viper.KeyDelimiter("::")), so a key holding "::" is split;
// - viper hands mapstructure only the keys that hold a value (viper.go: AllKeys, getSettings): a null
//   and an empty object vanish;
// - mapstructure v2.5.0 (go-viper) matches a key to a field by its mapstructure tag or Go name, then
//   case-insensitively (mapstructure.go: decodeStructFromMap, MatchName = strings.EqualFold);
// - UnmarshalExact sets ErrorUnused: a key with no field is fatal ("has invalid keys");
// - WeaklyTypedInput is on (viper.go: defaultDecoderConfig): "5000" and 5000 both fill a string or an
//   int, a single value fills a list; durations are Go durations ("90s", "1h30m") or nanoseconds.
// The names below are spelled as zot's examples spell them; zot accepts any case.
import { ZotFluxError } from '../core/error';

/** Every zot version modelled here, oldest first. */
export const ZOT_VERSIONS = ['v2.1.14', 'v2.1.15', 'v2.1.16', 'v2.1.17', 'v2.1.18', 'v2.1.19', 'v2.1.20'] as const;
export type ZotVersion = (typeof ZOT_VERSIONS)[number];

/**
 * What a key holds, as zot decodes it:
 * object (a Go struct: its own keys), map (free keys, lower-cased by viper), list, string, bool, int,
 * duration (a Go duration string, or a number of nanoseconds), any (anything: driver options),
 * bytes (a string read as bytes), timeWindow ("HH:MM-HH:MM", v2.1.19).
 */
export type KeyType = 'object' | 'map' | 'list' | 'string' | 'bool' | 'int' | 'duration' | 'any' | 'bytes' | 'timeWindow';

export interface KeyNode {
  readonly type: KeyType;
  /** The first modelled zot version with this key; absent: every modelled version. */
  readonly since?: ZotVersion;
  /** object: its keys. */
  readonly keys?: Readonly<Record<string, KeyNode>>;
  /** list: the element; map: the value. */
  readonly of?: KeyNode;
  /**
   * object decoded by a hook that ignores unknown keys instead of refusing them (an events sink:
   * zot v2.1.14 pkg/extensions/config/events/decoder.go: SinkConfigDecoderHook, mitchellh/mapstructure
   * without ErrorUnused).
   */
  readonly lenient?: boolean;
  /** Why the key is there when it is not a setting (zot fills it itself). */
  readonly note?: string;
}

// Builders: short, so the tree below reads like zot's structs.
const str: KeyNode = { type: 'string' };
const bool: KeyNode = { type: 'bool' };
const int: KeyNode = { type: 'int' };
const dur: KeyNode = { type: 'duration' };
const any: KeyNode = { type: 'any' };
const strs: KeyNode = { type: 'list', of: str };
const obj = (keys: Record<string, KeyNode>, extra: Partial<KeyNode> = {}): KeyNode => ({ type: 'object', keys, ...extra });
const list = (of: KeyNode): KeyNode => ({ type: 'list', of });
const map = (of: KeyNode): KeyNode => ({ type: 'map', of });
const since = (version: ZotVersion, node: KeyNode): KeyNode => ({ ...node, since: version });
const internal = (node: KeyNode, note: string): KeyNode => ({ ...node, note });

// zot v2.1.19 pkg/api/config/config.go: KeepTagsPolicy, KeepUntaggedPolicy, RetentionPolicy, ImageRetention
const keepCounts = {
  pulledWithin: dur,
  pushedWithin: dur,
  mostRecentlyPushedCount: int,
  mostRecentlyPulledCount: int,
};
const retention = obj({
  dryRun: bool,
  delay: dur,
  policies: list(obj({
    repositories: strs,
    deleteReferrers: bool,
    deleteUntagged: bool,
    keepTags: list(obj({ patterns: strs, ...keepCounts })),
    keepUntagged: since('v2.1.19', obj(keepCounts)),
  })),
});

// zot v2.1.19 pkg/api/config/config.go: StorageConfig (squashed into GlobalStorageConfig, and each subPaths value)
const storageKeys: Record<string, KeyNode> = {
  rootDirectory: str,
  maxRepos: since('v2.1.16', int),
  dedupe: bool,
  remoteCache: bool,
  redirectBlobURL: since('v2.1.18', bool),
  gc: bool,
  commit: bool,
  gcDelay: dur,
  gcInterval: dur,
  gcTimeWindow: since('v2.1.19', { type: 'timeWindow' }),
  retention,
  storageDriver: map(any),
  cacheDriver: map(any),
  gcMaxSchedulerDelay: internal(dur, 'a Go field documented as "not configurable by the end user"; mapstructure still reads it'),
};

// zot v2.1.14 pkg/api/config/config.go: TLSConfig
const tls = obj({ cert: str, key: str, cacert: str });

// zot v2.1.17 pkg/api/config/config.go: Policy, Condition
const policy = obj({
  users: strs,
  actions: strs,
  groups: strs,
  conditions: since('v2.1.17', list(obj({ expression: str, message: str }))),
});

// zot v2.1.19 pkg/api/config/config.go: AuthConfig and what it holds
const auth = obj({
  failDelay: int,
  htpasswd: obj({ path: str }),
  ldap: obj({
    credentialsFile: str,
    port: int,
    insecure: bool,
    startTLS: bool,
    skipVerify: bool,
    subtreeSearch: bool,
    address: str,
    userGroupAttribute: str,
    baseDN: str,
    userAttribute: str,
    userFilter: str,
    cacert: str,
  }),
  bearer: obj({
    realm: str,
    service: str,
    upstreamTokenEndpoint: since('v2.1.19', obj({ realm: str, service: str, allowInsecureHttp: bool })),
    cert: str,
    oidc: list(obj({
      issuer: str,
      audiences: strs,
      claimMapping: obj({
        variables: list(obj({ name: str, expression: str })),
        validations: list(obj({ expression: str, message: str })),
        username: str,
        groups: str,
      }),
      certificateAuthority: since('v2.1.15', str),
      certificateAuthorityFile: since('v2.1.15', str),
      skipIssuerVerification: bool,
    })),
    awsSecretsManager: since('v2.1.15', obj({ region: str, secretName: str, refreshInterval: dur })),
  }),
  openid: obj({
    providers: map(obj({
      credentialsFile: str,
      name: str,
      clientid: str,
      clientsecret: str,
      keypath: str,
      issuer: str,
      authurl: str,
      tokenurl: str,
      scopes: strs,
      claimMapping: obj({ username: str, groups: since('v2.1.17', str) }),
    })),
    callbackAllowOrigins: since('v2.1.15', strs),
  }),
  apikey: bool,
  sessionKeysFile: str,
  sessionHashKey: internal({ type: 'bytes' }, 'filled from sessionKeysFile; a Go []byte field mapstructure still reads'),
  sessionEncryptKey: internal({ type: 'bytes' }, 'filled from sessionKeysFile; a Go []byte field mapstructure still reads'),
  sessionDriver: map(any),
  secureSession: bool,
  mtls: obj({
    identityAttributes: strs,
    uriSanPattern: str,
    uriSanIndex: int,
    dnsSanIndex: int,
    emailSanIndex: int,
  }),
});

// zot v2.1.19 pkg/extensions/config/sync/config.go: Config, RegistryConfig, Content, Tags
const sync = obj({
  enable: bool,
  credentialsFile: str,
  downloadDir: str,
  registries: list(obj({
    urls: strs,
    pollInterval: dur,
    content: list(obj({
      prefix: str,
      tags: obj({ regex: str, excludeRegex: str, semver: bool }),
      destination: str,
      stripPrefix: bool,
    })),
    tlsVerify: bool,
    onDemand: bool,
    certDir: str,
    maxRetries: int,
    retryDelay: dur,
    maxRetryDelay: since('v2.1.19', dur),
    onlySigned: bool,
    syncLegacyCosignTags: since('v2.1.15', bool),
    credentialHelper: str,
    oauth2CredentialHelper: since('v2.1.19', map(any)),
    preserveDigest: bool,
    syncTimeout: dur,
    responseHeaderTimeout: internal(dur, 'zot sets it itself (yaml:"-"); mapstructure still reads it'),
  })),
});

// zot v2.1.14 pkg/extensions/config/events/config.go: SinkConfig (embedded *Credentials and *TLSConfig
// are not squashed by the hook's decoder: they are the keys "credentials" and "tlsConfig")
const sink = obj({
  credentials: obj({ username: str, password: str, file: str, token: str }),
  tlsConfig: obj({ caCertFile: str, certFile: str, keyFile: str }),
  type: str,
  address: str,
  channel: str,
  timeout: dur,
  proxy: str,
  headers: map(str),
}, { lenient: true });

const enable = { enable: bool };

// zot v2.1.19 pkg/extensions/config/config.go: ExtensionConfig (BaseConfig squashed: "enable")
const extensions = obj({
  search: obj({
    ...enable,
    cve: obj({
      updateInterval: dur,
      trivy: obj({
        dbRepository: str,
        javaDBRepository: str,
        vulnSeveritySources: since('v2.1.16', strs),
        sbom: since('v2.1.18', obj({ enable: bool, format: str })),
      }),
    }),
  }),
  sync,
  metrics: obj({ ...enable, prometheus: obj({ path: str }) }),
  scrub: obj({ ...enable, interval: dur }),
  lint: obj({ ...enable, mandatoryAnnotations: strs }),
  ui: obj(enable),
  mgmt: obj(enable),
  apikey: obj(enable),
  trust: obj({ ...enable, cosign: bool, notation: bool }),
  events: obj({ ...enable, sinks: list(sink) }),
});

/** zot's config.json: every key of every modelled version (filter with keyTreeFor). */
// zot v2.1.19 pkg/api/config/config.go: Config, GlobalStorageConfig, HTTPConfig, AccessControlConfig, LogConfig, ClusterConfig
export const ZOT_CONFIG_KEYS: KeyNode = obj({
  distSpecVersion: str,
  goVersion: internal(str, 'build information zot fills in itself; a value here replaces it'),
  commit: internal(str, 'build information zot fills in itself; a value here replaces it'),
  releaseTag: internal(str, 'build information zot fills in itself; a value here replaces it'),
  binaryType: internal(str, 'build information zot fills in itself; a value here replaces it'),
  storage: obj({
    ...storageKeys,
    subPaths: map(obj(storageKeys)),
    fastRestart: since('v2.1.18', bool),
  }),
  http: obj({
    address: str,
    externalUrl: str,
    port: str,
    allowOrigin: str,
    readTimeout: since('v2.1.17', dur),
    writeTimeout: since('v2.1.17', dur),
    tls,
    auth,
    accessControl: obj({
      repositories: map(obj({ policies: list(policy), defaultPolicy: strs, anonymousPolicy: strs })),
      adminPolicy: policy,
      groups: map(obj({ users: strs })),
      metrics: obj({ users: strs, anonymousPolicy: since('v2.1.18', strs) }),
    }),
    realm: str,
    ratelimit: obj({ rate: int, methods: list(obj({ method: str, rate: int })) }),
    compat: strs,
  }),
  log: obj({ level: str, output: str, audit: str }),
  extensions,
  scheduler: obj({ numWorkers: int }),
  cluster: obj({
    members: strs,
    hashKey: str,
    tls,
    // zot v2.1.14 pkg/api/config/config.go: ClusterConfig.Proxy has the tag mapstructure:"-", which
    // mapstructure reads as the key "-" (only the tag name "-" with no comma is skipped by zot's own
    // schema command, not by the decoder).
    '-': internal(obj({ localMemberClusterSocket: str, localMemberClusterSocketIndex: int }), 'the internal Proxy field (tag mapstructure:"-")'),
  }),
});

/**
 * The keys of the OAuth2 credential helper of a sync registry, decoded only when credentialHelper is
 * "oauth2" with mitchellh/mapstructure and ErrorUnused (zot v2.1.19 pkg/extensions/config/sync/config.go:
 * OAuth2HelperConfig, decodeOauth2CredentialHelper).
 */
export const OAUTH2_HELPER_KEYS: KeyNode = since('v2.1.19', obj({
  tokenURL: str,
  assertionFile: str,
  signingFile: str,
  grantType: str,
  clientID: str,
  clientSecretFile: str,
  scopes: strs,
  username: str,
  audience: str,
  subjectTokenType: str,
  requestedTokenType: str,
}));

// --- Versions ---

/** `v2.1.18` or `2.1.18` → `v2.1.18`; anything else unchanged. */
export function normalizeZotVersion(version: string): string {
  return /^\d+\.\d+\.\d+$/.test(version) ? `v${version}` : version;
}

function parts(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Compares two versions `vX.Y.Z` (the `v` is optional): negative, zero or positive. */
export function compareZotVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  if (!pa || !pb) throw new TypeError(`not a version: ${pa ? b : a}`);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/** Whether this project has a model (keys and start-up rules) of that zot version. */
export function isModelledZotVersion(version: string): version is ZotVersion {
  return (ZOT_VERSIONS as readonly string[]).includes(normalizeZotVersion(version));
}

/** The modelled version, or a ZotFluxError that says what a new version needs. */
export function modelledZotVersion(version: string, field = 'zotVersion'): ZotVersion {
  const v = normalizeZotVersion(version);
  if (isModelledZotVersion(v)) return v;
  const known = `${ZOT_VERSIONS[0]} to ${ZOT_VERSIONS[ZOT_VERSIONS.length - 1]}`;
  throw new ZotFluxError({
    field,
    value: version,
    reason: parts(version)
      ? `is a zot version this project has no model of (it models ${known}): read zot's source at that tag ` +
        '(pkg/api/config, pkg/extensions/config, pkg/cli/server/root.go), add its new keys to ' +
        'lib/zot/config-keys.ts and its start-up rules to lib/zot/startup.ts, then add it to ZOT_VERSIONS'
      : `is not a zot version (expected vX.Y.Z; this project models ${known})`,
  });
}

/** Whether `version` has the node (its `since` is not newer). */
export function hasKey(node: KeyNode, version: ZotVersion): boolean {
  return node.since === undefined || compareZotVersions(node.since, version) <= 0;
}

/** The keys of one zot version: the tree without the keys newer than it. */
export function keyTreeFor(version: string): KeyNode {
  const v = modelledZotVersion(version);
  const prune = (node: KeyNode): KeyNode => {
    const out: { -readonly [K in keyof KeyNode]: KeyNode[K] } = { ...node };
    delete out.since;
    if (node.keys) {
      const keys: Record<string, KeyNode> = {};
      for (const [name, child] of Object.entries(node.keys)) if (hasKey(child, v)) keys[name] = prune(child);
      out.keys = keys;
    }
    if (node.of) out.of = prune(node.of);
    return out;
  };
  return prune(ZOT_CONFIG_KEYS);
}

/** The child of an object node that a config key selects, matched as zot matches it (case-insensitively). */
export function findKey(node: KeyNode, key: string): [string, KeyNode] | undefined {
  if (!node.keys) return undefined;
  const lower = key.toLowerCase();
  for (const [name, child] of Object.entries(node.keys)) if (name.toLowerCase() === lower) return [name, child];
  return undefined;
}

/** The first modelled version that has the key at this path of object keys (`http.readTimeout`), if any. */
export function versionWithKey(path: readonly string[]): ZotVersion | undefined {
  let node: KeyNode | undefined = ZOT_CONFIG_KEYS;
  let first: ZotVersion | undefined;
  for (const key of path) {
    while (node && (node.type === 'list' || node.type === 'map')) node = node.of;
    const hit: [string, KeyNode] | undefined = node ? findKey(node, key) : undefined;
    if (!hit) return undefined;
    node = hit[1];
    if (node.since && (!first || compareZotVersions(node.since, first) > 0)) first = node.since;
  }
  return first ?? ZOT_VERSIONS[0];
}

/**
 * Every key path of a version with its type, lower-cased as zot compares them: `storage.subpaths.{}.gc`
 * (`{}` a map value, `[]` a list element). For reviews and for comparing with zot's structs.
 */
export function keyPathsFor(version: string): Array<[path: string, type: KeyType]> {
  const out: Array<[string, KeyType]> = [];
  const walk = (node: KeyNode, path: string): void => {
    if (path) out.push([path, node.type]);
    if (node.keys) for (const [name, child] of Object.entries(node.keys)) walk(child, path ? `${path}.${name.toLowerCase()}` : name.toLowerCase());
    if (node.of) walk(node.of, `${path}.${node.type === 'list' ? '[]' : '{}'}`);
  };
  walk(keyTreeFor(version), '');
  return out;
}
