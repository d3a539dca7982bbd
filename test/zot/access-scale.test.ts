// Thousands of repository globs: compileAccess and the effective-access table answer as the plain path does.
// The fast path tries only the glob pairs that may overlap (glob.ts OverlapIndex) and searches a smaller product
// (glob.ts findName); the references here are the simple ones: doublestar matching of every key (zotDecide,
// longestPatterns), the intent itself (intentAllows), and the plain pairwise product search (findNameDense).
// Correctness only: how fast is `npm run bench`'s business.
import {
  AccessIntent,
  compileAccess,
  effectiveAccessTable,
  intentAllows,
  longestPatterns,
  readAccessControl,
  Who,
  ZOT_ACTIONS,
  ZotAction,
  zotCan,
} from '../../lib/zot/access';
import {
  analysisMatches,
  findName,
  findNameDense,
  goLength,
  isRepositoryName,
  mayOverlap,
  OverlapIndex,
  parseSafeGlob,
  quicklyMeet,
  quickName,
  SafeGlob,
} from '../../lib/zot/glob';
import { prng } from '../support/prng';

const VERSION = 'v2.1.18';
const pad = (i: number) => String(i).padStart(4, '0');
const safe = (p: string) => parseSafeGlob(p) as SafeGlob;

/** 3000 globs over 5 users: nested (team-N/** holds team-N/app-*), braces, and the universal '**'. */
function bigIntent(n: number): AccessIntent {
  const users = Array.from({ length: 5 }, (_, u) => ({
    name: `u${u}`,
    grants: [] as Array<{ repositories: string[]; actions: ZotAction[] }>,
  }));
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    const glob = kind === 0 ? `team-${pad(i)}/**` : kind === 1 ? `team-${pad(i - 1)}/app-*` : `org-${pad(i)}/{x,y}/*`;
    users[i % 5].grants.push({ repositories: [glob], actions: kind === 1 ? ['read', 'create'] : ['read'] });
  }
  return { users, anonymousRead: ['public/**'], authenticatedRead: ['**'] };
}

describe('3000 repository globs', () => {
  const N = 3000;
  const intent = bigIntent(N);
  const compiled = compileAccess(intent, VERSION);
  const model = readAccessControl(compiled, VERSION);
  const rand = prng(20);
  const names: string[] = [];
  for (let k = 0; k < 40; k++) {
    const i = Math.floor(rand() * N);
    names.push(
      [
        `team-${pad(i)}`,
        `team-${pad(i)}/app-x`,
        `team-${pad(i)}/lib`,
        `org-${pad(i)}/x/a`,
        `org-${pad(i)}/z/a`,
        'public/a',
        'elsewhere',
      ][k % 7],
    );
  }
  const subjects: Who[] = [...intent.users.map((u) => ({ user: u.name })), 'anonymous'];

  test('compileAccess: zot decides every sampled name as the intent says', () => {
    expect(Object.keys(compiled.repositories).length).toBe(N + 2);
    let allowed = 0;
    for (const name of names) {
      expect(isRepositoryName(name)).toBe(true);
      for (const who of subjects) {
        for (const action of ['read', 'create', 'update'] as ZotAction[]) {
          const got = zotCan(model, who, action, name, VERSION);
          expect([name, who, action, got]).toEqual([name, who, action, intentAllows(intent, who, action, name)]);
          if (got) allowed++;
        }
      }
    }
    expect(allowed).toBeGreaterThan(40);
  }, 60_000);

  test('the table: the row of the key zot uses says what zot decides', () => {
    const table = effectiveAccessTable(model, VERSION);
    const rowOf = new Map(table.rows.map((row) => [`${row.subject}|${row.pattern}`, row]));
    let cells = 0;
    for (const name of names) {
      const keys = longestPatterns(model, name);
      expect(keys.length).toBe(1);
      for (const who of subjects) {
        const label = who === 'anonymous' ? 'anonymous' : `user ${who.user}`;
        for (const action of ZOT_ACTIONS.filter((a) => a !== 'detectManifestCollision')) {
          const got = zotCan(model, who, action, name, VERSION);
          expect([label, keys[0], action, rowOf.get(`${label}|${keys[0]}`)?.[action as 'read'] ?? 'denied']).toEqual([
            label,
            keys[0],
            action,
            got ? 'allowed' : 'denied',
          ]);
          cells++;
        }
      }
    }
    expect(cells).toBe(names.length * subjects.length * 4);
    // Nothing here is ambiguous or unused.
    expect(table.notes.filter((x) => /never used|equally long/.test(x))).toEqual([]);
    expect(table.warnings.filter((x) => /AMBIGUOUS/.test(x))).toEqual([]);
  }, 60_000);
});

