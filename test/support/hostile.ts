// The hostile-props suite's rows and runner (test/synth/hostile-props*.test.ts): each row is a hostile
// input with the upstream source of its rule; the runner asserts exit 1, the opening value named in
// stderr, and a tree byte-identical before and after (and no clusters/ in an empty folder).
import * as fs from 'fs';
import * as path from 'path';
import { ZotAppProps } from '../../lib/constructs/zot-app';
import { ZotAction } from '../../lib/zot/config';
import { appWith, hashTree, readTree, synth, tempDir } from './tree';

/** One hostile input: what it is, where its rule comes from, the props, and what the refusal must name. */
export interface HostileCase {
  readonly name: string;
  /** The upstream file (and function) at the version deployed that makes this input a door. */
  readonly source: string;
  readonly props: ZotAppProps;
  /** What stderr must contain: the value or field that opens the door (every string is contained, every pattern matches). */
  readonly names: ReadonlyArray<string | RegExp>;
}

// ---- hand-written configs ---------------------------------------------------------------------------

export const ROOT = '/var/lib/registry';
export const HTPASSWD = { htpasswd: { path: '/secret/htpasswd' } };
export const ALL = ['read', 'create', 'update', 'delete'];
/** What synth compiles for the seed's one admin: only admin may do anything. */
export const ADMIN_ONLY = {
  repositories: { '**': { policies: [{ users: ['admin'], actions: ALL }], defaultPolicy: [] } },
};

/**
 * A config.json zot v2.1.18 starts with and that keeps the registry closed (htpasswd, only admin),
 * with `http` keys replaced by `httpOver` (a key set to undefined is dropped) and top-level keys by `over`.
 */
export function zotConfig(
  httpOver: Record<string, unknown> = {},
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    storage: { rootDirectory: ROOT },
    http: {
      address: '0.0.0.0',
      port: '5000',
      readTimeout: '30m',
      writeTimeout: '30m',
      auth: HTPASSWD,
      accessControl: ADMIN_ONLY,
      ...httpOver,
    },
    log: { level: 'info' },
    ...over,
  };
}

/** `http` keys with the given auth and no accessControl: the base of every "authentication that is not there". */
export const openHttp = (auth: unknown): Record<string, unknown> => ({ auth, accessControl: undefined });

/**
 * The props of a release that loads `config` (an object, or the exact text), opted in with unsafeValues
 * `configFiles`; `release` adds release props (its unsafeValues and valuesOverrides are merged), `app` app props.
 */
export function handWritten(
  config: Record<string, unknown> | string,
  release: Record<string, unknown> = {},
  app: ZotAppProps = {},
): ZotAppProps {
  const text = typeof config === 'string' ? config : JSON.stringify(config, null, 2);
  const {
    unsafeValues = [],
    valuesOverrides = {},
    ...rest
  } = release as { unsafeValues?: string[]; valuesOverrides?: Record<string, unknown> };
  return {
    ...app,
    release: {
      ...rest,
      unsafeValues: ['configFiles', ...unsafeValues],
      valuesOverrides: { ...valuesOverrides, configFiles: { 'config.json': text } },
    } as NonNullable<ZotAppProps['release']>,
  };
}

/** An S3 store zot v2.1.18 starts with (dedupe off: no remote cache needed; keys from the SDK's default chain). */
export function s3Config(
  driver: Record<string, unknown>,
  storage: Record<string, unknown> = {},
): Record<string, unknown> {
  return zotConfig(
    {},
    {
      storage: {
        rootDirectory: '/zot',
        dedupe: false,
        storageDriver: { name: 's3', region: 'eu-west-1', bucket: 'zot-images', secure: true, ...driver },
        ...storage,
      },
    },
  );
}

/** A config zot loads without any authentication: what the side doors point zot at. */
export const OPEN = JSON.stringify({
  storage: { rootDirectory: ROOT },
  http: { address: '0.0.0.0', port: '5000', readTimeout: '30m', writeTimeout: '30m' },
  log: { level: 'info' },
});
/** The chart's secretFiles with the htpasswd line and that open config beside it. */
export const OPEN_CONFIG_SECRET = { htpasswd: '${COMMON_OCI}', 'open.json': OPEN };

export const SECRETS = { kind: 'Secret', name: 'common-secrets' } as const;
export const SETTINGS = { kind: 'ConfigMap', name: 'cluster-settings' } as const;
export const ADMIN = { name: 'admin', variable: 'COMMON_OCI', admin: true };
/** A user who may create but not update. */
export const CI = { name: 'ci', variable: 'ZOT_CI', actions: ['read', 'create'] as ZotAction[] };

// ---- the runner -------------------------------------------------------------------------------------

/**
 * The cases as jest tests: each runs on a copy of a tree synthesized from the seed (on `chartVersion`,
 * the chart the cases use), which must come out byte-identical, and into an empty folder, which must stay
 * empty; synth must exit 1 with every `names` entry in stderr and nothing on stdout.
 */
export function hostileSuite(title: string, cases: readonly HostileCase[], chartVersion?: string): void {
  describe(title, () => {
    let seed: string;
    beforeAll(() => {
      seed = tempDir();
      const r = synth(seed, () => appWith(chartVersion ? { release: { chartVersion } } : {}));
      if (r.code !== 0) throw new Error(r.stderr);
    });

    test('every case is named once and cites its source', () => {
      const names = cases.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const c of cases) expect(c.source).toMatch(/\S{3,} .*\S/);
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const root = tempDir();
      fs.cpSync(seed, root, { recursive: true });
      const before = hashTree(root);
      const r = synth(root, () => appWith(c.props));
      for (const n of c.names) {
        if (typeof n === 'string') expect(r.stderr).toContain(n);
        else expect(r.stderr).toMatch(n);
      }
      expect(r.stderr).toContain('nothing was written');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(hashTree(root)).toBe(before);

      const empty = tempDir();
      expect(synth(empty, () => appWith(c.props)).code).toBe(1);
      expect(fs.existsSync(path.join(empty, 'clusters'))).toBe(false);
      expect(readTree(empty).size).toBe(0);
    });
  });
}
