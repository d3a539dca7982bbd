import { formatProblem, Problem } from '../../lib/core/error';
import {
  DISTRIBUTION_FOR_ZOT,
  goAtoi,
  goDurationOk,
  goParseBool,
  goParseUintBase0,
  goScanInt,
  goSprint,
  S3_REGIONS,
  storageDriverProblems,
  subPathRootProblems,
} from '../../lib/zot/storage-driver';
import { ZOT_VERSIONS } from '../../lib/zot/config-keys';

// Facts printed by Go 1.19.8's standard library in the session that wrote this module (see the file's `source`).
const GO = require('../fixtures/zot/go-semantics.json');
// aws-sdk-go v1.55.6 endpoints.DefaultPartitions() regions, per partition (the real package, run with Go here).
const REGIONS: Record<string, string[]> = require('../fixtures/zot/s3-regions.json');
// Every storageDriver map in zot's own example and test configs at v2.1.14..v2.1.20.
const EXAMPLES: {
  examples: Array<{ driver: Record<string, unknown>; seenIn: string[] }>;
} = require('../fixtures/zot/zot-storage-driver-examples.json');

const WHERE = 'storage.storageDriver';
const S3 = { name: 's3', region: 'us-east-2', bucket: 'zot-storage', rootdirectory: '/zot' };
const fields = (ps: Problem[]) => ps.map((p) => p.field);
const one = (ps: Problem[], field: string) => {
  expect(fields(ps)).toEqual([`${WHERE}.${field}`]);
  return ps[0];
};

describe('Go semantics the drivers rely on (held to what Go printed)', () => {
  test.each(GO.sprint as Array<{ json: string; sprint: string; scanD: string | null }>)(
    'fmt.Sprint and Sscanf %%d of JSON $json',
    (e) => {
      const s = goSprint(JSON.parse(e.json));
      expect(s).toBe(e.sprint);
      const n = goScanInt(s);
      expect('error' in n ? null : String(n.value)).toBe(e.scanD);
    },
  );
  test.each(GO.strings as Array<Record<string, any>>)('strconv and Sscanf of %j', (e) => {
    expect(goParseBool(e.s) ?? null).toBe(e.parseBool);
    const a = goAtoi(e.s);
    expect(a === undefined ? null : String(a)).toBe(e.atoi);
    const u = goParseUintBase0(e.s);
    expect(u === undefined ? null : String(u)).toBe(e.parseUint0);
    const n = goScanInt(e.s);
    expect('error' in n ? null : String(n.value)).toBe(e.scanD);
  });
  test.each(GO.durations as Array<{ s: string; ok: boolean }>)('time.ParseDuration %j', (e) => {
    expect(goDurationOk(e.s)).toBe(e.ok);
  });
});

describe('versions', () => {
  test('each modelled zot tag maps to the distribution version its go.mod requires', () => {
    expect(Object.keys(DISTRIBUTION_FOR_ZOT)).toEqual([...ZOT_VERSIONS]);
    expect(DISTRIBUTION_FOR_ZOT['v2.1.14']).toBe('v3.0.0');
    expect(DISTRIBUTION_FOR_ZOT['v2.1.16']).toBe('v3.1.0');
    expect(DISTRIBUTION_FOR_ZOT['v2.1.20']).toBe('v3.1.1');
  });
  test('the region list is the aws-sdk-go endpoints list, every partition', () => {
    expect([...S3_REGIONS].sort()).toEqual(Object.values(REGIONS).flat().sort());
  });
  test('a version that is not a version is refused', () => {
    expect(() => storageDriverProblems(S3, WHERE, 'latest')).toThrow(/zotVersion/);
  });
});

describe("zot's own examples pass", () => {
  const cases = EXAMPLES.examples.flatMap((e) =>
    e.seenIn.map((s) => ({ driver: e.driver, file: s.split(' @ ')[0], tags: s.split(' @ ')[1].split(',') })),
  );
  test.each(cases)('$file', ({ driver, file, tags }) => {
    for (const tag of tags) {
      const ps = storageDriverProblems(driver, WHERE, tag);
      if (file.startsWith('examples/config-sync-ecr-credential-helper.json')) {
        // a placeholder example: 'REGION_NAME' is not an AWS region and there is no regionendpoint
        expect(fields(ps)).toEqual([`${WHERE}.region`]);
      } else {
        expect(ps.map(formatProblem)).toEqual([]);
      }
    }
  });
  test('the examples cover s3, gcs and azure', () => {
    expect(new Set(EXAMPLES.examples.map((e) => e.driver.name))).toEqual(new Set(['s3', 'gcs', 'azure']));
  });
});

