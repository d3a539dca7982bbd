// `npm run dead-exports`: every export of lib/ that nothing imports. Importers are lib/, test/, scripts/ and
// main.ts (the files tsconfig.json names); lib/index.ts is the package's entry, so what it exports counts as
// used. An import through a re-export uses the re-export and what it names; `import * as m` uses what `m.x`
// reads; `import('…')` and `require('…')` use the names they destructure (all exports when they keep the module).
// Prints them in two lists (`file:line name`, sorted): those nothing reads at all (dead code), and those only
// their own file reads (the `export` keyword is what is dead). Exits 0: a report, not a gate.
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib') + path.sep;
const ENTRY = path.join(ROOT, 'lib', 'index.ts');

function loadProgram(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json: cannot be read');
  return ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, incremental: false } });
}

class Usage {
  readonly used = new Set<ts.Symbol>();
  constructor(private readonly checker: ts.TypeChecker) {}

  /** An export is used, and so is what it re-exports, down the chain. */
  use(symbol: ts.Symbol | undefined): void {
    while (symbol && !this.used.has(symbol)) {
      this.used.add(symbol);
      symbol = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getImmediateAliasedSymbol(symbol) : undefined;
    }
  }

  /** Every export of the module a specifier names. */
  useModule(moduleSymbol: ts.Symbol | undefined): void {
    if (moduleSymbol) for (const s of this.checker.getExportsOfModule(moduleSymbol)) this.use(s);
  }

  /** One export of a module, by name. */
  useName(moduleSymbol: ts.Symbol | undefined, name: string): void {
    if (moduleSymbol) this.use(this.checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name));
  }
}

/** The module a string literal names (an import, export, import() or require()). */
function moduleOf(checker: ts.TypeChecker, specifier: ts.Expression | undefined): ts.Symbol | undefined {
  return specifier && ts.isStringLiteralLike(specifier) ? checker.getSymbolAtLocation(specifier) : undefined;
}

/** `import { a, b as c }`, `import * as m`, `export { a } from`, `export * from`. */
function recordStatic(node: ts.ImportDeclaration | ts.ExportDeclaration, checker: ts.TypeChecker, u: Usage): void {
  const mod = moduleOf(checker, node.moduleSpecifier);
  if (ts.isExportDeclaration(node)) {
    if (!node.exportClause) return u.useModule(mod); // export * from: what it forwards is used where it is read
    if (ts.isNamespaceExport(node.exportClause)) return u.useModule(mod);
    for (const e of node.exportClause.elements) u.useName(mod, (e.propertyName ?? e.name).text);
    return;
  }
  const bindings = node.importClause?.namedBindings;
  if (node.importClause?.name) u.useName(mod, 'default');
  if (!bindings) return;
  if (ts.isNamedImports(bindings)) {
    for (const e of bindings.elements) u.useName(mod, (e.propertyName ?? e.name).text);
    return;
  }
  recordNamespaceReads(bindings.name, mod, checker, u);
}

/** `import * as m`: the exports `m.x` reads; all of them when `m` itself goes somewhere. */
function recordNamespaceReads(
  name: ts.Identifier,
  mod: ts.Symbol | undefined,
  checker: ts.TypeChecker,
  u: Usage,
): void {
  const alias = checker.getSymbolAtLocation(name);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== name && checker.getSymbolAtLocation(node) === alias) {
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) u.useName(mod, parent.name.text);
      else if (ts.isQualifiedName(parent) && parent.left === node) u.useName(mod, parent.right.text);
      else u.useModule(mod);
    }
    ts.forEachChild(node, visit);
  };
  visit(name.getSourceFile());
}

/** `import('…')`, `require('…')` and `typeof import('…')`: the destructured names, or every export. */
function recordDynamic(node: ts.Node, checker: ts.TypeChecker, u: Usage): void {
  let specifier: ts.Expression | undefined;
  if (ts.isCallExpression(node) && node.arguments.length === 1) {
    const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    if (isImport || isRequire) specifier = node.arguments[0];
  } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
    const mod = moduleOf(checker, node.argument.literal as ts.Expression);
    return node.qualifier
      ? u.useName(mod, ts.isIdentifier(node.qualifier) ? node.qualifier.text : node.qualifier.left.getText())
      : u.useModule(mod);
  }
  const mod = moduleOf(checker, specifier);
  if (!mod) return;
  const names = destructuredNames(node);
  if (names) for (const n of names) u.useName(mod, n);
  else u.useModule(mod);
}

