import * as yaml from 'js-yaml';

/** YAML text of objects, one document each, with no folding of long lines (stable, readable diffs). */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map((o) => '---\n' + yaml.dump(o, { lineWidth: -1, noRefs: true })).join('');
}
