// zot's start-up rules per version (lib/zot/startup.ts) and its key tree (lib/zot/config-keys.ts).
// Every expectation here was read from zot's source at the tag (see the citations in startup.ts);
// the model was also run against the configs of zot's own root_test.go at each tag (see the report).
import { formatProblem, ZotFluxError } from '../../lib/core/error';
import { compareZotVersions, keyPathsFor, keyTreeFor, versionWithKey, ZOT_VERSIONS } from '../../lib/zot/config-keys';
import {
  checkedZotVersion,
  isModelledZotVersion,
  modelledZotVersion,
  parseGCTimeWindow,
  resolveZotModel,
  SUPPORTED_ZOT_VERSIONS,
  verifyZotConfig,
  ZotVersion,
} from '../../lib/zot/startup';

type Cfg = Record<string, any>;

/** A config every modelled version starts with, without warnings. */
function base(version: ZotVersion = 'v2.1.18'): Cfg {
  const http: Cfg = { address: '0.0.0.0', port: '5000' };
  if (version >= 'v2.1.17') Object.assign(http, { readTimeout: '30m', writeTimeout: '30m' });
  return { distSpecVersion: '1.1.1', storage: { rootDirectory: '/var/lib/registry' }, http, log: { level: 'info' } };
}
const merge = (a: Cfg, b: Cfg): Cfg => {
  const out: Cfg = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object' ? merge(a[k], v) : v;
  return out;
};
const withBase = (extra: Cfg, version: ZotVersion = 'v2.1.18') => merge(base(version), extra);
const run = (extra: Cfg, version: ZotVersion = 'v2.1.18') => verifyZotConfig(withBase(extra, version), version);
const errorFields = (extra: Cfg, version: ZotVersion = 'v2.1.18') => run(extra, version).errors.map((p) => p.field);
const warningFields = (extra: Cfg, version: ZotVersion = 'v2.1.18') => run(extra, version).warnings.map((p) => p.field);
const reasons = (extra: Cfg, version: ZotVersion = 'v2.1.18') =>
  run(extra, version)
    .errors.map((p) => `${p.field}: ${p.reason}`)
    .join('\n');
const ALL = [...ZOT_VERSIONS];
const from = (v: ZotVersion) => ALL.filter((x) => x >= v);
const before = (v: ZotVersion) => ALL.filter((x) => x < v);

describe('versions', () => {
  test('v2.1.14 to v2.1.20 are modelled, oldest first', () => {
    expect(SUPPORTED_ZOT_VERSIONS).toEqual([
      'v2.1.14',
      'v2.1.15',
      'v2.1.16',
      'v2.1.17',
      'v2.1.18',
      'v2.1.19',
      'v2.1.20',
    ]);
    expect(isModelledZotVersion('2.1.18')).toBe(true);
    expect(isModelledZotVersion('v2.1.13')).toBe(false);
  });

  test('a string that is not a semantic version is a ZotFluxError naming it', () => {
    for (const bad of ['latest', 'v2.1', '2.1.21.1', 'v02.1.21', '']) {
      let err: unknown;
      try {
        verifyZotConfig(base(), bad);
      } catch (e) {
        err = e;
      }
      expect(ZotFluxError.isZotFluxError(err)).toBe(true);
      expect((err as ZotFluxError).message).toContain('is not a zot version (expected vX.Y.Z');
    }
    expect(() => resolveZotModel('main', '--zot')).toThrow("--zot: 'main' is not a zot version");
  });

  test("any semantic version resolves to a model: itself, the newest (newer, with main's keys), the oldest (older)", () => {
    expect(resolveZotModel('2.1.18')).toEqual({ version: 'v2.1.18', model: 'v2.1.18', relation: 'exact', main: false });
    expect(resolveZotModel('v2.1.18+build.7')).toMatchObject({ model: 'v2.1.18', relation: 'exact' });
    expect(resolveZotModel('v2.1.21')).toMatchObject({
      version: 'v2.1.21',
      model: 'v2.1.20',
      relation: 'newer',
      main: true,
    });
    expect(resolveZotModel('v3.0.0-rc.1')).toMatchObject({ model: 'v2.1.20', relation: 'newer', main: true });
    expect(resolveZotModel('v2.1.21').note).toContain('zot v2.1.21 is newer than the newest modelled (v2.1.20)');
    expect(resolveZotModel('v2.1.13')).toMatchObject({ model: 'v2.1.14', relation: 'older', main: false });
    expect(resolveZotModel('v2.1.13').note).toContain('older than the oldest modelled (v2.1.14)');
    expect(resolveZotModel('v2.1.20-rc.1')).toMatchObject({ model: 'v2.1.19', relation: 'between', main: false });
    expect(modelledZotVersion('v9.9.9')).toBe('v2.1.20');
    expect(checkedZotVersion('2.1.21')).toBe('v2.1.21');
  });

  test('semver precedence (semver.org §11)', () => {
    const sorted = [
      'v2.1.9',
      'v2.1.20-alpha',
      'v2.1.20-alpha.1',
      'v2.1.20-alpha.beta',
      'v2.1.20-beta.2',
      'v2.1.20-beta.11',
      'v2.1.20-rc.1',
      'v2.1.20',
      'v2.1.21',
      'v2.2.0',
      'v10.0.0',
    ];
    for (let i = 1; i < sorted.length; i++)
      expect([sorted[i - 1], sorted[i], compareZotVersions(sorted[i - 1], sorted[i]) < 0]).toEqual([
        sorted[i - 1],
        sorted[i],
        true,
      ]);
    expect(compareZotVersions('v2.1.20+a', '2.1.20')).toBe(0);
  });

  test.each(ALL)('the base config starts %s with no problem and no warning', (v) => {
    expect(verifyZotConfig(base(v), v)).toEqual({ errors: [], warnings: [] });
  });
});