/** `const { a, b: c } = await import(…)` / `= require(…)`: ['a', 'b']; undefined when the module is kept whole. */
function destructuredNames(call: ts.Node): string[] | undefined {
  let up = call.parent;
  while (up && (ts.isAwaitExpression(up) || ts.isParenthesizedExpression(up) || ts.isAsExpression(up))) up = up.parent;
  if (!up || !ts.isVariableDeclaration(up) || !ts.isObjectBindingPattern(up.name)) return undefined;
  const names: string[] = [];
  for (const e of up.name.elements) {
    const key = e.propertyName ?? e.name;
    if (e.dotDotDotToken || !ts.isIdentifier(key)) return undefined;
    names.push(key.text);
  }
  return names;
}

function recordFile(sf: ts.SourceFile, checker: ts.TypeChecker, u: Usage): void {
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) recordStatic(node, checker, u);
    else recordDynamic(node, checker, u);
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** The exports a lib file declares itself (not what `export *` forwards from elsewhere). */
function ownExports(sf: ts.SourceFile, checker: ts.TypeChecker): ts.Symbol[] {
  const mod = checker.getSymbolAtLocation(sf);
  if (!mod) return [];
  return checker.getExportsOfModule(mod).filter((s) => s.declarations?.some((d) => d.getSourceFile() === sf));
}

/** Whether the file that declares an export reads it itself (then the export is needless, not the code). */
function readInItsFile(s: ts.Symbol, checker: ts.TypeChecker): boolean {
  const sf = s.declarations![0].getSourceFile();
  const names = new Set(s.declarations!.map((d) => ts.getNameOfDeclaration(d)));
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === s.name && !names.has(node)) {
      const at = checker.getSymbolAtLocation(node);
      if (at && (at === s || checker.getExportSymbolOfSymbol(at) === s)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export interface DeadExport {
  /** `lib/x.ts:12 name`. */
  readonly where: string;
  /** The file itself reads it: only the `export` is dead. Otherwise nothing reads it at all. */
  readonly readInItsFile: boolean;
}

function where(s: ts.Symbol): string {
  const d = s.declarations![0];
  const sf = d.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(d.getStart()).line + 1;
  return `${path.relative(ROOT, sf.fileName).split(path.sep).join('/')}:${line} ${s.name}`;
}

/** Every export of lib/ nothing imports, sorted by file and line. */
export function deadExports(): DeadExport[] {
  const program = loadProgram();
  const checker = program.getTypeChecker();
  const u = new Usage(checker);
  const files = program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(ROOT + path.sep));
  for (const sf of files) recordFile(sf, checker, u);
  const entry = files.find((sf) => path.resolve(sf.fileName) === ENTRY);
  if (entry) u.useModule(checker.getSymbolAtLocation(entry));
  const lib = files.filter((sf) => path.resolve(sf.fileName).startsWith(LIB) && path.resolve(sf.fileName) !== ENTRY);
  const dead = lib.flatMap((sf) => ownExports(sf, checker).filter((s) => !u.used.has(s)));
  return dead
    .map((s) => ({ where: where(s), readInItsFile: readInItsFile(s, checker) }))
    .sort((a, b) => a.where.localeCompare(b.where, 'en', { numeric: true }));
}

function main(): void {
  const dead = deadExports();
  const unread = dead.filter((d) => !d.readInItsFile);
  const local = dead.filter((d) => d.readInItsFile);
  const out = [
    `exports nothing reads at all (dead code): ${unread.length}`,
    ...unread.map((d) => `  ${d.where}`),
    `exports read only in their own file (the export is needless): ${local.length}`,
    ...local.map((d) => `  ${d.where}`),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

if (require.main === module) main();
