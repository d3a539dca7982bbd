// What the rendered zot pod runs: the zot container's image and command line, the config file zot
// will load and its content as the rendered objects give it, and every way the pod escapes that
// judgment (another program, a file no rendered object holds, a container that can write the
// folder the config comes from). Pure: it reads objects helm rendered, it runs nothing.
//
// Sources:
//   - the zot image the chart ships, ghcr.io/project-zot/zot: project-zot/zot
//     .github/workflows/publish.yaml@v2.1.14..v2.1.20 builds it with build/stacker.yaml (not
//     build/Dockerfile): ENTRYPOINT ["/usr/local/bin/zot-${OS}-${ARCH}"] (one per platform of the
//     multi-arch index, build/multiarch-zot.json), CMD ["serve", "/etc/zot/config.json"], and the
//     image's own /etc/zot/config.json has no authentication. build/Dockerfile (local builds, e.g.
//     a mirror) has ENTRYPOINT ["/usr/bin/zot"] and the same CMD;
//   - zot pkg/cli/server/root.go at v2.1.14..v2.1.20: `serve <config>` with cobra.ExactArgs(1):
//     the one argument is the config file (LoadConfiguration); flags: --force-reparse from v2.1.18;
//     no viper AutomaticEnv/BindEnv anywhere in zot, so the environment does not change the config;
//     LoadConfiguration picks the parser by the file's extension (viper v1.21.0 SupportedExts);
//   - Kubernetes (core/v1 Container): `command` replaces ENTRYPOINT and drops CMD; `args` replaces
//     CMD; both expand `$(VAR)` from the container's environment (kubernetes
//     pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs,
//     third_party/forked/golang/expansion/expand.go); the deepest volumeMount holding a path serves
//     it; configMap and secret volumes are always mounted read-only, emptyDir and others may be
//     written by any container mounting them;
//   - the zot chart's templates 0.1.98..0.1.122 (templates/statefulset.yaml, deployment.yaml): the
//     zot container is named after the chart (`{{ .Chart.Name }}`: zot), its args are extraArgs,
//     the config ConfigMap is mounted at /etc/zot, the Secret at /secret.
import * as path from 'path';
import { Problem } from '../core/error';
import {
  asObjects,
  ConfigData,
  Container,
  EnvVar,
  isWorkload,
  KubeObject,
  PodSpec,
  Volume,
  VolumeMount,
  Workload,
} from '../k8s/objects';
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

/**
 * What the zot image runs when the container does not say: ENTRYPOINT and CMD of ghcr.io/project-zot/zot, the
 * same at every zot v2.1.14..v2.1.20 (build/stacker.yaml, which .github/workflows/publish.yaml builds it with).
 * The entrypoint is the binary of the node's platform, `/usr/local/bin/zot-<os>-<arch>`; `binary` tells a
 * program that is zot: those binaries, and build/Dockerfile's /usr/bin/zot (a mirror built from the Dockerfile).
 */
export interface ZotImageDefaults {
  /** For messages: `/usr/local/bin/zot-linux-<arch>`. */
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly binary: RegExp;
}
export const ZOT_IMAGE: ZotImageDefaults = {
  entrypoint: ['/usr/local/bin/zot-linux-<arch>'],
  cmd: ['serve', '/etc/zot/config.json'],
  binary: /^(\/usr\/local\/bin\/zot-(linux|freebsd)-(amd64|arm64)|\/usr\/bin\/zot)$/,
};
/** The zot image's ENTRYPOINT (for messages) and CMD (ZOT_IMAGE). */
export const ZOT_IMAGE_ENTRYPOINT: readonly string[] = ZOT_IMAGE.entrypoint;
export const ZOT_IMAGE_CMD: readonly string[] = ZOT_IMAGE.cmd;
/** Where the chart mounts the config ConfigMap and the Secret (templates/statefulset.yaml, deployment.yaml 0.1.98..0.1.122). */
const CHART_MOUNTS = ['/etc/zot', '/secret'];
/** viper v1.21.0 viper.go SupportedExts: zot's LoadConfiguration parses a file with one of these extensions as that format. */
const VIPER_EXTS = [
  'json',
  'toml',
  'yaml',
  'yml',
  'properties',
  'props',
  'prop',
  'hcl',
  'tfvars',
  'dotenv',
  'env',
  'ini',
];
/** serve's flags (pkg/cli/server/root.go newServeCmd): --force-reparse (a bool) from v2.1.18; --help. */
const SERVE_BOOL_FLAGS = /^--force-reparse(=(true|false|1|0|t|f|TRUE|FALSE|True|False))?$/;

