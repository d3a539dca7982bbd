// Published security advisories against zot, as version rules: which zot versions each affects and,
// where a config can depend on the flaw, the machine rule that finds it. The list, with every
// advisory's sources, is known-advisories.json beside this file (the one place; a new advisory is an
// entry there, with its sources).
import { ZotFluxError } from '../core/error';
import { AccessRow, configAccess, DecideOptions, effectiveAccessTable } from './access';
import { knownBadChartReason, SUPPORTED_CHART_VERSIONS, zotVersionOfChart } from './chart-versions';
import { compareZotVersions, isZotVersionString, normalizeZotVersion } from './config-keys';
import data from './known-advisories.json';

/** The machine rules an advisory can name: when a config depends on the flaw. */
export const ADVISORY_RULES = ['create-without-update'] as const;
export type AdvisoryRule = (typeof ADVISORY_RULES)[number];

export interface Advisory {
  /** The name to acknowledge it by (the CVE id when there is one). */
  readonly id: string;
  /** Other names of the same advisory (its GHSA id); acknowledging by one of them counts. */
  readonly aliases: readonly string[];
  readonly title: string;
  readonly detail: string;
  /** The zot versions affected: comparators on versions, all of which must hold (`<v2.1.15`). */
  readonly affected: string;
  /** The first zot release without the flaw. */
  readonly fixedIn: string;
  /** When a config depends on the flaw; null when no config can avoid it. */
  readonly rule: AdvisoryRule | null;
  /** The advisory, the fix, and the code as read at the affected and fixed tags. */
  readonly sources: readonly string[];
}

const COMPARATOR = /^(<=|>=|<|>|=)?(v?\d+\.\d+\.\d+\S*)$/;

/** The comparators of a range (`>=v2.1.16 <v2.1.19`), or a TypeError naming what is not one. */
function comparators(range: string): Array<{ op: string; version: string }> {
  const parts = range.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) throw new TypeError(`not a version range: '${range}'`);
  return parts.map((p) => {
    const m = COMPARATOR.exec(p);
    if (!m || !isZotVersionString(m[2])) throw new TypeError(`not a version comparator: '${p}' in '${range}'`);
    return { op: m[1] ?? '=', version: m[2] };
  });
}

/** Whether zot `version` is in `range` (semver precedence: `v2.1.15-rc.1` is below `v2.1.15`; build metadata is ignored). */
export function inZotRange(version: string, range: string): boolean {
  return comparators(range).every(({ op, version: bound }) => {
    const c = compareZotVersions(version, bound);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : c === 0;
  });
}

/** known-advisories.json read and checked once: a malformed entry is a bug in this project, not a user error. */
function load(): readonly Advisory[] {
  const list = (data as { advisories: Advisory[] }).advisories;
  const names = new Set<string>();
  for (const a of list) {
    for (const n of [a.id, ...a.aliases]) {
      if (names.has(n.toUpperCase())) throw new TypeError(`known-advisories.json: '${n}' is listed twice`);
      names.add(n.toUpperCase());
    }
    comparators(a.affected);
    if (!isZotVersionString(a.fixedIn) || inZotRange(a.fixedIn, a.affected))
      throw new TypeError(
        `known-advisories.json ${a.id}: fixedIn '${a.fixedIn}' is not a version outside '${a.affected}'`,
      );
    if (a.rule !== null && !(ADVISORY_RULES as readonly string[]).includes(a.rule))
      throw new TypeError(`known-advisories.json ${a.id}: unknown rule '${a.rule}'`);
    if (!a.sources.length) throw new TypeError(`known-advisories.json ${a.id}: no sources`);
  }
  return list;
}

/** Every advisory this project knows (known-advisories.json), in the file's order. */
export const ADVISORIES: readonly Advisory[] = load();

/** The advisory named `name` (its id or an alias, in any case), or undefined. */
export function advisoryByName(name: string): Advisory | undefined {
  const n = name.trim().toUpperCase();
  return ADVISORIES.find((a) => a.id.toUpperCase() === n || a.aliases.some((x) => x.toUpperCase() === n));
}

/** The advisories affecting zot `zotVersion` (`v2.1.14` or `2.1.14`); a ZotFluxError naming `field` when it is not a version. */
export function advisoriesFor(zotVersion: string, field = 'zotVersion'): Advisory[] {
  if (typeof zotVersion !== 'string' || !isZotVersionString(zotVersion)) {
    throw new ZotFluxError({
      field,
      value: zotVersion,
      reason: 'is not a zot version (expected vX.Y.Z, a semantic version)',
    });
  }
  const v = normalizeZotVersion(zotVersion);
  return ADVISORIES.filter((a) => inZotRange(v, a.affected));
}

/** `CVE-2026-31801 (GHSA-85jx-fm8m-x8c6)`: the id and its aliases, as messages name an advisory. */
export function advisoryName(a: Advisory): string {
  return a.aliases.length ? `${a.id} (${a.aliases.join(', ')})` : a.id;
}

