// The thin adapter a swap of lib/go/yaml for the `yaml` package (v2) would use, as close to go-yaml as its
// options go: sigs.k8s.io/yaml.Marshal (YAML 1.1, sorted keys, 80 columns, unindented lists) and YAMLToJSON (the
// first document, YAML 1.1, merge keys). Measured by scripts/yaml-package-vs-port.ts and pinned by
// test/go/yaml-package.test.ts.
import * as YAML from 'yaml';

/** Marshal as the `yaml` package writes it. */
export function yamlPackageWrite(object: unknown): string {
  return YAML.stringify(JSON.parse(JSON.stringify(object)), {
    version: '1.1',
    sortMapEntries: true,
    lineWidth: 80,
    minContentWidth: 0,
    indentSeq: false,
  });
}

/** YAMLToJSON as the `yaml` package reads it; throws where it reports an error. */
export function yamlPackageRead(text: string): unknown {
  const doc = YAML.parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: false })[0];
  if (doc === undefined) return null;
  if (!('errors' in doc) || doc.errors.length > 0) throw new Error('yaml refused it');
  return JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: 100 }) ?? null));
}
