import { ZotFluxError } from '../../lib/core/error';
import {
  AccessGrant,
  AccessIntent,
  compileAccess,
  effectiveAccessTable,
  formatAccessTable,
  intentAllows,
  longestPatterns,
  padGlob,
  readAccessControl,
  UndecidedAccess,
  Who,
  ZOT_ACTIONS,
  ZOT_VERSIONS,
  ZotAction,
  zotCan,
  zotDecide,
  zotVersion,
} from '../../lib/zot/access';
import { isRepositoryName, matchRepository } from '../../lib/zot/glob';
import { prng } from '../support/prng';

function refusal(f: () => unknown): ZotFluxError {
  try {
    f();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e;
    throw e;
  }
  throw new Error('expected a ZotFluxError');
}

const r = (repositories: string[], actions: ZotAction[]): AccessGrant => ({ repositories, actions });

// The users example of docs/access.md, as intent.
const README: AccessIntent = {
  users: [
    { name: 'admin', admin: true },
    { name: 'puller', grants: [r(['**'], ['read'])] },
    { name: 'ci', grants: [r(['ci/**'], ['read', 'create', 'update'])] },
  ],
  anonymousRead: ['public/**'],
};

describe('the README example', () => {
  // What lib/zot-release.ts accessByRepository writes today for the same props: one key per glob,
  // each user's policy only on its own globs.
  const naive = {
    repositories: {
      '**': {
        policies: [
          { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] },
          { users: ['puller'], actions: ['read'] },
        ],
        defaultPolicy: [],
      },
      'ci/**': { policies: [{ users: ['ci'], actions: ['read', 'create', 'update'] }], defaultPolicy: [] },
      'public/**': { policies: [], defaultPolicy: [], anonymousPolicy: ['read'] },
    },
    adminPolicy: { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] },
  };

  test("today's naive config: puller cannot pull ci/x or public/x (zot uses the longest key only)", () => {
    expect(zotCan(naive, { user: 'puller' }, 'read', 'ci/x')).toBe(false);
    expect(zotCan(naive, { user: 'puller' }, 'read', 'public/x')).toBe(false);
    expect(zotCan(naive, { user: 'puller' }, 'read', 'other/x')).toBe(true);
  });

  test('compiled: puller reads everything, ci writes ci/** and reads public/** (never less than anonymous), anonymous reads public/**, admin does all', () => {
    const ac = compileAccess(README);
    expect(zotCan(ac, { user: 'puller' }, 'read', 'ci/x')).toBe(true);
    expect(zotCan(ac, { user: 'puller' }, 'read', 'public/x')).toBe(true);
    expect(zotCan(ac, { user: 'puller' }, 'read', 'other/x')).toBe(true);
    expect(zotCan(ac, { user: 'puller' }, 'create', 'ci/x')).toBe(false);
    expect(zotCan(ac, { user: 'ci' }, 'update', 'ci/a/b')).toBe(true);
    expect(zotCan(ac, { user: 'ci' }, 'delete', 'ci/x')).toBe(false);
    // Docker sends ci's credentials whenever it has them: ci must not lose what anonymous has.
    expect(zotCan(ac, { user: 'ci' }, 'read', 'public/x')).toBe(true);
    expect(zotCan(ac, { user: 'ci' }, 'read', 'other/x')).toBe(false);
    expect(zotCan(ac, 'anonymous', 'read', 'public/x')).toBe(true);
    expect(zotCan(ac, 'anonymous', 'read', 'ci/x')).toBe(false);
    expect(zotCan(ac, 'anonymous', 'create', 'public/x')).toBe(false);
    for (const a of ['read', 'create', 'update', 'delete'] as const)
      expect(zotCan(ac, { user: 'admin' }, a, 'any/thing')).toBe(true);
    expect(zotCan(ac, { user: 'admin' }, 'detectManifestCollision', 'ci/x')).toBe(false);
    // zot's defaultPolicy: any signed-in user name (htpasswd lets in only its own users).
    expect(zotCan(ac, { user: 'stranger' }, 'read', 'public/x')).toBe(true);
    expect(zotCan(ac, { user: 'stranger' }, 'read', 'ci/x')).toBe(false);
  });

  test('the compiled accessControl, as written', () => {
    expect(compileAccess(README)).toEqual({
      repositories: {
        '**': { policies: [{ users: ['puller'], actions: ['read'] }], defaultPolicy: [] },
        'ci/**': {
          policies: [
            { users: ['puller'], actions: ['read'] },
            { users: ['ci'], actions: ['read', 'create', 'update'] },
          ],
          defaultPolicy: [],
        },
        'public/**': {
          policies: [{ users: ['puller'], actions: ['read'] }],
          defaultPolicy: ['read'],
          anonymousPolicy: ['read'],
        },
      },
      adminPolicy: { users: ['admin'], actions: ['read', 'create', 'update', 'delete'] },
    });
  });

  test('its table', () => {
    const text = formatAccessTable(effectiveAccessTable(compileAccess(README)));
    expect(text).toMatch(/^user puller\s+ci\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(text).toMatch(/^anonymous\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(text).toMatch(/^any signed-in user\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(text).toMatch(/^user ci\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(text).not.toMatch(/ANONYMOUS WRITE|LESS THAN ANONYMOUS/);
  });
});

describe('compileAccess refuses what cannot mean what it says', () => {
  test.each<[string, AccessIntent, RegExp]>([
    [
      'admin with a narrower grant',
      { users: [{ name: 'a', admin: true, grants: [r(['**'], ['read'])] }] },
      /users\[0\]\.grants: 'a' is admin.*contradictory/,
    ],
    ['a user with no access', { users: [{ name: 'a' }] }, /users\[0\]: 'a' has no access/],
    [
      'empty repositories',
      { users: [{ name: 'a', grants: [r([], ['read'])] }] },
      /users\[0\]\.grants\[0\]\.repositories: \[\] is empty/,
    ],
    [
      'empty actions',
      { users: [{ name: 'a', grants: [r(['**'], [])] }] },
      /users\[0\]\.grants\[0\]\.actions: \[\] is empty/,
    ],
    [
      'an unknown action',
      { users: [{ name: 'a', grants: [r(['**'], ['push' as ZotAction])] }] },
      /'push' is not a zot action/,
    ],
    [
      'the empty user (zot: anonymous)',
      { users: [{ name: '', grants: [r(['**'], ['read'])] }] },
      /users\[0\]\.name: '' is empty.*anonymous/,
    ],
    [
      'a user twice',
      {
        users: [
          { name: 'a', grants: [r(['**'], ['read'])] },
          { name: 'a', admin: true },
        ],
      },
      /users\[1\]\.name: 'a' is declared twice/,
    ],
    [
      'an uppercase glob',
      { users: [{ name: 'a', grants: [r(['CI/**'], ['read'])] }] },
      /repositories\[0\]: 'CI\/\*\*' has uppercase/,
    ],
    [
      'a glob no repository name matches',
      { users: [{ name: 'a', grants: [r(['ci-'], ['read'])] }] },
      /'ci-' matches no repository name zot accepts/,
    ],
    [
      'an invalid glob',
      { users: [{ name: 'a', grants: [r(['ci/[x'], ['read'])] }] },
      /'ci\/\[x' is not a valid doublestar pattern/,
    ],
    [
      'an uppercase group',
      { users: [{ name: 'a' }], groups: [{ name: 'Devs', members: ['a'], grants: [r(['**'], ['read'])] }] },
      /groups\[0\]\.name: 'Devs' has uppercase/,
    ],
    [
      'a member nobody declared',
      { users: [{ name: 'a', admin: true }], groups: [{ name: 'g', members: ['b'], grants: [r(['**'], ['read'])] }] },
      /groups\[0\]\.members\[0\]: 'b' is not a declared user/,
    ],
    [
      'an admin given detectManifestCollision by a group',
      {
        users: [{ name: 'a', admin: true }],
        groups: [{ name: 'g', members: ['a'], grants: [r(['**'], ['detectManifestCollision'])] }],
      },
      /never gives admins detectManifestCollision/,
    ],
    [
      'equally long globs that overlap',
      {
        users: [
          { name: 'a', grants: [r(['a/*'], ['read'])] },
          { name: 'b', grants: [r(['*/b'], ['create'])] },
        ],
      },
      /'\*\/b' covers only part .*'a\/\*'.*'a\/b' is matched by both.*equally long \(3 bytes\).*Go map order/,
    ],
    [
      'a shorter glob cutting through a longer one',
      {
        users: [
          { name: 'a', grants: [r(['team/**'], ['read'])] },
          { name: 'b', grants: [r(['*/app'], ['create'])] },
        ],
      },
      /'\*\/app' covers only part of the names zot decides with the key 'team\/\*\*'.*'team\/app' is matched by both.*e\.g\. 'team\/app'/,
    ],
  ])('%s', (_, intent, message) => {
    expect(refusal(() => compileAccess(intent)).message).toMatch(message);
  });

  test('the refusal is lifted by the longer key it suggests', () => {
    const intent: AccessIntent = {
      users: [
        { name: 'a', grants: [r(['team/**'], ['read']), r(['team/app'], ['read'])] },
        { name: 'b', grants: [r(['*/app'], ['create'])] },
      ],
    };
    const ac = compileAccess(intent);
    expect(zotCan(ac, { user: 'a' }, 'read', 'team/app')).toBe(true);
    expect(zotCan(ac, { user: 'b' }, 'create', 'team/app')).toBe(true);
    expect(zotCan(ac, { user: 'b' }, 'create', 'team/x')).toBe(false);
    expect(zotCan(ac, { user: 'b' }, 'create', 'web/app')).toBe(true);
  });

  test('a narrower glob that is not longer gets a longer key matching the same names', () => {
    // 'a/b' (3 bytes) lies inside 'a/**' (4): zot would decide a/b with 'a/**'. [a] matches 'a' only
    // (Go doublestar v4.9.1: Match("[a]/b", "a/b") true, Match("[a]/b", "b/b") false).
    const ac = compileAccess({
      users: [
        { name: 'u', grants: [r(['a/**'], ['read'])] },
        { name: 'v', grants: [r(['a/b'], ['create'])] },
      ],
    });
    expect(Object.keys(ac.repositories)).toEqual(['a/**', '[a]/b']);
    expect(zotCan(ac, { user: 'v' }, 'create', 'a/b')).toBe(true);
    expect(zotCan(ac, { user: 'u' }, 'read', 'a/b')).toBe(true);
    expect(zotCan(ac, { user: 'v' }, 'create', 'a/c')).toBe(false);
    // '*' has no plain character: a whole '*' segment becomes '*?*' (Go: Match("*?*", "x") true, "x/y" false)
    const star = compileAccess({ users: [{ name: 'w', grants: [r(['*'], ['update']), r(['**'], ['read'])] }] });
    expect(Object.keys(star.repositories)).toEqual(['*?*', '**']);
    expect(zotCan(star, { user: 'w' }, 'update', 'x')).toBe(true);
    expect(zotCan(star, { user: 'w' }, 'update', 'x/y')).toBe(false);
    expect(padGlob('{a,b}/**', 3)).toBeUndefined();
    expect(padGlob('x/y', 1)).toBe('[x]/y');
    expect(padGlob('x/y', 3)).toBe('[xx]/y');
  });

  test('globs that match the same names share one key', () => {
    const ac = compileAccess({
      users: [
        { name: 'u', grants: [r(['{a,b}/**'], ['read'])] },
        { name: 'v', grants: [r(['[ab]/**'], ['create'])] },
      ],
    });
    expect(ac.repositories).toEqual({
      '{a,b}/**': {
        policies: [
          { users: ['u'], actions: ['read'] },
          { users: ['v'], actions: ['create'] },
        ],
        defaultPolicy: [],
      },
    });
  });

  test('anonymous write only through anonymousWrite, and the table shouts it', () => {
    const ac = compileAccess({
      users: [{ name: 'a', admin: true }],
      anonymousWrite: [r(['scratch/**'], ['read', 'create'])],
    });
    expect(zotCan(ac, 'anonymous', 'create', 'scratch/x')).toBe(true);
    expect(zotCan(ac, 'anonymous', 'delete', 'scratch/x')).toBe(false);
    const t = effectiveAccessTable(ac);
    expect(t.warnings).toContain("ANONYMOUS WRITE: anonymous clients may create on 'scratch/**'");
    expect(formatAccessTable(t)).toMatch(/^!! ANONYMOUS WRITE/m);
  });

  test("groups: members get the group's grants, admin groups go to adminPolicy.groups", () => {
    const ac = compileAccess({
      users: [{ name: 'ann' }, { name: 'bob' }, { name: 'cy', grants: [r(['cy/**'], ['read'])] }],
      groups: [
        { name: 'devs', members: ['ann'], grants: [r(['dev/**'], ['read', 'create'])] },
        { name: 'ops', members: ['bob'], admin: true },
      ],
    });
    expect(ac.groups).toEqual({ devs: { users: ['ann'] }, ops: { users: ['bob'] } });
    expect(ac.adminPolicy).toEqual({ groups: ['ops'], actions: ['read', 'create', 'update', 'delete'] });
    expect(zotCan(ac, { user: 'ann' }, 'create', 'dev/x')).toBe(true);
    expect(zotCan(ac, { user: 'ann' }, 'create', 'cy/x')).toBe(false);
    expect(zotCan(ac, { user: 'bob' }, 'delete', 'cy/x')).toBe(true);
    expect(zotCan(ac, { user: 'cy' }, 'read', 'dev/x')).toBe(false);
  });
});

describe('signed-in users: rights per repository, authenticatedRead, never less than anonymous', () => {
  test('one user who pushes to team/** and pulls everything', () => {
    const ac = compileAccess({
      users: [
        { name: 'dev', grants: [r(['team/**'], ['read', 'create', 'update']), r(['**'], ['read'])] },
        { name: 'admin', admin: true },
      ],
    });
    expect(ac.repositories).toEqual({
      'team/**': { policies: [{ users: ['dev'], actions: ['read', 'create', 'update'] }], defaultPolicy: [] },
      '**': { policies: [{ users: ['dev'], actions: ['read'] }], defaultPolicy: [] },
    });
    const can = (a: ZotAction, repo: string) => zotCan(ac, { user: 'dev' }, a, repo);
    expect([
      can('create', 'team/app'),
      can('update', 'team/a/b'),
      can('read', 'team/app'),
      can('delete', 'team/app'),
    ]).toEqual([true, true, true, false]);
    expect([can('read', 'other/app'), can('create', 'other/app'), can('create', 'teams/app')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  test("authenticatedRead is zot's defaultPolicy: every signed-in user, never anonymous", () => {
    const ac = compileAccess({
      users: [{ name: 'ci', grants: [r(['ci/**'], ['read', 'create'])] }],
      authenticatedRead: ['**'],
    });
    expect(ac.repositories).toEqual({
      'ci/**': { policies: [{ users: ['ci'], actions: ['read', 'create'] }], defaultPolicy: ['read'] },
      '**': { policies: [], defaultPolicy: ['read'] },
    });
    expect(zotCan(ac, { user: 'ci' }, 'read', 'lib/x')).toBe(true);
    expect(zotCan(ac, { user: 'ci' }, 'create', 'lib/x')).toBe(false);
    expect(zotCan(ac, { user: 'somebody' }, 'read', 'ci/x')).toBe(true);
    expect(zotCan(ac, { user: 'somebody' }, 'create', 'ci/x')).toBe(false);
    expect(zotDecide(ac, 'anonymous', 'read', 'lib/x')).toMatchObject({
      verdict: 'denied',
      reason: expect.stringMatching(/401/),
    });
    const t = formatAccessTable(effectiveAccessTable(ac));
    expect(t).toMatch(/^any signed-in user\s+\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(t).toMatch(/^anonymous\s+\(nothing\)/m);
  });

  test('anonymous grants are in defaultPolicy too: a client that sends credentials keeps them', () => {
    const ac = compileAccess({
      users: [
        { name: 'ci', grants: [r(['ci/**'], ['read', 'create'])] },
        { name: 'root', admin: true },
      ],
      anonymousRead: ['public/**'],
      anonymousWrite: [r(['scratch/**'], ['create', 'update'])],
    });
    expect(ac.repositories['public/**']).toEqual({ policies: [], defaultPolicy: ['read'], anonymousPolicy: ['read'] });
    expect(ac.repositories['scratch/**']).toEqual({
      policies: [],
      defaultPolicy: ['create', 'update'],
      anonymousPolicy: ['create', 'update'],
    });
    for (const who of [{ user: 'ci' }, { user: 'root' }, { user: 'other' }, 'anonymous' as const]) {
      expect([
        zotCan(ac, who, 'read', 'public/x'),
        zotCan(ac, who, 'create', 'scratch/x'),
        zotCan(ac, who, 'update', 'scratch/x'),
      ]).toEqual([true, true, true]);
    }
    expect(zotCan(ac, { user: 'ci' }, 'delete', 'scratch/x')).toBe(false);
  });

  test('a user with no grant of its own is accepted when every signed-in user gets something', () => {
    const ac = compileAccess({ users: [{ name: 'viewer' }], authenticatedRead: ['**'] });
    expect(zotCan(ac, { user: 'viewer' }, 'read', 'x')).toBe(true);
    expect(refusal(() => compileAccess({ users: [{ name: 'viewer' }] })).message).toMatch(
      /users\[0\]: 'viewer' has no access/,
    );
  });

  test("refusals name where the grant was declared (field), not the intent's own path", () => {
    const shorthand = refusal(() =>
      compileAccess({
        users: [
          { name: 'a', field: 'users[2]', grants: [{ repositories: ['CI/**'], actions: ['read'], field: 'users[2]' }] },
        ],
      }),
    );
    expect(shorthand.field).toBe('users[2].repositories[0]');
    const grants = refusal(() =>
      compileAccess({
        users: [
          {
            name: 'a',
            grants: [r(['**'], ['read']), { repositories: [], actions: ['read'], field: 'users[2].grants[1]' }],
          },
        ],
      }),
    );
    expect(grants.field).toBe('users[2].grants[1].repositories');
    expect(
      refusal(() => compileAccess({ users: [{ name: 'a', admin: true }], authenticatedRead: ['x/[y'] })).field,
    ).toBe('authenticatedRead[0]');
    const overlap = refusal(() =>
      compileAccess({ users: [{ name: 'a', grants: [r(['a/*'], ['read'])] }], authenticatedRead: ['*/b'] }),
    );
    expect(overlap.message).toMatch(/authenticatedRead\[0\]: '\*\/b' covers only part/);
  });

  test('a hand-written config where anonymous has more than a signed-in user is shouted', () => {
    // zot v2.1.20 pkg/api/authz.go isPermitted: anonymousPolicy only for username "".
    const ac = {
      repositories: {
        'public/**': { anonymousPolicy: ['read'] },
        '**': { policies: [{ users: ['ci'], actions: ['read'] }] },
      },
    };
    expect(zotCan(ac, { user: 'ci' }, 'read', 'public/x')).toBe(false);
    const t = effectiveAccessTable(ac);
    expect(t.warnings).toContain(
      "SIGNED-IN LESS THAN ANONYMOUS: user ci may not read on 'public/**', which anonymous clients may: docker sends credentials whenever it has them, so signing in loses that access (list the actions in the key's defaultPolicy too)",
    );
    expect(t.warnings.join('\n')).toMatch(/a signed-in user named in no policy may not read on 'public\/\*\*'/);
    expect(formatAccessTable(t)).toMatch(/^any signed-in user\s+\(nothing\)/m);
    const fixed = {
      repositories: {
        'public/**': { anonymousPolicy: ['read'], defaultPolicy: ['read'] },
        '**': { policies: [{ users: ['ci'], actions: ['read'] }] },
      },
    };
    expect(effectiveAccessTable(fixed).warnings).toEqual([]);
  });
});

describe("zotCan follows zot's authz.go", () => {
  test("only the longest matching key counts: a shorter key's grant does not reach into a longer one", () => {
    const ac = {
      repositories: { '**': { policies: [{ users: ['u'], actions: ['read'] }] }, 'a/**': { policies: [] } },
    };
    expect(zotCan(ac, { user: 'u' }, 'read', 'b/x')).toBe(true);
    expect(zotCan(ac, { user: 'u' }, 'read', 'a/x')).toBe(false);
    expect(zotDecide(ac, { user: 'u' }, 'read', 'a/x').patterns).toEqual(['a/**']);
  });

  test('equally long keys that disagree: ambiguous (Go map order); that agree: decided', () => {
    const ac = {
      repositories: { 'a/*': { policies: [{ users: ['u'], actions: ['read'] }] }, '*/b': { policies: [] } },
    };
    const d = zotDecide(ac, { user: 'u' }, 'read', 'a/b');
    expect(d.verdict).toBe('ambiguous');
    expect(d.patterns).toEqual(['a/*', '*/b']);
    expect(() => zotCan(ac, { user: 'u' }, 'read', 'a/b')).toThrow(UndecidedAccess);
    expect(zotCan(ac, { user: 'u' }, 'read', 'a/c')).toBe(true);
    const agree = {
      repositories: {
        'a/*': { policies: [{ users: ['u'], actions: ['read'] }] },
        '*/b': { policies: [{ users: ['u'], actions: ['read'] }] },
      },
    };
    expect(zotDecide(agree, { user: 'u' }, 'read', 'a/b')).toMatchObject({
      verdict: 'allowed',
      patterns: ['a/*', '*/b'],
    });
  });

  test('no matching key: the key "" applies (repositories[""] lookup), else only admins', () => {
    const ac = { repositories: { '': { policies: [{ users: ['u'], actions: ['read'] }] }, 'a/**': { policies: [] } } };
    expect(zotCan(ac, { user: 'u' }, 'read', 'z')).toBe(true);
    expect(zotCan(ac, { user: 'u' }, 'read', 'a/z')).toBe(false);
  });

  test('adminPolicy applies only its own actions', () => {
    const ac = {
      repositories: { '**': { policies: [] } },
      adminPolicy: { users: ['boss'], actions: ['read', 'delete'] },
    };
    expect(zotCan(ac, { user: 'boss' }, 'delete', 'x')).toBe(true);
    expect(zotCan(ac, { user: 'boss' }, 'create', 'x')).toBe(false);
  });

  test('anonymous: 401 unless some key has an anonymousPolicy; a policy naming "" applies to anonymous', () => {
    const closed = { repositories: { '**': { policies: [{ users: [''], actions: ['read'] }] } } };
    expect(zotDecide(closed, 'anonymous', 'read', 'x')).toMatchObject({
      verdict: 'denied',
      reason: expect.stringMatching(/401/),
    });
    const open = {
      repositories: {
        '**': { policies: [{ users: [''], actions: ['create'] }] },
        'p/**': { anonymousPolicy: ['read'] },
      },
    };
    expect(zotCan(open, 'anonymous', 'create', 'x')).toBe(true);
    expect(effectiveAccessTable(open).warnings.join('\n')).toMatch(/user "": zot applies it to anonymous/);
  });

  test('defaultPolicy: any signed-in user, never anonymous', () => {
    const ac = {
      repositories: { '**': { defaultPolicy: ['read'], anonymousPolicy: [] }, 'p/**': { anonymousPolicy: ['read'] } },
    };
    expect(zotCan(ac, { user: 'anyone' }, 'read', 'x')).toBe(true);
    expect(zotCan(ac, 'anonymous', 'read', 'x')).toBe(false);
  });

  test('groups: from accessControl.groups by default, or as given', () => {
    const ac = {
      repositories: { '**': { policies: [{ groups: ['g'], actions: ['read'] }] } },
      groups: { g: { users: ['m'] } },
    };
    expect(zotCan(ac, { user: 'm' }, 'read', 'x')).toBe(true);
    expect(zotCan(ac, { user: 'n' }, 'read', 'x')).toBe(false);
    expect(zotCan(ac, { user: 'n', groups: ['g'] }, 'read', 'x')).toBe(true);
  });

  test('keys are read as viper reads them: lowercased, collisions refused', () => {
    const ac = { Repositories: { 'CI/**': { Policies: [{ Users: ['u'], Actions: ['read'] }] } } };
    expect(zotCan(ac, { user: 'u' }, 'read', 'ci/x')).toBe(true);
    expect(refusal(() => readAccessControl({ repositories: { 'A/**': {}, 'a/**': {} } })).message).toMatch(
      /one key once viper lowercases it/,
    );
  });

  test('conditions: unknown to zot before v2.1.17, "conditional" from then on', () => {
    const ac = {
      repositories: {
        '**': { policies: [{ users: ['u'], actions: ['read'], conditions: [{ expression: 'req.tls.enabled' }] }] },
      },
    };
    expect(refusal(() => zotCan(ac, { user: 'u' }, 'read', 'x', 'v2.1.16')).message).toMatch(
      /conditions: is not a key zot v2\.1\.16 knows/,
    );
    expect(zotDecide(ac, { user: 'u' }, 'read', 'x', 'v2.1.17').verdict).toBe('conditional');
    expect(() => zotCan(ac, { user: 'u' }, 'read', 'x', 'v2.1.18')).toThrow(/depends on policy conditions/);
    const typo = {
      repositories: { '**': { policies: [{ users: ['u'], actions: ['read'], conditions: [{ expr: 'true' }] }] } },
    };
    expect(refusal(() => zotCan(typo, { user: 'u' }, 'read', 'x', 'v2.1.18')).message).toMatch(
      /conditions\[0\]\.expr: is not a key/,
    );
  });

  test('a key doublestar refuses is refused (zot would not start), though Match alone might accept it', () => {
    expect(
      refusal(() =>
        zotCan(
          { repositories: { '*}': { policies: [{ users: ['u'], actions: ['read'] }] } } },
          { user: 'u' },
          'read',
          'a',
        ),
      ).message,
    ).toMatch(/repositories\["\*\}"\]: '\*\}' is not a valid doublestar pattern: zot refuses to start/);
  });

  test('unknown keys are refused (zot would not start)', () => {
    expect(
      refusal(() => zotCan({ repositories: { '**': { polices: [] } } }, { user: 'u' }, 'read', 'x')).message,
    ).toMatch(/polices: is not a key zot v2\.1\.18 knows/);
  });

  test('no accessControl: authz off; no authentication: everyone is anonymous', () => {
    expect(zotCan(undefined, { user: 'u' }, 'delete', 'x')).toBe(true);
    expect(zotCan(undefined, 'anonymous', 'read', 'x')).toBe(false);
    expect(zotCan(undefined, 'anonymous', 'delete', 'x', 'v2.1.18', { authentication: false })).toBe(true);
    const t = effectiveAccessTable(undefined, 'v2.1.18', { authentication: false });
    expect(t.warnings.join('\n')).toMatch(/NO AUTHENTICATION[\s\S]*ANONYMOUS WRITE/);
    const ac = {
      repositories: { '**': { policies: [{ users: ['u'], actions: ['read'] }], anonymousPolicy: ['read'] } },
    };
    expect(zotCan(ac, { user: 'u' }, 'read', 'x', 'v2.1.18', { authentication: false })).toBe(true);
    expect(zotCan(ac, { user: 'u' }, 'create', 'x', 'v2.1.18', { authentication: false })).toBe(false);
    expect(effectiveAccessTable(ac, 'v2.1.18', { authentication: false }).warnings.join('\n')).toMatch(
      /zot would not start: accessControl has rules for users but no authentication/,
    );
    const anonymousOnly = { repositories: { '**': { anonymousPolicy: ['read'] } } };
    expect(effectiveAccessTable(anonymousOnly, 'v2.1.18', { authentication: false }).warnings.join('\n')).not.toMatch(
      /would not start/,
    );
  });

  test('detectManifestCollision: admins never, others by the longest key', () => {
    const ac = {
      repositories: { '**': { policies: [{ users: ['u', 'boss'], actions: ['detectManifestCollision'] }] } },
      adminPolicy: { users: ['boss'], actions: ['read'] },
    };
    expect(zotCan(ac, { user: 'u' }, 'detectManifestCollision', 'x')).toBe(true);
    expect(zotCan(ac, { user: 'boss' }, 'detectManifestCollision', 'x')).toBe(false);
  });

  test('versions: every one read is known; a newer one is decided with the newest read, an older one with the oldest; not a version: refused', () => {
    expect(ZOT_VERSIONS).toEqual(['v2.1.14', 'v2.1.15', 'v2.1.16', 'v2.1.17', 'v2.1.18', 'v2.1.19', 'v2.1.20']);
    expect(zotVersion('2.1.14')).toBe('v2.1.14');
    expect(zotVersion('v2.2.0')).toBe('v2.1.20');
    expect(zotVersion('v2.1.21')).toBe('v2.1.20');
    expect(zotVersion('v2.1.10')).toBe('v2.1.14');
    expect(refusal(() => zotVersion('latest')).message).toMatch(/'latest' is not a zot version/);
  });

  test('the table notes equally long keys, and shouts when they disagree', () => {
    const t = effectiveAccessTable({
      repositories: { 'a/*': { policies: [{ users: ['u'], actions: ['read'] }] }, '*/b': { policies: [] } },
    });
    expect(t.warnings.join('\n')).toMatch(
      /'a\/\*' and '\*\/b' are equally long and both match e\.g\. 'a\/b'.*AMBIGUOUS/,
    );
    const shadowed = effectiveAccessTable({ repositories: { 'a/**': { policies: [] }, '{a}/**': { policies: [] } } });
    expect(shadowed.notes.join('\n')).toMatch(/key 'a\/\*\*' is never used/);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random intents × random repository names; compiled, then decided by the model of zot.

// Globs that nest or keep apart (most intents), and globs that cut across each other (some intents:
// those mostly end in a refusal, which is checked to be the overlap refusal).
const NESTED = [
  '**',
  '**',
  'a/**',
  'b/**',
  'a/b/**',
  'a',
  'a/b',
  'a/b/c',
  '{a,b}/**',
  'c/**',
  'x-y/**',
  'a.b/**',
  '[ab]/**',
  'a-*/**',
  'ab/**',
  'b',
];
const CROSSING = ['a/*', 'b/*', '*/x', '**/x', 'a*', '*', 'a/?', 'c/**/x', '{c,d}/*', 'a/**/b', 'x-*'];
const SEGMENTS = ['a', 'b', 'c', 'd', 'x', 'ab', 'a-b', 'x-y', 'a.b', 'a-x'];

describe('property: effective access equals the intent', () => {
  const SEED = Number(process.env.ACCESS_SEED ?? 12345);
  const ITERATIONS = Number(process.env.ACCESS_ITERATIONS ?? 2000);

  test(`${ITERATIONS} random intents × random names (seed ${SEED}; replay with ACCESS_SEED)`, () => {
    const rnd = prng(SEED);
    const int = (n: number) => Math.floor(rnd() * n);
    const pick = <T>(a: readonly T[]) => a[int(a.length)];
    const some = <T>(a: readonly T[], max: number) => [...new Set(Array.from({ length: 1 + int(max) }, () => pick(a)))];
    let compiled = 0;
    let refused = 0;
    let checks = 0;
    let allowed = 0;
    let tableChecks = 0;
    let strangerAllowed = 0;
    for (let it = 0; it < ITERATIONS; it++) {
      const version = pick(ZOT_VERSIONS);
      const GLOBS = rnd() < 0.75 ? NESTED : [...NESTED, ...CROSSING];
      const nUsers = 1 + int(4);
      const users = Array.from({ length: nUsers }, (_, i) => {
        const admin = rnd() < 0.15;
        const grants = admin ? [] : Array.from({ length: int(3) }, () => r(some(GLOBS, 2), some(ZOT_ACTIONS, 3)));
        return { name: `u${i}`, admin, grants };
      });
      const groups =
        rnd() < 0.3
          ? [
              {
                name: 'g',
                members: some(
                  users.map((u) => u.name),
                  2,
                ),
                grants: [r(some(GLOBS, 2), some(['read', 'create', 'update', 'delete'] as ZotAction[], 2))],
              },
            ]
          : [];
      const intent: AccessIntent = {
        users: users.map((u) =>
          !u.admin && u.grants.length === 0 && !groups.some((g) => g.members.includes(u.name))
            ? { ...u, grants: [r([pick(GLOBS)], ['read'])] }
            : u,
        ),
        groups,
        anonymousRead: rnd() < 0.5 ? some(GLOBS, 2) : [],
        ...(rnd() < 0.1 ? { anonymousWrite: [r([pick(GLOBS)], ['create'])] } : {}),
        ...(rnd() < 0.35 ? { authenticatedRead: some(GLOBS, 2) } : {}),
      };
      let ac;
      try {
        ac = compileAccess(intent, version);
      } catch (e) {
        if (!ZotFluxError.isZotFluxError(e)) throw new Error(`seed ${SEED}, iteration ${it}: ${String(e)}`);
        // Only overlap refusals are expected from these intents, and their example names must be true.
        if (!/covers only part/.test(e.message))
          throw new Error(`seed ${SEED}, iteration ${it}: unexpected refusal: ${e.message}\n${JSON.stringify(intent)}`);
        for (const p of e.problems) {
          const m =
            /^(?:\(key '.+?'\) )?covers only part of the names zot decides with the key '(.+?)'(?: \(key '.+?'\))? \(.*?\): '(.+?)' is matched by both, '(.+?)' by/.exec(
              p.reason,
            );
          const h = p.value as string;
          if (
            !m ||
            !matchRepository(h, m[2]) ||
            !matchRepository(m[1], m[2]) ||
            !matchRepository(m[1], m[3]) ||
            matchRepository(h, m[3])
          ) {
            throw new Error(`seed ${SEED}, iteration ${it}: the refusal's examples are wrong: ${p.reason}`);
          }
        }
        refused++;
        continue;
      }
      compiled++;
      const model = readAccessControl(ac, version);
      const names = new Set<string>();
      while (names.size < 12) {
        const n = Array.from({ length: 1 + int(3) }, () => pick(SEGMENTS)).join('/');
        if (isRepositoryName(n)) names.add(n);
      }
      // and a name inside every glob of the intent
      const globsOfIntent = [
        ...intent.users.flatMap((u) => (u.grants ?? []).flatMap((gr) => gr.repositories)),
        ...(intent.groups ?? []).flatMap((x) => (x.grants ?? []).flatMap((gr) => gr.repositories)),
        ...(intent.anonymousRead ?? []),
        ...(intent.anonymousWrite ?? []).flatMap((gr) => gr.repositories),
        ...(intent.authenticatedRead ?? []),
      ];
      for (const g of globsOfIntent)
        names.add(g.replace(/\*\*|\*|\?|\[ab\]/g, pick(['a', 'b', 'x'])).replace(/\{([^,}]*)[^}]*\}/g, '$1'));
      const subjects: Who[] = [...intent.users.map((u) => ({ user: u.name })), { user: 'stranger' }, 'anonymous'];
      // The table says the same as the decisions: the row of the key zot uses (no row: denied).
      const table = effectiveAccessTable(model, version);
      if (table.warnings.some((w) => /LESS THAN ANONYMOUS/.test(w)))
        throw new Error(
          `seed ${SEED}, iteration ${it}: the compiled config gives a signed-in user less than anonymous: ${table.warnings.join('; ')}`,
        );
      const rowOf = new Map(table.rows.map((row) => [`${row.subject}|${row.pattern}`, row]));
      for (const name of names) {
        if (!isRepositoryName(name)) continue;
        for (const who of subjects) {
          for (const action of ZOT_ACTIONS) {
            const want = intentAllows(intent, who, action, name);
            let got: boolean;
            try {
              got = zotCan(model, who, action, name, version);
            } catch (e) {
              throw new Error(
                `seed ${SEED}, iteration ${it}: ${JSON.stringify(who)} ${action} ${name}: ${(e as Error).message}\nintent ${JSON.stringify(intent)}\ncompiled ${JSON.stringify(ac)}`,
              );
            }
            if (got !== want) {
              throw new Error(
                `seed ${SEED}, iteration ${it}: ${JSON.stringify(who)} ${action} ${name}: zot ${got}, intent ${want}\nintent ${JSON.stringify(intent)}\ncompiled ${JSON.stringify(ac)}`,
              );
            }
            checks++;
            if (got) allowed++;
            // A signed-in user never has less than anonymous (the four method actions: admins never
            // get detectManifestCollision, zot's rule, and it is a behaviour, not a right).
            if (
              who !== 'anonymous' &&
              !got &&
              action !== 'detectManifestCollision' &&
              zotCan(model, 'anonymous', action, name, version)
            ) {
              throw new Error(
                `seed ${SEED}, iteration ${it}: ${who.user} may not ${action} ${name}, anonymous may\ncompiled ${JSON.stringify(ac)}`,
              );
            }
            if (who !== 'anonymous' && who.user === 'stranger' && got) strangerAllowed++;
            const keys = longestPatterns(model, name);
            if (action !== 'detectManifestCollision' && keys.length === 1) {
              // The stranger is named in no policy: the table's 'any signed-in user' row (no row: denied).
              const label =
                who === 'anonymous' ? 'anonymous' : who.user === 'stranger' ? 'any signed-in user' : `user ${who.user}`;
              const row = rowOf.get(`${label}|${keys[0]}`);
              if ((row?.[action] ?? 'denied') !== (got ? 'allowed' : 'denied')) {
                throw new Error(
                  `seed ${SEED}, iteration ${it}: the table's row ${label} × '${keys[0]}' says ${row?.[action]} for ${action}, zot ${got}`,
                );
              }
              tableChecks++;
            }
          }
        }
      }
    }
    // The figures, for the report; and proof the run exercised both outcomes.
    process.stdout.write(
      `access property: seed ${SEED}, ${ITERATIONS} intents: ${compiled} compiled, ${refused} refused as inexpressible; ${checks} decisions checked, ${allowed} allowed; ${tableChecks} table cells checked; ${strangerAllowed} allowed to a signed-in user named in no policy\n`,
    );
    expect(compiled).toBeGreaterThan(ITERATIONS / 2);
    expect(refused).toBeGreaterThan(0);
    expect(allowed).toBeGreaterThan(checks / 20);
    expect(checks - allowed).toBeGreaterThan(checks / 20);
    expect(tableChecks).toBeGreaterThan(checks / 4);
    expect(strangerAllowed).toBeGreaterThan(0);
  });
});
