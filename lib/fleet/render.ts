// What Flux applies for one generated app on one cluster, and everything that would fail there: the
// app's Flux Kustomization as the cluster's walk (lib/fleet/walk.ts) applied it, substituted once more
// with printable values (secret values as <secret:NAME>), and checked with the real or sample values.
import { ZotFluxError } from '../core/error';
import { toYaml } from '../core/yaml';
import { FLUX_GENERATIONS } from '../flux/generation';
import { optsOutOfSubstitution } from '../flux/substitute-object';
import { valueAt } from '../k8s/objects';
import { advisoryCheck } from '../checks/advisories';
import { hostnameErrors } from '../checks/hostnames';
import { zotReleaseCheck } from '../checks/zot-release';
import { clusterFluxDir } from '../layout/layout';
import { htpasswdLineProblem } from '../zot/htpasswd';
import { ZOT_CHART_NAME } from '../zot/chart';
import { ClusterFlux, describeFlux } from './flux-version';
import { GeneratedApp } from './repository';
import { Substituter } from './substituter';
import { AppliedKustomization, applyCommonMetadata, ClusterWalk, substituteStrategyOf, VarValue } from './walk';

export interface RenderedCluster {
  readonly cluster: string;
  readonly app: string;
  /** What Flux applies, as YAML; secret values replaced by `<secret:NAME>`. Only a header when the app's Kustomization fails or is not applied. */
  readonly text: string;
  readonly hostnames: readonly string[];
  readonly used: readonly string[];
  /** Used without a default, but no source defines them (Flux 2.7: empty strings; Flux 2.9 strict: the Kustomization fails). */
  readonly missing: readonly string[];
  /** Defined, but empty. */
  readonly empty: readonly string[];
  /** Everything that would fail on this cluster, each naming what and why. */
  readonly problems: readonly string[];
  /** `provided` values that were not used: the variable is not used, or its value is not encrypted here. */
  readonly ignoredProvided: readonly string[];
  /** The Flux the cluster is checked as. */
  readonly flux: ClusterFlux;
  /** The app's Flux Kustomization as applied on the cluster (`namespace/name`), if it is. */
  readonly kustomization?: string;
  /** Why the app's Kustomization fails on this cluster, if it does (nothing of it is applied). */
  readonly failure?: string;
  /** Said, not a problem: assumptions, values Flux does not read. */
  readonly notes: readonly string[];
}

export const secretPlaceholder = (name: string) => `<secret:${name}>`;

// envsubst v1.7.0 template.go isDefaultOp: operators that do not need the variable (a default is used).
const DEFAULT_OPERATORS = ['-', '+', '=', '?', ':-', ':+', ':=', ':?'];

function needsValue(expression: string, name: string): boolean {
  const rest = expression.slice(2 + (expression[2] === '#' ? 1 : 0) + name.length);
  return !DEFAULT_OPERATORS.some((op) => rest.startsWith(op));
}

function sources(k: AppliedKustomization): string {
  const from = valueAt(k.object, 'spec', 'postBuild', 'substituteFrom');
  const list = Array.isArray(from) ? from.map((s: unknown) => `${valueAt(s, 'kind')}/${valueAt(s, 'name')}`) : [];
  if (valueAt(k.object, 'spec', 'postBuild', 'substitute')) list.push('postBuild.substitute');
  return list.join(', ') || 'none';
}

/** What every step of one app's rendering reads: the cluster, the app, its Kustomization and its variables. */
interface Rendering {
  readonly walk: ClusterWalk;
  readonly app: GeneratedApp;
  readonly k: AppliedKustomization;
  readonly substituter: Substituter;
  readonly provided: Readonly<Record<string, string>>;
  readonly fluxText: string;
  readonly spec: unknown;
  readonly raw: readonly unknown[];
  readonly vars: ReadonlyMap<string, VarValue>;
  readonly substitutes: boolean;
  /** The variable's real value (from its source, or --vars for a value that is not known here). */
  readonly real: (name: string) => string | undefined;
}

/** The variables an app uses, and what the rendering says about them. */
interface Variables {
  readonly used: string[];
  readonly missing: string[];
  readonly empty: string[];
  readonly ignoredProvided: string[];
}

type Header = (what: string) => string;

