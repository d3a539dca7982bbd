// `npm run chart-facts [-- --dir DIR] [--out FILE] [--check]`: reads the zot chart packages
// (zot-<version>.tgz, helm-packaged from project-zot/helm-charts charts/zot) and writes what this
// project needs to know about each version into lib/zot/chart-facts.json (committed):
//   - the zot version it deploys: values.yaml image.tag, else Chart.yaml appVersion (the chart's
//     templates/statefulset.yaml and deployment.yaml: `.Values.image.tag | default .Chart.AppVersion`);
//   - per immutable field of the workload it renders, a hash of the template text that produces it,
//     so that an upgrade that changes one is found (Kubernetes refuses to change a StatefulSet's spec
//     other than replicas, ordinals, template, updateStrategy, revisionHistoryLimit,
//     persistentVolumeClaimRetentionPolicy and minReadySeconds, and a Deployment's selector:
//     kubernetes pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate, ValidateDeploymentUpdate);
//   - each such change between consecutive versions with the reason read from the templates
//     (TRANSITIONS below, checked against what is found: a change with no reason, or a reason for a
//     change that is not found, stops the script), the versions that are bad on their own, and the
//     value-dependent caveats.
// Defaults: --dir ../shared/charts/zot, --out lib/zot/chart-facts.json (from the project root).
// --check writes nothing and exits 1 when the file differs from what it would write.
import type { ChartVersionFact as ChartFact } from '../lib/zot/chart-versions';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as yaml from 'js-yaml';
import { EXIT_OK, EXIT_PROBLEM, Io, parseArgs, runCommand, UsageError, userPath } from '../lib/cli/command';
import { ZotFluxError } from '../lib/core/error';

export const CHART_FACTS_USAGE = `usage: npm run chart-facts -- [--dir DIR] [--out FILE] [--check]

Reads the zot chart packages (zot-<version>.tgz) in DIR and writes what each version deploys and
which upgrades Kubernetes refuses into FILE.

  --dir DIR    the chart packages (default: ../shared/charts/zot)
  --out FILE   the facts file (default: lib/zot/chart-facts.json)
  --check      write nothing; exit 1 if FILE differs from what would be written
  --help       this text
`;

/** The immutable spec fields, by workload kind, whose template text is compared between versions. */
const MUTABLE_STATEFULSET_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
const DEPLOYMENT_IMMUTABLE_FIELDS = ['selector'];

/**
 * Why each change of an immutable field between consecutive chart versions breaks an upgrade, read
 * from the templates (and rendered with helm v4.1.4 to confirm: `helm template zot zot-<v>.tgz --set
 * persistence=true`). Keyed `<from>-><to> <kind>.spec.<field>`.
 */
const TRANSITIONS: Record<string, { readonly when: string; readonly reason: string }> = {
  '0.1.100->0.1.101 StatefulSet.spec.volumeClaimTemplates': {
    when: 'persistence is true and pvc.name is set, or pvc.create is false',
    reason: "0.1.101 names the claim template pvc.name itself (0.1.100: '<pvc.name>-pvc') and renders no claim template at all when pvc.create is false " +
      '(0.1.100 ignored pvc.create); spec.volumeClaimTemplates cannot change on an existing StatefulSet, so the upgrade is refused',
  },
  '0.1.112->0.1.113 StatefulSet.spec.serviceName': {
    when: 'persistence is true and serviceHeadless.enabled is false (the default)',
    reason: "0.1.113 always renders spec.serviceName ('<fullname>', or '<fullname>-headless' with the headless Service); 0.1.112 and earlier render it only " +
      'with the headless Service; spec.serviceName cannot change on an existing StatefulSet, so the upgrade is refused',
  },
  '0.1.113->0.1.114 StatefulSet.spec.serviceName': {
    when: 'persistence is true and serviceHeadless.enabled is false (the default)',
    reason: '0.1.114 renders spec.serviceName only with the headless Service again (as 0.1.112 did), so a release on 0.1.113 cannot move on: ' +
      'spec.serviceName cannot change on an existing StatefulSet',
  },
};

