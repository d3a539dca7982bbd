// Storage: where zot keeps images (the PVC, or an S3 bucket), dedupe, garbage collection and
// retention. Builds the `storage` block of config.json and the container env that carries the S3
// keys from a Secret. What zot itself refuses at start-up (a dedupe that needs a remote cache, a glob
// that does not compile, ...) is decided by the model of the deployed version (lib/zot/startup.ts),
// which synth runs on the generated config.json.
import { refuse } from '../../core/error';
import {
  checkBoolean,
  checkKnownKeys,
  checkList,
  checkObject,
  checkOneOf,
  checkString,
  checkStringList,
  propKeys,
} from '../../core/props';
import { EnvVar, FeatureOutput, hasPlaceholder, integer, zotDuration } from './common';
import type { FeatureReadme, ZotFeature } from './feature';

/** Images on the pod's PersistentVolumeClaim, under rootDirectory (the seed). */
export interface ZotLocalStorage {
  readonly type: 'local';
}

/** The Secret holding the S3 access keys; they reach zot as container env, never through values or Git. */
export interface S3Credentials {
  /** Secret in the app's namespace (a SOPS-encrypted one, or the Secret an ObjectBucketClaim creates). */
  readonly secretName: string;
  /**
   * Key of the access key id in that Secret.
   * @default 'AWS_ACCESS_KEY_ID' (the key an ObjectBucketClaim's Secret has)
   */
  readonly accessKeyIdKey?: string;
  /**
   * Key of the secret access key.
   * @default 'AWS_SECRET_ACCESS_KEY'
   */
  readonly secretAccessKeyKey?: string;
}

/** Images in an S3 (or S3-compatible) bucket, through zot's s3 storage driver (distribution's s3-aws). */
export interface ZotS3Storage {
  readonly type: 's3';
  /** The bucket; a Flux variable (`${S3_BUCKET}`) is substituted per cluster. */
  readonly bucket: string;
  /**
   * The bucket's region. Without an endpoint the driver needs a real AWS region; with one, S3-compatible
   * stores take any value but requests are still signed with it.
   * @default 'us-east-1' when `endpoint` is set; required otherwise
   */
  readonly region?: string;
  /**
   * An S3-compatible endpoint (`regionendpoint`): an in-cluster URL such as
   * `http://rook-ceph-rgw-store.rook-ceph.svc`, or a Flux variable (`${S3_ENDPOINT}`).
   * @default - AWS S3 of `region`
   */
  readonly endpoint?: string;
  /**
   * Path-style requests (`https://host/bucket/key`), what most in-cluster stores need.
   * @default true with an endpoint (zot would force it anyway, logging a deprecation); false without
   */
  readonly forcePathStyle?: boolean;
  /**
   * HTTPS to the endpoint. A scheme in `endpoint` decides it (the AWS SDK only adds one when missing).
   * @default the endpoint's scheme when it has one; true otherwise
   */
  readonly secure?: boolean;
  /**
   * Skip TLS verification of the endpoint.
   * @default false
   */
  readonly skipVerify?: boolean;
  /**
   * The folder inside the bucket zot stores under (the driver's `rootdirectory`).
   * @default '/zot'
   */
  readonly prefix?: string;
  /**
   * Where the access keys come from.
   * @default - none: the AWS SDK's default chain (pod identity, instance role)
   */
  readonly credentials?: S3Credentials;
}

export type ZotStorage = ZotLocalStorage | ZotS3Storage;

/** Garbage collection of unreferenced blobs and untagged manifests. */
export interface ZotGc {
  /**
   * Run GC at all; retention runs only inside GC.
   * @default true (zot's own default)
   */
  readonly enabled?: boolean;
  /**
   * How old an unreferenced blob must be before GC removes it (a Go duration): protects pushes in progress.
   * @default - zot's 1h
   */
  readonly delay?: string;
  /**
   * How often GC runs.
   * @default - zot's 1h
   */
  readonly interval?: string;
}

