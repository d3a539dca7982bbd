// Sync: zot mirrors upstream registries (docker.io, ghcr.io, ...), on demand (a pull of a missing
// image fetches it) or polled (every pollInterval), filtered by content prefixes and tag rules.
// Upstream credentials never enter Git: each registry names a Flux variable holding its
// {"username","password"} object; the credentials file is one `"host": ${VAR}` per line in the
// chart's Secret (secretFiles), next to htpasswd, and Flux substitutes the values on each cluster.
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
import { ZOT_SECRET_MOUNT_DIR } from '../chart';
import { FeatureOutput, FeatureVariable, hasPlaceholder, integer, zotDuration } from './common';
import type { FeatureReadme, ReadmeContext, ZotFeature } from './feature';
import { isSharedStorage, ZotStorage } from './storage';

export interface ZotSyncTags {
  /** Keep only tags matching this Go regular expression. @default - every tag */
  readonly regex?: string;
  /** Drop tags matching this Go regular expression. @default - none dropped */
  readonly excludeRegex?: string;
  /** Keep only semver tags. @default false */
  readonly semver?: boolean;
}

/** Which upstream repositories a registry syncs, and where they land. */
export interface ZotSyncContent {
  /** Upstream repository glob, e.g. 'project-zot/**'. */
  readonly prefix: string;
  /**
   * Local folder the repositories land under, e.g. '/ghcr' (a pull of `ghcr/project-zot/zot` then fetches
   * `project-zot/zot` upstream).
   * @default - the upstream name
   */
  readonly destination?: string;
  /** Drop the prefix's fixed part from the local name. @default false */
  readonly stripPrefix?: boolean;
  /** Tag filters. @default - every tag */
  readonly tags?: ZotSyncTags;
}

export interface ZotSyncRegistry {
  /** The registry's URLs (the first is used, the others are mirrors), e.g. ['https://ghcr.io']. */
  readonly urls: string[];
  /**
   * Fetch an image the first time a client pulls it.
   * @default true
   */
  readonly onDemand?: boolean;
  /**
   * Poll the upstream for `content` this often (a Go duration).
   * @default - no polling (on demand only)
   */
  readonly pollInterval?: string;
  /**
   * What to sync; a registry without content syncs any repository on demand.
   * @default - every repository (on demand)
   */
  readonly content?: ZotSyncContent[];
  /** @default true */
  readonly tlsVerify?: boolean;
  /** Retries of a failed sync (needs retryDelay). @default - zot's default (none) */
  readonly maxRetries?: number;
  /** @default - none */
  readonly retryDelay?: string;
  /** Only sync signed images. @default false */
  readonly onlySigned?: boolean;
  /**
   * The Flux variable holding this registry's credentials as one JSON object on one line,
   * `{"username":"...","password":"..."}` (a token as password).
   * @default - anonymous pulls from the upstream
   */
  readonly credentialsVariable?: string;
  /**
   * Where that variable comes from.
   * @default - the Secret `common-secrets`
   */
  readonly credentialsSource?: {
    readonly kind: 'ConfigMap' | 'Secret';
    readonly name: string;
    readonly optional?: boolean;
  };
}

export interface ZotSync {
  readonly registries: ZotSyncRegistry[];
  /**
   * Where zot stages synced images before moving them to remote storage; zot needs it with S3.
   * @default '<rootDirectory>/.sync' with S3 storage (on the pod's PVC); not set on local storage
   */
  readonly downloadDir?: string;
}

/** The secretFiles key of the credentials file (mounted at /secret/<key> with htpasswd). */
export const SYNC_CREDENTIALS_KEY = 'sync-credentials.json';

export function checkSync(value: unknown, field = 'sync'): ZotSync | undefined {
  const o = checkObject(value, field);
  if (!o) return undefined;
  checkKnownKeys(o, field, ['registries', 'downloadDir']);
  const dir = checkString(o.downloadDir, `${field}.downloadDir`, { nonEmpty: true });
  if (dir !== undefined && !dir.startsWith('/'))
    refuse(`${field}.downloadDir`, dir, 'is not an absolute path in the pod');
  const registries = checkList(o.registries, `${field}.registries`, checkSyncRegistry, { nonEmpty: true });
  if (registries === undefined) refuse(`${field}.registries`, undefined, 'is missing: at least one upstream registry');
  return o as unknown as ZotSync;
}

