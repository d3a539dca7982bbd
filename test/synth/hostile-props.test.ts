// Hostile props (issue 19): props, chart values and hand-written configs that would open the registry,
// leak a credential, or deploy a zot that cannot start, each through a door the sources leave open.
// Every row cites where its rule comes from (zot, viper, mapstructure, distribution, the zot chart,
// Flux, Kubernetes, at the version deployed) and asserts that synth exits 1, that its message names
// the value or field that opens the door, and that nothing was written (test/support/hostile.ts).
//
// Chart TEST_CHART_VERSION (0.1.122, zot v2.1.18; other zot versions through image.tag) only: `npm test`
// runs this without ../shared. Cases that need another chart package are in hostile-props.shared.test.ts.
import { appWith, synth, TEST_CHART_VERSION, tempDir } from '../support/tree';
import {
  ADMIN,
  ALL,
  CI,
  handWritten,
  HostileCase,
  hostileSuite,
  HTPASSWD,
  OPEN,
  OPEN_CONFIG_SECRET,
  openHttp,
  ROOT,
  s3Config,
  SECRETS,
  SETTINGS,
  zotConfig,
} from '../support/hostile';

const HASH = '$2y$05$' + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'.slice(0, 53);

// Citations, once each.
const AUTHN =
  'zot v2.1.18 pkg/api/authn.go tryAuthnHandlers ("If no auth methods enabled at all - then just authenticate anything")';
const AUTH_PREDICATES = 'zot v2.1.18 pkg/api/config/config.go';
const VIPER_FIND =
  'viper v1.21.0 viper.go find → searchIndexableWithPathPrefixes (longest prefix first); zot v2.1.18 pkg/cli/server/root.go LoadConfiguration: viper.KeyDelimiter("::")';
const VIPER_CASE = 'viper v1.21.0 util.go insensitiviseMap (every key lower-cased, Go map order decides a collision)';
const DECODE =
  'zot v2.1.18 pkg/cli/server/root.go LoadConfiguration: viperInstance.UnmarshalExact (mapstructure v2.5.0, ErrorUnused, WeaklyTypedInput)';
const ROOT_GO = 'zot v2.1.18 pkg/cli/server/root.go';
const AUTHZ = 'zot v2.1.18 pkg/api/authz.go';
const S3 = 'distribution v3.1.1 (zot v2.1.18 go.mod) registry/storage/driver/s3-aws/s3.go';
const CHART = 'zot chart 0.1.122 templates/statefulset.yaml';
const PLACEMENT =
  'lib/checks/credential-placement.ts; zot chart 0.1.122 templates/secret.yaml (secretFiles → Secret data), templates/configmap.yaml (configFiles → ConfigMap data)';

// ---- the cases --------------------------------------------------------------------------------------

const AUTHENTICATION_NOT_THERE: HostileCase[] = [
  {
    name: 'bearer: {} enables nothing',
    source: `${AUTH_PREDICATES} IsTraditionalBearerAuthEnabledWithCert (cert, realm and service non-empty); ${AUTHN}`,
    props: handWritten(zotConfig(openHttp({ bearer: {} }))),
    names: ['config.json http.auth: {"bearer":{}}: zot v2.1.18 enables no authentication'],
  },
  {
    name: 'bearer with realm and service but no cert',
    source: `${AUTH_PREDICATES} IsTraditionalBearerAuthEnabledWithCert; ${AUTHN}`,
    props: handWritten(zotConfig(openHttp({ bearer: { realm: 'https://auth.example.test/token', service: 'zot' } }))),
    names: [
      'config.json http.auth: {"bearer":{"realm":"https://auth.example.test/token","service":"zot"}}: zot v2.1.18 enables no authentication',
    ],
  },
  {
    name: 'bearer OIDC with an issuer and no audiences',
    source: `${AUTH_PREDICATES} BearerOIDCConfigs.IsEnabled (an issuer and at least one audience); ${AUTHN}`,
    props: handWritten(
      zotConfig(openHttp({ bearer: { oidc: [{ issuer: 'https://issuer.example.test', audiences: [] }] } })),
    ),
    names: [
      /config\.json http\.auth: \{"bearer":\{"oidc":\[\{"issuer":"https:\/\/issuer\.example\.test","audiences":\[\]\}\]\}\}: zot v2.1.18 enables no authentication/,
    ],
  },
  {
    name: 'ldap: {} is dropped by viper, so LDAP is nil',
    source: `viper v1.21.0 viper.go flattenAndMergeMap (an empty map has no leaf); ${AUTH_PREDICATES} IsLdapAuthEnabled (LDAP != nil); ${AUTHN}`,
    props: handWritten(zotConfig(openHttp({ ldap: {} }))),
    names: ['config.json http.auth: {"ldap":{}}: zot v2.1.18 enables no authentication'],
  },
  {
    name: 'openid with a github provider that is an empty map',
    source: `viper v1.21.0 viper.go flattenAndMergeMap; ${AUTH_PREDICATES} IsOpenIDAuthEnabled (a supported provider in Providers); ${AUTHN}`,
    props: handWritten(zotConfig(openHttp({ openid: { providers: { github: {} } } }))),
    names: ['config.json http.auth: {"openid":{"providers":{"github":{}}}}: zot v2.1.18 enables no authentication'],
  },
  {
    name: 'htpasswd with an empty path',
    source: `${AUTH_PREDICATES} IsHtpasswdAuthEnabled (Path != ""); ${AUTHN}`,
    props: handWritten(zotConfig(openHttp({ htpasswd: { path: '' } }))),
    names: ['config.json http.auth: {"htpasswd":{"path":""}}: zot v2.1.18 enables no authentication'],
  },
  {
    name: 'auth: null',
    source: `viper v1.21.0 viper.go getSettings (a nil value is skipped); ${AUTHN}`,
    props: handWritten(zotConfig(openHttp(null))),
    names: ['config.json http.auth: null: zot v2.1.18 enables no authentication'],
  },
  {
    name: 'TLS with cert and key but no cacert: no mTLS, and nothing else',
    source: `${AUTH_PREDICATES} Config.IsMTLSAuthEnabled (tls key, cert and cacert); ${AUTHN}`,
    props: handWritten(zotConfig({ ...openHttp(undefined), tls: { cert: '/secret/tls.crt', key: '/secret/tls.key' } })),
    names: ['config.json http.auth: is not set: zot v2.1.18 enables no authentication'],
  },
];

const VIPER_DELIMITER: HostileCase[] = [
  {
    name: '"http::auth::htpasswd::path": "" written before the nested key',
    source: VIPER_FIND,
    props: handWritten(
      `{"http::auth::htpasswd::path": "", "storage": {"rootDirectory": "${ROOT}"}, "http": {"address": "0.0.0.0", "port": "5000", "readTimeout": "30m", "writeTimeout": "30m", "auth": {"htpasswd": {"path": "/secret/htpasswd"}}}, "log": {"level": "info"}}`,
    ),
    names: ["viper's \"::\" key 'http::auth::htpasswd::path' wins", 'zot v2.1.18 enables no authentication'],
  },
  {
    name: '"http::auth::htpasswd::path": "" written after the nested key',
    source: VIPER_FIND,
    props: handWritten(
      `{"storage": {"rootDirectory": "${ROOT}"}, "http": {"address": "0.0.0.0", "port": "5000", "readTimeout": "30m", "writeTimeout": "30m", "auth": {"htpasswd": {"path": "/secret/htpasswd"}}}, "log": {"level": "info"}, "http::auth::htpasswd::path": ""}`,
    ),
    names: ["viper's \"::\" key 'http::auth::htpasswd::path' wins", 'zot v2.1.18 enables no authentication'],
  },
  {
    name: 'a "::" key in upper case: viper lower-cases it as well',
    source: `${VIPER_FIND}; ${VIPER_CASE}`,
    props: handWritten({ ...zotConfig({ accessControl: undefined }), 'HTTP::Auth::Htpasswd::Path': '' }),
    names: ["'HTTP::Auth::Htpasswd::Path'", 'zot v2.1.18 enables no authentication'],
  },
  {
    name: 'a "::" key inside http: "auth::htpasswd": { "path": "" }',
    source: VIPER_FIND,
    props: handWritten(zotConfig({ accessControl: undefined, 'auth::htpasswd': { path: '' } })),
    names: ["'http.auth::htpasswd'", 'zot v2.1.18 enables no authentication'],
  },
  {
    name: '"http::accesscontrol::repositories::**::anonymouspolicy" opens every repository',
    source: `${VIPER_FIND}; ${AUTHZ} isPermitted (AnonymousPolicy for the user "")`,
    props: handWritten({ ...zotConfig(), 'http::accesscontrol::repositories::**::anonymouspolicy': ALL }),
    names: ["anonymous clients could create, update, delete on '**'"],
  },
  {
    name: '"http::auth": "none", a value where the nested keys are a map',
    source:
      'viper v1.21.0 viper.go getSettings / deepSearch (a value and a map at one path: Go map order of AllKeys decides)',
    props: handWritten({ ...zotConfig(), 'http::auth': 'none' }),
    names: ['config.json http.auth is both a value and a map'],
  },
  {
    name: '"http::port" moves zot off the port the Service and the probes use',
    source: `${VIPER_FIND}; ${CHART} (containerPort and probes: httpGet.port)`,
    props: handWritten({ ...zotConfig(), 'http::port': '5001' }),
    names: [/http::port|5001/],
  },
  {
    name: '"http::auth::htpasswd::path" moves the htpasswd file off the mounted Secret',
    source: `${VIPER_FIND}; zot v2.1.18 pkg/api/controller.go Init → HTPasswdWatcher.ChangeFile → pkg/api/htpasswd.go Reload (os.Open fails: zot does not start)`,
    props: handWritten({ ...zotConfig(), 'http::auth::htpasswd::path': '/secret/users' }),
    names: [/http::auth::htpasswd::path|\/secret\/users/],
  },
  {
    name: 'a user glob holding "::" splits into nested keys zot cannot decode',
    source: `${VIPER_FIND}; ${DECODE}`,
    props: {
      release: {
        users: [
          ADMIN,
          { name: 'ci', variable: 'ZOT_CI', actions: ['read', 'create', 'update'], repositories: ['team::apps/**'] },
        ],
      },
    },
    names: ['team::apps/**'],
  },
];

