// What the zot chart really renders from a HelmRelease's values, checked on helm's output (so it
// holds for every chart version without modelling its templates): zot finds its config and its
// htpasswd file, the ports line up, the registry's storage is the PVC, the probes reach zot, and
// the API server accepts the objects' names and mounts.
import { Problem } from '../core/error';

/** The objects `helm template` rendered, and the values and config.json they were rendered from. */
export interface RenderedChart {
  readonly objects: readonly any[];
  readonly values: any;
  /** The config.json the values carry (parsed). */
  readonly config: any;
  /** What is checked, for messages: `HelmRelease/zot (chart 0.1.98)`. */
  readonly what: string;
}

/** Service names: RFC 1035 labels (apimachinery validation IsDNS1035Label, used for Service names). */
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/**
 * A StatefulSet's name plus `-` and a 10-character revision hash becomes the pod label
 * `controller-revision-hash`, which may hold 63 characters: names over 52 break every rollout
 * (kubernetes pkg/controller/history: ControllerRevisionName; label values at most 63).
 */
const STATEFULSET_NAME_MAX = 52;
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

function problem(what: string, field: string, value: unknown, reason: string): Problem {
  return { field: `${what} ${field}`, value, reason };
}

/** What stops a rendered zot chart from running as configured: names, mounts, the config and htpasswd files, ports. */
export function renderedChartErrors(r: RenderedChart): Problem[] {
  const out: Problem[] = [];
  const p = (field: string, value: unknown, reason: string) => out.push(problem(r.what, field, value, reason));
  const workloads = r.objects.filter((o) => o?.kind === 'StatefulSet' || o?.kind === 'Deployment');
  if (workloads.length !== 1) {
    p(
      'workload',
      workloads.map((w) => `${w.kind}/${w.metadata?.name}`),
      'is not exactly one StatefulSet or Deployment',
    );
    return out;
  }
  const w = workloads[0];
  const id = `${w.kind}/${w.metadata.name}`;
  const podSpec = w.spec?.template?.spec ?? {};
  const zot = (podSpec.containers ?? []).find((c: any) => c.name === 'zot') ?? (podSpec.containers ?? [])[0];
  if (!zot) {
    p(id, undefined, 'has no container');
    return out;
  }
  const volumes = new Map<string, any>((podSpec.volumes ?? []).map((v: any) => [v.name, v]));
  const claims = new Map<string, any>((w.spec?.volumeClaimTemplates ?? []).map((c: any) => [c.metadata?.name, c]));
  const mounts: any[] = zot.volumeMounts ?? [];

  // API server: names and mounts.
  if (w.kind === 'StatefulSet' && String(w.metadata.name).length > STATEFULSET_NAME_MAX) {
    p(
      `${id} metadata.name`,
      w.metadata.name,
      `is longer than ${STATEFULSET_NAME_MAX} characters: the controller-revision-hash label would exceed 63 and every rollout fails`,
    );
  }
  for (const s of r.objects.filter((o) => o?.kind === 'Service')) {
    const n = String(s.metadata?.name);
    if (!DNS_1035.test(n) || n.length > 63)
      p(
        `Service/${n} metadata.name`,
        n,
        'is not a DNS-1035 label (a letter first, then letters, digits and -, at most 63): the API server refuses the Service',
      );
  }
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m.mountPath))
      p(`${id} container zot volumeMounts`, m.mountPath, 'is mounted twice: the API server refuses the pod');
    seen.add(m.mountPath);
    if (!volumes.has(m.name) && !claims.has(m.name)) {
      p(
        `${id} container zot volumeMounts`,
        m.name,
        'names no volume and no volumeClaimTemplate: the pod is never created (e.g. pvc.name in charts that mount <release>-pvc)',
      );
    }
  }
  for (const c of claims.values()) {
    const storage = c.spec?.resources?.requests?.storage;
    const m = QUANTITY.exec(String(storage ?? ''));
    if (!m || Number(m[1]) <= 0)
      p(`${id} volumeClaimTemplates ${c.metadata?.name} storage`, storage, 'is not a positive quantity');
  }

  // The config file: mounted where zot reads it (the image runs `zot serve /etc/zot/config.json`), intact.
  const configMount = mounts.find((m) => m.mountPath === '/etc/zot');
  const configVolume = configMount && volumes.get(configMount.name);
  const configMap =
    configVolume?.configMap &&
    r.objects.find((o) => o?.kind === 'ConfigMap' && o.metadata?.name === configVolume.configMap.name);
  if (!configMap)
    p(`${id} /etc/zot`, undefined, 'has no ConfigMap mounted: zot would start with the image default config (no auth)');
  else if (configMap.data?.['config.json'] !== r.values?.configFiles?.['config.json']) {
    p(
      `ConfigMap/${configMap.metadata.name} data["config.json"]`,
      undefined,
      'is not the config.json of the values, byte for byte',
    );
  }

  // The htpasswd file: config.json's path is a key of a mounted Secret.
  const htpasswd: string | undefined = r.config?.http?.auth?.htpasswd?.path;
  if (htpasswd) {
    const dir = htpasswd.slice(0, htpasswd.lastIndexOf('/'));
    const key = htpasswd.slice(htpasswd.lastIndexOf('/') + 1);
    const mount = mounts.find((m) => m.mountPath === dir);
    const secretName = mount && volumes.get(mount.name)?.secret?.secretName;
    const secret = secretName && r.objects.find((o) => o?.kind === 'Secret' && o.metadata?.name === secretName);
    const keys = secret ? Object.keys({ ...(secret.data ?? {}), ...(secret.stringData ?? {}) }) : [];
    if (!keys.includes(key)) {
      p(
        'config.json http.auth.htpasswd.path',
        htpasswd,
        `is not a file the chart mounts (${mount ? `${dir} holds ${secretName ?? 'no Secret'}${keys.length ? ` with ${keys.join(', ')}` : ''}` : `nothing is mounted at ${dir}`}): zot would not start`,
      );
    }
  }

  // Ports: zot listens on http.port; the container port, the probes and the Service lead there.
  const port = Number(r.config?.http?.port);
  const named = new Map<string, number>((zot.ports ?? []).map((cp: any) => [cp.name, cp.containerPort]));
  const resolve = (x: unknown) => (typeof x === 'string' && !/^\d+$/.test(x) ? named.get(x) : Number(x));
  if (![...named.values()].includes(port))
    p(`${id} container zot ports`, [...named.values()], `do not include zot's http.port ${port}`);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const target = zot[probe]?.httpGet?.port;
    if (target !== undefined && resolve(target) !== port)
      p(`${id} ${probe}.httpGet.port`, target, `does not reach zot's http.port ${port}: the pod never becomes ready`);
  }
  for (const s of r.objects.filter((o) => o?.kind === 'Service' && !String(o.metadata?.name).endsWith('-headless'))) {
    for (const sp of s.spec?.ports ?? []) {
      if (resolve(sp.targetPort ?? sp.port) !== port)
        p(`Service/${s.metadata.name} targetPort`, sp.targetPort, `does not lead to zot's http.port ${port}`);
    }
  }

  return out;
}

