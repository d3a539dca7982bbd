// Intent (who may do what), and its compilation into zot's accessControl so that zot's decision
// (access-decide.ts) equals the intent. The compiler runs in four steps: read the intent, choose the
// keys, check that each key's names are covered whole, write the accessControl.

import { ZotFluxError, Problem } from '../core/error';
import { ZOT_ACTIONS, ZotAction } from './config';
import {
  doublestarMatches,
  findName,
  goLength,
  matchRepository,
  OverlapIndex,
  parseSafeGlob,
  quicklyMeet,
  quickName,
  SafeGlob,
} from './glob';
import { DEFAULT_ZOT_VERSION, METHOD_ACTIONS, zotVersion } from './access-model';
import { Who } from './access-decide';

/** Actions on the repositories the globs match. */
export interface AccessGrant {
  readonly repositories: readonly string[];
  readonly actions: readonly ZotAction[];
  /**
   * Where the grant was declared (a prop path such as `users[2]` or `users[2].grants[0]`): refusals
   * name `<field>.repositories[k]` and `<field>.actions` from it.
   * @default - its place in the intent (`users[i].grants[j]`)
   */
  readonly field?: string;
}
export interface UserIntent {
  readonly name: string;
  readonly grants?: readonly AccessGrant[];
  /** read, create, update and delete on every repository (zot adminPolicy). No grants beside it. */
  readonly admin?: boolean;
  /**
   * Where the user was declared (a prop path): refusals about the user name it.
   * @default - its place in the intent (`users[i]`)
   */
  readonly field?: string;
}
export interface GroupIntent {
  /** Lowercase: zot's groups map keys are lowercased by viper, its policy values are not. */
  readonly name: string;
  /** Declared users. */
  readonly members: readonly string[];
  readonly grants?: readonly AccessGrant[];
  readonly admin?: boolean;
}
/**
 * Who may do what. Anonymous clients may read R iff an anonymousRead glob matches R, and do more
 * only through `anonymousWrite`, an explicit opt-in. Any signed-in user may read R iff an
 * authenticatedRead glob matches R, and may do whatever anonymous clients may: a signed-in user
 * never has less than anonymous (docker sends credentials whenever it has them, so logging in must
 * not lose access). A declared user may besides do A on R iff some grant of the user (or of a group
 * the user is in) whose glob matches R lists A. An admin (or a member of an admin group) may do
 * read, create, update and delete everywhere, and never detectManifestCollision (zot's rule:
 * UserAccessControl.Can answers false for admins on behaviour actions).
 */
export interface AccessIntent {
  readonly users: readonly UserIntent[];
  readonly groups?: readonly GroupIntent[];
  readonly anonymousRead?: readonly string[];
  /** Anonymous create/update/delete: flagged wherever the result is shown. */
  readonly anonymousWrite?: readonly AccessGrant[];
  /** Read for every signed-in user (zot's defaultPolicy), declared or not. */
  readonly authenticatedRead?: readonly string[];
}

export interface CompiledPolicy {
  readonly users?: string[];
  readonly groups?: string[];
  readonly actions: ZotAction[];
}
export interface CompiledRepositoryAccess {
  readonly policies: CompiledPolicy[];
  readonly defaultPolicy: ZotAction[];
  readonly anonymousPolicy?: ZotAction[];
}
/** zot's http.accessControl, as compileAccess writes it. */
export interface CompiledAccessControl {
  readonly repositories: Record<string, CompiledRepositoryAccess>;
  readonly adminPolicy?: CompiledPolicy;
  readonly groups?: Record<string, { users: string[] }>;
}

type Subject = { kind: 'user' | 'group'; name: string } | { kind: 'anonymous' } | { kind: 'authenticated' };
type Named = { kind: 'user' | 'group'; name: string };
interface Entry {
  glob: string;
  field: string;
  subject: Subject;
  actions: readonly ZotAction[];
}

const subjectKey = (s: Subject) =>
  s.kind === 'anonymous' || s.kind === 'authenticated' ? s.kind : `${s.kind}:${s.name}`;

