import {
  analysisMatches,
  doublestarMatch,
  findName,
  globContains,
  globsOverlap,
  goLength,
  isRepositoryName,
  matchRepository,
  parseSafeGlob,
  SafeGlob,
  validatePattern,
} from '../../lib/zot/glob';
import { ZotFluxError } from '../../lib/core/error';
import { GoAnswer, randomCases, readFixture } from './glob-cases';

// Answers of the real Go library: doublestar v4.9.1 (git archive of the tag) and the same with
// v4.10.2's brace scanning (indexMatchedClosingAlt/indexNextAlt as vendored by VictoriaMetrics at
// 4a5a0291), each built with Go 1.19 into a program printing `Match(p, n)` and `ValidatePattern(p)`.
// Columns: pattern, name, v4.9.1 [matched, err], v4.10.2 [matched, err], ValidatePattern.
const GO: Array<[string, string, [number, number], [number, number], number]> = [
  ['**', 'a', [1, 0], [1, 0], 1],
  ['**', 'a/b/c', [1, 0], [1, 0], 1],
  ['ci/**', 'ci', [1, 0], [1, 0], 1],
  ['ci/**', 'ci/x', [1, 0], [1, 0], 1],
  ['ci/**', 'ci/x/y', [1, 0], [1, 0], 1],
  ['ci/**', 'cix', [0, 0], [0, 0], 1],
  ['**/x', 'x', [1, 0], [1, 0], 1],
  ['**/x', 'a/b/x', [1, 0], [1, 0], 1],
  ['a/**/b', 'a/b', [1, 0], [1, 0], 1],
  ['a/**/b', 'a/x/y/b', [1, 0], [1, 0], 1],
  ['a/*', 'a', [0, 0], [0, 0], 1],
  ['a/*', 'a/b', [1, 0], [1, 0], 1],
  ['a/*', 'a/b/c', [0, 0], [0, 0], 1],
  ['*/b', 'a/b', [1, 0], [1, 0], 1],
  ['*', 'a/b', [0, 0], [0, 0], 1],
  ['a*', 'a', [1, 0], [1, 0], 1],
  ['ci*/**', 'ci', [0, 0], [0, 0], 1],
  ['ci*/**', 'cix', [1, 0], [1, 0], 1],
  ['ci*/**', 'cix/y', [1, 0], [1, 0], 1],
  ['a**', 'abc', [1, 0], [1, 0], 1],
  ['a**', 'a/b', [0, 0], [0, 0], 1],
  ['a**/b', 'ax/b', [1, 0], [1, 0], 1],
  ['a/**b', 'a/xb', [1, 0], [1, 0], 1],
  ['?', 'a', [1, 0], [1, 0], 1],
  ['?', '/', [0, 0], [0, 0], 1],
  ['[!a]', '/', [1, 0], [1, 0], 1],
  ['a[!x]b', 'a/b', [1, 0], [1, 0], 1],
  ['[a-c]x', 'bx', [1, 0], [1, 0], 1],
  ['[c-a]x', 'bx', [0, 0], [0, 0], 1],
  ['{a,b}/x', 'b/x', [1, 0], [1, 0], 1],
  ['{a,b/c}/x', 'b/c/x', [1, 0], [1, 0], 1],
  ['{a,}x', 'x', [1, 0], [1, 0], 1],
  ['a{,x}**/c', 'a/c', [1, 0], [1, 0], 1],
  ['a{**}/c', 'a/x/c', [1, 0], [1, 0], 1],
  ['{a,[,]}', ',', [0, 1], [1, 0], 1],
  ['{a,[,]}', 'a', [1, 0], [1, 0], 1],
  ['[ab]{[}],b}/', 'bbab', [0, 1], [0, 0], 1],
  ['\\*', '*', [1, 0], [1, 0], 1],
  ['\\*', 'a', [0, 0], [0, 0], 1],
  ['[', 'a', [0, 1], [0, 1], 0],
  ['{a', 'a', [0, 1], [0, 1], 0],
  ['a}', 'a', [0, 1], [0, 1], 0],
  ['*/**', 'a', [1, 0], [1, 0], 1],
  ['**/**', 'a/b', [1, 0], [1, 0], 1],
  ['a/**/', 'a/b', [0, 0], [0, 0], 1],
  ['a/**/', 'a', [1, 0], [1, 0], 1],
  ['*}', 'a}', [1, 0], [1, 0], 0],
];

