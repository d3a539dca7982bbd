// The effective permission table: for each subject and each repository key, what zot allows on the names it
// decides with that key, with the warnings and notes a reader of the config needs (zot's rules: access-decide.ts).

import {
  doublestarMatches,
  findName,
  goLength,
  OverlapIndex,
  parseSafeGlob,
  quicklyMeet,
  quickName,
  SafeGlob,
} from './glob';
import {
  DEFAULT_ZOT_VERSION,
  isModel,
  METHOD_ACTIONS,
  patch,
  readAccessControl,
  ZotAccessModel,
  ZotAction,
  zotVersion,
} from './access-model';
import {
  anonymousPolicyExists,
  containsOnlyAnonymousPolicy,
  DecideOptions,
  isAdmin,
  isPermitted,
  or3,
  Tri,
  userGroups,
  Verdict,
  verdictOf,
} from './access-decide';

export interface AccessRow {
  /** 'anonymous', 'user NAME', 'group NAME' (a member with no grants of its own) or 'any signed-in user'. */
  readonly subject: string;
  /** The repository key, '(no key matches)', or '(nothing)' for a subject denied everything. */
  readonly pattern: string;
  readonly read: Verdict;
  readonly create: Verdict;
  readonly update: Verdict;
  readonly delete: Verdict;
}
export interface AccessTable {
  readonly zotVersion: string;
  readonly rows: readonly AccessRow[];
  /** Loud: anonymous create/update/delete, no authentication, ambiguous keys. */
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
}

const NO_KEY = '(no key matches)';
const NO_GROUPS: readonly string[] = [];
/** The subject a signed-in user named in no policy stands for: only defaultPolicy applies to it (a name no user can have). */
const SIGNED_IN: Subject = { label: 'any signed-in user', username: '\u0000signed-in', groups: [] };
const NOTHING = '(nothing)';
const ANONYMOUS: Subject = { label: 'anonymous', username: '', groups: [] };

interface Subject {
  readonly label: string;
  readonly username: string;
  readonly groups: readonly string[];
}

function row(subject: string, pattern: string, f: (a: ZotAction) => Verdict): AccessRow {
  return { subject, pattern, read: f('read'), create: f('create'), update: f('update'), delete: f('delete') };
}

/**
 * The effective permissions: for each subject and each repository key, what zot allows on the
 * names it decides with that key (admin rights included). `accessControl` undefined: no authz.
 */
export function effectiveAccessTable(
  accessControl: unknown,
  version: string = DEFAULT_ZOT_VERSION,
  options: DecideOptions = {},
): AccessTable {
  const v = zotVersion(version);
  const authentication = options.authentication ?? true;
  if (accessControl === undefined || accessControl === null) return authorizationOff(v, authentication);
  const model = isModel(accessControl) ? accessControl : readAccessControl(accessControl, v);
  return new TableBuilder(model, v, authentication).build();
}

function authorizationOff(v: string, authentication: boolean): AccessTable {
  const warnings: string[] = [];
  if (!authentication)
    warnings.push('NO AUTHENTICATION: zot authenticates nobody, so every client is anonymous (authn.go)');
  warnings.push(
    'NO accessControl: authorization is off, every client that gets in may read, create, update and delete everything (routes.go)',
  );
  const rows = [row(authentication ? 'any signed-in user' : 'anonymous', '**', () => 'allowed')];
  if (!authentication)
    warnings.push('ANONYMOUS WRITE: anonymous clients may create, update, delete on every repository');
  return { zotVersion: v, rows, warnings, notes: [] };
}

/** The users and groups an accessControl names, in the order first named. */
function namedSubjects(model: ZotAccessModel): { users: string[]; groups: string[] } {
  const userSet = new Set<string>();
  const groupSet = new Set<string>();
  const addUser = (u: string) => {
    if (u !== '') userSet.add(u);
  };
  const addGroup = (x: string) => {
    groupSet.add(x);
  };
  for (const pg of model.repositories.values())
    for (const p of pg.policies) {
      p.users.forEach(addUser);
      p.groups.forEach(addGroup);
    }
  model.adminPolicy.users.forEach(addUser);
  model.adminPolicy.groups.forEach(addGroup);
  for (const [g, us] of model.groups) {
    us.forEach(addUser);
    addGroup(g);
  }
  return { users: [...userSet], groups: [...groupSet] };
}