/** m.get(k) for a key the compiler put there itself. */
function known<K, V>(m: ReadonlyMap<K, V>, k: K): V {
  const v = m.get(k);
  if (v === undefined) throw new Error(`compileAccess: nothing recorded for ${String(k)}`);
  return v;
}

const CANNOT_EXPRESS = "access cannot be expressed exactly in zot's accessControl";

/**
 * Compiles intent into zot's accessControl so that, for every user, action and repository name
 * zot routes, zot `version`'s decision (longest key, then adminPolicy) equals the intent.
 * Every glob of the intent becomes a key; each key's policies are the grants of every glob that
 * covers all the names that key decides. What every signed-in user may do there (authenticatedRead,
 * and everything anonymous clients may) is the key's defaultPolicy, which zot applies to any user
 * name but "" (zot v2.1.14..v2.1.20 pkg/api/authz.go isPermitted). Refuses (ZotFluxError naming the globs and example names)
 * when a glob covers only part of them: zot's longest-match rule could not express the intent.
 * Throws ZotFluxError for contradictory or empty declarations.
 */
export function compileAccess(intent: AccessIntent, version: string = DEFAULT_ZOT_VERSION): CompiledAccessControl {
  zotVersion(version);
  if (!intent || !Array.isArray(intent.users))
    throw new ZotFluxError({ field: 'users', value: intent?.users, reason: 'is not a list' });
  const { entries, parsed } = new IntentReader(intent).read();
  const plan = new KeyPlan(entries, parsed);
  const covers = coverage(plan);
  return writeAccessControl(intent, entries, plan, covers);
}

// --- 1. The intent read: every grant as an entry (glob, subject, actions), or the problems -----------------------

class IntentReader {
  private readonly problems: Problem[] = [];
  private readonly entries: Entry[] = [];
  private readonly parsed = new Map<string, SafeGlob>();
  private readonly memberOf = new Map<string, string[]>();
  constructor(private readonly intent: AccessIntent) {}

  read(): { entries: Entry[]; parsed: Map<string, SafeGlob> } {
    this.readUsers();
    (this.intent.groups ?? []).forEach((g, i) => this.readGroup(g, `groups[${i}]`));
    this.checkUsersGetSomething();
    this.readEveryone();
    if (this.problems.length) throw new ZotFluxError(this.problems, 'access refused');
    return { entries: this.entries, parsed: this.parsed };
  }

  /** Parses a glob of the intent once; false (and a problem) when it cannot be used. */
  private useGlob(glob: string, field: string): boolean {
    if (this.parsed.has(glob)) return true;
    const s = typeof glob === 'string' ? parseSafeGlob(glob) : { problem: 'is not a string' };
    if ('problem' in s) {
      this.problems.push({ field, value: glob, reason: s.problem });
      return false;
    }
    if (quickName(s) === undefined && findName([s]) === undefined) {
      this.problems.push({
        field,
        value: glob,
        reason:
          'matches no repository name zot accepts (pkg/regexp/regexp.go NameRegexp: lowercase a-z 0-9 components joined by . _ __ - and /)',
      });
      return false;
    }
    this.parsed.set(glob, s);
    return true;
  }

  private addGrants(grants: readonly AccessGrant[] | undefined, at: string, subject: Subject): void {
    (grants ?? []).forEach((g, i) => {
      const gat = g.field ?? `${at}[${i}]`;
      this.checkGrant(g, gat);
      (g.repositories ?? []).forEach((glob, k) => {
        const field = `${gat}.repositories[${k}]`;
        if (this.useGlob(glob, field)) this.entries.push({ glob, field, subject, actions: g.actions ?? [] });
      });
    });
  }

  private checkGrant(g: AccessGrant, gat: string): void {
    if (!g.repositories || g.repositories.length === 0)
      this.problems.push({ field: `${gat}.repositories`, value: [], reason: 'is empty: the grant gives nothing' });
    if (!g.actions || g.actions.length === 0)
      this.problems.push({ field: `${gat}.actions`, value: [], reason: 'is empty: the grant gives nothing' });
    for (const a of g.actions ?? [])
      if (!ZOT_ACTIONS.includes(a))
        this.problems.push({
          field: `${gat}.actions`,
          value: a,
          reason: `is not a zot action (${ZOT_ACTIONS.join(', ')})`,
        });
  }