const VIPER_CASE_COLLISIONS: HostileCase[] = [
  {
    name: '"HTTP" beside "http": one of them wins at random',
    source: VIPER_CASE,
    props: handWritten({ ...zotConfig(), HTTP: { address: '0.0.0.0', port: '5000' } }),
    names: ["config.json HTTP collides with 'http'"],
  },
  {
    name: '"accessControl" beside "accesscontrol"',
    source: VIPER_CASE,
    props: handWritten(zotConfig({ accesscontrol: { repositories: { '**': { anonymousPolicy: ALL } } } })),
    names: ["config.json http.accesscontrol collides with 'accessControl'"],
  },
  {
    name: 'repository keys equal but for case: "Team/**" beside "team/**"',
    source: VIPER_CASE,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            'team/**': { policies: [{ users: ['admin'], actions: ALL }] },
            'Team/**': { anonymousPolicy: ALL },
          },
        },
      }),
    ),
    names: ["collides with 'team/**'"],
  },
  {
    name: '"anonymousPolicy" beside "AnonymousPolicy" in one policy group',
    source: VIPER_CASE,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            '**': { policies: [{ users: ['admin'], actions: ALL }], anonymousPolicy: [], AnonymousPolicy: ALL },
          },
        },
      }),
    ),
    names: ["http.accessControl.repositories.**.AnonymousPolicy collides with 'anonymousPolicy'"],
  },
  {
    name: 'typed users whose globs differ only in case: synth compiles two keys viper folds into one',
    source: VIPER_CASE,
    props: {
      release: {
        users: [
          ADMIN,
          { name: 'ci', variable: 'ZOT_CI', actions: ['read', 'create'], repositories: ['Team/**'] },
          { name: 'dev', variable: 'ZOT_DEV', actions: ['read'], repositories: ['team/**'] },
        ],
      },
    },
    names: ["release.users[1].repositories[0]: 'Team/**' has uppercase letters"],
  },
];

const DECODING: HostileCase[] = [
  {
    name: 'anonymousPolicy as a single string: mapstructure lifts it into a list',
    source: `go-viper/mapstructure v2.5.0 mapstructure.go decodeSlice (WeaklyTypedInput: a single value is lifted into a slice); ${AUTHZ} isPermitted`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: { '**': { policies: [{ users: ['admin'], actions: ALL }], anonymousPolicy: 'create' } },
        },
      }),
    ),
    names: ["anonymous clients could create on '**'"],
  },
  {
    name: 'htpasswd given as a string, not an object',
    source: `${DECODE} (decodeStruct: "expected a map")`,
    props: handWritten(zotConfig({ auth: { htpasswd: '/secret/htpasswd' } })),
    names: ['http.auth.htpasswd: "/secret/htpasswd" is a string, but zot needs an object here'],
  },
  {
    name: 'a boolean zot cannot parse: dedupe "yes"',
    source: `${DECODE} (decodeBool: strconv.ParseBool)`,
    props: handWritten(zotConfig({}, { storage: { rootDirectory: ROOT, dedupe: 'yes' } })),
    names: ['storage.dedupe: "yes" is not a boolean zot can read'],
  },
  {
    name: 'a duration zot cannot parse: gcDelay "1 hour"',
    source: `${DECODE} (StringToTimeDurationHookFunc: time.ParseDuration)`,
    props: handWritten(zotConfig({}, { storage: { rootDirectory: ROOT, gcDelay: '1 hour' } })),
    names: ['storage.gcDelay: "1 hour" is not a Go duration'],
  },
  {
    name: 'an integer zot cannot parse: ratelimit.rate "ten"',
    source: `${DECODE} (decodeInt: strconv.ParseInt base 0)`,
    props: handWritten(zotConfig({ ratelimit: { rate: 'ten' } })),
    names: ['http.ratelimit.rate: "ten" is not an integer zot can read'],
  },
  {
    name: 'the port as a list',
    source: `${DECODE} (decodeString)`,
    props: handWritten(zotConfig({ port: [5000] })),
    names: ['http.port: [5000] is a list, but zot needs a string here'],
  },
  {
    name: 'repositories as a list of globs',
    source: `${DECODE} (decodeMap)`,
    props: handWritten(zotConfig({ accessControl: { repositories: ['**'] } })),
    names: ['http.accessControl.repositories: ["**"] is a list, but zot needs an object (a map) here'],
  },
  {
    name: 'auth at the top level instead of under http',
    source: DECODE,
    props: handWritten(zotConfig({ auth: undefined, accessControl: undefined }, { auth: HTPASSWD })),
    names: ['config.json auth is not a key zot v2.1.18 knows'],
  },
  {
    name: 'a key of a later zot: storage.gcTimeWindow (v2.1.19) on v2.1.18',
    source: `${DECODE}; zot v2.1.19 pkg/api/config/config.go StorageConfig.GCTimeWindow`,
    props: handWritten(zotConfig({}, { storage: { rootDirectory: ROOT, gcTimeWindow: '02:00-04:00' } })),
    names: ['config.json storage.gcTimeWindow is not a key zot v2.1.18 knows', 'it is a key from zot v2.1.19 on'],
  },
  {
    name: 'an events sink zot has no decoder for',
    source: 'zot v2.1.18 pkg/extensions/config/events/decoder.go SinkConfigDecoderHook (IsSupportedSink: http, nats)',
    props: handWritten(
      zotConfig({}, { extensions: { events: { enable: true, sinks: [{ type: 'kafka', address: 'kafka:9092' }] } } }),
    ),
    names: ['extensions.events.sinks[0].type: "kafka" is not an event sink type zot supports'],
  },
  {
    name: 'a config that is a list, not an object',
    source: 'viper v1.21.0 viper.go ReadInConfig (unmarshalReader into map[string]any)',
    props: handWritten('[]'),
    names: ['is not a JSON object'],
  },
  {
    name: 'a config with no key holding a value',
    source: `${ROOT_GO} LoadConfiguration ("failed to load config due to the absence of any key:value pair")`,
    props: handWritten({ http: {}, storage: {} }),
    names: ['holds no key with a value'],
  },
  {
    name: 'a config that is not JSON',
    source: 'viper v1.21.0 viper.go ReadInConfig (SetConfigType json: encoding/json)',
    props: handWritten('{"http": {"port": "5000",}}'),
    names: ['values.configFiles["config.json"]: not JSON'],
  },
];

