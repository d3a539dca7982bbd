// The keys of zot's config.json in every zot version this project models, read from zot's source at
// each tag (pkg/api/config/config.go, pkg/api/config/gctimewindow.go, pkg/extensions/config/config.go,
// pkg/extensions/config/sync/config.go, pkg/extensions/config/events/config.go; v2.1.14 to v2.1.20).
// Every key carries its type and, when it is newer than v2.1.14, the version it appears in. No key of
// v2.1.14 was removed up to v2.1.20; v2.1.20's config packages are byte-identical to v2.1.19's.
// Keys zot's main branch adds after v2.1.20 (read at commit 6d19b445, ZOT_MAIN) are marked `main`:
// a version newer than v2.1.20 is checked with them (resolveZotModel).
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
import { compareVersions, parseSemver } from '../core/version';

/** Every zot version modelled here, oldest first. */
export const ZOT_VERSIONS = ['v2.1.14', 'v2.1.15', 'v2.1.16', 'v2.1.17', 'v2.1.18', 'v2.1.19', 'v2.1.20'] as const;
export type ZotVersion = (typeof ZOT_VERSIONS)[number];

/**
 * zot's main branch as read here after its newest tag: commit 6d19b445 (2026-08-21, 25 commits after
 * v2.1.20; `git log v2.1.20..6d19b445`). Keys marked `since: 'main'` are on main at that commit and in
 * no tag this project has read. zot v2.1.21 is released but its source could not be read here, so
 * whether it has them is not known: a version newer than v2.1.20 is checked as if it had them (they
 * are validated as main validates them, with a warning that says so). Between v2.1.20 and that commit,
 * pkg/api/authz.go, pkg/api/authn.go and pkg/api/config are unchanged, and go.mod keeps viper v1.21.0,
 * go-viper/mapstructure v2.5.0 and doublestar v4.10.0 (`git diff v2.1.20 6d19b445`).
 */
export const ZOT_MAIN = { commit: '6d19b445', after: 'v2.1.20', date: '2026-08-21' } as const;

/** The first version with a key: a modelled tag, or `main` (ZOT_MAIN: after the newest tag). */
export type KeySince = ZotVersion | 'main';

/**
 * What a key holds, as zot decodes it:
 * object (a Go struct: its own keys), map (free keys, lower-cased by viper), list, string, bool, int,
 * duration (a Go duration string, or a number of nanoseconds), any (anything: driver options),
 * bytes (a string read as bytes), timeWindow ("HH:MM-HH:MM", v2.1.19), float (a Go float64: main's
 * sync reqPerSec).
 */
export type KeyType =
  'object' | 'map' | 'list' | 'string' | 'bool' | 'int' | 'float' | 'duration' | 'any' | 'bytes' | 'timeWindow';

export interface KeyNode {
  readonly type: KeyType;
  /** The first modelled zot version with this key; absent: every modelled version; `main`: ZOT_MAIN only. */
  readonly since?: KeySince;
  /** For a `main` key: the commit (and pull request) that added it. */
  readonly addedBy?: string;
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
const obj = (keys: Record<string, KeyNode>, extra: Partial<KeyNode> = {}): KeyNode => ({
  type: 'object',
  keys,
  ...extra,
});
const list = (of: KeyNode): KeyNode => ({ type: 'list', of });
const map = (of: KeyNode): KeyNode => ({ type: 'map', of });
const float: KeyNode = { type: 'float' };
const since = (version: ZotVersion, node: KeyNode): KeyNode => ({ ...node, since: version });
const onMain = (addedBy: string, node: KeyNode): KeyNode => ({ ...node, since: 'main', addedBy });
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
  policies: list(
    obj({
      repositories: strs,
      deleteReferrers: bool,
      deleteUntagged: bool,
      keepTags: list(obj({ patterns: strs, ...keepCounts })),
      keepUntagged: since('v2.1.19', obj(keepCounts)),
    }),
  ),
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
  gcMaxSchedulerDelay: internal(
    dur,
    'a Go field documented as "not configurable by the end user"; mapstructure still reads it',
  ),
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
    oidc: list(
      obj({
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
      }),
    ),
    awsSecretsManager: since('v2.1.15', obj({ region: str, secretName: str, refreshInterval: dur })),
  }),
  openid: obj({
    providers: map(
      obj({
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
      }),
    ),
    callbackAllowOrigins: since('v2.1.15', strs),
  }),
  apikey: bool,
  sessionKeysFile: str,
  sessionHashKey: internal(
    { type: 'bytes' },
    'filled from sessionKeysFile; a Go []byte field mapstructure still reads',
  ),
  sessionEncryptKey: internal(
    { type: 'bytes' },
    'filled from sessionKeysFile; a Go []byte field mapstructure still reads',
  ),
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
  registries: list(
    obj({
      urls: strs,
      pollInterval: dur,
      content: list(
        obj({
          prefix: str,
          tags: obj({ regex: str, excludeRegex: str, semver: bool }),
          destination: str,
          stripPrefix: bool,
        }),
      ),
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
      // zot main 6d19b445 pkg/extensions/config/sync/config.go: RegistryConfig (after v2.1.20, in no tag read here)
      manifestCheckInterval: onMain('commit 18261d4f (#4328)', dur),
      reqConcurrent: onMain('commit 5fca8a6d (#4322)', int),
      reqPerSec: onMain('commit 5fca8a6d (#4322)', float),
      maxIdleConnsPerHost: onMain('commit d00a1000 (#4335)', int),
      disableHTTP2: onMain('commit d00a1000 (#4335)', bool),
    }),
  ),
});

