// `npm run import`: regenerates imports/ from the CRDs:
//   - the typed classes (cdk8s import) from Flux v2.9.4's CRDs and Gateway API v1.6.1's HTTPRoute: the stable
//     versions the constructs use (HelmRelease v2, Kustomization v1, GitRepository/HelmRepository v1) exist in
//     both Flux generations, so one set of classes serves both;
//   - imports/schemas/<set>/: each kind's openAPIV3Schema, one folder per CRD set (Flux v2.7.5, Flux v2.9.4,
//     Gateway API v1.6.1), which lib/k8s/schema.ts validates every generated object against.
// Offline, from the local copies in ../shared/crds when they exist (../shared/crds/SOURCES.md: tags, commits,
// sha256); otherwise from the upstream release assets (the Flux v2.9.4 and Gateway API ones are cdk8s.yaml's
// `imports`; the Flux v2.7.5 ones are listed below). Only the kinds below are kept from each file.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../lib/core/error';
import { EXIT_OK, Io, parseArgs, runCommand, UsageError } from '../lib/cli/command';
import { recoverKilledSwap, stagingFolder, swapInFolder } from '../lib/tools/folder-swap';

const IMPORT_USAGE = `usage: npm run import -- [--quiet]

Regenerates imports/: the typed classes (cdk8s import) of Flux v2.9.4's CRDs and Gateway API v1.6.1's
HTTPRoute, and imports/schemas/<set>/ (each kind's openAPIV3Schema for Flux v2.7.5, v2.9.4 and
Gateway API v1.6.1). Offline from ../shared/crds when it exists, otherwise from the upstream release
assets (curl). Builds the new imports/ beside the old one and swaps it in only when it is complete.

  --quiet   no output from cdk8s import: only errors and the summary line
  --help    this text

Exit codes: 0 regenerated, 1 a CRD file that lacks a kind, a download or cdk8s import that failed,
or a path the machine refuses (imports/ is then left as it was), 2 usage, 3 a bug in zot-flux.
`;

const ROOT = path.resolve(__dirname, '..');
const LOCAL_CRDS = path.resolve(ROOT, '..', 'shared', 'crds');
const OUT = path.join(ROOT, 'imports');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

/** The kinds the project generates and validates. */
const KINDS = new Set(['HelmRelease', 'Kustomization', 'HelmRepository', 'GitRepository', 'HTTPRoute']);

interface CrdSet {
  /** The folder under imports/schemas/. */
  readonly name: string;
  /** Local files, relative to ../shared/crds. */
  readonly local: readonly string[];
  /** Upstream release assets, when ../shared is absent. */
  readonly urls: () => readonly string[];
}

const FLUX_FILES = [
  'helm.toolkit.fluxcd.io_helmreleases.yaml',
  'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
  'source.toolkit.fluxcd.io_helmrepositories.yaml',
  'source.toolkit.fluxcd.io_gitrepositories.yaml',
];

/** cdk8s.yaml `imports`: the release assets of Flux v2.9.4 (fluxcd/flux2 v2.9.4 manifests/bases/<controller>/kustomization.yaml) and Gateway API v1.6.1. */
function cdk8sImports(): string[] {
  return (yaml.load(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] }).imports;
}

const SETS: readonly CrdSet[] = [
  {
    name: 'flux-v2.7.5',
    local: FLUX_FILES,
    // fluxcd/flux2 v2.7.5 manifests/bases/<controller>/kustomization.yaml
    urls: () => [
      'https://github.com/fluxcd/helm-controller/releases/download/v1.4.5/helm-controller.crds.yaml',
      'https://github.com/fluxcd/kustomize-controller/releases/download/v1.7.3/kustomize-controller.crds.yaml',
      'https://github.com/fluxcd/source-controller/releases/download/v1.7.4/source-controller.crds.yaml',
    ],
  },
  {
    name: 'flux-v2.9.4',
    local: FLUX_FILES.map((f) => `flux-v2.9.4/${f}`),
    urls: () => cdk8sImports().filter((u) => u.includes('/fluxcd/')),
  },
  {
    name: 'gateway-api-v1.6.1',
    local: ['gateway.networking.k8s.io_httproutes.yaml'],
    urls: () => cdk8sImports().filter((u) => u.includes('/gateway-api/')),
  },
];

