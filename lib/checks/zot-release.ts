// What the zot chart needs of a HelmRelease's values for the pod to start as configured, and
// whether the zot version it deploys starts with its config.json (lib/zot/startup.ts).
import { Problem, ZotFluxError } from '../core/error';
import { parseJsonWithin } from '../core/nesting';
import { ZOT_CHART_NAME, ZOT_CONFIG_FILE, ZOT_SECRET_MOUNT_DIR } from '../zot/chart';
import { zotVersionOfChart } from '../zot/chart-versions';
import { LoadedZotConfig, loadZotConfig, normalizeZotVersion } from '../zot/startup';
import { configAccess, effectiveAccessTable } from '../zot/access';
import { valueAt } from '../k8s/objects';

/**
 * The opt-in for anonymous writes: the HelmRelease annotation listing the repository globs on which
 * anonymous clients may write, each with the actions (ZotRelease prop `anonymousWrite`):
 * `tailnet/**=create, scratch/**=create+update+delete`. Visible in the generated output on purpose:
 * a reviewer sees it in the diff. A glob without `=` (the annotation before actions were named)
 * allows create, update and delete.
 */
export const ANONYMOUS_WRITE_ANNOTATION = 'zot-flux.io/anonymous-write';

const WRITE_ACTIONS = ['create', 'update', 'delete'] as const;
type WriteAction = (typeof WRITE_ACTIONS)[number];

/** The annotation's value for anonymous-write grants (globs in order, actions in zot's order). */
export function anonymousWriteAnnotation(
  grants: ReadonlyArray<{ readonly repositories: readonly string[]; readonly actions: readonly string[] }>,
): string {
  const byGlob = new Map<string, Set<string>>();
  for (const g of grants)
    for (const r of g.repositories) {
      const set = byGlob.get(r) ?? new Set<string>();
      for (const a of g.actions) set.add(a);
      byGlob.set(r, set);
    }
  return [...byGlob]
    .map(([glob, actions]) => `${glob}=${WRITE_ACTIONS.filter((a) => actions.has(a)).join('+')}`)
    .join(', ');
}

/** The globs a zot HelmRelease opts in to anonymous writes on, each with the write actions it allows. */
export function anonymousWriteOptIn(obj: unknown): Map<string, Set<WriteAction>> {
  const v = valueAt(obj, 'metadata', 'annotations', ANONYMOUS_WRITE_ANNOTATION);
  const out = new Map<string, Set<WriteAction>>();
  if (typeof v !== 'string') return out;
  for (const entry of v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.lastIndexOf('=');
    const glob = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const actions =
      eq < 0
        ? [...WRITE_ACTIONS]
        : entry
            .slice(eq + 1)
            .split('+')
            .map((a) => a.trim())
            .filter((a): a is WriteAction => (WRITE_ACTIONS as readonly string[]).includes(a));
    const set = out.get(glob) ?? new Set<WriteAction>();
    for (const a of actions) set.add(a);
    out.set(glob, set);
  }
  return out;
}

/**
 * The registry stays closed: whatever config.json arrives (typed props, valuesOverrides, a
 * hand-written one, the file the rendered pod really loads), it is loaded as zot loads it (viper:
 * empty maps dropped, "::" keys winning; lib/zot/startup.ts loadZotConfig), the authentication zot
 * really enables is decided by zot's own predicates (lib/zot/authentication.ts), and no
 * authentication, or anonymous create/update/delete on a repository pattern, is refused unless the
 * release opts in to exactly that glob and those actions. Decided by the model of zot's own
 * authorization for the deployed version (lib/zot/access.ts: longest match, admin policy).
 */
export function closedRegistryErrors(obj: unknown, config: unknown, zot: string, source = 'config.json'): string[] {
  const id = `HelmRelease/${valueAt(obj, 'metadata', 'name')}`;
  const optIn = anonymousWriteOptIn(obj);
  const errors: string[] = [];
  const { authentication, accessControl } = configAccess(config, zot);
  if (!authentication) {
    const all = optIn.get('**');
    if (!all || all.size < WRITE_ACTIONS.length) {
      errors.push(
        `${id} ${source} http.auth: ${authenticationAsWritten(config)}: zot ${zot} enables no authentication with it, so anyone who reaches it can read and write everything (the registry must stay closed; an explicit anonymousWrite of create, update and delete on '**' is the only way to allow that)`,
      );
    }
    return errors;
  }
  let table;
  try {
    table = effectiveAccessTable(accessControl, zot, { authentication });
  } catch (e) {
    return [`${id} ${source} http.accessControl: ${valueAt(e, 'message')}`];
  }
  for (const r of table.rows) {
    if (r.subject !== 'anonymous') continue;
    const allowed = optIn.get(r.pattern) ?? new Set<WriteAction>();
    const writes = WRITE_ACTIONS.filter((a) => r[a] !== 'denied' && !allowed.has(a));
    if (writes.length) {
      errors.push(
        `${id} ${source} http.accessControl: anonymous clients could ${writes.join(', ')} on '${r.pattern}' (zot ${zot}); the registry stays closed unless anonymousWrite grants ${writes.join(', ')} on '${r.pattern}'`,
      );
    }
  }
  return errors;
}