// zot v2.1.14 pkg/extensions/config/events/config.go: SinkConfig (embedded *Credentials and *TLSConfig
// are not squashed by the hook's decoder: they are the keys "credentials" and "tlsConfig")
const sink = obj(
  {
    credentials: obj({ username: str, password: str, file: str, token: str }),
    tlsConfig: obj({ caCertFile: str, certFile: str, keyFile: str }),
    type: str,
    address: str,
    channel: str,
    timeout: dur,
    proxy: str,
    headers: map(str),
  },
  { lenient: true },
);

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
    '-': internal(
      obj({ localMemberClusterSocket: str, localMemberClusterSocketIndex: int }),
      'the internal Proxy field (tag mapstructure:"-")',
    ),
  }),
});

/**
 * The keys of the OAuth2 credential helper of a sync registry, decoded only when credentialHelper is
 * "oauth2" with mitchellh/mapstructure and ErrorUnused (zot v2.1.19 pkg/extensions/config/sync/config.go:
 * OAuth2HelperConfig, decodeOauth2CredentialHelper).
 */
export const OAUTH2_HELPER_KEYS: KeyNode = since(
  'v2.1.19',
  obj({
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
  }),
);

// --- Versions ---

/** Whether `version` is a semantic version (`v2.1.21`, `2.1.21`, `v2.1.21-rc.1`). */
export function isZotVersionString(version: string): boolean {
  return parseSemver(version) !== undefined;
}

/** `v2.1.18` or `2.1.18` (any semantic version) → `v2.1.18`; anything else unchanged. */
export function normalizeZotVersion(version: string): string {
  return parseSemver(version) && !version.startsWith('v') ? `v${version}` : version;
}

/** Compares two versions `vX.Y.Z[-pre][+build]` (the `v` is optional) by semver precedence: negative, zero or positive. */
export function compareZotVersions(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) throw new TypeError(`not a version: ${pa ? b : a}`);
  return compareVersions(pa, pb);
}

/** Whether this project has a model (keys and start-up rules) of exactly that zot version. */
export function isModelledZotVersion(version: string): version is ZotVersion {
  return (ZOT_VERSIONS as readonly string[]).includes(normalizeZotVersion(version));
}

/** Which model checks a zot version, and why when it is not that version's own. */
export interface ZotModel {
  /** The version asked for, as zot tags it (`v2.1.21`). */
  readonly version: string;
  /** The modelled version whose keys and start-up rules check it. */
  readonly model: ZotVersion;
  /**
   * exact: `model` is that version; newer: past the newest modelled; older: before the oldest;
   * between: inside the modelled range but none of its releases (a pre-release), checked with the
   * newest modelled release before it.
   */
  readonly relation: 'exact' | 'newer' | 'older' | 'between';
  /** The keys read on zot's main branch after the newest tag (ZOT_MAIN) are known: only for a newer version. */
  readonly main: boolean;
  /** What `relation` means for the check, for a warning; undefined when exact. */
  readonly note?: string;
}

const NEWEST = ZOT_VERSIONS[ZOT_VERSIONS.length - 1];
const OLDEST = ZOT_VERSIONS[0];
const MODELLED = `${OLDEST} to ${NEWEST}`;

/**
 * The model that checks zot `version` (any semantic version), or a ZotFluxError naming `field` when
 * it is not a version. A version newer than the newest modelled is checked with the newest model in
 * forward mode (keys it does not know are warnings, every other rule still refuses) and with the keys
 * of zot's main branch (ZOT_MAIN); an older one with the oldest model.
 */