describe('s3 (distribution registry/storage/driver/s3-aws/s3.go)', () => {
  test.each(ZOT_VERSIONS)('a minimal AWS config passes on %s', (v) => {
    expect(storageDriverProblems(S3, WHERE, v)).toEqual([]);
  });

  test('a region that is not an AWS region, without regionendpoint, is refused', () => {
    const p = one(storageDriverProblems({ ...S3, region: 'minio' }, WHERE, 'v2.1.18'), 'region');
    expect(p.value).toBe('minio');
    expect(p.reason).toMatch(/invalid region provided/);
    expect(p.reason).toMatch(/distribution v3\.1\.1/);
  });
  test('the same region with a regionendpoint passes (the check is skipped)', () => {
    expect(
      storageDriverProblems({ ...S3, region: 'minio', regionendpoint: 'http://minio:9000' }, WHERE, 'v2.1.18'),
    ).toEqual([]);
  });
  test('an empty regionendpoint does not skip the check', () => {
    one(storageDriverProblems({ ...S3, region: 'minio', regionendpoint: '' }, WHERE, 'v2.1.18'), 'region');
  });
  test('regions from other partitions pass; a case change does not', () => {
    for (const region of ['cn-north-1', 'us-gov-west-1', 'eu-isoe-west-1', 'us-isob-east-1'])
      expect(storageDriverProblems({ ...S3, region }, WHERE, 'v2.1.14')).toEqual([]);
    one(storageDriverProblems({ ...S3, region: 'US-EAST-1' }, WHERE, 'v2.1.14'), 'region');
  });
  test('no region without regionendpoint is refused', () => {
    const { region: _r, ...noRegion } = S3;
    expect(one(storageDriverProblems(noRegion, WHERE, 'v2.1.20'), 'region').reason).toMatch(
      /no region parameter provided/,
    );
    one(storageDriverProblems({ ...S3, region: '' }, WHERE, 'v2.1.20'), 'region');
    expect(storageDriverProblems({ ...noRegion, regionendpoint: 'https://s3.example.com' }, WHERE, 'v2.1.20')).toEqual(
      [],
    );
  });
  test('no bucket, or an empty one, is refused', () => {
    const { bucket: _b, ...noBucket } = S3;
    expect(one(storageDriverProblems(noBucket, WHERE, 'v2.1.14'), 'bucket').reason).toMatch(
      /no bucket parameter provided/,
    );
    one(storageDriverProblems({ ...S3, bucket: '' }, WHERE, 'v2.1.14'), 'bucket');
    expect(storageDriverProblems({ ...S3, bucket: 123 }, WHERE, 'v2.1.14')).toEqual([]); // fmt.Sprint(123) is not empty
  });

  const BOOLS = ['forcepathstyle', 'encrypt', 'secure', 'skipverify', 'v4auth', 'usedualstack', 'accelerate'];
  test.each(BOOLS)('%s: booleans and ParseBool strings pass, anything else is refused', (key) => {
    for (const ok of [true, false, 'true', 'False', '1', '0', 't', 'F', 'TRUE']) {
      const extra =
        key === 'v4auth' && (ok === false || ok === 'False' || ok === '0' || ok === 'F')
          ? { regionendpoint: 'http://minio:9000' }
          : {};
      expect(storageDriverProblems({ ...S3, ...extra, [key]: ok }, WHERE, 'v2.1.17')).toEqual([]);
    }
    for (const bad of ['no', 'yes', 'on', 'tRUE', ' true', '', 1, 0, ['true'], { a: true }]) {
      const p = one(storageDriverProblems({ ...S3, [key]: bad }, WHERE, 'v2.1.17'), key);
      expect(p.reason).toMatch(new RegExp(`the ${key} parameter should be a boolean`));
    }
  });
  test('secure: "no" (from the issue) is refused on every version', () => {
    for (const v of ZOT_VERSIONS) one(storageDriverProblems({ ...S3, secure: 'no' }, WHERE, v), 'secure');
  });
  test('usefipsendpoint is parsed from distribution v3.1.0 (zot v2.1.16) on, ignored before', () => {
    expect(storageDriverProblems({ ...S3, usefipsendpoint: 'yes' }, WHERE, 'v2.1.15')).toEqual([]);
    one(storageDriverProblems({ ...S3, usefipsendpoint: 'yes' }, WHERE, 'v2.1.16'), 'usefipsendpoint');
    expect(storageDriverProblems({ ...S3, usefipsendpoint: true }, WHERE, 'v2.1.16')).toEqual([]);
  });

  test('chunksize: a string in 5 MiB..5 GiB passes', () => {
    for (const ok of ['5242880', '10485760', '5368709120', ' 5242880', '+5242880', '10485760 bytes']) {
      expect(storageDriverProblems({ ...S3, chunksize: ok }, WHERE, 'v2.1.20')).toEqual([]);
    }
  });
  test('chunksize under 5 MiB, over 5 GiB, or not a number is refused', () => {
    expect(one(storageDriverProblems({ ...S3, chunksize: '5242879' }, WHERE, 'v2.1.20'), 'chunksize').reason).toMatch(
      /5242880\.\.5368709120/,
    );
    one(storageDriverProblems({ ...S3, chunksize: '5368709121' }, WHERE, 'v2.1.20'), 'chunksize');
    expect(one(storageDriverProblems({ ...S3, chunksize: 'ten' }, WHERE, 'v2.1.20'), 'chunksize').reason).toMatch(
      /must be an integer/,
    );
    expect(one(storageDriverProblems({ ...S3, chunksize: '5MiB' }, WHERE, 'v2.1.20'), 'chunksize').reason).toMatch(
      /read as 5/,
    );
    one(storageDriverProblems({ ...S3, chunksize: '' }, WHERE, 'v2.1.20'), 'chunksize');
    one(storageDriverProblems({ ...S3, chunksize: true }, WHERE, 'v2.1.20'), 'chunksize');
    one(storageDriverProblems({ ...S3, chunksize: '99999999999999999999' }, WHERE, 'v2.1.20'), 'chunksize');
  });
  test('a JSON number of a million or more is printed 1.048576e+07 by Go and read as 1: refused, with the string to write instead', () => {
    const p = one(storageDriverProblems({ ...S3, chunksize: 10485760 }, WHERE, 'v2.1.14'), 'chunksize');
    expect(p.reason).toMatch(/1\.048576e\+07/);
    expect(p.reason).toMatch(/read as 1\b/);
    expect(p.reason).toMatch(/write it as a string/);
  });
  test('multipart copy parameters have their own ranges', () => {
    expect(
      storageDriverProblems(
        {
          ...S3,
          multipartcopychunksize: '33554432',
          multipartcopymaxconcurrency: 100,
          multipartcopythresholdsize: '0',
        },
        WHERE,
        'v2.1.18',
      ),
    ).toEqual([]);
    one(storageDriverProblems({ ...S3, multipartcopychunksize: '1024' }, WHERE, 'v2.1.18'), 'multipartcopychunksize');
    one(
      storageDriverProblems({ ...S3, multipartcopymaxconcurrency: 0 }, WHERE, 'v2.1.18'),
      'multipartcopymaxconcurrency',
    );
    one(
      storageDriverProblems({ ...S3, multipartcopymaxconcurrency: '-1' }, WHERE, 'v2.1.18'),
      'multipartcopymaxconcurrency',
    );
    one(
      storageDriverProblems({ ...S3, multipartcopythresholdsize: '-1' }, WHERE, 'v2.1.18'),
      'multipartcopythresholdsize',
    );
    one(
      storageDriverProblems({ ...S3, multipartcopythresholdsize: '5368709121' }, WHERE, 'v2.1.18'),
      'multipartcopythresholdsize',
    );
  });

  test('storageclass: the listed classes in any case; EXPRESS_ONEZONE only from distribution v3.1.1', () => {
    for (const sc of [
      'STANDARD',
      'standard',
      'Reduced_Redundancy',
      'NONE',
      'glacier_ir',
      'intelligent_tiering',
      'OUTPOSTS',
      'onezone_ia',
      'standard_ia',
    ]) {
      expect(storageDriverProblems({ ...S3, storageclass: sc }, WHERE, 'v2.1.14')).toEqual([]);
    }
    one(storageDriverProblems({ ...S3, storageclass: 'GLACIER' }, WHERE, 'v2.1.14'), 'storageclass');
    one(storageDriverProblems({ ...S3, storageclass: 'DEEP_ARCHIVE' }, WHERE, 'v2.1.20'), 'storageclass');
    one(storageDriverProblems({ ...S3, storageclass: 1 }, WHERE, 'v2.1.20'), 'storageclass');
    one(storageDriverProblems({ ...S3, storageclass: 'express_onezone' }, WHERE, 'v2.1.16'), 'storageclass');
    expect(storageDriverProblems({ ...S3, storageclass: 'express_onezone' }, WHERE, 'v2.1.17')).toEqual([]);
    one(storageDriverProblems({ ...S3, storageclass: '\ufb06andard' }, WHERE, 'v2.1.17'), 'storageclass'); // Go's ToUpper keeps the ligature
  });
  test('objectacl: exactly one of the canned ACLs', () => {
    for (const acl of ['private', 'public-read', 'bucket-owner-full-control', 'aws-exec-read'])
      expect(storageDriverProblems({ ...S3, objectacl: acl }, WHERE, 'v2.1.19')).toEqual([]);
    one(storageDriverProblems({ ...S3, objectacl: 'Private' }, WHERE, 'v2.1.19'), 'objectacl');
    one(storageDriverProblems({ ...S3, objectacl: 'log-delivery-write' }, WHERE, 'v2.1.19'), 'objectacl');
    one(storageDriverProblems({ ...S3, objectacl: true }, WHERE, 'v2.1.19'), 'objectacl');
  });
  test('loglevel that is not a string panics distribution v3.0.0 (zot v2.1.14, v2.1.15), not v3.1.x', () => {
    expect(one(storageDriverProblems({ ...S3, loglevel: false }, WHERE, 'v2.1.15'), 'loglevel').reason).toMatch(
      /panics/,
    );
    expect(storageDriverProblems({ ...S3, loglevel: false }, WHERE, 'v2.1.16')).toEqual([]);
    expect(storageDriverProblems({ ...S3, loglevel: 'whatever' }, WHERE, 'v2.1.14')).toEqual([]); // unknown levels are LogOff
  });
  test('v4auth false needs a non-AWS regionendpoint', () => {
    one(storageDriverProblems({ ...S3, v4auth: false }, WHERE, 'v2.1.20'), 'v4auth');
    one(
      storageDriverProblems({ ...S3, v4auth: 'false', regionendpoint: 'https://s3.amazonaws.com' }, WHERE, 'v2.1.20'),
      'v4auth',
    );
    expect(
      storageDriverProblems({ ...S3, v4auth: false, regionendpoint: 'http://minio:9000' }, WHERE, 'v2.1.20'),
    ).toEqual([]);
  });
  test('keys are matched case-insensitively, as viper lower-cases them', () => {
    expect(
      fields(
        storageDriverProblems({ name: 's3', Region: 'nowhere', Bucket: 'b', RegionEndpoint: '' }, WHERE, 'v2.1.20'),
      ),
    ).toEqual([`${WHERE}.region`]);
    expect(
      storageDriverProblems(
        { name: 's3', region: 'nowhere', bucket: 'b', regionEndpoint: 'http://x' },
        WHERE,
        'v2.1.20',
      ),
    ).toEqual([]);
  });
  test('every bad value from the issue at once: each is named', () => {
    const ps = storageDriverProblems(
      { name: 's3', region: 'home-lab', secure: 'no', chunksize: '1048576' },
      WHERE,
      'v2.1.18',
    );
    expect(fields(ps).sort()).toEqual(['bucket', 'chunksize', 'region', 'secure'].map((k) => `${WHERE}.${k}`));
    for (const p of ps) expect(formatProblem(p)).toMatch(/zot does not start/);
  });
  test('a credential is never shown', () => {
    const p = one(
      storageDriverProblems(
        { ...S3, accesskey: 'AKIA', secretkey: 'hunter2', sessiontoken: 'x', v4auth: 'nope' },
        WHERE,
        'v2.1.20',
      ),
      'v4auth',
    );
    expect(p.secret).toBeUndefined();
    expect(formatProblem(p)).not.toMatch(/hunter2/);
  });
});