/** Which tags a retention policy keeps; a tag matching none of a policy's rules is deleted. */
export interface ZotKeepTags {
  /**
   * Go regular expressions of the tags this rule keeps.
   * @default - every tag
   */
  readonly patterns?: string[];
  /** Keep the N most recently pushed matching tags. @default - no count rule */
  readonly mostRecentlyPushedCount?: number;
  /** Keep the N most recently pulled. @default - no count rule */
  readonly mostRecentlyPulledCount?: number;
  /** Keep tags pushed within this duration (e.g. '720h'). @default - no age rule */
  readonly pushedWithin?: string;
  /** Keep tags pulled within this duration. @default - no age rule */
  readonly pulledWithin?: string;
}

export interface ZotRetentionPolicy {
  /** Repository globs the policy applies to (the first matching policy wins). */
  readonly repositories: string[];
  /**
   * Delete untagged manifests.
   * @default true (zot's default when unset)
   */
  readonly deleteUntagged?: boolean;
  /**
   * Delete referrers (signatures, SBOMs) whose subject is gone.
   * @default false
   */
  readonly deleteReferrers?: boolean;
  /**
   * Tags to keep; with none, every tag is kept.
   * @default - keep every tag
   */
  readonly keepTags?: ZotKeepTags[];
}

export interface ZotRetention {
  /**
   * Log what would be deleted instead of deleting it.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Minimum age of what retention deletes.
   * @default - the GC delay (zot's default)
   */
  readonly delay?: string;
  readonly policies: ZotRetentionPolicy[];
}

export interface StorageProps {
  readonly rootDirectory: string;
  readonly storage?: ZotStorage;
  readonly dedupe?: boolean;
  readonly gc?: ZotGc;
  readonly retention?: ZotRetention;
  /** Whether a remote cache (redis) is configured: the dedupe default depends on it. */
  readonly remoteCache: boolean;
}

export const S3_ACCESS_KEY_ENV = 'AWS_ACCESS_KEY_ID';
export const S3_SECRET_KEY_ENV = 'AWS_SECRET_ACCESS_KEY';
const ENDPOINT = /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?\/?$/;

/** The storage prop as declared (esbuild does not type-check main.ts). */
export function checkStorage(value: unknown, field = 'storage'): ZotStorage | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  const type = checkOneOf(o.type, `${field}.type`, ['local', 's3'] as const);
  if (type === undefined) refuse(`${field}.type`, undefined, "is missing: 'local' or 's3'");
  if (type === 'local') {
    checkKnownKeys(o, field, ['type']);
    return o as unknown as ZotLocalStorage;
  }
  checkKnownKeys(o, field, [
    'type',
    'bucket',
    'region',
    'endpoint',
    'forcePathStyle',
    'secure',
    'skipVerify',
    'prefix',
    'credentials',
  ]);
  const bucket = checkString(o.bucket, `${field}.bucket`, { nonEmpty: true });
  if (bucket === undefined) refuse(`${field}.bucket`, undefined, 'is missing');
  // distribution v3.0.0..v3.1.1 registry/storage/driver/s3-aws/s3.go: FromParameters: "no bucket parameter provided"
  if (!hasPlaceholder(bucket) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    refuse(`${field}.bucket`, bucket, 'is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens)');
  }
  const endpoint = checkEndpointAndRegion(o, field);
  checkDriverFlags(o, field, endpoint);
  checkS3Credentials(o, field);
  return o as unknown as ZotS3Storage;
}