  private readUsers(): void {
    const userNames = new Set<string>();
    this.intent.users.forEach((u, i) => {
      const at = u.field ?? `users[${i}]`;
      if (typeof u.name !== 'string' || u.name === '')
        this.problems.push({
          field: `${at}.name`,
          value: u.name,
          reason: 'is empty: zot treats the user "" as the anonymous client',
        });
      else if (userNames.has(u.name))
        this.problems.push({ field: `${at}.name`, value: u.name, reason: 'is declared twice' });
      userNames.add(u.name);
      if (u.admin && (u.grants ?? []).length > 0) {
        this.problems.push({
          field: `${at}.grants`,
          value: u.name,
          reason:
            'is admin, which already grants read, create, update and delete on every repository: a grant beside it is contradictory (remove the grants or admin)',
        });
      }
      this.addGrants(u.grants, `${at}.grants`, { kind: 'user', name: u.name });
    });
  }

  private readonly groupNames = new Set<string>();
  private readGroup(g: GroupIntent, at: string): void {
    this.checkGroupName(g, at);
    if (!g.members || g.members.length === 0)
      this.problems.push({ field: `${at}.members`, value: [], reason: 'is empty: the group gives nobody anything' });
    (g.members ?? []).forEach((m, k) => {
      if (!this.intent.users.some((u) => u.name === m))
        this.problems.push({ field: `${at}.members[${k}]`, value: m, reason: 'is not a declared user' });
      this.memberOf.set(m, [...(this.memberOf.get(m) ?? []), g.name]);
    });
    if (g.admin && (g.grants ?? []).length > 0)
      this.problems.push({
        field: `${at}.grants`,
        value: g.name,
        reason:
          'is admin, which already grants read, create, update and delete on every repository: a grant beside it is contradictory',
      });
    if (!g.admin && (g.grants ?? []).length === 0)
      this.problems.push({
        field: `${at}.grants`,
        value: g.name,
        reason: 'is empty and the group is not admin: it gives its members nothing',
      });
    this.addGrants(g.grants, `${at}.grants`, { kind: 'group', name: g.name });
  }

  private checkGroupName(g: GroupIntent, at: string): void {
    if (typeof g.name !== 'string' || g.name === '')
      this.problems.push({ field: `${at}.name`, value: g.name, reason: 'is empty' });
    else if (g.name !== g.name.toLowerCase())
      this.problems.push({
        field: `${at}.name`,
        value: g.name,
        reason:
          'has uppercase letters: viper lowercases the groups map keys but not the names in policies, so its grants would never apply (viper v1.21.0 insensitiviseMap)',
      });
    else if (g.name.includes('::'))
      this.problems.push({ field: `${at}.name`, value: g.name, reason: 'contains "::", zot\'s viper key delimiter' });
    if (this.groupNames.has(g.name))
      this.problems.push({ field: `${at}.name`, value: g.name, reason: 'is declared twice' });
    this.groupNames.add(g.name);
  }

  /** The groups a user is a member of (each as first declared under its name). */
  private groupsOf(user: string): GroupIntent[] {
    const all = this.intent.groups ?? [];
    return (this.memberOf.get(user) ?? []).flatMap((gn) => all.filter((x) => x.name === gn).slice(0, 1));
  }

  private checkUsersGetSomething(): void {
    const intent = this.intent;
    // A user with no grant of its own still signs in and gets what every signed-in user gets.
    const everySignedIn =
      (intent.authenticatedRead ?? []).length +
        (intent.anonymousRead ?? []).length +
        (intent.anonymousWrite ?? []).length >
      0;
    intent.users.forEach((u, i) => {
      const at = u.field ?? `users[${i}]`;
      const groups = this.groupsOf(u.name);
      const viaGroup = groups.some((g) => g.admin || (g.grants ?? []).length > 0);
      if (!u.admin && (u.grants ?? []).length === 0 && !viaGroup && !everySignedIn) {
        this.problems.push({
          field: at,
          value: u.name,
          reason: 'has no access: no grant, not admin, and in no group that has one',
        });
      }
      const dmc = groups.find((g) =>
        (g.grants ?? []).some((gr) => (gr.actions ?? []).includes('detectManifestCollision')),
      );
      if ((u.admin || groups.some((g) => g.admin)) && dmc) {
        this.problems.push({
          field: at,
          value: u.name,
          reason: `is admin and gets detectManifestCollision through group '${dmc.name}': zot never gives admins detectManifestCollision (UserAccessControl.Can)`,
        });
      }
    });
  }