/**
 * What to do about `a`: the first chart this project knows that deploys a zot with the fix (not a
 * known-bad chart), or, when none does yet, the image tag.
 */
export function advisoryRemedy(a: Advisory): string {
  const chart = SUPPORTED_CHART_VERSIONS.find(
    (c) =>
      !knownBadChartReason(c) &&
      compareZotVersions(zotVersionOfChart(c), a.fixedIn) >= 0 &&
      !inZotRange(zotVersionOfChart(c), a.affected),
  );
  return chart
    ? `move to chart ${chart} or later (it deploys zot ${zotVersionOfChart(chart)})`
    : `no chart this project knows deploys zot ${a.fixedIn} or later yet: set valuesOverrides.image.tag to ${a.fixedIn} or later`;
}

/** `zot v2.1.14 is affected by CVE-… (GHSA-…): <title>; fixed in zot v2.1.15: move to chart 0.1.99 or later (…)`. */
export function advisorySummary(a: Advisory, zotVersion: string): string {
  return `zot ${normalizeZotVersion(zotVersion)} is affected by ${advisoryName(a)}: ${a.title}; fixed in zot ${a.fixedIn}: ${advisoryRemedy(a)}`;
}

/** One place a config depends on an advisory's flaw: who, on which repository key, and what that means there. */
export interface AdvisoryHit {
  readonly subject: string;
  readonly pattern: string;
  /** `user ci may create but not update on 'ci/**'`. */
  readonly says: string;
}

/**
 * The rows of the effective access table (lib/zot/access.ts, zot's own decision for `zotVersion`)
 * whose subject may create but not update on a repository key: where "create without update" is
 * declared. A conditional create counts (it may be granted); a conditional update does not count as
 * denied. Throws what effectiveAccessTable throws for an accessControl zot would not read.
 */
export function createWithoutUpdate(
  accessControl: unknown,
  zotVersion: string,
  options: DecideOptions = {},
): AccessRow[] {
  return effectiveAccessTable(accessControl, zotVersion, options).rows.filter(
    (r) => r.create !== 'denied' && r.update === 'denied',
  );
}

/** Where an accessControl (as zot reads it) depends on `a`'s flaw; empty when `a` has no rule. */
export function advisoryHits(
  a: Advisory,
  accessControl: unknown,
  zotVersion: string,
  options: DecideOptions = {},
): AdvisoryHit[] {
  if (a.rule === 'create-without-update') {
    return createWithoutUpdate(accessControl, zotVersion, options).map((r) => ({
      subject: r.subject,
      pattern: r.pattern,
      says: `${r.subject} may create${r.create === 'conditional' ? ' (when its conditions hold)' : ''} but not update on '${r.pattern}'`,
    }));
  }
  return [];
}

/**
 * Where a whole zot config (config.json as parsed) depends on `a`'s flaw: its http.accessControl
 * and the authentication zot enables, read as zot `zotVersion` reads them. Empty when `a` has no
 * rule, or when zot would not read the accessControl (the start-up and closed-registry checks say so).
 */
export function configHits(a: Advisory, config: unknown, zotVersion: string): AdvisoryHit[] {
  if (a.rule === null) return [];
  try {
    const { accessControl, authentication } = configAccess(config, zotVersion);
    return advisoryHits(a, accessControl, zotVersion, { authentication });
  } catch {
    return [];
  }
}

/** What a declaration the rule finds means on an affected zot, for a refusal ("it would not mean what it says"). */
export function advisoryMeaning(a: Advisory): string {
  return `on zot ${a.affected} ${a.title}`;
}

/**
 * Lines naming the advisories affecting zot `zotVersion`, for under the access table (`npm run access`,
 * the app README): each advisory, its fix, and where the accessControl depends on it. Empty when none affects it.
 */
export function advisoryLines(
  zotVersion: string,
  accessControl?: unknown,
  options: DecideOptions & { readonly acknowledged?: readonly string[] } = {},
): string[] {
  const out: string[] = [];
  for (const a of advisoriesFor(zotVersion)) {
    const acknowledged = (options.acknowledged ?? []).some((n) => advisoryByName(n) === a);
    out.push(
      `!! ADVISORY ${advisoryName(a)} affects zot ${normalizeZotVersion(zotVersion)}: ${a.title}; fixed in zot ${a.fixedIn}: ${advisoryRemedy(a)}${acknowledged ? ' (acknowledged)' : ''}`,
    );
    if (accessControl === undefined) continue;
    let hits: AdvisoryHit[];
    try {
      hits = advisoryHits(a, accessControl, zotVersion, options);
    } catch {
      continue; // an accessControl zot would not read: the table and synth say so
    }
    for (const h of hits) out.push(`!!   here: ${h.says}`);
  }
  return out;
}