const STARTUP: HostileCase[] = [
  {
    name: 'a log level zot does not know',
    source: `${ROOT_GO} LoadConfiguration → zlog.ParseLevel`,
    props: handWritten(zotConfig({}, { log: { level: 'verbose' } })),
    names: ['log.level: "verbose" is not a log level zot knows'],
  },
  {
    name: 'the log written into the read-only config mount',
    source:
      'zot v2.1.18 pkg/log/log.go NewLogger (os.OpenFile(output, O_APPEND|O_WRONLY|O_CREATE) or panic); zot chart 0.1.122 templates/statefulset.yaml (/etc/zot is the configMap volume); Kubernetes core/v1 (configMap volumes are read-only)',
    props: handWritten(zotConfig({}, { log: { level: 'info', output: '/etc/zot/zot.log' } })),
    names: [/log\.output.*\/etc\/zot\/zot\.log/],
  },
  {
    name: 'the port written in hex',
    source: `${ROOT_GO} validateHTTP (strconv.ParseInt(port, 10, 64))`,
    props: handWritten(zotConfig({ port: '0x1388' })),
    names: ['http.port: "0x1388" is not a port zot accepts'],
  },
  {
    name: 'the port out of range',
    source: `${ROOT_GO} validateHTTP (0..65535)`,
    props: handWritten(zotConfig({ port: '70000' })),
    names: ['http.port: "70000" is not a port zot accepts'],
  },
  {
    name: "zot listening on the loopback address only (zot's own default)",
    source: `zot v2.1.18 pkg/api/config/config.go New (HTTP.Address "127.0.0.1"); pkg/api/controller.go Run (listens on Address:Port); ${CHART} (probes reach the pod IP)`,
    props: handWritten(zotConfig({ address: '127.0.0.1' })),
    names: [/http\.address/],
  },
  {
    name: "zot's port moved in config.json only",
    source: `${CHART} (containerPort, probes: httpGet.port); templates/service.yaml (targetPort: zot)`,
    props: handWritten(zotConfig({ port: '5001' })),
    names: ["values.service.port: 5000 differs from zot's http.port 5001"],
  },
  {
    name: 'a negative gcDelay',
    source: `${ROOT_GO} validateGC ("invalid garbage-collect delay specified")`,
    props: handWritten(zotConfig({}, { storage: { rootDirectory: ROOT, gcDelay: '-1h' } })),
    names: ['storage.gcDelay: "-1h" is negative'],
  },
  {
    name: 'a subpath with gc on and a zero gcDelay',
    source: `${ROOT_GO} validateGC (subpaths: "cannot be negative or zero")`,
    props: handWritten(
      zotConfig(
        {},
        {
          storage: {
            rootDirectory: ROOT,
            subPaths: { '/a': { rootDirectory: '/var/lib/registry-a', gc: true, gcDelay: '0s' } },
          },
        },
      ),
    ),
    names: ['storage.subPaths["/a"].gcDelay: "0s" is zero or negative'],
  },
  {
    name: 'ldap with only an address',
    source: `${ROOT_GO} validateLDAP (userAttribute, address, baseDN mandatory)`,
    props: handWritten(zotConfig({ auth: { ldap: { address: 'ldap.example.test' } } })),
    names: ['config.json http.auth.ldap.userAttribute is missing', 'config.json http.auth.ldap.baseDN is missing'],
  },
  {
    name: 'mTLS authentication without TLS',
    source: `${ROOT_GO} validateMTLS ("mTLS configuration requires TLS to be enabled with CA certificate")`,
    props: handWritten(zotConfig({ auth: { mtls: { identityAttributes: ['CommonName'] } } })),
    names: ['http.auth.mtls needs http.tls with cert, key and cacert'],
  },
  {
    name: 'an mTLS identity attribute zot does not know',
    source: `${ROOT_GO} validateMTLS (CommonName, CN, Subject, DN, Email, rfc822name, URI, URL, DNSName, DNS)`,
    props: handWritten(
      zotConfig({
        tls: { cert: '/secret/tls.crt', key: '/secret/tls.key', cacert: '/secret/ca.crt' },
        auth: { ...HTPASSWD, mtls: { identityAttributes: ['SerialNumber'] } },
      }),
    ),
    names: ['http.auth.mtls.identityAttributes: ["SerialNumber"] names identity attributes zot does not know'],
  },
  {
    name: 'an openid provider zot does not support',
    source: `${ROOT_GO} validateOpenIDConfig ("unsupported openid/oauth2 provider"); pkg/api/config/config.go openIDSupportedProviders, oauth2SupportedProviders`,
    props: handWritten(
      zotConfig({ auth: { ...HTPASSWD, openid: { providers: { facebook: { clientid: 'x', scopes: ['openid'] } } } } }),
    ),
    names: ['http.auth.openid.providers["facebook"] is not a provider zot supports'],
  },
  {
    name: 'an OpenID provider without issuer',
    source: `${ROOT_GO} validateOpenIDConfig ("OpenID provider config requires clientid, issuer and scopes parameters")`,
    props: handWritten(
      zotConfig({ auth: { ...HTPASSWD, openid: { providers: { oidc: { clientid: 'zot', scopes: ['openid'] } } } } }),
    ),
    names: ['http.auth.openid.providers["oidc"] needs clientid (or a credentialsFile), issuer and scopes'],
  },
  {
    name: 'bearer with both cert and awsSecretsManager',
    source: `${ROOT_GO} validateBearerConfig ("cannot configure both cert and awsSecretsManager")`,
    props: handWritten(
      zotConfig({
        auth: {
          bearer: {
            realm: 'https://auth.example.test/token',
            service: 'zot',
            cert: '/secret/bearer.crt',
            awsSecretsManager: { region: 'eu-west-1', secretName: 'zot-bearer' },
          },
        },
        accessControl: undefined,
      }),
    ),
    names: ['http.auth.bearer has both cert and awsSecretsManager'],
  },
  {
    name: 'bearer awsSecretsManager without a region',
    source: `${ROOT_GO} validateBearerConfig ("awsSecretsManager region must be specified")`,
    props: handWritten(
      zotConfig({
        auth: {
          bearer: {
            realm: 'https://auth.example.test/token',
            service: 'zot',
            awsSecretsManager: { secretName: 'zot-bearer' },
          },
        },
        accessControl: undefined,
      }),
    ),
    names: ['config.json http.auth.bearer.awsSecretsManager.region is missing'],
  },
  {
    name: 'sync maxRetries without retryDelay',
    source: `${ROOT_GO} validateSync ("retryDelay is required when using maxRetries")`,
    props: handWritten(
      zotConfig(
        {},
        {
          extensions: {
            sync: { enable: true, registries: [{ urls: ['https://ghcr.io'], onDemand: true, maxRetries: 3 }] },
          },
        },
      ),
    ),
    names: ['extensions.sync.registries[0].maxRetries: 3 is set without retryDelay'],
  },
  {
    name: 'sync preserveDigest without http.compat',
    source: `${ROOT_GO} validateSync ("can not use PreserveDigest option without enabling http.Compat")`,
    props: handWritten(
      zotConfig(
        {},
        {
          extensions: {
            sync: { enable: true, registries: [{ urls: ['https://ghcr.io'], onDemand: true, preserveDigest: true }] },
          },
        },
      ),
    ),
    names: ['extensions.sync.registries[0].preserveDigest: true needs http.compat'],
  },
  {
    name: 'a sync prefix glob that does not compile',
    source: `${ROOT_GO} validateSync ("sync prefix could not be compiled", doublestar ValidatePattern)`,
    props: handWritten(
      zotConfig(
        {},
        {
          extensions: {
            sync: {
              enable: true,
              registries: [{ urls: ['https://ghcr.io'], onDemand: true, content: [{ prefix: 'project-zot/[abc' }] }],
            },
          },
        },
      ),
    ),
    names: ['extensions.sync.registries[0].content[0].prefix: "project-zot/[abc" is not a glob zot can compile'],
  },
  {
    name: "a subpath whose root is inside the default store's",
    source: `${ROOT_GO} validateStorageConfig ("invalid storage config")`,
    props: handWritten(
      zotConfig({}, { storage: { rootDirectory: ROOT, subPaths: { '/a': { rootDirectory: `${ROOT}/a` } } } }),
    ),
    names: [`storage.subPaths["/a"].rootDirectory: "${ROOT}/a" is inside the default store's root directory`],
  },
  {
    name: 'dedupe on S3 without a remote cache',
    source: `${ROOT_GO} validateCacheConfig ("dedupe set to true with remote storage and database, but no remote database configured")`,
    props: handWritten(s3Config({}, { dedupe: true })),
    names: ['config.json storage.cacheDriver is missing'],
  },
  {
    name: 'a remote cache on a local subpath',
    source: `${ROOT_GO} validateCacheConfig ("cannot have local storage driver with remote database!")`,
    props: handWritten(
      zotConfig(
        {},
        {
          storage: {
            rootDirectory: ROOT,
            subPaths: {
              '/a': {
                rootDirectory: '/var/lib/registry-a',
                dedupe: true,
                remoteCache: true,
                cacheDriver: { name: 'redis', url: 'redis://redis:6379' },
              },
            },
          },
        },
      ),
    ),
    names: ['storage.subPaths["/a"].cacheDriver is a remote cache on local storage'],
  },
  {
    name: 'a session driver zot does not have',
    source: `${ROOT_GO} validateRemoteSessionStoreConfig (redis or local)`,
    props: handWritten(zotConfig({ auth: { ...HTPASSWD, sessionDriver: { name: 'memcached' } } })),
    names: ['http.auth.sessionDriver.name: "memcached" is not a session driver zot allows'],
  },
  {
    name: 'the metrics endpoint at /v2',
    source: `${ROOT_GO} validateMetricsConfig ("provided metrics path is disallowed")`,
    props: handWritten(zotConfig({}, { extensions: { metrics: { enable: true, prometheus: { path: '/v2' } } } })),
    names: ["extensions.metrics.prometheus.path: \"/v2\" is '/' or '/v2'"],
  },
  {
    name: 'CVE scanning with S3 storage',
    source: `${ROOT_GO} validateExtensionsConfig ("failed to enable cve scanning due to incompatibility with remote storage")`,
    props: handWritten({ ...s3Config({}), extensions: { search: { enable: true, cve: { updateInterval: '2h' } } } }),
    names: ['extensions.search.cve turns CVE scanning on, which zot refuses with remote storage'],
  },
  {
    name: 'accessControl with policies and no authentication',
    source: `${ROOT_GO} validateAuthzPolicies ("access control config requires one of htpasswd, ldap, openid or mTLS authentication")`,
    props: handWritten(zotConfig({ auth: undefined })),
    names: [
      'http.accessControl grants authenticated users access (http.accessControl.repositories["**"].policies[0]) but no authentication is configured',
    ],
  },
  {
    name: 'a policy condition with an empty CEL expression',
    source: `${ROOT_GO} validateAuthzPolicies → pkg/api/authz.go CompileAccessControl (cel.NewExpression)`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: { '**': { policies: [{ users: ['admin'], actions: ALL, conditions: [{ expression: '' }] }] } },
        },
      }),
    ),
    names: ['http.accessControl.repositories["**"].policies[0].conditions[0].expression: "" is empty'],
  },
  {
    name: 'a storage driver zot does not have',
    source: `${ROOT_GO} validateStorageConfigSection ("unsupported storage driver": s3, gcs, azure)`,
    props: handWritten(
      zotConfig(
        {},
        { storage: { rootDirectory: '/zot', dedupe: false, storageDriver: { name: 'swift', container: 'zot' } } },
      ),
    ),
    names: ['storage.storageDriver.name: "swift" is not a storage driver zot v2.1.18 supports'],
  },
  {
    name: 'sync with S3 storage and no downloadDir',
    source: `${ROOT_GO} validateStorageConfigSection ("using both sync and remote storage features needs config.Extensions.Sync.DownloadDir")`,
    props: handWritten({
      ...s3Config({}),
      extensions: { sync: { enable: true, registries: [{ urls: ['https://ghcr.io'], onDemand: true }] } },
    }),
    names: ['config.json extensions.sync.downloadDir is missing'],
  },
  {
    name: 'redirectBlobURL on local storage',
    source: `${ROOT_GO} validateStorageConfigSection (redirectBlobURL needs s3, gcs or azure)`,
    props: handWritten(zotConfig({}, { storage: { rootDirectory: ROOT, redirectBlobURL: true } })),
    names: ['storage.redirectBlobURL: true is only supported with s3, gcs or azure storage'],
  },
  {
    name: 'an accessControl glob that does not compile',
    source: `${ROOT_GO} validateConfiguration ("failed to compile authorization pattern", doublestar ValidatePattern)`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            '**': { policies: [{ users: ['admin'], actions: ALL }] },
            'team/{a': { policies: [{ users: ['admin'], actions: ['read'] }] },
          },
        },
      }),
    ),
    names: ['http.accessControl.repositories["team/{a"] is not a glob zot can compile'],
  },
  {
    name: 'a cluster with no members',
    source: `${ROOT_GO} validateClusterConfig ("cannot have 0 members in a scale out cluster")`,
    props: handWritten(zotConfig({}, { cluster: { members: [], hashKey: 'loremipsumdolors' } })),
    names: ['cluster.members: [] is empty'],
  },
  {
    name: 'a cluster hashKey that is not 16 bytes',
    source: `${ROOT_GO} validateClusterConfig (siphash key of 16 bytes)`,
    props: handWritten(
      zotConfig({}, { cluster: { members: ['zot-0.zot-headless:5000'], hashKey: 'fifteen-bytes!!' } }),
    ),
    names: ['cluster.hashKey is 15 bytes long'],
  },
  {
    name: 'an empty storage rootDirectory',
    source: 'zot v2.1.18 pkg/storage/storage.go New ("no storage config provided")',
    props: handWritten(zotConfig({}, { storage: { rootDirectory: '' } })),
    names: ['storage.rootDirectory: "" is empty'],
  },
  {
    name: 'a retention keepTags pattern Go cannot compile',
    source: `${ROOT_GO} validateGCRules ("retention tag regex could not be compiled", regexp.Compile)`,
    props: { release: { retention: { policies: [{ repositories: ['**'], keepTags: [{ patterns: ['v(1'] }] }] } } },
    names: ['storage.retention.policies[0].keepTags[0].patterns[0]: "v(1"'],
  },
  {
    name: 'a retention repository glob that does not compile',
    source: `${ROOT_GO} validateGCRules ("retention repo glob pattern could not be compiled")`,
    props: { release: { retention: { policies: [{ repositories: ['team/[x'] }] } } },
    names: [/retention\.policies\[0\]\.repositories\[0\].*team\/\[x/],
  },
  {
    name: 'a sync tag regex Go cannot compile',
    source: `${ROOT_GO} validateSync ("sync content regex could not be compiled")`,
    props: {
      release: {
        sync: {
          registries: [{ urls: ['https://ghcr.io'], content: [{ prefix: 'project-zot/**', tags: { regex: '(' } }] }],
        },
      },
    },
    names: [/sync\.registries\[0\]\.content\[0\]\.tags\.regex.*"\("/],
  },
  {
    name: 'session keys with the redis session driver',
    source: `${ROOT_GO} validateRemoteSessionStoreConfig ("session keys not supported when redis session driver is used!")`,
    props: handWritten(
      zotConfig({
        auth: {
          ...HTPASSWD,
          sessionDriver: { name: 'redis', url: 'redis://redis.zot.svc:6379' },
          sessionKeysFile: '/secret/session-keys.json',
        },
      }),
    ),
    names: ['http.auth.sessionKeysFile: "/secret/session-keys.json" cannot be used with the redis session driver'],
  },
  {
    name: 'sync stripPrefix to / with a prefix that has no glob',
    source: `${ROOT_GO} validateSync (stripPrefix, destination "/", prefix without "/*")`,
    props: handWritten(
      zotConfig(
        {},
        {
          extensions: {
            sync: {
              enable: true,
              registries: [
                {
                  urls: ['https://ghcr.io'],
                  onDemand: true,
                  content: [{ prefix: 'project-zot/zot', destination: '/', stripPrefix: true }],
                },
              ],
            },
          },
        },
      ),
    ),
    names: ["extensions.sync.registries[0].content[0] has stripPrefix true and destination '/' but no glob in prefix"],
  },
  {
    name: 'a subpath with an empty rootDirectory',
    source: 'zot v2.1.18 pkg/storage/storage.go getSubStore → CreateCacheDatabaseDriver (boltdb os.MkdirAll(""))',
    props: handWritten(
      zotConfig({}, { storage: { rootDirectory: ROOT, subPaths: { '/a': { rootDirectory: '', dedupe: true } } } }),
    ),
    names: ['storage.subPaths["/a"].rootDirectory: "" is empty'],
  },
  {
    name: 'a gcs chunksize written as a JSON number',
    source:
      'distribution v3.1.1 registry/storage/driver/gcs/gcs.go FromParameters (chunksize: a string or a Go integer; JSON gives float64)',
    props: handWritten(
      zotConfig(
        {},
        {
          storage: {
            rootDirectory: '/zot',
            dedupe: false,
            storageDriver: { name: 'gcs', bucket: 'zot-images', chunksize: 16777216 },
          },
        },
      ),
    ),
    names: ['storage.storageDriver.chunksize: 16777216 is not a string'],
  },
  {
    name: 'an azure driver with a credentials type it does not have',
    source:
      'distribution v3.1.1 registry/storage/driver/azure/auth.go newClient (client_secret, default_credentials, shared_key)',
    props: handWritten(
      zotConfig(
        {},
        {
          storage: {
            rootDirectory: '/zot',
            dedupe: false,
            storageDriver: {
              name: 'azure',
              accountname: 'zot',
              container: 'images',
              credentials: { type: 'managed_identity' },
            },
          },
        },
      ),
    ),
    names: [
      'config.json storage.storageDriver.credentials.type is not one of client_secret, default_credentials, shared_key',
    ],
  },
  {
    name: 'a GC time window that is no time on zot v2.1.19 (image.tag)',
    source: 'zot v2.1.19 pkg/api/config/gctimewindow.go GCTimeWindowDecodeHook',
    props: handWritten(zotConfig({}, { storage: { rootDirectory: ROOT, gcTimeWindow: '25:00-26:00' } }), {
      valuesOverrides: { image: { tag: 'v2.1.19' } },
    }),
    names: ['storage.gcTimeWindow: "25:00-26:00" is not a time window'],
  },
  {
    name: 'a bearer upstream token endpoint over plain http on zot v2.1.19 (image.tag)',
    source:
      'zot v2.1.19 pkg/cli/server/root.go validateBearerConfig (upstreamTokenEndpoint.realm must use https unless allowInsecureHttp)',
    props: handWritten(
      zotConfig({
        auth: {
          ...HTPASSWD,
          bearer: {
            realm: 'https://auth.example.test/token',
            service: 'zot',
            cert: '/secret/bearer.crt',
            upstreamTokenEndpoint: { realm: 'http://auth.example.test/token', service: 'upstream' },
          },
        },
      }),
      { valuesOverrides: { image: { tag: 'v2.1.19' } } },
    ),
    names: [
      'http.auth.bearer.upstreamTokenEndpoint.realm: "http://auth.example.test/token" must use https unless allowInsecureHttp is true',
    ],
  },
  {
    name: 'a GC delay that is not a Go duration through the typed gc prop',
    source: `${DECODE} (StringToTimeDurationHookFunc: time.ParseDuration)`,
    props: { release: { gc: { delay: '1 hour' } } },
    names: [/release\.gc\.delay: '1 hour'/],
  },
  {
    name: 'a sync registry polled without content through the typed sync prop',
    source:
      'zot v2.1.18 pkg/extensions/extension_sync.go EnableSyncExtension (a registry neither periodical nor onDemand is skipped)',
    props: { release: { sync: { registries: [{ urls: ['https://ghcr.io'], onDemand: false, pollInterval: '6h' }] } } },
    names: ["release.sync.registries[0].pollInterval: '6h' is set without content"],
  },
  {
    name: 'the metrics path /v2 through the typed metrics prop',
    source: `${ROOT_GO} validateMetricsConfig`,
    props: { release: { metrics: { path: '/v2' } } },
    names: [/metrics.*path.*\/v2/],
  },
  {
    name: 'a "::" key in the typed extensions turns search off under ui',
    source: `${VIPER_FIND}; ${ROOT_GO} validateExtensionsConfig ("failed to enable ui, search extension must be enabled")`,
    props: {
      release: {
        extensions: JSON.parse('{"search": {"enable": true}, "ui": {"enable": true}, "search::enable": false}'),
      },
    },
    names: ['search::enable'],
  },
];

