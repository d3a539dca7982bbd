// What Flux applies on one cluster: `kustomize build` of an app's folder (once for the whole fleet),
// Flux's targetNamespace and commonMetadata, then Flux's substitution with that cluster's variables.
import * as path from 'path';
import * as yaml from 'js-yaml';
import { findVariables, substitute } from '../flux/envsubst';
import { ClusterVariables, GeneratedApp } from './repository';
import { htpasswdLineProblem } from '../zot/htpasswd';
import { kustomizeBuild } from '../tools/kustomize';
import { validateAgainstCrd } from '../k8s/schema';
import { hostnameErrors, sampleValue } from '../checks/hostnames';
import { toYaml } from '../core/yaml';
import { clusterVarsDir, COMMON_VARS_DIR } from '../layout/layout';
import { ZOT_CHART_NAME } from '../zot/chart';

const SUBSTITUTE_OPT_OUT = 'kustomize.toolkit.fluxcd.io/substitute';
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass']);

/** An app's manifests as Flux has them before substitution: built once, shared by every cluster. */
export interface PreparedApp {
  readonly app: GeneratedApp;
  /** One YAML text per object, as Flux re-serialises it before substituting. */
  readonly objectTexts: readonly string[];
  readonly objects: readonly any[];
  /** Every variable the manifests use, in order of first use. */
  readonly used: readonly string[];
  /** Per object: substitution disabled by label or annotation. */
  readonly optedOut: readonly boolean[];
}

export function prepareApp(repo: string, app: GeneratedApp): PreparedApp {
  const built = (yaml.loadAll(kustomizeBuild(path.join(repo, app.appDir))) as any[]).filter(Boolean);
  const objects = built.map((o) => {
    const metadata = { ...o.metadata };
    if (app.targetNamespace && !CLUSTER_SCOPED.has(o.kind)) metadata.namespace = app.targetNamespace;
    if (Object.keys(app.commonLabels).length) metadata.labels = { ...metadata.labels, ...app.commonLabels };
    if (Object.keys(app.commonAnnotations).length) metadata.annotations = { ...metadata.annotations, ...app.commonAnnotations };
    return { ...o, metadata };
  });
  const optedOut = objects.map((o) =>
    [o.metadata.labels?.[SUBSTITUTE_OPT_OUT], o.metadata.annotations?.[SUBSTITUTE_OPT_OUT]].some((v) => String(v).toLowerCase() === 'disabled'));
  const objectTexts = objects.map((o) => toYaml([o]));
  const used = [...new Set(objectTexts.flatMap((t, i) => (optedOut[i] ? [] : findVariables(t))))];
  return { app, objectTexts, objects, used, optedOut };
}

export interface RenderedCluster {
  readonly cluster: string;
  readonly app: string;
  /** What Flux applies, as YAML; secret values replaced by `<secret:NAME>`. */
  readonly text: string;
  readonly hostnames: readonly string[];
  readonly used: readonly string[];
  /** Used, but no source defines them (Flux makes them empty strings). */
  readonly missing: readonly string[];
  /** Defined, but empty. */
  readonly empty: readonly string[];
  /** Everything that would fail on this cluster, each naming what and why. */
  readonly problems: readonly string[];
  /** `provided` values that were not used: the variable is not used, or its value is not encrypted here. */
  readonly ignoredProvided: readonly string[];
}

export const secretPlaceholder = (name: string) => `<secret:${name}>`;

/**
 * Renders one app for one cluster. `provided` holds real values for encrypted variables (from
 * `--vars`): they make the checks real but are never printed.
 */
