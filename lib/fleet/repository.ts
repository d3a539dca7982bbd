// The fleet, read from a GitOps repository: its clusters (never declared twice: every
// clusters/<name>/ with a flux/ folder, except common and template), the ConfigMaps and Secrets
// each cluster's Flux substitutes from, and the generated apps whose manifests they feed.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../core/error';
import { FluxVariableSource } from '../flux/variables';
import { hasGeneratedHeader } from '../layout/generated';
import { COMMON_FLUX_DIR, COMMON_VARS_DIR, CLUSTERS_DIR, clusterVarsDir, DEFAULT_APPS_DIR, fromFluxPath, NOT_CLUSTERS, OWNED_FILES_RECORD } from '../layout/layout';
import { parseOwnedFiles } from '../layout/owned-files';

/** A repository the fleet tools cannot read as Flux would. */
export class FleetError extends ZotFluxError {
  constructor(message: string) {
    super({ field: '', reason: message });
  }
}


/** Cluster names of the repository at `repo`, sorted. */
export function discoverClusters(repo: string): string[] {
  const dir = path.join(repo, CLUSTERS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_CLUSTERS.has(e.name) && fs.existsSync(path.join(dir, e.name, 'flux')))
    .map((e) => e.name)
    .sort();
}

/** One variable as a source defines it: its value, or `undefined` when it is SOPS-encrypted. */
export interface DefinedVariable {
  readonly value: string | undefined;
  /** `Secret/common-secrets`, `ConfigMap/cluster-settings`, ... */
  readonly source: string;
  /** The file that defines it, relative to the repository. */
  readonly file: string;
}

/** The variables a ConfigMap or Secret defines. */
export interface VariableSourceObject {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly file: string;
  readonly encrypted: boolean;
  readonly variables: ReadonlyMap<string, string | undefined>;
}

const ENCRYPTED = /^ENC\[[A-Z0-9_]+,data:/;

/** ConfigMaps and Secrets in the YAML files of one folder (`*.yaml`, SOPS files included). */
export function readVariableSources(repo: string, relDir: string): VariableSourceObject[] {
  const dir = path.join(repo, relDir);
  if (!fs.existsSync(dir)) return [];
  const out: VariableSourceObject[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n) && n !== 'kustomization.yaml').sort()) {
    const file = path.posix.join(relDir, f);
    let docs: any[];
    try {
      docs = yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as any[];
    } catch (e: any) {
      throw new FleetError(`${file}: not valid YAML (${String(e.message).split('\n')[0]})`);
    }
    for (const d of docs) {
      if (!d || (d.kind !== 'ConfigMap' && d.kind !== 'Secret')) continue;
      const encrypted = f.endsWith('.sops.yaml') || d.sops !== undefined;
      const variables = new Map<string, string | undefined>();
      const put = (k: string, v: unknown, decode: boolean) => {
        const text = v == null ? '' : String(v);
        if (encrypted && ENCRYPTED.test(text)) variables.set(k, undefined);
        else variables.set(k, decode ? Buffer.from(text, 'base64').toString('utf8') : text);
      };
      for (const [k, v] of Object.entries(d.data ?? {})) put(k, v, d.kind === 'Secret');
      for (const [k, v] of Object.entries(d.stringData ?? {})) put(k, v, false);
      out.push({ kind: d.kind, name: d.metadata?.name, file, encrypted, variables });
    }
  }
  return out;
}

/** What Flux substitutes on one cluster: each variable's value (undefined: encrypted) and where it comes from. */
export interface ClusterVariables {
  readonly cluster: string;
  readonly variables: ReadonlyMap<string, DefinedVariable>;
  /** Non-optional sources that no file defines: Flux fails the Kustomization on this cluster. */
  readonly missingSources: readonly string[];
  /** Sources defined by more than one file (the same object twice: Flux applies one, or fails). */
  readonly duplicateSources: readonly string[];
}

/**
 * Resolves the variables of `cluster` through `substituteFrom`, in order (a later source wins),
 * from clusters/common/flux/vars and clusters/<cluster>/flux/vars; `substitute` (inline) wins over all.
 */
export function clusterVariables(
  repo: string,
  cluster: string,
  substituteFrom: readonly FluxVariableSource[],
  substitute: Readonly<Record<string, string>> = {},
  commonSources: VariableSourceObject[] = readVariableSources(repo, COMMON_VARS_DIR),
): ClusterVariables {
  const objects = [...commonSources, ...readVariableSources(repo, clusterVarsDir(cluster))];
  const variables = new Map<string, DefinedVariable>();
  const missingSources: string[] = [];
  const duplicateSources: string[] = [];
  for (const s of substituteFrom) {
    const matching = objects.filter((o) => o.kind === s.kind && o.name === s.name);
    if (matching.length === 0) {
      if (!s.optional) missingSources.push(`${s.kind}/${s.name}`);
      continue;
    }
    if (matching.length > 1) duplicateSources.push(`${s.kind}/${s.name} is defined by more than one file: ${matching.map((o) => o.file).join(', ')}`);
    for (const o of matching) {
      for (const [k, v] of o.variables) variables.set(k, { value: v, source: `${o.kind}/${o.name}`, file: o.file });
    }
  }
  for (const [k, v] of Object.entries(substitute)) variables.set(k, { value: v, source: 'postBuild.substitute', file: '' });
  return { cluster, variables, missingSources, duplicateSources };
}