const VOLUME_WRITABLE = (v: Volume | undefined) =>
  v !== undefined && !v.configMap && !v.secret && !v.downwardAPI && !v.projected;

/** The repository part of an image reference (no tag, no digest). */
function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The config path of a zot command line, or why there is none. */
function configPathOf(argv: readonly string[], entrypointFromImage: boolean): { path: string } | { why: string } {
  if (!entrypointFromImage && !ZOT_IMAGE.binary.test(argv[0]))
    return { why: `runs '${argv[0]}', not zot (${ZOT_IMAGE.binary.source})` };
  if (argv[1] !== 'serve') return { why: `runs zot '${argv[1] ?? ''}', not 'zot serve <config>'` };
  const positional: string[] = [];
  for (const a of argv.slice(2)) {
    if (a === '--') continue;
    if (a.startsWith('-')) {
      if (!SERVE_BOOL_FLAGS.test(a))
        return {
          why: `passes '${a}', which zot serve does not take (it would not start) or which this project cannot judge`,
        };
      continue;
    }
    positional.push(a);
  }
  // cobra.ExactArgs(1)
  if (positional.length !== 1)
    return {
      why: `gives zot serve ${positional.length} arguments: it takes exactly one config file and would not start`,
    };
  return { path: positional[0] };
}

/**
 * Kubernetes' `$(VAR)` expansion of one command or args item (kubernetes
 * third_party/forked/golang/expansion/expand.go Expand: `$$` is `$`, `$(NAME)` is the variable, an
 * unclosed `$(` and any other `$x` stay as they are).
 */
export function k8sExpand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    const close = next === '(' ? input.indexOf(')', cursor + 2) : -1;
    if (next === '$') out += '$';
    else if (close >= 0) out += mapping(input.slice(cursor + 2, close));
    else out += `$${next}`;
    cursor = close >= 0 ? close : cursor + 1;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * The container's command or args as the kubelet expands them, or the variables that only the running
 * pod knows: a name the container's env gives a literal value without `$` is known (env wins over envFrom
 * and Service links, kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables); any other name comes
 * from valueFrom, envFrom, a Service link or nowhere (then it stays `$(NAME)`), which synth cannot know.
 */
function expandList(list: readonly string[], container: Container): { out: string[]; unknown: string[] } {
  const literal = new Map<string, string | undefined>();
  for (const e of Array.isArray(container?.env) ? container.env : []) {
    if (typeof e?.name !== 'string') continue;
    literal.set(
      e.name,
      e.valueFrom === undefined && !String(e.value ?? '').includes('$') ? String(e.value ?? '') : undefined,
    );
  }
  const unknown: string[] = [];
  const out = list.map((a) =>
    k8sExpand(a, (name) => {
      const v = literal.get(name);
      if (v === undefined) unknown.push(name);
      return v ?? `$(${name})`;
    }),
  );
  return { out, unknown };
}

/** Go's filepath.Ext without its dot, as zot's LoadConfiguration takes it (a name starting with a dot is all extension). */
function goExt(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1);
}

const under = (file: string, mountPath: string) => {
  const m = mountPath.replace(/\/+$/, '');
  return file === m || file.startsWith(`${m}/`);
};

