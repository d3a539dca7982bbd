// Checks on the whole generated tree, before anything is written: what Flux, the API server or zot
// would refuse later, on every cluster at once, is refused here with an error a person can act on.
import * as yaml from 'js-yaml';
import { findExpressions, substitute } from './envsubst';
import { validateAgainstCrd } from './schema';
import { SynthError } from './synth-error';
import { ZOT_CHART_NAME, ZOT_CONFIG_FILE, ZOT_SECRET_MOUNT_DIR, zotServiceName } from './zot-chart';
import { validateZotConfig, ZotConfig } from './zot-config';

/** HTTPRoute hostname pattern (Gateway API v1.6.1). */
export const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1123 label: Namespace names, and every name that becomes a label value or Service name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: names of most objects. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A bcrypt hash (`$2a$`, `$2b$`, `$2y$`) or any htpasswd-style hash: never allowed in generated output. */
export const CREDENTIAL_PATTERNS: ReadonlyArray<{ what: string; re: RegExp }> = [
  { what: 'a bcrypt hash', re: /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/ },
  { what: 'an htpasswd line', re: /(^|[\s"'])[^\s:"'$]+:(\$(2[abxy]?|apr1|1|5|6)\$|\{SHA\})/m },
];

/** The first credential-looking string in a text, described; undefined when there is none. */
export function findCredential(text: string): string | undefined {
  for (const { what, re } of CREDENTIAL_PATTERNS) {
    const m = re.exec(text);
    if (m) return `${what} ('${m[0].trim().slice(0, 12)}...')`;
  }
  return undefined;
}

/** A stand-in value per variable, for checks that need substituted text. */
export function sampleValue(variable: string): string {
  return /DOMAIN/i.test(variable) ? 'example.com' : 'sample';
}

/** Errors of an HTTPRoute's hostnames after Flux substitutes `variables` (strict: a missing one is an error). */
export function hostnameErrors(route: any, variables: Record<string, string>): string[] {
  const errors: string[] = [];
  (route?.spec?.hostnames ?? []).forEach((h: string, i: number) => {
    const used = findExpressions(h).map((e) => e.name);
    const missing = used.filter((v) => !(v in variables) || variables[v] === '');
    const value = substitute(h, variables);
    if (!HOSTNAME_PATTERN.test(value)) {
      const why = missing.length ? ` because ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty or undefined` : '';
      errors.push(`HTTPRoute/${route.metadata?.name} spec.hostnames[${i}]: '${h}' becomes '${value}'${why}, which is not a valid hostname`);
    }
  });
  return errors;
}

function nameErrors(obj: any): string[] {
  const errors: string[] = [];
  const name = obj?.metadata?.name;
  const ns = obj?.metadata?.namespace;
  const id = `${obj?.kind}/${name}`;
  if (obj?.apiVersion === 'kustomize.config.k8s.io/v1beta1') {
    if (obj.namespace !== undefined && (!DNS_LABEL.test(obj.namespace) || obj.namespace.length > 63)) {
      errors.push(`kustomization namespace: '${obj.namespace}' is not a valid namespace name (RFC 1123 label, at most 63 characters)`);
    }
    return errors;
  }
  const labelKinds = ['Namespace', 'HelmRelease', 'HTTPRoute', 'Kustomization'];
  const re = labelKinds.includes(obj.kind) ? DNS_LABEL : DNS_SUBDOMAIN;
  const max = labelKinds.includes(obj.kind) ? 63 : 253;
  if (typeof name !== 'string' || !re.test(name) || name.length > max) {
    errors.push(`${id} metadata.name: '${name}' is not a valid name (lowercase letters, digits and '-', at most ${max} characters)`);
  }
  if (ns !== undefined && (!DNS_LABEL.test(ns) || ns.length > 63)) {
    errors.push(`${id} metadata.namespace: '${ns}' is not a valid namespace name`);
  }
  if (obj.kind === 'HelmRelease') {
    const release = obj.spec?.releaseName ?? (obj.spec?.targetNamespace ? `${obj.spec.targetNamespace}-${name}` : name);
    if (String(release).length > 53) errors.push(`${id}: Helm release name '${release}' is longer than 53 characters`);
  }
  if (obj.kind === 'Kustomization' && obj.spec?.targetNamespace !== undefined && !DNS_LABEL.test(obj.spec.targetNamespace)) {
    errors.push(`${id} spec.targetNamespace: '${obj.spec.targetNamespace}' is not a valid namespace name`);
  }
  if (obj.kind === 'HTTPRoute') {
    for (const [i, p] of (obj.spec?.parentRefs ?? []).entries()) {
      if (!DNS_SUBDOMAIN.test(p.name ?? '')) errors.push(`${id} spec.parentRefs[${i}].name: '${p.name}' is not a valid Gateway name`);
      if (p.namespace !== undefined && !DNS_LABEL.test(p.namespace)) errors.push(`${id} spec.parentRefs[${i}].namespace: '${p.namespace}' is not a valid namespace name`);
    }
  }
  return errors;
}

/** What the zot chart 0.1.98 needs of a HelmRelease's values for the pod to start as configured. */
export function zotReleaseErrors(obj: any): string[] {
  if (obj?.kind !== 'HelmRelease' || obj.spec?.chart?.spec?.chart !== ZOT_CHART_NAME) return [];
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

/** Every check on the generated files; throws one SynthError listing all problems, naming file, field and value. */
export function validateFiles(files: ReadonlyMap<string, string>): void {
  const problems: string[] = [];
  const servicePorts = new Map<string, number>();
  const routes: Array<{ path: string; dir: string; route: any }> = [];
  for (const [path, text] of files) {
    const where = (msg: string) => problems.push(`${path}: ${msg}`);
    const credential = findCredential(text);
    if (credential) where(`contains ${credential}; credentials enter only through Flux variables`);
    if (!path.endsWith('.yaml')) continue;
    // Checked as Flux will apply it: each variable replaced by a sample value first. The parser only
    // yields names Flux accepts; a `${` it cannot parse is the error.
    const sample: Record<string, string> = {};
    try {
      for (const e of findExpressions(text)) sample[e.name] = sampleValue(e.name);
    } catch (e: any) {
      where(`${e.message} (flux would fail the whole reconciliation on every cluster)`);
      continue;
    }
    for (const obj of yaml.loadAll(substitute(text, sample)) as any[]) {
      if (!obj) continue;
      for (const e of validateAgainstCrd(obj) ?? []) where(e);
      for (const e of nameErrors(obj)) where(e);
      for (const e of zotReleaseErrors(obj)) where(e);
      const dir = path.slice(0, path.lastIndexOf('/'));
      if (obj.kind === 'HelmRelease' && obj.spec?.chart?.spec?.chart === ZOT_CHART_NAME) {
        servicePorts.set(`${dir}/${zotServiceName(obj.metadata.name)}`, obj.spec.values?.service?.port);
      }
      if (obj.kind === 'HTTPRoute') routes.push({ path, dir, route: obj });
    }
  }
  for (const { path, dir, route } of routes) {
    (route.spec?.rules ?? []).forEach((rule: any, i: number) => (rule.backendRefs ?? []).forEach((b: any, j: number) => {
      const port = servicePorts.get(`${dir}/${b.name}`);
      if (port !== undefined && b.port !== port) {
        problems.push(`${path}: HTTPRoute/${route.metadata?.name} spec.rules[${i}].backendRefs[${j}].port: ${b.port} differs from Service ${b.name}'s port ${port}`);
      }
    }));
  }
  if (problems.length) {
    throw new SynthError(`the generated tree would be refused:\n  - ${problems.join('\n  - ')}`);
  }
}
