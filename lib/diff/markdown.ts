// The pull-request summary of a fleet diff: per group of clusters with the same change, the objects
// added, changed and removed, who gained or lost which action where, which images change, then the
// diffs. `maxBytes` keeps it under a comment's size and says what was cut.
import { effectiveAccessTable } from '../zot/access';
import { zotVersionOfChart } from '../zot/chart-versions';
import { ClusterDiff, DiffGroup, groupLabel, ObjectChange } from './fleet-diff';

const ACTIONS = ['read', 'create', 'update', 'delete'] as const;

function configOf(obj: any): { config: any; zot?: string } | undefined {
  const text = obj?.kind === 'HelmRelease' ? obj.spec?.values?.configFiles?.['config.json'] : undefined;
  if (typeof text !== 'string') return undefined;
  try {
    let zot: string | undefined;
    try { zot = zotVersionOfChart(String(obj.spec?.chart?.spec?.version)); } catch { zot = undefined; }
    return { config: JSON.parse(text), zot };
  } catch {
    return undefined;
  }
}

function accessCells(obj: any): Map<string, string> {
  const cells = new Map<string, string>();
  const c = configOf(obj);
  if (!c) return cells;
  try {
    const table = effectiveAccessTable(c.config?.http?.accessControl, c.zot, { authentication: c.config?.http?.auth !== undefined });
    for (const r of table.rows) for (const a of ACTIONS) cells.set(`${r.subject}\0${a}\0${r.pattern}`, r[a]);
  } catch (e: any) {
    cells.set(`(unreadable)\0read\0${e.message}`, 'allowed');
  }
  return cells;
}

/** Who gained or lost which action on which repositories, for the zot releases a change touches. */
export function accessChanges(changes: readonly ObjectChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (![c.before?.object, c.after?.object].some((o) => configOf(o))) continue;
    const before = accessCells(c.before?.object);
    const after = accessCells(c.after?.object);
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(key) ?? 'denied';
      const a = after.get(key) ?? 'denied';
      if (a === b) continue;
      const [subject, action, pattern] = key.split('\0');
      const verb = a === 'allowed' ? 'gains' : b === 'allowed' ? 'loses' : 'changes';
      out.push(`${subject} ${verb} ${action} on \`${pattern}\` (${b} → ${a})${subject === 'anonymous' && action !== 'read' && a !== 'denied' ? ' **ANONYMOUS WRITE**' : ''}`);
    }
  }
  return out;
}

function images(obj: any): Map<string, string> {
  const spec = obj?.spec?.template?.spec;
  const out = new Map<string, string>();
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) if (c?.image) out.set(`${obj.kind}/${obj.metadata?.name} ${c.name}`, c.image);
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

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/** The summary as Markdown; never longer than `maxBytes` (when given). */
export function formatMarkdown(diffs: readonly ClusterDiff[], groups: readonly DiffGroup[], maxBytes?: number): string {
  const changedClusters = diffs.filter((d) => d.changes.length).length;
  const head = `## zot-flux: what this change does on each cluster\n\n` +
    (changedClusters === 0
      ? `No cluster changes (${diffs.length} clusters rendered).\n`
      : `**${changedClusters} of ${diffs.length} clusters change**, in ${groups.length} distinct change${groups.length > 1 ? 's' : ''}.\n`);
  const summaries = groups.map((g) => {
    const lines = [`\n### ${groupLabel(g.clusters)}\n`, '| object | change |', '|---|---|'];
    for (const c of g.changes) lines.push(`| \`${c.id}\` | ${c.change} |`);
    const access = accessChanges(g.changes);
    if (access.length) lines.push('', '**Access**', ...access.map((a) => `- ${a}`));
    const imgs = imageChanges(g.changes);
    if (imgs.length) lines.push('', '**Images**', ...imgs.map((i) => `- ${i}`));
    return lines.join('\n') + '\n';
  });
  const details = groups.map((g) => `\n<details><summary>diff: ${groupLabel(g.clusters)}</summary>\n\n\`\`\`diff\n${g.changes.map((c) => c.diff).join('')}\`\`\`\n</details>\n`);
  if (maxBytes === undefined) return head + summaries.join('') + details.join('');

  let out = head;
  const cutNote = (what: string) => `\n_Cut to fit ${maxBytes} bytes: ${what}. Run \`npm run diff\` locally for the rest._\n`;
  const reserve = byteLength(cutNote('the summaries of 999999 groups and the diffs of 999999 groups'));
  if (byteLength(out) + reserve > maxBytes) return (out + cutNote('everything after the headline')).slice(0, Math.max(0, maxBytes));
  let shownSummaries = 0;
  for (const s of summaries) {
    if (byteLength(out + s) + reserve > maxBytes) break;
    out += s;
    shownSummaries++;
  }
  let shownDetails = 0;
  if (shownSummaries === summaries.length) {
    for (const d of details) {
      if (byteLength(out + d) + reserve > maxBytes) break;
      out += d;
      shownDetails++;
    }
  }
  const cut: string[] = [];
  if (shownSummaries < summaries.length) cut.push(`the summaries of ${summaries.length - shownSummaries} group${summaries.length - shownSummaries > 1 ? 's' : ''}`);
  if (shownDetails < details.length) cut.push(`the diffs of ${details.length - shownDetails} group${details.length - shownDetails > 1 ? 's' : ''}`);
  return cut.length ? out + cutNote(cut.join(' and ')) : out;
}