export function resolveZotModel(version: string, field = 'zotVersion'): ZotModel {
  if (typeof version !== 'string' || !parseSemver(version)) {
    throw new ZotFluxError({
      field,
      value: version,
      reason: `is not a zot version (expected vX.Y.Z, a semantic version; this project models ${MODELLED})`,
    });
  }
  const v = normalizeZotVersion(version);
  const exact = ZOT_VERSIONS.find((m) => compareZotVersions(m, v) === 0); // v2.1.18+build is v2.1.18
  if (exact) return { version: v, model: exact, relation: 'exact', main: false };
  if (compareZotVersions(v, NEWEST) > 0) {
    return {
      version: v,
      model: NEWEST,
      relation: 'newer',
      main: true,
      note:
        `zot ${v} is newer than the newest modelled (${NEWEST}): checked with ${NEWEST}'s model and the keys read on zot's main branch at ` +
        `${ZOT_MAIN.commit} (after ${ZOT_MAIN.after}); a key that model does not know is a warning, not checked; every other rule still refuses`,
    };
  }
  if (compareZotVersions(v, OLDEST) < 0) {
    return {
      version: v,
      model: OLDEST,
      relation: 'older',
      main: false,
      note: `zot ${v} is older than the oldest modelled (${OLDEST}): checked with ${OLDEST}'s model, which may know keys and rules ${v} does not have`,
    };
  }
  const before = [...ZOT_VERSIONS].reverse().find((m) => compareZotVersions(m, v) < 0)!;
  return {
    version: v,
    model: before,
    relation: 'between',
    main: false,
    note: `zot ${v} is not a modelled release (${MODELLED}): checked with the model of ${before}, the newest modelled before it; a key that model does not know is a warning, not checked`,
  };
}

/**
 * The modelled version that checks `version` (resolveZotModel): itself when modelled, the newest for
 * a newer one, the oldest for an older one; a ZotFluxError naming `field` when it is not a version.
 */
export function modelledZotVersion(version: string, field = 'zotVersion'): ZotVersion {
  return resolveZotModel(version, field).model;
}

/** `version` as zot tags it (`2.1.21` → `v2.1.21`), or a ZotFluxError naming `field` when it is not a semantic version. */
export function checkedZotVersion(version: string, field = 'zotVersion'): string {
  return resolveZotModel(version, field).version;
}

/** Whether a key with `since` is in `version` (`main`: only when the keys of zot's main branch count). */
export function hasKey(node: KeyNode, version: ZotVersion, main = false): boolean {
  if (node.since === undefined) return true;
  if (node.since === 'main') return main;
  return compareZotVersions(node.since, version) <= 0;
}

/** The keys of one zot version: the tree without the keys newer than it (any version: resolveZotModel). */
export function keyTreeFor(version: string): KeyNode {
  const { model, main } = resolveZotModel(version);
  const prune = (node: KeyNode): KeyNode => {
    const out: { -readonly [K in keyof KeyNode]: KeyNode[K] } = { ...node };
    delete out.since;
    delete out.addedBy;
    if (node.keys) {
      const keys: Record<string, KeyNode> = {};
      for (const [name, child] of Object.entries(node.keys)) if (hasKey(child, model, main)) keys[name] = prune(child);
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

/** The first modelled version (or `main`) that has the key at this path of object keys (`http.readTimeout`), if any. */
export function versionWithKey(path: readonly string[]): KeySince | undefined {
  let node: KeyNode | undefined = ZOT_CONFIG_KEYS;
  let first: KeySince | undefined;
  const later = (a: KeySince, b: KeySince) =>
    a === 'main' ? b !== 'main' : b !== 'main' && compareZotVersions(a, b) > 0;
  for (const key of path) {
    while (node && (node.type === 'list' || node.type === 'map')) node = node.of;
    const hit: [string, KeyNode] | undefined = node ? findKey(node, key) : undefined;
    if (!hit) return undefined;
    node = hit[1];
    if (node.since && (!first || later(node.since, first))) first = node.since;
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
    if (node.keys)
      for (const [name, child] of Object.entries(node.keys))
        walk(child, path ? `${path}.${name.toLowerCase()}` : name.toLowerCase());
    if (node.of) walk(node.of, `${path}.${node.type === 'list' ? '[]' : '{}'}`);
  };
  walk(keyTreeFor(version), '');
  return out;
}