/** The app's rendering on the walked cluster. */
export function renderApp(
  walk: ClusterWalk,
  app: GeneratedApp,
  substituter: Substituter,
  provided: Readonly<Record<string, string>> = {},
): RenderedCluster {
  const fluxText = `Flux ${describeFlux(walk.flux)}`;
  const k = walk.kustomizations.find((x) => x.id === app.id && x.dir === app.appDir);
  const problems: string[] = [...walk.problems, ...unsupportedFlux(walk.flux), ...otherFailures(walk, k, fluxText)];
  const notes: string[] = [...walk.notes];
  const header: Header = (what) =>
    `# zot-flux render: what Flux applies for ${app.name} on ${walk.cluster} (${fluxText}); ${what}\n`;
  const base = { cluster: walk.cluster, app: app.name, flux: walk.flux, notes };
  if (!k) return notApplied(walk, app, provided, problems, base, header);
  if (k.assumed)
    notes.push(
      `${app.ksFile} is taken as applied by a parent without postBuild (no Kustomization in the repository applies it)`,
    );
  const r = rendering(walk, app, k, substituter, provided, fluxText);
  const variables = usedVariables(r);
  const scrub = scrubber(knownSecrets(walk, provided));
  const literal = literalProblems(r, variables.used);
  if (k.failure) return failedRender(r, k.failure, variables, literal, problems, base, header, scrub);
  problems.push(...literal, ...variableProblems(r, variables));
  const printed = printedObjects(r, notes);
  const applied = k.applied ?? [];
  const hostnames = routeHostnames(r.raw, printed);
  problems.push(...hostnameProblems(r, applied), ...zotReleaseProblems(applied), ...htpasswdProblems(r, applied));
  // The text is made when it is read (fleet-check never reads it).
  let text: string | undefined;
  const result = {
    ...base,
    kustomization: k.id,
    hostnames: hostnames.map(scrub),
    ...variables,
    problems: problems.map(scrub),
  };
  return Object.defineProperty(result, 'text', {
    enumerable: true,
    get: () => (text ??= scrub(header('secret values are shown as <secret:NAME>') + toYaml(printed))),
  }) as unknown as RenderedCluster;
}

function unsupportedFlux(flux: ClusterFlux): string[] {
  if (!flux.unsupported) return [];
  return [
    `${flux.source}: Flux ${flux.unsupported} is not a version zot-flux models (2.7, 2.8 and 2.9 substitute as checked here); give --flux 2.7 or --flux 2.9 to check this cluster as one of them`,
  ];
}

/** The cluster's other Kustomizations that fail there. */
function otherFailures(walk: ClusterWalk, k: AppliedKustomization | undefined, fluxText: string): string[] {
  const problems: string[] = [];
  for (const other of walk.kustomizations) {
    if (other === k) continue;
    const name = other.id === '(entry)' ? `the entry point ${other.dir}` : `Kustomization ${other.id} (${other.dir})`;
    if (other.failure) problems.push(`${name} fails on ${walk.cluster} (${fluxText}): ${other.failure}`);
  }
  return problems;
}

function notApplied(
  walk: ClusterWalk,
  app: GeneratedApp,
  provided: Readonly<Record<string, string>>,
  problems: string[],
  base: Pick<RenderedCluster, 'cluster' | 'app' | 'flux' | 'notes'>,
  header: Header,
): RenderedCluster {
  problems.push(
    `no Flux Kustomization applies ${app.ksFile} on ${walk.cluster} (followed from ${clusterFluxDir(walk.cluster)}): ${app.name} is not deployed there`,
  );
  return {
    ...base,
    text: header('nothing: the app is not applied on this cluster'),
    hostnames: [],
    used: [],
    missing: [],
    empty: [],
    problems,
    ignoredProvided: Object.keys(provided),
  };
}

function rendering(
  walk: ClusterWalk,
  app: GeneratedApp,
  k: AppliedKustomization,
  substituter: Substituter,
  provided: Readonly<Record<string, string>>,
  fluxText: string,
): Rendering {
  const spec = valueAt(k.object, 'spec') ?? {};
  const vars: ReadonlyMap<string, VarValue> = k.vars ?? new Map();
  const real = (n: string): string | undefined => vars.get(n)?.value ?? (vars.has(n) ? provided[n] : undefined);
  const postBuild = valueAt(spec, 'postBuild');
  const substitutes = postBuild !== undefined && postBuild !== null;
  return { walk, app, k, substituter, provided, fluxText, spec, raw: k.raw ?? [], vars, substitutes, real };
}

