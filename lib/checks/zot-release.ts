// What the zot chart needs of a HelmRelease's values for the pod to start as configured, and
// whether the zot version it deploys starts with its config.json (lib/zot/startup.ts).
import { Problem } from '../core/error';
import { ZOT_CHART_NAME, ZOT_CONFIG_FILE, ZOT_SECRET_MOUNT_DIR } from '../zot/chart';
import { zotVersionOfChart } from '../zot/chart-versions';
import { normalizeZotVersion, verifyZotConfig } from '../zot/startup';
import { configAccess, effectiveAccessTable } from '../zot/access';

/**
 * The opt-in for anonymous writes: the HelmRelease annotation listing the repository globs on which
 * anonymous clients may create, update or delete (ZotRelease prop `anonymousWrite`). Visible in the
 * generated output on purpose: a reviewer sees it in the diff.
 */
export const ANONYMOUS_WRITE_ANNOTATION = 'zot-flux.io/anonymous-write';

/** The globs a zot HelmRelease opts in to anonymous writes on. */
export function anonymousWriteOptIn(obj: any): string[] {
  const v = obj?.metadata?.annotations?.[ANONYMOUS_WRITE_ANNOTATION];
  return typeof v === 'string' && v.trim() !== '' ? v.split(',').map((g) => g.trim()).filter(Boolean) : [];
}

/**
 * The registry stays closed: whatever config.json arrives (typed props, valuesOverrides, a
 * hand-written one), no authentication, or anonymous create/update/delete on a repository pattern,
 * is refused unless the release opts in to exactly those globs. Decided by the model of zot's own
 * authorization for the deployed version (lib/zot/access.ts: longest match, admin policy).
 */
export function closedRegistryErrors(obj: any, config: any, zot: string): string[] {
  const id = `HelmRelease/${obj.metadata?.name}`;
  const optIn = anonymousWriteOptIn(obj);
  const errors: string[] = [];
  // zot's own rule for "authentication is configured" (lib/zot/access.ts configAccess: htpasswd with a path, ldap, openid, apikey, bearer, mTLS).
  const { authentication } = configAccess(config);
  if (!authentication && !optIn.includes('**')) {
    errors.push(`${id} config.json http.auth: is not set: zot would let anyone who reaches it read and write everything (the registry must stay closed; an explicit anonymousWrite: ['**'] is the only way to allow that)`);
    return errors;
  }
  let table;
  try {
    table = effectiveAccessTable(config?.http?.accessControl, zot, { authentication });
  } catch (e: any) {
    return [`${id} config.json http.accessControl: ${e.message}`];
  }
  for (const r of table.rows) {
    if (r.subject !== 'anonymous') continue;
    const writes = (['create', 'update', 'delete'] as const).filter((a) => r[a] !== 'denied');
    if (writes.length && !optIn.includes(r.pattern)) {
      errors.push(`${id} config.json http.accessControl: anonymous clients could ${writes.join(', ')} on '${r.pattern}' (zot ${zot}); the registry stays closed unless anonymousWrite lists '${r.pattern}'`);
    }
  }
  return errors;
}

/**
 * Where a config.json gives anonymous clients what a signed-in user lacks (the table's "SIGNED-IN
 * LESS THAN ANONYMOUS"): zot applies anonymousPolicy only to clients without credentials (zot
 * v2.1.14..v2.1.20 pkg/api/authz.go isPermitted), and docker sends credentials whenever it has them.
 * The config synth compiles never does this (anonymous grants are in defaultPolicy too); a
 * hand-written one may. Warnings, not errors: the registry stays closed either way.
 */
export function signedInBelowAnonymous(config: any, zot: string): string[] {
  const { authentication } = configAccess(config);
  if (!authentication) return [];
  try {
    return effectiveAccessTable(config?.http?.accessControl, zot, { authentication }).warnings.filter((w) => w.startsWith('SIGNED-IN LESS THAN ANONYMOUS'));
  } catch {
    return []; // closedRegistryErrors reports an accessControl zot would not read
  }
}

