// Advisories as version rules (lib/zot/known-advisories.json): which zot versions each affects, by semver
// precedence, and the rule that finds where a config depends on the flaw (create without update,
// as zot decides it: lib/zot/access.ts).
import {
  ADVISORIES,
  advisoriesFor,
  advisoryByName,
  advisoryHits,
  advisoryLines,
  advisoryRemedy,
  createWithoutUpdate,
  inZotRange,
} from '../../lib/zot/advisories';
import { compileAccess } from '../../lib/zot/access';
import data from '../../lib/zot/known-advisories.json';

const CVE = 'CVE-2026-31801';
const ids = (v: string) => advisoriesFor(v).map((a) => a.id);

describe('the data file', () => {
  test('every advisory has an id, a range, the version that fixes it outside that range, and sources', () => {
    expect(ADVISORIES.length).toBe(data.advisories.length);
    for (const a of ADVISORIES) {
      expect(a.id).toMatch(/^(CVE-\d{4}-\d+|GHSA-[a-z0-9-]+)$/);
      expect(a.sources.length).toBeGreaterThan(0);
      expect(inZotRange(a.fixedIn, a.affected)).toBe(false);
    }
  });
  test('CVE-2026-31801 names its GitHub advisory, the fix commit and the tags it was read at', () => {
    const a = advisoryByName(CVE)!;
    expect(a.aliases).toEqual(['GHSA-85jx-fm8m-x8c6']);
    expect(a.rule).toBe('create-without-update');
    expect(a.sources).toEqual(
      expect.arrayContaining([
        'https://github.com/advisories/GHSA-85jx-fm8m-x8c6',
        'https://github.com/project-zot/zot/commit/ace12e2a12d0e104f6fb0aecf162b29e8c67b8a9',
      ]),
    );
    expect(a.sources.some((s) => s.includes('pkg/api/authz.go@v2.1.14'))).toBe(true);
  });
  test('an advisory is found by its id or an alias, in any case', () => {
    expect(advisoryByName('ghsa-85jx-fm8m-x8c6')?.id).toBe(CVE);
    expect(advisoryByName(` ${CVE.toLowerCase()} `)?.id).toBe(CVE);
    expect(advisoryByName('CVE-2026-3180')).toBeUndefined();
  });
});

describe('version ranges (semver precedence)', () => {
  test.each<[string, boolean]>([
    ['v2.1.14', true],
    ['2.1.14', true],
    ['v2.1.2', true],
    ['v2.1.14-rc.1', true],
    ['v2.1.15-rc.1', true], // a pre-release of the fix is below it
    ['v2.1.14+build.5', true],
    ['v2.1.15', false],
    ['v2.1.15+build.5', false],
    ['v2.1.16-rc.1', false],
    ['v2.1.18', false],
    ['v2.1.20', false],
    ['v3.0.0', false],
  ])('zot %s affected by CVE-2026-31801: %s', (v, affected) => {
    expect(ids(v).includes(CVE)).toBe(affected);
  });
  test('comparators combine: all must hold', () => {
    expect(inZotRange('v2.1.17', '>=v2.1.16 <v2.1.19')).toBe(true);
    expect(inZotRange('v2.1.19', '>=v2.1.16 <v2.1.19')).toBe(false);
    expect(inZotRange('v2.1.15', '>=v2.1.16 <v2.1.19')).toBe(false);
    expect(inZotRange('v2.1.16', '=v2.1.16')).toBe(true);
    expect(inZotRange('v2.1.16', 'v2.1.16')).toBe(true);
    expect(inZotRange('v2.1.16', '<=v2.1.16')).toBe(true);
    expect(inZotRange('v2.1.16', '>v2.1.16')).toBe(false);
  });
  test('what is not a version is refused with the field named', () => {
    expect(() => advisoriesFor('latest', 'image.tag')).toThrow("image.tag: 'latest' is not a zot version");
    expect(() => inZotRange('v2.1.14', '< v2.1.15 garbage')).toThrow(TypeError);
  });
});

describe('the remedy names the first chart deploying the fix', () => {
  test('CVE-2026-31801: chart 0.1.99 deploys zot v2.1.15', () => {
    expect(advisoryRemedy(advisoryByName(CVE)!)).toBe('move to chart 0.1.99 or later (it deploys zot v2.1.15)');
  });
  test('an advisory no known chart fixes yet: the image tag', () => {
    const later = { ...advisoryByName(CVE)!, affected: '<v9.0.0', fixedIn: 'v9.0.0' };
    expect(advisoryRemedy(later)).toBe(
      'no chart this project knows deploys zot v9.0.0 or later yet: set valuesOverrides.image.tag to v9.0.0 or later',
    );
  });
});

describe('create without update, as zot decides it', () => {
  const r = (repositories: string[], actions: Array<'read' | 'create' | 'update' | 'delete'>) => ({
    repositories,
    actions,
  });
  const ac = compileAccess(
    {
      users: [
        { name: 'admin', admin: true },
        { name: 'ci', grants: [r(['ci/**'], ['read', 'create'])] },
        { name: 'dev', grants: [r(['team/**'], ['read', 'create', 'update'])] },
      ],
      anonymousWrite: [r(['tailnet/**'], ['create'])],
      anonymousRead: ['tailnet/**'],
    },
    'v2.1.14',
  );
  test('the rows: who may create but not update, on which key', () => {
    const rows = createWithoutUpdate(ac, 'v2.1.14').map((x) => `${x.subject} ${x.pattern}`);
    // anonymousWrite's create is in defaultPolicy too (signed-in clients keep what anonymous ones get): dev has it on tailnet/**
    expect(rows).toEqual([
      'user ci ci/**',
      'user ci tailnet/**',
      'user dev tailnet/**',
      'any signed-in user tailnet/**',
      'anonymous tailnet/**',
    ]);
  });
  test("the advisory's hits say it in words", () => {
    const hits = advisoryHits(advisoryByName(CVE)!, ac, 'v2.1.14').map((h) => h.says);
    expect(hits).toContain("user ci may create but not update on 'ci/**'");
    expect(hits).toContain("anonymous may create but not update on 'tailnet/**'");
  });
  test('create with update, or read only, is no hit', () => {
    const ok = compileAccess(
      {
        users: [
          { name: 'admin', admin: true },
          { name: 'ci', grants: [r(['ci/**'], ['read', 'create', 'update'])] },
          { name: 'p', grants: [r(['**'], ['read'])] },
        ],
      },
      'v2.1.14',
    );
    expect(createWithoutUpdate(ok, 'v2.1.14')).toEqual([]);
  });
  test('lines for under the access table: the advisory, its fix, where the config depends on it', () => {
    const lines = advisoryLines('v2.1.14', ac);
    expect(lines[0]).toBe(
      "!! ADVISORY CVE-2026-31801 (GHSA-85jx-fm8m-x8c6) affects zot v2.1.14: a client allowed create but not update can overwrite an existing tag 'latest'; " +
        'fixed in zot v2.1.15: move to chart 0.1.99 or later (it deploys zot v2.1.15)',
    );
    expect(lines).toContain("!!   here: user ci may create but not update on 'ci/**'");
    expect(advisoryLines('v2.1.14', ac, { acknowledged: ['GHSA-85jx-fm8m-x8c6'] })[0]).toMatch(/\(acknowledged\)$/);
    expect(advisoryLines('v2.1.15', ac)).toEqual([]);
  });
});