/** Variables the app uses, as Flux's parser reads the objects it substitutes. */
function usedVariables(r: Rendering): Variables {
  const used: string[] = [];
  const needed = new Set<string>();
  if (r.substitutes) {
    for (const o of r.raw) {
      if (optsOutOfSubstitution(o)) continue;
      for (const ref of r.substituter.references(o) ?? []) {
        if (!used.includes(ref.name)) used.push(ref.name);
        if (needsValue(ref.expression, ref.name)) needed.add(ref.name);
      }
    }
  }
  const { vars, provided } = r;
  return {
    used,
    missing: used.filter((n) => needed.has(n) && !vars.has(n)),
    empty: used.filter((n) => vars.has(n) && r.real(n) === ''),
    ignoredProvided: Object.keys(provided).filter(
      (n) => !used.includes(n) || !vars.has(n) || vars.get(n)!.value !== undefined,
    ),
  };
}

/**
 * Every secret value known on this cluster (from a Secret, or given with --vars), in any Kustomization: masked
 * wherever it would be printed.
 */
function knownSecrets(walk: ClusterWalk, provided: Readonly<Record<string, string>>): Array<[string, string]> {
  const secrets: Array<[string, string]> = [];
  for (const other of walk.kustomizations) {
    for (const [n, v] of other.vars ?? []) {
      const value = v.value ?? provided[n];
      if (v.secret && value) secrets.push([n, value.replace(/\n/g, '')]);
    }
  }
  return secrets;
}

function scrubber(secrets: ReadonlyArray<[string, string]>): (text: string) => string {
  return (text) => {
    let out = text;
    for (const [n, v] of [...secrets].sort((a, b) => b[1].length - a[1].length))
      if (v.length >= 3) out = out.split(v).join(secretPlaceholder(n));
    return out;
  };
}

/** What stays literal: said whether or not the API server then refuses it (k.applied: substituted, then applied or refused). */
function literalProblems(r: Rendering, used: readonly string[]): string[] {
  const problems: string[] = [];
  const { flux } = r.walk;
  if (!r.substitutes && used.length === 0) {
    // No postBuild: nothing is substituted; say so when the objects hold expressions.
    const literal = new Set<string>();
    for (const o of r.raw) for (const ref of r.substituter.references(o) ?? []) literal.add('${' + ref.name + '}');
    if (literal.size)
      problems.push(`${r.k.id} has no postBuild, so Flux does not substitute: ${[...literal].join(', ')} stay literal`);
  }
  const always = FLUX_GENERATIONS[flux.generation].substituteStrategy && substituteStrategyOf(r.spec) === 'Always';
  if (r.substitutes && r.vars.size === 0 && !always && used.length) {
    problems.push(
      `no source defines any variable, so Flux does not substitute at all: ${used.map((v) => '${' + v + '}').join(', ')} stay literal`,
    );
  }
  return problems;
}

const emptiedText = (r: Rendering) => (r.walk.flux.strict ? '' : ': Flux substitutes an empty string');

const missingText = (r: Rendering, n: string) =>
  `variable ${n} is used by ${r.app.dir} but defined by none of its sources (${sources(r.k)})`;

/** The app's Kustomization fails: why, and what else would fail when Flux tried to apply it. */
function failedRender(
  r: Rendering,
  failure: string,
  variables: Variables,
  literal: readonly string[],
  problems: string[],
  base: Pick<RenderedCluster, 'cluster' | 'app' | 'flux' | 'notes'>,
  header: Header,
  scrub: (text: string) => string,
): RenderedCluster {
  const { k, walk, app } = r;
  problems.push(
    `Kustomization ${k.id} fails on ${walk.cluster} (${r.fluxText}): ${failure}; nothing of ${app.name} is applied`,
  );
  for (const n of variables.missing) problems.push(missingText(r, n) + (k.applied ? emptiedText(r) : ''));
  // Refused at apply (k.applied is what Flux tried to apply): why a hostname the API server refuses is what it is.
  if (k.applied) problems.push(...literal);
  problems.push(...hostnameProblems(r, k.applied ?? [], true));
  return {
    ...base,
    kustomization: k.id,
    failure: scrub(failure),
    text: header(`nothing: Kustomization ${k.id} fails`) + `# ${scrub(failure).split('\n').join('\n# ')}\n`,
    hostnames: [],
    ...variables,
    problems: problems.map(scrub),
  };
}