/** The CRD documents of one set, in file order, only the kinds in KINDS. */
function loadCrds(set: CrdSet): any[] {
  const texts = fs.existsSync(LOCAL_CRDS)
    ? set.local.map((f) => fs.readFileSync(path.join(LOCAL_CRDS, f), 'utf8'))
    : set.urls().map((u) => execFileSync('curl', ['-fsSL', u], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const crds = texts.flatMap((t) =>
    (yaml.loadAll(t) as any[]).filter((d) => d?.kind === 'CustomResourceDefinition' && KINDS.has(d.spec?.names?.kind)),
  );
  const kinds = crds.map((d) => d.spec.names.kind);
  const expected = set.name.startsWith('flux')
    ? ['HelmRelease', 'Kustomization', 'HelmRepository', 'GitRepository']
    : ['HTTPRoute'];
  for (const k of expected)
    if (!kinds.includes(k))
      throw new ZotFluxError({
        field: set.name,
        reason: `has no ${k} CRD in ${fs.existsSync(LOCAL_CRDS) ? LOCAL_CRDS : 'its release assets'}: imports/ was left as it was`,
      });
  return crds;
}

/** One schema file: the first version (the one cdk8s imports, the storage version), and every served version's name. */
function writeSchemas(out: string, set: CrdSet, crds: any[]): number {
  const dir = path.join(out, 'schemas', set.name);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const crd of crds) {
    const group: string = crd.spec.group;
    const kind: string = crd.spec.names.kind;
    const version = crd.spec.versions[0];
    const served = crd.spec.versions.filter((v: any) => v.served).map((v: any) => v.name);
    const file = `${kind.toLowerCase()}.${group}.json`;
    const entry = { apiVersion: `${group}/${version.name}`, kind, served, schema: version.schema.openAPIV3Schema };
    fs.writeFileSync(path.join(dir, file), JSON.stringify(entry, null, 1) + '\n');
    written.push(file);
  }
  written.sort();
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(written, null, 1) + '\n');
  return written.length;
}

function main(argv: string[], io: Io): number {
  const args = parseArgs(argv, { flags: ['quiet'] });
  if (args.help) {
    io.stdout(IMPORT_USAGE);
    return EXIT_OK;
  }
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const quiet = args.options.quiet === true;
  for (const line of recoverKilledSwap(OUT)) io.stderr(`import: ${line}\n`);
  const loaded = SETS.map((s) => ({ set: s, crds: loadCrds(s) }));
  // The classes: Flux v2.9.4 and the HTTPRoute, in one bundle and one import (cdk8s writes one module per API
  // group, so importing the two source CRDs separately would leave only the last one in source.toolkit.fluxcd.io.ts).
  const forClasses = loaded.filter((l) => l.set.name !== 'flux-v2.7.5').flatMap((l) => l.crds);
  const bundle = path.join(ROOT, 'node_modules', '.cache', 'zot-flux-crds.yaml');
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  fs.writeFileSync(bundle, forClasses.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n'));
  // The new imports/ is built beside the old one and swapped in whole: a failure leaves the old one as it was.
  const next = stagingFolder(OUT);
  fs.rmSync(next, { recursive: true, force: true });
  // `cdk8s import` appends what it imported to cdk8s.yaml (and drops its comments): keep ours as is.
  const projectFile = path.join(ROOT, 'cdk8s.yaml');
  const projectText = fs.readFileSync(projectFile, 'utf8');
  try {
    try {
      execFileSync(CDK8S, ['import', bundle, '--language', 'typescript', '--output', next, '--no-check-upgrade'], {
        stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
        encoding: 'utf8',
        cwd: ROOT,
      });
    } catch (e) {
      const { status, stderr } = e as { status?: unknown; stderr?: unknown };
      if (typeof status !== 'number') throw e; // it did not start: failure.ts names the program
      const said = quiet && typeof stderr === 'string' ? `: ${stderr.trim().slice(-4000)}` : ' (its output is above)';
      throw new ZotFluxError({
        field: 'cdk8s import',
        value: status,
        reason: `is its exit code${said}; imports/ was left as it was`,
      });
    } finally {
      fs.writeFileSync(projectFile, projectText);
    }
    const counts = loaded.map((l) => `${writeSchemas(next, l.set, l.crds)} in ${l.set.name}`);
    const modules = fs.readdirSync(next).filter((f) => f.endsWith('.ts')).length;
    swapInFolder(next, OUT);
    io.stdout(`imports: wrote ${modules} modules and schemas (${counts.join(', ')})\n`);
    return EXIT_OK;
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
}

runCommand('import', main, IMPORT_USAGE);
