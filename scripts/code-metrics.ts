// `npm run metrics -- [--check] [FOLDER]`: the size and type figures of lib/ (or FOLDER) behind issue 21's
// targets: lines, `any`, casts (`as`, `<T>x`), non-null assertions (`x!`), functions over 50 and over 100
// lines with their names, files over 1,000 lines. The report is stable (sorted; no timings), so two runs diff.
// --check exits 1 when a target is missed: a file over 1,000 lines, more than 3 functions over 100 lines,
// more than 15 over 50, or more than 40 `any`.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const USAGE = 'usage: npm run metrics -- [--check] [FOLDER]   (FOLDER defaults to lib)';

/** The targets --check holds lib to (issue 21). */
export const LIMITS = { fileLines: 1000, functionsOver100: 3, functionsOver50: 15, any: 40 };

export interface FunctionSize {
  readonly lines: number;
  /** `lib/zot/access.ts:12 compileAccess`. */
  readonly where: string;
}

export interface Metrics {
  files: number;
  lines: number;
  any: number;
  casts: number;
  nonNull: number;
  functions: FunctionSize[];
  bigFiles: Array<{ file: string; lines: number }>;
}

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return tsFiles(full);
      return e.name.endsWith('.ts') ? [full] : [];
    });
}

/** A function's name as a reader finds it: its own, the variable it is assigned to, or the class of a constructor. */
function functionName(node: ts.FunctionLikeDeclaration): string {
  if (ts.isConstructorDeclaration(node)) return `constructor ${node.parent.name?.getText() ?? '<anonymous class>'}`;
  if (node.name) return node.name.getText();
  if (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent)) return node.parent.name.getText();
  return '<anon>';
}

function lineOf(sf: ts.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

function measureNode(node: ts.Node, sf: ts.SourceFile, rel: string, m: Metrics): void {
  if (ts.isFunctionLike(node) && 'body' in node && node.body) {
    const start = lineOf(sf, node.getStart());
    m.functions.push({ lines: lineOf(sf, node.end) - start + 1, where: `${rel}:${start} ${functionName(node)}` });
  }
  if (node.kind === ts.SyntaxKind.AnyKeyword) m.any++;
  if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) m.casts++;
  if (ts.isNonNullExpression(node)) m.nonNull++;
  ts.forEachChild(node, (child) => measureNode(child, sf, rel, m));
}

/** The figures of every .ts file under dir. */
export function measure(dir: string): Metrics {
  const m: Metrics = { files: 0, lines: 0, any: 0, casts: 0, nonNull: 0, functions: [], bigFiles: [] };
  for (const file of tsFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    const lines = text.split('\n').length;
    m.files++;
    m.lines += lines;
    if (lines > LIMITS.fileLines) m.bigFiles.push({ file: rel, lines });
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    measureNode(sf, sf, rel, m);
  }
  m.functions.sort((a, b) => b.lines - a.lines || (a.where < b.where ? -1 : a.where > b.where ? 1 : 0));
  m.bigFiles.sort((a, b) => b.lines - a.lines || (a.file < b.file ? -1 : 1));
  return m;
}

const over = (m: Metrics, n: number) => m.functions.filter((f) => f.lines > n);

/** What --check refuses, one line each; [] when every target holds. */
export function missedTargets(m: Metrics): string[] {
  const out: string[] = [];
  for (const f of m.bigFiles) out.push(`${f.file}: ${f.lines} lines (at most ${LIMITS.fileLines})`);
  const n100 = over(m, 100).length;
  const n50 = over(m, 50).length;
  if (n100 > LIMITS.functionsOver100) out.push(`${n100} functions over 100 lines (at most ${LIMITS.functionsOver100})`);
  if (n50 > LIMITS.functionsOver50) out.push(`${n50} functions over 50 lines (at most ${LIMITS.functionsOver50})`);
  if (m.any > LIMITS.any) out.push(`${m.any} \`any\` (at most ${LIMITS.any})`);
  return out;
}

/** The report, the same bytes for the same code. */
export function report(dir: string, m: Metrics): string {
  const rows = [
    `${dir}: ${m.files} files, ${m.lines} lines`,
    `any ${m.any}, casts ${m.casts}, non-null ${m.nonNull}`,
    `functions over 100 lines: ${over(m, 100).length}, over 50 lines: ${over(m, 50).length}`,
    `files over ${LIMITS.fileLines} lines: ${m.bigFiles.length}`,
    ...m.bigFiles.map((f) => `  ${f.lines} ${f.file}`),
    'functions over 50 lines:',
    ...over(m, 50).map((f) => `  ${f.lines} ${f.where}`),
  ];
  return rows.join('\n') + '\n';
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const rest = argv.filter((a) => a !== '--check');
  if (rest.some((a) => a.startsWith('-')) || rest.length > 1) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const dir = rest[0] ?? 'lib';
  const m = measure(path.resolve(ROOT, dir));
  process.stdout.write(report(dir, m));
  if (!check) return 0;
  const missed = missedTargets(m);
  for (const line of missed) process.stderr.write(`metrics: ${line}\n`);
  return missed.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