function variableProblems(r: Rendering, variables: Variables): string[] {
  const problems: string[] = [];
  for (const n of variables.missing) if (!r.walk.flux.strict) problems.push(missingText(r, n) + emptiedText(r));
  for (const n of variables.empty) problems.push(`variable ${n} is defined but empty (from ${r.vars.get(n)!.source})`);
  return problems;
}

/** The printed objects: the same substitution with secret and unknown values as placeholders. */
function printedObjects(r: Rendering, notes: string[]): unknown[] {
  if (!r.substitutes) return applyCommonMetadata(r.raw, r.spec);
  const { flux } = r.walk;
  const values: Record<string, string> = {};
  for (const [n, v] of r.vars) values[n] = v.secret || v.value === undefined ? secretPlaceholder(n) : v.value;
  const opts = {
    generation: flux.generation,
    strict: flux.strict,
    substituteStrategy: FLUX_GENERATIONS[flux.generation].substituteStrategy ? substituteStrategyOf(r.spec) : undefined,
  };
  try {
    return applyCommonMetadata(
      r.raw.map((o) => r.substituter.substitute(o, values, opts)),
      r.spec,
    );
  } catch (e) {
    if (!ZotFluxError.isZotFluxError(e)) throw e;
    notes.push(`the placeholders do not substitute like the values (${e.message}); shown with sample values`);
    return [...(r.k.applied ?? [])];
  }
}

function routeHostnames(raw: readonly unknown[], printed: readonly unknown[]): string[] {
  const hostnames: string[] = [];
  raw.forEach((o, i) => {
    if (valueAt(o, 'kind') !== 'HTTPRoute') return;
    const listed = valueAt(printed[i], 'spec', 'hostnames') ?? [];
    for (const h of listed as Iterable<unknown>) hostnames.push(String(h)); // a list by the HTTPRoute schema
  });
  return hostnames;
}

/** Why a hostname the API server refuses is what it is, for each HTTPRoute (`tried`: only those Flux tried to apply). */
function hostnameProblems(r: Rendering, applied: readonly unknown[], tried = false): string[] {
  const problems: string[] = [];
  r.raw.forEach((o, i) => {
    if (valueAt(o, 'kind') !== 'HTTPRoute' || (tried && !applied[i])) return;
    problems.push(...hostnameErrors(o, applied[i], (n) => (r.vars.has(n) ? (r.real(n) ?? 'unknown') : undefined)));
  });
  return problems;
}

const isZotRelease = (o: unknown): boolean =>
  valueAt(o, 'kind') === 'HelmRelease' && valueAt(o, 'spec', 'chart', 'spec', 'chart') === ZOT_CHART_NAME;

/**
 * The zot release as this cluster applies it: the same judgment synth makes on the values as written
 * (zot's start-up rules, the config as zot loads it, the closed registry, advisories), on this cluster's values.
 */
function zotReleaseProblems(applied: readonly unknown[]): string[] {
  return applied.filter(isZotRelease).flatMap((o) => [...zotReleaseCheck(o).errors, ...advisoryCheck(o).errors]);
}

/** htpasswd lines whose value is known (a SOPS value never is, unless --vars gives it). */
function htpasswdProblems(r: Rendering, applied: readonly unknown[]): string[] {
  const problems: string[] = [];
  r.raw.forEach((o, i) => {
    if (!isZotRelease(o)) return;
    const template = valueAt(o, 'spec', 'values', 'secretFiles', 'htpasswd');
    const result = valueAt(applied[i], 'spec', 'values', 'secretFiles', 'htpasswd');
    if (typeof template !== 'string' || typeof result !== 'string') return;
    const lines = template.split('\n');
    const out = result.split('\n');
    if (lines.length !== out.length) return;
    lines.forEach((line, j) => {
      const names = [...line.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
      if (names.length !== 1 || !r.vars.has(names[0]) || r.real(names[0]) === undefined) return;
      const problem = htpasswdLineProblem(out[j]);
      if (problem) problems.push(`variable ${names[0]} (htpasswd line): ${problem}`);
    });
  });
  return problems;
}
