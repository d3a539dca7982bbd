// What the zot chart needs of a HelmRelease's values for the pod to start as configured.
import { ZOT_CHART_NAME, ZOT_CONFIG_FILE, ZOT_SECRET_MOUNT_DIR } from '../zot/chart';
import { validateZotConfig, ZotConfig } from '../zot/config';

/** Whether an object is a HelmRelease of the zot chart. */
export function isZotRelease(obj: any): boolean {
  return obj?.kind === 'HelmRelease' && obj.spec?.chart?.spec?.chart === ZOT_CHART_NAME;
}

/** Errors of a zot HelmRelease's values: config.json mounted and valid, htpasswd where the chart mounts it, ports in line. */
export function zotReleaseErrors(obj: any): string[] {
  if (!isZotRelease(obj)) return [];
  const id = `HelmRelease/${obj.metadata?.name}`;
  const v = obj.spec.values ?? {};
  const errors: string[] = [];
  const keys = Object.keys(v.configFiles ?? {});
  if (v.mountConfig !== true) errors.push(`${id} values.mountConfig: '${v.mountConfig}': must be true, or the chart does not mount config.json`);
  if (keys.length !== 1 || keys[0] !== ZOT_CONFIG_FILE) {
    errors.push(`${id} values.configFiles: keys [${keys.join(', ')}]: must be exactly '${ZOT_CONFIG_FILE}' (the image runs zot serve /etc/zot/${ZOT_CONFIG_FILE})`);
    return errors;
  }
  let config: ZotConfig;
  try {
    config = JSON.parse(v.configFiles[ZOT_CONFIG_FILE]);
  } catch (e: any) {
    return [...errors, `${id} values.configFiles["${ZOT_CONFIG_FILE}"]: not JSON (${e.message})`];
  }
  try {
    validateZotConfig(config);
  } catch (e: any) {
    errors.push(`${id} ${e.message}`);
    return errors;
  }
  const htpasswdPath = config.http.auth?.htpasswd?.path;
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
  const port = Number(config.http.port);
  for (const [field, value] of [['values.service.port', v.service?.port], ['values.httpGet.port', v.httpGet?.port ?? 5000]] as const) {
    if (value !== port) errors.push(`${id} ${field}: ${value} differs from zot's http.port ${port}`);
  }
  return errors;
}