/** The file a volume holds at `rel` (relative to its root): ConfigMap or Secret content, or undefined. */
function fileOfVolume(
  volume: Volume,
  rel: string,
  objects: readonly KubeObject[],
  namespace?: string,
): { text?: string; source: string } {
  const src = volume.configMap
    ? { kind: 'ConfigMap', name: volume.configMap.name, items: volume.configMap.items }
    : volume.secret
      ? { kind: 'Secret', name: volume.secret.secretName, items: volume.secret.items }
      : undefined;
  if (!src)
    return {
      source: `volume ${volume.name} (${
        Object.keys(volume)
          .filter((k) => k !== 'name')
          .join(', ') || 'no source'
      })`,
    };
  const key = Array.isArray(src.items) ? src.items.find((i) => i?.path === rel)?.key : rel;
  // A pod mounts the ConfigMap or Secret of its own namespace.
  const obj = objects.find(
    (o): o is ConfigData =>
      o?.kind === src.kind &&
      o.metadata?.name === src.name &&
      (!namespace || !o.metadata?.namespace || o.metadata.namespace === namespace),
  );
  const source = `${src.kind}/${src.name} ${key === undefined ? `(no item at ${rel})` : `data["${key}"]`}`;
  if (!obj || key === undefined)
    return { source: obj ? source : `${src.kind}/${src.name} (not rendered by the chart)` };
  if (obj.stringData?.[key] !== undefined) return { text: String(obj.stringData[key]), source };
  if (obj.data?.[key] !== undefined)
    return {
      text:
        src.kind === 'Secret' ? Buffer.from(String(obj.data[key]), 'base64').toString('utf8') : String(obj.data[key]),
      source,
    };
  if (obj.binaryData?.[key] !== undefined)
    return { text: Buffer.from(String(obj.binaryData[key]), 'base64').toString('utf8'), source };
  return { source: `${src.kind}/${src.name} (no key ${key})` };
}

type Report = (field: string, value: unknown, reason: string) => void;

/** The zot container of the one workload, and how to report on it. */
interface ZotContainer {
  readonly objects: readonly KubeObject[];
  readonly opts: RunningZotOptions;
  readonly p: Report;
  readonly w: Workload;
  /** `Kind/name` of the workload. */
  readonly id: string;
  readonly pod: PodSpec;
  readonly containers: readonly Container[];
  readonly zot: Container;
  /** `Kind/name container zot`, for fields. */
  readonly at: string;
  readonly mounts: readonly VolumeMount[];
  readonly volumes: ReadonlyMap<string | undefined, Volume>;
}

/** Judges the one zot workload among the objects helm rendered for a zot HelmRelease. */
export function runningZot(rendered: readonly unknown[], opts: RunningZotOptions): RunningZot {
  const objects = asObjects(rendered);
  const problems: Problem[] = [];
  const p: Report = (field, value, reason) => problems.push({ field: `${opts.what} ${field}`, value, reason });
  const c = zotContainer(objects, opts, p);
  if (!c) return { problems };
  const image = String(c.zot.image ?? '');
  imageProblems(c, image);
  const line = commandLine(c);
  const shown = `${image} ${line.written.join(' ')}`.trim();
  if (line.configPath === undefined) return { image: shown, problems };
  const configPath = line.configPath;
  const stopped = { configPath, image: shown, problems };
  if (mountedTwice(c)) return stopped;
  const mount = servingMount(c, configPath);
  if (!mount) return stopped;
  const guarded = guardedFolders(configPath);
  shadowingProblems(c, mount, configPath, guarded);
  const file = configFile(c, mount, configPath);
  if (!file) return stopped;
  writerProblems(c, mount, guarded);
  return { configPath, configText: file.text, configSource: file.source, image: shown, problems };
}