/** What a rendered zot chart would lose: images on a volume that is not a PersistentVolumeClaim, or local storage split across replicas. */
export function renderedStorageProblems(r: RenderedChart): Problem[] {
  const out: Problem[] = [];
  const p = (field: string, value: unknown, reason: string) => out.push(problem(r.what, field, value, reason));
  const workloads = r.objects.filter((o) => o?.kind === 'StatefulSet' || o?.kind === 'Deployment');
  if (workloads.length !== 1) return out;
  const w = workloads[0];
  const id = `${w.kind}/${w.metadata.name}`;
  const podSpec = w.spec?.template?.spec ?? {};
  const zot = (podSpec.containers ?? []).find((c: any) => c.name === 'zot') ?? (podSpec.containers ?? [])[0];
  if (!zot) return out;
  const volumes = new Map<string, any>((podSpec.volumes ?? []).map((v: any) => [v.name, v]));
  const claims = new Map<string, any>((w.spec?.volumeClaimTemplates ?? []).map((c: any) => [c.metadata?.name, c]));
  const mounts: any[] = zot.volumeMounts ?? [];
  // Storage: local storage must live on the PVC, one PVC means one writer.
  const root: string | undefined = r.config?.storage?.rootDirectory;
  const remote = r.config?.storage?.storageDriver !== undefined;
  if (root && !remote) {
    const under = mounts
      .filter((m) => root === m.mountPath || root.startsWith(m.mountPath.replace(/\/$/, '') + '/'))
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    const backing =
      under && (claims.has(under.name) ? 'pvc' : volumes.get(under.name)?.persistentVolumeClaim ? 'pvc' : 'other');
    if (!under)
      p(
        'config.json storage.rootDirectory',
        root,
        `is on no volume the chart mounts (${mounts.map((m) => m.mountPath).join(', ')}): images live in the container and are lost on restart`,
      );
    else if (backing !== 'pvc')
      p(
        'config.json storage.rootDirectory',
        root,
        `is on ${under.mountPath}, which is not a PersistentVolumeClaim (persistence off?): images are lost on restart`,
      );
    const replicas = w.spec?.replicas ?? 1;
    if (replicas > 1)
      p(
        `${id} spec.replicas`,
        replicas,
        'is more than 1 with local storage: each pod gets its own volume and its own images (use shared storage and a remote cache)',
      );
  }
  return out;
}
