// Access as people say it, through the release props: per-repository grants on one user,
// authenticatedRead for every signed-in user, and a signed-in user never below anonymous. Every
// claim is checked against the model of zot's own decision (lib/zot/access.ts zotCan) on the
// config.json the release writes; refusals name real prop paths.
import { Testing } from 'cdk8s';
import { ZotRelease, ZotReleaseProps, ZotUser } from '../../lib/constructs/zot-release';
import { ZotFluxError } from '../../lib/core/error';
import { effectiveAccessTable, formatAccessTable, ZotAction, zotCan } from '../../lib/zot/access';
import { matchRepository } from '../../lib/zot/glob';
import { TEST_CHART_VERSION } from '../support/tree';
import { prng } from '../support/prng';

const ADMIN: ZotUser = {
  name: 'admin',
  variable: 'COMMON_OCI',
  actions: ['read', 'create', 'update', 'delete'],
  admin: true,
};
const DEV: ZotUser = {
  name: 'dev',
  variable: 'ZOT_DEV',
  grants: [
    { actions: ['read', 'create', 'update'], repositories: ['team/**'] },
    { actions: ['read'], repositories: ['**'] },
  ],
};
const CI: ZotUser = { name: 'ci', variable: 'ZOT_CI', actions: ['read', 'create', 'update'], repositories: ['ci/**'] };

function release(props: ZotReleaseProps): ZotRelease {
  return new ZotRelease(Testing.chart(), 'HelmRelease', { chartVersion: TEST_CHART_VERSION, ...props });
}

/** zot's answer on the config.json the release puts in its HelmRelease values. */
function canOf(r: ZotRelease) {
  const config = JSON.parse((r.resource.toJson() as any).spec.values.configFiles['config.json']);
  return (who: string, action: ZotAction, repo: string) =>
    zotCan(config.http.accessControl, who === 'anonymous' ? 'anonymous' : { user: who }, action, repo, r.zotVersion);
}

function refusal(f: () => unknown): ZotFluxError {
  try {
    f();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e;
    throw e;
  }
  throw new Error('expected a ZotFluxError');
}

describe('one user, different rights per repository', () => {
  test('dev pushes to team/** and pulls everything; nothing else', () => {
    const r = release({ users: [ADMIN, DEV, CI] });
    const can = canOf(r);
    expect([
      can('dev', 'create', 'team/app'),
      can('dev', 'update', 'team/a/b'),
      can('dev', 'read', 'ci/x'),
      can('dev', 'read', 'other/x'),
    ]).toEqual([true, true, true, true]);
    expect([can('dev', 'create', 'ci/x'), can('dev', 'delete', 'team/app'), can('dev', 'create', 'teams/app')]).toEqual(
      [false, false, false],
    );
    expect([can('ci', 'create', 'ci/x'), can('ci', 'read', 'team/app')]).toEqual([true, false]);
    expect(r.secretFileKeys).toEqual(['htpasswd']);
    expect((r.resource.toJson() as any).spec.values.secretFiles.htpasswd).toBe('${COMMON_OCI}\n${ZOT_DEV}\n${ZOT_CI}');
  });

  test('the shorthand and a single grant compile to the same config', () => {
    const short = release({ users: [ADMIN, CI] }).accessControl;
    const long = release({
      users: [
        ADMIN,
        {
          name: 'ci',
          variable: 'ZOT_CI',
          grants: [{ actions: ['read', 'create', 'update'], repositories: ['ci/**'] }],
        },
      ],
    }).accessControl;
    expect(long).toEqual(short);
  });

  test('an admin needs no actions', () => {
    const r = release({ users: [{ name: 'root', variable: 'COMMON_OCI', admin: true }] });
    expect(r.accessControl.adminPolicy).toEqual({ users: ['root'], actions: ['read', 'create', 'update', 'delete'] });
  });
});

