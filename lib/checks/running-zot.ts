// What the rendered zot pod runs: the zot container's image and command line, the config file zot
// will load and its content as the rendered objects give it, and every way the pod escapes that
// judgment (another program, a file no rendered object holds, a container that can write the
// folder the config comes from). Pure: it reads objects helm rendered, it runs nothing.
//
// Sources:
//   - the zot image, project-zot/zot build/Dockerfile at v2.1.14..v2.1.20: ENTRYPOINT
//     ["/usr/bin/zot"], CMD ["serve", "/etc/zot/config.json"] (and the image's own
//     /etc/zot/config.json is the repository's example: no authentication);
//   - zot pkg/cli/server/root.go at v2.1.14..v2.1.20: `serve <config>` with cobra.ExactArgs(1):
//     the one argument is the config file (LoadConfiguration); flags: --force-reparse from v2.1.18;
//     no viper AutomaticEnv, so the environment does not change the config;
//   - Kubernetes (core/v1 Container): `command` replaces ENTRYPOINT and drops CMD; `args` replaces
//     CMD; the deepest volumeMount holding a path serves it; configMap and secret volumes are
//     always mounted read-only, emptyDir and others may be written by any container mounting them;
//   - the zot chart's templates 0.1.98..0.1.122 (templates/statefulset.yaml, deployment.yaml): the
//     zot container is named after the chart (`{{ .Chart.Name }}`: zot), its args are extraArgs,
//     the config ConfigMap is mounted at /etc/zot, the Secret at /secret.
import { Problem } from '../core/error';
import { optedIn } from './unsafe-values';

export interface RunningZotOptions {
  /** For messages, e.g. `HelmRelease/zot (chart 0.1.122)`. */
  readonly what: string;
  /** The image repository the chart ships (chart facts imageRepository). */
  readonly imageRepository: string;
  /** Value paths the release opts in to with `unsafeValues`: side doors through them are not refused, but the config is still judged where it can be read. */
  readonly unsafe: readonly string[];
}

export interface RunningZot {
  /** The path zot reads its config from, as the container starts it. */
  readonly configPath?: string;
  /** The text of that file as the rendered objects give it, when they do. */
  readonly configText?: string;
  /** Where configText came from, e.g. `ConfigMap/zot-config data["config.json"]`. */
  readonly configSource?: string;
  /** What the container runs, for messages: `ghcr.io/project-zot/zot:v2.1.18 serve /etc/zot/config.json`. */
  readonly image?: string;
  /** Refusals, each naming the rendered field and value. */
  readonly problems: Problem[];
}

/** The zot image's ENTRYPOINT and CMD (build/Dockerfile, v2.1.14..v2.1.20). */
export const ZOT_IMAGE_ENTRYPOINT: readonly string[] = ['/usr/bin/zot'];
export const ZOT_IMAGE_CMD: readonly string[] = ['serve', '/etc/zot/config.json'];
const ZOT_BINARIES = ['/usr/bin/zot', 'zot'];
/** serve's flags (pkg/cli/server/root.go newServeCmd): --force-reparse (a bool) from v2.1.18; --help. */
const SERVE_BOOL_FLAGS = /^--force-reparse(=(true|false|1|0|t|f|TRUE|FALSE|True|False))?$/;

const VOLUME_WRITABLE = (v: any) => v && !v.configMap && !v.secret && !v.downwardAPI && !v.projected;

/** The repository part of an image reference (no tag, no digest). */
function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The config path of a zot command line, or why there is none. */
function configPathOf(argv: readonly string[]): { path: string } | { why: string } {
  if (!ZOT_BINARIES.includes(argv[0])) return { why: `runs '${argv[0]}', not zot` };
  if (argv[1] !== 'serve') return { why: `runs zot '${argv[1] ?? ''}', not 'zot serve <config>'` };
  const positional: string[] = [];
  for (const a of argv.slice(2)) {
    if (a === '--') continue;
    if (a.startsWith('-')) {
      if (!SERVE_BOOL_FLAGS.test(a)) return { why: `passes '${a}', which zot serve does not take (it would not start) or which this project cannot judge` };
      continue;
    }
    positional.push(a);
  }
  // cobra.ExactArgs(1)
  if (positional.length !== 1) return { why: `gives zot serve ${positional.length} arguments: it takes exactly one config file and would not start` };
  return { path: positional[0] };
}