const S3_DRIVER: HostileCase[] = [
  {
    name: 'a region that is not an AWS region, without regionendpoint (typed storage)',
    source: `${S3} FromParameters ("invalid region provided": aws-sdk-go v1 endpoints)`,
    props: { release: { storage: { type: 's3', bucket: 'zot-images', region: 'moon-1' }, dedupe: false } },
    names: [/region.*moon-1/],
  },
  {
    name: 'no region and no regionendpoint',
    source: `${S3} FromParameters ("no region parameter provided")`,
    props: handWritten(s3Config({ region: undefined })),
    names: ['config.json storage.storageDriver.region is missing'],
  },
  {
    name: 'no bucket',
    source: `${S3} FromParameters ("no bucket parameter provided")`,
    props: handWritten(s3Config({ bucket: undefined })),
    names: ['config.json storage.storageDriver.bucket is missing'],
  },
  {
    name: 'secure: "no"',
    source: `${S3} getParameterAsBool (strconv.ParseBool)`,
    props: handWritten(s3Config({ secure: 'no' })),
    names: ['storage.storageDriver.secure: "no" is not a boolean'],
  },
  {
    name: 'a chunksize under 5 MiB',
    source: `${S3} getParameterAsInteger (minChunkSize 5 MiB)`,
    props: handWritten(s3Config({ chunksize: '1048576' })),
    names: ['storage.storageDriver.chunksize: "1048576" is outside 5242880..5368709120'],
  },
  {
    name: 'a chunksize that is not a number',
    source: `${S3} getParameterAsInteger (fmt.Sscanf %d)`,
    props: handWritten(s3Config({ chunksize: '16MB' })),
    names: ['storage.storageDriver.chunksize: "16MB" is outside', 'read as 16'],
  },
  {
    name: 'a chunksize of 10 MiB written as a JSON number reaches the driver as 1.048576e+07',
    source: `${S3} getParameterAsInteger (fmt.Sprint of a float64, then Sscanf %d)`,
    props: handWritten(s3Config({ chunksize: 10485760 })),
    names: ['storage.storageDriver.chunksize: 10485760', '1.048576e+07'],
  },
  {
    name: 'a storage class S3 does not have',
    source: `${S3} FromParameters (s3StorageClasses)`,
    props: handWritten(s3Config({ storageclass: 'COLD' })),
    names: ['storage.storageDriver.storageclass: "COLD" is not one of'],
  },
  {
    name: 'v4auth false on Amazon S3',
    source: `${S3} New ("on Amazon S3 this storage driver can only be used with v4 authentication")`,
    props: handWritten(s3Config({ v4auth: false })),
    names: ['storage.storageDriver.v4auth: false is false on Amazon S3'],
  },
];