describe('the key tree', () => {
  test("keys added per version (diffed from zot's structs at each tag)", () => {
    const paths = (v: ZotVersion) => keyPathsFor(v).map(([p]) => p);
    const added = (a: ZotVersion, b: ZotVersion) =>
      paths(b).filter((p) => !paths(a).includes(p) && !/\.(\[\]|\{\})$/.test(p) && !p.startsWith('storage.subpaths.'));
    expect(added('v2.1.16', 'v2.1.17').sort()).toEqual([
      'http.accesscontrol.adminpolicy.conditions',
      'http.accesscontrol.adminpolicy.conditions.[].expression',
      'http.accesscontrol.adminpolicy.conditions.[].message',
      'http.accesscontrol.repositories.{}.policies.[].conditions',
      'http.accesscontrol.repositories.{}.policies.[].conditions.[].expression',
      'http.accesscontrol.repositories.{}.policies.[].conditions.[].message',
      'http.auth.openid.providers.{}.claimmapping.groups',
      'http.readtimeout',
      'http.writetimeout',
    ]);
    expect(keyPathsFor('v2.1.15').map(([p]) => p)).toContain('http.auth.bearer.awssecretsmanager');
    expect(keyPathsFor('v2.1.14').map(([p]) => p)).not.toContain('http.auth.bearer.awssecretsmanager');
    expect(keyPathsFor('v2.1.18').map(([p]) => p)).toEqual(
      expect.arrayContaining([
        'storage.redirectbloburl',
        'storage.fastrestart',
        'http.accesscontrol.metrics.anonymouspolicy',
        'extensions.search.cve.trivy.sbom',
      ]),
    );
    expect(keyPathsFor('v2.1.19').map(([p]) => p)).toEqual(
      expect.arrayContaining([
        'storage.gctimewindow',
        'extensions.sync.registries.[].maxretrydelay',
        'http.auth.bearer.upstreamtokenendpoint',
      ]),
    );
    expect(keyPathsFor('v2.1.20')).toEqual(keyPathsFor('v2.1.19'));
    // no key of v2.1.14 disappears later
    const first = new Set(keyPathsFor('v2.1.14').map(([p]) => p));
    for (const v of ALL) for (const p of first) expect(keyPathsFor(v).map(([x]) => x)).toContain(p);
  });

  test('every key the issue lists is a real zot key, with its type', () => {
    const tree = new Map(keyPathsFor('v2.1.14'));
    for (const p of [
      'extensions.sync',
      'extensions.lint',
      'extensions.trust',
      'extensions.events',
      'storage.storagedriver',
      'storage.cachedriver',
      'storage.remotecache',
      'storage.retention',
      'storage.subpaths',
      'storage.commit',
      'http.tls',
      'http.compat',
      'http.externalurl',
      'http.realm',
      'http.ratelimit',
      'http.auth.ldap',
      'http.auth.openid',
      'http.auth.bearer',
      'http.auth.apikey',
      'http.auth.faildelay',
      'http.auth.sessionkeysfile',
      'http.accesscontrol.groups',
      'http.accesscontrol.metrics',
      'extensions.search.cve',
      'log.output',
      'log.audit',
      'cluster',
      'scheduler',
      'distspecversion',
    ]) {
      expect([p, tree.has(p)]).toEqual([p, true]);
    }
    expect(tree.get('storage.gcdelay')).toBe('duration');
    expect(tree.get('http.port')).toBe('string');
    expect(tree.get('storage.subpaths')).toBe('map');
    expect(tree.get('http.compat')).toBe('list');
    expect(tree.get('http.auth.faildelay')).toBe('int');
    expect(tree.get('storage.dedupe')).toBe('bool');
    expect(new Map(keyPathsFor('v2.1.17')).get('http.readtimeout')).toBe('duration');
  });

  test('versionWithKey names the first version of a key; keyTreeFor drops newer keys', () => {
    expect(versionWithKey(['http', 'readTimeout'])).toBe('v2.1.17');
    expect(versionWithKey(['storage', 'subPaths', 'gcTimeWindow'])).toBe('v2.1.19');
    expect(versionWithKey(['http', 'nope'])).toBeUndefined();
    expect(keyTreeFor('v2.1.16').keys!.http.keys!.readTimeout).toBeUndefined();
    expect(keyTreeFor('v2.1.17').keys!.http.keys!.readTimeout.type).toBe('duration');
  });
});

describe('keys are matched as zot (viper + mapstructure) matches them', () => {
  test('case does not matter', () => {
    const cfg = {
      STORAGE: { RootDirectory: '/z' },
      Http: { PORT: '5000', ReadTimeout: '30m', WRITETIMEOUT: '30m' },
      Log: { LEVEL: 'INFO' },
    };
    expect(verifyZotConfig(cfg, 'v2.1.18').errors).toEqual([]);
  });

  test('two keys equal but for case are refused: viper keeps one at random', () => {
    expect(errorFields({ storage: { rootDirectory: '/a', RootDirectory: '/b' } })).toEqual(['storage.RootDirectory']);
  });

  test('an unknown key is refused with its path; a key of a later version says so', () => {
    const r = run({ storage: { lint: true } });
    expect(r.errors).toEqual([
      expect.objectContaining({ field: 'storage.lint', reason: expect.stringContaining('ErrorUnused') }),
    ]);
    expect(reasons({ http: { readTimeout: '30m' } }, 'v2.1.16')).toContain('it is a key from zot v2.1.17 on');
    expect(
      reasons(
        {
          extensions: { sync: { registries: [{ urls: ['https://ghcr.io'], maxRetryDelay: '1m', retryDelay: '1s' }] } },
        },
        'v2.1.18',
      ),
    ).toContain('extensions.sync.registries[0].maxRetryDelay: is not a key zot v2.1.18 knows');
  });

  test('a decode error stops there, as LoadConfiguration does', () => {
    // the unknown key makes zot exit before it would look at the port
    expect(errorFields({ http: { port: '99999', bogus: 1 } })).toEqual(['http.bogus']);
  });

  test('null and empty objects vanish (viper drops keys without a value)', () => {
    expect(run({ http: { auth: null, accessControl: {} }, extensions: {} }).errors).toEqual([]);
    // an accessControl that only holds an empty object is no accessControl: no auth needed
    expect(run({ http: { accessControl: { repositories: {} } } }).errors).toEqual([]);
  });

  test('a key holding "::" (zot\'s viper key delimiter) is split', () => {
    const r = run({ http: { accessControl: { repositories: { 'a::b': { anonymousPolicy: ['read'] } } } } });
    expect(r.warnings.map((p) => p.field)).toContain('http.accessControl.repositories.a::b');
    expect(r.errors.map((p) => p.field)).toContain('http.accessControl.repositories["a"].b');
  });

  test('weak typing: numbers and strings fill each other, a single value fills a list', () => {
    expect(errorFields({ http: { port: 5000 }, storage: { dedupe: 'false', gc: 1 } })).toEqual([]);
    expect(errorFields({ http: { port: [5000] } })).toEqual(['http.port']);
    expect(errorFields({ storage: { dedupe: 'yes' } })).toEqual(['storage.dedupe']);
    expect(errorFields({ http: { auth: { failDelay: '0x10' } } })).toEqual([]);
    expect(errorFields({ http: { auth: { failDelay: '1.5' } } })).toEqual(['http.auth.failDelay']);
    const lifted = run({
      http: {
        auth: { htpasswd: { path: '/h' } },
        accessControl: { repositories: { '**': { policies: [{ users: 'admin', actions: ['read'] }] } } },
      },
    });
    expect(lifted.errors).toEqual([]);
    expect(lifted.warnings.map((p) => p.field)).toContain('http.accessControl.repositories["**"].policies[0].users');
    expect(errorFields({ storage: { retention: 'none' } })).toEqual(['storage.retention']);
  });

  test('durations are Go durations; a number is nanoseconds (a warning)', () => {
    expect(errorFields({ storage: { gcDelay: '1h30m' } })).toEqual([]);
    expect(errorFields({ storage: { gcDelay: '1 hour' } })).toEqual(['storage.gcDelay']);
    expect(reasons({ storage: { gcDelay: '90' } })).toContain('missing unit');
    const ns = run({ storage: { gcDelay: 3600 } });
    expect(ns.errors).toEqual([]);
    expect(ns.warnings).toEqual([
      expect.objectContaining({ field: 'storage.gcDelay', reason: expect.stringContaining('3600 nanoseconds') }),
    ]);
  });
});

