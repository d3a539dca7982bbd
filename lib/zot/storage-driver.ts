// Does zot's storage driver start with these parameters? zot hands `storage.storageDriver` (and each
// subpath's) to distribution's driver factory as a map: keys lower-cased by viper, JSON numbers as
// float64, objects as map[string]any (zot v2.1.14..v2.1.20 pkg/storage/storage.go: New, getSubStore:
// factory.Create(ctx, storeName, StorageDriver)). The driver's FromParameters refuses what it cannot
// parse and zot exits. The rules below are read from distribution at the version each zot tag vendors
// (go.mod: github.com/distribution/distribution/v3):
//   zot v2.1.14, v2.1.15 → v3.0.0;  v2.1.16 → v3.1.0;  v2.1.17..v2.1.20 → v3.1.1.
// Drivers zot registers: s3 (s3-aws) at every tag, gcs from v2.1.15, azure from v2.1.18
// (pkg/storage/{s3,gcs,azure}: blank imports of distribution's driver packages). Whether `name` is a
// supported driver is startup.ts's rule; this module checks the parameters of the drivers zot has.
//
// What depends on the pod's environment is not judged here: credentials found at run time (IAM, GCP
// default credentials, Azure default credentials), a gcs keyfile's existence, and reaching the endpoint.
import { Problem } from '../core/error';
import { compareZotVersions, resolveZotModel, ZotVersion } from './config-keys';

type Distribution = 'v3.0.0' | 'v3.1.0' | 'v3.1.1';

/** The distribution version zot vendors at each modelled tag (zot go.mod at the tag). */
export const DISTRIBUTION_FOR_ZOT: Readonly<Record<ZotVersion, Distribution>> = {
  'v2.1.14': 'v3.0.0',
  'v2.1.15': 'v3.0.0',
  'v2.1.16': 'v3.1.0',
  'v2.1.17': 'v3.1.1',
  'v2.1.18': 'v3.1.1',
  'v2.1.19': 'v3.1.1',
  'v2.1.20': 'v3.1.1',
};

// ---- Go semantics the drivers rely on ---------------------------------------------------------------

/** Go's strconv.FormatFloat(x, 'g', -1, 64), which fmt.Sprint uses for a float64 (src/strconv/ftoa.go: %e when exp < -4 || exp >= 6 for the shortest form). */
export function goFormatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expText] = Math.abs(x).toExponential().split('e'); // shortest round-trip digits, as Go's
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