const SYNC_REGISTRY_KEYS = [
  'urls',
  'onDemand',
  'pollInterval',
  'content',
  'tlsVerify',
  'maxRetries',
  'retryDelay',
  'onlySigned',
  'credentialsVariable',
  'credentialsSource',
];

/** One upstream registry as its type declares it: URLs, how it is synced, its retries, its credentials. */
function checkSyncRegistry(r: unknown, at: string): Record<string, unknown> {
  const ro = checkObject(r, at);
  if (!ro) refuse(at, r, 'is not a registry object');
  checkKnownKeys(ro, at, SYNC_REGISTRY_KEYS);
  checkRegistryUrls(ro.urls, `${at}.urls`);
  const onDemand = checkBoolean(ro.onDemand, `${at}.onDemand`) ?? true;
  const poll = zotDuration(ro.pollInterval, `${at}.pollInterval`, { positive: true });
  const content = checkList(ro.content, `${at}.content`, checkSyncContent, { nonEmpty: true });
  // zot v2.1.14..v2.1.20 pkg/extensions/extension_sync.go: EnableSyncExtension skips a registry that is neither
  // periodical (content and a pollInterval) nor onDemand, silently (`continue`)
  if (poll !== undefined && content === undefined)
    refuse(
      `${at}.pollInterval`,
      ro.pollInterval,
      'is set without content: zot polls only the content it is given, so this registry would never be polled',
    );
  if (!onDemand && poll === undefined)
    refuse(at, undefined, 'is neither on demand nor polled (pollInterval with content): zot skips it');
  checkBoolean(ro.tlsVerify, `${at}.tlsVerify`);
  checkBoolean(ro.onlySigned, `${at}.onlySigned`);
  integer(ro.maxRetries, `${at}.maxRetries`, 0, 1000);
  zotDuration(ro.retryDelay, `${at}.retryDelay`, { positive: true });
  checkSyncCredentials(ro, at);
  return ro;
}

function checkRegistryUrls(value: unknown, at: string): void {
  const urls = checkStringList(value, at, { nonEmpty: true, unique: true });
  if (urls === undefined) refuse(at, undefined, "is missing (e.g. ['https://ghcr.io'])");
  urls.forEach((u, i) => {
    // zot v2.1.14..v2.1.20 pkg/extensions/sync/utils.go: parseRegistryURLs (url.Parse); service.go newClient takes the URL's Host
    if (!hasPlaceholder(u) && !/^https?:\/\/[^/\s]+\/?$/.test(u))
      refuse(`${at}[${i}]`, u, 'is not a registry URL (https://host[:port], no path)');
  });
}

/** One content entry: a prefix, an optional local destination, and tag filters. */
function checkSyncContent(c: unknown, cat: string): Record<string, unknown> {
  const co = checkObject(c, cat);
  if (!co) refuse(cat, c, 'is not a content object');
  checkKnownKeys(co, cat, ['prefix', 'destination', 'stripPrefix', 'tags']);
  if (checkString(co.prefix, `${cat}.prefix`, { nonEmpty: true }) === undefined)
    refuse(`${cat}.prefix`, undefined, "is missing (e.g. 'project-zot/**')");
  const dest = checkString(co.destination, `${cat}.destination`, { nonEmpty: true });
  if (dest !== undefined && !dest.startsWith('/'))
    refuse(`${cat}.destination`, dest, "must start with '/' (a local repository folder, e.g. '/ghcr')");
  checkBoolean(co.stripPrefix, `${cat}.stripPrefix`);
  const tags = checkObject(co.tags, `${cat}.tags`);
  if (tags) {
    checkKnownKeys(tags, `${cat}.tags`, ['regex', 'excludeRegex', 'semver']);
    checkString(tags.regex, `${cat}.tags.regex`, { nonEmpty: true });
    checkString(tags.excludeRegex, `${cat}.tags.excludeRegex`, { nonEmpty: true });
    checkBoolean(tags.semver, `${cat}.tags.semver`);
  }
  return co;
}

