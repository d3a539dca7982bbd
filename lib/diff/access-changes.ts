// Who gains or loses which action on which repositories when a zot release's config.json changes:
// the effective access of each user and of anonymous clients, decided by zot's own model
// (lib/zot/access.ts zotDecide) on both sides, not the rows of the two configs compared key by key.
// A rename or split of repository keys that gives everyone the same rights shows nothing; a change
// shows once per user, action and region of names.
//
// The regions: zot decides a name with the longest repository key that matches it (access.ts, zot
// v2.1.14..v2.1.20 pkg/api/authz.go can). Two configs together split all names into regions by
// (the longest key matching on the old side, the longest on the new side); every name of a region is
// decided the same way on both sides, so one name of each region (glob.ts findName, exact for the
// analysable glob subset) stands for all of it. Keys outside that subset are compared on sample
// names only, and the lines say so.
import {
  configAccess,
  DEFAULT_ZOT_VERSION,
  METHOD_ACTIONS,
  namedUsers,
  readAccessControl,
  Verdict,
  Who,
  zotDecide,
  ZotAccessModel,
} from '../zot/access';
import { zotVersionOfChart } from '../zot/chart-versions';
import { findName, goLength, matchRepository, parseSafeGlob, SafeGlob } from '../zot/glob';
import { valueAt } from '../core/value-at';

/** One side's zot: its accessControl as zot reads it (undefined: authorization off), version and authentication. */
interface ZotSide {
  readonly model: ZotAccessModel | undefined;
  readonly version: string;
  readonly authentication: boolean;
}

/** The zot config.json a HelmRelease carries (values.configFiles), or undefined. */
export function releaseConfig(obj: unknown): { config: unknown; zot: string } | undefined {
  const text =
    valueAt(obj, 'kind') === 'HelmRelease' ? valueAt(obj, 'spec', 'values', 'configFiles', 'config.json') : undefined;
  if (typeof text !== 'string') return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return undefined;
  }
  let zot = DEFAULT_ZOT_VERSION;
  try {
    zot = zotVersionOfChart(String(valueAt(obj, 'spec', 'chart', 'spec', 'version')));
  } catch {
    /* a chart without facts: the default model */
  }
  const tag = valueAt(obj, 'spec', 'values', 'image', 'tag');
  if (typeof tag === 'string' && /^v?\d+\.\d+\.\d+$/.test(tag)) zot = tag.startsWith('v') ? tag : `v${tag}`;
  return { config, zot };
}

function sideOf(obj: unknown): ZotSide | undefined {
  const c = releaseConfig(obj);
  if (!c) return undefined;
  const { accessControl, authentication } = configAccess(c.config, c.zot);
  const model =
    accessControl === undefined || accessControl === null ? undefined : readAccessControl(accessControl, c.zot);
  return { model, version: c.zot, authentication };
}

interface Region {
  /** A name of the region. */
  readonly name: string;
  /** The key that decides it on the new side (else on the old side), or undefined when no key matches. */
  readonly key: string | undefined;
}

const keysOf = (s: ZotSide | undefined) => [...(s?.model?.repositories.keys() ?? [])];

