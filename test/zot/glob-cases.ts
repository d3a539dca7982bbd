// The (pattern, name) cases whose answers the real doublestar v4.9.1 wrote into
// test/fixtures/zot/doublestar/doublestar-v4.9.1.tsv (regenerate with generate.sh there). The cases
// are made without any code under test, so the table checks the port and the analysis independently.
import { readFileSync } from 'fs';
import { join } from 'path';
import { prng } from '../support/prng';

export const FIXTURE = join(__dirname, '..', 'fixtures', 'zot', 'doublestar', 'doublestar-v4.9.1.tsv');
export const SEED = 20260101;
export const RANDOM_PATTERNS = 4000;

export interface GlobCase {
  readonly pattern: string;
  readonly names: readonly string[];
}

/** Classes (ranges at and around their bounds, negations, a dash at either end, reversed and one-rune ranges). */
export const CLASSES = [
  '[a-c]',
  '[!a-c]',
  '[^a-c]',
  '[b-d]x',
  '[a-a]',
  '[c-a]',
  '[x-z]',
  '[0-9]',
  '[1-8]',
  '[!0-9]',
  '[a-c0-2]',
  '[a-cx]',
  '[ab]',
  '[!ab]',
  '[-a]',
  '[a-]',
  '[.-_]',
  '[--.]',
  '[a-c][d-f]',
  '[à-é]',
];
/** Every character a repository name can hold, and a few it cannot, as one-rune names (and two for the pairs). */
export const CLASS_NAMES = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789._-/',
  'A',
  'Z',
  '`',
  '{',
  ',',
  'à',
  'é',
  'ê',
  'ax',
  'bx',
  'cx',
  'dx',
  'ex',
  'ad',
  'cf',
  'cg',
  'dd',
];

const TOKENS = ['a', 'b', 'c', '-', '.', '_', '*', '*', '?', '[ab]', '[!a]', '[a-c]', '[^b]', '[b-c]', '{a,b}'];
const MORE_TOKENS = ['{a/b,c}', '{ab,b.c,a-b}'];
const SEGMENTS = ['a', 'b', 'ab', 'c', 'a-b', 'a.b', 'a_b', 'ba', 'abc', 'cab', 'b.a', 'ca', 'a--b', 'a__b'];
const MORE_SEGMENTS = ['aab', 'bb', 'd', 'cd'];

/** Random globs of the analysable kind (and some just outside it), each with ten random names. */
export function randomCases(seed = SEED, count = RANDOM_PATTERNS): GlobCase[] {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
  const tokens = [...TOKENS, ...MORE_TOKENS];
  const segments = [...SEGMENTS, ...MORE_SEGMENTS];
  const segment = () =>
    rnd() < 0.25 ? '**' : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(tokens)).join('');
  const name = () => Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(segments)).join('/');
  return Array.from({ length: count }, () => {
    const pattern = Array.from({ length: 1 + Math.floor(rnd() * 4) }, segment).join('/');
    return { pattern, names: Array.from({ length: 10 }, name) };
  });
}

export function allCases(): GlobCase[] {
  return [...CLASSES.map((pattern) => ({ pattern, names: CLASS_NAMES })), ...randomCases()];
}

/** Go's answer: `Match` true, false, or an error (ErrBadPattern: matched is false). */
export type GoAnswer = 'match' | 'no' | 'error';
export interface GoRow {
  readonly pattern: string;
  readonly answers: readonly GoAnswer[];
  readonly valid: boolean;
}

const ANSWER: Readonly<Record<string, GoAnswer>> = { '1': 'match', '0': 'no', E: 'error' };

/** The fixture's rows, checked against the cases so a stale table fails loudly. */
export function readFixture(): Array<GoRow & GlobCase> {
  const lines = readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  const cases = allCases();
  if (lines.length !== cases.length) throw new Error(`${FIXTURE}: ${lines.length} rows for ${cases.length} cases`);
  return lines.map((line, i) => {
    const [pattern, answers, valid] = line.split('\t');
    const c = cases[i];
    if (pattern !== c.pattern || answers.length !== c.names.length)
      throw new Error(`${FIXTURE} row ${i + 1} is stale: ${JSON.stringify(pattern)} (cases: ${c.pattern})`);
    return { ...c, answers: [...answers].map((a) => ANSWER[a]), valid: valid === '1' };
  });
}

/** generate.sh, step 1: the cases as `pattern<TAB>name` lines for the Go program. */
export function printCases(): void {
  for (const c of allCases()) for (const n of c.names) process.stdout.write(`${c.pattern}\t${n}\n`);
}

/** generate.sh, step 2: the Go program's `pattern name matched err valid` lines → one row per pattern. */
export function printFixture(goOutput: string): void {
  const rows = readFileSync(goOutput, 'utf8').split('\n').filter(Boolean);
  const out = [
    '# doublestar v4.9.1 (github.com/bmatcuk/doublestar, git archive of the tag) built with Go 1.19.8;',
    '# written by generate.sh from test/zot/glob-cases.ts. Columns: pattern, Match(pattern, name) for each',
    '# of the case names in order (1 true, 0 false, E ErrBadPattern), ValidatePattern(pattern).',
  ];
  let at = 0;
  for (const c of allCases()) {
    let answers = '';
    let valid = '';
    for (const n of c.names) {
      const [p, name, matched, err, v] = rows[at++].split('\t');
      if (p !== c.pattern || name !== n) throw new Error(`Go output out of step at ${at}: ${p} ${name}`);
      answers += err === '1' ? 'E' : matched;
      valid = v;
    }
    out.push(`${c.pattern}\t${answers}\t${valid}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}