/** Whether an object is a HelmRelease of the zot chart. */
export function isZotRelease(obj: any): boolean {
  return obj?.kind === 'HelmRelease' && obj.spec?.chart?.spec?.chart === ZOT_CHART_NAME;
}

/** The zot version a zot HelmRelease deploys: the values' `image.tag`, else its chart's. */
export function deployedZotVersion(obj: any): string {
  const tag = obj?.spec?.values?.image?.tag;
  return typeof tag === 'string' && tag !== '' ? normalizeZotVersion(tag) : zotVersionOfChart(String(obj?.spec?.chart?.spec?.version));
}

export interface ReleaseCheck {
  readonly errors: string[];
  readonly warnings: Problem[];
}

/** Errors (and zot's start-up warnings) of a zot HelmRelease's values: config.json mounted and accepted by the deployed zot, htpasswd where the chart mounts it, ports in line. */
export function zotReleaseCheck(obj: any): ReleaseCheck {
  if (!isZotRelease(obj)) return { errors: [], warnings: [] };
  const id = `HelmRelease/${obj.metadata?.name}`;
  const v = obj.spec.values ?? {};
  const errors: string[] = [];
  const warnings: Problem[] = [];
  const keys = Object.keys(v.configFiles ?? {});
  if (v.mountConfig !== true) errors.push(`${id} values.mountConfig: '${v.mountConfig}': must be true, or the chart does not mount config.json`);
  if (keys.length !== 1 || keys[0] !== ZOT_CONFIG_FILE) {
    errors.push(`${id} values.configFiles: keys [${keys.join(', ')}]: must be exactly '${ZOT_CONFIG_FILE}' (the image runs zot serve /etc/zot/${ZOT_CONFIG_FILE})`);
    return { errors, warnings };
  }
  let config: any;
  try {
    config = JSON.parse(v.configFiles[ZOT_CONFIG_FILE]);
  } catch (e: any) {
    return { errors: [...errors, `${id} values.configFiles["${ZOT_CONFIG_FILE}"]: not JSON (${e.message})`], warnings };
  }
  let zot: string;
  try {
    zot = deployedZotVersion(obj);
  } catch (e: any) {
    return { errors: [...errors, `${id}: ${e.message}`], warnings };
  }
  const startup = verifyZotConfig(config, zot);
  const where = (p: Problem) => `${id} config.json ${p.field || '(root)'}${p.value === undefined ? '' : `: ${JSON.stringify(p.value)}`} ${p.reason}`;
  for (const p of startup.errors) errors.push(`${where(p)} (zot ${zot} refuses to start)`);
  for (const p of startup.warnings) warnings.push({ field: `${id} config.json ${p.field || '(root)'}`, value: p.value, reason: `${p.reason} (zot ${zot})` });
  if (startup.errors.length) return { errors, warnings };
  errors.push(...closedRegistryErrors(obj, config, zot));
  for (const w of signedInBelowAnonymous(config, zot)) warnings.push({ field: `${id} config.json http.accessControl`, reason: `${w} (zot ${zot})` });
  const htpasswdPath = config?.http?.auth?.htpasswd?.path;
  if (htpasswdPath !== undefined) {
    const secretKeys = Object.keys(v.secretFiles ?? {});
    const mounted = v.mountSecret === true ? secretKeys.map((k) => `${ZOT_SECRET_MOUNT_DIR}/${k}`) : [];
    if (!mounted.includes(htpasswdPath)) {
      errors.push(
        `${id} config.json http.auth.htpasswd.path: '${htpasswdPath}' is not where the chart mounts the Secret ` +
        `(${mounted.length ? mounted.join(', ') : 'mountSecret is off or secretFiles is empty'}); zot would not start`,
      );
    }
  }
  const port = Number(config?.http?.port);
  for (const [field, value] of [['values.service.port', v.service?.port], ['values.httpGet.port', v.httpGet?.port ?? 5000]] as const) {
    if (value !== port) errors.push(`${id} ${field}: ${value} differs from zot's http.port ${port}`);
  }
  return { errors, warnings };
}
