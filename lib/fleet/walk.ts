// What Flux applies on one cluster, Kustomization by Kustomization, from the cluster's entry point
// (clusters/<name>/flux). Each Flux Kustomization is taken through kustomize-controller's pipeline
// (fluxcd/kustomize-controller v1.7.3 and v1.9.4 internal/controller/kustomization_controller.go:
// reconcile → generate → build → ssautil.ReadObjects → apply):
//   1. generate + kustomize build of spec.path, with spec.targetNamespace, patches, images, components...
//      (lib/fleet/build.ts);
//   2. build(): per object, name/kind/apiVersion must be set; SOPS decryption when spec.decryption is set
//      (values stay unknown here); postBuild substitution when spec.postBuild is set
//      (generator.SubstituteVariables, lib/flux/substitute-object.ts), strict when the cluster's
//      StrictPostBuildSubstitutions gate is on, `substituteStrategy` honoured on Flux 2.9; the first error
//      fails the whole Kustomization ("post build failed for ...");
//   3. apply(): spec.commonMetadata labels and annotations are set on every object AFTER the substitution
//      (ssautil.SetCommonMetadata, fluxcd/pkg ssa v0.61.0/v0.76.1 utils/meta.go: existing keys overridden);
//      an object the API server refuses (its CRD schema, a core field's type: lib/fleet/apply-refusals.ts)
//      fails the dry-run and the whole Kustomization: nothing of it is applied, so its Kustomizations,
//      ConfigMaps and Secrets do not reach the cluster, and a Kustomization that dependsOn it is blocked.
// Before all that, spec.path must exist in the source artifact (a folder: "kustomization path not found"),
// and the artifact holds no symbolic link (lib/fleet/artifact.ts).
// Variables come from the ConfigMaps and Secrets the cluster applies, in the Kustomization's own namespace
// (fluxcd/pkg kustomize/v1.24.0+v1.35.4 kustomize_varsub.go LoadVariables: Get(Namespace:
// kustomization.GetNamespace()); ConfigMap `.data`, Secret `.data` — a Secret's stringData is what the API
// server stores in .data —, in substituteFrom order, later sources win; a missing source fails the
// Kustomization unless `optional`; then postBuild.substitute overrides them all).
//
// Which Kustomizations are followed: those whose path holds the cluster's Flux configuration
// (clusters/<name>/flux, clusters/common/flux) and those whose path leads to a generated app. Other apps
// are not built (they are listed in `notFollowed`). A cluster whose entry point declares no Flux
// Kustomization at all is taken to use the reference layout's entry (clusters/common/flux applied beside
// it, like ../shared/reference/anchor clusters/<name>/flux/config/cluster.yaml), and that is said.
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../core/error';
import { FLUX_GENERATIONS } from '../flux/generation';
import { optsOutOfSubstitution } from '../flux/substitute-object';
import { isRecord, valueAt } from '../k8s/objects';
import { validateAgainstCrd } from '../k8s/schema';
import { clusterFluxDir, COMMON_FLUX_DIR } from '../layout/layout';
import { coreObjectRefusals, utf8Problem } from './apply-refusals';
import { BuildRequest, BuildResult, buildSpecOf, FluxBuilder } from './build';
import { ClusterFlux } from './flux-version';
import { SubstituteOptions, Substituter } from './substituter';