describe('gcs (distribution registry/storage/driver/gcs/gcs.go; zot v2.1.15 on)', () => {
  const GCS = { name: 'gcs', bucket: 'zot', rootdirectory: '/zot' };
  test('is not judged before zot v2.1.15 (startup.ts refuses the name)', () => {
    expect(storageDriverProblems({ name: 'gcs' }, WHERE, 'v2.1.14')).toEqual([]);
  });
  test('a bucket is required', () => {
    one(storageDriverProblems({ name: 'gcs' }, WHERE, 'v2.1.15'), 'bucket');
    one(storageDriverProblems({ name: 'gcs', bucket: '' }, WHERE, 'v2.1.20'), 'bucket');
    expect(storageDriverProblems(GCS, WHERE, 'v2.1.20')).toEqual([]);
  });
  test('chunksize: a string Atoi takes, a multiple of 256 KiB; a JSON number is always refused', () => {
    expect(storageDriverProblems({ ...GCS, chunksize: '16777216' }, WHERE, 'v2.1.16')).toEqual([]);
    expect(storageDriverProblems({ ...GCS, chunksize: '262144' }, WHERE, 'v2.1.16')).toEqual([]);
    expect(one(storageDriverProblems({ ...GCS, chunksize: 16777216 }, WHERE, 'v2.1.16'), 'chunksize').reason).toMatch(
      /float64/,
    );
    expect(one(storageDriverProblems({ ...GCS, chunksize: '100000' }, WHERE, 'v2.1.16'), 'chunksize').reason).toMatch(
      /below 262144/,
    );
    expect(one(storageDriverProblems({ ...GCS, chunksize: '300000' }, WHERE, 'v2.1.16'), 'chunksize').reason).toMatch(
      /multiple/,
    );
    expect(one(storageDriverProblems({ ...GCS, chunksize: '16MiB' }, WHERE, 'v2.1.16'), 'chunksize').reason).toMatch(
      /Atoi/,
    );
    one(storageDriverProblems({ ...GCS, chunksize: '1_048_576' }, WHERE, 'v2.1.16'), 'chunksize');
  });
  test('credentials without keyfile can never be read from zot config', () => {
    const p = one(
      storageDriverProblems({ ...GCS, credentials: { type: 'service_account', private_key: 'k' } }, WHERE, 'v2.1.18'),
      'credentials',
    );
    expect(p.secret).toBe(true);
    expect(
      storageDriverProblems({ ...GCS, keyfile: '/secret/key.json', credentials: { type: 'x' } }, WHERE, 'v2.1.18'),
    ).toEqual([]);
  });
  test('maxconcurrency: a string ParseUint takes (with base prefixes), not a JSON number', () => {
    for (const ok of ['50', '0x40', '1_000', '0'])
      expect(storageDriverProblems({ ...GCS, maxconcurrency: ok }, WHERE, 'v2.1.20')).toEqual([]);
    for (const bad of [50, '-1', 'fifty', '1__0', true])
      one(storageDriverProblems({ ...GCS, maxconcurrency: bad }, WHERE, 'v2.1.20'), 'maxconcurrency');
  });
});

