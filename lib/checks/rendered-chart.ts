// What the zot chart really renders from a HelmRelease's values, checked on helm's output (so it
// holds for every chart version without modelling its templates): zot finds its config and its
// htpasswd file, the ports line up, the registry's storage is the PVC, the probes reach zot, and
// the API server accepts the objects' names and mounts.
import { Problem } from '../core/error';
import {
  asObjects,
  ConfigData,
  Container,
  isKind,
  isWorkload,
  KubeObject,
  PersistentVolumeClaim,
  PodSpec,
  Service,
  stringAt,
  valueAt,
  Volume,
  VolumeMount,
  Workload,
} from '../k8s/objects';

/** The objects `helm template` rendered, and the values and config.json they were rendered from. */
export interface RenderedChart {
  readonly objects: readonly unknown[];
  readonly values: unknown;
  /** The config.json the values carry (parsed). */
  readonly config: unknown;
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

type Report = (field: string, value: unknown, reason: string) => void;

/** The one workload's zot container (else its first), with its volumes, claims and mounts. */
interface ZotPod {
  readonly objects: readonly KubeObject[];
  readonly w: Workload;
  /** `Kind/name` of the workload. */
  readonly id: string;
  readonly zot: Container;
  readonly volumes: ReadonlyMap<string | undefined, Volume>;
  readonly claims: ReadonlyMap<string | undefined, PersistentVolumeClaim>;
  readonly mounts: readonly VolumeMount[];
}

/** The zot pod of the one StatefulSet or Deployment, or undefined (reported when `p` is given). */
function zotPod(r: RenderedChart, p?: Report): ZotPod | undefined {
  const objects = asObjects(r.objects);
  const workloads = objects.filter(isWorkload);
  if (workloads.length !== 1) {
    p?.(
      'workload',
      workloads.map((w) => `${w.kind}/${w.metadata?.name}`),
      'is not exactly one StatefulSet or Deployment',
    );
    return undefined;
  }
  const w = workloads[0];
  const id = `${w.kind}/${w.metadata?.name}`;
  const podSpec: PodSpec = w.spec?.template?.spec ?? {};
  const zot = (podSpec.containers ?? []).find((c) => c.name === 'zot') ?? (podSpec.containers ?? [])[0];
  if (!zot) {
    p?.(id, undefined, 'has no container');
    return undefined;
  }
  const volumes = new Map((podSpec.volumes ?? []).map((v) => [v.name, v]));
  const claims = new Map((w.spec?.volumeClaimTemplates ?? []).map((c) => [c.metadata?.name, c]));
  return { objects, w, id, zot, volumes, claims, mounts: zot.volumeMounts ?? [] };
}

/** What stops a rendered zot chart from running as configured: names, mounts, the config and htpasswd files, ports. */
export function renderedChartErrors(r: RenderedChart): Problem[] {
  const out: Problem[] = [];
  const p: Report = (field, value, reason) => out.push(problem(r.what, field, value, reason));
  const pod = zotPod(r, p);
  if (!pod) return out;
  nameProblems(pod, p);
  mountProblems(pod, p);
  configMapProblems(pod, r.values, p);
  htpasswdProblems(pod, r.config, p);
  portProblems(pod, r.config, p);
  return out;
}

/** API server: the StatefulSet's and the Services' names. */
function nameProblems({ objects, w, id }: ZotPod, p: Report): void {
  if (w.kind === 'StatefulSet' && String(w.metadata?.name).length > STATEFULSET_NAME_MAX) {
    p(
      `${id} metadata.name`,
      w.metadata?.name,
      `is longer than ${STATEFULSET_NAME_MAX} characters: the controller-revision-hash label would exceed 63 and every rollout fails`,
    );
  }
  for (const s of objects.filter(isKind<Service>('Service'))) {
    const n = String(s.metadata?.name);
    if (!DNS_1035.test(n) || n.length > 63)
      p(
        `Service/${n} metadata.name`,
        n,
        'is not a DNS-1035 label (a letter first, then letters, digits and -, at most 63): the API server refuses the Service',
      );
  }
}

/** API server: each mount once and of a volume, each claim a positive quantity. */
function mountProblems({ id, volumes, claims, mounts }: ZotPod, p: Report): void {
  const seen = new Set<string | undefined>();
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
}

/** The config file: mounted where zot reads it (the image runs `zot serve /etc/zot/config.json`), intact. */
function configMapProblems({ objects, id, volumes, mounts }: ZotPod, values: unknown, p: Report): void {
  const configMount = mounts.find((m) => m.mountPath === '/etc/zot');
  const configVolume = configMount && volumes.get(configMount.name);
  const configMap =
    configVolume?.configMap &&
    objects.find((o): o is ConfigData => o?.kind === 'ConfigMap' && o.metadata?.name === configVolume.configMap?.name);
  if (!configMap)
    p(`${id} /etc/zot`, undefined, 'has no ConfigMap mounted: zot would start with the image default config (no auth)');
  else if (configMap.data?.['config.json'] !== valueAt(values, 'configFiles', 'config.json')) {
    p(
      `ConfigMap/${configMap.metadata?.name} data["config.json"]`,
      undefined,
      'is not the config.json of the values, byte for byte',
    );
  }
}

/** The htpasswd file: config.json's path is a key of a mounted Secret. */
function htpasswdProblems({ objects, volumes, mounts }: ZotPod, config: unknown, p: Report): void {
  const htpasswd = stringAt(config, 'http', 'auth', 'htpasswd', 'path');
  if (!htpasswd) return;
  const dir = htpasswd.slice(0, htpasswd.lastIndexOf('/'));
  const key = htpasswd.slice(htpasswd.lastIndexOf('/') + 1);
  const mount = mounts.find((m) => m.mountPath === dir);
  const secretName = mount && volumes.get(mount.name)?.secret?.secretName;
  const secret =
    secretName && objects.find((o): o is ConfigData => o?.kind === 'Secret' && o.metadata?.name === secretName);
  const keys = secret ? Object.keys({ ...(secret.data ?? {}), ...(secret.stringData ?? {}) }) : [];
  if (!keys.includes(key)) {
    p(
      'config.json http.auth.htpasswd.path',
      htpasswd,
      `is not a file the chart mounts (${mount ? `${dir} holds ${secretName ?? 'no Secret'}${keys.length ? ` with ${keys.join(', ')}` : ''}` : `nothing is mounted at ${dir}`}): zot would not start`,
    );
  }
}

/** Ports: zot listens on http.port; the container port, the probes and the Service lead there. */
function portProblems({ objects, id, zot }: ZotPod, config: unknown, p: Report): void {
  const port = Number(valueAt(config, 'http', 'port'));
  const named = new Map<string | undefined, number | undefined>(
    (zot.ports ?? []).map((cp) => [cp.name, cp.containerPort]),
  );
  const resolve = (x: unknown) => (typeof x === 'string' && !/^\d+$/.test(x) ? named.get(x) : Number(x));
  if (![...named.values()].includes(port))
    p(`${id} container zot ports`, [...named.values()], `do not include zot's http.port ${port}`);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const target = zot[probe]?.httpGet?.port;
    if (target !== undefined && resolve(target) !== port)
      p(`${id} ${probe}.httpGet.port`, target, `does not reach zot's http.port ${port}: the pod never becomes ready`);
  }
  const services = objects.filter(isKind<Service>('Service'));
  for (const s of services.filter((o) => !String(o.metadata?.name).endsWith('-headless'))) {
    for (const sp of s.spec?.ports ?? []) {
      if (resolve(sp.targetPort ?? sp.port) !== port)
        p(`Service/${s.metadata?.name} targetPort`, sp.targetPort, `does not lead to zot's http.port ${port}`);
    }
  }
}

/** What a rendered zot chart would lose: images on a volume that is not a PersistentVolumeClaim, or local storage split across replicas. */
export function renderedStorageProblems(r: RenderedChart): Problem[] {
  const out: Problem[] = [];
  const p: Report = (field, value, reason) => out.push(problem(r.what, field, value, reason));
  const pod = zotPod(r);
  if (!pod) return out;
  const { w, id, volumes, claims, mounts } = pod;
  // Storage: local storage must live on the PVC, one PVC means one writer.
  const root = stringAt(r.config, 'storage', 'rootDirectory');
  const remote = valueAt(r.config, 'storage', 'storageDriver') !== undefined;
  if (root && !remote) {
    const under = mounts
      .filter(hasMountPath)
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

/** Whether a mount names its path (as a string). */
const hasMountPath = (m: VolumeMount): m is VolumeMount & { readonly mountPath: string } =>
  typeof m.mountPath === 'string';