describe('doublestarMatch: the port answers as the Go library does', () => {
  test.each(GO)('Match(%j, %j)', (pattern, name, v491, v4102, valid) => {
    const a = doublestarMatch(pattern, name, 'v4.9.1');
    const b = doublestarMatch(pattern, name, 'v4.10.2');
    expect([Number(a.matched), Number(a.badPattern)]).toEqual(v491);
    expect([Number(b.matched), Number(b.badPattern)]).toEqual(v4102);
    expect(Number(validatePattern(pattern))).toBe(valid);
  });

  test('matchRepository refuses a pattern the two releases read differently, and answers where they agree', () => {
    expect(matchRepository('{a,[,]}', 'a')).toBe(true);
    let err: unknown;
    try {
      matchRepository('{a,[,]}', ',');
    } catch (e) {
      err = e;
    }
    expect(ZotFluxError.isZotFluxError(err)).toBe(true);
    expect((err as ZotFluxError).message).toMatch(/repositories\["\{a,\[,\]\}"\].*v4\.9\.1 and v4\.10\.2/);
  });

  test('matchRepository ignores a malformed pattern the way zot does (err != nil: no match)', () => {
    expect(matchRepository('[', 'a')).toBe(false);
  });

  test('goLength is Go len(): UTF-8 bytes', () => {
    expect(goLength('ci/**')).toBe(5);
    expect(goLength('é/**')).toBe(5);
  });
});

describe('repository names zot routes (pkg/regexp NameRegexp)', () => {
  test.each([
    ['a', true],
    ['ci/app', true],
    ['a.b', true],
    ['a_b', true],
    ['a__b', true],
    ['a---b', true],
    ['a/b/c', true],
    ['', false],
    ['A', false],
    ['a/', false],
    ['/a', false],
    ['a//b', false],
    ['a..b', false],
    ['a___b', false],
    ['a._b', false],
    ['-a', false],
    ['a-', false],
    ['a:b', false],
  ])('%j → %j', (name, ok) => {
    expect(isRepositoryName(name as string)).toBe(ok);
  });
});

describe('parseSafeGlob: the subset decided exactly', () => {
  test.each([
    ['', /empty/],
    ['CI/**', /uppercase.*viper/],
    ['a\\*', /outside the supported glob subset/],
    ['[', /not a valid doublestar pattern/],
    ['a/**/', /empty segment/],
    ['/a', /empty segment/],
    ['a//b', /empty segment/],
    ['a**', /inside the segment/],
    ['**/**/a', /"\*\*\/\*\*"/],
    ['ci*/**', /right before a final "\/\*\*".*e.g. 'ci'/],
    ['a*b*/**', /e.g. 'ab'/],
    ['{a,}/x', /empty \{alternative\}/],
    ['{a,{b,c}}', /not plain text alternatives/],
    ['{a,[bc]}', /not plain text alternatives/],
    ['[a/b]', /empty segment|class/],
    ['a:b', /outside the supported glob subset/],
  ])('%j is refused', (pattern, reason) => {
    const g = parseSafeGlob(pattern as string);
    expect('problem' in g && g.problem).toMatch(reason as RegExp);
  });

  test.each([
    '**',
    'ci/**',
    '*/**',
    'team-*/**',
    'a/*',
    '**/x',
    'a/**/b',
    '{a,b/c}/x',
    '[!a]*',
    'team-?/[a-c]*',
    'x.y_z-w/**',
  ])('%j is accepted', (pattern) => {
    expect('problem' in parseSafeGlob(pattern)).toBe(false);
  });
});

function safe(p: string): SafeGlob {
  const g = parseSafeGlob(p);
  if ('problem' in g) throw new Error(`${p}: ${g.problem}`);
  return g;
}

describe('overlap and containment', () => {
  test('the README example: ci/** and public/** lie inside **, and apart', () => {
    expect(globContains(safe('**'), safe('ci/**'))).toBe(true);
    expect(globContains(safe('ci/**'), safe('**'))).toBe(false);
    expect(globsOverlap(safe('ci/**'), safe('public/**'))).toBeUndefined();
    expect(globsOverlap(safe('ci/**'), safe('**'))).toBe('ci');
  });

  test('partial overlaps come with the shortest shared name', () => {
    expect(globsOverlap(safe('a/*'), safe('*/b'))).toBe('a/b');
    expect(globContains(safe('a/*'), safe('*/b'))).toBe(false);
    expect(findName([safe('team-*/**')], [safe('team-a/**')])).toBe('team-b');
  });

  test('a negated class reaches across "/" as doublestar does', () => {
    expect(doublestarMatch('a[!x]b', 'a/b').matched).toBe(true);
    expect(globContains(safe('a[!x]b'), safe('a/b'))).toBe(true);
  });

  test('only names zot routes count: x/** and x-* share no valid name', () => {
    expect(globsOverlap(safe('x/**'), safe('x-*'))).toBeUndefined();
    expect(globsOverlap(safe('x*'), safe('x-*'))).toBe('x-a');
  });

  test('findName returns a name that really satisfies the question', () => {
    const n = findName([safe('**/app'), safe('team/**')], [safe('team/x/**')])!;
    expect(n).toBe('team/app');
    expect(matchRepository('**/app', n) && matchRepository('team/**', n) && !matchRepository('team/x/**', n)).toBe(
      true,
    );
  });
});

