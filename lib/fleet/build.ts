// What one Flux Kustomization builds, with the real kustomize (kubectl kustomize, kustomize v5.6):
// Flux's generator first (fluxcd/pkg kustomize/v1.24.0 and v1.35.4 kustomize/kustomize_generator.go
// GenerateManifest, findOrGenerateKustomization, scanManifests), then `kustomize build` with
// LoadRestrictionsNone (same file: Build, krusty.Options{LoadRestrictions: LoadRestrictionsNone}).
//
// Flux writes the generated kustomization.yaml into its own copy of the source, in place. This project
// does the same without touching the repository: a "mirror" folder in the temporary directory holds
// real folders down to each rewritten folder and symbolic links to everything else, so every relative
// path in the kustomizations resolves as it does in the repository.
//
// Speed: the builds of many Kustomizations (one per cluster, typically its entry point) run in one
// kustomize process: each request sits in a wrapper folder with its own namePrefix (so objects of the
// same name in two clusters do not collide), and the prefix is taken off each object afterwards. When
// that batch fails (a build error, or objects kustomize never prefixes, like Namespaces, that two
// requests share), each request is built on its own, so every error belongs to its own request.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../core/error';
import { MAX_NESTING } from '../core/nesting';
import { loadYaml, loadYamlAll } from '../core/yaml';
import { kustomizeBuildAll, KustomizeRun } from '../tools/kustomize';
import { deadOwnedFolders, folderOwner, makeOwnedFolder, ProcessId, scratchBase } from '../tools/owner';
import { linkHints, SourceArtifact, sourceArtifact } from './artifact';
import { EscapeFinder, escapeFailure } from './escapes';
import { aliasRefusedFiles, buildMayRead, unreadableYaml } from './unreadable-yaml';
import { errnoCode } from '../core/errno';
import { isRecord, valueAt } from '../k8s/objects';

/** konfig.RecognizedKustomizationFileNames (kustomize api v0.20), as the generator looks for them. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The fields of a Flux Kustomization's spec that change what is built. */
export interface BuildSpec {
  readonly targetNamespace?: string;
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly patches?: readonly unknown[];
  readonly components?: readonly string[];
  readonly ignoreMissingComponents?: boolean;
  readonly patchesStrategicMerge?: readonly unknown[];
  readonly patchesJson6902?: readonly unknown[];
  readonly images?: readonly unknown[];
  readonly buildMetadata?: readonly string[];
}

export interface BuildRequest {
  /** The folder Flux builds (spec.path), relative to the repository root. */
  readonly dir: string;
  readonly spec: BuildSpec;
}

export type BuildResult =
  { readonly ok: true; readonly objects: readonly unknown[] } | { readonly ok: false; readonly error: string };

/** A kustomization.yaml as read or generated: a mapping whose fields are filled in step by step. */
export type KustomizationFile = Record<string, unknown>;

const BUILD_FIELDS = [
  'targetNamespace',
  'namePrefix',
  'nameSuffix',
  'patches',
  'components',
  'patchesStrategicMerge',
  'patchesJson6902',
  'images',
  'buildMetadata',
] as const;

/** The build-relevant part of a Kustomization spec. */
export function buildSpecOf(spec: unknown): BuildSpec {
  const out: Record<string, unknown> = {};
  for (const f of [...BUILD_FIELDS, 'ignoreMissingComponents'] as const) {
    const value = valueAt(spec, f);
    if (value !== undefined) out[f] = value;
  }
  return out as BuildSpec;
}

function kustomizationFileIn(full: string): string | undefined {
  return KUSTOMIZATION_FILES.find((n) => {
    try {
      return !fs.statSync(path.join(full, n)).isDirectory();
    } catch {
      return false;
    }
  });
}

class GenerateError extends Error {}

/** A kustomization Flux writes: into the folder (`file`), or, `created`, a new one whose entries are all relative paths. */
export interface Generated {
  readonly file: string;
  readonly text: string;
  /** Flux created it (the folder had none): it can be written anywhere once its paths are made relative to there. */
  readonly created: boolean;
  readonly kustomization: KustomizationFile;
}

