// Which files and folders a kustomization reaches through its `resources` (and `components`), read
// from the files themselves: what init needs to say which hand-written kustomization.yaml lacks an
// entry, and which entry to add. Remote resources (URLs) are not followed.
import * as path from 'path';
import { loadYaml } from '../core/yaml';

/**
 * The names kustomize recognises as a folder's kustomization (fluxcd/pkg kustomize/v1.24.0
 * kustomize_generator.go: konfig.RecognizedKustomizationFileNames). Flux generates one for a
 * folder that has none, from every manifest under it (same file: generateKustomization, scanManifests).
 */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The repository as init will leave it: what exists, with the files it is about to create. */
export interface TreeView {
  /** Text of a repository-relative file; undefined when there is none. */
  read(rel: string): string | undefined;
  isDir(rel: string): boolean;
}

export function kustomizationFileIn(view: TreeView, dir: string): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.map((n) => path.posix.join(dir, n)).find((f) => view.read(f) !== undefined);
}

export interface Reach {
  /** Every entry listed by a reached kustomization, normalised (files and folders, present or not). */
  readonly listed: ReadonlySet<string>;
  /** Folders whose kustomization file was read. */
  readonly dirs: ReadonlySet<string>;
  /** Kustomization files that do not parse: what they list is unknown. */
  readonly unreadable: readonly string[];
}

const isRemote = (entry: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
  /^(git@|github\.com\/|gitlab\.com\/)/.test(entry) ||
  entry.includes('?ref=');

/** Everything the kustomization in `dir` reaches. */
export function reachFrom(view: TreeView, dir: string): Reach {
  const listed = new Set<string>();
  const dirs = new Set<string>();
  const unreadable: string[] = [];
  const visit = (d: string) => {
    if (dirs.has(d)) return;
    const file = kustomizationFileIn(view, d);
    if (!file) return;
    dirs.add(d);
    let doc: any;
    try {
      doc = loadYaml(view.read(file)!, file);
    } catch {
      unreadable.push(file);
      return;
    }
    const entries = ['resources', 'components', 'bases'].flatMap((k) => (Array.isArray(doc?.[k]) ? doc[k] : []));
    for (const e of entries) {
      if (typeof e !== 'string' || isRemote(e)) continue;
      const target = path.posix.normalize(path.posix.join(d, e)).replace(/\/+$/, '');
      if (target === '..' || target.startsWith('../')) continue;
      listed.add(target);
      if (view.isDir(target)) visit(target);
    }
  };
  visit(dir);
  return { listed, dirs, unreadable };
}

/** Where an unreached `target` gets listed: the kustomization file to edit and the entry to add there. */
export interface MissingEntry {
  readonly file: string;
  readonly entry: string;
}

/**
 * The entry that makes the kustomization in `entryDir` reach `target` (a file, or a folder with a
 * kustomization): added to the deepest folder on the way whose kustomization is already reached,
 * naming the first folder below it that has its own kustomization, or the target itself.
 */
export function missingEntry(view: TreeView, reach: Reach, entryDir: string, target: string): MissingEntry {
  const rel = path.posix.relative(entryDir, target);
  let base = entryDir;
  if (!rel.startsWith('..')) {
    for (
      let d = path.posix.dirname(target);
      d !== entryDir && d.startsWith(entryDir + '/');
      d = path.posix.dirname(d)
    ) {
      if (reach.dirs.has(d)) {
        base = d;
        break;
      }
    }
  }
  let entry = path.posix.relative(base, target);
  if (!entry.startsWith('..')) {
    const segs = entry.split('/');
    for (let i = 1; i < segs.length; i++) {
      const sub = path.posix.join(base, ...segs.slice(0, i));
      if (kustomizationFileIn(view, sub)) {
        entry = segs.slice(0, i).join('/');
        break;
      }
    }
    entry = `./${entry}`;
  }
  return { file: kustomizationFileIn(view, base) ?? path.posix.join(base, 'kustomization.yaml'), entry };
}
