// `npm run import`: regenerates imports/ (typed classes and JSON schemas) from the CRDs.
// Offline, from the local copies in ../shared/crds when they exist; otherwise from the upstream
// URLs listed in cdk8s.yaml (needs network). The schemas in imports/schemas/ feed the schema checks.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

const ROOT = path.resolve(__dirname, '..');
const LOCAL_CRDS = path.resolve(ROOT, '..', 'shared', 'crds');
const CRD_FILES = [
  'helm.toolkit.fluxcd.io_helmreleases.yaml',
  'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
  'source.toolkit.fluxcd.io_helmrepositories.yaml',
  'source.toolkit.fluxcd.io_gitrepositories.yaml',
  'gateway.networking.k8s.io_httproutes.yaml',
];
const OUT = path.join(ROOT, 'imports');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

function loadCrdTexts(): string[] {
  if (fs.existsSync(LOCAL_CRDS)) {
    return CRD_FILES.map((f) => fs.readFileSync(path.join(LOCAL_CRDS, f), 'utf8'));
  }
  const urls = (yaml.load(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] }).imports;
  return urls.map((u) => execFileSync('curl', ['-fsSL', u], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

function main(): void {
  const texts = loadCrdTexts();
  // One bundle, one import: cdk8s writes one module per API group, so importing the two source
  // CRDs separately would leave only the last one in source.toolkit.fluxcd.io.ts.
  const bundle = path.join(ROOT, 'node_modules', '.cache', 'zot-flux-crds.yaml');
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  fs.writeFileSync(bundle, texts.map((t) => t.replace(/^---\n/, '')).join('\n---\n'));
  fs.rmSync(OUT, { recursive: true, force: true });
  // `cdk8s import` appends what it imported to cdk8s.yaml (and drops its comments): keep ours as is.
  const projectFile = path.join(ROOT, 'cdk8s.yaml');
  const projectText = fs.readFileSync(projectFile, 'utf8');
  try {
    execFileSync(CDK8S, ['import', bundle, '--language', 'typescript', '--output', OUT, '--no-check-upgrade'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: ROOT,
    });
  } finally {
    fs.writeFileSync(projectFile, projectText);
  }

  const schemaDir = path.join(OUT, 'schemas');
  fs.mkdirSync(schemaDir, { recursive: true });
  const written: string[] = [];
  for (const text of texts) {
    for (const doc of yaml.loadAll(text) as any[]) {
      if (!doc || doc.kind !== 'CustomResourceDefinition') continue;
      const group: string = doc.spec.group;
      const kind: string = doc.spec.names.kind;
      const version = doc.spec.versions[0];
      const file = `${kind.toLowerCase()}.${group}.json`;
      const entry = { apiVersion: `${group}/${version.name}`, kind, schema: version.schema.openAPIV3Schema };
      fs.writeFileSync(path.join(schemaDir, file), JSON.stringify(entry, null, 1) + '\n');
      written.push(file);
    }
  }
  written.sort();
  fs.writeFileSync(
    path.join(schemaDir, 'index.json'),
    JSON.stringify(written, null, 1) + '\n',
  );
  process.stdout.write(`imports: wrote ${fs.readdirSync(OUT).filter((f) => f.endsWith('.ts')).length} modules and ${written.length} schemas\n`);
}

main();