/** First line of a YAML reader's message: never a code frame (it would quote the file). */
function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/**
 * fluxcd/pkg kustomize scanManifests: the files and folders Flux lists in a kustomization.yaml it generates:
 * walk the folder (lexical order); a sub-folder with a kustomization file is one entry and is not entered;
 * every .yaml/.yml file must decode as Kubernetes YAML.
 */
function scanManifests(repo: string, dir: string): string[] {
  const base = path.join(repo, dir);
  const out: string[] = [];
  const walk = (rel: string) => {
    const full = path.join(base, rel);
    for (const name of fs.readdirSync(full).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      const child = path.join(full, name);
      if (fs.statSync(child).isDirectory()) {
        if (kustomizationFileIn(child)) out.push(`./${childRel}`);
        else walk(childRel);
        continue;
      }
      if (!/\.ya?ml$/.test(name)) continue;
      try {
        yaml.loadAll(fs.readFileSync(child, 'utf8'), { maxDepth: MAX_NESTING + 1 }); // as lib/core/yaml.ts reads
      } catch (e) {
        throw new GenerateError(`failed to decode Kubernetes YAML from ${dir}/${childRel}: ${firstLine(e)}`);
      }
      out.push(`./${childRel}`);
    }
  };
  walk('');
  return out;
}

/**
 * The kustomization Flux writes for `req` (GenerateManifest), or undefined when Flux would leave the existing
 * file's meaning unchanged (the folder is then built as it is). Throws GenerateError for Flux's errors.
 */
export function generatedKustomization(repo: string, req: BuildRequest): Generated | undefined {
  const full = buildFolder(repo, req);
  const existing = kustomizationFileIn(full);
  const created = !existing;
  const kus = existing ? existingKustomization(full, req, existing) : createdKustomization(repo, req);
  const s = req.spec;
  const changes = BUILD_FIELDS.some(
    (f) => s[f] !== undefined && !(Array.isArray(s[f]) && (s[f] as unknown[]).length === 0),
  );
  const emptyExisting = !created && !(Array.isArray(kus.resources) && kus.resources.length > 0);
  if (!created && !changes && !emptyExisting) return undefined;
  const out = { ...kus };
  // "if there are no resources, set the build metadata to avoid 'kustomization.yaml is empty'"
  if (emptyExisting) out.buildMetadata = ['originAnnotations'];
  withSpec(out, s, full);
  return {
    file: existing ?? 'kustomization.yaml',
    text: yaml.dump(out, { lineWidth: -1, noRefs: true }),
    created,
    kustomization: out,
  };
}

/**
 * The folder Flux builds, checked: kustomize-controller v1.7.3 and v1.9.4
 * internal/controller/kustomization_controller.go reconcile: os.Stat of the joined spec.path, else
 * "kustomization path not found: %w" (a missing folder, a loop of links, a file).
 */
function buildFolder(repo: string, req: BuildRequest): string {
  const full = path.join(repo, req.dir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(full, { throwIfNoEntry: false });
  } catch (e) {
    const why = errnoCode(e) ?? (e instanceof Error ? e.message : undefined);
    throw new GenerateError(`kustomization path not found: ${req.dir} (${why})`);
  }
  if (!stat) throw new GenerateError(`kustomization path not found: ${req.dir}`);
  if (!stat.isDirectory()) throw new GenerateError(`kustomization path not found: ${req.dir} is not a folder`);
  return full;
}

/** The folder's own kustomization file, read (an empty file is an empty mapping). */
function existingKustomization(full: string, req: BuildRequest, existing: string): KustomizationFile {
  let kus: unknown;
  try {
    kus = loadYaml(fs.readFileSync(path.join(full, existing), 'utf8'), `${req.dir}/${existing}`) ?? {};
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) throw new GenerateError(e.message); // names the file (lib/core/yaml.ts)
    throw new GenerateError(`${req.dir}/${existing} does not parse as YAML: ${firstLine(e)}`);
  }
  if (!isRecord(kus)) throw new GenerateError(`${req.dir}/${existing} is not a kustomization (not a mapping)`);
  return { ...kus };
}