/** The endpoint (a host, no path) and the region the S3 driver needs without one. */
function checkEndpointAndRegion(o: Record<string, unknown>, field: string): string | undefined {
  const endpoint = checkString(o.endpoint, `${field}.endpoint`, { nonEmpty: true });
  if (endpoint !== undefined && !hasPlaceholder(endpoint) && !ENDPOINT.test(endpoint)) {
    refuse(
      `${field}.endpoint`,
      endpoint,
      'is not an endpoint (http(s)://host[:port] or host[:port]; a path is not allowed)',
    );
  }
  const region = checkString(o.region, `${field}.region`, { nonEmpty: true });
  // distribution v3.0.0..v3.1.1 s3-aws/s3.go: FromParameters: without regionendpoint a region is required ("no region parameter provided")
  if (endpoint === undefined && region === undefined)
    refuse(
      `${field}.region`,
      undefined,
      'is missing: without an endpoint the s3 driver needs an AWS region (zot exits: "no region parameter provided")',
    );
  return endpoint;
}

/** forcePathStyle, secure (not against the endpoint's scheme), skipVerify, prefix. */
function checkDriverFlags(o: Record<string, unknown>, field: string, endpoint: string | undefined): void {
  checkBoolean(o.forcePathStyle, `${field}.forcePathStyle`);
  const secure = checkBoolean(o.secure, `${field}.secure`);
  checkBoolean(o.skipVerify, `${field}.skipVerify`);
  const prefix = checkString(o.prefix, `${field}.prefix`, { nonEmpty: true });
  if (prefix !== undefined && !prefix.startsWith('/'))
    refuse(`${field}.prefix`, prefix, "must start with '/' (the driver's rootdirectory)");
  // aws-sdk-go v1 aws/endpoints/endpoints.go: AddScheme adds https/http from DisableSSL only when the endpoint has no scheme
  const scheme = endpoint && !hasPlaceholder(endpoint) ? /^(https?):\/\//.exec(endpoint)?.[1] : undefined;
  if (scheme && secure !== undefined && secure !== (scheme === 'https')) {
    refuse(
      `${field}.secure`,
      secure,
      `contradicts the endpoint's scheme ${scheme}:// (the AWS SDK uses the scheme written in the endpoint; secure only picks one when there is none)`,
    );
  }
}

/** The Secret the access keys come from, and its keys. */
function checkS3Credentials(o: Record<string, unknown>, field: string): void {
  const creds = checkObject(o.credentials, `${field}.credentials`);
  if (creds) {
    checkKnownKeys(creds, `${field}.credentials`, ['secretName', 'accessKeyIdKey', 'secretAccessKeyKey']);
    if (checkString(creds.secretName, `${field}.credentials.secretName`, { nonEmpty: true }) === undefined) {
      refuse(`${field}.credentials.secretName`, undefined, 'is missing: the Secret holding the keys');
    }
    checkString(creds.accessKeyIdKey, `${field}.credentials.accessKeyIdKey`, { nonEmpty: true });
    checkString(creds.secretAccessKeyKey, `${field}.credentials.secretAccessKeyKey`, { nonEmpty: true });
  }
}

export function checkGc(value: unknown, field = 'gc'): ZotGc | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['enabled', 'delay', 'interval']);
  const enabled = checkBoolean(o.enabled, `${field}.enabled`);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGC refuses a negative delay or interval
  zotDuration(o.delay, `${field}.delay`, { min: 0 });
  zotDuration(o.interval, `${field}.interval`, { min: 0 });
  if (enabled === false && (o.delay !== undefined || o.interval !== undefined)) {
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateGC: "garbage-collect delay specified without enabling garbage-collect" (ignored)
    refuse(field, o, 'sets a delay or an interval with GC off: zot ignores them (validateGC)');
  }
  return o as ZotGc;
}