/** The one StatefulSet or Deployment and its container named zot, or undefined (reported) when there is not. */
function zotContainer(objects: readonly KubeObject[], opts: RunningZotOptions, p: Report): ZotContainer | undefined {
  const workloads = objects.filter(isWorkload);
  if (workloads.length !== 1) {
    p(
      'workload',
      workloads.map((w) => `${w.kind}/${w.metadata?.name}`),
      'is not exactly one StatefulSet or Deployment: what runs cannot be judged',
    );
    return undefined;
  }
  const w = workloads[0];
  const id = `${w.kind}/${w.metadata?.name}`;
  const pod: PodSpec = w.spec?.template?.spec ?? {};
  const containers: readonly Container[] = pod.containers ?? [];
  const zot = containers.find((c) => c?.name === 'zot');
  if (!zot) {
    p(
      `${id} containers`,
      containers.map((c) => c?.name),
      'has no container named zot (the chart names it after itself): what runs cannot be judged',
    );
    return undefined;
  }
  const mounts: readonly VolumeMount[] = zot.volumeMounts ?? [];
  const volumes = new Map<string | undefined, Volume>((pod.volumes ?? []).map((v) => [v?.name, v]));
  return { objects, opts, p, w, id, pod, containers, zot, at: `${id} container zot`, mounts, volumes };
}

function imageProblems({ zot, at, opts, p }: ZotContainer, image: string): void {
  if (imageRepository(image) !== opts.imageRepository && !optedIn('image.repository', opts.unsafe)) {
    p(
      `${at} image`,
      image,
      `is not the chart's zot image (${opts.imageRepository}): another program could run as zot; name 'image.repository' in unsafeValues to run a mirror of it`,
    );
  }
  // zot v2.1.14 pkg/api/bearer_oidc.go GetBearerOIDCTestHTTPClient (gone from v2.1.15): a test hook "not meant for
  // production use" that trusts the CA file this variable names when zot fetches the bearer OIDC issuer's keys.
  const testCa = (Array.isArray(zot.env) ? zot.env : []).find(
    (e: EnvVar) => e?.name === 'ZOT_BEARER_OIDC_TEST_CA_FILE',
  );
  if (testCa)
    p(
      `${at} env ZOT_BEARER_OIDC_TEST_CA_FILE`,
      testCa.value,
      "makes zot v2.1.14 trust that file's CA for the bearer OIDC issuer (a test hook): whose tokens zot accepts cannot be judged",
    );
}

/** The command line as written, and the config file it loads when that can be judged (else reported). */
function commandLine(c: ZotContainer): { written: string[]; configPath?: string } {
  const { zot, at, opts, p } = c;
  // The command line, as the kubelet expands it from the container's environment.
  const command: string[] | undefined = Array.isArray(zot.command) ? zot.command.map(String) : undefined;
  const args: string[] | undefined = Array.isArray(zot.args) ? zot.args.map(String) : undefined;
  const written = [...(command ?? ZOT_IMAGE_ENTRYPOINT), ...(args ?? (command ? [] : ZOT_IMAGE_CMD))];
  const expanded = expandList(written, zot);
  if (command && !optedIn('command', opts.unsafe))
    p(
      `${at} command`,
      command,
      `replaces the image's entrypoint (${ZOT_IMAGE_ENTRYPOINT.join(' ')}): name 'command' in unsafeValues to allow it`,
    );
  if (
    args &&
    !(args.length === ZOT_IMAGE_CMD.length && args.every((a, i) => a === ZOT_IMAGE_CMD[i])) &&
    !optedIn('extraArgs', opts.unsafe)
  ) {
    p(
      `${at} args`,
      args,
      "replace zot's command line (serve /etc/zot/config.json), e.g. to load another config: name 'extraArgs' in unsafeValues to allow it",
    );
  }
  if (expanded.unknown.length) {
    const inCommand = command !== undefined && expandList(command, zot).unknown.length > 0;
    p(
      `${at} ${inCommand ? 'command' : 'args'}`,
      inCommand ? command : args,
      `refer to ${[...new Set(expanded.unknown)].map((n) => `$(${n})`).join(', ')}, which only the running pod knows (valueFrom, envFrom, a Service link, or nothing and then it stays as written): which config zot loads cannot be judged`,
    );
    return { written };
  }
  return { written, configPath: configPathJudged(c, expanded.out, command === undefined) };
}

