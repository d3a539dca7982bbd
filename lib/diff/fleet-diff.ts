// What a change does on each cluster: both sides rendered as Flux (and, with charts, helm) would,
// compared object by object. Clusters whose rendered objects are the same share one computation;
// clusters with the same change are grouped.
import { createHash } from 'crypto';
import * as yaml from 'js-yaml';
import { unifiedDiff } from '../core/unified-diff';
import { renderFleet } from '../fleet/check';
import { claimNames, describeRefusal, recoverySteps, ReleaseRef, refusedChanges } from '../checks/immutable-changes';
import { helmReleaseName, HelmRenderer, readHelmRepositories } from '../fleet/helm-render';

export interface RenderedObject {
  /** `Kind/namespace/name` (`-` for cluster-scoped). */
  readonly id: string;
  /** The object as YAML, as it is compared and shown. */
  readonly text: string;
  readonly object: any;
}

/** One side of a diff: per cluster, its objects by id; and what rendering reported. */
export interface FleetSide {
  readonly clusters: ReadonlyMap<string, ReadonlyMap<string, RenderedObject>>;
  readonly problems: ReadonlyMap<string, readonly string[]>;
}

export const objectId = (o: any) => `${o?.kind}/${o?.metadata?.namespace ?? '-'}/${o?.metadata?.name}`;

/** An object's YAML, once per object: a chart's rendered objects are the same instances on every cluster. */
const dumps = new WeakMap<object, string>();
function dumped(o: any): string {
  if (o === null || typeof o !== 'object') return yaml.dump(o, { lineWidth: -1, noRefs: true });
  let text = dumps.get(o);
  if (text === undefined) {
    text = yaml.dump(o, { lineWidth: -1, noRefs: true });
    dumps.set(o, text);
  }
  return text;
}

/** Renders every cluster of the repository at `repo` (`helm`: chart output included). */
export function renderSide(repo: string, helm?: HelmRenderer): FleetSide {
  const fleet = renderFleet(repo, { allowNoApps: true });
  const repositories = helm ? readHelmRepositories(repo) : [];
  const clusters = new Map<string, Map<string, RenderedObject>>();
  const problems = new Map<string, string[]>();
  const seen = new Map<string, Map<string, RenderedObject>>(); // same rendered text, same objects
  for (const c of fleet.clusters) clusters.set(c, new Map());
  for (const r of fleet.results) {
    problems.set(r.cluster, [...(problems.get(r.cluster) ?? []), ...r.problems]);
    let objects = seen.get(r.text);
    if (!objects) {
      objects = new Map();
      const parsed = (yaml.loadAll(r.text) as any[]).filter(Boolean);
      for (const o of helm ? helm.expand(parsed, repositories) : parsed) {
        objects.set(objectId(o), { id: objectId(o), text: dumped(o), object: o });
      }
      seen.set(r.text, objects);
    }
    const into = clusters.get(r.cluster)!;
    for (const [k, v] of objects) into.set(k, v);
  }
  return { clusters, problems };
}

export interface ObjectChange {
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: RenderedObject;
  readonly after?: RenderedObject;
  /** Unified diff of the object's YAML. */
  readonly diff: string;
}

export interface ClusterDiff {
  readonly cluster: string;
  readonly changes: readonly ObjectChange[];
}

function fingerprint(objects: ReadonlyMap<string, RenderedObject> | undefined): string {
  const h = createHash('sha256');
  for (const id of [...(objects?.keys() ?? [])].sort())
    h.update(id).update('\0').update(objects!.get(id)!.text).update('\0');
  return h.digest('hex');
}

/** The object changes of one cluster. */
export function diffObjects(
  before: ReadonlyMap<string, RenderedObject> | undefined,
  after: ReadonlyMap<string, RenderedObject> | undefined,
): ObjectChange[] {
  const ids = [...new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])])].sort();
  const out: ObjectChange[] = [];
  for (const id of ids) {
    const b = before?.get(id);
    const a = after?.get(id);
    if (b && a && b.text === a.text) continue;
    out.push({
      id,
      change: !b ? 'added' : !a ? 'removed' : 'changed',
      before: b,
      after: a,
      diff: unifiedDiff(id, b?.text, a?.text),
    });
  }
  return out;
}

