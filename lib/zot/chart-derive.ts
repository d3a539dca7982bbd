// The facts this project needs about a zot chart package, derived from the package itself: the zot
// version it deploys, a hash of the template text behind each immutable field of its workload, and the
// value-dependent caveats. One derivation for the shipped set (lib/zot/chart-facts.json, written by
// `npm run chart-facts` from ../shared/charts/zot) and for a chart learned later from its package
// (`npm run chart-facts -- --add FILE | --pull VERSION`, into lib/zot/chart-facts.learned.json).
//   - the zot version it deploys: values.yaml image.tag, else Chart.yaml appVersion (the chart's
//     templates/statefulset.yaml and deployment.yaml: `.Values.image.tag | default .Chart.AppVersion`);
//   - per immutable field of the workload it renders, a hash of the template text that produces it,
//     so that an upgrade that changes one is found (Kubernetes refuses to change a StatefulSet's spec
//     other than replicas, ordinals, template, updateStrategy, revisionHistoryLimit,
//     persistentVolumeClaimRetentionPolicy and minReadySeconds, and a Deployment's selector:
//     kubernetes pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate, ValidateDeploymentUpdate);
//   - for the shipped set, each such change between consecutive versions with the reason read from
//     the templates (TRANSITIONS, checked against what is found: a change with no reason, or a reason
//     for a change that is not found, stops the derivation), the versions bad on their own, and the
//     value-dependent caveats. A learned chart needs no person: a change from the chart before it is
//     recorded by its hashes, and chartUpgradeProblems gives the generic reason for it.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../core/error';
import { isPlainObject } from '../core/props';
import {
  ChartCaveat,
  ChartTransition,
  ChartVersionFact,
  compareChartVersions,
  isChartVersion,
  LearnedChartFact,
  LearnedChartFacts,
} from './chart-versions';

/** The immutable spec fields, by workload kind, whose template text is compared between versions. */
const MUTABLE_STATEFULSET_FIELDS = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];
const DEPLOYMENT_IMMUTABLE_FIELDS = ['selector'];

/**
 * Why each change of an immutable field between consecutive chart versions breaks an upgrade, read
 * from the templates (and rendered with helm v4.1.4 to confirm: `helm template zot zot-<v>.tgz --set
 * persistence=true`). Keyed `<from>-><to> <kind>.spec.<field>`.
 */
const TRANSITIONS: Record<string, { readonly when: string; readonly reason: string }> = {
  '0.1.100->0.1.101 StatefulSet.spec.volumeClaimTemplates': {
    when: 'persistence is true and pvc.name is set, or pvc.create is false',
    reason:
      "0.1.101 names the claim template pvc.name itself (0.1.100: '<pvc.name>-pvc') and renders no claim template at all when pvc.create is false " +
      '(0.1.100 ignored pvc.create); spec.volumeClaimTemplates cannot change on an existing StatefulSet, so the upgrade is refused',
  },
  '0.1.112->0.1.113 StatefulSet.spec.serviceName': {
    when: 'persistence is true and serviceHeadless.enabled is false (the default)',
    reason:
      "0.1.113 always renders spec.serviceName ('<fullname>', or '<fullname>-headless' with the headless Service); 0.1.112 and earlier render it only " +
      'with the headless Service; spec.serviceName cannot change on an existing StatefulSet, so the upgrade is refused',
  },
  '0.1.113->0.1.114 StatefulSet.spec.serviceName': {
    when: 'persistence is true and serviceHeadless.enabled is false (the default)',
    reason:
      '0.1.114 renders spec.serviceName only with the headless Service again (as 0.1.112 did), so a release on 0.1.113 cannot move on: ' +
      'spec.serviceName cannot change on an existing StatefulSet',
  },
};

/** Versions that break an upgrade into them and out of them (a change undone by the next version). */
const KNOWN_BAD: Record<string, string> = {
  '0.1.113':
    'its StatefulSet sets spec.serviceName where the versions before and after it do not (persistence true, serviceHeadless disabled, the defaults ' +
    'otherwise): upgrading into it and out of it are both refused by the API server (serviceName is immutable); skip it',
};

