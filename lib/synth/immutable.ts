// Changes of a zot HelmRelease's values that Kubernetes refuses to make in place, found by comparing
// the committed tree with the one synth writes. synth does not render the chart (no chart package or
// helm is needed to synthesize); it compares the values each immutable field of the chart's workload
// is rendered from. That is exact in one direction: the chart's templates are deterministic, so equal
// inputs give equal fields and "no warning" is never wrong for the inputs listed below (the shared
// suite test/synth/immutable.shared.test.ts reads every shipped chart's templates and checks no
// immutable field reads a value missing here, and renders edits with the real helm to check each
// warning against the rendered StatefulSets). It may warn where the rendered field happens not to
// change (a value set to what the chart defaults to, pvc.storage with pvc.create false). `npm run diff`
// renders both sides with helm and judges the rendered objects (lib/checks/immutable-changes.ts).
//
// Read from the chart's templates (charts 0.1.98 to 0.1.122; templates/statefulset.yaml,
// deployment.yaml, _helpers.tpl):
//   - the workload is a StatefulSet when `.Values.persistence` is truthy, else a Deployment (default
//     false in every shipped values.yaml); its name is zot.fullname (fullnameOverride, else the release
//     name when it contains nameOverride-or-"zot", else "<release>-<nameOverride-or-zot>", cut to 63
//     and one trailing "-" trimmed), its namespace `.Values.namespace | default .Release.Namespace`;
//   - spec.selector (both kinds): zot.selectorLabels, from nameOverride and the release name;
//   - StatefulSet spec.serviceName: rendered from serviceHeadless.enabled (and the fullname);
//   - StatefulSet spec.volumeClaimTemplates: pvc.create (0.1.101 on), pvc.name, pvc.accessMode,
//     pvc.accessModes, pvc.storage, pvc.storageClassName and the release name (the claim template is
//     named `<pvc.name or release>-pvc` up to 0.1.100, `pvc.name` or `<release>-pvc` from 0.1.101).
// A change of the workload's name or namespace, or of the release (helm-controller installs the new
// one and uninstalls the old), is no update at all: the old StatefulSet is deleted, and its PVCs stay
// behind, unmounted.
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Problem } from '../core/error';
import { isZotRelease } from '../checks/zot-release';
import { recoverySteps, RefusedChange } from '../checks/immutable-changes';
import { compareChartVersions } from '../zot/chart-versions';
import { helmReleaseName } from '../fleet/helm-render';
import { Plan } from './plan';

/** How a template reads a value: its text (`value`), or only whether it is set (`truthy`, Go template truth). */
type Use = 'value' | 'truthy';

/** The values each immutable field of the workload reads, and how (the release name is compared apart). */
export const IMMUTABLE_FIELD_INPUTS: Readonly<Record<string, Readonly<Record<string, Use>>>> = {
  'StatefulSet.spec.volumeClaimTemplates': {
    'pvc.create': 'truthy',
    'pvc.name': 'value',
    'pvc.accessMode': 'value',
    'pvc.accessModes': 'value',
    'pvc.storage': 'value',
    'pvc.storageClassName': 'value',
  },
  // `and .Values.serviceHeadless .Values.serviceHeadless.enabled`: the truth of enabled alone
  'StatefulSet.spec.serviceName': { 'serviceHeadless.enabled': 'truthy' },
  'StatefulSet.spec.selector': { nameOverride: 'value' },
  'Deployment.spec.selector': { nameOverride: 'value' },
};
/** The values the workload's name and namespace are read from. */
export const IDENTITY_INPUTS: readonly string[] = ['fullnameOverride', 'nameOverride', 'namespace'];

const get = (values: unknown, dotted: string): unknown =>
  dotted
    .split('.')
    .reduce<unknown>(
      (o, k) => (o === null || typeof o !== 'object' ? undefined : (o as Record<string, unknown>)[k]),
      values,
    );

/** Go template truth (text/template `truth`): false, 0, nil, "" and empty lists and maps are false. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const text = (v: unknown) => (v === undefined || v === null ? '(unset)' : JSON.stringify(v));

/** zot.fullname of the chart's _helpers.tpl. */
export function chartFullname(values: unknown, releaseName: string): string {
  const cut = (s: string) => {
    const t = s.slice(0, 63);
    return t.endsWith('-') ? t.slice(0, -1) : t;
  };
  const [fullnameOverride, nameOverride] = [get(values, 'fullnameOverride'), get(values, 'nameOverride')];
  if (truthy(fullnameOverride)) return cut(String(fullnameOverride));
  const name = truthy(nameOverride) ? String(nameOverride) : 'zot';
  return cut(releaseName.includes(name) ? releaseName : `${releaseName}-${name}`);
}

