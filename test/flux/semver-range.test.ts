// The Flux Operator's FluxInstance version ranges (Masterminds/semver NewConstraint + Check), on release versions.
// Expected results: rows of Masterminds/semver 71f2b39 constraints_test.go TestConstraintCheck (the Go library's own
// table) whose version is a release, plus NewConstraint's refusals.
import { parseSemVer, parseSemVerRange, rangeMatches } from '../../lib/flux/semver-range';

const ROWS: Array<[string, string, boolean]> = [
  ['=2.0.0', '1.2.3', false],
  ['=2.0.0', '2.0.0', true],
  ['=2.0', '1.2.3', false],
  ['=2.0', '2.0.0', true],
  ['=2.0', '2.0.1', true],
  ['4.1', '4.1.0', true],
  ['!=4.1.0', '4.1.0', false],
  ['!=4.1.0', '4.1.1', true],
  ['!=4.1', '4.1.0', false],
  ['!=4.1', '4.1.1', false],
  ['!=4.1-alpha', '4.1.0', true],
  ['!=4.1', '5.1.0', true],
  ['<11', '0.1.0', true],
  ['<11', '11.1.0', false],
  ['<1.1', '0.1.0', true],
  ['<1.1', '1.1.0', false],
  ['<1.1', '1.1.1', false],
  ['<=11', '1.2.3', true],
  ['<=11', '12.2.3', false],
  ['<=11', '11.2.3', true],
  ['<=1.1', '1.2.3', false],
  ['<=1.1', '0.1.0', true],
  ['<=1.1', '1.1.0', true],
  ['<=1.1', '1.1.1', true],
  ['>1.1', '4.1.0', true],
  ['>1.1', '1.1.0', false],
  ['>0', '0', false],
  ['>0', '1', true],
  ['>11', '11.1.0', false],
  ['>11.1', '11.1.0', false],
  ['>11.1', '11.1.1', false],
  ['>11.1', '11.2.1', true],
  ['>=11', '11.1.2', true],
  ['>=11.1', '11.1.2', true],
  ['>=11.1', '11.0.2', false],
  ['>=1.1', '4.1.0', true],
  ['>=1.1', '1.1.0', true],
  ['>=1.1', '0.0.9', false],
  ['>=0', '0', true],
  ['=0', '1', false],
  ['*', '1', true],
  ['*', '4.5.6', true],
  ['2.*', '1', false],
  ['2.*', '3.4.5', false],
  ['2.*', '2.1.1', true],
  ['2.1.*', '2.1.1', true],
  ['2.1.*', '2.2.1', false],
  ['2', '1', false],
  ['2', '3.4.5', false],
  ['2', '2.1.1', true],
  ['2.1', '2.1.1', true],
  ['2.1', '2.2.1', false],
  ['~1.2.3', '1.2.4', true],
  ['~1.2.3', '1.3.4', false],
  ['~1.2', '1.2.4', true],
  ['~1.2', '1.3.4', false],
  ['~1', '1.2.4', true],
  ['~1', '2.3.4', false],
  ['~0.2.3', '0.2.5', true],
  ['~0.2.3', '0.3.5', false],
  ['^1.2.3', '1.8.9', true],
  ['^1.2.3', '2.8.9', false],
  ['^1.2.3', '1.2.1', false],
  ['^1.1.0', '2.1.0', false],
  ['^1.2.0', '2.2.1', false],
  ['^1.2', '1.8.9', true],
  ['^1.2', '2.8.9', false],
  ['^1', '1.8.9', true],
  ['^1', '2.8.9', false],
  ['^0.2.3', '0.2.5', true],
  ['^0.2.3', '0.5.6', false],
  ['^0.2', '0.2.5', true],
  ['^0.2', '0.5.6', false],
  ['^0.0.3', '0.0.3', true],
  ['^0.0.3', '0.0.4', false],
  ['^0.0', '0.0.3', true],
];

test.each(ROWS)('%s on %s: %s (Masterminds TestConstraintCheck)', (range, version, expected) => {
  const r = parseSemVerRange(range);
  if (typeof r === 'string') throw new Error(r);
  expect(rangeMatches(r, parseSemVer(version)!)).toBe(expected);
});

test('ANDs (space or comma), ORs and hyphen ranges as NewConstraint reads them', () => {
  const m = (range: string, v: string) => rangeMatches(parseSemVerRange(range) as any, parseSemVer(v)!);
  expect([m('>=2.7 <2.9', '2.8.8'), m('>=2.7 <2.9', '2.9.0'), m('>=2.7, <2.9', '2.7.0')]).toEqual([true, false, true]);
  expect([m('2.7.x || 2.9.x', '2.8.1'), m('2.7.x || 2.9.x', '2.9.4')]).toEqual([false, true]);
  expect([m('2.7.1 - 2.8', '2.7.0'), m('2.7.1 - 2.8', '2.8.8'), m('2.7.1 - 2.8', '2.9.0')]).toEqual([
    false,
    true,
    false,
  ]);
  expect([m('v2.9.x', '2.9.4'), m('~> 2.8', '2.8.3')]).toEqual([true, true]);
});

test('what NewConstraint refuses: not a range', () => {
  expect(parseSemVerRange('latest')).toBe('improper constraint: "latest"');
  expect(parseSemVerRange('')).toBe('improper constraint: ""');
  expect(parseSemVerRange('2.9 ||')).toBe('improper constraint: ""');
  expect(parseSemVerRange('>=02.9')).toBe('constraint parser error');
  expect(parseSemVer('2.9.04')).toBeUndefined();
  expect(parseSemVer('v2.10.0-rc.1')).toEqual({ major: 2, minor: 10, patch: 0, pre: 'rc.1' });
});
