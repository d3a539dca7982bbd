// The pull-request summary of a fleet diff: per group of clusters with the same change, the objects
// added, changed and removed, who gained or lost which action where, which images change, then the
// diffs. `maxBytes` keeps it under a comment's size and says what was cut.
import { valueAt } from '../core/value-at';
import { effectiveAccessChanges, releaseConfig } from './access-changes';
import { ClusterDiff, dangerousChanges, DiffGroup, groupLabel, ObjectChange } from './fleet-diff';

/**
 * Who gained or lost which action on which repositories, for the zot releases a change touches:
 * effective access per user and for anonymous clients (lib/diff/access-changes.ts).
 */
export function accessChanges(changes: readonly ObjectChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (![c.before?.object, c.after?.object].some((o) => releaseConfig(o))) continue;
    try {
      out.push(...effectiveAccessChanges(c.before?.object, c.after?.object));
    } catch (e) {
      out.push(`${c.id}: access not compared: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

const listAt = (doc: unknown, ...keys: string[]): unknown[] => {
  const v = valueAt(doc, ...keys);
  return Array.isArray(v) ? v : [];
};

function images(obj: unknown): Map<string, string> {
  const spec = valueAt(obj, 'spec', 'template', 'spec');
  const out = new Map<string, string>();
  for (const c of [...listAt(spec, 'initContainers'), ...listAt(spec, 'containers')]) {
    const image = valueAt(c, 'image');
    if (image)
      out.set(
        `${String(valueAt(obj, 'kind'))}/${String(valueAt(obj, 'metadata', 'name'))} ${String(valueAt(c, 'name'))}`,
        String(image),
      );
  }
  return out;
}

/** Container images that change, appear or go. */
export function imageChanges(changes: readonly ObjectChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const b = images(c.before?.object);
    const a = images(c.after?.object);
    for (const k of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      if (b.get(k) === a.get(k)) continue;
      out.push(`${k}: ${b.has(k) ? `\`${b.get(k)}\`` : '(none)'} → ${a.has(k) ? `\`${a.get(k)}\`` : '(none)'}`);
    }
  }
  return out;
}

/** A headline line when some group needs a person on the cluster (kept whatever --max-bytes cuts). */
function dangerHeadline(groups: readonly DiffGroup[]): string {
  const affected = groups.filter((g) => dangerousChanges(g.changes).length);
  if (!affected.length) return '';
  const clusters = affected.reduce((n, g) => n + g.clusters.length, 0);
  return `\n**⚠ On ${clusters} cluster${clusters > 1 ? 's' : ''}, a change the API server refuses in place: the upgrade fails there until someone makes it by hand (steps below).**\n`;
}

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/** The first lines: how many clusters change, in how many distinct changes, and the danger headline. */
function headOf(diffs: readonly ClusterDiff[], groups: readonly DiffGroup[]): string {
  const changedClusters = diffs.filter((d) => d.changes.length).length;
  return (
    `## zot-flux: what this change does on each cluster\n\n` +
    (changedClusters === 0
      ? `No cluster changes (${diffs.length} clusters rendered).\n`
      : `**${changedClusters} of ${diffs.length} clusters change**, in ${groups.length} distinct change${groups.length > 1 ? 's' : ''}.\n`) +
    dangerHeadline(groups)
  );
}

/** One group's summary: its objects' changes, then what needs a person, access and images. */
function summaryOf(g: DiffGroup): string {
  const lines = [`\n### ${groupLabel(g.clusters)}\n`, '| object | change |', '|---|---|'];
  for (const c of g.changes) lines.push(`| \`${c.id}\` | ${c.change} |`);
  const dangers = dangerousChanges(g.changes);
  if (dangers.length) {
    lines.push(
      '',
      "**⚠ Changes the API server refuses in place: helm-controller's upgrade fails until they are made by hand**",
    );
    for (const d of dangers)
      lines.push(`- ⚠ replaced by hand: ${d.what}`, ...d.steps.map((s, i) => `  ${i + 1}. ${s}`));
  }
  const access = accessChanges(g.changes);
  if (access.length) lines.push('', '**Access**', ...access.map((a) => `- ${a}`));
  const imgs = imageChanges(g.changes);
  if (imgs.length) lines.push('', '**Images**', ...imgs.map((i) => `- ${i}`));
  return lines.join('\n') + '\n';
}

const detailsOf = (g: DiffGroup) =>
  `\n<details><summary>diff: ${groupLabel(g.clusters)}</summary>\n\n\`\`\`diff\n${g.changes.map((c) => c.diff).join('')}\`\`\`\n</details>\n`;

const groupsOf = (n: number) => `${n} group${n > 1 ? 's' : ''}`;

/** `out` followed by as many of `parts` as fit in `maxBytes` with `reserve` left over; how many fit. */
function fill(out: string, parts: readonly string[], maxBytes: number, reserve: number): [string, number] {
  let shown = 0;
  for (const part of parts) {
    if (byteLength(out + part) + reserve > maxBytes) break;
    out += part;
    shown++;
  }
  return [out, shown];
}

/** The head, then the summaries and (once every summary fits) the diffs that fit in `maxBytes`, saying what was cut. */
function cutToFit(head: string, summaries: readonly string[], details: readonly string[], maxBytes: number): string {
  const cutNote = (what: string) =>
    `\n_Cut to fit ${maxBytes} bytes: ${what}. Run \`npm run diff\` locally for the rest._\n`;
  const reserve = byteLength(cutNote('the summaries of 999999 groups and the diffs of 999999 groups'));
  if (byteLength(head) + reserve > maxBytes)
    return (head + cutNote('everything after the headline')).slice(0, Math.max(0, maxBytes));
  const [withSummaries, shownSummaries] = fill(head, summaries, maxBytes, reserve);
  const [out, shownDetails] =
    shownSummaries === summaries.length ? fill(withSummaries, details, maxBytes, reserve) : [withSummaries, 0];
  const cut: string[] = [];
  if (shownSummaries < summaries.length) cut.push(`the summaries of ${groupsOf(summaries.length - shownSummaries)}`);
  if (shownDetails < details.length) cut.push(`the diffs of ${groupsOf(details.length - shownDetails)}`);
  return cut.length ? out + cutNote(cut.join(' and ')) : out;
}

/** The summary as Markdown; never longer than `maxBytes` (when given). */
export function formatMarkdown(diffs: readonly ClusterDiff[], groups: readonly DiffGroup[], maxBytes?: number): string {
  const head = headOf(diffs, groups);
  const summaries = groups.map(summaryOf);
  const details = groups.map(detailsOf);
  if (maxBytes === undefined) return head + summaries.join('') + details.join('');
  return cutToFit(head, summaries, details, maxBytes);
}