/** The credentials' Flux variable and its source. */
function checkSyncCredentials(ro: Record<string, unknown>, at: string): void {
  const v = checkString(ro.credentialsVariable, `${at}.credentialsVariable`, { nonEmpty: true });
  if (v !== undefined && !/^[_A-Za-z][_A-Za-z0-9]*$/.test(v))
    refuse(`${at}.credentialsVariable`, v, 'is not a Flux variable name');
  const src = checkObject(ro.credentialsSource, `${at}.credentialsSource`);
  if (src) {
    if (v === undefined) refuse(`${at}.credentialsSource`, undefined, 'is set without credentialsVariable');
    checkKnownKeys(src, `${at}.credentialsSource`, ['kind', 'name', 'optional']);
    checkOneOf(src.kind, `${at}.credentialsSource.kind`, ['ConfigMap', 'Secret'] as const);
    checkString(src.name, `${at}.credentialsSource.name`, { nonEmpty: true });
  }
}

/** The host zot looks a registry's credentials up by (zot v2.1.14..v2.1.20 pkg/extensions/sync/service.go: newClient, `credentials[mainHost]` with url.Host). */
export function credentialsHost(url: string): string {
  const m = /^[a-z]+:\/\/([^/]+)/i.exec(url);
  return m ? m[1] : url;
}

/**
 * The local repository glob a content rule answers on demand (zot v2.1.14..v2.1.20
 * pkg/extensions/sync/content.go: GetContentByLocalRepo: destination joined with the prefix, or with
 * the prefix's pattern part when stripPrefix).
 */
