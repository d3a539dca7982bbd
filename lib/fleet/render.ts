// What Flux applies for one generated app on one cluster, and everything that would fail there: the
// app's Flux Kustomization as the cluster's walk (lib/fleet/walk.ts) applied it, substituted once more
// with printable values (secret values as <secret:NAME>), and checked with the real or sample values.
import { ZotFluxError } from '../core/error';
import { toYaml } from '../core/yaml';
import { FLUX_GENERATIONS } from '../flux/generation';
import { optsOutOfSubstitution } from '../flux/substitute-object';
import { advisoryCheck } from '../checks/advisories';
import { hostnameErrors } from '../checks/hostnames';
import { zotReleaseCheck } from '../checks/zot-release';
import { clusterFluxDir } from '../layout/layout';
import { htpasswdLineProblem } from '../zot/htpasswd';
import { ZOT_CHART_NAME } from '../zot/chart';
import { ClusterFlux, describeFlux } from './flux-version';
import { GeneratedApp } from './repository';
import { Substituter } from './substituter';
import { AppliedKustomization, ClusterWalk, VarValue } from './walk';

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

function applyCommonMetadata(objects: readonly any[], spec: any): any[] {
  const cmeta = spec?.commonMetadata;
  if (!cmeta || (!cmeta.labels && !cmeta.annotations)) return [...objects];
  return objects.map((o) => {
    const metadata = { ...o.metadata };
    const labels = { ...(o.metadata?.labels ?? {}), ...(cmeta.labels ?? {}) };
    const annotations = { ...(o.metadata?.annotations ?? {}), ...(cmeta.annotations ?? {}) };
    if (Object.keys(labels).length) metadata.labels = labels;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    return { ...o, metadata };
  });
}

function sources(k: AppliedKustomization): string {
  const from = k.object?.spec?.postBuild?.substituteFrom;
  const list = Array.isArray(from) ? from.map((s: any) => `${s?.kind}/${s?.name}`) : [];
  if (k.object?.spec?.postBuild?.substitute) list.push('postBuild.substitute');
  return list.join(', ') || 'none';
}