/** The claim template's name (templates/statefulset.yaml: 0.1.100 `{{or .Values.pvc.name .Release.Name}}-pvc`, 0.1.101 `default (printf "%s-pvc" .Release.Name) .Values.pvc.name`). */
export function claimTemplateName(chartVersion: string, values: unknown, releaseName: string): string {
  const pvcName = get(values, 'pvc.name');
  const named = truthy(pvcName) ? String(pvcName) : undefined;
  let old = false;
  try {
    old = compareChartVersions(chartVersion, '0.1.101') < 0;
  } catch {
    /* not X.Y.Z: the current template */
  }
  return old ? `${named ?? releaseName}-pvc` : (named ?? `${releaseName}-pvc`);
}

interface Release {
  readonly file: string;
  readonly name: string;
  readonly releaseName: string;
  readonly chart: string;
  readonly values: unknown;
  /** Where the workload lives: values.namespace, else the release's namespace (targetNamespace, the HelmRelease's, or its kustomization's). */
  readonly namespace: string;
  readonly hr: { readonly name: string; readonly namespace: string };
}

function kustomizationNamespace(plan: Plan, file: string, side: 'before' | 'after'): string | undefined {
  const k = plan.changes.find((c) => c.path === path.posix.join(path.posix.dirname(file), 'kustomization.yaml'));
  const t = side === 'before' ? k?.before : k?.after;
  try {
    const ns = t === undefined ? undefined : get(yaml.load(t), 'namespace');
    return typeof ns === 'string' ? ns : undefined;
  } catch {
    return undefined;
  }
}

function releases(plan: Plan, file: string, side: 'before' | 'after'): Map<string, Release> {
  const found = new Map<string, Release>();
  const c = plan.changes.find((x) => x.path === file);
  const t = side === 'before' ? c?.before : c?.after;
  if (t === undefined) return found;
  let docs: any[];
  try {
    docs = yaml.loadAll(t) as any[];
  } catch {
    return found; /* a hand-broken file: the plan overwrites it */
  }
  const kns = kustomizationNamespace(plan, file, side);
  for (const o of docs) {
    if (!isZotRelease(o)) continue;
    const hrNamespace = o.metadata?.namespace ?? kns ?? 'default';
    const releaseNamespace = o.spec?.targetNamespace ?? hrNamespace;
    const values = o.spec?.values ?? {};
    found.set(o.metadata?.name, {
      file,
      name: o.metadata?.name,
      releaseName: helmReleaseName({ ...o, metadata: { ...o.metadata, namespace: hrNamespace } }),
      chart: String(o.spec?.chart?.spec?.version),
      values,
      namespace: truthy(get(values, 'namespace')) ? String(get(values, 'namespace')) : releaseNamespace,
      hr: { name: o.metadata?.name, namespace: hrNamespace },
    });
  }
  return found;
}

interface StatefulSetStandIn {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly replicas: number;
    readonly volumeClaimTemplates: ReadonlyArray<{
      readonly metadata: { readonly name: string };
      readonly spec: { readonly resources: { readonly requests: { readonly storage: unknown } } };
    }>;
  };
}

/** A stand-in of the StatefulSet with what the recovery steps read: name, replicas, claim template name and size. */
function statefulSetOf(r: Release): StatefulSetStandIn {
  const replicaCount = get(r.values, 'replicaCount');
  const replicas = typeof replicaCount === 'number' ? replicaCount : 1;
  return {
    metadata: { name: chartFullname(r.values, r.releaseName), namespace: r.namespace },
    spec: {
      replicas,
      volumeClaimTemplates: claimTemplateRendered(r.chart, r.values)
        ? [
            {
              metadata: { name: claimTemplateName(r.chart, r.values, r.releaseName) },
              spec: { resources: { requests: { storage: get(r.values, 'pvc.storage') } } },
            },
          ]
        : [],
    },
  };
}
/**
 * Whether the StatefulSet has a claim template: up to 0.1.100 always; from 0.1.101 when pvc.create
 * is true, which values.yaml defaults to (`{{- if .Values.pvc.create }}`; a null drops the default).
 */
export function claimTemplateRendered(chart: string, values: unknown): boolean {
  let old = false;
  try {
    old = compareChartVersions(chart, '0.1.101') < 0;
  } catch {
    /* not X.Y.Z: the current template */
  }
  const create = get(values, 'pvc.create');
  return old || (create === undefined ? true : truthy(create));
}

/** The workload's name (the chart's fullname) on each side. */
const fullnames = (b: Release, a: Release) => [
  chartFullname(b.values, b.releaseName),
  chartFullname(a.values, a.releaseName),
];

/** Whether helm replaces the workload: its name, namespace or release changes. */
function replaced(b: Release, a: Release): boolean {
  const [nameB, nameA] = fullnames(b, a);
  return nameB !== nameA || b.namespace !== a.namespace || b.releaseName !== a.releaseName;
}