/** A name a glob outside the analysable subset matches, found by spelling its wildcards out; undefined when that fails. */
function sampleName(pattern: string): string | undefined {
  const name = pattern
    .replace(/\{([^},]*)[^}]*\}/g, '$1')
    .replace(/\[!?\^?([^\]])[^\]]*\]/g, 'x')
    .replace(/\*\*/g, 'a/b')
    .replace(/[*?]/g, 'x');
  try {
    return matchRepository(pattern, name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** One name per region of the two sides' keys; `exact` false when some key is outside the analysable subset. */
function regions(before: ZotSide | undefined, after: ZotSide | undefined): { regions: Region[]; exact: boolean } {
  const kb = keysOf(before).filter((k) => k !== '');
  const ka = keysOf(after).filter((k) => k !== '');
  const parsed = new Map<string, SafeGlob>();
  let exact = true;
  for (const k of [...kb, ...ka]) {
    const g = parseSafeGlob(k);
    if ('problem' in g) exact = false;
    else parsed.set(k, g);
  }
  const out: Region[] = [];
  const seen = new Set<string>();
  const add = (name: string | undefined, key: string | undefined) => {
    if (name === undefined || seen.has(name)) return;
    seen.add(name);
    out.push({ name, key });
  };
  if (exact && (kb.length + 1) * (ka.length + 1) <= 2500) {
    const longer = (keys: string[], k: string | undefined) =>
      (k === undefined ? keys : keys.filter((x) => goLength(x) > goLength(k))).map((x) => parsed.get(x)!);
    try {
      for (const b of [undefined, ...kb]) {
        for (const a of [undefined, ...ka]) {
          const all = [b, a].filter((k): k is string => k !== undefined).map((k) => parsed.get(k)!);
          add(findName(all, [...longer(kb, b), ...longer(ka, a)]), a ?? b);
        }
      }
      return { regions: out, exact: true };
    } catch {
      // past the analysis limit: sample names instead
      out.length = 0;
      seen.clear();
    }
  }
  for (const k of [...ka, ...kb]) add(parsed.has(k) ? findName([parsed.get(k)!]) : sampleName(k), k);
  add('unmatched-by-any-key/x', undefined);
  return { regions: out, exact: false };
}

/** The signed-in name that stands for a user no policy names (a name no htpasswd user can have). */
const OTHER_USER = '\u0000other';

function verdict(
  side: ZotSide | undefined,
  who: Who,
  action: (typeof METHOD_ACTIONS)[number],
  repository: string,
): Verdict | 'ambiguous' {
  if (!side) return 'denied';
  return zotDecide(side.model, who, action, repository, side.version, { authentication: side.authentication }).verdict;
}

interface Subject {
  readonly label: string;
  readonly who: Who;
}

/** Whose access is compared: each named user, any other signed-in user and anonymous; anonymous alone without authentication. */
function subjectsOf(b: ZotSide | undefined, a: ZotSide | undefined): Subject[] {
  // Without authentication on either side every client is anonymous (authn.go): one subject says it all.
  const signedIn = (b?.authentication ?? false) || (a?.authentication ?? false);
  if (!signedIn) return [{ label: 'anonymous', who: 'anonymous' }];
  const users = [
    ...new Set([
      ...(b?.model ? namedUsers(b.model, b.version) : []),
      ...(a?.model ? namedUsers(a.model, a.version) : []),
    ]),
  ]
    .filter((u) => u !== '')
    .sort();
  return [
    ...users.map((u): Subject => ({ label: `user ${u}`, who: { user: u } })),
    { label: 'any other signed-in user', who: { user: OTHER_USER } },
    { label: 'anonymous', who: 'anonymous' },
  ];
}

/** One subject's change of verdict on one region, with the actions it concerns. */
interface Transition {
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  readonly where: string;
  readonly example: string;
  readonly actions: string[];
}

/** Every change of verdict, grouped by subject, transition and region (subject → transition → region → actions). */
function transitions(
  b: ZotSide | undefined,
  a: ZotSide | undefined,
  subjects: readonly Subject[],
  rs: readonly Region[],
): Transition[] {
  const lines = new Map<string, Transition>();
  for (const s of subjects) {
    for (const r of rs) {
      for (const action of METHOD_ACTIONS) {
        const [from, to] = [verdict(b, s.who, action, r.name), verdict(a, s.who, action, r.name)];
        if (from === to) continue;
        const where = r.key === undefined ? 'names no key matches' : `\`${r.key}\``;
        const id = `${s.label}\0${from}\0${to}\0${where}`;
        const line = lines.get(id) ?? { subject: s.label, from, to, where, example: r.name, actions: [] };
        if (!line.actions.includes(action)) line.actions.push(action);
        lines.set(id, line);
      }
    }
  }
  return [...lines.values()];
}

/** A transition as a line: who gains or loses what where, an anonymous write called out. */
function transitionLine(l: Transition): string {
  const verb = l.to === 'allowed' ? 'gains' : l.from === 'allowed' ? 'loses' : 'changes';
  const anonymousWrite = l.subject === 'anonymous' && l.to !== 'denied' && l.actions.some((x) => x !== 'read');
  const actions = METHOD_ACTIONS.filter((x) => l.actions.includes(x)).join(', ');
  return `${l.subject} ${verb} ${actions} on ${l.where} (e.g. \`${l.example}\`; ${l.from} → ${l.to})${anonymousWrite ? ' **ANONYMOUS WRITE**' : ''}`;
}

/**
 * Who gains or loses which action where, between the zot release `before` and `after` (HelmRelease
 * objects; either may be absent: nothing deployed there). One line per subject, change and region.
 */
export function effectiveAccessChanges(before: unknown, after: unknown): string[] {
  const [b, a] = [sideOf(before), sideOf(after)];
  if (!b && !a) return [];
  const { regions: rs, exact } = regions(b, a);
  const out = transitions(b, a, subjectsOf(b, a), rs).map(transitionLine);
  const order = (x: string) => (x.startsWith('user ') ? 0 : x.startsWith('any other') ? 1 : 2);
  out.sort((x, y) => order(x) - order(y) || (x < y ? -1 : x > y ? 1 : 0));
  if (out.length && !exact)
    out.push('(some repository keys are outside the glob subset analysed exactly: compared on sample names only)');
  return out;
}
