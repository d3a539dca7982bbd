// Changes the API server refuses to make in place, found by comparing an object as it is applied now
// with the object that replaces it, and what a person does about each. helm-controller's upgrade
// patches the live object (a three-way merge of the old manifest, the new one and the live object),
// so an immutable field that differs between the two manifests makes the whole upgrade fail, on
// every cluster the change reaches, until the object is deleted by hand.
//
// The rules (kubernetes pkg/apis/apps/validation/validation.go@2dd1588c ValidateStatefulSetUpdate;
// pkg/registry/apps/deployment/strategy.go ValidateUpdate; pkg/apis/core/validation/validation.go
// ValidateServiceUpdate):
//   - StatefulSet: every spec field but replicas, ordinals, template, updateStrategy,
//     persistentVolumeClaimRetentionPolicy and minReadySeconds is immutable (compared with
//     apiequality.Semantic.DeepEqual: an empty list or map equals an absent one);
//   - Deployment (apps/v1): spec.selector is immutable;
//   - Service: spec.clusterIP, once allocated, unless the old or the new type is ExternalName (an
//     omitted clusterIP keeps the allocated one, so only two different set values are refused).
// The API server fills in defaults before it compares; the defaults of the fields compared here are
// applied to both sides (pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet: podManagementPolicy
// OrderedReady, revisionHistoryLimit 10; pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolumeClaimSpec:
// volumeMode Filesystem).
import { isKubeObject, isRecord, UnknownRecord, valueAt } from '../k8s/objects';

/** One refused in-place change. */
export interface RefusedChange {
  /** `Kind/namespace/name`. */
  readonly object: string;
  readonly kind: 'StatefulSet' | 'Deployment' | 'Service';
  readonly namespace: string;
  readonly name: string;
  /** The immutable field, e.g. `spec.volumeClaimTemplates`. */
  readonly field: string;
  /** The field before and after, as compared. */
  readonly before: unknown;
  readonly after: unknown;
}

/** The StatefulSet spec fields the API server lets an update change (ValidateStatefulSetUpdate). */
export const MUTABLE_STATEFULSET_FIELDS: readonly string[] = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

