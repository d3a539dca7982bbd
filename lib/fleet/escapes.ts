// Files a kustomization names outside the repository. Flux builds inside its artifact only: fluxcd/pkg
// kustomize/kustomize_generator.go@kustomize/v1.24.0 and @kustomize/v1.35.4 SecureBuild(root, dirPath, ...) builds
// with securefs.MakeFsOnDiskSecureBuild(root) (kustomize/filesys/fs_secure.go isSecurePath: every path kustomize
// opens must be in or below the root, else "path '%s' is not in or below '%s'"), root being the folder the artifact
// was extracted to. kubectl kustomize (LoadRestrictionsNone, as Flux) would read such a file, so it is found here,
// before the build: every kustomization a build reaches (its folder's, and those of the folders its resources,
// bases and components name, recursively, as kustomize loads them) is read for paths that leave the repository.
import * as fs from 'fs';
import * as path from 'path';
import { isPlainObject } from '../core/props';
import { loadYaml } from '../core/yaml';

/** konfig.RecognizedKustomizationFileNames (kustomize api v0.20). */
const FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A remote base or resource (kustomize loads it over the network, not from the artifact). */
function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(p) || /^git@/.test(p);
}

interface Folder {
  /** Entries that leave the repository, as `file field: 'path'`. */
  readonly escapes: string[];
  /** Folders (relative to the repository) its resources, bases and components name. */
  readonly children: string[];
}

export class EscapeFinder {
  private readonly folders = new Map<string, Folder>();

  constructor(private readonly root: string) {}

  /** Whether `rel` (relative to the repository) is a folder in it. */
  private isDir(rel: string): boolean {
    try {
      return fs.statSync(path.join(this.root, rel)).isDirectory();
    } catch {
      return false;
    }
  }

  private folder(dir: string): Folder {
    let f = this.folders.get(dir);
    if (f) return f;
    f = { escapes: [], children: [] };
    this.folders.set(dir, f);
    const name = FILES.find((n) => {
      try {
        return fs.statSync(path.join(this.root, dir, n)).isFile();
      } catch {
        return false;
      }
    });
    let k: unknown;
    try {
      k = name ? loadYaml(fs.readFileSync(path.join(this.root, dir, name), 'utf8'), `${dir}/${name}`) : undefined;
    } catch {
      k = undefined; // kustomize reports it
    }
    if (!name || !isPlainObject(k)) {
      // No kustomization: Flux generates one listing the sub-folders that hold one (lib/fleet/build.ts scanManifests).
      if (!name) for (const sub of this.subKustomizations(dir)) f.children.push(sub);
      return f;
    }
    this.readPaths(f, dir, dir ? `${dir}/${name}` : name, k);
    return f;
  }

  /** Every path a kustomization names: an escape from the repository is noted; a folder it builds is a child. */
  private readPaths(f: Folder, dir: string, file: string, k: Record<string, unknown>): void {
    const check = (field: string, p: unknown, child: boolean) => {
      if (typeof p !== 'string' || p.trim() === '' || isRemote(p) || p.includes('\n')) return;
      const resolved = path.posix.normalize(path.posix.isAbsolute(p) ? p : `${dir}/${p}`.replace(/^\//, ''));
      if (path.posix.isAbsolute(p) || resolved === '..' || resolved.startsWith('../')) {
        f.escapes.push(`${file} ${field}: '${p}'`);
        return;
      }
      if (child && this.isDir(resolved)) f.children.push(resolved === '.' ? '' : resolved);
    };
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
    const fieldOf = (v: unknown, key: string): unknown => (isPlainObject(v) ? v[key] : undefined);
    for (const field of ['resources', 'bases', 'components']) for (const p of list(k[field])) check(field, p, true);
    for (const p of list(k.crds)) check('crds', p, false);
    for (const p of list(k.patchesStrategicMerge)) check('patchesStrategicMerge', p, false);
    for (const field of ['patches', 'patchesJson6902', 'replacements'])
      for (const p of list(k[field])) check(field, fieldOf(p, 'path'), false);
    for (const field of ['transformers', 'generators', 'validators'])
      for (const p of list(k[field])) check(field, p, true);
    if (fieldOf(k.openapi, 'path') !== undefined) check('openapi', fieldOf(k.openapi, 'path'), false);
    for (const field of ['configMapGenerator', 'secretGenerator']) {
      for (const g of list(k[field])) {
        for (const e of list(fieldOf(g, 'files')))
          check(field, typeof e === 'string' ? e.slice(e.indexOf('=') + 1) : e, false);
        for (const e of list(fieldOf(g, 'envs'))) check(field, e, false);
        check(field, fieldOf(g, 'env'), false);
      }
    }
  }

  private subKustomizations(dir: string): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(path.join(this.root, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (FILES.some((n) => fs.existsSync(path.join(this.root, child, n)))) out.push(child);
        else walk(child);
      }
    };
    walk(dir);
    return out;
  }

  /** The entries leaving the repository in what a build of `dir` loads (plus `extra` folders, e.g. spec.components). */
  find(dir: string, extra: readonly string[] = []): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    const stack = [dir, ...extra];
    while (stack.length) {
      const d = stack.pop()!;
      if (seen.has(d)) continue;
      seen.add(d);
      const f = this.folder(d);
      out.push(...f.escapes);
      stack.push(...f.children);
    }
    return [...new Set(out)];
  }
}

/** The message of a build that would read outside the artifact. */
export function escapeFailure(escapes: readonly string[]): string {
  return (
    `kustomize build failed: ${escapes.join(', ')} ${escapes.length === 1 ? 'names a path' : 'name paths'} outside the repository; ` +
    "Flux builds inside its artifact only (fluxcd/pkg kustomize/filesys/fs_secure.go isSecurePath: \"path '...' is not in or below '...'\"): " +
    'copy the file into the repository and name it by a path inside it'
  );
}
