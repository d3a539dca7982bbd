// `npm run render -- --cluster NAME [--repo DIR] [--vars FILE]`: prints what Flux applies for the
// generated apps on that cluster. `--all [--out-dir DIR]`: one file per cluster, for CI diffs.
import * as fs from 'fs';
import * as path from 'path';
import { parseDotenv } from '../lib/dotenv';
import { clusterVariables, discoverClusters, findGeneratedApps, readVariableSources } from '../lib/fleet';
import { prepareApp, renderCluster } from '../lib/render';

const USAGE = `usage: npm run render -- --cluster NAME [--repo DIR] [--vars FILE]
       npm run render -- --all [--out-dir DIR] [--repo DIR] [--vars FILE]

Prints, as YAML, what Flux applies for the generated apps on a cluster: kustomize build of their
folders, then Flux's substitution with that cluster's variables (clusters/common/flux/vars and
clusters/<cluster>/flux/vars, in the substituteFrom order of the app's Kustomization).
Encrypted (SOPS) values print as <secret:NAME>.

  --cluster NAME   the cluster to render
  --all            render every cluster, one file each, into --out-dir (default: rendered)
  --repo DIR       the GitOps repository (default: the current folder)
  --vars FILE      KEY=VALUE lines with real values for encrypted variables: used for the
                   checks, never printed
  --help           this text

Exit codes: 0 rendered, 1 unknown cluster or a problem found (problems on stderr), 2 usage.
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const o = { cluster: undefined as string | undefined, all: false, outDir: 'rendered', repo: '.', vars: undefined as string | undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--cluster') o.cluster = value();
    else if (a === '--all') o.all = true;
    else if (a === '--out-dir') o.outDir = value();
    else if (a === '--repo') o.repo = value();
    else if (a === '--vars') o.vars = value();
    else throw new UsageError(`unknown argument '${a}'`);
  }
  if (!o.help && !o.all && !o.cluster) throw new UsageError('give --cluster NAME or --all');
  if (o.all && o.cluster) throw new UsageError('--cluster and --all exclude each other');
  return o;
}

function main(argv: string[]): number {
  let o: ReturnType<typeof parse>;
  try {
    o = parse(argv);
  } catch (e: any) {
    process.stderr.write(`render: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (o.help) { process.stdout.write(USAGE); return 0; }
  try {
    const repo = path.resolve(o.repo);
    const provided = o.vars ? parseDotenv(fs.readFileSync(o.vars, 'utf8'), o.vars) : {};
    const clusters = discoverClusters(repo);
    if (o.cluster && !clusters.includes(o.cluster)) {
      process.stderr.write(`render: unknown cluster '${o.cluster}' in ${repo}; known clusters: ${clusters.length ? clusters.join(', ') : '(none: no clusters/<name>/flux/ folder)'}\n`);
      return 1;
    }
    const apps = findGeneratedApps(repo).map((a) => prepareApp(repo, a));
    if (apps.length === 0) {
      process.stderr.write(`render: no generated app under ${path.join(repo, 'clusters/common/apps')} (run npm run synth -- --out ${o.repo})\n`);
      return 1;
    }
    const common = readVariableSources(repo, 'clusters/common/flux/vars');
    let problems = 0;
    const ignored = new Set<string>();
    const targets = o.all ? clusters : [o.cluster!];
    if (o.all) fs.mkdirSync(o.outDir, { recursive: true });
    for (const cluster of targets) {
      const texts: string[] = [];
      for (const p of apps) {
        const r = renderCluster(p, clusterVariables(repo, cluster, p.app.substituteFrom, p.app.substitute, common), provided);
        texts.push(r.text);
        for (const msg of r.problems) process.stderr.write(`render: ${cluster}: ${msg}\n`);
        for (const name of r.ignoredProvided) ignored.add(name);
        problems += r.problems.length;
      }
      if (o.all) fs.writeFileSync(path.join(o.outDir, `${cluster}.yaml`), texts.join(''));
      else process.stdout.write(texts.join(''));
    }
    for (const name of ignored) {
      process.stderr.write(`render: --vars: ${name} is not an encrypted variable the apps use (on some cluster); its value was not used\n`);
    }
    if (o.all) process.stderr.write(`render: wrote ${targets.length} clusters into ${o.outDir}/\n`);
    return problems ? 1 : 0;
  } catch (e: any) {
    process.stderr.write(`render: error: ${e.message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