/** The kustomization Flux creates for a folder without one: every manifest of the folder (scanManifests). */
function createdKustomization(repo: string, req: BuildRequest): KustomizationFile {
  let resources: string[];
  try {
    resources = scanManifests(repo, req.dir);
  } catch (e) {
    const code = errnoCode(e);
    if (e instanceof GenerateError || code === undefined) throw e;
    // A folder or file Flux could not read either (permissions, a loop): the Kustomization fails, naming it.
    const failed = typeof e === 'object' && e !== null && 'path' in e ? e.path : undefined;
    const where = typeof failed === 'string' ? path.relative(repo, failed) : req.dir;
    throw new GenerateError(`failed to generate kustomization.yaml for ${req.dir}: ${where} cannot be read (${code})`);
  }
  const kus: KustomizationFile = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
  // "if there are no resources, set a placeholder namespace to avoid 'kustomization.yaml is empty'"
  if (resources.length === 0) kus.namespace = '_placeholder';
  else kus.resources = resources;
  return kus;
}

/** The spec's fields on the kustomization (in place), in the generator's order. */
function withSpec(kus: KustomizationFile, s: BuildSpec, full: string): void {
  if (s.targetNamespace !== undefined) kus.namespace = s.targetNamespace;
  if (s.namePrefix !== undefined) kus.namePrefix = s.namePrefix;
  if (s.nameSuffix !== undefined) kus.nameSuffix = s.nameSuffix;
  for (const p of s.patches ?? []) {
    const target = valueAt(p, 'target');
    kus.patches = [...spread(kus.patches), { patch: valueAt(p, 'patch'), ...(target ? { target } : {}) }];
  }
  for (const c of s.components ?? []) {
    if (typeof c !== 'string' || path.posix.isAbsolute(c) || /^[a-z]+:\/\//i.test(c))
      throw new GenerateError(`component path '${c}' must be local and relative`);
    if (s.ignoreMissingComponents && !fs.existsSync(path.join(full, c))) continue;
    kus.components = [...spread(kus.components), c];
  }
  for (const p of s.patchesStrategicMerge ?? [])
    kus.patchesStrategicMerge = [...spread(kus.patchesStrategicMerge), JSON.stringify(p)];
  for (const p of s.patchesJson6902 ?? [])
    kus.patchesJson6902 = [
      ...spread(kus.patchesJson6902),
      { patch: JSON.stringify(valueAt(p, 'patch')), target: valueAt(p, 'target') },
    ];
  for (const image of s.images ?? []) kus.images = withImage(spread(kus.images), image);
  if (s.buildMetadata?.length) kus.buildMetadata = [...s.buildMetadata];
}

/**
 * A field of a kustomization the spec's entries are appended to, as its items (absent: none). A value that is not
 * a list is spread as JavaScript spreads it (a string into characters, a mapping throws), as before types.
 */
function spread(value: unknown): unknown[] {
  return [...((value ?? []) as Iterable<unknown>)];
}

/** One spec.images entry on the kustomization's images: merged into the one of its name, else added. */
function withImage(existing: readonly unknown[], image: unknown): unknown[] {
  const images: unknown[] = [...existing];
  const field = (k: string) => valueAt(image, k);
  const i = images.findIndex((x) => valueAt(x, 'name') === field('name'));
  if (i >= 0) {
    const merged: Record<string, unknown> = { ...(images[i] as object) };
    if (field('newName')) merged.newName = field('newName');
    if (field('newTag') || field('digest')) {
      merged.newTag = field('newTag');
      merged.digest = field('digest');
      for (const k of ['newTag', 'digest']) if (!merged[k]) delete merged[k];
    }
    images[i] = merged;
  } else {
    const entry = { name: field('name'), newName: field('newName'), newTag: field('newTag'), digest: field('digest') };
    images.push(Object.fromEntries(Object.entries(entry).filter(([, v]) => v)));
  }
  return images;
}

/** How many folders up a kustomization's relative paths reach (`../../x`: 2), over every string it holds. */
function reachUp(value: unknown): number {
  if (typeof value === 'string') {
    const parts = path.posix.normalize(value.trim()).split('/');
    let n = 0;
    while (parts[n] === '..') n++;
    return n;
  }
  if (Array.isArray(value)) return Math.max(0, ...value.map(reachUp));
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(reachUp));
  return 0;
}