/** A StatefulSet that goes away (persistence off, or replaced): its data stays in PVCs nothing mounts. */
function lostStatefulSet(where: string, b: Release, a: Release): Problem {
  const [nameB, nameA] = fullnames(b, a);
  const claims = statefulSetOf(b).spec.volumeClaimTemplates.map((t) => `${t.metadata.name}-${nameB}-<ordinal>`);
  const why = !truthy(get(a.values, 'persistence'))
    ? 'persistence is turned off: helm deletes the StatefulSet and runs zot as a Deployment with no volume, so the registry starts empty'
    : b.releaseName !== a.releaseName
      ? `the release name changes (${b.releaseName} → ${a.releaseName}): helm-controller installs a new release and uninstalls the old one, so StatefulSet ${b.namespace}/${nameB} is deleted and ${a.namespace}/${nameA} starts with new, empty PVCs`
      : `the StatefulSet's name or namespace changes (${b.namespace}/${nameB} → ${a.namespace}/${nameA}): helm deletes the old one and creates the new one with new, empty PVCs`;
  return {
    field: where,
    reason: `${why}; the old PVCs (${claims.join(', ') || 'none'}) are kept by Kubernetes but mounted by nothing: copy the data over, or keep the old name`,
  };
}

/** The inputs of an immutable `field` that change between the releases, as "<input> <before> → <after>". */
function changedInputs(field: string, inputs: Record<string, string>, b: Release, a: Release): string[] {
  const changed: string[] = [];
  for (const [p, use] of Object.entries(inputs)) {
    const [vb, va] = [get(b.values, p), get(a.values, p)];
    if (use === 'truthy' ? truthy(vb) !== truthy(va) : JSON.stringify(vb) !== JSON.stringify(va))
      changed.push(`${p} ${text(vb)} → ${text(va)}`);
  }
  if (field !== 'StatefulSet.spec.volumeClaimTemplates') return changed;
  const claimB = claimTemplateName(b.chart, b.values, b.releaseName);
  const claimA = claimTemplateName(a.chart, a.values, a.releaseName);
  if (claimB !== claimA) changed.push(`claim template name ${claimB} → ${claimA}`);
  return changed;
}

/** Each immutable field of the workload (`kind`) whose inputs change, with the steps to recreate it by hand. */
function immutableFieldWarnings(where: string, kind: RefusedChange['kind'], b: Release, a: Release): Problem[] {
  const out: Problem[] = [];
  const [, nameA] = fullnames(b, a);
  for (const [field, inputs] of Object.entries(IMMUTABLE_FIELD_INPUTS)) {
    if (!field.startsWith(`${kind}.`)) continue;
    const changed = changedInputs(field, inputs, b, a);
    if (!changed.length) continue;
    const short = field.slice(field.indexOf('.') + 1);
    const refused: RefusedChange = {
      object: `${kind}/${a.namespace}/${nameA}`,
      kind,
      namespace: a.namespace,
      name: nameA,
      field: short,
      before: undefined,
      after: undefined,
    };
    const steps = recoverySteps(refused, statefulSetOf(b), statefulSetOf(a), a.hr);
    out.push({
      field: where,
      reason:
        `${changed.join(', ')} changes the ${kind}'s ${short}, which the API server refuses to update in place: helm-controller's upgrade fails on every cluster until it is recreated by hand, per cluster:\n` +
        steps.map((s, i) => `    ${i + 1}. ${s}`).join('\n'),
    });
  }
  return out;
}

/** The warnings for one zot HelmRelease a plan rewrites (`b` before, `a` after). */
function releaseWarnings(where: string, b: Release, a: Release): Problem[] {
  const [stsB, stsA] = [truthy(get(b.values, 'persistence')), truthy(get(a.values, 'persistence'))];
  if (stsB && (!stsA || replaced(b, a))) return [lostStatefulSet(where, b, a)];
  if (replaced(b, a) || stsB !== stsA) return []; // a Deployment replaced, or a StatefulSet created: no data is lost
  return immutableFieldWarnings(where, stsA ? 'StatefulSet' : 'Deployment', b, a);
}

/**
 * The warnings for the zot HelmReleases a plan rewrites: each immutable field of the chart's workload
 * whose inputs change (with the steps to make the change by hand), and a StatefulSet that goes away
 * with its data.
 */
export function immutableValueWarnings(plan: Plan): Problem[] {
  const out: Problem[] = [];
  for (const c of plan.changes) {
    if (c.kind !== 'write' || c.before === undefined || !c.path.endsWith('.yaml')) continue;
    const before = releases(plan, c.path, 'before');
    if (!before.size) continue;
    for (const [name, a] of releases(plan, c.path, 'after')) {
      const b = before.get(name);
      if (b) out.push(...releaseWarnings(`${c.path} HelmRelease/${name}`, b, a));
    }
  }
  return out;
}