/** Problems that depend on values, found by a template pattern. */
const CAVEATS: ReadonlyArray<{ id: string; when: string; reason: string; test: (files: ChartFiles) => boolean }> = [
  {
    id: 'pvc-name-breaks-mount',
    when: 'persistence is true and pvc.name is set',
    reason:
      "the claim template is named '<pvc.name>-pvc' but the container mounts '<release>-pvc': the pod is refused (volumeMounts name not found); fixed in 0.1.101",
    test: (f) =>
      /name: \{\{\s*or \.Values\.pvc\.name \.Release\.Name\s*\}\}-pvc/.test(f.statefulset ?? '') &&
      /name: \{\{ \.Release\.Name \}\}-pvc/.test(f.statefulset ?? ''),
  },
];

export interface ChartFiles {
  readonly chartYaml: string;
  readonly valuesYaml: string;
  readonly statefulset?: string;
  readonly deployment?: string;
  readonly helpers?: string;
}

/** The shipped facts file (lib/zot/chart-facts.json). */
export interface ChartFacts {
  readonly source: string;
  readonly charts: readonly ChartVersionFact[];
  readonly transitions: readonly ChartTransition[];
  readonly knownBad: ReadonlyArray<{ readonly chart: string; readonly reason: string }>;
  readonly caveats: readonly ChartCaveat[];
}

const corrupt = (file: string, why: string) =>
  new ZotFluxError({ field: file, reason: `is not a readable chart package (a gzip-compressed tar archive): ${why}` });