/** The app's rendering on the walked cluster. */
export function renderApp(
  walk: ClusterWalk,
  app: GeneratedApp,
  substituter: Substituter,
  provided: Readonly<Record<string, string>> = {},
): RenderedCluster {
  const flux = walk.flux;
  const fluxText = `Flux ${describeFlux(flux)}`;
  const problems: string[] = [...walk.problems];
  const notes: string[] = [...walk.notes];
  if (flux.unsupported) {
    problems.push(
      `${flux.source}: Flux ${flux.unsupported} is not a version zot-flux models (2.7, 2.8 and 2.9 substitute as checked here); give --flux 2.7 or --flux 2.9 to check this cluster as one of them`,
    );
  }
  const k = walk.kustomizations.find((x) => x.id === app.id && x.dir === app.appDir);
  for (const other of walk.kustomizations) {
    if (other === k) continue;
    const name = other.id === '(entry)' ? `the entry point ${other.dir}` : `Kustomization ${other.id} (${other.dir})`;
    if (other.failure) problems.push(`${name} fails on ${walk.cluster} (${fluxText}): ${other.failure}`);
  }
  const header = (what: string) =>
    `# zot-flux render: what Flux applies for ${app.name} on ${walk.cluster} (${fluxText}); ${what}\n`;
  const base = { cluster: walk.cluster, app: app.name, flux, notes };
  if (!k) {
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
  if (k.assumed)
    notes.push(
      `${app.ksFile} is taken as applied by a parent without postBuild (no Kustomization in the repository applies it)`,
    );
  const spec = k.object?.spec ?? {};
  const raw = k.raw ?? [];
  const vars: ReadonlyMap<string, VarValue> = k.vars ?? new Map();
  const substitutes = spec.postBuild !== undefined && spec.postBuild !== null;

  // Variables the app uses, as Flux's parser reads the objects it substitutes.
  const used: string[] = [];
  const needed = new Set<string>();
  if (substitutes) {
    for (const o of raw) {
      if (optsOutOfSubstitution(o)) continue;
      for (const r of substituter.references(o) ?? []) {
        if (!used.includes(r.name)) used.push(r.name);
        if (needsValue(r.expression, r.name)) needed.add(r.name);
      }
    }
  }
  const missing = used.filter((n) => needed.has(n) && !vars.has(n));
  const real = (n: string): string | undefined => vars.get(n)?.value ?? (vars.has(n) ? provided[n] : undefined);
  const empty = used.filter((n) => vars.has(n) && real(n) === '');
  // Every secret value known on this cluster (from a Secret, or given with --vars), in any Kustomization: masked
  // wherever it would be printed.
  const secrets: Array<[string, string]> = [];
  for (const other of walk.kustomizations) {
    for (const [n, v] of other.vars ?? []) {
      const value = v.value ?? provided[n];
      if (v.secret && value) secrets.push([n, value.replace(/\n/g, '')]);
    }
  }
  const ignoredProvided = Object.keys(provided).filter(
    (n) => !used.includes(n) || !vars.has(n) || vars.get(n)!.value !== undefined,
  );
  const scrub = (text: string): string => {
    let out = text;
    for (const [n, v] of [...secrets].sort((a, b) => b[1].length - a[1].length))
      if (v.length >= 3) out = out.split(v).join(secretPlaceholder(n));
    return out;
  };

  const sourcesText = sources(k);
  // What stays literal: said whether or not the API server then refuses it (k.applied: substituted, then applied or refused).
  const literalProblems: string[] = [];
  if (!substitutes && used.length === 0) {
    // No postBuild: nothing is substituted; say so when the objects hold expressions.
    const literal = new Set<string>();
    for (const o of raw) for (const r of substituter.references(o) ?? []) literal.add('${' + r.name + '}');
    if (literal.size)
      literalProblems.push(
        `${k.id} has no postBuild, so Flux does not substitute: ${[...literal].join(', ')} stay literal`,
      );
  }
  const always =
    FLUX_GENERATIONS[flux.generation].substituteStrategy && spec.postBuild?.substituteStrategy === 'Always';
  if (substitutes && vars.size === 0 && !always && used.length) {
    literalProblems.push(
      `no source defines any variable, so Flux does not substitute at all: ${used.map((v) => '${' + v + '}').join(', ')} stay literal`,
    );
  }
  const emptied = flux.strict ? '' : ': Flux substitutes an empty string';
  if (k.failure) {
    problems.push(
      `Kustomization ${k.id} fails on ${walk.cluster} (${fluxText}): ${k.failure}; nothing of ${app.name} is applied`,
    );
    for (const n of missing)
      problems.push(
        `variable ${n} is used by ${app.dir} but defined by none of its sources (${sourcesText})${k.applied ? emptied : ''}`,
      );
    // Refused at apply (k.applied is what Flux tried to apply): why a hostname the API server refuses is what it is.
    const tried = k.applied ?? [];
    if (k.applied) problems.push(...literalProblems);
    raw.forEach((o, i) => {
      if (o?.kind === 'HTTPRoute' && tried[i])
        problems.push(...hostnameErrors(o, tried[i], (n) => (vars.has(n) ? (real(n) ?? 'unknown') : undefined)));
    });
    return {
      ...base,
      kustomization: k.id,
      failure: scrub(k.failure),
      text: header(`nothing: Kustomization ${k.id} fails`) + `# ${scrub(k.failure).split('\n').join('\n# ')}\n`,
      hostnames: [],
      used,
      missing,
      empty,
      problems: problems.map(scrub),
      ignoredProvided,
    };
  }
  problems.push(...literalProblems);
  for (const n of missing)
    if (!flux.strict)
      problems.push(
        `variable ${n} is used by ${app.dir} but defined by none of its sources (${sourcesText})${emptied}`,
      );
  for (const n of empty) problems.push(`variable ${n} is defined but empty (from ${vars.get(n)!.source})`);

  // The printed objects: the same substitution with secret and unknown values as placeholders.
  let printed: any[];
  if (substitutes) {
    const values: Record<string, string> = {};
    for (const [n, v] of vars) values[n] = v.secret || v.value === undefined ? secretPlaceholder(n) : v.value;
    const opts = {
      generation: flux.generation,
      strict: flux.strict,
      substituteStrategy: FLUX_GENERATIONS[flux.generation].substituteStrategy
        ? spec.postBuild.substituteStrategy
        : undefined,
    };
    try {
      printed = applyCommonMetadata(
        raw.map((o) => substituter.substitute(o, values, opts)),
        spec,
      );
    } catch (e) {
      if (!ZotFluxError.isZotFluxError(e)) throw e;
      printed = [...(k.applied ?? [])];
      notes.push(`the placeholders do not substitute like the values (${e.message}); shown with sample values`);
    }
  } else {
    printed = applyCommonMetadata(raw, spec);
  }
  const applied = k.applied ?? [];

  const hostnames: string[] = [];
  const hostnameProblems: string[] = [];
  raw.forEach((o, i) => {
    if (o?.kind !== 'HTTPRoute') return;
    for (const h of printed[i]?.spec?.hostnames ?? []) hostnames.push(String(h));
    hostnameProblems.push(...hostnameErrors(o, applied[i], (n) => (vars.has(n) ? (real(n) ?? 'unknown') : undefined)));
  });
  problems.push(...hostnameProblems);
  // The zot release as this cluster applies it: the same judgment synth makes on the values as written
  // (zot's start-up rules, the config as zot loads it, the closed registry, advisories), on this cluster's values.
  applied.forEach((o) => {
    if (o?.kind !== 'HelmRelease' || o.spec?.chart?.spec?.chart !== ZOT_CHART_NAME) return;
    problems.push(...zotReleaseCheck(o).errors, ...advisoryCheck(o).errors);
  });
  // htpasswd lines whose value is known (a SOPS value never is, unless --vars gives it).
  raw.forEach((o, i) => {
    if (o?.kind !== 'HelmRelease' || o.spec?.chart?.spec?.chart !== ZOT_CHART_NAME) return;
    const template = o.spec?.values?.secretFiles?.htpasswd;
    const result = applied[i]?.spec?.values?.secretFiles?.htpasswd;
    if (typeof template !== 'string' || typeof result !== 'string') return;
    const lines = template.split('\n');
    const out = result.split('\n');
    if (lines.length !== out.length) return;
    lines.forEach((line, j) => {
      const names = [...line.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
      if (names.length !== 1 || !vars.has(names[0]) || real(names[0]) === undefined) return;
      const problem = htpasswdLineProblem(out[j]);
      if (problem) problems.push(`variable ${names[0]} (htpasswd line): ${problem}`);
    });
  });

  // The text is made when it is read (fleet-check never reads it).
  let text: string | undefined;
  const result = {
    ...base,
    kustomization: k.id,
    hostnames: hostnames.map(scrub),
    used,
    missing,
    empty,
    problems: problems.map(scrub),
    ignoredProvided,
  };
  return Object.defineProperty(result, 'text', {
    enumerable: true,
    get: () => (text ??= scrub(header('secret values are shown as <secret:NAME>') + toYaml(printed))),
  }) as unknown as RenderedCluster;
}