describe('authenticatedRead and anonymous access', () => {
  test('every signed-in user pulls what authenticatedRead lists; anonymous clients get nothing from it', () => {
    const r = release({ users: [ADMIN, CI], authenticatedRead: ['base/**'] });
    const can = canOf(r);
    expect([
      can('ci', 'read', 'base/alpine'),
      can('ci', 'create', 'base/alpine'),
      can('anonymous', 'read', 'base/alpine'),
    ]).toEqual([true, false, false]);
    expect(r.accessControl.repositories['base/**']).toEqual({ policies: [], defaultPolicy: ['read'] });
  });

  test('with anonymousRead public/**, ci (scoped to ci/**) still pulls public/x signed in', () => {
    const r = release({ users: [ADMIN, CI], anonymousRead: ['public/**'] });
    const can = canOf(r);
    expect([
      can('anonymous', 'read', 'public/x'),
      can('ci', 'read', 'public/x'),
      can('admin', 'read', 'public/x'),
    ]).toEqual([true, true, true]);
    expect([can('anonymous', 'read', 'ci/x'), can('ci', 'read', 'other/x')]).toEqual([false, false]);
    expect(r.accessControl.repositories['public/**']).toEqual({
      policies: [],
      defaultPolicy: ['read'],
      anonymousPolicy: ['read'],
    });
    const table = formatAccessTable(effectiveAccessTable(r.accessControl, r.zotVersion));
    expect(table).toMatch(/^user ci\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(table).toMatch(/^any signed-in user\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(table).toMatch(/^anonymous\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(table).not.toMatch(/LESS THAN ANONYMOUS/);
  });

  test('anonymous writes reach signed-in users too', () => {
    const r = release({
      users: [ADMIN, CI],
      anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }],
    });
    const can = canOf(r);
    expect([
      can('anonymous', 'create', 'tailnet/x'),
      can('ci', 'create', 'tailnet/x'),
      can('ci', 'delete', 'tailnet/x'),
    ]).toEqual([true, true, false]);
  });

  test('the seed (a sole admin) has no defaultPolicy: the config is as before', () => {
    expect(release({}).accessControl.repositories).toEqual({ '**': { policies: [], defaultPolicy: [] } });
  });
});

describe('refusals name the prop', () => {
  test.each<[string, ZotReleaseProps, string]>([
    [
      'grants next to actions',
      { users: [ADMIN, { ...DEV, actions: ['read'] }] },
      "users[1].grants: is given next to actions: give a user's rights one way",
    ],
    [
      'grants next to repositories',
      { users: [ADMIN, { ...DEV, repositories: ['x/**'] }] },
      'users[1].grants: is given next to repositories',
    ],
    [
      'grants on an admin',
      { users: [{ ...ADMIN, actions: undefined, grants: DEV.grants }] },
      "users[0].grants: is given for an admin: zot's adminPolicy already grants",
    ],
    ['empty grants', { users: [ADMIN, { ...DEV, grants: [] }] }, 'users[1].grants: [] is empty; give at least one'],
    [
      'a grant without repositories',
      { users: [ADMIN, { ...DEV, grants: [{ actions: ['read'] } as any] }] },
      'users[1].grants[0].repositories: is missing',
    ],
    [
      'a grant with an unknown key',
      { users: [ADMIN, { ...DEV, grants: [{ actions: ['read'], repositories: ['**'], repository: 'x' } as any] }] },
      'users[1].grants[0].repository: is not a prop here',
    ],
    [
      'a grant with an unknown action',
      { users: [ADMIN, { ...DEV, grants: [{ actions: ['push' as ZotAction], repositories: ['**'] }] }] },
      "users[1].grants[0].actions: 'push' is not a zot action",
    ],
    [
      'a user listed twice',
      { users: [ADMIN, CI, { ...CI, variable: 'ZOT_CI2' }] },
      "users[2].name: 'ci' is listed twice: one name is one htpasswd line; to give a user different rights on different repositories, list them in its grants",
    ],
    [
      'a user with neither actions nor grants',
      { users: [ADMIN, { name: 'x', variable: 'X' }] },
      'users[1].actions: is missing',
    ],
    [
      'authenticatedRead not a list',
      { authenticatedRead: 'x' as any },
      "authenticatedRead: 'x' is not a list of strings",
    ],
  ])('%s', (_what, props, message) => {
    expect(refusal(() => release(props)).message).toContain(message);
  });

  test.each<[string, ZotReleaseProps, string]>([
    [
      'a bad glob in a grant',
      { users: [ADMIN, { ...DEV, grants: [DEV.grants![0], { actions: ['read'], repositories: ['x', 'CI/**'] }] }] },
      'users[1].grants[1].repositories[1]',
    ],
    ['a bad glob in the shorthand', { users: [ADMIN, { ...CI, repositories: ['ci/[x'] }] }, 'users[1].repositories[0]'],
    ['a bad glob in authenticatedRead', { authenticatedRead: ['a/{b'] }, 'authenticatedRead[0]'],
    [
      "a grant cutting through another user's glob",
      {
        users: [
          ADMIN,
          DEV,
          { name: 'web', variable: 'ZOT_WEB', grants: [{ actions: ['create'], repositories: ['*/app'] }] },
        ],
      },
      'users[2].grants[0].repositories[0]',
    ],
  ])('the compiler names the prop path: %s', (_what, props, field) => {
    const e = refusal(() => release(props));
    expect(e.problems.map((p) => p.field)).toContain(field);
  });

  test('the shorthand is never called grants[0] (no such prop)', () => {
    const e = refusal(() => release({ users: [ADMIN, { ...CI, repositories: ['ci/[x'] }] }));
    expect(e.message).toMatch(/users\[1\]\.repositories\[0\]: 'ci\/\[x' is not a valid doublestar pattern/);
    expect(e.message).not.toContain('grants');
  });
});

// ---------------------------------------------------------------------------------------------
// Property, through the props: random users (shorthand, grants, admin), anonymousRead,
// anonymousWrite and authenticatedRead; a ZotRelease built from them; zot's decision on the
// config.json it writes equals what the props say, read here straight from the props.

describe('property: what the props say is what zot decides', () => {
  const SEED = Number(process.env.ACCESS_SEED ?? 4242);
  const ITERATIONS = Number(process.env.ACCESS_PROPS_ITERATIONS ?? 300);
  const GLOBS = ['**', 'a/**', 'b/**', 'a/b/**', 'a', 'a/b', 'c/**', '{a,b}/**', 'x-y/**', 'ab/**'];
  const NAMES = ['a', 'b', 'c', 'a/b', 'a/c', 'a/b/c', 'b/x', 'c/d/e', 'x-y/z', 'ab/c', 'z', 'ab'];
  const ACTIONS: ZotAction[] = ['read', 'create', 'update', 'delete'];

  test(`${ITERATIONS} random releases (seed ${SEED})`, () => {
    const rnd = prng(SEED);
    const int = (n: number) => Math.floor(rnd() * n);
    const pick = <T>(a: readonly T[]) => a[int(a.length)];
    const some = <T>(a: readonly T[], max: number) => [...new Set(Array.from({ length: 1 + int(max) }, () => pick(a)))];
    const matches = (globs: readonly string[], name: string) => globs.some((g) => matchRepository(g, name));
    let built = 0;
    let refused = 0;
    let checks = 0;
    let allowed = 0;
    for (let it = 0; it < ITERATIONS; it++) {
      const users: ZotUser[] = Array.from({ length: 1 + int(4) }, (_, i): ZotUser => {
        const kind = int(5);
        const base = { name: `u${i}`, variable: `ZOT_U${i}` };
        if (kind === 0) return { ...base, admin: true, ...(rnd() < 0.5 ? { actions: [...ACTIONS] } : {}) };
        if (kind <= 2)
          return { ...base, actions: some(ACTIONS, 3), ...(rnd() < 0.7 ? { repositories: some(GLOBS, 2) } : {}) };
        return {
          ...base,
          grants: Array.from({ length: 1 + int(3) }, () => ({
            actions: some(ACTIONS, 3),
            repositories: some(GLOBS, 2),
          })),
        };
      });
      const props: ZotReleaseProps = {
        users,
        ...(rnd() < 0.5 ? { anonymousRead: some(GLOBS, 2) } : {}),
        ...(rnd() < 0.5 ? { authenticatedRead: some(GLOBS, 2) } : {}),
        ...(rnd() < 0.15
          ? { anonymousWrite: [{ repositories: [pick(GLOBS)], actions: some(['create', 'update'] as ZotAction[], 2) }] }
          : {}),
      };
      let r: ZotRelease;
      try {
        r = release(props);
      } catch (e) {
        // Only zot's longest-match rule may make props inexpressible; the refusal names a prop path.
        if (!ZotFluxError.isZotFluxError(e) || !/covers only part|lies inside/.test(e.message))
          throw new Error(`seed ${SEED}, iteration ${it}: ${String(e)}\n${JSON.stringify(props)}`);
        for (const p of e.problems)
          expect(p.field).toMatch(
            /^(users\[\d+\]\.(grants\[\d+\]\.)?repositories|anonymousRead|anonymousWrite\[\d+\]\.repositories|authenticatedRead)\[\d+\]$/,
          );
        refused++;
        continue;
      }
      built++;
      const can = canOf(r);
      const anonymous = (a: ZotAction, name: string) =>
        (a === 'read' && matches(props.anonymousRead ?? [], name)) ||
        (props.anonymousWrite ?? []).some((w) => w.actions.includes(a) && matches(w.repositories, name));
      const said = (who: string, a: ZotAction, name: string): boolean => {
        if (who === 'anonymous') return anonymous(a, name);
        const u = users.find((x) => x.name === who)!;
        if (u.admin) return true;
        const grants = u.grants ?? [{ actions: u.actions!, repositories: u.repositories ?? ['**'] }];
        return (
          anonymous(a, name) ||
          (a === 'read' && matches(props.authenticatedRead ?? [], name)) ||
          grants.some((g) => g.actions.includes(a) && matches(g.repositories, name))
        );
      };
      for (const name of NAMES) {
        for (const who of [...users.map((u) => u.name), 'anonymous']) {
          for (const a of ACTIONS) {
            const got = can(who, a, name);
            if (got !== said(who, a, name))
              throw new Error(
                `seed ${SEED}, iteration ${it}: ${who} ${a} ${name}: zot ${got}, props ${!got}\n${JSON.stringify(props)}\n${JSON.stringify(r.accessControl)}`,
              );
            checks++;
            if (got) allowed++;
          }
        }
      }
    }
    process.stdout.write(
      `access props property: seed ${SEED}, ${ITERATIONS} releases: ${built} built, ${refused} refused as inexpressible; ${checks} decisions checked, ${allowed} allowed\n`,
    );
    expect(built).toBeGreaterThan(ITERATIONS / 2);
    expect(allowed).toBeGreaterThan(checks / 10);
    expect(checks - allowed).toBeGreaterThan(checks / 10);
  });
});
