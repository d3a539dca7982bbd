// The registry stays closed as zot loads its config: empty auth maps, viper's "::" delimiter, auth
// methods zot does not enable, and anonymous write actions beyond the opt-in are refused; each
// error names the value that opens the registry.
import { anonymousWriteAnnotation, anonymousWriteOptIn, zotReleaseCheck } from '../../lib/checks/zot-release';
import { enabledAuthentication } from '../../lib/zot/authentication';
import { loadZotConfig } from '../../lib/zot/startup';

const HTPASSWD = { path: '/secret/htpasswd' };
const ACCESS = {
  repositories: { '**': { policies: [{ users: ['admin'], actions: ['read', 'create', 'update', 'delete'] }] } },
};
const base = (http: Record<string, unknown>) => ({
  storage: { rootDirectory: '/var/lib/registry' },
  http: { address: '0.0.0.0', port: '5000', ...http },
  log: { level: 'info' },
});

function release(config: unknown, annotations: Record<string, string> = {}, chart = '0.1.122'): any {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'zot', namespace: 'zot', annotations },
    spec: {
      chart: { spec: { chart: 'zot', version: chart, sourceRef: { kind: 'HelmRepository', name: 'zot' } } },
      values: {
        mountConfig: true,
        mountSecret: true,
        configFiles: { 'config.json': JSON.stringify(config) },
        secretFiles: { htpasswd: '${ZOT_HTPASSWD}' },
        service: { port: 5000 },
        httpGet: { port: 5000 },
      },
    },
  };
}
const errors = (config: unknown, annotations?: Record<string, string>, chart?: string) =>
  zotReleaseCheck(release(config, annotations, chart)).errors.join('\n');

describe('authentication zot really enables (zot pkg/api/config/config.go Is*AuthEnabled, v2.1.14..v2.1.20)', () => {
  const loaded = (config: unknown, v = 'v2.1.20') => enabledAuthentication(loadZotConfig(config, v).config, v);
  test.each<[string, unknown, string[]]>([
    ['htpasswd with a path', { htpasswd: HTPASSWD }, ['htpasswd']],
    ['htpasswd with an empty path', { htpasswd: { path: '' } }, []],
    ['bearer {} (viper drops it)', { bearer: {} }, []],
    ['bearer with realm and service, no cert', { bearer: { realm: 'https://auth', service: 'zot' } }, []],
    [
      'bearer with cert, realm and service',
      { bearer: { realm: 'https://auth', service: 'zot', cert: '/c.pem' } },
      ['bearer'],
    ],
    ['bearer OIDC without audiences', { bearer: { oidc: [{ issuer: 'https://k8s' }] } }, []],
    [
      'bearer OIDC with an audience',
      { bearer: { oidc: [{ issuer: 'https://k8s', audiences: ['zot'] }] } },
      ['bearer-oidc'],
    ],
    ['ldap {} (viper drops it)', { ldap: {} }, []],
    [
      'ldap with what validateLDAP requires',
      { ldap: { address: 'ldap.example', baseDN: 'ou=users', userAttribute: 'uid' } },
      ['ldap'],
    ],
    ['openid github {} (viper drops it)', { openid: { providers: { github: {} } } }, []],
    ['openid with a provider zot does not know', { openid: { providers: { keycloak: { issuer: 'https://kc' } } } }, []],
    [
      'openid GitHub (lower-cased by viper)',
      { openid: { providers: { GitHub: { clientid: 'x', clientsecret: 'y', scopes: ['read:org'] } } } },
      ['openid', 'apikey'],
    ],
    ['apikey alone', { apikey: true }, ['apikey']],
    ['apikey false', { apikey: false }, []],
  ])('%s', (_, auth, methods) => {
    expect(loaded(base({ auth }))).toEqual(methods);
  });
  test('bearer wins over htpasswd (AuthHandler): only bearer runs', () => {
    expect(loaded(base({ auth: { htpasswd: HTPASSWD, bearer: { realm: 'r', service: 's', cert: '/c' } } }))).toEqual([
      'bearer',
    ]);
  });
  test('awsSecretsManager counts from v2.1.15 only (IsTraditionalBearerAuthEnabledWithASM)', () => {
    const c = base({
      auth: { bearer: { realm: 'r', service: 's', awsSecretsManager: { region: 'eu-west-1', secretName: 'k' } } },
    });
    expect(loaded(c, 'v2.1.15')).toEqual(['bearer-aws-secrets-manager']);
  });
  test('mTLS: tls with key, cert and cacert (Config.IsMTLSAuthEnabled)', () => {
    expect(loaded(base({ tls: { key: '/k', cert: '/c', cacert: '/ca' } }))).toEqual(['mtls']);
    expect(loaded(base({ tls: { key: '/k', cert: '/c' } }))).toEqual([]);
  });
});

