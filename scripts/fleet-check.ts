// `npm run fleet-check [--repo DIR]`: for every cluster, every variable the generated manifests use
// is defined by a source its Kustomization substitutes from, and the rendered objects pass the CRD
// schemas and the hostname pattern. Prints a table; exits 1 naming each cluster and variable at fault.
import * as path from 'path';
import { clusterVariables, discoverClusters, findGeneratedApps, readVariableSources } from '../lib/fleet';
import { prepareApp, renderCluster, RenderedCluster } from '../lib/render';

const USAGE = `usage: npm run fleet-check -- [--repo DIR] [--quiet]

Checks every cluster of the GitOps repository (each clusters/<name>/ with a flux/ folder):
every variable the generated manifests use is defined by some source the app's Kustomization
substitutes from, and the objects Flux would apply pass the CRD schemas and the hostname pattern.

  --repo DIR   the GitOps repository (default: the current folder)
  --quiet      print only the clusters with problems
  --help       this text

Exit codes: 0 every cluster OK (or no clusters), 1 a problem on some cluster, 2 usage.
`;

function main(argv: string[]): number {
  let repo = '.';
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { process.stdout.write(USAGE); return 0; }
    if (a === '--quiet') quiet = true;
    else if (a === '--repo' && argv[i + 1] !== undefined) repo = argv[++i];
    else { process.stderr.write(`fleet-check: unknown argument '${a}'\n\n${USAGE}`); return 2; }
  }
  try {
    const root = path.resolve(repo);
    const clusters = discoverClusters(root);
    if (clusters.length === 0) {
      process.stdout.write(`fleet-check: no clusters found in ${root} (no clusters/<name>/flux/ folder); nothing to check\n`);
      return 0;
    }
    const apps = findGeneratedApps(root).map((a) => prepareApp(root, a));
    if (apps.length === 0) {
      process.stderr.write(`fleet-check: no generated app under ${path.join(root, 'clusters/common/apps')} (run npm run synth -- --out ${repo})\n`);
      return 1;
    }
    const common = readVariableSources(root, 'clusters/common/flux/vars');
    const results: RenderedCluster[] = [];
    for (const cluster of clusters) {
      for (const p of apps) results.push(renderCluster(p, clusterVariables(root, cluster, p.app.substituteFrom, p.app.substitute, common)));
    }
    const rows = results.map((r) => [
      r.cluster,
      ...(apps.length > 1 ? [r.app] : []),
      r.hostnames.join(',') || '-',
      r.missing.length ? `missing: ${r.missing.join(', ')}` : r.problems.length ? `OK (${r.used.length}), ${r.problems.length} problem(s)` : `OK (${r.used.length})`,
    ]);
    const header = ['CLUSTER', ...(apps.length > 1 ? ['APP'] : []), 'HOSTNAME', 'VARIABLES'];
    const shown = quiet ? rows.filter((_, i) => results[i].problems.length) : rows;
    const widths = header.map((h, c) => Math.max(h.length, ...shown.map((r) => r[c].length)));
    const fmt = (r: string[]) => r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(widths[c]))).join('  ') + '\n';
    let out = fmt(header);
    for (const r of shown) out += fmt(r);
    process.stdout.write(out);
    const bad = results.filter((r) => r.problems.length);
    for (const r of bad) for (const p of r.problems) process.stderr.write(`fleet-check: ${r.cluster}: ${p}\n`);
    if (bad.length) {
      process.stderr.write(`fleet-check: ${new Set(bad.map((r) => r.cluster)).size} of ${clusters.length} clusters have problems\n`);
      return 1;
    }
    process.stdout.write(`fleet-check: ${clusters.length} clusters OK\n`);
    return 0;
  } catch (e: any) {
    process.stderr.write(`fleet-check: error: ${e.message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