/** Go's fmt.Sprint of the value zot's decoder produces from JSON (string, float64, bool, []any, map[string]any with sorted keys). */
export function goSprint(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFormatFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goSprint(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
// fmt/scan.go: the space table isSpace uses (newline apart: Sscanf refuses it before a verb)
const GO_SPACE = /^[\t\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/** Go's fmt.Sscanf(s, "%d", &int64) (src/fmt/scan.go: SkipSpace, scanInt): leading spaces, a sign, then digits; what follows is ignored. */
export function goScanInt(s: string): { value: bigint } | { error: string } {
  let t = s;
  for (;;) {
    if (t.startsWith('\r\n')) {
      t = t.slice(1);
      continue;
    }
    if (t.startsWith('\n')) return { error: 'unexpected newline' };
    const m = GO_SPACE.exec(t);
    if (!m) break;
    t = t.slice(m[0].length);
  }
  if (t === '') return { error: 'unexpected EOF' };
  const m = /^([+-]?)([0-9]*)/.exec(t)!;
  if (m[2] === '') return { error: 'expected integer' };
  const value = BigInt(m[1] + m[2]);
  if (value < INT64_MIN || value > INT64_MAX)
    return { error: `strconv.ParseInt: parsing "${m[1]}${m[2]}": value out of range` };
  return { value };
}

/** Go's strconv.ParseBool. */
export function goParseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** Go's strconv.Atoi: an optional sign and decimal digits, within int64. */
export function goAtoi(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** Go's strconv.ParseUint(s, 0, 64) (src/strconv/atoi.go): a base prefix (0b, 0o, 0x with something after it, or a leading 0 for octal), underscores only as underscoreOK allows. */
export function goParseUintBase0(s: string): bigint | undefined {
  if (s === '') return undefined;
  let base = 10;
  let body = s;
  if (s[0] === '0') {
    const p = (s[1] ?? '').toLowerCase();
    if (s.length >= 3 && (p === 'b' || p === 'o' || p === 'x')) {
      base = p === 'b' ? 2 : p === 'o' ? 8 : 16;
      body = s.slice(2);
    } else {
      base = 8;
      body = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const ch of body) {
    if (ch === '_') {
      underscores = true;
      continue;
    }
    const d = /[0-9]/.test(ch) ? ch.charCodeAt(0) - 48 : /[a-z]/i.test(ch) ? ch.toLowerCase().charCodeAt(0) - 87 : 99;
    if (d >= base) return undefined;
    n = n * BigInt(base) + BigInt(d);
    if (n > (1n << 64n) - 1n) return undefined;
  }
  if (underscores && !underscoreOK(s)) return undefined;
  return n;
}

/** strconv/atoi.go underscoreOK: each '_' sits between digits (a base prefix counts as a digit). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const ch = s[i];
    if (/[0-9]/.test(ch) || (hex && /[a-f]/i.test(ch))) {
      saw = '0';
      continue;
    }
    if (ch === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** Go's time.ParseDuration accepts it (src/time/format.go). */
export function goDurationOk(s: string): boolean {
  if (s === '0' || s === '+0' || s === '-0') return true;
  if (!/^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$/u.test(s)) return false;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  let total = 0;
  for (const m of s.matchAll(/([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/gu)) total += Number(m[1] || 0) * unit[m[2]];
  return total <= 2 ** 63 - 1024; // int64 nanoseconds (the float edge is approximate)
}

/** Go's strings.ToUpper: a rune with no single-rune upper case stays as it is (unicode.ToUpper). */
function goToUpper(s: string): string {
  return [...s]
    .map((c) => {
      const u = c.toUpperCase();
      return [...u].length === 1 ? u : c;
    })
    .join('');
}

/** Go's base64.StdEncoding.DecodeString accepts it (padding required; \r and \n ignored). */
function goStdBase64Ok(s: string): boolean {
  const t = s.replace(/[\r\n]/g, '');
  return t.length % 4 === 0 && /^[A-Za-z0-9+/]*(|=|==)$/.test(t);
}

// ---- the drivers --------------------------------------------------------------------------------------

interface Ctx {
  readonly p: Record<string, unknown>;
  readonly where: string;
  readonly dist: Distribution;
  readonly out: Problem[];
}
/** One driver's checks: the context, the source file cited (`d`) and what a refusal means (`fails`). */
interface Rules {
  readonly c: Ctx;
  readonly d: string;
  readonly fails: string;
}

const SECRET_KEYS = new Set([
  'accesskey',
  'secretkey',
  'sessiontoken',
  'accountkey',
  'connectionstring',
  'credentials',
]);

function add(c: Ctx, key: string, reason: string, value: unknown = c.p[key]): void {
  const secret = SECRET_KEYS.has(key.split('.')[0]);
  c.out.push({ field: `${c.where}.${key}`, value, reason, ...(secret ? { secret: true } : {}) });
}

/** A parameter as the driver sees it: absent and JSON null (viper drops nulls) are Go's nil. */
function param(p: Record<string, unknown>, key: string): unknown {
  const v = p[key];
  return v === null ? undefined : v;
}

// distribution v3.0.0..v3.1.1 registry/storage/driver/s3-aws/s3.go init: validRegions = every region of aws-sdk-go v1
// endpoints.DefaultPartitions(). zot's go.mod selects aws-sdk-go v1.55.8; this list is v1.55.6's aws/endpoints/defaults.go (the newest
// readable here), printed by that package itself (test/fixtures/zot/s3-regions.json). v1 got no new regions after 2024-07-31 (aws/aws-sdk-go#5270).
export const S3_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
];

// distribution v3.0.0..v3.1.1 registry/storage/driver/s3-aws/s3.go: s3StorageClasses (aws-sdk-go service/s3 StorageClass* values); v3.1.1 adds EXPRESS_ONEZONE
function s3StorageClasses(dist: Distribution): string[] {
  const base = [
    'NONE',
    'STANDARD',
    'REDUCED_REDUNDANCY',
    'STANDARD_IA',
    'ONEZONE_IA',
    'INTELLIGENT_TIERING',
    'OUTPOSTS',
    'GLACIER_IR',
  ];
  return dist === 'v3.1.1' ? [...base, 'EXPRESS_ONEZONE'] : base;
}

// distribution v3.0.0..v3.1.1 registry/storage/driver/s3-aws/s3.go init: validObjectACLs (aws-sdk-go service/s3 ObjectCannedACL* values)
const S3_OBJECT_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
];

const MIB = 1024n * 1024n;
const S3_MIN_CHUNK = 5n * MIB; // s3.go: minChunkSize
const S3_MAX_CHUNK = 5n * 1024n * MIB; // s3_64bit.go: maxChunkSize (zot's images are amd64/arm64)

/** distribution's s3-aws driver (FromParameters, New): its refusals, in the order it meets them. */
function s3(c: Ctx): void {
  const r: Rules = {
    c,
    d: `distribution ${c.dist} registry/storage/driver/s3-aws/s3.go`,
    fails: `zot's s3 driver refuses it and zot does not start`,
  };
  const boolOf = s3Bools(r);
  // s3.go FromParameters: region is checked only when regionendpoint is absent or the empty string (`regionEndpoint == ""`)
  const endpoint = param(c.p, 'regionendpoint');
  if (endpoint === undefined || endpoint === '') s3Region(r);
  // s3.go FromParameters: "no bucket parameter provided"
  requireBucket(r);
  s3Integers(r);
  s3StorageClass(r);
  s3ObjectAcl(r);
  s3LogLevel(r);
  if (boolOf.v4auth === false) s3V4Auth(r, endpoint);
}

/** s3.go FromParameters: a bool parameter is a bool or a string strconv.ParseBool accepts (v3.1.x: getParameterAsBool) */
function s3Bools({ c, d, fails }: Rules): Record<string, boolean | undefined> {
  const bools = [
    'forcepathstyle',
    'encrypt',
    'secure',
    'skipverify',
    'v4auth',
    'usedualstack',
    'accelerate',
    ...(c.dist === 'v3.0.0' ? [] : ['usefipsendpoint']),
  ];
  const boolOf: Record<string, boolean | undefined> = {};
  for (const key of bools) {
    const v = param(c.p, key);
    if (v === undefined || typeof v === 'boolean') {
      boolOf[key] = v;
      continue;
    }
    const b = typeof v === 'string' ? goParseBool(v) : undefined;
    if (b === undefined)
      add(
        c,
        key,
        `is not a boolean (true/false, or a string strconv.ParseBool takes: 1 t T TRUE true True 0 f F FALSE false False): ${fails} ("the ${key} parameter should be a boolean", ${d}: FromParameters)`,
      );
    boolOf[key] = b;
  }
  return boolOf;
}

function s3Region({ c, d, fails }: Rules): void {
  const region = param(c.p, 'region');
  if (region === undefined || goSprint(region) === '') {
    add(
      c,
      'region',
      `is missing: without regionendpoint the s3 driver needs an AWS region; ${fails} ("no region parameter provided", ${d}: FromParameters)`,
      region,
    );
  } else if (!S3_REGIONS.includes(goSprint(region))) {
    add(
      c,
      'region',
      `is not an AWS region the s3 driver knows (aws-sdk-go v1 endpoints: ${S3_REGIONS.slice(0, 4).join(', ')}, ...): set regionendpoint for another S3 service; ${fails} ("invalid region provided", ${d}: FromParameters)`,
      region,
    );
  }
}

/** s3.go and gcs.go FromParameters: `bucket, ok := parameters["bucket"]; if !ok || fmt.Sprint(bucket) == ""` */
function requireBucket({ c, d, fails }: Rules): void {
  const bucket = param(c.p, 'bucket');
  if (bucket === undefined || goSprint(bucket) === '')
    add(c, 'bucket', `is missing: ${fails} ("no bucket parameter provided", ${d}: FromParameters)`, bucket);
}

/** s3.go getParameterAsInteger: fmt.Sscanf(fmt.Sprint(p), "%d") then min..max inclusive */
function s3Integers(r: Rules): void {
  const ints: Array<[string, bigint, bigint]> = [
    ['chunksize', S3_MIN_CHUNK, S3_MAX_CHUNK],
    ['multipartcopychunksize', S3_MIN_CHUNK, S3_MAX_CHUNK],
    ['multipartcopymaxconcurrency', 1n, INT64_MAX],
    ['multipartcopythresholdsize', 0n, S3_MAX_CHUNK],
  ];
  for (const [key, min, max] of ints) {
    const v = param(r.c.p, key);
    if (v !== undefined) s3Integer(r, key, v, min, max);
  }
}

function s3Integer({ c, d, fails }: Rules, key: string, v: unknown, min: bigint, max: bigint): void {
  const text = goSprint(v);
  const n = goScanInt(text);
  if ('error' in n) {
    add(
      c,
      key,
      `is not an integer (Go reads fmt.Sprint of it, ${JSON.stringify(text)}, with Sscanf %d): ${fails} ("${key} parameter must be an integer", ${d}: getParameterAsInteger)`,
    );
  } else if (n.value < min || n.value > max) {
    const seen =
      typeof v === 'number' && text !== String(n.value)
        ? ` (a JSON number reaches the driver as a float64 printed ${JSON.stringify(text)}, read as ${n.value}: write it as a string)`
        : String(n.value) !== text.trim()
          ? ` (read as ${n.value})`
          : '';
    add(
      c,
      key,
      `is outside ${min}..${max}${seen}: ${fails} ("the ${key} parameter should be a number between ${min} and ${max} (inclusive)", ${d}: getParameterAsInteger)`,
    );
  }
}

/** s3.go FromParameters: storageclass is a string, upper-cased, one of s3StorageClasses */
function s3StorageClass({ c, d, fails }: Rules): void {
  const sc = param(c.p, 'storageclass');
  if (sc === undefined) return;
  const classes = s3StorageClasses(c.dist);
  if (typeof sc !== 'string' || !classes.includes(goToUpper(sc))) {
    add(
      c,
      'storageclass',
      `is not one of ${classes.join(', ')} (any case): ${fails} ("the storageclass parameter must be one of ...", ${d}: FromParameters)`,
    );
  }
}

/** s3.go FromParameters: objectacl is a string, exactly one of validObjectACLs */
function s3ObjectAcl({ c, d, fails }: Rules): void {
  const acl = param(c.p, 'objectacl');
  if (acl !== undefined && (typeof acl !== 'string' || !S3_OBJECT_ACLS.includes(acl))) {
    add(
      c,
      'objectacl',
      `is not one of ${S3_OBJECT_ACLS.join(', ')}: ${fails} ("invalid value for objectacl parameter", ${d}: FromParameters)`,
    );
  }
}

/** distribution v3.0.0 s3.go getS3LogLevelFromParam: param.(string) panics on anything else (v3.1.0 returns LogOff instead) */
function s3LogLevel({ c, d }: Rules): void {
  const ll = param(c.p, 'loglevel');
  if (c.dist === 'v3.0.0' && ll !== undefined && typeof ll !== 'string') {
    add(
      c,
      'loglevel',
      `is not a string: distribution v3.0.0's s3 driver type-asserts it and zot panics at start-up (${d}: getS3LogLevelFromParam)`,
    );
  }
}

/** s3.go New: v4auth false only off Amazon S3 */
function s3V4Auth({ c, d, fails }: Rules, endpoint: unknown): void {
  const ep = endpoint === undefined ? '' : goSprint(endpoint);
  if (ep === '' || ep.includes('s3.amazonaws.com')) {
    add(
      c,
      'v4auth',
      `is false on Amazon S3 (${ep === '' ? 'no regionendpoint' : `regionendpoint '${ep}'`}): ${fails} ("on Amazon S3 this storage driver can only be used with v4 authentication", ${d}: New)`,
    );
  }
}

const GCS_MIN_CHUNK = 256n * 1024n; // gcs.go: minChunkSize

/** distribution's gcs driver (FromParameters): its refusals, in the order it meets them. */
function gcs(c: Ctx): void {
  const r: Rules = {
    c,
    d: `distribution ${c.dist} registry/storage/driver/gcs/gcs.go`,
    fails: `zot's gcs driver refuses it and zot does not start`,
  };
  // gcs.go FromParameters: `bucket, ok := parameters["bucket"]; if !ok || fmt.Sprint(bucket) == ""`
  requireBucket(r);
  gcsChunkSize(r);
  gcsCredentials(r);
  gcsMaxConcurrency(r);
}

/** gcs.go FromParameters: chunksize is a string strconv.Atoi takes (or a Go integer type, which JSON never gives: a JSON number is a float64 and refused) */
function gcsChunkSize({ c, d, fails }: Rules): void {
  const cs = param(c.p, 'chunksize');
  if (cs === undefined) return;
  const n = typeof cs === 'string' ? goAtoi(cs) : undefined;
  if (typeof cs !== 'string')
    add(
      c,
      'chunksize',
      `is not a string: a JSON number reaches the gcs driver as a float64, which it refuses; write it as a string such as "${16n * MIB}" (${fails}: "invalid valud for chunksize", ${d}: FromParameters)`,
    );
  else if (n === undefined)
    add(
      c,
      'chunksize',
      `is not an integer strconv.Atoi takes: ${fails} ("chunksize must be an integer", ${d}: FromParameters)`,
    );
  else if (n < GCS_MIN_CHUNK)
    add(
      c,
      'chunksize',
      `is below ${GCS_MIN_CHUNK} (256 KiB): ${fails} ("chunksize ... must be larger than or equal to ${GCS_MIN_CHUNK}", ${d}: FromParameters)`,
    );
  else if (n % GCS_MIN_CHUNK !== 0n)
    add(
      c,
      'chunksize',
      `is not a multiple of ${GCS_MIN_CHUNK} (256 KiB): ${fails} ("chunksize should be a multiple of ${GCS_MIN_CHUNK}", ${d}: FromParameters)`,
    );
}

/** gcs.go FromParameters: credentials (when there is no keyfile) must be a map[any]any; zot's decoder gives map[string]any, so it never is */
function gcsCredentials({ c, d, fails }: Rules): void {
  const p = c.p;
  if (param(p, 'keyfile') === undefined && p.credentials !== undefined && p.credentials !== null) {
    add(
      c,
      'credentials',
      `is never accepted from zot's config: the gcs driver wants a map[interface{}]interface{} and zot's decoder (viper, mapstructure) gives a map[string]interface{}; use keyfile with a mounted service-account file, or default credentials (${fails}: "the credentials were not specified in the correct format", ${d}: FromParameters)`,
      undefined,
    );
  }
}

/** base/regulator.go GetLimitFromParameter: maxconcurrency is a string strconv.ParseUint(v, 0, 64) takes (a JSON number is a float64: refused) */
function gcsMaxConcurrency({ c, d, fails }: Rules): void {
  const mc = param(c.p, 'maxconcurrency');
  if (mc !== undefined && (typeof mc !== 'string' || goParseUintBase0(mc) === undefined)) {
    add(
      c,
      'maxconcurrency',
      `is not ${typeof mc === 'string' ? 'an unsigned integer strconv.ParseUint takes' : 'a string (a JSON number reaches the driver as a float64, which it refuses)'}: ${fails} ("maxconcurrency config error", ${d}: FromParameters; distribution ${c.dist} registry/storage/driver/base/regulator.go: GetLimitFromParameter)`,
    );
  }
}

/** mitchellh/mapstructure v1.5.0 Decode (not weakly typed) of one JSON value into a Go field of this kind: the error, or undefined. */
function mapstructureKindError(v: unknown, kind: 'string' | 'int' | 'bool'): string | undefined {
  const got =
    typeof v === 'number'
      ? 'float64'
      : typeof v === 'boolean'
        ? 'bool'
        : typeof v === 'string'
          ? 'string'
          : Array.isArray(v)
            ? '[]interface {}'
            : 'map[string]interface {}';
  if (kind === 'string' && typeof v === 'string') return undefined;
  if (kind === 'bool' && typeof v === 'boolean') return undefined;
  if (kind === 'int' && typeof v === 'number') return undefined; // decodeInt: a float is truncated
  return `expected type '${kind}', got unconvertible type '${got}'`;
}

/** distribution's azure driver (parser.go NewParameters, auth.go newClient, azure.go New): its refusals, in order. */
function azure(c: Ctx): void {
  const r: Rules = {
    c,
    d: `distribution ${c.dist} registry/storage/driver/azure`,
    fails: `zot's azure driver refuses it and zot does not start`,
  };
  azureFields(r);
  const type = azureCredentials(r);
  // azure/parser.go NewParameters: accountname and container are required (empty is missing)
  for (const key of ['accountname', 'container']) {
    const v = param(c.p, key);
    if (v === undefined || v === '')
      add(c, key, `is missing: ${r.fails} ("no ${key} parameter provided", ${r.d}/parser.go: NewParameters)`, v);
  }
  azureAuth(r, type);
  // azure/azure.go New: time.ParseDuration(retry_delay) ("100ms" when empty)
  const rd = param(c.p, 'retry_delay');
  if (typeof rd === 'string' && rd !== '' && !goDurationOk(rd)) {
    add(
      c,
      'retry_delay',
      `is not a Go duration (such as 100ms, 2s): ${r.fails} (time.ParseDuration, ${r.d}/azure.go: New)`,
    );
  }
}

/** azure/parser.go DriverParameters: the mapstructure fields and their Go types (mapstructure v1.5.0 Decode, not weakly typed) */
function azureFields({ c, d, fails }: Rules): void {
  const fields: Array<[string, 'string' | 'int' | 'bool']> = [
    ['container', 'string'],
    ['accountname', 'string'],
    ['accountkey', 'string'],
    ['connectionstring', 'string'],
    ['realm', 'string'],
    ['rootdirectory', 'string'],
    ['serviceurl', 'string'],
    ['max_retries', 'int'],
    ['retry_delay', 'string'],
    ['skipverify', 'bool'],
  ];
  for (const [key, kind] of fields) {
    const v = param(c.p, key);
    if (v === undefined) continue;
    const err = mapstructureKindError(v, kind);
    if (err) add(c, key, `is not a ${kind}: ${fails} ("'${key}' ${err}", ${d}/parser.go: NewParameters)`);
  }
}

/** azure/parser.go: the credentials object's string fields; returns credentials.type ('' when absent). */
function azureCredentials({ c, d, fails }: Rules): unknown {
  const creds = param(c.p, 'credentials');
  if (creds === undefined) return '';
  if (typeof creds !== 'object' || Array.isArray(creds)) {
    add(
      c,
      'credentials',
      `is not an object: ${fails} ("'credentials' expected a map", ${d}/parser.go: NewParameters)`,
      undefined,
    );
    return '';
  }
  const cr = creds as Record<string, unknown>;
  for (const key of ['type', 'clientid', 'tenantid', 'secret']) {
    const v = param(cr, key);
    if (v === undefined) continue;
    const err = mapstructureKindError(v, 'string');
    if (err)
      add(
        c,
        `credentials.${key}`,
        `is not a string: ${fails} ("'credentials.${key}' ${err}", ${d}/parser.go: NewParameters)`,
        key === 'secret' ? undefined : v,
      );
  }
  return param(cr, 'type') ?? '';
}

function azureAuth({ c, d, fails }: Rules, type: unknown): void {
  // azure/auth.go newClient: credentials.type is client_secret, default_credentials or shared_key
  if (typeof type === 'string' && !['client_secret', 'default_credentials', 'shared_key'].includes(type)) {
    add(
      c,
      'credentials.type',
      `is not one of client_secret, default_credentials, shared_key: ${fails} ("invalid credentials type", ${d}/auth.go: newClient)`,
      type === '' ? undefined : type,
    );
  }
  // azure/auth.go newSharedKeyCredentialsClient → azblob.NewSharedKeyCredential: the account key is standard base64
  const key = param(c.p, 'accountkey');
  if (type === 'shared_key' && typeof key === 'string' && !goStdBase64Ok(key)) {
    add(
      c,
      'accountkey',
      `is not standard base64 (the storage account's access key): ${fails} ("shared key credentials", ${d}/auth.go: newSharedKeyCredentialsClient)`,
      undefined,
    );
  }
}

/**
 * What distribution's storage driver refuses in these parameters at the distribution version the given
 * zot version vendors: each problem means zot exits at start-up (or panics). `driver` is the
 * storageDriver map (keys are lower-cased here as viper does); `where` prefixes each field.
 * A name zot does not support at that version yields no problem here (startup.ts refuses it).
 */
export function storageDriverProblems(driver: Record<string, unknown>, where: string, zotVersion: string): Problem[] {
  const model = resolveZotModel(zotVersion).model;
  const dist = DISTRIBUTION_FOR_ZOT[model];
  const p: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(driver)) p[k.toLowerCase()] = v; // viper util.go insensitiviseMap
  const c: Ctx = { p, where, dist, out: [] };
  const name = p.name;
  const at = (min: ZotVersion) => compareZotVersions(model, min) >= 0;
  // zot pkg/storage/storage.go New: storeName := fmt.Sprintf("%v", StorageDriver["name"])
  if (name === 's3') s3(c);
  else if (name === 'gcs' && at('v2.1.15'))
    gcs(c); // zot v2.1.15 pkg/storage/constants: GCSStorageDriverName
  else if (name === 'azure' && at('v2.1.18')) azure(c); // zot v2.1.18 pkg/storage/constants: AzureStorageDriverName
  return c.out;
}

/**
 * A subpath's empty rootDirectory (the default store's is startup.ts's rule: storage.New refuses it).
 * zot v2.1.14..v2.1.20 pkg/storage/storage.go getSubStore / cache.go CreateCacheDatabaseDriver /
 * cache/boltdb.go NewBoltDBCache: os.MkdirAll("") fails, so a local subpath with dedupe, or any
 * subpath whose cache is local (remoteCache false), stops zot; a local subpath without dedupe gets no
 * image store (imagestore.NewImageStore: EnsureDir("") fails and it returns nil) and zot runs with the
 * route broken.
 */
export function subPathRootProblems(sub: Record<string, unknown>, where: string): Problem[] {
  const root = sub.rootDirectory ?? sub.rootdirectory;
  if (root !== undefined && root !== null && root !== '') return [];
  const driver = sub.storageDriver ?? sub.storagedriver;
  const remote =
    driver !== undefined && driver !== null && typeof driver === 'object' && Object.keys(driver).length > 0;
  const dedupe = sub.dedupe === true;
  const rc = sub.remoteCache ?? sub.remotecache;
  // zot pkg/cli/server/root.go applyDefaultValues: a remote subpath with dedupe and no remoteCache gets remoteCache true
  const remoteCache = rc === undefined ? remote && dedupe : rc === true;
  const field = `${where}.rootDirectory`;
  if (!remote) {
    return [
      {
        field,
        value: root,
        reason: dedupe
          ? 'is empty: zot cannot create the subpath\'s cache database in "" and does not start (storage.go getSubStore → CreateCacheDatabaseDriver → boltdb os.MkdirAll(""))'
          : 'is empty: zot cannot create a store in "" (imagestore.NewImageStore: EnsureDir fails) and serves this route with no image store',
      },
    ];
  }
  if (!remoteCache) {
    return [
      {
        field,
        value: root,
        reason:
          'is empty: this remote subpath keeps its cache database locally in rootDirectory, and zot cannot create it in "" so it does not start (storage.go getSubStore → CreateCacheDatabaseDriver → boltdb os.MkdirAll(""))',
      },
    ];
  }
  return [];
}