describe('LoadConfiguration', () => {
  test('a config with no value, or not an object, is refused', () => {
    expect(verifyZotConfig({}, 'v2.1.18').errors).toHaveLength(1);
    expect(verifyZotConfig({ log: {} }, 'v2.1.14').errors[0].reason).toContain('absence of any key:value pair');
    expect(verifyZotConfig([], 'v2.1.18').errors[0].reason).toContain('not a JSON object');
  });

  test.each(ALL)("log levels are zot's, any case (%s)", (v) => {
    expect(errorFields({ log: { level: 'WARNING' } }, v)).toEqual([]);
    expect(errorFields({ log: { level: 'verbose' } }, v)).toEqual(['log.level']);
  });

  test('files zot reads while loading are warnings', () => {
    expect(
      warningFields({ http: { auth: { sessionKeysFile: '/s/keys.json' } }, log: { output: '/var/log/zot.log' } }),
    ).toEqual(['log.output', 'http.auth.sessionKeysFile']);
  });
});

describe('validateConfiguration', () => {
  test.each([['65536'], ['-1'], ['http'], ['+'], ['0x50']])('port %s is refused', (port) => {
    expect(errorFields({ http: { port } })).toEqual(['http.port']);
  });
  test('port 0, +80 and "" pass validateHTTP', () => {
    expect(errorFields({ http: { port: '0' } })).toEqual([]);
    expect(errorFields({ http: { port: '+80' } })).toEqual([]);
    expect(errorFields({ http: { port: '' } })).toEqual([]);
  });

  describe('garbage collection and retention', () => {
    test('negative delays are refused, delays without gc are ignored (warned)', () => {
      expect(errorFields({ storage: { gcDelay: '-1s', gcInterval: '-1h' } })).toEqual([
        'storage.gcDelay',
        'storage.gcInterval',
      ]);
      expect(warningFields({ storage: { gc: false, gcDelay: '2h' } })).toEqual(['storage.gcDelay']);
      expect(warningFields({ storage: { gc: false } })).toEqual([]);
    });
    test('a subpath with gc on needs a positive delay', () => {
      expect(
        errorFields({ storage: { subPaths: { '/a': { rootDirectory: '/a', gc: true, gcDelay: '0s' } } } }),
      ).toEqual(['storage.subPaths["/a"].gcDelay']);
      expect(errorFields({ storage: { subPaths: { '/a': { rootDirectory: '/a', gc: true } } } })).toEqual([]);
    });
    test('retention globs and tag regexes must compile', () => {
      const policy = (repositories: string[], patterns: string[]) => ({
        storage: { retention: { policies: [{ repositories, keepTags: [{ patterns }] }] } },
      });
      expect(errorFields(policy(['infra/*', 'prod/**'], ['v2.*', '.*-prod', '^v[0-9]+$']))).toEqual([]);
      expect(errorFields(policy(['infra/[a'], ['v2.*']))).toEqual(['storage.retention.policies[0].repositories[0]']);
      expect(errorFields(policy(['**'], ['v(2'])).join()).toBe('storage.retention.policies[0].keepTags[0].patterns[0]');
      expect(reasons(policy(['**'], ['(?=v)']))).toContain('invalid or unsupported Perl syntax');
    });
    test('gcTimeWindow (v2.1.19): parsed while decoding, ignored without gc', () => {
      expect(errorFields({ storage: { gcTimeWindow: '01:00-08:00' } }, 'v2.1.19')).toEqual([]);
      expect(errorFields({ storage: { gcTimeWindow: '25:00-08:00' } }, 'v2.1.19')).toEqual(['storage.gcTimeWindow']);
      expect(errorFields({ storage: { gcTimeWindow: 100 } }, 'v2.1.20')).toEqual(['storage.gcTimeWindow']);
      expect(warningFields({ storage: { gc: false, gcTimeWindow: '22:00-06:00' } }, 'v2.1.19')).toEqual([
        'storage.gcTimeWindow',
      ]);
      expect(errorFields({ storage: { gcTimeWindow: '01:00-08:00' } }, 'v2.1.18')).toEqual(['storage.gcTimeWindow']);
    });
  });

  test.each(ALL)('scrub under 2h is clamped with a warning, not refused (%s)', (v) => {
    const r = run({ extensions: { scrub: { enable: true, interval: '1h' } } }, v);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      expect.objectContaining({
        field: 'extensions.scrub.interval',
        value: '1h',
        reason: expect.stringContaining('uses 2h'),
      }),
    ]);
  });

  test('a CVE update interval under 2h (or none) is raised to 2h with a warning', () => {
    expect(warningFields({ extensions: { search: { enable: true, cve: { updateInterval: '1h' } } } })).toEqual([
      'extensions.search.cve.updateInterval',
    ]);
    expect(warningFields({ extensions: { search: { enable: true, cve: { updateInterval: '24h' } } } })).toEqual([]);
  });

  test.each(ALL)('ui needs search (%s)', (v) => {
    expect(errorFields({ extensions: { ui: { enable: true } } }, v)).toEqual(['extensions.ui']);
    expect(errorFields({ extensions: { ui: { enable: true }, search: { enable: true } } }, v)).toEqual([]);
    // all-empty extension blocks are re-created enabled by applyDefaultValues: ui {} alone is refused too
    expect(errorFields({ extensions: { ui: {} } }, v)).toEqual(['extensions.ui']);
  });

  test('an empty extension block next to others is dropped: not enabled (warned)', () => {
    const r = run({ extensions: { search: { enable: true }, ui: {} } });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((p) => p.field)).toEqual(['extensions.ui']);
  });

  describe('storage and cache drivers', () => {
    const s3 = { name: 's3', rootdirectory: '/zot', region: 'us-east-2', bucket: 'zot-storage' };
    test.each(ALL)('S3 with dedupe on (the default) needs a remote cache (%s)', (v) => {
      expect(errorFields({ storage: { storageDriver: s3 } }, v)).toEqual(['storage.cacheDriver']);
      expect(errorFields({ storage: { storageDriver: s3, dedupe: false } }, v)).toEqual([]);
      expect(errorFields({ storage: { storageDriver: s3, remoteCache: false } }, v)).toEqual([]);
      expect(
        errorFields(
          {
            storage: { storageDriver: s3, cacheDriver: { name: 'dynamodb', region: 'us-east-2', cacheTablename: 'T' } },
          },
          v,
        ),
      ).toEqual([]);
      expect(
        errorFields({ storage: { storageDriver: s3, cacheDriver: { name: 'redis', url: 'redis://redis:6379' } } }, v),
      ).toEqual([]);
    });
    test('a remote cache on local storage: redis only, and not on a subpath', () => {
      expect(
        errorFields({ storage: { remoteCache: true, cacheDriver: { name: 'redis', url: 'redis://redis:6379' } } }),
      ).toEqual([]);
      expect(errorFields({ storage: { remoteCache: true, cacheDriver: { name: 'dynamodb' } } })).toEqual([
        'storage.cacheDriver',
      ]);
      expect(errorFields({ storage: { storageDriver: s3, cacheDriver: { name: 'boltdb' } } })).toEqual([
        'storage.cacheDriver.name',
      ]);
      expect(
        errorFields({
          storage: { subPaths: { '/a': { rootDirectory: '/a', remoteCache: true, cacheDriver: { name: 'redis' } } } },
        }),
      ).toEqual(['storage.subPaths["/a"].cacheDriver']);
      expect(warningFields({ storage: { cacheDriver: { name: 'redis' } } })).toEqual(['storage.cacheDriver']);
    });
    test('gcs from v2.1.15, azure from v2.1.18', () => {
      // each with the parameters its distribution driver requires (lib/zot/storage-driver.ts)
      const params: Record<string, object> = {
        gcs: { bucket: 'b' },
        azure: { accountname: 'a', container: 'c', credentials: { type: 'default_credentials' } },
      };
      const drv = (name: string) => ({ storage: { dedupe: false, storageDriver: { name, ...params[name] } } });
      expect(errorFields(drv('gcs'), 'v2.1.14')).toEqual(['storage.storageDriver.name']);
      for (const v of from('v2.1.15')) expect(errorFields(drv('gcs'), v)).toEqual([]);
      for (const v of before('v2.1.18')) expect(errorFields(drv('azure'), v)).toEqual(['storage.storageDriver.name']);
      for (const v of from('v2.1.18')) expect(errorFields(drv('azure'), v)).toEqual([]);
      expect(errorFields(drv('S3'))).toEqual(['storage.storageDriver.name']);
    });
    test('redirectBlobURL (v2.1.18) needs a remote driver', () => {
      expect(errorFields({ storage: { redirectBlobURL: true } })).toEqual(['storage.redirectBlobURL']);
      expect(errorFields({ storage: { redirectBlobURL: true, dedupe: false, storageDriver: s3 } })).toEqual([]);
    });
    test('stores of one type may not share or nest root directories', () => {
      expect(errorFields({ storage: { subPaths: { '/a': { rootDirectory: '/var/lib/registry' } } } })).toEqual([
        'storage.subPaths["/a"].rootDirectory',
      ]);
      expect(errorFields({ storage: { subPaths: { '/a': { rootDirectory: '/var/lib/registry/a' } } } })).toEqual([
        'storage.subPaths["/a"].rootDirectory',
      ]);
      expect(errorFields({ storage: { subPaths: { '/a': { rootDirectory: '/var/lib/registry-a' } } } })).toEqual([]);
      expect(
        errorFields({
          storage: {
            subPaths: { '/a': { rootDirectory: '/zot', dedupe: false, storageDriver: s3 } },
            rootDirectory: '/zot',
          },
        }),
      ).toEqual([]);
    });
    test('CVE scanning is refused with remote storage, on the default store or a subpath', () => {
      const cve = { extensions: { search: { enable: true, cve: { updateInterval: '24h' } } } };
      expect(errorFields(merge(cve, { storage: { dedupe: false, storageDriver: s3 } }))).toEqual([
        'extensions.search.cve',
      ]);
      expect(
        errorFields(merge(cve, { storage: { subPaths: { '/a': { rootDirectory: '/a', storageDriver: s3 } } } })),
      ).toEqual(['extensions.search.cve']);
      expect(
        errorFields(
          merge(cve, { extensions: { search: { enable: false } }, storage: { dedupe: false, storageDriver: s3 } }),
        ),
      ).toEqual([]);
    });
    test('an empty rootDirectory stops the controller', () => {
      expect(errorFields({ storage: { rootDirectory: '' } })).toEqual(['storage.rootDirectory']);
      expect(verifyZotConfig({ http: { port: '5000' } }, 'v2.1.14').errors.map((p) => p.field)).toEqual([
        'storage.rootDirectory',
      ]);
    });
  });

  describe('sync', () => {
    const ghcr = {
      urls: ['https://ghcr.io'],
      onDemand: true,
      tlsVerify: true,
      content: [{ prefix: 'project-zot/**', destination: '/ghcr' }],
    };
    test.each(ALL)('sync with remote storage needs downloadDir (%s)', (v) => {
      const s3 = { dedupe: false, storageDriver: { name: 's3', bucket: 'b', region: 'us-east-1' } };
      expect(errorFields({ storage: s3, extensions: { sync: { registries: [ghcr] } } }, v)).toEqual([
        'extensions.sync.downloadDir',
      ]);
      expect(
        errorFields({ storage: s3, extensions: { sync: { downloadDir: '/tmp/sync', registries: [ghcr] } } }, v),
      ).toEqual([]);
      expect(errorFields({ storage: s3, extensions: { sync: { enable: false, registries: [ghcr] } } }, v)).toEqual([]);
    });
    test('retries, preserveDigest, prefixes and tag regexes', () => {
      const reg = (extra: Cfg) => ({ extensions: { sync: { registries: [{ ...ghcr, ...extra }] } } });
      expect(errorFields(reg({ maxRetries: 3 }))).toEqual(['extensions.sync.registries[0].maxRetries']);
      expect(errorFields(reg({ maxRetries: 3, retryDelay: '5m' }))).toEqual([]);
      expect(errorFields(reg({ preserveDigest: true }))).toEqual(['extensions.sync.registries[0].preserveDigest']);
      expect(errorFields(merge(reg({ preserveDigest: true }), { http: { compat: ['docker2s2'] } }))).toEqual([]);
      expect(errorFields(reg({ content: [{ prefix: 'a/{b' }] }))).toEqual([
        'extensions.sync.registries[0].content[0].prefix',
      ]);
      expect(
        errorFields(reg({ content: [{ prefix: 'a/**', tags: { regex: '4.*', excludeRegex: '.*-rc(' } }] })),
      ).toEqual(['extensions.sync.registries[0].content[0].tags.excludeRegex']);
      expect(errorFields(reg({ content: [{ prefix: 'a', stripPrefix: true, destination: '/' }] }))).toEqual([
        'extensions.sync.registries[0].content[0]',
      ]);
      expect(errorFields(reg({ content: [{ prefix: 'a/*', stripPrefix: true, destination: '/' }] }))).toEqual([]);
    });
    test('maxRetryDelay and the oauth2 helper (v2.1.19)', () => {
      const reg = (extra: Cfg) => ({ extensions: { sync: { registries: [{ ...ghcr, ...extra }] } } });
      expect(errorFields(reg({ retryDelay: '1m', maxRetryDelay: '10s' }), 'v2.1.19')).toEqual([
        'extensions.sync.registries[0].maxRetryDelay',
      ]);
      expect(errorFields(reg({ retryDelay: '10s', maxRetryDelay: '1m' }), 'v2.1.19')).toEqual([]);
      expect(errorFields(reg({ credentialHelper: 'oauth2' }), 'v2.1.19')).toEqual([
        'extensions.sync.registries[0].oauth2CredentialHelper',
      ]);
      const helper = { tokenURL: 'https://sts.example.com/token', assertionFile: '/var/run/token' };
      expect(errorFields(reg({ credentialHelper: 'oauth2', oauth2CredentialHelper: helper }), 'v2.1.19')).toEqual([]);
      expect(
        errorFields(
          reg({ credentialHelper: 'oauth2', oauth2CredentialHelper: { ...helper, signingFile: '/k' } }),
          'v2.1.20',
        ),
      ).toEqual(['extensions.sync.registries[0].oauth2CredentialHelper']);
      expect(
        errorFields(
          reg({ credentialHelper: 'oauth2', oauth2CredentialHelper: { ...helper, tokenUrl2: 'x' } }),
          'v2.1.19',
        ),
      ).toEqual(['extensions.sync.registries[0].oauth2CredentialHelper.tokenUrl2']);
    });
  });

  describe('access control without authentication (ContainsOnlyAnonymousPolicy)', () => {
    const ac = (accessControl: Cfg, auth?: Cfg) => ({ http: { accessControl, ...(auth ? { auth } : {}) } });
    test.each(ALL)('anonymous-only policies need no auth; anything for users does (%s)', (v) => {
      expect(errorFields(ac({ repositories: { '**': { anonymousPolicy: ['read'] } } }), v)).toEqual([]);
      expect(
        errorFields(ac({ repositories: { '**': { anonymousPolicy: ['read'], defaultPolicy: ['read'] } } }), v),
      ).toEqual(['http.accessControl']);
      expect(
        errorFields(
          ac({
            repositories: { '**': { anonymousPolicy: ['read'] } },
            adminPolicy: { users: ['admin'], actions: ['read'] },
          }),
          v,
        ),
      ).toEqual(['http.accessControl']);
      expect(
        errorFields(ac({ repositories: { '**': { policies: [{ users: ['ci'], actions: ['read'] }] } } }), v),
      ).toEqual(['http.accessControl']);
      expect(
        errorFields(
          ac({ repositories: { '**': { defaultPolicy: ['read'] } } }, { htpasswd: { path: '/secret/htpasswd' } }),
          v,
        ),
      ).toEqual([]);
    });
    test('edge cases: groups are not counted; no anonymousPolicy at all is not anonymous-only', () => {
      expect(
        errorFields(
          ac({
            repositories: { '**': { anonymousPolicy: ['read'], policies: [{ groups: ['dev'] }] } },
            adminPolicy: { groups: ['ops'] },
          }),
        ),
      ).toEqual([]);
      expect(reasons(ac({ metrics: { users: ['prom'] } }, undefined), 'v2.1.17')).toContain(
        'has no anonymousPolicy on any repository',
      );
      expect(
        errorFields(
          ac(
            { repositories: { '**': { policies: [{ users: ['a'], actions: ['read'] }] } } },
            { bearer: { oidc: [{ issuer: 'https://k8s', audiences: ['zot'] }] } },
          ),
        ),
      ).toEqual([]);
      expect(errorFields(ac({ repositories: { '**': { defaultPolicy: ['read'] } } }, { apikey: true }))).toEqual([]);
    });
    test('only metrics.anonymousPolicy: refused before v2.1.18 (no such key), accepted from it', () => {
      for (const v of before('v2.1.18'))
        expect(errorFields(ac({ metrics: { anonymousPolicy: ['read'] } }), v)).toEqual([
          'http.accessControl.metrics.anonymousPolicy',
        ]);
      for (const v of from('v2.1.18'))
        expect(errorFields(ac({ metrics: { anonymousPolicy: ['read'] } }), v)).toEqual([]);
    });
    test('repository globs must compile; the key path names the glob', () => {
      const r = run(ac({ repositories: { 'ci/{a': { anonymousPolicy: ['read'] } } }));
      expect(r.errors.map((p) => p.field)).toEqual(['http.accessControl.repositories["ci/{a"]']);
    });
    test('conditions (v2.1.17): compiled by zot with CEL; an empty one is refused', () => {
      const cond = (expression: string) =>
        ac(
          { repositories: { '**': { policies: [{ users: ['a'], actions: ['read'], conditions: [{ expression }] }] } } },
          { htpasswd: { path: '/h' } },
        );
      expect(errorFields(cond(''), 'v2.1.17')).toEqual([
        'http.accessControl.repositories["**"].policies[0].conditions[0].expression',
      ]);
      expect(errorFields(cond('req.tls.enabled'), 'v2.1.17')).toEqual([]);
      expect(warningFields(cond('req.tls.enabled'), 'v2.1.17')).toEqual([
        'http.accessControl.repositories["**"].policies[0].conditions[0].expression',
      ]);
      expect(errorFields(cond('req.tls.enabled'), 'v2.1.16')).toEqual([
        'http.accessControl.repositories["**"].policies[0].conditions',
      ]);
    });
    test('what zot accepts but does nothing with: unknown actions, lower-cased group names', () => {
      const r = run(
        ac(
          {
            groups: { Admins: { users: ['a'] } },
            repositories: { '**': { policies: [{ groups: ['Admins'], actions: ['Read', 'read'] }] } },
          },
          { htpasswd: { path: '/h' } },
        ),
      );
      expect(r.errors).toEqual([]);
      expect(r.warnings.map((p) => p.field)).toEqual([
        'http.accessControl.repositories["**"].policies[0].actions[0]',
        'http.accessControl.repositories["**"].policies[0].groups[0]',
      ]);
    });
    test('anonymous read next to authenticated rules breaks docker pushes before v2.1.16 (a warning)', () => {
      const mixed = ac(
        {
          repositories: {
            'public/**': { anonymousPolicy: ['read'] },
            '**': { policies: [{ users: ['ci'], actions: ['read', 'create'] }] },
          },
        },
        { htpasswd: { path: '/h' } },
      );
      for (const v of before('v2.1.16')) expect(warningFields(mixed, v)).toEqual(['http.accessControl']);
      for (const v of from('v2.1.16')) expect(warningFields(mixed, v)).toEqual([]);
    });
  });

  describe('authentication blocks', () => {
    test('ldap needs userAttribute, address and baseDN', () => {
      expect(errorFields({ http: { auth: { ldap: { address: 'ldap.example.com', baseDN: 'dc=example' } } } })).toEqual([
        'http.auth.ldap.userAttribute',
      ]);
    });
    test('mTLS needs tls with a CA; identity attributes are checked', () => {
      expect(errorFields({ http: { auth: { mtls: { identityAttributes: ['CommonName'] } } } })).toEqual([
        'http.auth.mtls',
      ]);
      const tls = { cert: '/c', key: '/k', cacert: '/ca' };
      expect(
        errorFields({
          http: { tls, auth: { mtls: { identityAttributes: ['cn', ' URI '], uriSanPattern: 'spiffe://x/(.*)' } } },
        }),
      ).toEqual([]);
      expect(errorFields({ http: { tls, auth: { mtls: { identityAttributes: ['Serial'] } } } })).toEqual([
        'http.auth.mtls.identityAttributes',
      ]);
      expect(errorFields({ http: { tls, auth: { mtls: { dnsSanIndex: 1 } } } })).toEqual([
        'http.auth.mtls.dnsSanIndex',
      ]);
    });
    test('openid providers', () => {
      const p = (providers: Cfg) => ({ http: { auth: { openid: { providers } } } });
      expect(errorFields(p({ github: { clientid: 'x', scopes: ['read:org'], credentialsFile: undefined } }))).toEqual(
        [],
      );
      expect(errorFields(p({ github: { clientid: 'x' } }))).toEqual(['http.auth.openid.providers["github"]']);
      expect(errorFields(p({ keycloak: { clientid: 'x', issuer: 'https://i', scopes: ['openid'] } }))).toEqual([
        'http.auth.openid.providers["keycloak"]',
      ]);
      expect(errorFields(p({ OIDC: { credentialsFile: '/c.json', issuer: 'https://i', scopes: ['openid'] } }))).toEqual(
        [],
      );
    });
    test('bearer: awsSecretsManager (v2.1.15) and upstreamTokenEndpoint (v2.1.19)', () => {
      const asm = {
        http: {
          auth: {
            bearer: {
              realm: 'r',
              service: 's',
              cert: '/c',
              awsSecretsManager: { region: 'eu-west-1', secretName: 'k' },
            },
          },
        },
      };
      expect(errorFields(asm, 'v2.1.14')).toEqual(['http.auth.bearer.awsSecretsManager']);
      expect(errorFields(asm, 'v2.1.15')).toEqual(['http.auth.bearer']);
      const up = (realm: string, allowInsecureHttp = false) => ({
        http: {
          auth: {
            bearer: {
              realm: 'r',
              service: 's',
              cert: '/c',
              upstreamTokenEndpoint: { realm, service: 'reg', allowInsecureHttp },
            },
          },
        },
      });
      expect(errorFields(up('https://auth.example.com/token'), 'v2.1.19')).toEqual([]);
      expect(errorFields(up('http://auth.example.com/token'), 'v2.1.19')).toEqual([
        'http.auth.bearer.upstreamTokenEndpoint.realm',
      ]);
      expect(warningFields(up('http://auth.example.com/token', true), 'v2.1.19')).toEqual([
        'http.auth.bearer.upstreamTokenEndpoint.realm',
      ]);
      expect(errorFields(up('auth.example.com'), 'v2.1.20')).toEqual(['http.auth.bearer.upstreamTokenEndpoint.realm']);
    });
    test('session drivers', () => {
      expect(errorFields({ http: { auth: { sessionDriver: { name: 'memcached' } } } })).toEqual([
        'http.auth.sessionDriver.name',
      ]);
      expect(
        errorFields({ http: { auth: { sessionDriver: { name: 'redis', url: 'redis://r' }, sessionKeysFile: '/k' } } }),
      ).toEqual(['http.auth.sessionKeysFile']);
      expect(errorFields({ http: { auth: { sessionDriver: { url: 'redis://r' } } } })).toEqual([
        'http.auth.sessionDriver',
      ]);
    });
  });

  describe('cluster', () => {
    test.each(ALL)('hashKey must be 16 bytes; members may not be empty (%s)', (v) => {
      expect(
        errorFields({ cluster: { members: ['zot-0:5000', 'zot-1:5000'], hashKey: 'loremipsumdolors' } }, v),
      ).toEqual([]);
      expect(errorFields({ cluster: { members: ['zot-0:5000'], hashKey: 'loremipsumdolor' } }, v)).toEqual([
        'cluster.hashKey',
      ]);
      expect(errorFields({ cluster: { members: ['zot-0:5000'], hashKey: 'éééééééé' } }, v)).toEqual([]);
      expect(errorFields({ cluster: { members: [], hashKey: 'loremipsumdolors' } }, v)).toEqual(['cluster.members']);
    });
    test('the hashKey is not printed', () => {
      expect(run({ cluster: { members: ['a'], hashKey: 'short-secret' } }).errors[0].value).toBeUndefined();
    });
  });

  describe('metrics path (v2.1.18)', () => {
    test.each([['/metrics/'], ['metrics'], ['/v2'], ['/'], ['/a/../metrics'], ['']])(
      '%j is refused from v2.1.18 and accepted before',
      (path) => {
        const cfg = { extensions: { metrics: { enable: true, prometheus: { path } } } };
        for (const v of from('v2.1.18')) expect(errorFields(cfg, v)).toEqual(['extensions.metrics.prometheus.path']);
        for (const v of before('v2.1.18')) expect(errorFields(cfg, v)).toEqual([]);
      },
    );
    test('/metrics and the default are fine', () => {
      expect(errorFields({ extensions: { metrics: { enable: true, prometheus: { path: '/metrics' } } } })).toEqual([]);
      expect(errorFields({ extensions: { metrics: { enable: true } } })).toEqual([]);
    });
  });

  describe('HTTP timeouts (v2.1.17)', () => {
    test('unset: 60 s from v2.1.17, warned; the keys do not exist before', () => {
      const cfg = { storage: { rootDirectory: '/z' }, http: { port: '5000' } };
      for (const v of from('v2.1.17'))
        expect(verifyZotConfig(cfg, v).warnings.map((p) => p.field)).toEqual(['http.readTimeout', 'http.writeTimeout']);
      for (const v of before('v2.1.17')) expect(verifyZotConfig(cfg, v).warnings).toEqual([]);
      expect(errorFields({ http: { readTimeout: '30m', writeTimeout: '30m' } }, 'v2.1.16')).toEqual([
        'http.readTimeout',
        'http.writeTimeout',
      ]);
      expect(
        verifyZotConfig({ ...cfg, http: { port: '5000', readTimeout: '0s', writeTimeout: 0 } }, 'v2.1.17'),
      ).toEqual({ errors: [], warnings: [] });
    });
  });

  test('events sinks: an unsupported type is refused while decoding, unknown keys are ignored', () => {
    expect(
      errorFields({ extensions: { events: { enable: true, sinks: [{ type: 'kafka', address: 'k:9092' }] } } }),
    ).toEqual(['extensions.events.sinks[0].type']);
    const r = run({
      extensions: {
        events: {
          enable: true,
          sinks: [{ type: 'nats', address: 'nats://n:4222', channel: 'c', timeout: '10s', subject: 'x' }],
        },
      },
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((p) => p.field)).toEqual(['extensions.events.sinks[0].subject']);
  });

  test('a credential value is never shown', () => {
    const p = run({ extensions: { events: { sinks: [{ type: 'http', credentials: { password: ['hunter2'] } }] } } })
      .errors[0];
    expect(p.field).toBe('extensions.events.sinks[0].credentials.password');
    expect(p.secret).toBe(true);
    expect(formatProblem(p)).not.toContain('hunter2');
  });

  test('what zot replaces or ignores is warned, not refused', () => {
    const r = run({
      distSpecVersion: '1.0.0',
      commit: 'abc',
      http: { compat: ['docker2s2', 'oci'] },
      extensions: { mgmt: { enable: true } },
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((p) => p.field).sort()).toEqual([
      'commit',
      'distSpecVersion',
      'extensions.mgmt',
      'http.compat[1]',
    ]);
  });
});