  /** anonymousRead, anonymousWrite (which signed-in users get too) and authenticatedRead. */
  private readEveryone(): void {
    (this.intent.anonymousRead ?? []).forEach((glob, k) => {
      const field = `anonymousRead[${k}]`;
      if (this.useGlob(glob, field))
        this.entries.push({ glob, field, subject: { kind: 'anonymous' }, actions: ['read'] });
    });
    this.addGrants(this.intent.anonymousWrite, 'anonymousWrite', { kind: 'anonymous' });
    // Signed-in users never get less than anonymous clients: zot applies anonymousPolicy only to the
    // user "" (authz.go isPermitted), so every anonymous grant is in defaultPolicy as well.
    for (const e of this.entries.filter((x) => x.subject.kind === 'anonymous'))
      this.entries.push({ ...e, subject: { kind: 'authenticated' } });
    (this.intent.authenticatedRead ?? []).forEach((glob, k) => {
      const field = `authenticatedRead[${k}]`;
      if (this.useGlob(glob, field))
        this.entries.push({ glob, field, subject: { kind: 'authenticated' }, actions: ['read'] });
    });
  }
}

// --- 2. The keys: one per set of equal globs, lengthened where a glob lies inside another -----------------------

/** Every name `a` matches is matched by `b`; a quick witness of `a` that `b` misses says no at once. */
function inside(a: SafeGlob, b: SafeGlob): boolean {
  const w = quickName(a);
  return (w === undefined || doublestarMatches(b, w)) && findName([a], [b]) === undefined;
}
const same = (a: SafeGlob, b: SafeGlob) => inside(a, b) && inside(b, a);

class KeyPlan {
  /** The intent's globs, in the order first met, and the field each was first declared at. */
  private readonly globs: string[] = [];
  private readonly firstField = new Map<string, string>();
  /** Globs that match exactly the same names share one key (the first one's text): the representatives. */
  private readonly reps: string[] = [];
  private readonly repOf = new Map<string, string>();
  /** The reps that may overlap reps[r], by their index in reps, ascending. */
  readonly repCandidates: number[][];
  private readonly keyOf = new Map<string, string>();
  private readonly problems: Problem[] = [];
  /** keys[r]: the key of reps[r]. */
  readonly keys: string[];
  private readonly globOfKey: Map<string, string>;
  private readonly within: Map<string, string[]>;

  constructor(
    entries: readonly Entry[],
    private readonly parsed: Map<string, SafeGlob>,
  ) {
    for (const e of entries)
      if (!this.globs.includes(e.glob)) {
        this.globs.push(e.glob);
        this.firstField.set(e.glob, e.field);
      }
    this.repCandidates = this.groupEqualGlobs();
    // zot applies the longest matching key, so a glob lying inside another must get the longer key.
    // When its own text is not longer, one plain character c becomes the class [cc...] (it still
    // matches c alone) until it is: see padGlob.
    this.within = new Map(
      this.reps.map((x, r) => [
        x,
        this.repCandidates[r].map((c) => this.reps[c]).filter((y) => inside(this.glob(x), this.glob(y))),
      ]),
    );
    this.keys = this.reps.map((x) => this.keyFor(x));
    if (this.problems.length) throw new ZotFluxError(this.problems, CANNOT_EXPRESS);
    this.reps.forEach((x) => this.firstField.set(this.key(x), this.field(x)));
    this.globOfKey = new Map(this.reps.map((x) => [this.key(x), x]));
  }