export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
/** Where an object without a namespace lands (the API server's default namespace). */
const DEFAULT_NAMESPACE = 'default';
const ENCRYPTED = /^ENC\[[A-Z0-9_]+,data:/;

/** One variable as a cluster's sources define it. */
export interface VarValue {
  /** Its value; undefined when it is SOPS-encrypted (only the key is known). */
  readonly value: string | undefined;
  /** From a Secret (shown as a placeholder), or encrypted. */
  readonly secret: boolean;
  /** `ConfigMap/cluster-settings`, `Secret/common-secrets`, `postBuild.substitute`. */
  readonly source: string;
  /** A Secret value whose bytes are not UTF-8: why go-yaml's reader refuses them once substituted. */
  readonly notUtf8?: string;
}

type Status = 'toBuild' | 'building' | 'built' | 'done' | 'failed';

/** A Flux Kustomization as one cluster applies it. */
export interface AppliedKustomization {
  /** `namespace/name`; the entry point is `(entry)` unless a Kustomization of its own output applies it. */
  readonly id: string;
  readonly namespace: string;
  /** The Kustomization object as its parent applied it (undefined for the entry point). */
  readonly object: unknown;
  /** The folder it builds, relative to the repository. */
  readonly dir: string;
  /** The Kustomization that applied it. */
  readonly appliedBy: string;
  readonly assumed: boolean;
  status: Status;
  request?: BuildRequest;
  /** The built objects, before substitution. */
  raw?: readonly unknown[];
  /** The objects applied: substituted (unknown values as samples or --vars), commonMetadata set. */
  applied?: readonly unknown[];
  vars?: ReadonlyMap<string, VarValue>;
  /** Why the whole Kustomization fails on this cluster (a refusal of the API server included: nothing of it is applied). */
  failure?: string;
}

export interface WalkOptions {
  /** Real values for encrypted variables (--vars). */
  readonly provided: Readonly<Record<string, string>>;
  /** A stand-in for an unknown value. */
  readonly sample: (name: string) => string;
  /** Folders of the generated apps (ks.yaml's folder and its spec.path): a Kustomization whose path leads there is followed. */
  readonly appDirs: readonly string[];
}

export function isUnder(dir: string, root: string): boolean {
  return root === '' || dir === root || dir.startsWith(`${root}/`);
}

/**
 * spec.path inside the artifact, as kustomize-controller joins it (kustomization_controller.go@v1.7.3/@v1.9.4:
 * securejoin.SecureJoin(tmpDir, obj.Spec.Path), cyphar/filepath-securejoin v0.6.0/v0.6.1: `..` above the root
 * stays at the root, an absolute path is taken from the root); relative to the repository, '' for its root.
 */
export function artifactPath(specPath: string): string {
  return path.posix.normalize(`/${specPath}`).replace(/^\/+/, '').replace(/\/+$/, '');
}

/**
 * Whether a reference to a set, non-empty variable puts its value itself into the text: `$X`, `${X}` and the
 * default operators (`-`, `=`, `?`, with or without `:`); not `${#X}` (a length), `+` (the alternative), case
 * changes or substrings (envsubst works on the value first).
 */
function insertsValue(expression: string, name: string): boolean {
  if (!expression.startsWith('${')) return expression === `$${name}`;
  if (expression.startsWith('${#')) return false;
  const rest = expression.slice(2 + name.length);
  return rest === '}' || /^:?[-=?]/.test(rest);
}

function describe(o: unknown): string {
  return `${valueAt(o, 'kind') ?? '?'}/${valueAt(o, 'metadata', 'name') ?? '?'}`;
}

/** kustomization_controller.go build(): "failed to decode Kubernetes apiVersion, kind and name from: ..." */
function undecodable(k: AppliedKustomization, raw: readonly unknown[]): string | undefined {
  const bad = raw.find((o) => !valueAt(o, 'apiVersion') || !valueAt(o, 'kind') || !valueAt(o, 'metadata', 'name'));
  return bad
    ? `failed to decode Kubernetes apiVersion, kind and name from an object of ${k.dir} (${describe(bad)})`
    : undefined;
}

/** A substitution error, said of the object it is about. */
function substitutionFailure(raw: readonly unknown[], e: ZotFluxError): string {
  const first = e.problems[0];
  const which = raw.find((o) => first.field === describe(o) || first.field.startsWith(`${describe(o)}.`));
  const where = which ? describe(which) : 'an object';
  const rest =
    which && e.message.startsWith(`${where}.`)
      ? e.message.slice(where.length + 1)
      : e.message.startsWith(`${where}: `)
        ? e.message.slice(where.length + 2)
        : e.message;
  return `post build failed for ${where}: ${rest}`;
}

/** spec.commonMetadata's labels and annotations on every object (they win over the object's own). */
export function applyCommonMetadata(objects: readonly unknown[], spec: unknown): unknown[] {
  const cmeta = valueAt(spec, 'commonMetadata');
  const [commonLabels, commonAnnotations] = [valueAt(cmeta, 'labels'), valueAt(cmeta, 'annotations')];
  if (!cmeta || (!commonLabels && !commonAnnotations)) return [...objects];
  return objects.map((o) => {
    const metadata: Record<string, unknown> = { ...fields(valueAt(o, 'metadata')) };
    const labels = { ...fields(valueAt(o, 'metadata', 'labels')), ...fields(commonLabels) };
    const annotations = { ...fields(valueAt(o, 'metadata', 'annotations')), ...fields(commonAnnotations) };
    if (Object.keys(labels).length) metadata.labels = labels;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    return { ...fields(o), metadata };
  });
}

/**
 * A parsed value to spread into a new object: as JavaScript spreads it (absent: nothing; objects are mappings
 * here, which the schema and kustomize ensure).
 */
function fields(value: unknown): object {
  return (value ?? {}) as object;
}

/** The variables of `ks`, read from the objects the cluster applies. */
export function resolveVariables(
  ks: AppliedKustomization,
  index: ReadonlyMap<string, { obj: unknown; by: string }>,
  all: readonly unknown[],
): { vars: Map<string, VarValue>; error?: string; hints: string[] } {
  const vars = new Map<string, VarValue>();
  const hints: string[] = [];
  const postBuild = valueAt(ks.object, 'spec', 'postBuild');
  const from = valueAt(postBuild, 'substituteFrom');
  const refs: readonly unknown[] = Array.isArray(from) ? from : [];
  for (const ref of refs) {
    const kind = valueAt(ref, 'kind');
    const name = valueAt(ref, 'name');
    const found = index.get(`${kind}/${ks.namespace}/${name}`)?.obj;
    if (!found) {
      const why = elsewhereHint(ks, kind, name, all);
      if (valueAt(ref, 'optional')) {
        if (why) hints.push(`optional ${kind}/${name} is not in ${ks.namespace}${why}`);
        continue;
      }
      // kustomize_varsub.go LoadVariables: `substitute from '%s/%s' error: %w` (the Get's NotFound).
      return {
        vars,
        error: `substitute from '${kind}/${name}' error: ${kind === 'Secret' ? 'secrets' : 'configmaps'} "${name}" not found${why}`,
        hints,
      };
    }
    hints.push(...sourceVariables(found, kind, name, vars));
  }
  const inline = valueAt(postBuild, 'substitute');
  if (inline && typeof inline === 'object') {
    for (const [k, v] of Object.entries(inline))
      vars.set(k, { value: String(v ?? ''), secret: false, source: 'postBuild.substitute' });
  }
  return { vars, hints };
}

/** Where else the cluster applies a source Flux does not find in the Kustomization's namespace, for its message. */
function elsewhereHint(ks: AppliedKustomization, kind: unknown, name: unknown, all: readonly unknown[]): string {
  const elsewhere = all
    .filter((o) => valueAt(o, 'kind') === kind && valueAt(o, 'metadata', 'name') === name)
    .map((o) => valueAt(o, 'metadata', 'namespace') ?? DEFAULT_NAMESPACE);
  return elsewhere.length
    ? ` (the cluster applies ${kind}/${name} only in namespace ${[...new Set(elsewhere)].join(', ')}; Flux looks in ${ks.namespace}, the Kustomization's namespace)`
    : '';
}

/** The variables of one ConfigMap or Secret into `vars`; returns hints about what Flux does not read. */
function sourceVariables(found: unknown, kind: unknown, name: unknown, vars: Map<string, VarValue>): string[] {
  const hints: string[] = [];
  const sops = valueAt(found, 'sops');
  const encrypted = sops !== undefined && sops !== null;
  const [data, stringData] = [fields(valueAt(found, 'data')), fields(valueAt(found, 'stringData'))];
  const source = `${kind}/${name}`;
  const put = (k: string, v: unknown, decode: boolean, secret: boolean) => {
    const text = v === null || v === undefined ? '' : String(v);
    if (encrypted && ENCRYPTED.test(text)) {
      vars.set(k, { value: undefined, secret: true, source });
      return;
    }
    if (!decode) {
      vars.set(k, { value: text, secret: secret || encrypted, source });
      return;
    }
    // The API server keeps a Secret's bytes as they are; Flux substitutes them as they are (lib/fleet/apply-refusals.ts).
    const bytes = Buffer.from(text, 'base64');
    vars.set(k, { value: bytes.toString('utf8'), secret: secret || encrypted, source, notUtf8: utf8Problem(bytes) });
  };
  if (kind === 'ConfigMap') {
    for (const [k, v] of Object.entries(data)) put(k, v, false, false);
    for (const k of Object.keys(stringData)) {
      if (!(k in data))
        hints.push(`ConfigMap/${name} has ${k} under stringData, which ConfigMaps do not have (Flux reads .data)`);
    }
  } else if (kind === 'Secret') {
    // The API server merges stringData into data (stringData wins); Flux reads .data.
    for (const [k, v] of Object.entries({ ...data })) put(k, v, true, true);
    for (const [k, v] of Object.entries(stringData)) put(k, v, false, true);
  }
  return hints;
}

/** What one cluster's Flux applies, Kustomization by Kustomization. */
export class ClusterWalk {
  readonly kustomizations: AppliedKustomization[] = [];
  /** Problems of the cluster that are not one Kustomization's. */
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  /** Kustomizations seen but not followed (other apps). */
  readonly notFollowed: string[] = [];
  /** ConfigMaps and Secrets applied, by `Kind/namespace/name`. */
  readonly index = new Map<string, { obj: unknown; by: string }>();
  readonly all: unknown[] = [];
  /** The entry point declares no Flux Kustomization: the reference layout's entry was assumed. */
  assumedEntry = false;
  private readonly entryDir: string;

  constructor(
    readonly repo: string,
    readonly cluster: string,
    readonly flux: ClusterFlux,
    private readonly substituter: Substituter,
    private readonly options: WalkOptions,
  ) {
    this.entryDir = clusterFluxDir(cluster);
    this.kustomizations.push({
      id: '(entry)',
      namespace: 'flux-system',
      object: undefined,
      dir: this.entryDir,
      appliedBy: '',
      assumed: false,
      status: 'toBuild',
    });
  }

  /** The builds this walk waits for. */
  requests(): BuildRequest[] {
    const out: BuildRequest[] = [];
    for (const k of this.kustomizations) {
      if (k.status !== 'toBuild') continue;
      k.request = { dir: k.dir, spec: buildSpecOf(valueAt(k.object, 'spec')) };
      k.status = 'building';
      out.push(k.request);
    }
    return out;
  }

  deliver(results: ReadonlyMap<string, BuildResult>): void {
    for (const k of this.kustomizations) {
      if (k.status !== 'building') continue;
      const r = results.get(FluxBuilder.key(k.request!));
      if (!r) continue;
      if (r.ok) {
        k.raw = r.objects;
        k.status = 'built';
      } else {
        k.failure = r.error;
        k.status = 'failed';
      }
    }
  }

  get done(): boolean {
    return this.kustomizations.every((k) => k.status === 'done' || k.status === 'failed');
  }

  /**
   * Finishes the built Kustomizations whose variable sources are applied (or, `final`, every built one).
   * Returns whether anything changed.
   */
  advance(final: boolean): boolean {
    let progressed = false;
    for (const k of this.kustomizations) {
      if (k.status !== 'built') continue;
      const others = this.kustomizations.some(
        (o) => o !== k && (o.status === 'toBuild' || o.status === 'building' || o.status === 'built'),
      );
      if (!final && others && (this.waitsForSource(k) || this.waitsForDependency(k))) continue;
      this.finish(k);
      progressed = true;
    }
    return progressed;
  }

  private waitsForSource(k: AppliedKustomization): boolean {
    const from = valueAt(k.object, 'spec', 'postBuild', 'substituteFrom');
    return (
      Array.isArray(from) &&
      from.some((r: unknown) => !this.index.has(`${valueAt(r, 'kind')}/${k.namespace}/${valueAt(r, 'name')}`))
    );
  }

  /** The ids `k` depends on (spec.dependsOn; a missing namespace is k's own), those with a readyExpr left out. */
  private dependencyIds(k: AppliedKustomization): string[] {
    const refs = valueAt(k.object, 'spec', 'dependsOn');
    if (!Array.isArray(refs)) return [];
    return refs
      .filter((r: unknown) => !valueAt(r, 'readyExpr'))
      .map((r: unknown) => `${valueAt(r, 'namespace') ?? k.namespace}/${valueAt(r, 'name')}`);
  }

  /** A dependency not finished yet, or not reached yet (a later Kustomization may apply it). */
  private waitsForDependency(k: AppliedKustomization): boolean {
    return this.dependencyIds(k).some((id) => {
      const d = this.kustomizations.find((o) => o !== k && o.id === id);
      return !d || (d.status !== 'done' && d.status !== 'failed');
    });
  }

  private finish(k: AppliedKustomization): void {
    const raw = k.raw ?? [];
    const spec = valueAt(k.object, 'spec') ?? {};
    const before = this.blockedBy(k) ?? undecodable(k, raw);
    if (before !== undefined) return this.fail(k, before);
    const substituted = this.substituted(k, raw, spec);
    if ('failure' in substituted) return this.fail(k, substituted.failure);
    const applied = applyCommonMetadata(substituted.objects, spec);
    k.applied = applied;
    const refused = this.refusals(k, applied, spec);
    if (refused.length) {
      return this.fail(
        k,
        `the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: ${refused.join('; ')}`,
      );
    }
    k.status = 'done';
    this.record(k, applied);
    this.discover(k, applied);
  }

  private fail(k: AppliedKustomization, why: string): void {
    k.failure = why;
    k.status = 'failed';
  }

  /**
   * fluxcd/kustomize-controller internal/controller/kustomization_controller.go@v1.7.3 and @v1.9.4
   * checkDependencies: a dependency that is not Ready blocks the reconciliation ("dependency '%s' is not
   * ready"), before anything is built; nothing of k is applied. A dependency with a readyExpr (a CEL
   * expression this project does not evaluate; without the AdditiveCELDependencyCheck gate it replaces the
   * Ready check) is not judged.
   */
  private blockedBy(k: AppliedKustomization): string | undefined {
    const ids = this.dependencyIds(k);
    const blocked = this.kustomizations.find((d) => d !== k && d.status === 'failed' && ids.includes(d.id));
    return blocked
      ? `dependency '${blocked.id}' is not ready (it fails on this cluster), so Flux does not apply it`
      : undefined;
  }

  /**
   * fluxcd/pkg kustomize/kustomize_varsub.go@kustomize/v1.24.0 and @kustomize/v1.35.4 SubstituteVariables: an object that opts out
   * (kustomize.toolkit.fluxcd.io/substitute: disabled) returns before LoadVariables; the variables are loaded
   * for each other object, so a missing source fails only a Kustomization with an object that does not opt out.
   */
  private substituted(
    k: AppliedKustomization,
    raw: readonly unknown[],
    spec: unknown,
  ): { objects: unknown[] } | { failure: string } {
    const substituted = raw.find((o) => !optsOutOfSubstitution(o));
    if (!valueAt(spec, 'postBuild') || !substituted) return { objects: [...raw] };
    const { vars, error, hints } = resolveVariables(k, this.index, this.all);
    k.vars = vars;
    for (const h of hints) this.notes.push(`${k.id}: ${h}`);
    if (error) return { failure: `post build failed for ${describe(substituted)}: ${error}` };
    const values: Record<string, string> = {};
    for (const [name, v] of vars) values[name] = v.value ?? this.options.provided[name] ?? this.options.sample(name);
    const facts = FLUX_GENERATIONS[this.flux.generation];
    const opts = {
      generation: this.flux.generation,
      strict: this.flux.strict,
      substituteStrategy: facts.substituteStrategy ? substituteStrategyOf(spec) : undefined,
    };
    let objects: unknown[];
    try {
      objects = raw.map((o) => this.substituter.substitute(o, values, opts));
    } catch (e) {
      if (!ZotFluxError.isZotFluxError(e)) throw e;
      return { failure: substitutionFailure(raw, e) };
    }
    const unreadable = this.notUtf8Failure(raw, vars, opts.substituteStrategy === 'Always');
    return unreadable !== undefined ? { failure: unreadable } : { objects };
  }

  /** A Secret value that is not UTF-8, substituted into an object: its YAML cannot be read back. */
  private notUtf8Failure(
    raw: readonly unknown[],
    vars: ReadonlyMap<string, VarValue>,
    always: boolean,
  ): string | undefined {
    const broken = [...vars].filter(([, v]) => v.notUtf8 !== undefined);
    if (!broken.length || (vars.size === 0 && !always)) return undefined;
    for (const o of raw) {
      if (optsOutOfSubstitution(o)) continue;
      const refs = this.substituter.references(o) ?? [];
      const hit = broken.find(([n]) => refs.some((r) => r.name === n && insertsValue(r.expression, n)));
      if (hit) {
        return (
          `post build failed for ${describe(o)}: the substituted YAML cannot be read back (YAMLToJSON: yaml: ${hit[1].notUtf8}): ` +
          `the value of ${hit[0]} (${hit[1].source}) is not UTF-8 text; the API server keeps a Secret's bytes as they are and Flux substitutes them so`
        );
      }
    }
    return undefined;
  }

  /**
   * fluxcd/kustomize-controller internal/controller/kustomization_controller.go@v1.7.3 and @v1.9.4 apply():
   * an encrypted Secret (decryptor.IsEncryptedSecret: v1 Secret with a sops field) without spec.decryption
   * fails before anything is applied ("... is SOPS encrypted, configuring decryption is required for this
   * secret to be reconciled"); then manager.ApplyAllStaged dry-runs every object of a stage first, and one
   * refusal fails the Kustomization with nothing of that stage applied (fluxcd/pkg ssa/manager_apply.go
   * @ssa/v0.61.0 and @ssa/v0.76.1 ApplyAll: g.Wait() returns the dry-run error before any apply).
   */
  private refusals(k: AppliedKustomization, applied: readonly unknown[], spec: unknown): string[] {
    const refused: string[] = [];
    const decryption = valueAt(spec, 'decryption');
    for (const o of applied) {
      const encrypted = isRecord(o) && o.sops !== undefined;
      if (encrypted && !decryption && k.object) {
        refused.push(
          `${describe(o)} is SOPS-encrypted but ${k.id} has no spec.decryption: Flux refuses to apply it encrypted`,
        );
      }
      // Decrypted by Flux before it applies: the sops metadata is gone (its values stay unknown here).
      const sent = encrypted && decryption ? (({ sops: _sops, ...rest }) => rest)(o) : o;
      refused.push(...(validateAgainstCrd(sent, this.flux.generation) ?? []), ...coreObjectRefusals(o));
    }
    return refused;
  }

  /** The objects `k` applied, and its ConfigMaps and Secrets by `Kind/namespace/name` (two writers of one: a problem). */
  private record(k: AppliedKustomization, applied: readonly unknown[]): void {
    for (const o of applied) {
      this.all.push(o);
      const kind = valueAt(o, 'kind');
      if (kind === 'ConfigMap' || kind === 'Secret') {
        const [namespace, name] = [valueAt(o, 'metadata', 'namespace'), valueAt(o, 'metadata', 'name')];
        const key = `${kind}/${String(namespace ?? DEFAULT_NAMESPACE)}/${String(name)}`;
        const before = this.index.get(key);
        if (before && before.by !== k.id)
          this.problems.push(`${key} is applied by both ${before.by} and ${k.id}: they overwrite each other`);
        this.index.set(key, { obj: o, by: k.id });
      }
    }
  }

  private followed(dir: string): boolean {
    if (isUnder(dir, this.entryDir) || isUnder(dir, COMMON_FLUX_DIR)) return true;
    // A path Flux cannot find fails whatever it holds ("kustomization path not found"): followed, so it is reported.
    if (!this.isFolder(dir)) return true;
    return this.options.appDirs.some((a) => isUnder(a, dir));
  }

  private discover(parent: AppliedKustomization, objects: readonly unknown[]): void {
    const children = objects.filter(
      (o) =>
        valueAt(o, 'kind') === 'Kustomization' && String(valueAt(o, 'apiVersion')).startsWith(`${KUSTOMIZE_GROUP}/`),
    );
    if (parent.id === '(entry)' && children.length === 0) {
      this.assumedEntry = true;
      this.notes.push(
        `${this.entryDir} declares no Flux Kustomization: assumed the reference entry point (Kustomizations in flux-system applying ${this.entryDir} and ${COMMON_FLUX_DIR})`,
      );
      this.add({
        id: 'flux-system/common-cluster',
        namespace: 'flux-system',
        object: { spec: { decryption: { provider: 'sops' } } },
        dir: COMMON_FLUX_DIR,
        appliedBy: '(entry)',
        assumed: true,
        status: 'toBuild',
      });
      return;
    }
    for (const o of children) {
      const namespace = String(valueAt(o, 'metadata', 'namespace') ?? DEFAULT_NAMESPACE);
      const id = `${namespace}/${String(valueAt(o, 'metadata', 'name'))}`;
      const dir = artifactPath(String(valueAt(o, 'spec', 'path') ?? './'));
      const normalised = dir === '.' ? '' : dir;
      if (parent.id === '(entry)' && normalised === this.entryDir) {
        // The entry point applies itself (the reference's Kustomization `cluster`): the same objects.
        (parent as { id: string }).id = id;
        continue;
      }
      const seen = this.kustomizations.find((k) => k.id === id);
      if (seen) {
        if (seen.dir !== normalised)
          this.problems.push(
            `Kustomization ${id} is applied by ${seen.appliedBy} and ${parent.id} with different paths`,
          );
        continue;
      }
      if (valueAt(o, 'spec', 'suspend') === true) {
        this.notes.push(`${id} is suspended: Flux does not reconcile it`);
        continue;
      }
      if (!this.followed(normalised)) {
        this.notFollowed.push(`${id} (${normalised || '.'})`);
        continue;
      }
      this.add({ id, namespace, object: o, dir: normalised, appliedBy: parent.id, assumed: false, status: 'toBuild' });
    }
  }

  private isFolder(dir: string): boolean {
    try {
      return fs.statSync(path.join(this.repo, dir), { throwIfNoEntry: false })?.isDirectory() === true;
    } catch {
      return false;
    }
  }

  private add(k: AppliedKustomization): void {
    this.kustomizations.push(k);
  }

  /**
   * The generated ks.yaml, applied by an assumed parent without postBuild: used when the entry point was
   * assumed and no Kustomization reached the app (a repository without a hand-written parent).
   */
  assumeApp(object: unknown, dir: string): void {
    const namespace = String(valueAt(object, 'metadata', 'namespace') ?? DEFAULT_NAMESPACE);
    this.add({
      id: `${namespace}/${String(valueAt(object, 'metadata', 'name'))}`,
      namespace,
      object,
      dir,
      appliedBy: '(assumed parent)',
      assumed: true,
      status: 'toBuild',
    });
  }
}

/** spec.postBuild.substituteStrategy (Flux 2.7 and later), as the Kustomization gives it. */
export function substituteStrategyOf(spec: unknown): SubstituteOptions['substituteStrategy'] {
  return valueAt(spec, 'postBuild', 'substituteStrategy') as SubstituteOptions['substituteStrategy']; // by the CRD schema
}

/** Whether an object opts out of substitution (exactly `disabled`, on its own labels or annotations). */
export const optsOut = optsOutOfSubstitution;