export function localRepositoryGlob(content: ZotSyncContent): string {
  const prefix = content.prefix.replace(/^\/+|\/+$/g, '');
  const destination = (content.destination ?? '').replace(/^\/+|\/+$/g, '');
  let tail = prefix;
  if (content.stripPrefix) {
    const meta = prefix.search(/[*?[{\\]/);
    const cut = meta === -1 ? prefix.lastIndexOf('/') : prefix.lastIndexOf('/', meta);
    tail = prefix.slice(cut + 1);
  }
  return [destination, tail].filter(Boolean).join('/');
}

export interface SyncProps {
  readonly sync: ZotSync;
  readonly rootDirectory: string;
  /** Images in a bucket: zot needs a downloadDir then. */
  readonly remoteStorage: boolean;
}

/** config.json extensions.sync, the credentials file and its variables. */
export function syncFeature(p: SyncProps): FeatureOutput {
  const lines: string[] = [];
  const variables: FeatureVariable[] = [];
  for (const r of p.sync.registries) {
    if (!r.credentialsVariable) continue;
    for (const url of r.urls) {
      const host = credentialsHost(url);
      if (lines.some((l) => l.startsWith(`${JSON.stringify(host)}:`)))
        refuse('sync.registries', host, 'has credentials twice: zot keeps one set of credentials per host');
      lines.push(`${JSON.stringify(host)}: \${${r.credentialsVariable}}`);
    }
    if (!variables.some((v) => v.variable === r.credentialsVariable)) {
      variables.push({
        variable: r.credentialsVariable,
        holds: `sync credentials for ${r.urls.map(credentialsHost).join(', ')} ({"username":"...","password":"..."} on one line)`,
        ...(r.credentialsSource ? { source: r.credentialsSource } : {}),
      });
    }
  }
  // zot v2.1.14 pkg/cli/server/root.go: validateConfiguration, v2.1.15..v2.1.20 validateStorageConfigSection: sync with remote
  // storage needs extensions.sync.downloadDir ("using both sync and remote storage features needs ... DownloadDir");
  // pkg/extensions/sync/service.go: New stages images there before moving them to storage
  const downloadDir =
    p.sync.downloadDir ?? (p.remoteStorage ? `${p.rootDirectory.replace(/\/+$/, '')}/.sync` : undefined);
  const secretFiles = lines.length
    ? // One `"host": ${VAR}` per line inside a JSON object: Flux substitutes each variable's one-line JSON object, and the
      // file is exactly what zot's getFileCredentials json.Unmarshals into map[host]{Username,Password}
      // (zot v2.1.14..v2.1.20 pkg/extensions/sync/utils.go). Always several lines, so the YAML carries it as a block.
      { [SYNC_CREDENTIALS_KEY]: `{\n${lines.map((l, i) => (i < lines.length - 1 ? `${l},` : l)).join('\n')}\n}` }
    : undefined;
  const sync = {
    enable: true,
    ...(secretFiles ? { credentialsFile: `${ZOT_SECRET_MOUNT_DIR}/${SYNC_CREDENTIALS_KEY}` } : {}),
    ...(downloadDir ? { downloadDir } : {}),
    registries: p.sync.registries.map(syncRegistryKeys),
  };
  return { config: { extensions: { sync } }, ...(secretFiles ? { secretFiles } : {}), variables };
}

/** One registry of config.json extensions.sync, zot's defaults written out (onDemand, tlsVerify). */
function syncRegistryKeys(r: ZotSyncRegistry): Record<string, unknown> {
  return {
    urls: r.urls,
    onDemand: r.onDemand ?? true,
    ...(r.pollInterval !== undefined ? { pollInterval: r.pollInterval } : {}),
    tlsVerify: r.tlsVerify ?? true,
    ...(r.maxRetries !== undefined ? { maxRetries: r.maxRetries } : {}),
    ...(r.retryDelay !== undefined ? { retryDelay: r.retryDelay } : {}),
    ...(r.onlySigned !== undefined ? { onlySigned: r.onlySigned } : {}),
    ...(r.content
      ? {
          content: r.content.map((c) => ({
            prefix: c.prefix,
            ...(c.destination !== undefined ? { destination: c.destination } : {}),
            ...(c.stripPrefix !== undefined ? { stripPrefix: c.stripPrefix } : {}),
            ...(c.tags ? { tags: { ...c.tags } } : {}),
          })),
        }
      : {}),
  };
}

export interface ZotSyncProps {
  /**
   * Mirror upstream registries, on demand or polled; upstream credentials come from Flux variables
   * into a file of the chart's Secret.
   * @default - no sync
   */
  readonly sync?: ZotSync;
}

/** The sync feature of the registry (lib/zot/features/registry.ts). */
export const syncDefinition: ZotFeature<ZotSyncProps, { readonly storage?: ZotStorage; readonly extensions?: object }> =
  {
    name: 'sync',
    props: propKeys<ZotSyncProps>({ sync: true }),
    configProps: ['sync'],
    check(props) {
      checkSync(props.sync);
    },
    checkTogether(props) {
      if (props.sync && (props.extensions as Record<string, unknown> | undefined)?.sync !== undefined) {
        refuse('extensions.sync', undefined, 'is set next to the sync prop: give sync in one place (sync)');
      }
    },
    build: (props, ctx) =>
      props.sync
        ? syncFeature({
            sync: props.sync,
            rootDirectory: ctx.rootDirectory,
            remoteStorage: isSharedStorage(props.storage),
          })
        : {},
    readme: syncReadme,
  };

/** One upstream's row of the README's sync table. */
function syncRow(g: ZotSyncRegistry): string {
  const code = (x: string) => `\`${x}\``;
  const mode = [(g.onDemand ?? true) ? 'on demand' : '', g.pollInterval ? `every ${g.pollInterval}` : '']
    .filter(Boolean)
    .join(', ');
  const content = (g.content ?? [{ prefix: '**' }])
    .map(
      (c) =>
        `${code(c.prefix)} → ${code(localRepositoryGlob(c))}${c.tags ? ` (tags: ${[c.tags.regex ? `matching ${code(c.tags.regex)}` : '', c.tags.excludeRegex ? `not ${code(c.tags.excludeRegex)}` : '', c.tags.semver ? 'semver' : ''].filter(Boolean).join(', ')})` : ''}`,
    )
    .join('<br>');
  return `| ${g.urls.map(code).join(', ')} | ${mode} | ${content} | ${g.credentialsVariable ? `${code(g.credentialsVariable)} (${g.urls.map(credentialsHost).map(code).join(', ')})` : 'anonymous'} |`;
}

/** The README's sync section: one row per upstream, and where the credentials come from. */
export function syncReadme(props: ZotSyncProps, ctx: ReadmeContext): FeatureReadme[] {
  if (!props.sync) return [];
  const note =
    'A pull of a local name the table lists fetches it from the upstream first; the client still needs read on that name here. ' +
    (ctx.secretFileKeys.includes(SYNC_CREDENTIALS_KEY)
      ? `Upstream credentials: each variable holds one line of JSON, \`{"username":"...","password":"..."}\`, in the SOPS file; Flux writes them into \`/secret/${SYNC_CREDENTIALS_KEY}\` next to the htpasswd file.`
      : '');
  const lines = [
    '| Upstream | Mode | Upstream repositories → local | Credentials |',
    '|---|---|---|---|',
    ...props.sync.registries.map(syncRow),
    '',
    note,
  ];
  return [{ section: 'Sync', lines }];
}