export function checkRetention(value: unknown, field = 'retention'): ZotRetention | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['dryRun', 'delay', 'policies']);
  checkBoolean(o.dryRun, `${field}.dryRun`);
  zotDuration(o.delay, `${field}.delay`, { min: 0 });
  const policies = checkList(
    o.policies,
    `${field}.policies`,
    (p, at) => {
      const po = checkObject(p, at);
      if (!po) refuse(at, p, 'is not a policy object');
      checkKnownKeys(po, at, ['repositories', 'deleteUntagged', 'deleteReferrers', 'keepTags']);
      if (checkStringList(po.repositories, `${at}.repositories`, { nonEmpty: true, unique: true }) === undefined) {
        refuse(`${at}.repositories`, undefined, "is missing: the repository globs the policy applies to (e.g. ['**'])");
      }
      checkBoolean(po.deleteUntagged, `${at}.deleteUntagged`);
      checkBoolean(po.deleteReferrers, `${at}.deleteReferrers`);
      checkList(po.keepTags, `${at}.keepTags`, (k, kat) => {
        const ko = checkObject(k, kat);
        if (!ko) refuse(kat, k, 'is not a keepTags rule');
        checkKnownKeys(ko, kat, [
          'patterns',
          'mostRecentlyPushedCount',
          'mostRecentlyPulledCount',
          'pushedWithin',
          'pulledWithin',
        ]);
        checkStringList(ko.patterns, `${kat}.patterns`, { nonEmpty: true, unique: true });
        integer(ko.mostRecentlyPushedCount, `${kat}.mostRecentlyPushedCount`, 1);
        integer(ko.mostRecentlyPulledCount, `${kat}.mostRecentlyPulledCount`, 1);
        zotDuration(ko.pushedWithin, `${kat}.pushedWithin`, { positive: true });
        zotDuration(ko.pulledWithin, `${kat}.pulledWithin`, { positive: true });
        return ko;
      });
      return po;
    },
    { nonEmpty: true },
  );
  if (policies === undefined) refuse(`${field}.policies`, undefined, 'is missing: at least one policy');
  return o as unknown as ZotRetention;
}

/** Whether images live in a bucket every replica shares. */
export function isSharedStorage(storage: ZotStorage | undefined): storage is ZotS3Storage {
  return storage?.type === 's3';
}

/** The dedupe zot will run with: as declared, else false on S3 without a remote cache, else zot's true. */
export function effectiveDedupe(props: Pick<StorageProps, 'storage' | 'dedupe' | 'remoteCache'>): boolean {
  if (props.dedupe !== undefined) return props.dedupe;
  return !(isSharedStorage(props.storage) && !props.remoteCache);
}

/** config.json `storage` and the env the S3 keys travel in. */
export function storageFeature(props: StorageProps): FeatureOutput {
  const storage: Record<string, unknown> = { rootDirectory: props.rootDirectory };
  const s3 = isSharedStorage(props.storage) ? props.storage : undefined;
  if (props.dedupe !== undefined) storage.dedupe = props.dedupe;
  else if (s3 && !props.remoteCache) {
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateCacheConfig refuses dedupe (true by default) on remote storage
    // with remoteCache (true by default there) and no cacheDriver; without a remote cache, dedupe is written off.
    storage.dedupe = false;
  }
  Object.assign(storage, gcKeys(props.gc ?? {}));
  if (props.retention) storage.retention = retentionKeys(props.retention, props.gc ?? {});
  if (!s3) return { config: { storage }, env: [] };
  storage.storageDriver = s3Driver(s3);
  return { config: { storage }, env: s3Env(s3) };
}

function gcKeys(gc: ZotGc): Record<string, unknown> {
  return {
    ...(gc.enabled !== undefined ? { gc: gc.enabled } : {}),
    ...(gc.delay !== undefined ? { gcDelay: gc.delay } : {}),
    ...(gc.interval !== undefined ? { gcInterval: gc.interval } : {}),
  };
}