describe("against the real doublestar v4.9.1 (test/fixtures/zot/doublestar: the Go library's own answers)", () => {
  const rows = readFixture();
  const want = (a: GoAnswer) => ({ matched: a === 'match', badPattern: a === 'error' });

  test('the port answers every (pattern, name) of the table as Go does', () => {
    for (const row of rows) {
      row.names.forEach((name, i) => {
        const got = doublestarMatch(row.pattern, name);
        if (got.matched !== want(row.answers[i]).matched || got.badPattern !== want(row.answers[i]).badPattern)
          throw new Error(`Match(${JSON.stringify(row.pattern)}, ${JSON.stringify(name)}): Go says ${row.answers[i]}`);
      });
      expect([row.pattern, validatePattern(row.pattern)]).toEqual([row.pattern, row.valid]);
    }
  });

  test('the analysis automaton answers every safe glob of the table as Go does', () => {
    let globs = 0;
    let checked = 0;
    let matched = 0;
    for (const row of rows) {
      const g = parseSafeGlob(row.pattern);
      if ('problem' in g) continue;
      globs++;
      row.names.forEach((name, i) => {
        if (!isRepositoryName(name)) return;
        const go = row.answers[i] === 'match';
        if (analysisMatches(g, name) !== go)
          throw new Error(`analysis of ${JSON.stringify(row.pattern)} on ${JSON.stringify(name)}: Go says ${go}`);
        checked++;
        if (go) matched++;
      });
    }
    expect(globs).toBeGreaterThan(2500);
    expect(checked).toBeGreaterThan(20000);
    expect(matched).toBeGreaterThan(2000); // the names do reach the globs
  });

  test.each([
    ['[a-c]', ['a', 'b', 'c'], ['`', 'd', 'z', '-']],
    ['[b-d]x', ['bx', 'cx', 'dx'], ['ax', 'ex']],
    ['[x-z]', ['x', 'y', 'z'], ['w']],
    ['[1-8]', ['1', '5', '8'], ['0', '9']],
    ['[a-a]', ['a'], ['b']],
    ['[!a-c]', ['d', '`', '/'], ['a', 'b', 'c']],
    ['[a-c][d-f]', ['ad', 'cf'], ['cg', 'dd']],
  ])('a class range holds both its bounds and nothing past them: %j', (pattern, inside, outside) => {
    const row = rows.find((r) => r.pattern === pattern)!;
    for (const name of [...inside, ...outside]) {
      const expected = inside.includes(name);
      expect([name, row.answers[row.names.indexOf(name)] === 'match']).toEqual([name, expected]); // Go
      expect([name, doublestarMatch(pattern, name).matched]).toEqual([name, expected]);
      const g = safe(pattern);
      if (isRepositoryName(name)) expect([name, analysisMatches(g, name)]).toEqual([name, expected]);
    }
  });
});

// KNOWN GAP (found by the Go table's generator, open): doublestar backtracks to the last `*` only, so once a
// negated class has matched a '/' after a `*` of the same segment, a later `*` cannot hand that '/' back:
// Go's Match("*[^b]*", "c/bb") is false, while the analysis (a regular language) says true. Such globs are
// still accepted as safe; the random check below leaves them out, and this test pins the gap until it is
// closed (refuse them in glob-syntax.ts, or model the backtracking).
const STAR_THEN_NEGATED_CLASS = /\*[^/]*\[[!^]/;
describe('known gap: a negated class after a "*" of the same segment', () => {
  test.failing('the analysis answers Match("*[^b]*", "c/bb") as Go does (false)', () => {
    expect(matchRepository('*[^b]*', 'c/bb')).toBe(false); // the port, as Go
    expect(analysisMatches(safe('*[^b]*'), 'c/bb')).toBe(false);
  });
});

describe('property: on other random globs the analysis and the port (both held to Go above) agree', () => {
  const SEED = Number(process.env.GLOB_SEED ?? 20260102);
  test(`random globs × random names (seed ${SEED})`, () => {
    let checked = 0;
    for (const { pattern, names } of randomCases(SEED, 1500)) {
      const g = parseSafeGlob(pattern);
      if ('problem' in g || STAR_THEN_NEGATED_CLASS.test(pattern)) continue;
      for (const name of names) {
        if (!isRepositoryName(name)) continue;
        const port = matchRepository(pattern, name);
        if (analysisMatches(g, name) !== port)
          throw new Error(
            `seed ${SEED}: analysis and the port disagree on Match(${JSON.stringify(pattern)}, ${JSON.stringify(name)}): the port says ${port}`,
          );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(8000);
  });
});