const under = (file: string, mountPath: string) => {
  const m = mountPath.replace(/\/+$/, '');
  return file === m || file.startsWith(`${m}/`);
};

/** The file a volume holds at `rel` (relative to its root): ConfigMap or Secret content, or undefined. */
function fileOfVolume(volume: any, rel: string, objects: readonly any[]): { text?: string; source: string } {
  const src = volume.configMap ? { kind: 'ConfigMap', name: volume.configMap.name, items: volume.configMap.items }
    : volume.secret ? { kind: 'Secret', name: volume.secret.secretName, items: volume.secret.items } : undefined;
  if (!src) return { source: `volume ${volume.name} (${Object.keys(volume).filter((k) => k !== 'name').join(', ') || 'no source'})` };
  const key = Array.isArray(src.items) ? src.items.find((i: any) => i?.path === rel)?.key : rel;
  const obj = objects.find((o) => o?.kind === src.kind && o.metadata?.name === src.name);
  const source = `${src.kind}/${src.name} ${key === undefined ? `(no item at ${rel})` : `data["${key}"]`}`;
  if (!obj || key === undefined) return { source: obj ? source : `${src.kind}/${src.name} (not rendered by the chart)` };
  if (obj.stringData?.[key] !== undefined) return { text: String(obj.stringData[key]), source };
  if (obj.data?.[key] !== undefined) return { text: src.kind === 'Secret' ? Buffer.from(String(obj.data[key]), 'base64').toString('utf8') : String(obj.data[key]), source };
  if (obj.binaryData?.[key] !== undefined) return { text: Buffer.from(String(obj.binaryData[key]), 'base64').toString('utf8'), source };
  return { source: `${src.kind}/${src.name} (no key ${key})` };
}