/** What http.auth says as written, and the "::" keys viper reads into it: the value that opens the registry, for the message. */
function authenticationAsWritten(config: unknown): string {
  const http =
    config && typeof config === 'object'
      ? Object.entries(config).find(([k]) => k.toLowerCase() === 'http')?.[1]
      : undefined;
  const auth =
    http && typeof http === 'object' ? Object.entries(http).find(([k]) => k.toLowerCase() === 'auth')?.[1] : undefined;
  const delimited: string[] = [];
  const walk = (x: unknown, at: string) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return;
    for (const [k, v] of Object.entries(x)) {
      const p = at ? `${at}.${k}` : k;
      if (k.includes('::')) delimited.push(p);
      walk(v, p);
    }
  };
  walk(config, '');
  const shown =
    auth === undefined
      ? 'is not set'
      : `${JSON.stringify(auth, (k, v) => (/path|cert|key|secret|password|credentials/i.test(k) && typeof v === 'string' && v !== '' ? '…' : v))}`;
  return delimited.length
    ? `${shown} (and viper's "::" key${delimited.length > 1 ? 's' : ''} ${delimited.map((d) => `'${d}'`).join(', ')} win${delimited.length > 1 ? '' : 's'} over nested keys)`
    : shown;
}

/**
 * Where a config.json gives anonymous clients what a signed-in user lacks (the table's "SIGNED-IN
 * LESS THAN ANONYMOUS"): zot applies anonymousPolicy only to clients without credentials (zot
 * v2.1.14..v2.1.20 pkg/api/authz.go isPermitted), and docker sends credentials whenever it has them.
 * The config synth compiles never does this (anonymous grants are in defaultPolicy too); a
 * hand-written one may. Warnings, not errors: the registry stays closed either way.
 */
export function signedInBelowAnonymous(config: unknown, zot: string): string[] {
  const { authentication, accessControl } = configAccess(config, zot);
  if (!authentication) return [];
  try {
    return effectiveAccessTable(accessControl, zot, { authentication }).warnings.filter((w) =>
      w.startsWith('SIGNED-IN LESS THAN ANONYMOUS'),
    );
  } catch {
    return []; // closedRegistryErrors reports an accessControl zot would not read
  }
}

/** Whether an object is a HelmRelease of the zot chart. */
export function isZotRelease(obj: unknown): boolean {
  return valueAt(obj, 'kind') === 'HelmRelease' && valueAt(obj, 'spec', 'chart', 'spec', 'chart') === ZOT_CHART_NAME;
}

/** The zot version a zot HelmRelease deploys: the values' `image.tag`, else its chart's. */
export function deployedZotVersion(obj: unknown): string {
  const tag = valueAt(obj, 'spec', 'values', 'image', 'tag');
  return typeof tag === 'string' && tag !== ''
    ? normalizeZotVersion(tag)
    : zotVersionOfChart(String(valueAt(obj, 'spec', 'chart', 'spec', 'version')));
}

/** Object.keys of a parsed value, nothing for undefined or null (Object.keys reads a string's indices, as it always did here). */
function keysOf(value: unknown): string[] {
  return Object.keys(Object(value ?? {}));
}

export interface ReleaseCheck {
  readonly errors: string[];
  readonly warnings: Problem[];
}