  glob(x: string): SafeGlob {
    return known(this.parsed, x);
  }
  field(x: string): string {
    return known(this.firstField, x);
  }
  private key(rep: string): string {
    return known(this.keyOf, rep);
  }
  keyOfGlob(glob: string): string {
    return this.key(known(this.repOf, glob));
  }
  globOf(k: string): string {
    return known(this.globOfKey, k);
  }
  show(k: string): string {
    return this.globOfKey.get(k) === k ? `'${k}'` : `'${this.globOfKey.get(k)}' (key '${k}')`;
  }

  /** Fills reps and repOf; returns each rep's candidates (indexes in reps). */
  private groupEqualGlobs(): number[][] {
    const globs = this.globs;
    // Two globs can be equal, nested or overlapping only when they may overlap (glob.ts mayOverlap: every glob here
    // matches some name, useGlob), so each glob is compared with its candidates only, in the same order as with all.
    const globIndex = new OverlapIndex(globs.map((x) => this.glob(x)));
    const candidates = globs.map((_, i) => globIndex.candidates(i));
    const repIndex = new Map<number, number>(); // glob index → index in reps
    globs.forEach((x, i) => {
      const j = candidates[i].find((c) => c < i && repIndex.has(c) && same(this.glob(x), this.glob(globs[c])));
      if (j === undefined) {
        repIndex.set(i, this.reps.length);
        this.reps.push(x);
      }
      this.repOf.set(x, j === undefined ? x : globs[j]);
    });
    const repGlobIndex = [...repIndex.keys()];
    return this.reps.map((_, r) =>
      candidates[repGlobIndex[r]].flatMap((c) => {
        const ri = repIndex.get(c);
        return ri === undefined ? [] : [ri];
      }),
    );
  }

  private keyFor(x: string): string {
    const done = this.keyOf.get(x);
    if (done !== undefined) return done;
    let need = 0;
    let outer = '';
    for (const y of known(this.within, x)) {
      const l = goLength(this.keyFor(y)) + 1;
      if (l > need) {
        need = l;
        outer = y;
      }
    }
    const key = goLength(x) < need ? this.lengthened(x, need - goLength(x), outer) : x;
    this.keyOf.set(x, key);
    return key;
  }

  /** x made `extra` bytes longer (padGlob, checked to match the same names); x and a problem when it cannot be. */
  private lengthened(x: string, extra: number, outer: string): string {
    const padded = padGlob(x, extra);
    if (padded === undefined) {
      this.problems.push({
        field: this.field(x),
        value: x,
        reason: `lies inside '${outer}' (${this.firstField.get(outer)}) but is not longer, and has no plain character to lengthen its key with: zot would apply '${outer}' to its names; write it longer`,
      });
      return x;
    }
    const pg = parseSafeGlob(padded);
    if ('problem' in pg || !same(pg, this.glob(x))) throw new Error(`padGlob changed what '${x}' matches: '${padded}'`);
    this.parsed.set(padded, pg);
    return padded;
  }
}

// --- 3. Coverage: the keys whose grants apply on every name a key decides -----------------------------------------

/** covers.get(k): the keys whose grants apply on every name zot decides with key k; refuses partial covers. */
function coverage(plan: KeyPlan): Map<string, string[]> {
  const overlapping = overlappingKeys(plan);
  const covers = new Map<string, string[]>();
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const k of plan.keys) covers.set(k, coveringKeys(plan, k, known(overlapping, k), reported, problems));
  if (problems.length) throw new ZotFluxError(problems, CANNOT_EXPRESS);
  return covers;
}

function overlappingKeys(plan: KeyPlan): Map<string, Set<string>> {
  const keys = plan.keys;
  const g = (k: string) => plan.glob(k);
  const overlapping = new Map<string, Set<string>>(keys.map((k) => [k, new Set<string>()]));
  // keys[r] matches what reps[r] matches (padGlob is checked), so the candidates of reps[r] are those of keys[r].
  for (let i = 0; i < keys.length; i++) {
    for (const j of plan.repCandidates[i]) {
      if (j <= i) continue;
      if (quicklyMeet(g(keys[i]), g(keys[j])) || findName([g(keys[i]), g(keys[j])]) !== undefined) {
        known(overlapping, keys[i]).add(keys[j]);
        known(overlapping, keys[j]).add(keys[i]);
      }
    }
  }
  return overlapping;
}