describe('real configs start', () => {
  const realConfigs: Array<[string, ZotVersion, Cfg]> = [
    [
      'S3 storage, dedupe off, gc and retention',
      'v2.1.14',
      {
        storage: {
          dedupe: false,
          gc: true,
          gcDelay: '1h',
          gcInterval: '24h',
          storageDriver: {
            name: 's3',
            rootdirectory: '/zot',
            region: 'us-east-2',
            bucket: 'zot-storage',
            regionendpoint: 'https://s3.example.com',
            forcepathstyle: true,
          },
          retention: {
            dryRun: false,
            delay: '24h',
            policies: [
              {
                repositories: ['infra/*', 'tmp/**'],
                deleteReferrers: true,
                deleteUntagged: true,
                keepTags: [{ patterns: ['v[0-9]+\\..*'], mostRecentlyPushedCount: 10, pulledWithin: '720h' }],
              },
            ],
          },
        },
      },
    ],
    [
      'sync from ghcr.io with downloadDir',
      'v2.1.14',
      {
        storage: { dedupe: false, storageDriver: { name: 's3', bucket: 'b', region: 'us-east-1' } },
        extensions: {
          sync: {
            enable: true,
            downloadDir: '/var/lib/zot-sync',
            registries: [
              {
                urls: ['https://ghcr.io'],
                onDemand: true,
                tlsVerify: true,
                maxRetries: 3,
                retryDelay: '5m',
                pollInterval: '6h',
                content: [{ prefix: 'project-zot/**', destination: '/ghcr', tags: { regex: '^v2\\.', semver: true } }],
              },
            ],
          },
        },
      },
    ],
    [
      'metrics with an anonymous scrape',
      'v2.1.18',
      {
        extensions: { metrics: { enable: true, prometheus: { path: '/metrics' } } },
        http: { accessControl: { metrics: { anonymousPolicy: ['read'] } } },
      },
    ],
    [
      'compat docker2s2 and preserveDigest',
      'v2.1.15',
      {
        http: { compat: ['docker2s2'] },
        extensions: { sync: { registries: [{ urls: ['https://docker.io'], onDemand: true, preserveDigest: true }] } },
      },
    ],
    ['readTimeout and writeTimeout 30m', 'v2.1.17', { http: { readTimeout: '30m', writeTimeout: '30m' } }],
    [
      'a cluster with its hashKey',
      'v2.1.16',
      {
        storage: { dedupe: false, storageDriver: { name: 's3', bucket: 'b', region: 'us-east-1' } },
        cluster: {
          members: ['zot-0.zot:5000', 'zot-1.zot:5000', 'zot-2.zot:5000'],
          hashKey: 'loremipsumdolors',
          tls: { cacert: '/ca.crt' },
        },
      },
    ],
    [
      'a redis cacheDriver',
      'v2.1.18',
      {
        storage: { remoteCache: true, cacheDriver: { name: 'redis', url: 'redis://redis.zot:6379', keyprefix: 'zot' } },
      },
    ],
    [
      'htpasswd, anonymous pulls, search, ui, scrub, lint, trust',
      'v2.1.16',
      {
        http: {
          auth: { htpasswd: { path: '/secret/htpasswd' }, failDelay: 5 },
          accessControl: {
            repositories: {
              'public/**': { anonymousPolicy: ['read'], defaultPolicy: ['read'] },
              '**': {
                policies: [{ users: ['admin'], actions: ['read', 'create', 'update', 'delete'] }],
                defaultPolicy: [],
              },
            },
            adminPolicy: { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] },
          },
        },
        extensions: {
          search: { enable: true },
          ui: { enable: true },
          scrub: { enable: true, interval: '24h' },
          lint: { enable: true, mandatoryAnnotations: ['org.opencontainers.image.source'] },
          trust: { enable: true, cosign: true, notation: true },
        },
        log: { level: 'debug', audit: '/tmp/zot-audit.log' },
        scheduler: { numWorkers: 4 },
      },
    ],
  ];
  test.each(realConfigs)('%s (from %s on)', (_name, since, extra) => {
    for (const v of from(since)) expect([v, run(extra, v).errors]).toEqual([v, []]);
  });
});