describe('viper\'s "::" key delimiter (viper v1.21.0 searchIndexableWithPathPrefixes: the longest prefix first)', () => {
  test('a "::" key wins over the nested key, whichever comes first', () => {
    for (const config of [
      { ...base({ auth: { htpasswd: HTPASSWD } }), 'http::auth::htpasswd::path': '' },
      { 'http::auth::htpasswd::path': '', ...base({ auth: { htpasswd: HTPASSWD } }) },
    ]) {
      expect(loadZotConfig(config, 'v2.1.20').config?.http?.auth?.htpasswd?.path).toBe('');
      const e = errors(config);
      expect(e).toContain('zot v2.1.18 enables no authentication');
      expect(e).toContain("'http::auth::htpasswd::path'");
    }
  });
  test('a "::" key in the middle of the path wins too', () => {
    const config = { ...base({ auth: { htpasswd: HTPASSWD } }), 'http::auth': { htpasswd: { path: '' } } };
    expect(errors(config)).toContain("'http::auth'");
  });
  test('with accessControl, the same "::" key leaves policies without authentication: zot refuses to start', () => {
    const config = {
      ...base({ auth: { htpasswd: HTPASSWD }, accessControl: ACCESS }),
      'http::auth::htpasswd::path': '',
    };
    expect(errors(config)).toContain('zot v2.1.18 refuses to start');
  });
  test('"::" opens every repository to anonymous writes: refused naming the glob and actions', () => {
    const config = {
      ...base({ auth: { htpasswd: HTPASSWD }, accessControl: ACCESS }),
      'http::accesscontrol::repositories::**::anonymouspolicy': ['read', 'create', 'update', 'delete'],
    };
    expect(errors(config)).toContain("anonymous clients could create, update, delete on '**'");
  });
  test('a "::" key that agrees with the nested value changes nothing', () => {
    const config = {
      ...base({ auth: { htpasswd: HTPASSWD }, accessControl: ACCESS }),
      'http::auth::htpasswd::path': '/secret/htpasswd',
    };
    expect(errors(config)).toBe('');
  });
});

describe('the registry is closed on what zot enables, not on what is written', () => {
  test.each<[string, unknown]>([
    ['bearer: {}', { bearer: {} }],
    ['bearer without cert', { bearer: { realm: 'https://auth', service: 'zot' } }],
    ['ldap: {}', { ldap: {} }],
    ['openid github: {}', { openid: { providers: { github: {} } } }],
    ['htpasswd with an empty path', { htpasswd: { path: '' } }],
  ])('%s is refused, naming it', (_, auth) => {
    const e = errors(base({ auth }));
    expect(e).toContain('config.json http.auth:');
    expect(e).toContain('enables no authentication');
    expect(e).toContain(JSON.stringify(auth).slice(0, 8));
  });
});

describe('anonymousWrite is checked on actions, not only globs', () => {
  const open = (actions: string[]) =>
    base({
      auth: { htpasswd: HTPASSWD },
      accessControl: { repositories: { 'tailnet/**': { anonymousPolicy: actions }, '**': ACCESS.repositories['**'] } },
    });
  const optIn = (actions: string[]) => ({
    'zot-flux.io/anonymous-write': anonymousWriteAnnotation([{ repositories: ['tailnet/**'], actions }]),
  });
  test('create opted in; the config also grants update and delete: refused naming them', () => {
    const e = errors(open(['read', 'create', 'update', 'delete']), optIn(['create']));
    expect(e).toContain("anonymous clients could update, delete on 'tailnet/**'");
  });
  test('exactly the opted-in actions: accepted', () => {
    expect(errors(open(['read', 'create', 'update']), optIn(['create', 'update']))).toBe('');
  });
  test("create on '**' does not permit a config with no authentication", () => {
    const e = errors(base({}), {
      'zot-flux.io/anonymous-write': anonymousWriteAnnotation([{ repositories: ['**'], actions: ['create'] }]),
    });
    expect(e).toContain('enables no authentication');
  });
  test("create, update and delete on '**' is the explicit way to run without authentication", () => {
    expect(errors(base({}), { 'zot-flux.io/anonymous-write': '**=create+update+delete' })).toBe('');
  });
  test('the annotation: globs with their actions; an entry without = (the older form) means every write action', () => {
    expect(
      anonymousWriteAnnotation([
        { repositories: ['a/**', 'b/**'], actions: ['update', 'create'] },
        { repositories: ['a/**'], actions: ['delete'] },
      ]),
    ).toBe('a/**=create+update+delete, b/**=create+update');
    expect([
      ...anonymousWriteOptIn({ metadata: { annotations: { 'zot-flux.io/anonymous-write': 'x/**' } } }).get('x/**')!,
    ]).toEqual(['create', 'update', 'delete']);
  });
});