const CHART_VALUES: HostileCase[] = [
  {
    name: 'extraArgs pointing zot at another config, without unsafeValues',
    source: `${CHART} (args: extraArgs); zot v2.1.18 pkg/cli/server/root.go newServeCmd (serve <config>)`,
    props: {
      release: { valuesOverrides: { extraArgs: ['serve', '/secret/open.json'], secretFiles: OPEN_CONFIG_SECRET } },
    },
    names: ['release.valuesOverrides.extraArgs: ["serve","/secret/open.json"] changes zot\'s command line'],
  },
  {
    name: 'extraArgs pointing zot at an open config in secretFiles, opted in with unsafeValues: the file zot loads is judged',
    source: `${CHART} (args: extraArgs), templates/secret.yaml (secretFiles); ${AUTHN}`,
    props: {
      release: {
        unsafeValues: ['extraArgs', 'secretFiles'],
        valuesOverrides: { extraArgs: ['serve', '/secret/open.json'], secretFiles: OPEN_CONFIG_SECRET },
      },
    },
    names: [
      /Secret\/zot-secret data\["open\.json"\] \(loaded by ghcr\.io\/project-zot\/zot:v2\.1\.18 \S+ serve \/secret\/open\.json instead of the values' config\.json\) http\.auth: is not set/,
    ],
  },
  {
    name: 'extraArgs pointing zot at a second configFiles entry',
    source: `zot chart 0.1.122 templates/configmap.yaml (every configFiles key), ${CHART} (args: extraArgs)`,
    props: {
      release: {
        unsafeValues: ['extraArgs', 'configFiles'],
        valuesOverrides: { extraArgs: ['serve', '/etc/zot/open.json'], configFiles: { 'open.json': OPEN } },
      },
    },
    names: [/values\.configFiles: keys \[config\.json, open\.json\]/],
  },
  {
    name: 'extraVolumeMounts over /etc/zot/config.json, without unsafeValues',
    source: `${CHART} (volumeMounts: extraVolumeMounts after the /etc/zot mount)`,
    props: {
      release: {
        valuesOverrides: {
          extraVolumeMounts: [{ name: 'zot-secret', mountPath: '/etc/zot/config.json', subPath: 'open.json' }],
        },
      },
    },
    names: ['release.valuesOverrides.extraVolumeMounts:'],
  },
  {
    name: "extraVolumeMounts serving the chart Secret's open.json as /etc/zot/config.json, opted in: the file zot loads is judged",
    source: `${CHART} (extraVolumeMounts; Kubernetes: the deepest mount serves a path, subPath picks one key); ${AUTHN}`,
    props: {
      release: {
        unsafeValues: ['extraVolumeMounts', 'secretFiles'],
        valuesOverrides: {
          secretFiles: OPEN_CONFIG_SECRET,
          extraVolumeMounts: [{ name: 'zot-secret', mountPath: '/etc/zot/config.json', subPath: 'open.json' }],
        },
      },
    },
    names: ['Secret/zot-secret data["open.json"]', 'http.auth: is not set'],
  },
  {
    name: 'an init container, without unsafeValues',
    source: `${CHART} (initContainers)`,
    props: {
      release: {
        valuesOverrides: {
          initContainers: [{ name: 'rewrite', image: 'busybox:1.36', command: ['sh', '-c', 'true'] }],
        },
      },
    },
    names: ['release.valuesOverrides.initContainers:'],
  },
  {
    name: 'an init container that rewrites the config zot loads, every path opted in: what zot loads cannot be judged',
    source: `${CHART} (initContainers, extraVolumes, extraVolumeMounts); Kubernetes core/v1 (emptyDir is writable by every container mounting it)`,
    props: {
      release: {
        unsafeValues: ['initContainers', 'extraVolumes', 'extraVolumeMounts'],
        valuesOverrides: {
          extraVolumes: [{ name: 'cfg', emptyDir: {} }],
          extraVolumeMounts: [{ name: 'cfg', mountPath: '/etc/zot/config.json', subPath: 'config.json' }],
          initContainers: [
            {
              name: 'rewrite',
              image: 'busybox:1.36',
              command: ['sh', '-c', 'echo "{}" > /cfg/config.json'],
              volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
            },
          ],
        },
      },
    },
    names: ['volumeMounts /etc/zot/config.json', 'volume cfg (emptyDir)'],
  },
  {
    name: 'a sidecar, without unsafeValues',
    source: `${CHART} (extraContainers beside zot, sharing its volumes)`,
    props: { release: { valuesOverrides: { extraContainers: [{ name: 'side', image: 'busybox:1.36' }] } } },
    names: ['release.valuesOverrides.extraContainers:'],
  },
  {
    name: 'a replaced image.repository, without unsafeValues',
    source: `${CHART} (image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}")`,
    props: { release: { valuesOverrides: { image: { repository: 'registry.example.test/zot' } } } },
    names: ["release.valuesOverrides.image.repository: 'registry.example.test/zot' changes which image runs as zot"],
  },
  {
    name: 'a replaced image, opted in, with a tag that names no zot version',
    source: `${CHART} (image.tag); lib/zot/config-keys.ts checkedZotVersion (the rules to apply follow the version)`,
    props: {
      release: {
        unsafeValues: ['image'],
        valuesOverrides: { image: { repository: 'registry.example.test/zot', tag: 'latest' } },
      },
    },
    names: [/valuesOverrides\.image\.tag.*latest/],
  },
  {
    name: "mountConfig off, opted in: zot loads the image's own config",
    source: `${CHART} (the /etc/zot mount only with mountConfig); zot v2.1.18 build/stacker.yaml (the published image: cmd serve /etc/zot/config.json, and that file has no http.auth)`,
    props: { release: { unsafeValues: ['mountConfig'], valuesOverrides: { mountConfig: false } } },
    names: ["values.mountConfig: 'false': must be true"],
  },
  {
    name: 'an external Secret mounted over /etc/zot/config.json, opted in',
    source: `${CHART} (externalSecrets: a secret volume at mountPath)`,
    props: {
      release: {
        unsafeValues: ['externalSecrets'],
        valuesOverrides: { externalSecrets: [{ secretName: 'open-config', mountPath: '/etc/zot/config.json' }] },
      },
    },
    names: ['volumeMounts /etc/zot/config.json', 'Secret/open-config (not rendered by the chart)'],
  },
  {
    name: 'the probes and the container port moved: httpGet.port',
    source: `${CHART} (containerPort, liveness, readiness and startup probes: httpGet.port)`,
    props: { release: { valuesOverrides: { httpGet: { port: 5001 } } } },
    names: ["values.httpGet.port: 5001 differs from zot's http.port 5000"],
  },
  {
    name: 'the probes switched to HTTPS against a plain-HTTP zot',
    source: `${CHART} (probes: scheme httpGet.scheme); zot v2.1.18 pkg/api/controller.go Run (HTTPS only with http.tls)`,
    props: { release: { valuesOverrides: { httpGet: { scheme: 'HTTPS' } } } },
    names: [/httpGet\.scheme|HTTPS/],
  },
  {
    name: 'a tpl expression in affinity copies the htpasswd line into the StatefulSet',
    source: `${CHART} (affinity: tpl (toYaml .) $), templates/secret.yaml (secretFiles); kubernetes pkg/apis/core/validation/validation.go ValidateNodeSelectorRequirement (In/NotIn values are not checked): the line lands in the StatefulSet as it is`,
    props: {
      release: {
        valuesOverrides: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'leak', operator: 'NotIn', values: ['{{ .Values.secretFiles.htpasswd }}'] },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
    },
    names: ['release.valuesOverrides.affinity:', "holds '{{', which chart 0.1.122 runs through Helm's tpl"],
  },
];

const CHART_ROUTES: HostileCase[] = [
  {
    name: "the chart's own HTTPRoute: a second route to zot on any gateway and hostname",
    source: 'zot chart 0.1.122 templates/httproute.yaml (httproute.enabled, parentRefs, hostnames)',
    props: {
      release: {
        valuesOverrides: {
          httproute: {
            enabled: true,
            parentRefs: [{ name: 'public', namespace: 'home' }],
            hostnames: ['registry.example.test'],
          },
        },
      },
    },
    names: [/httproute/],
  },
  {
    name: "the chart's own Ingress: zot exposed beside the app's route",
    source: 'zot chart 0.1.122 templates/ingress.yaml (ingress.enabled, hosts)',
    props: {
      release: {
        valuesOverrides: {
          ingress: { enabled: true, hosts: [{ host: 'registry.example.test', paths: [{ path: '/' }] }] },
        },
      },
    },
    names: [/ingress/],
  },
  {
    name: 'extraArgs giving zot serve two files, opted in',
    source: `${CHART} (args: extraArgs); zot v2.1.18 pkg/cli/server/root.go newServeCmd (cobra.ExactArgs(1))`,
    props: {
      release: {
        unsafeValues: ['extraArgs'],
        valuesOverrides: { extraArgs: ['serve', '/etc/zot/config.json', '/secret/htpasswd'] },
      },
    },
    names: [
      /container zot command line: \["[^"]+","serve","\/etc\/zot\/config\.json","\/secret\/htpasswd"\] gives zot serve 2 arguments/,
    ],
  },
];

const TYPED_REFUSALS_UNDONE: HostileCase[] = [
  {
    name: 'service.type ExternalName through valuesOverrides, without unsafeValues',
    source:
      'zot chart 0.1.122 templates/service.yaml (type: service.type); Kubernetes core/v1 Service (ExternalName: a CNAME to another host)',
    props: {
      release: { valuesOverrides: { service: { type: 'ExternalName', externalName: 'registry.example.test' } } },
    },
    names: ["release.valuesOverrides.service.type: 'ExternalName' changes how the Service is exposed"],
  },
  {
    name: 'service.type ExternalName through valuesOverrides, opted in: the typed refusal holds',
    source: 'zot chart 0.1.122 templates/service.yaml; Kubernetes core/v1 Service (ExternalName)',
    props: {
      release: {
        unsafeValues: ['service.type'],
        valuesOverrides: { service: { type: 'ExternalName', externalName: 'registry.example.test' } },
      },
    },
    names: ["release.valuesOverrides.service.type: 'ExternalName' is not a Service type the serviceType prop allows"],
  },
  {
    name: 'a Service port out of range through valuesOverrides',
    source: 'zot chart 0.1.122 templates/service.yaml (port: service.port); Kubernetes core/v1 ServicePort (1..65535)',
    props: { release: { valuesOverrides: { service: { port: 70000 } } } },
    names: ['release.valuesOverrides.service.port: 70000 is not an integer from 1 to 65535'],
  },
  {
    name: 'an access mode Kubernetes does not have through valuesOverrides',
    source: `${CHART} (volumeClaimTemplates accessModes: pvc.accessModes); Kubernetes core/v1 PersistentVolumeAccessMode`,
    props: { release: { valuesOverrides: { pvc: { accessModes: ['ReadWriteSometimes'] } } } },
    names: ['release.valuesOverrides.pvc.accessModes: ["ReadWriteSometimes"] is not a non-empty list of access modes'],
  },
  {
    name: 'a dashboard annotation turning Flux substitution back on',
    source:
      'fluxcd/pkg kustomize/v1.24.0 kustomize_varsub.go SubstituteVariables (kustomize.toolkit.fluxcd.io/substitute: disabled, exact value)',
    props: {
      release: { metrics: {} },
      extraResources: { dashboard: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' } } },
    },
    names: [
      "dashboard.annotations[\"kustomize.toolkit.fluxcd.io/substitute\"]: 'enabled' would replace the opt-out 'disabled'",
    ],
  },
];

const ACCESS: HostileCase[] = [
  {
    name: 'anonymousWrite of create on tailnet/** while the config grants update and delete there',
    source: `${AUTHZ} isPermitted (anonymousPolicy actions, each checked exactly)`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            'tailnet/**': { anonymousPolicy: ALL },
            '**': { policies: [{ users: ['admin'], actions: ALL }] },
          },
        },
      }),
      { anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create'] }] },
    ),
    names: ["anonymous clients could update, delete on 'tailnet/**'"],
  },
  {
    name: 'anonymousWrite of create on ** with a config that has no authentication',
    source: AUTHN,
    props: handWritten(OPEN, { anonymousWrite: [{ repositories: ['**'], actions: ['create'] }] }),
    names: [
      'config.json http.auth: is not set: zot v2.1.18 enables no authentication',
      "anonymousWrite of create, update and delete on '**'",
    ],
  },
  {
    name: 'anonymousWrite on tailnet/** while the config opens ** as well',
    source: `${AUTHZ} can (longest matching glob decides)`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            'tailnet/**': { anonymousPolicy: ['read', 'create'] },
            '**': { policies: [{ users: ['admin'], actions: ALL }], anonymousPolicy: ['read', 'create'] },
          },
        },
      }),
      { anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create'] }] },
    ),
    names: ["anonymous clients could create on '**'"],
  },
  {
    name: 'the repository key "": zot falls back to it for every name no glob matches',
    source: `${AUTHZ} can (longestMatchedPattern stays "" when nothing matches; repositories[""] is then looked up)`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            '': { anonymousPolicy: ['read', 'create'] },
            'team/**': { policies: [{ users: ['admin'], actions: ALL }] },
          },
        },
      }),
    ),
    names: [/anonymous clients could create on ''/],
  },
  {
    name: 'no authentication, and only a metrics anonymousPolicy: zot starts, open',
    source: `zot v2.1.18 pkg/api/config/config.go ContainsOnlyMetricsAnonymousPolicy (validateAuthzPolicies lets it start); ${AUTHN}`,
    props: handWritten(
      zotConfig(
        { auth: undefined, accessControl: { metrics: { anonymousPolicy: ['read'] } } },
        { extensions: { metrics: { enable: true } } },
      ),
    ),
    names: ['config.json http.auth: is not set: zot v2.1.18 enables no authentication'],
  },
  {
    name: 'anonymousPolicy with delete on a brace glob',
    source: `${AUTHZ} can (doublestar v4 Match: {a,b} alternatives)`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            '{public,scratch}/**': { anonymousPolicy: ['read', 'delete'] },
            '**': { policies: [{ users: ['admin'], actions: ALL }] },
          },
        },
      }),
    ),
    names: ["anonymous clients could delete on '{public,scratch}/**'"],
  },
  {
    name: 'a policy for the user "" is a policy for anonymous clients',
    source: `${AUTHZ} isPermitted (slices.Contains(policy.Users, username), username "" when anonymous); pkg/api/authn.go (anonymous allowed once any anonymousPolicy exists)`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: {
            'public/**': { anonymousPolicy: ['read'], defaultPolicy: ['read'] },
            '**': {
              policies: [
                { users: ['admin'], actions: ALL },
                { users: [''], actions: ['read', 'create'] },
              ],
            },
          },
        },
      }),
    ),
    names: ["anonymous clients could create on '**'"],
  },
  {
    name: 'adminPolicy naming the user "" makes anonymous clients admins',
    source: `${AUTHZ} can / isAdmin (slices.Contains(adminPolicy.Users, username))`,
    props: handWritten(
      zotConfig({
        accessControl: {
          repositories: { 'public/**': { anonymousPolicy: ['read'], defaultPolicy: ['read'] }, '**': { policies: [] } },
          adminPolicy: { users: ['admin', ''], actions: ALL },
        },
      }),
    ),
    names: [/anonymous clients could create, update, delete on '(\*\*|public\/\*\*)'/],
  },
  {
    name: 'a typed user named "" (zot\'s anonymous user)',
    source: `${AUTHZ} isPermitted (username "" is the anonymous client); zot v2.1.18 pkg/api/htpasswd.go (user:hash lines)`,
    props: { release: { users: [ADMIN, { name: '', variable: 'ZOT_ANON', actions: ['read', 'create'] }] } },
    names: ["release.users[1].name: '' is not a valid htpasswd user name"],
  },
  {
    name: 'defaultPolicy create with GitHub sign-in: every GitHub account may push',
    source: `${AUTHZ} isPermitted (defaultPolicy for any username but ""); pkg/api/authn.go OAuth2Callback / GetGithubUserInfo (any GitHub account signs in); ${ROOT_GO} applyDefaultValues (openid turns apikey on)`,
    props: handWritten(
      zotConfig({
        auth: {
          ...HTPASSWD,
          openid: { providers: { github: { credentialsFile: '/secret/github.json', scopes: ['read:org'] } } },
        },
        accessControl: {
          repositories: { '**': { policies: [{ users: ['admin'], actions: ALL }], defaultPolicy: ['read', 'create'] } },
        },
      }),
      {
        unsafeValues: ['secretFiles'],
        valuesOverrides: { secretFiles: { htpasswd: '${COMMON_OCI}', 'github.json': '${ZOT_GITHUB_OAUTH}' } },
      },
      { variableSources: { CLUSTER_DOMAIN: SETTINGS, ZOT_GITHUB_OAUTH: SECRETS } },
    ),
    names: [/defaultPolicy|github/],
  },
  {
    name: 'anonymousRead on zot v2.1.15 through image.tag: docker never sends credentials',
    source:
      'zot v2.1.15 pkg/api/authn.go tryAuthnHandlers (an anonymous /v2/ passes once any anonymousPolicy exists, so docker sees 200); zot v2.1.16 authn.go ("Docker workaround: force 401 on /v2/", #3868)',
    props: { release: { anonymousRead: ['public/**'], valuesOverrides: { image: { tag: 'v2.1.15' } } } },
    names: ['release.anonymousRead: ["public/**"] would break docker pushes on zot v2.1.15'],
  },
  {
    name: 'readTimeout on zot v2.1.16 through image.tag: a key zot does not know',
    source: `${DECODE} at v2.1.16 (http.readTimeout from v2.1.17)`,
    props: { release: { readTimeout: '30m', valuesOverrides: { image: { tag: 'v2.1.16' } } } },
    names: ["release.readTimeout: '30m' needs zot v2.1.17 or later"],
  },
  {
    name: 'create without update on zot v2.1.14 through image.tag, not acknowledged (CVE-2026-31801)',
    source:
      'CVE-2026-31801 / GHSA-85jx-fm8m-x8c6: zot v2.1.14 pkg/api/authz.go DistSpecAuthzHandler (a PUT over an existing \'latest\' counts as create: `slices.Contains(tags, reference) && reference != "latest"`), fixed in v2.1.15 (#3847); lib/zot/known-advisories.json',
    props: { release: { users: [ADMIN, CI], valuesOverrides: { image: { tag: 'v2.1.14' } } } },
    names: ['CVE-2026-31801', "user ci may create but not update on '**'"],
  },
];

