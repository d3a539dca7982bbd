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
import { prng } from '../support/prng';

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

describe('property: the analysis automaton agrees with the doublestar port on every safe glob', () => {
  const SEED = Number(process.env.GLOB_SEED ?? 20260101);
  test(`random safe globs × random valid names (seed ${SEED})`, () => {
    const rnd = prng(SEED);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
    const tokens = [
      'a',
      'b',
      'c',
      '-',
      '.',
      '_',
      '*',
      '*',
      '?',
      '[ab]',
      '[!a]',
      '[a-c]',
      '[^b]',
      '{a,b}',
      '{a/b,c}',
      '{ab,b.c,a-b}',
    ];
    const segs = [
      'a',
      'b',
      'ab',
      'c',
      'a-b',
      'a.b',
      'a_b',
      'ba',
      'abc',
      'cab',
      'b.a',
      'ca',
      'a--b',
      'a__b',
      'aab',
      'bb',
    ];
    let globs = 0;
    let checked = 0;
    let matched = 0;
    for (let i = 0; globs < 3000; i++) {
      const n = 1 + Math.floor(rnd() * 4);
      const pattern = Array.from({ length: n }, () =>
        rnd() < 0.25 ? '**' : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(tokens)).join(''),
      ).join('/');
      const g = parseSafeGlob(pattern);
      if ('problem' in g) continue;
      globs++;
      for (let k = 0; k < 10; k++) {
        const name = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(segs)).join('/');
        if (!isRepositoryName(name)) continue;
        const want = matchRepository(pattern, name);
        if (analysisMatches(g, name) !== want) {
          throw new Error(
            `seed ${SEED}: analysis and doublestar disagree on Match(${JSON.stringify(pattern)}, ${JSON.stringify(name)}): doublestar says ${want}`,
          );
        }
        checked++;
        if (want) matched++;
      }
    }
    expect(checked).toBeGreaterThan(20000);
    expect(matched).toBeGreaterThan(2000); // the names do reach the globs
  });
});