/** Errors (and zot's start-up warnings) of a zot HelmRelease's values: config.json mounted and accepted by the deployed zot, htpasswd where the chart mounts it, ports in line. */
export function zotReleaseCheck(obj: unknown): ReleaseCheck {
  if (!isZotRelease(obj)) return { errors: [], warnings: [] };
  const id = `HelmRelease/${valueAt(obj, 'metadata', 'name')}`;
  const v = valueAt(obj, 'spec', 'values') ?? {};
  const errors: string[] = [];
  const warnings: Problem[] = [];
  const written = valuesConfig(id, v, errors);
  if (!written) return { errors, warnings };
  const { config } = written;
  let zot: string;
  try {
    zot = deployedZotVersion(obj);
  } catch (e) {
    return { errors: [...errors, `${id}: ${valueAt(e, 'message')}`], warnings };
  }
  const startup = loadZotConfig(config, zot);
  startupProblems(id, zot, startup, errors, warnings);
  if (startup.errors.length) return { errors, warnings };
  errors.push(...closedRegistryErrors(obj, config, zot));
  for (const w of signedInBelowAnonymous(config, zot))
    warnings.push({ field: `${id} config.json http.accessControl`, reason: `${w} (zot ${zot})` });
  // What zot runs with: the config as it loads it (viper's "::" keys, zot's defaults), not as written.
  const loaded: unknown = startup.config ?? {};
  errors.push(...servingErrors(id, v, loaded, zot));
  errors.push(...openSignUpErrors(id, config, loaded, zot));
  errors.push(...htpasswdErrors(id, v, loaded));
  errors.push(...portErrors(id, v, loaded, config));
  return { errors, warnings };
}

/** The values' config.json, parsed; undefined (errors pushed) when the chart would not mount it as the one file or it does not parse. */
function valuesConfig(id: string, v: unknown, errors: string[]): { config: unknown } | undefined {
  const keys = keysOf(valueAt(v, 'configFiles'));
  const mountConfig = valueAt(v, 'mountConfig');
  if (mountConfig !== true)
    errors.push(`${id} values.mountConfig: '${mountConfig}': must be true, or the chart does not mount config.json`);
  if (keys.length !== 1 || keys[0] !== ZOT_CONFIG_FILE) {
    errors.push(
      `${id} values.configFiles: keys [${keys.join(', ')}]: must be exactly '${ZOT_CONFIG_FILE}' (the image runs zot serve /etc/zot/${ZOT_CONFIG_FILE})`,
    );
    return undefined;
  }
  try {
    // JSON.parse reads its argument as a string (String() is what it does first)
    return { config: parseJsonWithin(String(valueAt(v, 'configFiles', ZOT_CONFIG_FILE)), ZOT_CONFIG_FILE) };
  } catch (e) {
    const why = ZotFluxError.isZotFluxError(e) ? e.reason : `not JSON (${valueAt(e, 'message')})`;
    errors.push(`${id} values.configFiles["${ZOT_CONFIG_FILE}"]: ${why}`);
    return undefined;
  }
}

/** What zot does at start-up with the config: its refusals as errors, its notes as warnings. */
function startupProblems(
  id: string,
  zot: string,
  startup: LoadedZotConfig,
  errors: string[],
  warnings: Problem[],
): void {
  const where = (p: Problem) =>
    `${id} config.json ${p.field || '(root)'}${p.value === undefined ? '' : `: ${JSON.stringify(p.value)}`} ${p.reason}`;
  for (const p of startup.errors) errors.push(`${where(p)} (zot ${zot} refuses to start)`);
  for (const p of startup.warnings)
    warnings.push({
      field: `${id} config.json ${p.field || '(root)'}`,
      value: p.value,
      reason: `${p.reason} (zot ${zot})`,
    });
}

/** The htpasswd file zot loads must be a file of the Secret the chart mounts. */
function htpasswdErrors(id: string, v: unknown, loaded: unknown): string[] {
  const htpasswdPath = valueAt(loaded, 'http', 'auth', 'htpasswd', 'path') || undefined;
  if (htpasswdPath === undefined) return [];
  const secretKeys = keysOf(valueAt(v, 'secretFiles'));
  const mounted = valueAt(v, 'mountSecret') === true ? secretKeys.map((k) => `${ZOT_SECRET_MOUNT_DIR}/${k}`) : [];
  if (mounted.some((m) => m === htpasswdPath)) return [];
  return [
    `${id} config.json http.auth.htpasswd.path: '${htpasswdPath}' is not where the chart mounts the Secret ` +
      `(${mounted.length ? mounted.join(', ') : 'mountSecret is off or secretFiles is empty'}); zot would not start`,
  ];
}