/** Versions that break an upgrade into them and out of them (a change undone by the next version). */
const KNOWN_BAD: Record<string, string> = {
  '0.1.113': 'its StatefulSet sets spec.serviceName where the versions before and after it do not (persistence true, serviceHeadless disabled, the defaults ' +
    'otherwise): upgrading into it and out of it are both refused by the API server (serviceName is immutable); skip it',
};

/** Problems that depend on values, found by a template pattern. */
const CAVEATS: ReadonlyArray<{ id: string; when: string; reason: string; test: (files: ChartFiles) => boolean }> = [
  {
    id: 'pvc-name-breaks-mount',
    when: 'persistence is true and pvc.name is set',
    reason: "the claim template is named '<pvc.name>-pvc' but the container mounts '<release>-pvc': the pod is refused (volumeMounts name not found); fixed in 0.1.101",
    test: (f) => /name: \{\{\s*or \.Values\.pvc\.name \.Release\.Name\s*\}\}-pvc/.test(f.statefulset ?? '') && /name: \{\{ \.Release\.Name \}\}-pvc/.test(f.statefulset ?? ''),
  },
];

interface ChartFiles {
  readonly chartYaml: string;
  readonly valuesYaml: string;
  readonly statefulset?: string;
  readonly deployment?: string;
  readonly helpers?: string;
}

export interface ChartTransition { readonly from: string; readonly to: string; readonly field: string; readonly when: string; readonly reason: string }

export interface ChartFacts {
  readonly source: string;
  readonly charts: readonly ChartFact[];
  readonly transitions: readonly ChartTransition[];
  readonly knownBad: ReadonlyArray<{ readonly chart: string; readonly reason: string }>;
  readonly caveats: ReadonlyArray<{ readonly id: string; readonly charts: readonly string[]; readonly when: string; readonly reason: string }>;
}