/** The keys covering every name k decides (k first); a problem for each key that covers only part of them. */
function coveringKeys(
  plan: KeyPlan,
  k: string,
  overlaps: ReadonlySet<string>,
  reported: Set<string>,
  problems: Problem[],
): string[] {
  const len = goLength(k);
  const longer = [...overlaps].filter((h) => goLength(h) > len).map((h) => plan.glob(h));
  const list = [k];
  for (const h of overlaps) {
    if (goLength(h) > len) continue; // where h matches, h (or a longer key) decides, not k
    const both = findName([plan.glob(k), plan.glob(h)], longer);
    if (both === undefined) continue;
    const kOnly = findName([plan.glob(k)], [plan.glob(h), ...longer]);
    if (kOnly === undefined) {
      list.push(h);
      continue;
    }
    const pair = [k, h].sort().join('\u0000');
    if (reported.has(pair)) continue;
    reported.add(pair);
    problems.push(partialCover(plan, k, h, both, kOnly));
  }
  return list;
}

function partialCover(plan: KeyPlan, k: string, h: string, both: string, kOnly: string): Problem {
  const len = goLength(k);
  const tie = goLength(h) === len;
  return {
    field: plan.field(h),
    value: plan.globOf(h),
    reason:
      `${plan.globOf(h) === h ? '' : `(key '${h}') `}covers only part of the names zot decides with the key ${plan.show(k)} (${plan.field(k)}): ` +
      `'${both}' is matched by both, '${kOnly}' by ${plan.show(k)} alone` +
      (tie
        ? `, and the two are equally long (${len} bytes), so on '${both}' Go map order picks the key`
        : `, and zot applies only the longest matching key (${plan.show(k)})`) +
      `: zot's longest-match rule cannot express this exactly. Make one glob contain the other, make them disjoint, ` +
      `or grant the overlap by a glob of its own (e.g. '${both}')`,
  };
}

// --- 4. The accessControl written -----------------------------------------------------------------------------

const sortActions = (s: ReadonlySet<ZotAction>) => ZOT_ACTIONS.filter((a) => s.has(a));

function writeAccessControl(
  intent: AccessIntent,
  entries: readonly Entry[],
  plan: KeyPlan,
  covers: ReadonlyMap<string, readonly string[]>,
): CompiledAccessControl {
  const repositories = repositoriesOf(intent, entries, plan, covers);
  const adminUsers = intent.users.filter((u) => u.admin).map((u) => u.name);
  const adminGroups = (intent.groups ?? []).filter((x) => x.admin).map((x) => x.name);
  const out: { -readonly [K in keyof CompiledAccessControl]: CompiledAccessControl[K] } = { repositories };
  if (adminUsers.length || adminGroups.length) {
    out.adminPolicy = {
      ...(adminUsers.length ? { users: adminUsers } : {}),
      ...(adminGroups.length ? { groups: adminGroups } : {}),
      actions: [...METHOD_ACTIONS],
    };
  }
  const groups = intent.groups ?? [];
  if (groups.length) out.groups = Object.fromEntries(groups.map((x) => [x.name, { users: [...x.members] }]));
  return out;
}

function repositoriesOf(
  intent: AccessIntent,
  entries: readonly Entry[],
  plan: KeyPlan,
  covers: ReadonlyMap<string, readonly string[]>,
): Record<string, CompiledRepositoryAccess> {
  const subjectOrder: Named[] = [
    ...intent.users.filter((u) => !u.admin).map((u) => ({ kind: 'user' as const, name: u.name })),
    ...(intent.groups ?? []).filter((x) => !x.admin).map((x) => ({ kind: 'group' as const, name: x.name })),
  ];
  // Each key's entries once (the actions gathered per subject do not depend on the entries' order).
  const entriesOfKey = new Map<string, Entry[]>();
  for (const e of entries) {
    const k = plan.keyOfGlob(e.glob);
    const list = entriesOfKey.get(k);
    if (list) list.push(e);
    else entriesOfKey.set(k, [e]);
  }
  const repositories: Record<string, CompiledRepositoryAccess> = {};
  for (const k of plan.keys)
    repositories[k] = keyAccess(actionsBySubject(known(covers, k), entriesOfKey), subjectOrder);
  return repositories;
}

