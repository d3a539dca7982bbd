// Which YAML file zot-flux refuses to read (lib/core/yaml.ts: nesting beyond MAX_NESTING, go-yaml's aliasing
// rule, a syntax error), for a failure found in kustomize's output of many files: the build that failed names it.
import * as fs from 'fs';
import * as path from 'path';
import { formatProblem, ZotFluxError } from '../core/error';
import { loadYamlAll } from '../core/yaml';

/** Folders never searched (as secret-files.ts skips them). */
const SKIPPED = new Set(['.git', 'node_modules']);

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