describe('3000 keys, each with its own user', () => {
  const N = 3000;
  const repositories: Record<string, unknown> = {};
  for (let i = 0; i < N; i++)
    repositories[`team-${pad(i)}/**`] = { policies: [{ users: [`u${i}`], actions: ['read', 'create'] }] };
  repositories['public/**'] = { anonymousPolicy: ['read'], defaultPolicy: ['read'] };
  const model = readAccessControl(
    { repositories, adminPolicy: { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] } },
    VERSION,
  );

  test("every user's rows, the admin's and anonymous' say what zot decides on sampled names", () => {
    const table = effectiveAccessTable(model, VERSION);
    const rowOf = new Map(table.rows.map((row) => [`${row.subject}|${row.pattern}`, row]));
    const rand = prng(9);
    let allowed = 0;
    for (let k = 0; k < 30; k++) {
      const i = Math.floor(rand() * N);
      for (const name of [`team-${pad(i)}/app`, 'public/a']) {
        const key = longestPatterns(model, name)[0];
        const whos: Who[] = [{ user: `u${i}` }, { user: `u${(i + 1) % N}` }, { user: 'admin' }, 'anonymous'];
        for (const who of whos) {
          const label = who === 'anonymous' ? 'anonymous' : `user ${who.user}`;
          for (const action of ['read', 'create', 'delete'] as ZotAction[]) {
            const got = zotCan(model, who, action, name, VERSION);
            if (got) allowed++;
            expect([label, key, action, rowOf.get(`${label}|${key}`)?.[action as 'read'] ?? 'denied']).toEqual([
              label,
              key,
              action,
              got ? 'allowed' : 'denied',
            ]);
          }
        }
      }
    }
    expect(allowed).toBeGreaterThan(100);
    // Each user has its own key and public/**; the admin every key; anonymous public/** only.
    expect(table.rows.filter((row) => row.subject === 'user u7').map((row) => row.pattern)).toEqual([
      'team-0007/**',
      'public/**',
    ]);
    expect(table.rows.filter((row) => row.subject === 'user admin')).toHaveLength(N + 2);
    expect(table.rows.filter((row) => row.subject === 'anonymous').map((row) => row.pattern)).toEqual(['public/**']);
  }, 60_000);
});

/** The old notes of effectiveAccessTable about keys, every pair tried with the plain product search. */
function referenceKeyNotes(keys: string[]): string[] {
  const globs = keys.map(safe);
  const meets = keys.map((_, i) => keys.map((__, j) => i !== j && findNameDense([globs[i], globs[j]]) !== undefined));
  const out: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const longer = globs.filter((_, j) => meets[i][j] && goLength(keys[j]) > goLength(keys[i]));
    if (findNameDense([globs[i]], longer) === undefined) out.push(`key '${keys[i]}' is never used`);
    for (let j = i + 1; j < keys.length; j++) {
      if (!meets[i][j] || goLength(keys[i]) !== goLength(keys[j])) continue;
      const both = findNameDense([globs[i], globs[j]], longer);
      if (both !== undefined)
        out.push(`keys '${keys[i]}' and '${keys[j]}' are equally long and both match e.g. '${both}'`);
    }
  }
  return out;
}

const PIECES = ['a', 'b', 'ab', 'x1', 'team', 'app', '*', '?', '[ab]', '{a,b}', 'a*', '*b', 'a?', 'x-*'];
function randomGlob(rand: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const segs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(PIECES));
  if (rand() < 0.25) segs.push('**');
  if (rand() < 0.1) segs.unshift('**');
  return segs.join('/');
}