/** Where each subject can get anything: the decided keys (by index) naming a user or a group, or with a default or anonymous policy. */
class KeyIndex {
  readonly byUser = new Map<string, number[]>();
  readonly byGroup = new Map<string, number[]>();
  readonly withDefault: number[] = [];
  readonly withAnonymous: number[] = [];
  constructor(model: ZotAccessModel, decidedKeys: ReadonlyArray<string | undefined>) {
    const push = (m: Map<string, number[]>, name: string, i: number) => {
      const l = m.get(name);
      if (l) l.push(i);
      else m.set(name, [i]);
    };
    decidedKeys.forEach((k, i) => {
      const pg = k === undefined ? undefined : model.repositories.get(k);
      if (!pg) return;
      for (const p of pg.policies) {
        p.users.forEach((u) => push(this.byUser, u, i));
        p.groups.forEach((g) => push(this.byGroup, g, i));
      }
      if (pg.defaultPolicy.length) this.withDefault.push(i);
      if (pg.anonymousPolicy.length) this.withAnonymous.push(i);
    });
  }
}

class TableBuilder {
  private readonly warnings: string[] = [];
  private readonly notes: string[] = [];
  private readonly rows: AccessRow[] = [];
  private readonly keys: string[];
  private readonly anonGate: boolean;
  /** isAdmin once per subject (the groups lists are the subjects' own, so they key the cache). */
  private readonly adminCache = new Map<readonly string[], Map<string, boolean>>();
  /** Every key in the analysable subset (glob.ts): which names each key decides is then exact. */
  private readonly analysed: SafeGlob[] | undefined;
  private readonly unsafe: string[];
  private readonly decidedKeys: Array<string | undefined>;
  private readonly subjects: Subject[];
  private readonly index: KeyIndex;
  private readonly allIndexes: number[];

  constructor(
    private readonly model: ZotAccessModel,
    private readonly v: string,
    private readonly authentication: boolean,
  ) {
    this.keys = [...model.repositories.keys()];
    this.anonGate = authentication && !anonymousPolicyExists(model);
    const safe = this.keys.map((k) => parseSafeGlob(k));
    const analysed: SafeGlob[] = [];
    for (const g of safe) if (!('problem' in g)) analysed.push(g);
    this.unsafe = this.keys.filter((_, i) => 'problem' in safe[i]);
    this.analysed = this.unsafe.length === 0 ? analysed : undefined;
    // The row for names no key matches: only when such a name exists (or cannot be ruled out).
    const someNameUnmatched = !this.analysed || findName([], this.analysed) !== undefined;
    this.decidedKeys = [
      ...this.keys.filter((k) => k !== ''),
      ...(model.repositories.has('') ? [''] : someNameUnmatched ? [undefined] : []),
    ];
    this.subjects = [];
    this.index = new KeyIndex(model, this.decidedKeys);
    this.allIndexes = this.decidedKeys.map((_, i) => i);
  }

  build(): AccessTable {
    if (!this.authentication)
      this.warnings.push('NO AUTHENTICATION: zot authenticates nobody, so every client is anonymous (authn.go)');
    const named = namedSubjects(this.model);
    this.startWarnings();
    this.subjects.push(...this.subjectsOf(named.users, named.groups));
    // Rows where every action is denied are left out; a subject with nothing at all gets one row.
    for (const s of this.subjects) {
      const mine = this.rowsOf(s);
      for (const r of mine.length ? mine : [row(s.label, NOTHING, () => 'denied')]) this.rows.push(r); // no spread: keys may be many
    }
    this.anonymousWriteWarnings();
    if (this.authentication && !this.anonGate) this.signedInLessWarnings();
    this.modelNotes();
    if (!this.analysed)
      this.notes.push(
        `not analysed (outside the supported glob subset): ${this.unsafe.map((k) => `'${k}'`).join(', ')}; rows show each key's rule, not which names reach it`,
      );
    else this.keyNotes(this.analysed);
    return { zotVersion: this.v, rows: this.rows, warnings: this.warnings, notes: this.notes };
  }

  private startWarnings(): void {
    const model = this.model;
    if (
      model.adminPolicy.users.includes('') ||
      [...model.repositories.values()].some((pg) => pg.policies.some((p) => p.users.includes('')))
    ) {
      this.warnings.push('a policy names the user "": zot applies it to anonymous clients');
    }
    // (v2.1.18+ also starts with nothing but metrics.anonymousPolicy: ContainsOnlyMetricsAnonymousPolicy.)
    const empty =
      model.repositories.size === 0 &&
      model.adminPolicy.users.length + model.adminPolicy.actions.length + model.adminPolicy.groups.length === 0;
    if (!this.authentication && !empty && !containsOnlyAnonymousPolicy(model)) {
      this.warnings.push(
        'zot would not start: accessControl has rules for users but no authentication is configured (pkg/cli/server/root.go validateAuthzPolicies)',
      );
    }
  }