/** The config file of the expanded command line, as an absolute clean path, or undefined (reported). */
function configPathJudged(c: ZotContainer, argv: string[], entrypointFromImage: boolean): string | undefined {
  const { zot, at, p } = c;
  const parsed = configPathOf(argv, entrypointFromImage);
  if ('why' in parsed) {
    p(`${at} command line`, argv, `${parsed.why}: which config zot loads cannot be judged`);
    return undefined;
  }
  // A relative path is opened from the container's working directory: the pod's workingDir, else the image's, which this project does not read.
  const workingDir = typeof zot.workingDir === 'string' && zot.workingDir.startsWith('/') ? zot.workingDir : undefined;
  if (!parsed.path.startsWith('/') && !workingDir) {
    p(
      `${at} command line`,
      argv,
      `names the config '${parsed.path}' relative to the image's working directory, which this project does not read: which config zot loads cannot be judged`,
    );
    return undefined;
  }
  // '..' after a symbolic link is not the parent the text names (the kernel resolves it); '.' and '//' are.
  if (parsed.path.split('/').includes('..')) {
    p(
      `${at} command line`,
      argv,
      `names the config '${parsed.path}' through '..': which file that is depends on the links on the way, so it cannot be judged`,
    );
    return undefined;
  }
  const configPath = path.posix.normalize(parsed.path.startsWith('/') ? parsed.path : `${workingDir}/${parsed.path}`);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go LoadConfiguration: filepath.Ext picks the parser; json is what this project reads.
  const ext = goExt(configPath);
  if (VIPER_EXTS.includes(ext) && ext !== 'json') {
    p(
      `${at} command line`,
      argv,
      `loads ${configPath}, which zot parses as ${ext} (by its extension): the config is judged as JSON only, so what zot loads cannot be judged`,
    );
  }
  return configPath;
}

/** Whether a mount names its path (as a string). */
const hasMountPath = (m: VolumeMount | undefined): m is VolumeMount & { readonly mountPath: string } =>
  typeof m?.mountPath === 'string';

/** A mount's path, cleaned, without a trailing slash ('/' for the root). */
const trim = (m: VolumeMount) => path.posix.normalize(String(m.mountPath)).replace(/\/+$/, '') || '/';

/**
 * kubernetes pkg/apis/core/validation/validation.go ValidateVolumeMounts: a container's mountPath "must be unique",
 * compared as written; two spellings of one folder pass, and then the runtime's mount order decides which serves it.
 */
function mountedTwice({ mounts, at, p }: ZotContainer): boolean {
  const seen = new Map<string, string>();
  for (const m of mounts.filter(hasMountPath)) {
    const first = seen.get(trim(m));
    if (first !== undefined) {
      p(
        `${at} volumeMounts`,
        trim(m),
        first === m.mountPath
          ? 'is mounted twice: the API server refuses the pod ("must be unique"), nothing runs'
          : `is mounted twice (as '${first}' and '${m.mountPath}'): which volume serves it depends on the container runtime's mount order, so what zot loads cannot be judged`,
      );
      return true;
    }
    seen.set(trim(m), m.mountPath);
  }
  return false;
}

/**
 * The volume serving the config file: containerd's CRI (orderedMounts, as CRI-O and Docker) mounts by the number
 * of parts of the cleaned path, parents first: the deepest mount holding the file serves it. Undefined (reported)
 * when none does.
 */
function servingMount({ mounts, at, p }: ZotContainer, configPath: string): VolumeMount | undefined {
  const mount = mounts
    .filter((m) => typeof m?.mountPath === 'string' && under(configPath, trim(m)))
    .sort((a, b) => trim(b).length - trim(a).length)[0];
  if (!mount) {
    p(
      `${at} ${configPath}`,
      undefined,
      `is on no volume: zot would load the image's own file${configPath === '/etc/zot/config.json' ? " (zot's example config, no authentication)" : ''}`,
    );
  }
  return mount;
}

/** The chart's /etc/zot and /secret, and the folder of the config when it is not under them. */
function guardedFolders(configPath: string): string[] {
  const configDir = path.posix.dirname(configPath);
  return [...CHART_MOUNTS, ...(CHART_MOUNTS.some((c) => under(configDir, c)) ? [] : [configDir])];
}

