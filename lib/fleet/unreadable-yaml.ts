// Which YAML file zot-flux refuses to read (lib/core/yaml.ts: nesting beyond MAX_NESTING, go-yaml's aliasing
// rule, a syntax error), for a failure found in kustomize's output of many files: the build that failed names it.
import * as fs from 'fs';
import * as path from 'path';
import { formatProblem, ZotFluxError } from '../core/error';
import { loadYamlAll, yamlAliasRefusal } from '../core/yaml';

/** Folders never searched (as secret-files.ts skips them). */
const SKIPPED = new Set(['.git', 'node_modules']);

/** Every *.yaml/*.yml file of `repo` (relative, sorted; links not followed), with `visit`'s verdict on its text. */
function yamlFiles(
  repo: string,
  rel: string,
  visit: (file: string, text: string) => string | undefined,
  out: Map<string, string>,
): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(repo, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIPPED.has(e.name)) yamlFiles(repo, child, visit, out);
    } else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(repo, child), 'utf8');
      } catch {
        continue;
      }
      const why = visit(child, text);
      if (why) out.set(child, why);
    }
  }
}

/**
 * The files of `repo` whose aliases go-yaml refuses (lib/core/yaml.ts yamlAliasRefusal), with why. kustomize
 * (kyaml) copies every alias's value in place before it builds, so such a file (~1 KB) makes it run for minutes and
 * take gigabytes; the build that would read one is failed naming it instead of run.
 */
export function aliasRefusedFiles(repo: string): Map<string, string> {
  const out = new Map<string, string>();
  yamlFiles(repo, '', (_file, text) => yamlAliasRefusal(text), out);
  return out;
}

/**
 * The first *.yaml/*.yml file (sorted walk, links not followed) under `dir` of `repo`, then anywhere in `repo`
 * (a kustomization may take resources from ../), that loadYamlAll refuses: `file: why`, the file relative to
 * `repo`; undefined when none does. Only called after a refusal, so its cost is paid once per failed build.
 */
export function unreadableYaml(repo: string, dir: string): string | undefined {
  const searched = new Set<string>();
  const search = (rel: string): string | undefined => {
    if (searched.has(rel)) return undefined;
    searched.add(rel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(repo, rel), { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIPPED.has(e.name)) continue;
        const hit = search(child);
        if (hit) return hit;
      } else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
        try {
          loadYamlAll(fs.readFileSync(path.join(repo, child), 'utf8'), child);
        } catch (err) {
          if (ZotFluxError.isZotFluxError(err)) return formatProblem(err.problems[0]);
        }
      }
    }
    return undefined;
  };
  return search(dir.replace(/^\.\/?/, '').replace(/\/$/, '')) ?? search('');
}

/** kustomize's kustomization file names (as lib/fleet/build.ts KUSTOMIZATION_FILES). */
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Whether kustomize's build of `dir` may read `file` (both relative to `repo`): folder by folder
 * down to it, each folder's kustomization (read itself) must name the file or a folder on the way (a word of its text, as a path
 * relative to it: resources, components, patches, generators' files); a folder without one (Flux generates it
 * from every file and sub-folder) reads all it holds. Errs towards "may": it only chooses which build fails.
 */
export function buildMayRead(repo: string, dir: string, file: string): boolean {
  let at = dir.replace(/^\.\/?|\/$/g, '');
  const visited = new Set<string>();
  for (;;) {
    visited.add(at);
    const name = KUSTOMIZATION_NAMES.find((n) => {
      try {
        return fs.statSync(path.join(repo, at, n)).isFile();
      } catch {
        return false;
      }
    });
    // No kustomization: Flux generates one for the build's own folder (all it holds); kustomize refuses any other.
    if (!name) return visited.size > 1 || at === '' || file.startsWith(`${at}/`);
    if ((at ? `${at}/${name}` : name) === file) return true; // the kustomization itself
    let text: string;
    try {
      text = fs.readFileSync(path.join(repo, at, name), 'utf8');
    } catch {
      return true;
    }
    let next: string | undefined;
    for (const word of text.match(/[\w.@%+~-][\w./@%+~-]*/g) ?? []) {
      const p = path.posix.normalize(at ? `${at}/${word}` : word).replace(/\/$/, '');
      if (p === file) return true;
      // A folder on the way to the file, below this one or through ../ (the deepest named wins).
      if (file.startsWith(`${p}/`) && !visited.has(p) && (!next || p.length > next.length)) next = p;
    }
    if (!next) return false;
    at = next;
  }
}