describe('the fast analysis equals the plain one', () => {
  test('findName equals findNameDense, and mayOverlap is never false where they meet (random globs)', () => {
    const rand = prng(7);
    const pool = Array.from({ length: 80 }, () => randomGlob(rand)).filter((g) => !('problem' in parseSafeGlob(g)));
    let met = 0;
    for (let it = 0; it < 400; it++) {
      const pick = () => safe(pool[Math.floor(rand() * pool.length)]);
      const all = Array.from({ length: 1 + Math.floor(rand() * 2) }, pick);
      const none = Array.from({ length: Math.floor(rand() * 4) }, pick);
      const fast = findName(all, none);
      expect([all.map((g) => g.pattern), none.map((g) => g.pattern), fast]).toEqual([
        all.map((g) => g.pattern),
        none.map((g) => g.pattern),
        findNameDense(all, none),
      ]);
      if (all.length === 2 && findNameDense(all) !== undefined) {
        expect(mayOverlap(all[0], all[1])).toBe(true);
        met++;
      }
    }
    expect(met).toBeGreaterThan(20);
  });

  test('a quick witness is a name the automaton accepts; quicklyMeet only where the globs meet (random globs)', () => {
    const rand = prng(5);
    const pool = [...new Set(Array.from({ length: 150 }, () => randomGlob(rand)))]
      .filter((g) => !('problem' in parseSafeGlob(g)))
      .map(safe);
    let quick = 0;
    let met = 0;
    for (const g of pool) {
      const w = quickName(g);
      if (w === undefined) continue;
      quick++;
      expect([g.pattern, w, isRepositoryName(w), analysisMatches(g, w)]).toEqual([g.pattern, w, true, true]);
    }
    for (let i = 0; i < pool.length; i++) {
      for (let j = i + 1; j < pool.length; j += 3) {
        if (!quicklyMeet(pool[i], pool[j])) continue;
        met++;
        expect([pool[i].pattern, pool[j].pattern, findNameDense([pool[i], pool[j]]) !== undefined]).toEqual([
          pool[i].pattern,
          pool[j].pattern,
          true,
        ]);
      }
    }
    expect(quick).toBeGreaterThan(pool.length / 2);
    expect(met).toBeGreaterThan(20);
  });

  test('OverlapIndex.candidates holds every glob that meets (random globs)', () => {
    const rand = prng(11);
    const pool = [...new Set(Array.from({ length: 120 }, () => randomGlob(rand)))]
      .filter((g) => !('problem' in parseSafeGlob(g)))
      .map(safe);
    const index = new OverlapIndex(pool);
    for (let i = 0; i < pool.length; i++) {
      const c = new Set(index.candidates(i));
      for (let j = 0; j < pool.length; j++)
        if (j !== i && findName([pool[i], pool[j]]) !== undefined)
          expect([pool[i].pattern, pool[j].pattern, c.has(j)]).toEqual([pool[i].pattern, pool[j].pattern, true]);
    }
  });

  test("the table's notes about unused and equally long keys are the ones every pair gives (random configs)", () => {
    const rand = prng(3);
    let notes = 0;
    for (let it = 0; it < 6; it++) {
      const keys = [...new Set(Array.from({ length: 40 }, () => randomGlob(rand)))].filter(
        (g) => !('problem' in parseSafeGlob(g)),
      );
      const repositories = Object.fromEntries(
        keys.map((k, i) => [
          k,
          { policies: [{ users: [`u${i % 3}`], actions: i % 2 ? ['read'] : ['read', 'create'] }] },
        ]),
      );
      const table = effectiveAccessTable({ repositories }, VERSION);
      const got = [...table.notes, ...table.warnings]
        .map(
          (x) =>
            /^(key '.*' is never used|keys '.*' and '.*' are equally long and both match e\.g\. '[^']*')/.exec(x)?.[1],
        )
        .filter((x): x is string => x !== undefined)
        .sort();
      const want = referenceKeyNotes(keys).sort();
      expect(got).toEqual(want);
      notes += want.length;
    }
    expect(notes).toBeGreaterThan(5);
  }, 60_000);
});