/**
 * A folder of the temporary directory that mirrors the repository, with some kustomization files
 * rewritten: real folders down to each rewritten folder; symbolic links to the rewritten folder's other
 * entries and to the entries of the ancestors its `../` paths reach (kustomize follows a linked folder
 * to its real path, so everything further resolves in the repository itself).
 */
class Mirror {
  readonly root: string;
  private readonly written = new Map<string, { file: string; text: string; up: number }>();
  private made = false;

  constructor(
    parent: string,
    index: number,
    private readonly repo: string,
  ) {
    this.root = path.join(parent, `mirror-${index}`);
  }

  has(dir: string): boolean {
    return this.written.has(dir);
  }

  add(dir: string, k: Generated): void {
    this.written.set(dir, { file: k.file, text: k.text, up: reachUp(k.kustomization) });
  }

  make(): void {
    if (this.made) return;
    this.made = true;
    const real = new Set<string>(['']);
    const linked = new Set<string>();
    for (const [dir, k] of this.written) {
      const parts = dir === '' ? [] : dir.split('/');
      for (let i = 1; i <= parts.length; i++) real.add(parts.slice(0, i).join('/'));
      for (let i = parts.length; i >= Math.max(0, parts.length - k.up); i--) linked.add(parts.slice(0, i).join('/'));
    }
    for (const dir of [...real].sort()) {
      const target = path.join(this.root, dir);
      fs.mkdirSync(target, { recursive: true });
      if (!linked.has(dir)) continue;
      const own = this.written.get(dir);
      for (const name of fs.readdirSync(path.join(this.repo, dir))) {
        const rel = dir ? `${dir}/${name}` : name;
        if (real.has(rel) || own?.file === name) continue;
        fs.symlinkSync(path.join(this.repo, rel), path.join(target, name));
      }
    }
    for (const [dir, k] of this.written) fs.writeFileSync(path.join(this.root, dir, k.file), k.text);
  }
}

const PREFIX = (i: number) => `zfb${i}-`;

/**
 * The builder's own temporary folders: `zot-flux-build-<pid>-<start time>-<6 random>` under scratchBase()
 * (lib/tools/owner.ts), as diff names its worktrees. A run killed by a signal (SIGINT, SIGTERM, SIGKILL)
 * never reaches close(); the next build removes what it left.
 */
export const BUILD_PREFIX = 'zot-flux-build-';

/** The process that made a folder named as the builder names its own, or undefined for any other name. */
export function buildFolderOwner(folder: string): ProcessId | undefined {
  return folderOwner(BUILD_PREFIX, folder);
}

/**
 * Removes the builder's folders of `base` whose process no longer runs (deadOwnedFolders: its pid dead, a
 * zombie, or reused; only real folders of this user, never a link; older mkdtemp-style names are left alone).
 * Returns the folders it removed.
 */
export function removeLeftBuildFolders(base: string = scratchBase()): string[] {
  const removed: string[] = [];
  for (const dir of deadOwnedFolders(base, BUILD_PREFIX)) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Another run removing it at the same time, or a folder this user cannot empty: left for a later run.
    }
  }
  return removed;
}

/** A new temporary folder of the builder, named for this process; before making it, removes what killed runs left. */
export function makeBuildFolder(base: string = scratchBase()): string {
  removeLeftBuildFolders(base);
  return makeOwnedFolder(base, BUILD_PREFIX);
}

interface Todo {
  readonly key: string;
  readonly req: BuildRequest;
  /** The folder to build (the repository's, or a mirror's); undefined for a kustomization Flux created. */
  readonly target?: string;
  readonly created?: KustomizationFile;
}