  private subjectsOf(users: readonly string[], groups: readonly string[]): Subject[] {
    if (!this.authentication) return [ANONYMOUS];
    const model = this.model;
    return [
      ...users.map((u) => ({ label: `user ${u}`, username: u, groups: userGroups(model, u) })),
      ...groups.map((x) => ({ label: `group ${x}`, username: '\u0000member', groups: [x] })),
      // Shown when something is granted to everyone: what a signed-in user named in no policy gets next to what anonymous gets.
      ...([...model.repositories.values()].some((pg) => pg.defaultPolicy.length + pg.anonymousPolicy.length > 0)
        ? [SIGNED_IN]
        : []),
      ANONYMOUS,
    ];
  }

  private adminOf(username: string, groups: readonly string[]): boolean {
    let byUser = this.adminCache.get(groups);
    if (!byUser) {
      byUser = new Map();
      this.adminCache.set(groups, byUser);
    }
    let admin = byUser.get(username);
    if (admin === undefined) {
      admin = isAdmin(this.model, username, groups);
      byUser.set(username, admin);
    }
    return admin;
  }

  private cell(username: string, groups: readonly string[], key: string | undefined, a: ZotAction): Verdict {
    if (username === '' && this.anonGate) return 'denied';
    const policy = this.model.adminPolicy;
    const adminGrant: Tri =
      this.adminOf(username, groups) && policy.actions.includes(a)
        ? policy.conditional
          ? 'conditional'
          : true
        : false;
    const pg = key === undefined ? undefined : this.model.repositories.get(key);
    return verdictOf(or3(pg ? isPermitted(pg, username, groups, a) : false, adminGrant));
  }

  /**
   * Where a subject can get anything (a superset; cell decides): every key for an admin; else the keys whose
   * policies name the user or one of its groups, and those with a defaultPolicy (signed in) or an
   * anonymousPolicy (anonymous): isPermitted grants nothing elsewhere. Each subject visits its own keys only.
   */
  private keysOf(username: string, groups: readonly string[]): readonly number[] {
    if (username === '' && this.anonGate) return [];
    if (this.adminOf(username, groups) && this.model.adminPolicy.actions.length) return this.allIndexes;
    const { byUser, byGroup, withAnonymous, withDefault } = this.index;
    const set = new Set<number>([
      ...(byUser.get(username) ?? []),
      ...groups.flatMap((g) => byGroup.get(g) ?? []),
      ...(username === '' ? withAnonymous : withDefault),
    ]);
    return [...set].sort((a, b) => a - b);
  }

  private rowsOf(s: Subject): AccessRow[] {
    const mine: AccessRow[] = [];
    for (const i of this.keysOf(s.username, s.groups)) {
      const k = this.decidedKeys[i];
      const verdicts = METHOD_ACTIONS.map((a) => this.cell(s.username, s.groups, k, a));
      if (verdicts.some((x) => x !== 'denied'))
        mine.push(row(s.label, k === undefined ? NO_KEY : k, (a) => verdicts[METHOD_ACTIONS.indexOf(a)]));
    }
    return mine;
  }

  private anonymousWriteWarnings(): void {
    for (const r of this.rows) {
      if (r.subject !== 'anonymous') continue;
      const writes = (['create', 'update', 'delete'] as const).filter((a) => r[a] !== 'denied');
      if (writes.length)
        this.warnings.push(
          `ANONYMOUS WRITE: anonymous clients may ${writes.join(', ')} on '${r.pattern}'${r[writes[0]] === 'conditional' ? ' (when its conditions hold)' : ''}`,
        );
    }
  }

  /**
   * A signed-in client never gets anonymousPolicy (authz.go isPermitted: `username == ""`): where it
   * grants what a signed-in user lacks, sending credentials loses access, and docker sends them
   * whenever it has them. (Admins never get detectManifestCollision, a behaviour, not a right.)
   */
  private signedInLessWarnings(): void {
    const signedIn = [
      ...this.subjects.filter((s) => s.label.startsWith('user ') || s.label.startsWith('group ')),
      SIGNED_IN,
    ];
    // Only where anonymous clients get something can a signed-in user have less.
    const anonymousKeys = this.keysOf('', NO_GROUPS).filter((i) =>
      METHOD_ACTIONS.some((a) => this.cell('', NO_GROUPS, this.decidedKeys[i], a) !== 'denied'),
    );
    for (const s of signedIn) {
      for (const i of anonymousKeys) {
        const k = this.decidedKeys[i];
        const lost = METHOD_ACTIONS.filter(
          (a) => this.cell('', NO_GROUPS, k, a) !== 'denied' && this.cell(s.username, s.groups, k, a) === 'denied',
        );
        if (lost.length) {
          this.warnings.push(
            `SIGNED-IN LESS THAN ANONYMOUS: ${s === SIGNED_IN ? 'a signed-in user named in no policy' : s.label} may not ${lost.join(', ')} on '${k === undefined ? NO_KEY : k}', which anonymous clients may: ` +
              "docker sends credentials whenever it has them, so signing in loses that access (list the actions in the key's defaultPolicy too)",
          );
        }
      }
    }
  }