/** Mounts over the chart's /etc/zot and /secret (or the folder of the config), deeper than them: they shadow the files the chart put there. */
function shadowingProblems(
  { mounts, at, opts, p }: ZotContainer,
  mount: VolumeMount,
  configPath: string,
  guarded: readonly string[],
): void {
  const extraMountsOk = optedIn('extraVolumeMounts', opts.unsafe) || optedIn('externalSecrets', opts.unsafe);
  if (extraMountsOk) return;
  const deeper = (m: VolumeMount) => guarded.find((g) => trim(m) !== g && under(trim(m), g));
  const shadowing = mounts.filter(
    (m) => typeof m?.mountPath === 'string' && !CHART_MOUNTS.includes(trim(m)) && (m === mount || deeper(m)),
  );
  for (const m of shadowing) {
    p(
      `${at} volumeMounts ${m.mountPath}`,
      m.name,
      m === mount
        ? `serves zot's config ${configPath} instead of the chart's /etc/zot or /secret mount: name 'extraVolumeMounts' in unsafeValues to allow it`
        : `is mounted over part of ${deeper(m)}, where zot reads its config or Secret: name 'extraVolumeMounts' in unsafeValues to allow it`,
    );
  }
}

/** The config file the mount serves, or undefined (reported) when what serves it is not in Git. */
function configFile(
  c: ZotContainer,
  mount: VolumeMount,
  configPath: string,
): { text?: string; source: string } | undefined {
  const { at, p } = c;
  if (mount.subPathExpr) {
    p(
      `${at} volumeMounts ${mount.mountPath} subPathExpr`,
      mount.subPathExpr,
      `is expanded from the pod's environment at run time: which file serves ${configPath} cannot be judged`,
    );
    return undefined;
  }
  const rest = configPath.slice(trim(mount).length).replace(/^\/+/, '');
  const rel = mount.subPath ? [String(mount.subPath).replace(/\/+$/, ''), rest].filter(Boolean).join('/') : rest;
  const volume = c.volumes.get(mount.name);
  if (!volume) {
    const claims = new Set<string | undefined>((c.w.spec?.volumeClaimTemplates ?? []).map((v) => v?.metadata?.name));
    const where = claims.has(mount.name)
      ? `the PersistentVolumeClaim ${mount.name}`
      : `${mount.name}, which no volume defines`;
    p(
      `${at} volumeMounts ${mount.mountPath}`,
      mount.name,
      `serves ${configPath} from ${where}: what zot loads is not in Git and cannot be judged`,
    );
    return undefined;
  }
  const file = fileOfVolume(volume, rel, c.objects, c.w.metadata?.namespace);
  if (file.text === undefined) {
    p(
      `${at} volumeMounts ${mount.mountPath}`,
      mount.name,
      `serves ${configPath} from ${file.source}: what zot loads is not a file the rendered objects hold, so it cannot be judged`,
    );
  }
  return file;
}

/** Other containers that can write the volumes zot reads its config and Secret from. */
function writerProblems(c: ZotContainer, mount: VolumeMount, guarded: readonly string[]): void {
  const { mounts, pod, containers, zot, volumes, id, opts, p } = c;
  const watched = new Set<string | undefined>([
    mount.name,
    ...mounts
      .filter((m) => typeof m?.mountPath === 'string' && guarded.some((g) => under(trim(m), g)))
      .map((m) => m.name),
  ]);
  for (const [kind, list, key] of [
    ['initContainers', pod.initContainers ?? [], 'initContainers'],
    ['containers', containers.filter((x) => x !== zot), 'extraContainers'],
  ] as const) {
    for (const other of list) {
      for (const m of other?.volumeMounts ?? []) {
        if (!watched.has(m?.name) || !VOLUME_WRITABLE(volumes.get(m.name)) || m.readOnly === true) continue;
        if (optedIn(key, opts.unsafe)) continue;
        p(
          `${id} ${kind} ${other.name} volumeMounts ${m.mountPath}`,
          m.name,
          `can write the volume zot reads its config or Secret from: name '${key}' in unsafeValues to allow it`,
        );
      }
    }
  }
}