/**
 * The request an object of a batch belongs to, read from its name's prefix PREFIX(i), which is taken off (in
 * place); undefined when it has none (an object kustomize never prefixes).
 */
function unprefixed(o: unknown, requests: number): number | undefined {
  const meta = valueAt(o, 'metadata');
  const name = valueAt(meta, 'name');
  const m = /^zfb(\d+)-/.exec(String(name ?? ''));
  if (!m || Number(m[1]) >= requests || !isRecord(meta) || typeof name !== 'string') return undefined;
  (meta as Record<string, unknown>).name = name.slice(m[0].length);
  return Number(m[1]);
}

/** Builds Flux Kustomizations of one repository with the real kustomize; each distinct request once. */
export class FluxBuilder {
  private readonly cache = new Map<string, BuildResult>();
  private tmp: string | undefined;
  private mirrors = 0;
  private aliasRefused?: Map<string, string>;
  private batches = 0;
  /** kustomize processes run so far. */
  processes = 0;
  /** The repository as Flux's artifact holds it (lib/fleet/artifact.ts): what every build reads. */
  readonly source: SourceArtifact;
  private readonly repo: string;
  private readonly escapes: EscapeFinder;

  /** `repo`: the user's repository (named in messages); builds read its artifact (`source.root`). */
  constructor(private readonly shownAs: string) {
    this.source = sourceArtifact(shownAs, () => this.tempDir());
    this.repo = this.source.root;
    this.escapes = new EscapeFinder(this.repo);
  }

  static key(req: BuildRequest): string {
    return JSON.stringify([req.dir, req.spec]);
  }

  /** The builder's temporary folder (made on first use, see makeBuildFolder). */
  tempDir(): string {
    if (!this.tmp) this.tmp = makeBuildFolder();
    return this.tmp;
  }

  /** Removes the temporary folders. */
  close(): void {
    if (this.tmp) fs.rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = undefined;
  }

  /** The results of every request (from the cache, or built now). */
  buildAll(requests: readonly BuildRequest[]): Map<string, BuildResult> {
    const out = new Map<string, BuildResult>();
    const todo: Todo[] = [];
    const mirrors: Mirror[] = [];
    for (const req of requests) {
      const key = FluxBuilder.key(req);
      if (out.has(key)) continue;
      const cached = this.cache.get(key);
      if (cached) {
        out.set(key, cached);
        continue;
      }
      if (todo.some((t) => t.key === key)) continue;
      let generated: Generated | undefined;
      try {
        generated = this.generate(req);
      } catch (e) {
        if (!(e instanceof GenerateError)) throw e;
        const failed: BuildResult = { ok: false, error: this.withHints(e.message, req.dir) };
        this.cache.set(key, failed);
        out.set(key, failed);
        continue;
      }
      todo.push(this.planned(key, req, generated, mirrors));
    }
    for (const m of mirrors) m.make();
    const results = this.together(todo);
    todo.forEach((t, i) => {
      this.cache.set(t.key, results[i]);
      out.set(t.key, results[i]);
    });
    return out;
  }