describe('the gc time window (zot v2.1.19 gctimewindow.go)', () => {
  test('parseGCTimeWindow', () => {
    expect(parseGCTimeWindow('1:00-8:00')).toEqual({ start: 60, end: 480 });
    expect(parseGCTimeWindow('')).toBeNull();
    expect(parseGCTimeWindow('01:00-01:00')).toHaveProperty('error');
    expect(parseGCTimeWindow('01:0-02:00')).toHaveProperty('error');
  });
});

// A zot past the model (resolveZotModel): checked in forward mode with the newest model and the sync
// registry keys of zot's main branch (read at 6d19b445, after v2.1.20; commits 18261d4f, 5fca8a6d, d00a1000).
describe('beyond the model', () => {
  const NEXT = 'v2.1.21';
  const ghcr = { urls: ['https://ghcr.io'], onDemand: true };
  const withReg = (extra: Cfg) =>
    merge(base('v2.1.20'), { extensions: { sync: { registries: [{ ...ghcr, ...extra }] } } });
  const check = (extra: Cfg, v = NEXT) => verifyZotConfig(withReg(extra), v);

  test('a newer zot is checked with the newest model: the base config starts, with one warning naming both versions', () => {
    const r = verifyZotConfig(base('v2.1.20'), NEXT);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].field).toBe('');
    expect(r.warnings[0].reason).toContain('zot v2.1.21 is newer than the newest modelled (v2.1.20)');
  });

  test('a key the newest model does not know is a warning naming the version, never a refusal; v2.1.20 still refuses it', () => {
    const cfg = merge(base('v2.1.20'), { http: { newThing: true }, storage: { future: { a: 1 } } });
    const r = verifyZotConfig(cfg, NEXT);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((p) => p.reason)).toEqual(
      expect.arrayContaining([
        "zot v2.1.21 is newer than the newest modelled (v2.1.20): key http.newThing is not known to v2.1.20's model; not checked",
        "zot v2.1.21 is newer than the newest modelled (v2.1.20): key storage.future is not known to v2.1.20's model; not checked",
      ]),
    );
    expect(
      verifyZotConfig(cfg, 'v2.1.20')
        .errors.map((p) => p.field)
        .sort(),
    ).toEqual(['http.newThing', 'storage.future']);
  });

  test('every other rule still refuses in forward mode: types, authentication, access, storage', () => {
    const cfg = merge(base('v2.1.20'), {
      http: {
        port: { no: 1 },
        auth: { htpasswd: { path: '' } },
        accessControl: { repositories: { '**': { policies: [{ users: ['a'], actions: ['raed'] }] } } },
      },
    });
    const exact = verifyZotConfig(cfg, 'v2.1.20').errors.map((p) => p.field);
    expect(exact.length).toBeGreaterThan(0);
    expect(verifyZotConfig(cfg, NEXT).errors.map((p) => p.field)).toEqual(exact);
    const authz = merge(base('v2.1.20'), {
      http: { accessControl: { repositories: { '**': { policies: [{ users: ['a'], actions: ['raed'] }] } } } },
    });
    expect(verifyZotConfig(authz, NEXT).errors.map((p) => p.field)).toEqual(
      verifyZotConfig(authz, 'v2.1.20').errors.map((p) => p.field),
    );
    expect(verifyZotConfig(authz, NEXT).errors.length).toBeGreaterThan(0);
  });

  test('an older zot is checked with the oldest model, with a warning; unknown keys still refuse', () => {
    const r = verifyZotConfig(base('v2.1.14'), 'v2.1.10');
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((p) => p.reason)).toEqual([
      expect.stringContaining('zot v2.1.10 is older than the oldest modelled (v2.1.14)'),
    ]);
    expect(
      verifyZotConfig(merge(base('v2.1.14'), { http: { readTimeout: '1m' } }), 'v2.1.10').errors.map((p) => p.field),
    ).toEqual(['http.readTimeout']);
  });

  test("main's sync keys: refused up to v2.1.20 (naming the commit), known and validated past it, with a warning that they were read on main", () => {
    const keys = {
      manifestCheckInterval: '5m',
      reqConcurrent: 8,
      reqPerSec: 2.5,
      maxIdleConnsPerHost: 8,
      disableHTTP2: true,
    };
    for (const v of ALL) {
      const r = check(keys, v);
      expect(r.errors.map((p) => p.field).filter((f) => f.startsWith('extensions.'))).toEqual(
        Object.keys(keys).map((k) => `extensions.sync.registries[0].${k}`),
      );
      expect(r.errors.find((p) => p.field.endsWith('manifestCheckInterval'))!.reason).toContain(
        "a key of zot's main branch after v2.1.20 (commit 18261d4f (#4328))",
      );
    }
    const r = check(keys);
    expect(r.errors).toEqual([]);
    const mainWarnings = r.warnings.filter((p) => p.field.startsWith('extensions.sync.registries[0].'));
    expect(mainWarnings.map((p) => p.field.split('.').pop())).toEqual(Object.keys(keys));
    expect(mainWarnings[1].reason).toContain(
      "zot's main branch after v2.1.20 (commit 5fca8a6d (#4322); read at 6d19b445)",
    );
    expect(mainWarnings[1].reason).toContain('that zot v2.1.21 has it is assumed');
    expect(keyPathsFor(NEXT).map(([p]) => p)).toEqual(
      expect.arrayContaining(['extensions.sync.registries.[].reqpersec', 'extensions.sync.registries.[].disablehttp2']),
    );
    expect(new Map(keyPathsFor(NEXT)).get('extensions.sync.registries.[].reqpersec')).toBe('float');
    expect(versionWithKey(['extensions', 'sync', 'registries', 'reqConcurrent'])).toBe('main');
  });

  // zot main 6d19b445 pkg/cli/server/root.go: validateRegistryManifestCheckInterval, validateSyncReqLimits, invalidOptionalPositiveFloat
  test.each<[string, Cfg, string | null]>([
    ['manifestCheckInterval negative', { manifestCheckInterval: '-1s' }, 'manifestCheckInterval cannot be negative'],
    [
      'manifestCheckInterval without onDemand',
      { onDemand: false, manifestCheckInterval: '1m' },
      'manifestCheckInterval requires onDemand to be enabled',
    ],
    ['manifestCheckInterval 0 without onDemand', { onDemand: false, manifestCheckInterval: '0s' }, null],
    ['reqConcurrent 0', { reqConcurrent: 0 }, 'reqConcurrent must be greater than 0'],
    ['reqConcurrent -1 as a string', { reqConcurrent: '-1' }, 'reqConcurrent must be greater than 0'],
    ['reqConcurrent 1', { reqConcurrent: 1 }, null],
    ['reqPerSec 0', { reqPerSec: 0 }, 'reqPerSec must be a finite value greater than 0'],
    ['reqPerSec NaN (a string)', { reqPerSec: 'NaN' }, 'reqPerSec must be a finite value greater than 0'],
    ['reqPerSec +Inf', { reqPerSec: '+Inf' }, 'reqPerSec must be a finite value greater than 0'],
    ['reqPerSec Infinity (YAML .inf)', { reqPerSec: Infinity }, 'reqPerSec must be a finite value greater than 0'],
    ['reqPerSec 0.5 as a string', { reqPerSec: '0.5' }, null],
    ['maxIdleConnsPerHost 0', { maxIdleConnsPerHost: 0 }, 'maxIdleConnsPerHost must be greater than 0'],
    ['disableHTTP2 alone', { disableHTTP2: true }, null],
    ['reqConcurrent null (viper drops it: unset)', { reqConcurrent: null }, null],
  ])('%s', (_name, extra, refusal) => {
    const r = check(extra);
    if (refusal === null) expect(r.errors).toEqual([]);
    else {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].reason).toContain(`"${refusal}"`);
      expect(r.errors[0].field).toBe(`extensions.sync.registries[0].${Object.keys(extra).pop()}`);
    }
  });

  test('reqPerSec that strconv.ParseFloat refuses is a decode refusal', () => {
    expect(check({ reqPerSec: 'fast' }).errors.map((p) => p.reason)).toEqual([
      expect.stringContaining('Go strconv.ParseFloat'),
    ]);
    expect(check({ reqPerSec: [1] }).errors).toHaveLength(1);
  });
});