/** Every cluster of either side with its changes; a pair of identical renders is compared once. */
export function diffFleets(base: FleetSide, head: FleetSide): ClusterDiff[] {
  const memo = new Map<string, ObjectChange[]>();
  const clusters = [...new Set([...base.clusters.keys(), ...head.clusters.keys()])].sort();
  return clusters.map((cluster) => {
    const b = base.clusters.get(cluster);
    const a = head.clusters.get(cluster);
    const key = `${fingerprint(b)} ${fingerprint(a)}`;
    let changes = memo.get(key);
    if (!changes) {
      changes = diffObjects(b, a);
      memo.set(key, changes);
    }
    return { cluster, changes };
  });
}

export interface DiffGroup {
  readonly clusters: readonly string[];
  readonly changes: readonly ObjectChange[];
}

/** Clusters with the same change, together; clusters without changes are left out. */
export function groupDiffs(diffs: readonly ClusterDiff[]): DiffGroup[] {
  const groups = new Map<string, { clusters: string[]; changes: readonly ObjectChange[] }>();
  for (const d of diffs) {
    if (d.changes.length === 0) continue;
    const key = d.changes.map((c) => c.diff).join('\0');
    const g = groups.get(key);
    if (g) g.clusters.push(d.cluster);
    else groups.set(key, { clusters: [d.cluster], changes: d.changes });
  }
  return [...groups.values()];
}

const label = (clusters: readonly string[]) =>
  clusters.length === 1
    ? `cluster ${clusters[0]}`
    : `${clusters.length} clusters: same change (${clusters.join(', ')})`;

/** The unified-diff report: one section per group of clusters, each led by the changes that need a person (dangerousChanges). */
export function formatUnified(groups: readonly DiffGroup[]): string {
  return groups
    .map(
      (g) =>
        `=== ${label(g.clusters)}\n${formatDangers(dangerousChanges(g.changes))}${g.changes.map((c) => c.diff).join('')}`,
    )
    .join('\n');
}

export { label as groupLabel };

/** The HelmRelease among a group's changes that installs `obj` (its app.kubernetes.io/instance label is the release name). */
function releaseOf(obj: any, changes: readonly ObjectChange[]): ReleaseRef | undefined {
  const instance = obj?.metadata?.labels?.['app.kubernetes.io/instance'];
  if (!instance) return undefined;
  for (const c of changes) {
    const hr = c.after?.object ?? c.before?.object;
    if (hr?.kind === 'HelmRelease' && helmReleaseName(hr) === instance)
      return { name: hr.metadata?.name, namespace: hr.metadata?.namespace ?? 'default' };
  }
  return undefined;
}

/** A change helm-controller's upgrade cannot make: the refusal and what to do by hand. */
export interface DangerousChange {
  /** One line: object, field, before → after. */
  readonly what: string;
  /** The steps, in order. */
  readonly steps: readonly string[];
}

/**
 * The object changes the API server refuses in place (lib/checks/immutable-changes.ts), and the
 * StatefulSets that go away with their claims (their PVCs are kept and no longer mounted).
 */
export function dangerousChanges(changes: readonly ObjectChange[]): DangerousChange[] {
  const out: DangerousChange[] = [];
  for (const c of changes) {
    const [b, a] = [c.before?.object, c.after?.object];
    if (c.change === 'changed') {
      for (const r of refusedChanges(b, a))
        out.push({ what: describeRefusal(r), steps: recoverySteps(r, b, a, releaseOf(a, changes)) });
    } else if (c.change === 'removed' && b?.kind === 'StatefulSet' && claimNames(b).length) {
      // A StatefulSet's PVCs outlive it unless persistentVolumeClaimRetentionPolicy.whenDeleted is Delete
      // (kubernetes pkg/apis/apps/v1/defaults.go: Retain by default).
      if (b.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') continue;
      out.push({
        what: `StatefulSet/${b.metadata?.name} (namespace ${b.metadata?.namespace ?? 'default'}) is deleted; its PVCs ${claimNames(
          b,
        )
          .map((n) => `\`${n}\``)
          .join(', ')} stay`,
        steps: [
          'nothing mounts them any more: the data is not where the new workload looks; copy it over, or delete the PVCs once it is not needed',
        ],
      });
    }
  }
  return out;
}

/** The danger lines of one group, as text. */
export function formatDangers(dangers: readonly DangerousChange[], marker = '⚠ replaced by hand:'): string {
  return dangers.map((d) => `${marker} ${d.what}\n${d.steps.map((s, i) => `    ${i + 1}. ${s}\n`).join('')}`).join('');
}