  /** What Flux generates for `req`; GenerateError for what fails before kustomize runs. */
  private generate(req: BuildRequest): Generated | undefined {
    // A file kustomize would spend minutes and gigabytes on (lib/fleet/unreadable-yaml.ts aliasRefusedFiles).
    const bomb = [...(this.aliasRefused ??= aliasRefusedFiles(this.repo))].find(([f]) =>
      buildMayRead(this.repo, req.dir, f),
    );
    if (bomb) throw new GenerateError(`kustomize build failed: ${bomb[0]}: ${bomb[1]}`);
    const generated = generatedKustomization(this.repo, req);
    const components = (req.spec.components ?? [])
      .filter((c) => typeof c === 'string')
      .map((c) => path.posix.normalize(`${req.dir}/${c}`).replace(/^\//, ''));
    const outside = components.filter((c) => c === '..' || c.startsWith('../'));
    const escapes = [
      ...outside.map((c) => `spec.components: '${c}'`),
      ...this.escapes.find(
        req.dir,
        components.filter((c) => !outside.includes(c)),
      ),
    ];
    if (escapes.length) throw new GenerateError(escapeFailure(escapes));
    return generated;
  }

  /** Where `req` is built: a mirror folder (an existing kustomization Flux rewrites), a created kustomization, or the repository. */
  private planned(key: string, req: BuildRequest, generated: Generated | undefined, mirrors: Mirror[]): Todo {
    if (generated && !generated.created) {
      let m = mirrors.find((x) => !x.has(req.dir));
      if (!m) {
        m = new Mirror(this.tempDir(), this.mirrors++, this.repo);
        mirrors.push(m);
      }
      m.add(req.dir, generated);
      return { key, req, target: path.join(m.root, req.dir) };
    }
    if (generated) return { key, req, created: generated.kustomization };
    return { key, req, target: path.join(this.repo, req.dir) };
  }

  /**
   * The builds of `todo`: in one batch when it works; when a request breaks it, the halves again (so one broken
   * cluster among many costs a few more processes, not one each); when requests collide (objects kustomize
   * cannot prefix, like two Namespaces flux-system), one process each.
   */
  private together(todo: readonly Todo[]): BuildResult[] {
    if (todo.length === 0) return [];
    if (todo.length === 1) return [this.single(todo[0])];
    const r = this.batch(todo);
    if (r.ok) return r.results;
    if (r.collision || todo.length <= 3) return todo.map((t) => this.single(t));
    const half = Math.ceil(todo.length / 2);
    return [...this.together(todo.slice(0, half)), ...this.together(todo.slice(half))];
  }

  /** A kustomization Flux created, for writing into `at`: its relative entries made relative to there. */
  private relocated(t: Todo, at: string, extra: Record<string, unknown> = {}): string {
    const from = path.join(this.repo, t.req.dir);
    const move = (e: unknown) => (typeof e === 'string' ? path.relative(at, path.join(from, e)) : e);
    const k = { ...t.created, ...extra };
    if (Array.isArray(k.resources)) k.resources = k.resources.map(move);
    if (Array.isArray(k.components)) k.components = k.components.map(move);
    return yaml.dump(k, { lineWidth: -1, noRefs: true });
  }

  private parse(stdout: string): unknown[] {
    return loadYamlAll(stdout, 'kustomize build output').filter((o) => o !== null && o !== undefined);
  }

  private single(t: Todo): BuildResult {
    let target = t.target;
    if (!target) {
      target = path.join(this.tempDir(), `single-${this.batches++}`);
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'kustomization.yaml'), this.relocated(t, target));
    }
    const [r] = this.runMany([target]);
    if (!r.ok) return { ok: false, error: `kustomize build failed: ${this.explain(r.error, t.req.dir)}` };
    try {
      return { ok: true, objects: this.parse(r.stdout) };
    } catch (e) {
      // A file kustomize reads but zot-flux refuses (lib/core/yaml.ts): this build fails, naming the file.
      if (!ZotFluxError.isZotFluxError(e)) throw e;
      return {
        ok: false,
        error: `kustomize build of ${t.req.dir} cannot be read: ${unreadableYaml(this.repo, t.req.dir) ?? e.problems[0].reason}`,
      };
    }
  }

  /** Every request in a few kustomize processes (a chunk per CPU); `collision`: objects of two requests cannot be told apart. */
  private batch(todo: readonly Todo[]): { ok: true; results: BuildResult[] } | { ok: false; collision: boolean } {
    const chunks = Math.max(
      1,
      Math.min(Math.max(os.cpus().length, Math.ceil(todo.length / 100)), Math.floor(todo.length / 32)),
    );
    const dirs: string[] = [];
    for (let c = 0; c < chunks; c++) dirs.push(this.batchFolder(todo, (i) => i % chunks === c));
    const runs = this.runMany(dirs);
    const failed = runs.find((r): r is { ok: false; error: string } => !r.ok);
    // kustomize's duplicate-ID error (resmap "may not add resource with an already registered id") between two
    // requests: unprefixed objects that both hold.
    if (failed) return { ok: false, collision: /already registered id/.test(failed.error) };
    const per: unknown[][] = todo.map(() => []);
    for (const r of runs) {
      let objects: unknown[];
      try {
        objects = this.parse((r as { stdout: string }).stdout);
      } catch {
        return { ok: false, collision: true };
      } // each alone names it
      for (const o of objects) {
        const i = unprefixed(o, todo.length);
        if (i === undefined) return { ok: false, collision: true };
        per[i].push(o);
      }
    }
    return { ok: true, results: per.map((objects) => ({ ok: true as const, objects })) };
  }