/** The files of a .tgz (ustar, with pax and GNU long names): path → bytes. A ZotFluxError naming `file` when it is not one. */
export function readTgz(file: string): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(fs.readFileSync(file));
  } catch (e) {
    throw corrupt(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  const str = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    // POSIX ustar: chksum is the sum of the header's bytes with the chksum field read as spaces
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
    if (parseInt(str(header.subarray(148, 156)).trim(), 8) !== sum)
      throw corrupt(file, `a tar header at byte ${offset} has a wrong checksum`);
    const size = parseInt(str(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = str(header.subarray(345, 500));
    const name = longName ?? (prefix ? `${prefix}/${str(header.subarray(0, 100))}` : str(header.subarray(0, 100)));
    if (offset + 512 + size > tar.length) throw corrupt(file, `${name} is cut short`);
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
  if (!files.size) throw corrupt(file, 'it holds no file');
  return files;
}

function chartFiles(file: string): ChartFiles {
  const files = readTgz(file);
  const get = (suffix: string) => files.get(`zot/${suffix}`)?.toString('utf8');
  const chartYaml = get('Chart.yaml');
  const valuesYaml = get('values.yaml');
  if (chartYaml === undefined || valuesYaml === undefined) {
    const top = [...new Set([...files.keys()].map((f) => f.split('/')[0]))].sort().join(', ');
    throw new ZotFluxError({
      field: file,
      value: top,
      reason: 'is not the zot chart: it has no zot/Chart.yaml and zot/values.yaml',
    });
  }
  return {
    chartYaml,
    valuesYaml,
    statefulset: get('templates/statefulset.yaml'),
    deployment: get('templates/deployment.yaml'),
    helpers: get('templates/_helpers.tpl'),
  };
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

/** One package's facts, with the files they were read from. */
export interface DerivedChart {
  readonly fact: ChartVersionFact;
  readonly files: ChartFiles;
}

/** A key of parsed YAML (undefined unless it is a mapping). */
const at = (x: unknown, key: string): unknown => (isPlainObject(x) ? x[key] : undefined);

/**
 * The facts of one zot chart package, or a ZotFluxError naming the file: not a readable archive, not
 * the zot chart, no workload template, a version that is not X.Y.Z.
 */
export function deriveChart(file: string): DerivedChart {
  const files = chartFiles(file);
  const { chart, values } = parseChartYaml(file, files);
  const version = checkChart(file, files, chart);
  const appVersion = String(at(chart, 'appVersion') ?? '');
  const image = at(values, 'image');
  const tag = at(image, 'tag') ? String(at(image, 'tag')) : null;
  const repository = String(at(image, 'repository') ?? '');
  // every zot chart's values.yaml: image.repository ghcr.io/project-zot/zot (or a zot-<flavour> image of the same project)
  if (!/(^|\/)zot(-[a-z0-9-]+)?$/.test(repository))
    throw new ZotFluxError({
      field: `${file}: values.yaml image.repository`,
      value: repository,
      reason: 'is not a zot image: this is not the zot chart',
    });
  const immutable = immutableHashes(files);
  return {
    fact: {
      chart: version,
      appVersion,
      imageRepository: repository,
      imageTag: tag,
      zotVersion: tag ?? appVersion,
      digest: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      immutable: Object.fromEntries(Object.entries(immutable).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    files,
  };
}

function parseChartYaml(file: string, files: ChartFiles): { chart: unknown; values: unknown } {
  try {
    return { chart: yaml.load(files.chartYaml) ?? {}, values: yaml.load(files.valuesYaml) ?? {} };
  } catch (e) {
    throw new ZotFluxError({
      field: file,
      reason: `has a Chart.yaml or values.yaml that is not YAML (${(e as Error).message.split('\n')[0]})`,
    });
  }
}

/** The chart's version, once it is the zot chart (name zot, a version X.Y.Z, a workload template). */
function checkChart(file: string, files: ChartFiles, chart: unknown): string {
  if (at(chart, 'name') !== 'zot')
    throw new ZotFluxError({
      field: `${file}: Chart.yaml name`,
      value: at(chart, 'name'),
      reason: 'is not the zot chart (name zot)',
    });
  const version = String(at(chart, 'version') ?? '');
  if (!isChartVersion(version))
    throw new ZotFluxError({
      field: `${file}: Chart.yaml version`,
      value: version,
      reason: 'is not a chart version this project reads (X.Y.Z)',
    });
  if (!files.statefulset && !files.deployment)
    throw new ZotFluxError({
      field: file,
      reason: 'is not the zot chart: it has neither templates/statefulset.yaml nor templates/deployment.yaml',
    });
  return version;
}

/** A hash of the template text behind each immutable field of the workload. */
function immutableHashes(files: ChartFiles): Record<string, string> {
  const immutable: Record<string, string> = {};
  if (files.statefulset) {
    for (const [field, text] of specFieldBlocks(files.statefulset))
      if (!MUTABLE_STATEFULSET_FIELDS.includes(field)) immutable[`StatefulSet.spec.${field}`] = hash(text);
  }
  if (files.deployment) {
    for (const [field, text] of specFieldBlocks(files.deployment))
      if (DEPLOYMENT_IMMUTABLE_FIELDS.includes(field)) immutable[`Deployment.spec.${field}`] = hash(text);
  }
  // the selector labels and names come from _helpers.tpl: any change there is a change of every field
  if (files.helpers) immutable['helpers'] = hash(files.helpers);
  return immutable;
}

/** The immutable fields whose template differs between two charts' facts. */
export function immutableChanges(a: ChartVersionFact, b: ChartVersionFact): string[] {
  return [...new Set([...Object.keys(a.immutable), ...Object.keys(b.immutable)])]
    .sort()
    .filter((f) => a.immutable[f] !== b.immutable[f]);
}

/** Reads every zot-<version>.tgz in `dir` (and index.yaml when present, to check digests): the shipped facts. */
export function buildChartFacts(dir: string): ChartFacts {
  const facts = readPackages(dir);
  checkIndex(path.join(dir, 'index.yaml'), facts);
  const problems: string[] = [];
  const transitions = transitionsOf(facts, problems);
  const knownBad = Object.entries(KNOWN_BAD)
    .filter(([chart]) => facts.some(({ fact: f }) => f.chart === chart))
    .map(([chart, reason]) => ({ chart, reason }));
  for (const { chart } of knownBad) {
    if (!transitions.some((t) => t.to === chart) || !transitions.some((t) => t.from === chart))
      problems.push(`${chart}: KNOWN_BAD lists it, but no immutable field changes both into and out of it`);
  }
  if (problems.length)
    throw new ZotFluxError(
      problems.map((reason) => ({ field: 'chart templates', reason })),
      'the chart facts need a person',
    );
  return {
    source:
      'zot chart packages zot-<version>.tgz (helm-packaged from project-zot/helm-charts charts/zot); regenerate with `npm run chart-facts`',
    charts: facts.map((d) => d.fact),
    transitions,
    knownBad,
    caveats: caveatsOf(facts),
  };
}

/** Every zot-<version>.tgz in `dir`, derived, oldest first. */
function readPackages(dir: string): DerivedChart[] {
  const packages = fs.readdirSync(dir).filter((f) => /^zot-\d+\.\d+\.\d+\.tgz$/.test(f));
  if (!packages.length) throw new ZotFluxError({ field: dir, reason: 'holds no zot-<version>.tgz chart package' });
  const facts: DerivedChart[] = [];
  for (const pkg of packages) {
    const file = path.join(dir, pkg);
    const d = deriveChart(file);
    if (`zot-${d.fact.chart}.tgz` !== pkg)
      throw new ZotFluxError({ field: file, value: `zot-${d.fact.chart}`, reason: 'does not match its file name' });
    facts.push(d);
  }
  return facts.sort((a, b) => compareChartVersions(a.fact.chart, b.fact.chart));
}

/** index.yaml (when present) must give each package's digest and appVersion as derived. */
function checkIndex(index: string, facts: readonly DerivedChart[]): void {
  if (!fs.existsSync(index)) return;
  const listed = at(at(yaml.load(fs.readFileSync(index, 'utf8')), 'entries'), 'zot') ?? [];
  const entries = Array.isArray(listed) ? listed : [];
  for (const { fact: f } of facts) {
    const e: unknown = entries.find((x) => at(x, 'version') === f.chart);
    const digest = at(e, 'digest');
    const appVersion = at(e, 'appVersion');
    if (e && ((digest && digest !== f.digest) || (appVersion && appVersion !== f.appVersion))) {
      throw new ZotFluxError({
        field: `${index}: ${f.chart}`,
        reason: `does not match the package (digest ${digest} vs ${f.digest}, appVersion ${appVersion} vs ${f.appVersion})`,
      });
    }
  }
}

/** The immutable-field changes between consecutive charts, each with its reason (TRANSITIONS); problems for the rest. */
function transitionsOf(facts: readonly DerivedChart[], problems: string[]): ChartTransition[] {
  const transitions: ChartTransition[] = [];
  const found = new Set<string>();
  for (let i = 1; i < facts.length; i++) {
    const [a, b] = [facts[i - 1].fact, facts[i].fact];
    for (const field of immutableChanges(a, b)) {
      const key = `${a.chart}->${b.chart} ${field}`;
      found.add(key);
      const known = TRANSITIONS[key];
      if (!known)
        problems.push(
          `${key}: the template behind this immutable field changed; read both templates and add the reason to TRANSITIONS in lib/zot/chart-derive.ts`,
        );
      else transitions.push({ from: a.chart, to: b.chart, field, ...known });
    }
  }
  for (const key of Object.keys(TRANSITIONS))
    if (!found.has(key) && facts.some(({ fact: f }) => key.startsWith(`${f.chart}->`)))
      problems.push(`${key}: TRANSITIONS has a reason for a change that the templates do not show`);
  return transitions;
}

/** The caveats (CAVEATS) whose template pattern each chart shows. */
function caveatsOf(charts: readonly DerivedChart[]): ChartCaveat[] {
  return CAVEATS.map((c) => ({
    id: c.id,
    charts: charts.filter((d) => c.test(d.files)).map((d) => d.fact.chart),
    when: c.when,
    reason: c.reason,
  })).filter((c) => c.charts.length);
}

/** A facts file as committed: stable key order, two-space indent, final newline. */
export function chartFactsJson(facts: ChartFacts | LearnedChartFacts): string {
  return `${JSON.stringify(facts, null, 2)}\n`;
}

/** The learned facts file with nothing learned (lib/zot/chart-facts.learned.json as shipped). */
export const LEARNED_SOURCE =
  'zot charts learned from their packages by `npm run chart-facts -- --add FILE` or `--pull VERSION` (lib/cli/chart-facts.ts), ' +
  'with the derivation of lib/zot/chart-facts.json; not reviewed by a person: where an immutable field renders from another template than in the chart before, ' +
  'synth warns on an upgrade across it with the generic reason';

export function emptyLearnedFacts(): LearnedChartFacts {
  return { source: LEARNED_SOURCE, charts: [] };
}

/** What learning a package did. */
export interface Learned {
  /** learned: added; unchanged: already learned with the same facts; shipped: the project ships its facts. */
  readonly status: 'learned' | 'unchanged' | 'shipped';
  readonly fact: LearnedChartFact;
  /** The learned facts with it (unchanged unless status is learned). */
  readonly facts: LearnedChartFacts;
  /** The chart before it in the shipped and learned facts, and the immutable fields whose template differs from it. */
  readonly predecessor?: string;
  readonly changes: readonly string[];
}

/** What a chart deploys and renders, without where its package came from (digest, source). */
const core = (f: ChartVersionFact) =>
  JSON.stringify([f.chart, f.appVersion, f.imageRepository, f.imageTag, f.zotVersion, f.immutable]);

/**
 * Adds the facts of one package to the learned facts. `shipped`: every chart the project ships facts
 * for. A ZotFluxError (nothing learned) when the package is unreadable or not the zot chart, or when
 * its version is known with other facts (the package is not the chart the facts were read from).
 * Package digests are not compared with the shipped ones: those packages were built here from the
 * chart's sources, so their bytes differ from the published package's.
 */
export function learnChart(
  file: string,
  source: string,
  shipped: readonly ChartVersionFact[],
  learned: LearnedChartFacts,
): Learned {
  const derived = deriveChart(file);
  const fact: LearnedChartFact = {
    ...derived.fact,
    source,
    caveats: caveatsOf([derived]).map(({ id, when, reason }) => ({ id, when, reason })),
  };
  const all = [...shipped, ...learned.charts].sort((a, b) => compareChartVersions(a.chart, b.chart));
  const predecessor = [...all].reverse().find((c) => compareChartVersions(c.chart, fact.chart) < 0);
  const changes = predecessor ? immutableChanges(predecessor, fact) : [];
  const differs = (known: ChartVersionFact, where: string) =>
    new ZotFluxError({
      field: file,
      value: fact.chart,
      reason:
        `is chart ${fact.chart}, which ${where} with other facts (${immutableChanges(known, fact).join(', ') || 'zot version or image'} differ): ` +
        'it is not the package those facts were read from',
    });
  const ship = shipped.find((c) => c.chart === fact.chart);
  if (ship) {
    if (core(ship) !== core(fact)) throw differs(ship, 'this project ships');
    return { status: 'shipped', fact, facts: learned, predecessor: predecessor?.chart, changes };
  }
  const had = learned.charts.find((c) => c.chart === fact.chart);
  if (had) {
    if (core(had) !== core(fact)) throw differs(had, 'is already learned');
    return { status: 'unchanged', fact: had, facts: learned, predecessor: predecessor?.chart, changes };
  }
  const charts = [...learned.charts, fact].sort((a, b) => compareChartVersions(a.chart, b.chart));
  return {
    status: 'learned',
    fact,
    facts: { source: LEARNED_SOURCE, charts },
    predecessor: predecessor?.chart,
    changes,
  };
}