const CREDENTIALS: HostileCase[] = [
  {
    name: 'a Secret-sourced variable in an env value',
    source: PLACEMENT,
    props: {
      release: { valuesOverrides: { env: [{ name: 'S3_KEY', value: '${S3_SECRET}' }] } },
      variableSources: { CLUSTER_DOMAIN: SETTINGS, S3_SECRET: SECRETS },
    },
    names: [
      'HelmRelease/zot spec.values.env[0].value: uses the variable S3_SECRET, whose source is Secret/common-secrets',
    ],
  },
  {
    name: 'a Secret-sourced variable in a pod annotation',
    source: PLACEMENT,
    props: {
      release: { valuesOverrides: { podAnnotations: { note: '${S3_SECRET}' } } },
      variableSources: { CLUSTER_DOMAIN: SETTINGS, S3_SECRET: SECRETS },
    },
    names: [
      'HelmRelease/zot spec.values.podAnnotations.note: uses the variable S3_SECRET, whose source is Secret/common-secrets',
    ],
  },
  {
    name: 'a HelmRepository URL with a variable password',
    source: 'fluxcd/source-controller HelmRepository (credentials through spec.secretRef; spec.url is plain)',
    props: {
      helmRepository: { url: 'https://bot:${HELM_PW}@charts.example.test/zot' },
      variableSources: { CLUSTER_DOMAIN: SETTINGS, HELM_PW: SECRETS },
    },
    names: ['HelmRepository/zot spec.url: uses the variable HELM_PW'],
  },
  {
    name: 'a sync URL with a variable password',
    source: `zot v2.1.18 pkg/extensions/sync/service.go (upstream credentials come from the credentials file, not the URL); ${PLACEMENT}`,
    props: {
      release: { sync: { registries: [{ urls: ['https://u:${SYNC_PW}@ghcr.io'], onDemand: true }] } },
      variableSources: { CLUSTER_DOMAIN: SETTINGS, SYNC_PW: SECRETS },
    },
    names: ["HelmRelease/zot spec.values.configFiles['config.json']: uses the variable SYNC_PW"],
  },
  {
    name: 'a user whose htpasswd variable comes from a ConfigMap',
    source: PLACEMENT,
    props: { release: { users: [{ ...ADMIN, source: SETTINGS }] } },
    names: [
      'HelmRelease/zot spec.values.secretFiles.htpasswd: uses the variable COMMON_OCI from ConfigMap/cluster-settings in Secret content',
    ],
  },
  {
    name: 'sync credentials from a ConfigMap',
    source: PLACEMENT,
    props: {
      release: {
        sync: {
          registries: [
            {
              urls: ['https://ghcr.io'],
              onDemand: true,
              credentialsVariable: 'ZOT_SYNC_GHCR',
              credentialsSource: SETTINGS,
            },
          ],
        },
      },
    },
    names: [
      "HelmRelease/zot spec.values.secretFiles['sync-credentials.json']: uses the variable ZOT_SYNC_GHCR from ConfigMap/cluster-settings in Secret content",
    ],
  },
  {
    name: 'a secret-named env entry read from a ConfigMap',
    source: `${PLACEMENT}; Kubernetes core/v1 EnvVarSource (configMapKeyRef)`,
    props: {
      release: {
        valuesOverrides: {
          env: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { configMapKeyRef: { name: 's3', key: 'secret' } } }],
        },
      },
    },
    names: [
      'HelmRelease/zot spec.values.env[0].valueFrom.configMapKeyRef: gives the env AWS_SECRET_ACCESS_KEY a value from ConfigMap/s3',
    ],
  },
  {
    name: 'a Secret-sourced variable in the hand-written config.json (rendered into a ConfigMap)',
    source: `${PLACEMENT}; ${ROOT_GO} updateLDAPConfig (bindPassword read from config or credentialsFile)`,
    props: handWritten(
      zotConfig({
        auth: {
          ...HTPASSWD,
          ldap: {
            address: 'ldap.example.test',
            baseDN: 'dc=example',
            userAttribute: 'uid',
            bindDN: 'cn=zot',
            bindPassword: '${LDAP_BIND_PW}',
          },
        },
      }),
      {},
      { variableSources: { CLUSTER_DOMAIN: SETTINGS, LDAP_BIND_PW: SECRETS } },
    ),
    names: [
      "spec.values.configFiles['config.json']: uses the variable LDAP_BIND_PW, whose source is Secret/common-secrets",
    ],
  },
  {
    name: 'a redis URL with a literal password',
    source: 'zot v2.1.18 pkg/api/config/redis/redis.go (redis.ParseURL takes the password from the userinfo)',
    props: { release: { remoteCache: { type: 'redis', url: 'redis://:hunter2hunter2@redis.zot.svc:6379' } } },
    names: [/remoteCache\.url.*a password in the userinfo of a URL/],
  },
  {
    name: 'the cluster hashKey from a Secret lands in config.json, a ConfigMap',
    source: `${ROOT_GO} validateClusterConfig (hashKey read from config.json only); ${PLACEMENT}`,
    props: {
      release: {
        replicas: 2,
        storage: { type: 's3', bucket: 'zot-images', region: 'eu-west-1' },
        remoteCache: { type: 'redis', url: 'redis://redis.zot.svc:6379' },
        scaleOut: { hashKeyVariable: 'ZOT_HASH_KEY', hashKeySource: SECRETS },
      },
    },
    names: ["spec.values.configFiles['config.json']: uses the credential variable ZOT_HASH_KEY"],
  },
  {
    name: 'a literal AWS secret access key in env',
    source:
      'lib/checks/credentials.ts (AWS secret access key after a *SECRET* name); Kubernetes core/v1 EnvVar (plain in the pod spec)',
    props: {
      release: {
        valuesOverrides: {
          env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'Zq8pL3vN7xR2mT5kW9yB4cF6hJ1sD0gA3eQ7uI2o' }],
        },
      },
    },
    names: [
      'contains an AWS secret access key at HelmRelease/zot spec.values.env[0].value (env AWS_SECRET_ACCESS_KEY)',
    ],
  },
  {
    name: "base64 of user:pass word as the chart's probe authHeader",
    source: `${CHART} (probes: httpHeaders Authorization: Basic {{ .Values.authHeader }})`,
    props: { release: { valuesOverrides: { authHeader: Buffer.from('admin:pass word').toString('base64') } } },
    names: ['release.valuesOverrides.authHeader: contains base64 of user:password'],
  },
  {
    name: 'a URL-encoded htpasswd line in a pod annotation',
    source:
      'lib/checks/credentials.ts (URL-encoded text decoded and scanned again); zot v2.1.18 pkg/api/htpasswd.go (user:bcrypt lines)',
    props: { release: { valuesOverrides: { podAnnotations: { note: encodeURIComponent(`admin:${HASH}`) } } } },
    names: [/release\.valuesOverrides\.podAnnotations\.note: contains (an htpasswd line|a bcrypt hash)/],
  },
];

const CASES: HostileCase[] = [
  ...AUTHENTICATION_NOT_THERE,
  ...VIPER_DELIMITER,
  ...VIPER_CASE_COLLISIONS,
  ...DECODING,
  ...STARTUP,
  ...S3_DRIVER,
  ...CHART_VALUES,
  ...CHART_ROUTES,
  ...TYPED_REFUSALS_UNDONE,
  ...ACCESS,
  ...CREDENTIALS,
];

test("the suite holds at least 100 cases of its own (the shared file adds the other charts' cases)", () => {
  expect(CASES.length).toBeGreaterThanOrEqual(100);
  expect(TEST_CHART_VERSION).toBe('0.1.122'); // the sources cited here are read at this chart and the zot it deploys
});

test('the hand-written bases start and stay closed: what each case changes is what is refused', () => {
  for (const props of [handWritten(zotConfig()), handWritten(s3Config({}))]) {
    const r = synth(tempDir(), () => appWith(props));
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
  }
});

hostileSuite('hostile props: exit 1, the opening value named, nothing written', CASES);