  /** A folder building the requests `mine` picks, each in its own wrapper `b<i>` with the namePrefix PREFIX(i). */
  private batchFolder(todo: readonly Todo[], mine: (i: number) => boolean): string {
    const dir = path.join(this.tempDir(), `batch-${this.batches++}`);
    const entries: string[] = [];
    todo.forEach((t, i) => {
      if (!mine(i)) return;
      const sub = path.join(dir, `b${i}`);
      fs.mkdirSync(sub, { recursive: true });
      const s = t.req.spec;
      // A kustomization Flux created takes the prefix itself, unless the prefix could change what its own
      // fields select (spec.namePrefix/nameSuffix, patchesJson6902: kustomize runs those after the prefix).
      const inline =
        t.created && s.namePrefix === undefined && s.nameSuffix === undefined && !s.patchesJson6902?.length;
      const text = inline
        ? this.relocated(t, sub, { namePrefix: PREFIX(i) })
        : yaml.dump({ namePrefix: PREFIX(i), resources: [t.target ? path.relative(sub, t.target) : './k'] });
      if (!inline && !t.target) {
        fs.mkdirSync(path.join(sub, 'k'));
        fs.writeFileSync(path.join(sub, 'k', 'kustomization.yaml'), this.relocated(t, path.join(sub, 'k')));
      }
      fs.writeFileSync(path.join(sub, 'kustomization.yaml'), text);
      entries.push(`./b${i}`);
    });
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), yaml.dump({ resources: entries }));
    return dir;
  }

  /** kustomize build of each target, side by side (lib/tools/kustomize.ts kustomizeBuildAll: one process per target). */
  private runMany(targets: readonly string[]): KustomizeRun[] {
    const runs = kustomizeBuildAll(targets, () => path.join(this.tempDir(), `run-${this.batches++}`));
    this.processes += targets.length;
    return runs;
  }

  /** kustomize's error, and which YAML file of the folder does not parse, if one does not. */
  private explain(error: string, dir: string): string {
    const broken = this.brokenYaml(dir);
    return this.withHints(broken ? `${error} (${broken})` : error, dir);
  }

  /** A message with the artifact's paths shown as the repository's, and why any link it names is absent. */
  private withHints(message: string, dir: string): string {
    const text = this.repo === this.shownAs ? message : message.split(this.repo).join(this.shownAs);
    const hints = linkHints(this.source.links, text, dir);
    return hints.length ? `${text} (${hints.join('; ')})` : text;
  }

  private brokenYaml(dir: string): string | undefined {
    const base = path.join(this.repo, dir);
    const stack = [''];
    while (stack.length) {
      const rel = stack.pop()!;
      let names: string[];
      try {
        names = fs.readdirSync(path.join(base, rel)).sort();
      } catch {
        continue;
      }
      for (const name of names) {
        const childRel = rel ? `${rel}/${name}` : name;
        const full = path.join(base, childRel);
        if (fs.statSync(full).isDirectory()) {
          stack.push(childRel);
          continue;
        }
        if (!/\.ya?ml$|^Kustomization$/.test(name)) continue;
        try {
          yaml.loadAll(fs.readFileSync(full, 'utf8'), { maxDepth: MAX_NESTING + 1 });
        } catch (e) {
          return `${dir}/${childRel} does not parse as YAML: ${firstLine(e)}`;
        }
      }
    }
    return undefined;
  }
}
