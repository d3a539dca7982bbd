// The fleet, read from a GitOps repository: its clusters (never declared twice: every
// clusters/<name>/ with a flux/ folder, except common and template) and the apps synth generated.
// What each cluster applies is lib/fleet/walk.ts.
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../core/error';
import { hasGeneratedHeader } from '../layout/generated';
import { CLUSTERS_DIR, DEFAULT_APPS_DIR, fromFluxPath, NOT_CLUSTERS, OWNED_FILES_RECORD } from '../layout/layout';
import { parseOwnedFiles } from '../layout/owned-files';
import { loadYamlAll } from '../core/yaml';
import { isKubeObject, KubeObject, valueAt } from '../k8s/objects';

/** A repository the fleet tools cannot read as Flux would. */
export class FleetError extends ZotFluxError {
  constructor(message: string) {
    super({ field: '', reason: message });
  }
}

/** Cluster names of the repository at `repo`, sorted. */
export function discoverClusters(repo: string): string[] {
  const dir = path.join(repo, CLUSTERS_DIR);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_CLUSTERS.has(e.name) && fs.existsSync(path.join(dir, e.name, 'flux')))
    .map((e) => e.name)
    .sort();
}

/** An app this project generated into the repository: its Flux Kustomization and the folders it builds. */
export interface GeneratedApp {
  readonly name: string;
  /** clusters/common/apps/<app>, applied by the parent. */
  readonly dir: string;
  /** Its ks.yaml. */
  readonly ksFile: string;
  /** The folder the app's Flux Kustomization applies (spec.path). */
  readonly appDir: string;
  /** The Flux Kustomization as ks.yaml holds it (before any parent's substitution or patches). */
  readonly kustomization: KubeObject;
  /** `namespace/name` of that Kustomization. */
  readonly id: string;
}

/** The Flux Kustomization files (ks.yaml) of the apps synth generated: from its record, or (a tree without one) by their header. */
function generatedKustomizationFiles(repo: string): string[] {
  const record = path.join(repo, OWNED_FILES_RECORD);
  if (fs.existsSync(record)) {
    return parseOwnedFiles(fs.readFileSync(record, 'utf8')).files.filter((f) => path.posix.basename(f) === 'ks.yaml');
  }
  const appsDir = path.join(repo, DEFAULT_APPS_DIR);
  if (!fs.existsSync(appsDir)) return [];
  return fs
    .readdirSync(appsDir)
    .sort()
    .map((name) => `${DEFAULT_APPS_DIR}/${name}/ks.yaml`)
    .filter(
      (f) => fs.existsSync(path.join(repo, f)) && hasGeneratedHeader(fs.readFileSync(path.join(repo, f), 'utf8')),
    );
}

/** The apps synth generated into the repository, as its record (.zot-flux/owned-files.json) lists them. */
export function findGeneratedApps(repo: string): GeneratedApp[] {
  const apps: GeneratedApp[] = [];
  for (const ksFile of generatedKustomizationFiles(repo)) {
    const rel = path.posix.dirname(ksFile);
    let text: string;
    try {
      text = fs.readFileSync(path.join(repo, ksFile), 'utf8');
    } catch {
      throw new FleetError(`${ksFile} is listed in ${OWNED_FILES_RECORD} but cannot be read; run npm run synth`);
    }
    let docs: unknown[];
    try {
      docs = loadYamlAll(text, ksFile);
    } catch (e) {
      throw new FleetError(
        `${ksFile} does not parse as YAML (${String((e as Error).message).split('\n')[0]}); run npm run synth`,
      );
    }
    const ks = docs.filter(isKubeObject).find((d) => d.kind === 'Kustomization');
    if (!ks) continue;
    apps.push({
      name: path.posix.basename(rel),
      dir: rel,
      ksFile,
      appDir: fromFluxPath(String(valueAt(ks, 'spec', 'path') ?? '')),
      kustomization: ks,
      id: `${ks.metadata?.namespace ?? 'default'}/${ks.metadata?.name}`,
    });
  }
  return apps;
}