export function renderCluster(prepared: PreparedApp, vars: ClusterVariables, provided: Readonly<Record<string, string>> = {}): RenderedCluster {
  const printed: Record<string, string> = {};
  const checked: Record<string, string> = {};
  const known: Record<string, string> = {};
  const missing: string[] = [];
  const empty: string[] = [];
  const problems: string[] = vars.missingSources.map(
    (s) => `${s} is in substituteFrom (${prepared.app.substituteFromOrigin}) but defined nowhere under ${COMMON_VARS_DIR} or ${clusterVarsDir(vars.cluster)}; Flux fails the Kustomization`,
  );
  problems.push(...vars.duplicateSources.map((d) => `${d}; one object, one file`));
  const secretValues: string[] = [];
  for (const name of prepared.used) {
    const v = vars.variables.get(name);
    if (!v) {
      missing.push(name);
      continue;
    }
    const isSecret = v.source.startsWith('Secret/');
    const real = v.value ?? provided[name];
    if (real === '') empty.push(name);
    if (real !== undefined) { checked[name] = real; known[name] = real; }
    else checked[name] = sampleValue(name);
    printed[name] = isSecret || real === undefined ? secretPlaceholder(name) : real;
    if (isSecret && real) secretValues.push(real.replace(/\n/g, ''));
  }
  for (const name of missing) {
    problems.push(`variable ${name} is used by ${prepared.app.dir} but defined by none of its sources (${prepared.app.substituteFrom.map((s) => `${s.kind}/${s.name}`).join(', ')}): Flux substitutes an empty string`);
  }
  for (const name of empty) problems.push(`variable ${name} is defined but empty (from ${vars.variables.get(name)!.source})`);

  // Flux substitutes only when its sources resolved at least one variable; otherwise every
  // `${...}` (and `$$`) reaches the API server as written.
  const substitutes = vars.variables.size > 0;
  if (!substitutes && prepared.used.length) {
    problems.push(`no source defines any variable, so Flux does not substitute at all: ${prepared.used.map((v) => '${' + v + '}').join(', ')} stay literal`);
  }
  const apply = (values: Record<string, string>) =>
    prepared.objectTexts.map((t, i) => (prepared.optedOut[i] || !substitutes ? t : substitute(t, values)));
  const printedTexts = apply(printed);
  const checkedObjects = apply(checked).map((t) => yaml.load(t) as any);

  const hostnames: string[] = [];
  const hostnameProblems: string[] = [];
  prepared.objects.forEach((obj) => {
    if (obj.kind !== 'HTTPRoute') return;
    // Unknown (encrypted) values count as a sample; missing ones as empty, as Flux makes them.
    hostnameProblems.push(...hostnameErrors(obj, checked));
    for (const h of obj.spec?.hostnames ?? []) hostnames.push(substitutes ? substitute(h, printed) : h);
  });
  problems.push(...hostnameProblems);
  for (const obj of checkedObjects) {
    for (const e of validateAgainstCrd(obj) ?? []) {
      // The hostname pattern failure is already said, with its cause.
      if (hostnameProblems.length && /^HTTPRoute\/\S+ spec\.hostnames\[\d+\]: /.test(e)) continue;
      problems.push(e);
    }
  }
  // htpasswd lines, where their real values are known (a SOPS value never is, unless --vars gives it).
  prepared.objects.forEach((obj) => {
    if (obj.kind !== 'HelmRelease' || obj.spec?.chart?.spec?.chart !== ZOT_CHART_NAME) return;
    const template: string = obj.spec?.values?.secretFiles?.htpasswd ?? '';
    template.split('\n').forEach((line) => {
      const names = findVariables(line);
      if (names.length !== 1 || known[names[0]] === undefined) return;
      const problem = htpasswdLineProblem(substitute(line, known));
      if (problem) problems.push(`variable ${names[0]} (htpasswd line): ${problem}`);
    });
  });

  let text = `# zot-flux render: what Flux applies for ${prepared.app.name} on ${vars.cluster}; secret values are shown as <secret:NAME>\n` +
    printedTexts.join('');
  for (const s of secretValues) if (s.length >= 4) text = text.split(s).join('<secret>');
  const ignoredProvided = Object.keys(provided).filter((k) => !prepared.used.includes(k) || vars.variables.get(k)?.value !== undefined);
  return { cluster: vars.cluster, app: prepared.app.name, text, hostnames, used: prepared.used, missing, empty, problems, ignoredProvided };
}