/** An app this project generated into the repository: its Flux Kustomization and the folders it builds. */
export interface GeneratedApp {
  readonly name: string;
  /** clusters/common/apps/<app>, applied by the parent. */
  readonly dir: string;
  /** The folder the app's Flux Kustomization applies (spec.path). */
  readonly appDir: string;
  readonly targetNamespace?: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly substituteFrom: readonly FluxVariableSource[];
  readonly substitute: Readonly<Record<string, string>>;
  /** Where substituteFrom came from: the app's ks.yaml, or a parent's patch. */
  readonly substituteFromOrigin: string;
}

/** substituteFrom lists that parent Kustomizations patch into their children (home-ops style), by file. */
function parentPatches(repo: string): Array<{ file: string; substituteFrom: FluxVariableSource[] }> {
  const found: Array<{ file: string; substituteFrom: FluxVariableSource[] }> = [];
  const dir = path.join(repo, COMMON_FLUX_DIR);
  if (!fs.existsSync(dir)) return found;
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    for (const d of yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as any[]) {
      if (d?.kind !== 'Kustomization' || !Array.isArray(d.spec?.patches)) continue;
      for (const p of d.spec.patches) {
        const patch = typeof p.patch === 'string' ? (yaml.load(p.patch) as any) : undefined;
        const from = patch?.spec?.postBuild?.substituteFrom;
        if (Array.isArray(from)) found.push({ file: `${COMMON_FLUX_DIR}/${f}`, substituteFrom: from });
      }
    }
  }
  return found;
}

/** The Flux Kustomization files (ks.yaml) of the apps synth generated: from its record, or (a tree without one) by their header. */
function generatedKustomizationFiles(repo: string): string[] {
  const record = path.join(repo, OWNED_FILES_RECORD);
  if (fs.existsSync(record)) {
    return parseOwnedFiles(fs.readFileSync(record, 'utf8')).files.filter((f) => path.posix.basename(f) === 'ks.yaml');
  }
  const appsDir = path.join(repo, DEFAULT_APPS_DIR);
  if (!fs.existsSync(appsDir)) return [];
  return fs.readdirSync(appsDir).sort()
    .map((name) => `${DEFAULT_APPS_DIR}/${name}/ks.yaml`)
    .filter((f) => fs.existsSync(path.join(repo, f)) && hasGeneratedHeader(fs.readFileSync(path.join(repo, f), 'utf8')));
}

/** The apps synth generated into the repository, as its record (.zot-flux/owned-files.json) lists them. */
export function findGeneratedApps(repo: string): GeneratedApp[] {
  const apps: GeneratedApp[] = [];
  for (const ksFile of generatedKustomizationFiles(repo)) {
    const rel = path.posix.dirname(ksFile);
    const name = path.posix.basename(rel);
    let text: string;
    try {
      text = fs.readFileSync(path.join(repo, ksFile), 'utf8');
    } catch {
      throw new FleetError(`${ksFile} is listed in ${OWNED_FILES_RECORD} but cannot be read; run npm run synth`);
    }
    const ks = (yaml.loadAll(text) as any[]).find((d) => d?.kind === 'Kustomization');
    if (!ks) continue;
    let substituteFrom: FluxVariableSource[] = ks.spec?.postBuild?.substituteFrom ?? [];
    let origin = `${rel}/ks.yaml`;
    if (!ks.spec?.postBuild) {
      const patch = parentPatches(repo)[0];
      if (!patch) {
        throw new FleetError(`${rel}/ks.yaml has no postBuild and no parent Kustomization under clusters/common/flux patches one in: Flux would not substitute its variables`);
      }
      substituteFrom = patch.substituteFrom;
      origin = patch.file;
    }
    apps.push({
      name,
      dir: rel,
      appDir: fromFluxPath(String(ks.spec?.path ?? '')),
      targetNamespace: ks.spec?.targetNamespace,
      commonLabels: ks.spec?.commonMetadata?.labels ?? {},
      commonAnnotations: ks.spec?.commonMetadata?.annotations ?? {},
      substituteFrom,
      substitute: ks.spec?.postBuild?.substitute ?? {},
      substituteFromOrigin: origin,
    });
  }
  return apps;
}