describe('azure (distribution registry/storage/driver/azure; zot v2.1.18 on)', () => {
  const AZ = { name: 'azure', accountname: 'acct', container: 'zot', credentials: { type: 'default_credentials' } };
  test('is not judged before zot v2.1.18', () => {
    expect(storageDriverProblems({ name: 'azure' }, WHERE, 'v2.1.17')).toEqual([]);
  });
  test('a full config passes', () => {
    expect(
      storageDriverProblems(
        {
          ...AZ,
          max_retries: 3,
          retry_delay: '2s',
          skipverify: false,
          realm: 'core.windows.net',
          rootdirectory: '/zot',
        },
        WHERE,
        'v2.1.18',
      ),
    ).toEqual([]);
  });
  test('accountname and container are required', () => {
    expect(
      fields(storageDriverProblems({ name: 'azure', credentials: { type: 'shared_key' } }, WHERE, 'v2.1.19')).sort(),
    ).toEqual([`${WHERE}.accountname`, `${WHERE}.container`]);
    one(storageDriverProblems({ ...AZ, container: '' }, WHERE, 'v2.1.19'), 'container');
  });
  test('credentials.type must be one of three', () => {
    one(storageDriverProblems({ ...AZ, credentials: {} }, WHERE, 'v2.1.20'), 'credentials.type');
    const { credentials: _c, ...none } = AZ;
    one(storageDriverProblems(none, WHERE, 'v2.1.20'), 'credentials.type');
    expect(
      one(
        storageDriverProblems({ ...AZ, credentials: { type: 'managed_identity' } }, WHERE, 'v2.1.20'),
        'credentials.type',
      ).value,
    ).toBe('managed_identity');
    for (const type of ['client_secret', 'shared_key', 'default_credentials'])
      expect(storageDriverProblems({ ...AZ, credentials: { type } }, WHERE, 'v2.1.20')).toEqual([]);
  });
  test('mapstructure types: strings are strings, skipverify is a bool, max_retries a number', () => {
    one(storageDriverProblems({ ...AZ, container: 5 }, WHERE, 'v2.1.20'), 'container');
    one(storageDriverProblems({ ...AZ, skipverify: 'true' }, WHERE, 'v2.1.20'), 'skipverify');
    one(storageDriverProblems({ ...AZ, max_retries: '3' }, WHERE, 'v2.1.20'), 'max_retries');
    one(
      storageDriverProblems({ ...AZ, credentials: 'default_credentials' }, WHERE, 'v2.1.20').filter(
        (p) => !p.field.endsWith('credentials.type'),
      ),
      'credentials',
    );
  });
  test('shared_key needs a base64 account key, never shown', () => {
    const p = one(
      storageDriverProblems(
        { ...AZ, credentials: { type: 'shared_key' }, accountkey: 'not base64!' },
        WHERE,
        'v2.1.20',
      ),
      'accountkey',
    );
    expect(p.secret).toBe(true);
    expect(formatProblem(p)).not.toMatch(/not base64!/);
    expect(
      storageDriverProblems({ ...AZ, credentials: { type: 'shared_key' }, accountkey: 'QUJDRA==' }, WHERE, 'v2.1.20'),
    ).toEqual([]);
  });
  test('retry_delay is a Go duration', () => {
    one(storageDriverProblems({ ...AZ, retry_delay: '100' }, WHERE, 'v2.1.20'), 'retry_delay');
    one(storageDriverProblems({ ...AZ, retry_delay: '1d' }, WHERE, 'v2.1.20'), 'retry_delay');
    expect(storageDriverProblems({ ...AZ, retry_delay: '' }, WHERE, 'v2.1.20')).toEqual([]); // empty means the default 100ms
  });
});