  private modelNotes(): void {
    const { model, v, notes } = this;
    if (this.anonGate)
      notes.push('no key has an anonymousPolicy: zot answers 401 to every request without credentials (authn.go)');
    if (model.adminPolicy.users.length || model.adminPolicy.groups.length) {
      notes.push(
        `admins (adminPolicy) get ${model.adminPolicy.actions.filter((a) => (METHOD_ACTIONS as readonly string[]).includes(a)).join(', ') || 'nothing'} wherever the key itself does not grant it, and never detectManifestCollision`,
      );
    }
    if (patch(v) === 14)
      notes.push(
        'zot v2.1.14 counts pushing over an existing tag "latest" as create, not update (authz.go DistSpecAuthzHandler)',
      );
    if (patch(v) >= 19)
      notes.push(
        `zot ${v} checks a digest push with ?tag= for create or update on each tag (authz.go manifestWriteAuthzChecks)`,
      );
  }

  /** Keys never used (a longer key matches all their names), and equally long keys sharing a name. */
  private keyNotes(globs: readonly SafeGlob[]): void {
    const keys = this.keys;
    const meets = meetings(globs);
    for (let i = 0; i < keys.length; i++) {
      const longer = meets[i].filter((j) => goLength(keys[j]) > goLength(keys[i])).map((j) => globs[j]);
      const witness = quickName(globs[i]);
      const used =
        (witness !== undefined && !longer.some((l) => doublestarMatches(l, witness))) ||
        findName([globs[i]], longer) !== undefined;
      if (!used) this.notes.push(`key '${keys[i]}' is never used: every name it matches has a longer matching key`);
      for (const j of meets[i]) {
        if (j <= i || goLength(keys[i]) !== goLength(keys[j])) continue;
        const both = findName([globs[i], globs[j]], longer);
        if (both !== undefined) this.equallyLong(keys[i], keys[j], both);
      }
    }
  }

  private equallyLong(a: string, b: string, both: string): void {
    const differ = this.subjects.some((s) =>
      METHOD_ACTIONS.some((x) => this.cell(s.username, s.groups, a, x) !== this.cell(s.username, s.groups, b, x)),
    );
    (differ ? this.warnings : this.notes).push(
      `keys '${a}' and '${b}' are equally long and both match e.g. '${both}': Go map order picks one` +
        (differ ? ' and their rules differ: AMBIGUOUS' : ' (their rules agree)'),
    );
  }
}

/** meets[i]: the keys j (ascending) sharing a name with key i; only candidates (glob.ts OverlapIndex) are tried. */
function meetings(globs: readonly SafeGlob[]): number[][] {
  const index = new OverlapIndex(globs);
  const meets: number[][] = globs.map(() => []);
  for (let i = 0; i < globs.length; i++) {
    // A quick witness (glob.ts quicklyMeet) proves most meetings without building automata.
    for (const j of index.candidates(i))
      if (j > i && (quicklyMeet(globs[i], globs[j]) || findName([globs[i], globs[j]]) !== undefined)) {
        meets[i].push(j);
        meets[j].push(i);
      }
  }
  for (const m of meets) m.sort((a, b) => a - b);
  return meets;
}

const MARK: Record<Verdict, string> = { allowed: 'yes', denied: '-', conditional: 'if' };

/** The table as plain text: warnings first and loud, then the rows, then notes. */
export function formatAccessTable(t: AccessTable): string {
  const head = ['subject', 'repositories', 'read', 'create', 'update', 'delete'];
  const body = t.rows.map((r) => [r.subject, r.pattern, MARK[r.read], MARK[r.create], MARK[r.update], MARK[r.delete]]);
  const widths = head.map((h, i) => body.reduce((w, b) => Math.max(w, b[i].length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  for (const w of t.warnings) out.push(`!! ${w}`);
  if (t.warnings.length) out.push('');
  out.push(
    `Effective access (zot ${t.zotVersion}; yes = allowed, - = denied, if = only when the policy's conditions hold;`,
  );
  out.push(
    'a row: what zot allows on the names it decides with that key; keys where a subject gets nothing are left out)',
  );
  out.push('');
  out.push(line(head));
  out.push(line(widths.map((w) => '-'.repeat(w))));
  for (const b of body) out.push(line(b));
  if (t.notes.length) out.push('');
  for (const n of t.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}