/** The actions each subject (by subjectKey) gets on the names a key decides: those of every key covering them. */
function actionsBySubject(
  covering: readonly string[],
  entriesOfKey: ReadonlyMap<string, readonly Entry[]>,
): Map<string, Set<ZotAction>> {
  const bySubject = new Map<string, Set<ZotAction>>();
  for (const h of new Set(covering)) {
    for (const e of entriesOfKey.get(h) ?? []) {
      const key = subjectKey(e.subject);
      const set = bySubject.get(key) ?? new Set<ZotAction>();
      for (const a of e.actions) set.add(a);
      bySubject.set(key, set);
    }
  }
  return bySubject;
}

/** One key's policies (users, then groups, as declared), defaultPolicy and anonymousPolicy. */
function keyAccess(
  bySubject: ReadonlyMap<string, ReadonlySet<ZotAction>>,
  subjectOrder: readonly Named[],
): CompiledRepositoryAccess {
  const policies: CompiledPolicy[] = [];
  for (const s of subjectOrder) {
    const set = bySubject.get(subjectKey(s));
    if (set === undefined || set.size === 0) continue;
    policies.push(
      s.kind === 'user'
        ? { users: [s.name], actions: sortActions(set) }
        : { groups: [s.name], actions: sortActions(set) },
    );
  }
  const anon = bySubject.get('anonymous');
  return {
    policies,
    defaultPolicy: sortActions(bySubject.get('authenticated') ?? new Set()),
    ...(anon && anon.size ? { anonymousPolicy: sortActions(anon) } : {}),
  };
}

/**
 * `glob` made `extra` bytes longer (or 2 when 1 is asked) without changing the repository names it
 * matches: its first plain character c outside {groups} becomes the class [c...c], which matches c
 * and nothing else (doublestar match.go: a class matches one rune among its members); without one,
 * a whole "*" segment becomes "?*" or "*?*". undefined when neither applies. compileAccess checks
 * the result matches the same names (by the automata of glob.ts) before using it.
 */
export function padGlob(glob: string, extra: number): string | undefined {
  const n = Math.max(2, extra);
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '[') {
      i = glob.indexOf(']', i + 1);
      if (i < 0) return undefined;
    } else if (depth === 0 && /[a-z0-9._-]/.test(c))
      return `${glob.slice(0, i)}[${c.repeat(n - 1)}]${glob.slice(i + 1)}`;
  }
  // No plain character: a whole "*" segment matches one or more characters (a repository name has
  // no empty segment), and so do "?*" and "*?*": one or two bytes more.
  const segments = glob.split('/');
  const star = segments.indexOf('*');
  if (star < 0 || extra > 2 || glob.includes('{')) return undefined;
  segments[star] = extra === 1 ? '?*' : '*?*';
  return segments.join('/');
}

/** What the intent says (the reference the compiled config is held to). */
export function intentAllows(intent: AccessIntent, who: Who, action: ZotAction, repository: string): boolean {
  const matches = (globs: readonly string[]) => globs.some((p) => matchRepository(p, repository));
  const granted = (grants: readonly AccessGrant[] | undefined) =>
    (grants ?? []).some((gr) => gr.actions.includes(action) && matches(gr.repositories));
  const anonymous = (action === 'read' && matches(intent.anonymousRead ?? [])) || granted(intent.anonymousWrite);
  if (who === 'anonymous') return anonymous;
  // Every signed-in user, declared or not: authenticatedRead, and never less than anonymous.
  const everyone = anonymous || (action === 'read' && matches(intent.authenticatedRead ?? []));
  const u = intent.users.find((x) => x.name === who.user);
  const groups = u ? (intent.groups ?? []).filter((x) => x.members.includes(u.name)) : [];
  // Admins: the four method actions everywhere, and never detectManifestCollision (compileAccess refuses declaring it).
  if (u?.admin || groups.some((x) => x.admin)) return METHOD_ACTIONS.includes(action);
  return everyone || granted(u?.grants) || groups.some((x) => granted(x.grants));
}