/** config.json storage.retention; refused with GC off, where no policy would ever run. */
function retentionKeys(r: ZotRetention, gc: ZotGc): Record<string, unknown> {
  if (gc.enabled === false) {
    // zot v2.1.14..v2.1.20 pkg/api/controller.go: the retention policies are handed to GC only `if storageConfig.GC` (RunGCTasks / StartBackgroundTasks)
    refuse(
      'retention',
      undefined,
      'is set with gc.enabled false: zot applies retention only while garbage-collecting, so no policy would ever run',
    );
  }
  return {
    ...(r.dryRun !== undefined ? { dryRun: r.dryRun } : {}),
    ...(r.delay !== undefined ? { delay: r.delay } : {}),
    policies: r.policies.map((p) => ({
      repositories: p.repositories,
      ...(p.deleteReferrers !== undefined ? { deleteReferrers: p.deleteReferrers } : {}),
      ...(p.deleteUntagged !== undefined ? { deleteUntagged: p.deleteUntagged } : {}),
      ...(p.keepTags ? { keepTags: p.keepTags.map((k) => ({ ...k })) } : {}),
    })),
  };
}

/** config.json storage.storageDriver for S3. */
function s3Driver(s3: ZotS3Storage): Record<string, unknown> {
  const scheme = s3.endpoint && !hasPlaceholder(s3.endpoint) ? /^(https?):\/\//.exec(s3.endpoint)?.[1] : undefined;
  // distribution v3.0.0..v3.1.1 registry/storage/driver/s3-aws/s3.go: FromParameters reads these keys (lower-case;
  // viper lower-cases storageDriver keys anyway, zot v2.1.14..v2.1.20 LoadConfiguration)
  return {
    name: 's3',
    rootdirectory: s3.prefix ?? '/zot',
    region: s3.region ?? 'us-east-1',
    ...(s3.endpoint !== undefined ? { regionendpoint: s3.endpoint } : {}),
    bucket: s3.bucket,
    forcepathstyle: s3.forcePathStyle ?? s3.endpoint !== undefined,
    secure: s3.secure ?? (scheme ? scheme === 'https' : true),
    skipverify: s3.skipVerify ?? false,
  };
}

/** The env the S3 keys reach zot in, from their Secret; none without credentials. */
function s3Env(s3: ZotS3Storage): EnvVar[] {
  if (!s3.credentials) return [];
  // distribution s3-aws/s3.go: New uses static keys only when accesskey and secretkey are set; otherwise the
  // aws-sdk-go v1 default chain, whose first provider reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
  // (aws-sdk-go aws/credentials/env_provider.go, aws/defaults/defaults.go: CredProviders)
  const c = s3.credentials;
  return [
    {
      name: S3_ACCESS_KEY_ENV,
      valueFrom: { secretKeyRef: { name: c.secretName, key: c.accessKeyIdKey ?? S3_ACCESS_KEY_ENV } },
    },
    {
      name: S3_SECRET_KEY_ENV,
      valueFrom: { secretKeyRef: { name: c.secretName, key: c.secretAccessKeyKey ?? S3_SECRET_KEY_ENV } },
    },
  ];
}

export interface ZotStorageProps {
  /**
   * Where images live: the pod's PVC (`{ type: 'local' }`), or an S3 bucket every replica shares, with the
   * access keys from a Secret through container env (never in values or Git).
   * @default { type: 'local' } - the PVC under rootDirectory
   */
  readonly storage?: ZotStorage;
  /**
   * Store identical blobs once. On S3 without a remote cache zot refuses dedupe (validateCacheConfig), so it is off there.
   * @default true (zot's default); false with S3 storage and no remoteCache
   */
  readonly dedupe?: boolean;
  /**
   * Garbage collection of blobs nothing references (and, with retention, of the tags it drops).
   * @default - zot's: on, 1h delay, every 1h
   */
  readonly gc?: ZotGc;
  /**
   * Retention policies: which tags each repository keeps (by count, pushed or pulled within), and
   * whether untagged manifests and orphaned referrers go. They run inside GC.
   * @default - none: every tag is kept
   */
  readonly retention?: ZotRetention;
}