/** The files of a .tgz (ustar, with pax and GNU long names): path → bytes. */
export function readTgz(file: string): Map<string, Buffer> {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  const str = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(str(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = str(header.subarray(345, 500));
    const name = longName ?? (prefix ? `${prefix}/${str(header.subarray(0, 100))}` : str(header.subarray(0, 100)));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    longName = undefined;
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
    } else if (type === 'L') {
      longName = str(body);
    } else if (type === '0' || type === '\0') {
      files.set(name, Buffer.from(body));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function chartFiles(file: string): ChartFiles {
  const files = readTgz(file);
  const get = (suffix: string) => {
    for (const [name, body] of files) if (name === `zot/${suffix}`) return body.toString('utf8');
    return undefined;
  };
  const chartYaml = get('Chart.yaml');
  const valuesYaml = get('values.yaml');
  if (chartYaml === undefined || valuesYaml === undefined) throw new ZotFluxError({ field: file, reason: 'is not a zot chart package (no zot/Chart.yaml or zot/values.yaml)' });
  return { chartYaml, valuesYaml, statefulset: get('templates/statefulset.yaml'), deployment: get('templates/deployment.yaml'), helpers: get('templates/_helpers.tpl') };
}

/**
 * The template text behind each top-level spec field of a workload template, from `spec:` to
 * `  template:`. A control line (`{{- if ...}}`) opening at spec indentation belongs to the field
 * that follows it; an `{{- end }}` or `{{- else }}` there, and deeper lines, to the field before.
 * Template variables the block uses (`$pvcName`) bring their definition with them.
 */
export function specFieldBlocks(template: string): Map<string, string> {
  const lines = template.split('\n');
  const start = lines.findIndex((l) => /^spec:\s*$/.test(l));
  if (start < 0) return new Map();
  const variables = new Map<string, string>();
  for (const l of lines.slice(0, start)) {
    const m = /\{\{-?\s*(\$\w+)\s*:=/.exec(l);
    if (m) variables.set(m[1], l.trim());
  }
  const blocks = new Map<string, string[]>();
  let current: string | undefined;
  let pending: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const field = /^ {2}([A-Za-z]+):/.exec(line);
    if (field) {
      current = field[1];
      if (current === 'template') break;
      blocks.set(current, [...(blocks.get(current) ?? []), ...pending, line]);
      pending = [];
    } else if (/^ {2}\{\{-?\s*(if|with|range)\b/.test(line)) {
      pending.push(line);
    } else if (current !== undefined) {
      blocks.get(current)!.push(line);
    } else {
      pending.push(line);
    }
  }
  const out = new Map<string, string>();
  for (const [name, body] of blocks) {
    const text = body.map((l) => l.trimEnd()).join('\n');
    const uses = [...variables].filter(([v]) => text.includes(v)).map(([, def]) => def);
    out.set(name, [...uses, text].join('\n'));
  }
  return out;
}

const hash = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);

function semverParts(v: string): number[] {
  return v.replace(/^v/, '').split('.').map(Number);
}
export function compareChartVersions(a: string, b: string): number {
  const [pa, pb] = [semverParts(a), semverParts(b)];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** Reads every zot-<version>.tgz in `dir` (and index.yaml when present, to check digests). */
export function buildChartFacts(dir: string): ChartFacts {
  const packages = fs.readdirSync(dir).filter((f) => /^zot-\d+\.\d+\.\d+\.tgz$/.test(f));
  if (!packages.length) throw new ZotFluxError({ field: dir, reason: 'holds no zot-<version>.tgz chart package' });
  const facts: Array<ChartFact & { files: ChartFiles }> = [];
  for (const pkg of packages) {
    const file = path.join(dir, pkg);
    const files = chartFiles(file);
    const chart = yaml.load(files.chartYaml) as { name?: string; version?: string; appVersion?: string };
    const values = (yaml.load(files.valuesYaml) ?? {}) as { image?: { repository?: string; tag?: string } };
    const version = String(chart.version ?? '');
    if (chart.name !== 'zot' || `zot-${version}.tgz` !== pkg) throw new ZotFluxError({ field: file, value: `${chart.name}-${version}`, reason: 'does not match its file name' });
    const appVersion = String(chart.appVersion ?? '');
    const tag = values.image?.tag ? String(values.image.tag) : null;
    const immutable: Record<string, string> = {};
    if (files.statefulset) {
      for (const [field, text] of specFieldBlocks(files.statefulset)) if (!MUTABLE_STATEFULSET_FIELDS.includes(field)) immutable[`StatefulSet.spec.${field}`] = hash(text);
    }
    if (files.deployment) {
      for (const [field, text] of specFieldBlocks(files.deployment)) if (DEPLOYMENT_IMMUTABLE_FIELDS.includes(field)) immutable[`Deployment.spec.${field}`] = hash(text);
    }
    // the selector labels and names come from _helpers.tpl: any change there is a change of every field
    if (files.helpers) immutable['helpers'] = hash(files.helpers);
    facts.push({
      chart: version,
      appVersion,
      imageRepository: String(values.image?.repository ?? ''),
      imageTag: tag,
      zotVersion: tag ?? appVersion,
      digest: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      immutable: Object.fromEntries(Object.entries(immutable).sort(([a], [b]) => (a < b ? -1 : 1))),
      files,
    });
  }
  facts.sort((a, b) => compareChartVersions(a.chart, b.chart));

  const index = path.join(dir, 'index.yaml');
  if (fs.existsSync(index)) {
    const entries = ((yaml.load(fs.readFileSync(index, 'utf8')) as { entries?: { zot?: Array<{ version: string; digest?: string; appVersion?: string }> } }).entries?.zot) ?? [];
    for (const f of facts) {
      const e = entries.find((x) => x.version === f.chart);
      if (e && ((e.digest && e.digest !== f.digest) || (e.appVersion && e.appVersion !== f.appVersion))) {
        throw new ZotFluxError({ field: `${index}: ${f.chart}`, reason: `does not match the package (digest ${e.digest} vs ${f.digest}, appVersion ${e.appVersion} vs ${f.appVersion})` });
      }
    }
  }

  const transitions: ChartTransition[] = [];
  const found = new Set<string>();
  const problems: string[] = [];
  for (let i = 1; i < facts.length; i++) {
    const [a, b] = [facts[i - 1], facts[i]];
    const fields = [...new Set([...Object.keys(a.immutable), ...Object.keys(b.immutable)])].sort();
    for (const field of fields) {
      if (a.immutable[field] === b.immutable[field]) continue;
      const key = `${a.chart}->${b.chart} ${field}`;
      found.add(key);
      const known = TRANSITIONS[key];
      if (!known) problems.push(`${key}: the template behind this immutable field changed; read both templates and add the reason to TRANSITIONS in scripts/chart-facts.ts`);
      else transitions.push({ from: a.chart, to: b.chart, field, ...known });
    }
  }
  for (const key of Object.keys(TRANSITIONS)) if (!found.has(key) && facts.some((f) => key.startsWith(`${f.chart}->`))) problems.push(`${key}: TRANSITIONS has a reason for a change that the templates do not show`);
  const knownBad = Object.entries(KNOWN_BAD).filter(([chart]) => facts.some((f) => f.chart === chart)).map(([chart, reason]) => ({ chart, reason }));
  for (const { chart } of knownBad) {
    if (!transitions.some((t) => t.to === chart) || !transitions.some((t) => t.from === chart)) problems.push(`${chart}: KNOWN_BAD lists it, but no immutable field changes both into and out of it`);
  }
  if (problems.length) throw new ZotFluxError(problems.map((reason) => ({ field: 'chart templates', reason })), 'the chart facts need a person');

  const caveats = CAVEATS.map((c) => ({ id: c.id, charts: facts.filter((f) => c.test(f.files)).map((f) => f.chart), when: c.when, reason: c.reason })).filter((c) => c.charts.length);
  return {
    source: 'zot chart packages zot-<version>.tgz (helm-packaged from project-zot/helm-charts charts/zot); regenerate with `npm run chart-facts`',
    charts: facts.map(({ files: _files, ...f }) => f),
    transitions,
    knownBad,
    caveats,
  };
}

/** The facts as the committed file holds them: stable key order, two-space indent, final newline. */
export function chartFactsJson(facts: ChartFacts): string {
  return `${JSON.stringify(facts, null, 2)}\n`;
}

export function chartFactsCommand(argv: string[], io: Io): number {
  const args = parseArgs(argv, { values: ['dir', 'out'], flags: ['check'] });
  if (args.help) { io.stdout(CHART_FACTS_USAGE); return EXIT_OK; }
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const dir = typeof args.options.dir === 'string' ? userPath(io, args.options.dir) : path.resolve('..', 'shared', 'charts', 'zot');
  const out = typeof args.options.out === 'string' ? userPath(io, args.options.out) : path.resolve('lib', 'zot', 'chart-facts.json');
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--dir: '${dir}' is not a folder of chart packages`);
  const text = chartFactsJson(buildChartFacts(dir));
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  if (args.options.check) {
    if (current === text) { io.stdout(`chart-facts --check: ${out} is up to date\n`); return EXIT_OK; }
    io.stderr(`chart-facts --check: ${out} is not what the packages in ${dir} give: run \`npm run chart-facts\` and commit it\n`);
    return EXIT_PROBLEM;
  }
  if (current !== text) fs.writeFileSync(out, text);
  const facts = JSON.parse(text) as ChartFacts;
  io.stdout(`chart-facts: ${current === text ? 'unchanged' : 'wrote'} ${out}: ${facts.charts.length} chart versions (${facts.charts[0].chart} to ${facts.charts[facts.charts.length - 1].chart}), ${facts.transitions.length} upgrade-breaking changes, ${facts.knownBad.length} known-bad versions\n`);
  return EXIT_OK;
}

if (require.main === module) runCommand('chart-facts', chartFactsCommand, CHART_FACTS_USAGE);