/** apiequality.Semantic-like normal form: null, empty lists and empty maps dropped, keys sorted. */
function normal(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(normal);
    return items.length ? items : undefined;
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normal(v[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

const same = (a: unknown, b: unknown) => JSON.stringify(normal(a)) === JSON.stringify(normal(b));

/** A parsed value's fields: a mapping's own, none for anything else. */
const fields = (v: unknown): UnknownRecord => (isRecord(v) ? v : {});
/** A parsed list's items, none for anything else. */
const items = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

function statefulSetSpec(spec: unknown): Record<string, unknown> {
  const s: Record<string, unknown> = { podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10, ...fields(spec) };
  if (Array.isArray(s.volumeClaimTemplates)) {
    s.volumeClaimTemplates = s.volumeClaimTemplates.map((t: unknown) => ({
      ...fields(t),
      spec: { volumeMode: 'Filesystem', ...fields(valueAt(t, 'spec')) },
    }));
  }
  return s;
}

/** What the API server refuses when `after` replaces `before` in place (same kind, namespace and name); [] when nothing. */
export function refusedChanges(before: unknown, after: unknown): RefusedChange[] {
  if (!isKubeObject(before) || !isKubeObject(after) || before.kind !== after.kind) return [];
  const kind = after.kind;
  // only these three kinds have a field the API server refuses to change
  if (kind !== 'StatefulSet' && kind !== 'Deployment' && kind !== 'Service') return [];
  const namespace = after.metadata?.namespace ?? before.metadata?.namespace ?? 'default';
  const name = String(after.metadata?.name);
  const base: Omit<RefusedChange, 'field' | 'before' | 'after'> = {
    object: `${kind}/${namespace}/${name}`,
    kind,
    namespace,
    name,
  };
  const out: RefusedChange[] = [];
  if (kind === 'StatefulSet') {
    const [b, a] = [statefulSetSpec(before.spec), statefulSetSpec(after.spec)];
    for (const f of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
      if (MUTABLE_STATEFULSET_FIELDS.includes(f) || same(b[f], a[f])) continue;
      out.push({ ...base, field: `spec.${f}`, before: b[f], after: a[f] });
    }
  } else if (kind === 'Deployment') {
    const [b, a] = [valueAt(before, 'spec', 'selector'), valueAt(after, 'spec', 'selector')];
    if (!same(b, a)) out.push({ ...base, field: 'spec.selector', before: b, after: a });
  } else if (kind === 'Service') {
    const [b, a] = [fields(before.spec), fields(after.spec)];
    const external = b.type === 'ExternalName' || a.type === 'ExternalName';
    if (!external && b.clusterIP && a.clusterIP && b.clusterIP !== a.clusterIP)
      out.push({ ...base, field: 'spec.clusterIP', before: b.clusterIP, after: a.clusterIP });
  }
  return out;
}

/** The names of the PVCs a StatefulSet's claim templates made: `<template>-<statefulset>-<ordinal>` (kubernetes pkg/controller/statefulset/stateful_set_utils.go getPersistentVolumeClaimName). */
export function claimNames(sts: unknown): string[] {
  const [replicasAt, startAt] = [valueAt(sts, 'spec', 'replicas'), valueAt(sts, 'spec', 'ordinals', 'start')];
  const replicas = typeof replicasAt === 'number' ? replicasAt : 1;
  const start = typeof startAt === 'number' ? startAt : 0;
  const out: string[] = [];
  for (const t of items(valueAt(sts, 'spec', 'volumeClaimTemplates'))) {
    for (let i = start; i < start + Math.max(replicas, 1); i++)
      out.push(`${valueAt(t, 'metadata', 'name')}-${valueAt(sts, 'metadata', 'name')}-${i}`);
  }
  return out;
}

/** The storage a StatefulSet's claim templates request, by template name. */
function requestedStorage(sts: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of items(valueAt(sts, 'spec', 'volumeClaimTemplates'))) {
    const s = valueAt(t, 'spec', 'resources', 'requests', 'storage');
    const name = valueAt(t, 'metadata', 'name');
    if (name && s !== undefined) out.set(String(name), String(s));
  }
  return out;
}

/** Where helm-controller is asked to try again: the HelmRelease, when known. */
export interface ReleaseRef {
  readonly name: string;
  readonly namespace: string;
}

/**
 * What a person does, step by step, so the upgrade goes through (one line per step). `before`
 * and `after` are the two objects; `release` the HelmRelease that applies them, when known.
 */
export function recoverySteps(change: RefusedChange, before: unknown, after: unknown, release?: ReleaseRef): string[] {
  const ns = change.namespace;
  const reconcile = release
    ? `\`flux reconcile helmrelease -n ${release.namespace} ${release.name} --force\``
    : '`flux reconcile helmrelease -n <namespace> <name> --force` for the HelmRelease that installs it';
  // helm-controller v1.6.3 docs/spec/v2/helmreleases.md "Forcing a release": --force makes a one-off upgrade after the failed one.
  const steps: string[] = [];
  if (change.kind === 'StatefulSet') {
    const orphan = change.field !== 'spec.selector';
    steps.push(
      orphan
        ? `\`kubectl -n ${ns} delete statefulset ${change.name} --cascade=orphan\` (its Pods and PVCs stay; the new StatefulSet adopts the Pods)`
        : `\`kubectl -n ${ns} delete statefulset ${change.name}\` (the selector changes, so the new StatefulSet cannot adopt the old Pods: they go, the PVCs stay)`,
    );
    steps.push(`then ${reconcile}: helm-controller creates the StatefulSet with the new spec`);
    if (change.field === 'spec.volumeClaimTemplates') {
      const [b, a] = [requestedStorage(before), requestedStorage(after)];
      const grown = [...a].filter(([t, s]) => b.has(t) && b.get(t) !== s);
      if (grown.length) {
        const claims = claimNames(after).filter((c) => grown.some(([t]) => c.startsWith(`${t}-${change.name}-`)));
        // kubernetes: the StatefulSet controller creates a claim only when it is missing, never resizes one
        // (pkg/controller/statefulset/stateful_pod_control.go createMissingPersistentVolumeClaims); a claim
        // grows only where its StorageClass allows expansion (plugin/pkg/admission/storage/persistentvolume/resize).
        steps.push(
          `the existing PVCs keep their size: grow each by hand (${claims.map((c) => `\`${c}\``).join(', ')}) with ` +
            `\`kubectl -n ${ns} patch pvc <name> -p '{"spec":{"resources":{"requests":{"storage":"${grown[0][1]}"}}}}'\`, ` +
            'which the API server allows only when their StorageClass has allowVolumeExpansion: true',
        );
      } else {
        steps.push(
          'existing PVCs are not changed by a new claim template: a new template name means new, empty PVCs; the data stays on the old ones',
        );
      }
    }
  } else if (change.kind === 'Deployment') {
    steps.push(`\`kubectl -n ${ns} delete deployment ${change.name}\` (its Pods go), then ${reconcile}`);
  } else {
    steps.push(
      `\`kubectl -n ${ns} delete service ${change.name}\`, then ${reconcile} (clients of the old address lose it)`,
    );
  }
  return steps;
}

/** One line naming the object and the field. */
export function describeRefusal(change: RefusedChange): string {
  const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(normal(v)));
  return `${change.kind}/${change.name} (namespace ${change.namespace}) ${change.field}: ${show(change.before)} → ${show(change.after)} is refused by the API server (immutable)`;
}