/** Judges the one zot workload among the objects helm rendered for a zot HelmRelease. */
export function runningZot(objects: readonly any[], opts: RunningZotOptions): RunningZot {
  const problems: Problem[] = [];
  const p = (field: string, value: unknown, reason: string) => problems.push({ field: `${opts.what} ${field}`, value, reason });
  const workloads = objects.filter((o) => o?.kind === 'StatefulSet' || o?.kind === 'Deployment');
  if (workloads.length !== 1) {
    p('workload', workloads.map((w) => `${w.kind}/${w.metadata?.name}`), 'is not exactly one StatefulSet or Deployment: what runs cannot be judged');
    return { problems };
  }
  const w = workloads[0];
  const id = `${w.kind}/${w.metadata?.name}`;
  const pod = w.spec?.template?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  const zot = containers.find((c) => c?.name === 'zot');
  if (!zot) {
    p(`${id} containers`, containers.map((c) => c?.name), "has no container named zot (the chart names it after itself): what runs cannot be judged");
    return { problems };
  }
  const at = `${id} container zot`;

  // The image.
  const image = String(zot.image ?? '');
  if (imageRepository(image) !== opts.imageRepository && !optedIn('image.repository', opts.unsafe)) {
    p(`${at} image`, image, `is not the chart's zot image (${opts.imageRepository}): another program could run as zot; name 'image.repository' in unsafeValues to run a mirror of it`);
  }

  // The command line.
  const command: string[] | undefined = Array.isArray(zot.command) ? zot.command.map(String) : undefined;
  const args: string[] | undefined = Array.isArray(zot.args) ? zot.args.map(String) : undefined;
  const argv = [...(command ?? ZOT_IMAGE_ENTRYPOINT), ...(args ?? (command ? [] : ZOT_IMAGE_CMD))];
  const shown = `${image} ${argv.join(' ')}`.trim();
  if (command && !optedIn('command', opts.unsafe)) p(`${at} command`, command, "replaces the image's entrypoint (/usr/bin/zot): name 'command' in unsafeValues to allow it");
  if (args && !(args.length === ZOT_IMAGE_CMD.length && args.every((a, i) => a === ZOT_IMAGE_CMD[i])) && !optedIn('extraArgs', opts.unsafe)) {
    p(`${at} args`, args, "replace zot's command line (serve /etc/zot/config.json), e.g. to load another config: name 'extraArgs' in unsafeValues to allow it");
  }
  const parsed = configPathOf(argv);
  if ('why' in parsed) {
    p(`${at} command line`, argv, `${parsed.why}: which config zot loads cannot be judged`);
    return { image: shown, problems };
  }
  const configPath = parsed.path.startsWith('/') ? parsed.path : `/${parsed.path}`; // the image's WORKDIR is / (no WORKDIR in build/Dockerfile)

  // The volume serving the config file: the deepest mount holding its path.
  const mounts: any[] = zot.volumeMounts ?? [];
  const volumes = new Map<string, any>((pod.volumes ?? []).map((v: any) => [v?.name, v]));
  const claims = new Set<string>((w.spec?.volumeClaimTemplates ?? []).map((c: any) => c?.metadata?.name));
  const mount = mounts.filter((m) => typeof m?.mountPath === 'string' && under(configPath, m.mountPath))
    .sort((a, b) => b.mountPath.replace(/\/+$/, '').length - a.mountPath.replace(/\/+$/, '').length)[0];
  if (!mount) {
    p(`${at} ${configPath}`, undefined, `is on no volume: zot would load the image's own file${configPath === '/etc/zot/config.json' ? " (zot's example config, no authentication)" : ''}`);
    return { configPath, image: shown, problems };
  }
  const rest = configPath.slice(mount.mountPath.replace(/\/+$/, '').length).replace(/^\/+/, '');
  const rel = mount.subPath ? [mount.subPath, rest].filter(Boolean).join('/') : rest;
  const volume = volumes.get(mount.name);
  if (!volume) {
    const where = claims.has(mount.name) ? `the PersistentVolumeClaim ${mount.name}` : `${mount.name}, which no volume defines`;
    p(`${at} volumeMounts ${mount.mountPath}`, mount.name, `serves ${configPath} from ${where}: what zot loads is not in Git and cannot be judged`);
    return { configPath, image: shown, problems };
  }
  const file = fileOfVolume(volume, rel, objects);
  if (file.text === undefined) {
    p(`${at} volumeMounts ${mount.mountPath}`, mount.name, `serves ${configPath} from ${file.source}: what zot loads is not a file the rendered objects hold, so it cannot be judged`);
  }
  if (configPath === ZOT_IMAGE_CMD[1] && mount.mountPath.replace(/\/+$/, '') !== '/etc/zot' && !optedIn('extraVolumeMounts', opts.unsafe)) {
    p(`${at} volumeMounts ${mount.mountPath}`, mount.name, `serves zot's config instead of the chart's /etc/zot mount: name 'extraVolumeMounts' in unsafeValues to allow it`);
  }

  // Other containers that can write the volumes zot reads its config and Secret from.
  const watched = new Set<string>([mount.name, ...mounts.filter((m) => m?.mountPath === '/secret').map((m) => m.name)]);
  for (const [kind, list, key] of [['initContainers', pod.initContainers ?? [], 'initContainers'], ['containers', containers.filter((c) => c !== zot), 'extraContainers']] as const) {
    for (const c of list as any[]) {
      for (const m of c?.volumeMounts ?? []) {
        if (!watched.has(m?.name) || !VOLUME_WRITABLE(volumes.get(m.name)) || m.readOnly === true) continue;
        if (optedIn(key, opts.unsafe)) continue;
        p(`${id} ${kind} ${c.name} volumeMounts ${m.mountPath}`, m.name, `can write the volume zot reads its config or Secret from: name '${key}' in unsafeValues to allow it`);
      }
    }
  }
  return { configPath, configText: file.text, configSource: file.source, image: shown, problems };
}
