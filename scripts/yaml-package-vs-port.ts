// `node scripts/run.js scripts/yaml-package-vs-port.ts [-v]`: runs the committed conformance subset
// (test/fixtures/flux-conformance/pipeline-*.jsonl) through the `yaml` package (v2, `version: '1.1'`, the options
// closest to go-yaml) and through lib/go/yaml's port, for writing (object → trace.yaml, Go's bytes) and reading
// (trace.substituted → the object Go read, or Go's YAMLToJSON refusal). Prints the counts; -v lists the misses.
// The result decides where lib/go/yaml may use `yaml` instead of the port (see the header of lib/go/yaml.ts).
import * as fs from 'fs';
import * as path from 'path';
import { yamlPackageRead, yamlPackageWrite } from './yaml-package-adapter';
import { fromFluxYaml, toFluxYaml } from '../lib/go/yaml';

interface PipelineLine {
  id: string;
  object: unknown;
  expect: { object?: unknown; message?: string };
  trace: { path: string; yaml: string; substituted?: string };
}

const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'flux-conformance');
const ERROR = 'ERROR';

/** JSON with object keys sorted, so two readings compare as text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return (
      '{' +
      Object.keys(o)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canonical(o[k]))
        .join(',') +
      '}'
    );
  }
  return JSON.stringify(v) ?? 'null';
}

function attempt(f: () => unknown): string {
  try {
    return canonical(f());
  } catch {
    return ERROR;
  }
}

function measure(file: string, verbose: boolean): void {
  const cases: PipelineLine[] = fs
    .readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  const written = cases.filter((c) => c.trace.path !== 'AsYAML-failed');
  const writeMisses = written.filter((c) => attempt(() => yamlPackageWrite(c.object)) !== canonical(c.trace.yaml));
  const portWriteMisses = written.filter((c) => attempt(() => toFluxYaml(c.object)) !== canonical(c.trace.yaml));
  const read = cases.filter(
    (c) =>
      c.trace.substituted !== undefined && (c.expect.object !== undefined || /YAMLToJSON/.test(c.expect.message ?? '')),
  );
  const want = (c: PipelineLine): string => (c.expect.object !== undefined ? canonical(c.expect.object) : ERROR);
  const readMisses = read.filter((c) => attempt(() => yamlPackageRead(c.trace.substituted ?? '')) !== want(c));
  const portReadMisses = read.filter((c) => attempt(() => fromFluxYaml(c.trace.substituted ?? '')) !== want(c));
  const n = (all: PipelineLine[], misses: PipelineLine[]): string => `${all.length - misses.length}/${all.length}`;
  process.stdout.write(
    `${file}: writing yaml ${n(written, writeMisses)}, port ${n(written, portWriteMisses)}; ` +
      `reading yaml ${n(read, readMisses)}, port ${n(read, portReadMisses)}\n`,
  );
  if (verbose) {
    process.stdout.write(`  yaml writes differently: ${writeMisses.map((c) => c.id).join(' ')}\n`);
    process.stdout.write(`  yaml reads differently: ${readMisses.map((c) => c.id).join(' ')}\n`);
  }
}

for (const file of ['pipeline-v1.7.3.jsonl', 'pipeline-v1.9.4.jsonl']) measure(file, process.argv.includes('-v'));