/** The storage feature of the registry (lib/zot/features/registry.ts). */
export const storageDefinition: ZotFeature<ZotStorageProps, { readonly remoteCache?: object; readonly sync?: object }> =
  {
    name: 'storage',
    props: propKeys<ZotStorageProps>({ storage: true, dedupe: true, gc: true, retention: true }),
    configProps: ['storage', 'gc', 'retention'],
    check(props) {
      checkStorage(props.storage);
      checkBoolean(props.dedupe, 'dedupe');
      checkGc(props.gc);
      checkRetention(props.retention);
    },
    build: (props, ctx) =>
      storageFeature({
        rootDirectory: ctx.rootDirectory,
        storage: props.storage ?? { type: 'local' },
        dedupe: props.dedupe,
        gc: props.gc,
        retention: props.retention,
        remoteCache: props.remoteCache !== undefined,
      }),
    readme: storageReadme,
  };

/** The S3 lines of the README: where the images are, what the PVC keeps, how the keys arrive. */
function s3Lines(s: ZotS3Storage, others: { readonly sync?: object; readonly remoteCache?: object }): string[] {
  const code = (x: string) => `\`${x}\``;
  const local = [others.sync ? 'sync downloads' : '', others.remoteCache ? '' : 'the metadata database'];
  return [
    `Images live in S3 bucket ${code(s.bucket)}${s.endpoint ? ` at ${code(s.endpoint)}` : ` (AWS region ${code(s.region ?? '')})`}, under ${code(s.prefix ?? '/zot')}; the PVC keeps only local files (${local.filter(Boolean).join(' and ') || 'none the registry needs'}).`,
    s.credentials
      ? `The access keys reach zot as ${code('AWS_ACCESS_KEY_ID')} / ${code('AWS_SECRET_ACCESS_KEY')} from Secret ${code(s.credentials.secretName)} (env valueFrom secretKeyRef); they are in no value and no Git file.`
      : "No access keys are configured: the AWS SDK uses the pod's identity (instance role or web identity).",
  ];
}

/** What one keepTags entry keeps, in words. */
function keepsLine(k: ZotKeepTags): string {
  const code = (x: string) => `\`${x}\``;
  return [
    k.patterns ? `tags ${k.patterns.map(code).join(', ')}` : 'tags',
    k.mostRecentlyPushedCount ? `${k.mostRecentlyPushedCount} most recently pushed` : '',
    k.mostRecentlyPulledCount ? `${k.mostRecentlyPulledCount} most recently pulled` : '',
    k.pushedWithin ? `pushed within ${k.pushedWithin}` : '',
    k.pulledWithin ? `pulled within ${k.pulledWithin}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The retention table of the README. */
function retentionLines(retention: ZotRetention): string[] {
  const code = (x: string) => `\`${x}\``;
  const lines = ['', '| Repositories | Keeps | Untagged | Orphaned referrers |', '|---|---|---|---|'];
  for (const p of retention.policies) {
    const keeps = (p.keepTags ?? []).map(keepsLine).join('; or ') || 'every tag';
    lines.push(
      `| ${p.repositories.map(code).join(', ')} | ${keeps} | ${p.deleteUntagged === false ? 'kept' : 'deleted'} | ${p.deleteReferrers ? 'deleted' : 'kept'} |`,
    );
  }
  lines.push('', `Retention runs with garbage collection${retention.dryRun ? ' (dry run: it only logs)' : ''}.`);
  return lines;
}

/** The README's storage section: bucket and keys, dedupe, retention; none for the seed's PVC with dedupe on. */
export function storageReadme(
  props: ZotStorageProps & { readonly remoteCache?: object; readonly sync?: object },
): FeatureReadme[] {
  const storage = props.storage ?? { type: 'local' };
  const dedupe = effectiveDedupe({ storage, dedupe: props.dedupe, remoteCache: props.remoteCache !== undefined });
  if (!isSharedStorage(storage) && !props.retention && dedupe !== false) return [];
  const lines = isSharedStorage(storage) ? s3Lines(storage, props) : [];
  lines.push(`Dedupe is ${dedupe ? 'on' : 'off'}.`);
  if (props.retention) lines.push(...retentionLines(props.retention));
  return [{ section: 'Storage', lines }];
}