/** The Service's and the probes' port must be zot's http.port as zot loads it. */
function portErrors(id: string, v: unknown, loaded: unknown, config: unknown): string[] {
  const errors: string[] = [];
  const port = Number(valueAt(loaded, 'http', 'port'));
  for (const [field, value] of [
    ['values.service.port', valueAt(v, 'service', 'port')],
    ['values.httpGet.port', valueAt(v, 'httpGet', 'port') ?? 5000],
  ] as const) {
    if (value !== port)
      errors.push(
        `${id} ${field}: ${value} differs from zot's http.port ${port}${port !== Number(valueAt(config, 'http', 'port')) ? ` (as zot loads config.json: ${delimitedKeysNote(config)})` : ''}`,
      );
  }
  return errors;
}

/** The "::" keys of a config, for messages: what viper reads differently from what is written. */
function delimitedKeysNote(config: unknown): string {
  const keys: string[] = [];
  const walk = (x: unknown, at: string) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return;
    for (const [k, v] of Object.entries(x)) {
      const p = at ? `${at}.${k}` : k;
      if (k.includes('::')) keys.push(`'${p}'`);
      walk(v, p);
    }
  };
  walk(config, '');
  return keys.length ? `viper's "::" key ${keys.join(', ')} wins over the nested key` : "zot's default";
}

/**
 * Whether the pod serves at all: zot listens on `address:port` (zot v2.1.14..v2.1.20
 * pkg/api/controller.go Run: fmt.Sprintf("%s:%s", address, port) → net.Listen), and the kubelet's
 * probes and the Service reach the pod's IP, so only an address that binds every interface works:
 * 0.0.0.0, [::] or empty. zot's own default is 127.0.0.1 (config.New). The probes' scheme must match
 * what zot serves: HTTPS exactly when http.tls has a cert and key (Run: ListenAndServeTLS).
 */
function servingErrors(id: string, values: unknown, loaded: unknown, zot: string): string[] {
  const errors: string[] = [];
  const address = String(valueAt(loaded, 'http', 'address') ?? '');
  if (!['0.0.0.0', '', '[::]'].includes(address)) {
    errors.push(
      `${id} config.json http.address: '${address}' is where zot ${zot} listens (as it loads config.json${address === '127.0.0.1' ? ", zot's default when unset" : ''}): the probes and the Service reach the pod's IP, so the pod never becomes ready; use '0.0.0.0'`,
    );
  }
  const tls = Boolean(valueAt(loaded, 'http', 'tls', 'cert')) && Boolean(valueAt(loaded, 'http', 'tls', 'key'));
  const written = valueAt(values, 'httpGet', 'scheme') ?? 'HTTP';
  const scheme = String(written).toUpperCase();
  if ((scheme === 'HTTPS') !== tls) {
    errors.push(
      `${id} values.httpGet.scheme: '${written}' does not match what zot ${zot} serves (${tls ? 'HTTPS: http.tls has a cert and key' : 'plain HTTP: no http.tls cert and key'}): the probes never pass`,
    );
  }
  return errors;
}

/**
 * Sign-in anyone can get: with an OpenID provider whose accounts anyone can open (github, google:
 * zot v2.1.14..v2.1.20 pkg/api/config/config.go oauth2SupportedProviders / openIDSupportedProviders,
 * the public services), every account there is a signed-in user, and zot's defaultPolicy applies to
 * every signed-in user (pkg/api/authz.go isPermitted). Writes in a defaultPolicy then reach everyone.
 */
function openSignUpErrors(id: string, config: unknown, loaded: unknown, zot: string): string[] {
  const providers = keysOf(valueAt(loaded, 'http', 'auth', 'openid', 'providers')).filter(
    (p) => p === 'github' || p === 'google',
  );
  if (!providers.length) return [];
  const { accessControl, authentication } = configAccess(config, zot);
  if (!authentication) return [];
  let table;
  try {
    table = effectiveAccessTable(accessControl, zot, { authentication });
  } catch {
    return [];
  }
  return table.rows
    .filter(
      (r) =>
        r.subject === 'any signed-in user' && (['create', 'update', 'delete'] as const).some((a) => r[a] !== 'denied'),
    )
    .map(
      (r) =>
        `${id} config.json http.accessControl: every signed-in user may ${(['create', 'update', 'delete'] as const).filter((a) => r[a] !== 'denied').join(', ')} on '${r.pattern}' (defaultPolicy), and OpenID provider ${providers.join(', ')} signs in anyone with an account there: anyone on ${providers.join(' or ')} could write; grant writes to named users or groups instead`,
    );
}
