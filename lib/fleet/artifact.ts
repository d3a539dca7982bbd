// The repository as kustomize-controller receives it: source-controller's artifact, a tarball of the checkout
// holding regular files and folders only. fluxcd/pkg artifact/storage/archive.go@artifact/v0.5.0 (source-controller
// v1.7.4's go.mod; Flux v2.7.5) and @artifact/v0.18.1 (source-controller v1.9.1's go.mod; Flux v2.9) Storage.Archive,
// called by fluxcd/source-controller internal/controller/gitrepository_controller.go@v1.7.4 and @v1.9.1:
// filepath.Walk (Lstat: it does not follow links) and "Ignore anything that is not a file or directories e.g.
// symlinks". So a symbolic
// link — to a file outside the repository, to one inside it, or a loop — is not in what Flux builds: a
// kustomization listing it fails ("no such file"), a folder Flux scans for manifests silently lacks it, a
// spec.path that is a link is "kustomization path not found".
//
// When the repository holds no link (the usual case) it is used as it is; otherwise its regular files and
// folders are copied into a temporary folder (links left out) and everything is read from there.
import * as fs from 'fs';
import * as path from 'path';
import { refuse } from '../core/error';
import { errnoCode } from '../core/errno';

/** Folders not carried: Git's own (source-controller's default ignore, fluxcd/pkg sourceignore VCSPatterns ".git/"), installed packages (never built). */
const NOT_CARRIED = new Set(['.git', 'node_modules']);

export interface SourceArtifact {
  /** Where to read the repository as Flux sees it: the repository itself, or a copy without its links. */
  readonly root: string;
  /** The symbolic links left out, relative to the repository, sorted. */
  readonly links: readonly string[];
  /** Removes the copy, if one was made. */
  close(): void;
}

/** Why Flux does not see `link` (a path relative to the repository). */
export function linkReason(link: string): string {
  return (
    `${link} is a symbolic link: source-controller leaves links out of the artifact Flux builds from ` +
    '(fluxcd/pkg artifact/storage/archive.go Archive: "Ignore anything that is not a file or directories e.g. symlinks"), ' +
    'so Flux does not see it; commit the file or folder itself'
  );
}

function readDir(full: string, rel: string): fs.Dirent[] {
  try {
    return fs.readdirSync(full, { withFileTypes: true });
  } catch (e) {
    const why = errnoCode(e) ?? (e instanceof Error ? e.message : undefined);
    return refuse(rel || '.', full, `cannot be read (${why}); check its permissions`);
  }
}

/** The symbolic links of the repository (outside .git and node_modules), relative to it, sorted. */
export function repositoryLinks(repo: string): string[] {
  const out: string[] = [];
  const walk = (full: string, rel: string) => {
    for (const e of readDir(full, rel)) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) out.push(childRel);
      else if (e.isDirectory() && !NOT_CARRIED.has(e.name)) walk(path.join(full, e.name), childRel);
    }
  };
  walk(repo, '');
  return out.sort();
}

/** The repository as Flux's artifact holds it; `scratch` is a folder of the caller's where a copy may go. */
export function sourceArtifact(repo: string, scratch: () => string): SourceArtifact {
  const links = repositoryLinks(repo);
  if (links.length === 0) return { root: repo, links, close: () => undefined };
  const root = path.join(scratch(), 'artifact');
  const copy = (from: string, to: string, rel: string) => {
    fs.mkdirSync(to, { recursive: true });
    for (const e of readDir(from, rel)) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !NOT_CARRIED.has(e.name)) copy(path.join(from, e.name), path.join(to, e.name), childRel);
      else if (e.isFile()) fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
    }
  };
  copy(repo, root, '');
  return { root, links, close: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** The reasons of the links a message (or a folder, relative to the repository) names: what explains a failure. */
export function linkHints(links: readonly string[], text: string, dir?: string): string[] {
  return links
    .filter(
      (l) =>
        text.includes(`/${l}`) ||
        text.includes(`'${l}'`) ||
        (dir !== undefined && (dir === l || dir.startsWith(`${l}/`))),
    )
    .map(linkReason);
}