describe('a subpath with an empty rootDirectory (zot pkg/storage/storage.go getSubStore)', () => {
  const SUB = 'storage.subPaths./a';
  test('local: refused, with or without dedupe', () => {
    expect(subPathRootProblems({ rootDirectory: '' }, SUB)[0].field).toBe(`${SUB}.rootDirectory`);
    expect(subPathRootProblems({}, SUB)[0].reason).toMatch(/no image store/);
    expect(subPathRootProblems({ rootDirectory: '', dedupe: true }, SUB)[0].reason).toMatch(/does not start/);
  });
  test('remote with a local cache: refused; with a remote cache: passes', () => {
    expect(subPathRootProblems({ rootDirectory: '', storageDriver: S3 }, SUB)).toHaveLength(1);
    expect(
      subPathRootProblems({ rootDirectory: '', storageDriver: S3, dedupe: true, remoteCache: false }, SUB),
    ).toHaveLength(1);
    expect(subPathRootProblems({ rootDirectory: '', storageDriver: S3, dedupe: true }, SUB)).toEqual([]);
    expect(subPathRootProblems({ rootDirectory: '', storageDriver: S3, remoteCache: true }, SUB)).toEqual([]);
  });
  test('a set rootDirectory passes', () => {
    expect(subPathRootProblems({ rootDirectory: '/var/lib/a' }, SUB)).toEqual([]);
  });
});
