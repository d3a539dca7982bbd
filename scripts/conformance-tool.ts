// `npm run conformance -- --flux 2.7|2.9 FILE...`: runs Flux postBuild-substitution conformance files (JSON lines
// made by running Flux's own Go code; see ../shared/flux-conformance/README.md) against lib/flux and prints every
// mismatch, then `N passed, M failed` as the last line. Exit 0 all pass, 1 any failure, 2 usage.
//
// `node scripts/run.js scripts/conformance-subset.ts [--from DIR] [--out DIR]`: derives the committed subset
// (test/fixtures/flux-conformance/) from the four shared files, deterministically, with its PROVENANCE.md.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../lib/core/error';
import { FluxGeneration, isFluxGeneration } from '../lib/flux/generation';
import { jsString } from '../lib/go/yaml';
import { substituteObject } from '../lib/flux/substitute-object';
import { substituteTextBytes } from '../lib/flux/substitution';
import { EXIT_OK, EXIT_PROBLEM, Io, parseArgs, UsageError, userPath } from '../lib/cli/command';
import { atPath } from '../lib/cli/failure';

export const CONFORMANCE_USAGE = `usage: npm run conformance -- --flux 2.7|2.9 [--max N] [--quiet] FILE...

Runs Flux postBuild-substitution conformance files (JSON lines: text cases {"input", "vars", "strict",
"expect"} and per-object cases {"object", "vars", "strict", "substituteStrategy"?, "expect"}) against
zot-flux's substitution for that Flux generation. Prints each mismatch, a line per file with its speed,
and "N passed, M failed" last. Error cases pass when both sides fail (the wording may differ).

  --flux 2.7|2.9   the Flux generation whose behaviour is expected (2.7: kustomize-controller v1.7.3,
                   envsubst v1.5.0; 2.9: v1.9.4, envsubst v1.7.0)
  --max N          print at most N mismatches (default: all)
  --quiet          no line per file: only the mismatches and the summary line
  --help           this text

Exit codes: 0 every case passed, 1 a case failed or a file is not conformance cases (or cannot be
read), 2 usage, 3 a bug in zot-flux.
`;

/** One line of a conformance file. */
export interface ConformanceCase {
  readonly id: string;
  readonly input?: string;
  readonly object?: unknown;
  readonly vars: Record<string, string>;
  readonly strict?: boolean;
  readonly substituteStrategy?: 'WithVariables' | 'Always';
  readonly expect: {
    readonly output?: string;
    readonly outputBase64?: string;
    readonly object?: unknown;
    readonly error?: boolean;
    readonly panic?: boolean;
    readonly message?: string;
  };
  readonly source?: string;
  readonly note?: string;
}

export interface CaseResult {
  readonly ok: boolean;
  readonly kind: 'text' | 'pipeline';
  /** Short renderings for a mismatch. */
  readonly expected: string;
  readonly got: string;
}

/** Keys sorted at every level: the comparison the kit's check.js makes. */
export function canonicalJson(x: unknown): string {
  return (
    JSON.stringify(x, (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((key) => [key, (v as Record<string, unknown>)[key]]),
          )
        : v,
    ) ?? 'undefined'
  );
}

const short = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

/** Runs one case for `generation`. Anything thrown that is not a ZotFluxError is a bug and propagates. */
export function runConformanceCase(c: ConformanceCase, generation: FluxGeneration): CaseResult {
  const kind = c.object !== undefined || !('input' in c) ? 'pipeline' : 'text';
  const wantsError = !!(c.expect.error || c.expect.panic);
  const expected = wantsError
    ? `${c.expect.panic ? 'a Go panic' : 'an error'}: ${c.expect.message ?? ''}`
    : kind === 'text'
      ? JSON.stringify(c.expect.output) +
        (c.expect.outputBase64 !== undefined
          ? ` (bytes ${Buffer.from(c.expect.outputBase64, 'base64').toString('hex')})`
          : '')
      : canonicalJson(c.expect.object);
  let got: string;
  let ok: boolean;
  try {
    if (kind === 'text') {
      const bytes = substituteTextBytes(c.input ?? '', c.vars, { generation, strict: !!c.strict });
      const want =
        c.expect.outputBase64 !== undefined
          ? Buffer.from(c.expect.outputBase64, 'base64')
          : Buffer.from(c.expect.output ?? '', 'utf8');
      ok = !wantsError && bytes.equals(want);
      got =
        JSON.stringify(jsString(bytes.toString('latin1'))) +
        (c.expect.outputBase64 !== undefined ? ` (bytes ${bytes.toString('hex')})` : '');
    } else {
      const out = substituteObject(
        JSON.parse(JSON.stringify(c.object ?? null)),
        { ...c.vars },
        {
          generation,
          strict: !!c.strict,
          substituteStrategy: c.substituteStrategy,
        },
      );
      got = canonicalJson(out);
      ok = !wantsError && got === canonicalJson(c.expect.object);
    }
  } catch (e) {
    if (!ZotFluxError.isZotFluxError(e)) throw e;
    got = `error: ${e.message}`;
    ok = wantsError;
  }
  return { ok, kind, expected: short(expected), got: short(got) };
}

/** The cases of a JSON-lines file; a line that is not a case is refused with its line number. */
export function parseConformanceFile(text: string, file: string): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let c: unknown;
    try {
      c = JSON.parse(line);
    } catch (e) {
      throw new ZotFluxError({ field: `${file}:${i + 1}`, reason: `is not JSON (${(e as Error).message})` });
    }
    const o = c as Partial<ConformanceCase>;
    if (
      typeof o !== 'object' ||
      o === null ||
      typeof o.id !== 'string' ||
      typeof o.expect !== 'object' ||
      o.expect === null ||
      typeof o.vars !== 'object' ||
      o.vars === null ||
      (typeof o.input !== 'string' && !('object' in o))
    ) {
      throw new ZotFluxError({
        field: `${file}:${i + 1}`,
        reason: 'is not a conformance case (needs id, vars, expect and input or object)',
      });
    }
    cases.push(o as ConformanceCase);
  });
  return cases;
}

export function conformanceCommand(argv: string[], io: Io): number {
  const args = parseArgs(argv, { values: ['flux', 'max'], flags: ['quiet'] });
  if (args.help) {
    io.stdout(CONFORMANCE_USAGE);
    return EXIT_OK;
  }
  const flux = args.options.flux;
  if (flux === undefined) throw new UsageError('--flux 2.7|2.9 is required');
  if (!isFluxGeneration(flux)) throw new UsageError(`--flux must be 2.7 or 2.9, not '${String(flux)}'`);
  let max = Infinity;
  if (args.options.max !== undefined) {
    max = Number(args.options.max);
    if (!/^\d+$/.test(String(args.options.max))) throw new UsageError('--max must be a whole number');
  }
  if (args.positionals.length === 0) throw new UsageError('no conformance FILE given');
  const files = args.positionals.map((f) => {
    const p = userPath(io, f);
    if (!fs.existsSync(p) || !fs.statSync(p).isFile()) throw new UsageError(`${f}: no such file`);
    return { name: f, path: p };
  });
  let passed = 0;
  let failed = 0;
  let printed = 0;
  for (const f of files) {
    const cases = parseConformanceFile(fs.readFileSync(f.path, 'utf8'), f.name);
    const t0 = process.hrtime.bigint();
    let filePassed = 0;
    for (const c of cases) {
      const r = runConformanceCase(c, flux);
      if (r.ok) {
        filePassed++;
        continue;
      }
      if (printed < max) {
        printed++;
        io.stdout(
          `FAIL ${f.name} ${c.id}${c.strict ? ' [strict]' : ''}${c.substituteStrategy ? ` [${c.substituteStrategy}]` : ''}\n` +
            `    expected: ${r.expected}\n    got:      ${r.got}\n`,
        );
      }
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const rate = ms > 0 ? Math.round((cases.length * 1000) / ms) : cases.length;
    if (args.options.quiet !== true)
      io.stdout(
        `${f.name}: ${filePassed}/${cases.length} passed (Flux ${flux}, ${ms.toFixed(0)} ms, ${rate} cases/s)\n`,
      );
    passed += filePassed;
    failed += cases.length - filePassed;
  }
  if (failed > printed) io.stdout(`… ${failed - printed} more mismatches not shown\n`);
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT_OK : EXIT_PROBLEM;
}

// ------------------------------------------------------------------------------------------------
// The committed subset
// ------------------------------------------------------------------------------------------------

export const CONFORMANCE_SUBSET_USAGE = `usage: npm run conformance:subset -- [--from DIR] [--out DIR] [--quiet]

Derives the committed subset of the Flux conformance data: from DIR (default ../shared/flux-conformance
next to the project) into --out (default test/fixtures/flux-conformance), four .jsonl files and
PROVENANCE.md. Deterministic: the same input files give the same output bytes.

  --from DIR   the folder of the four conformance files
  --out DIR    where the subset is written
  --quiet      no line per file: only errors and the summary line
  --help       this text

Exit codes: 0 written, 1 a source file is not conformance cases (or cannot be read or written),
2 usage, 3 a bug in zot-flux.
`;

/** The four shared files and the generation each one is for. */
export const CONFORMANCE_FILES: ReadonlyArray<{ file: string; generation: FluxGeneration; kind: 'text' | 'pipeline' }> =
  [
    { file: 'envsubst-v1.5.0.jsonl', generation: '2.7', kind: 'text' },
    { file: 'envsubst-v1.7.0.jsonl', generation: '2.9', kind: 'text' },
    { file: 'pipeline-v1.7.3.jsonl', generation: '2.7', kind: 'pipeline' },
    { file: 'pipeline-v1.9.4.jsonl', generation: '2.9', kind: 'pipeline' },
  ];

// The kit's hand-written cases carry a fake htpasswd line in vars.HASH; the project commits no
// htpasswd-looking line (lib/checks/credentials.ts patterns), so cases that use it are left out and the
// unused value is replaced.
const FAKE_CREDENTIAL = /\$(2[abxy]?|apr1|1|5|6)\$|\{SHA\}/;
const REDACTED = 'redacted-unused';

function expectKind(e: ConformanceCase['expect']): string {
  if (e.panic) return 'panic';
  if (e.error) return 'error';
  if (e.outputBase64 !== undefined) return 'bytes';
  return 'object' in e ? 'object' : 'output';
}

// Which operators a text uses, for coverage (a rough lexical view; the parser itself is what is tested).
function operators(input: string): string[] {
  const ops = new Set<string>();
  for (const m of input.matchAll(/\$\{(#?)[\p{L}\p{N}_]*(:[-=?+]|[,^]{1,2}|\/[/#%]?|#{1,2}|%{1,2}|:|=)?/gu)) {
    ops.add((m[1] ? 'len' : '') + (m[2] ?? 'bare'));
  }
  if (input.includes('$$')) ops.add('escape');
  if (ops.size === 0) ops.add('none');
  return [...ops].sort();
}

function messageClass(e: ConformanceCase['expect']): string {
  if (!e.error && !e.panic) return 'ok';
  return (e.message ?? '')
    .replace(/line \d+/g, 'line N')
    .replace(/"[^"]*"/g, '""')
    .replace(/'[^']*'/g, "''")
    .replace(/`[^`]*`/g, '``')
    .replace(/\[[^\]]*\]/g, '[]')
    .slice(0, 80);
}

function usesCredential(c: ConformanceCase): boolean {
  const text = c.input ?? JSON.stringify(c.object);
  return text.includes('HASH') || FAKE_CREDENTIAL.test(text) || FAKE_CREDENTIAL.test(JSON.stringify(c.expect));
}

/**
 * Greedy coverage in file order: a case is taken when it covers a requirement no earlier case covered.
 * Text (the ids are the same in both envsubst files): each (expected kind in v1.5.0, in v1.7.0, strict,
 * operator), each source, each source × kinds × strict. Pipeline (ids shared by both files): each category
 * (id without its counter) × expected kind per file × strict × strategy, each error-message class per file,
 * each var value of the value:* families (the value index), every non-UTF-8 and panic case.
 */
export function selectSubset(
  pair: readonly [ConformanceCase[], ConformanceCase[]],
  kind: 'text' | 'pipeline',
): string[] {
  const [a, b] = pair;
  const bById = new Map(b.map((c) => [c.id, c]));
  const aById = new Map(a.map((c) => [c.id, c]));
  const ids = [...a.map((c) => c.id), ...b.filter((c) => !aById.has(c.id)).map((c) => c.id)];
  const covered = new Set<string>();
  const picked: string[] = [];
  for (const id of ids) {
    const ca = aById.get(id);
    const cb = bById.get(id);
    const c = (cb ?? ca)!;
    if ((ca && usesCredential(ca)) || (cb && usesCredential(cb))) continue;
    const ka = ca ? expectKind(ca.expect) : '-';
    const kb = cb ? expectKind(cb.expect) : '-';
    const reqs: string[] = [];
    if (kind === 'text') {
      const src = (c.source ?? '').replace(/@[^/]*\//, '/');
      for (const op of operators(c.input ?? '')) reqs.push(`op|${ka}|${kb}|${!!c.strict}|${op}`);
      reqs.push(`src|${src}`, `srckind|${src}|${ka}|${kb}|${!!c.strict}`);
      if (ka === 'bytes' || ka === 'panic' || kb === 'panic') reqs.push(`all|${id}`);
    } else {
      const category = id
        .replace(/:\d+$/, '')
        .replace(/^strict:\d+/, 'strict')
        .replace(/^fold:plain:\d+/, 'fold:plain');
      reqs.push(`cat|${category}|${ka}|${kb}|${!!c.strict}|${c.substituteStrategy ?? ''}`);
      if (ca) reqs.push(`msg-a|${messageClass(ca.expect)}`);
      if (cb) reqs.push(`msg-b|${messageClass(cb.expect)}`);
      const value = /^value:[A-Za-z]+:(\d+)$/.exec(id);
      if (value) reqs.push(`value|${value[1]}`);
    }
    if (reqs.some((r) => !covered.has(r))) {
      picked.push(id);
      for (const r of reqs) covered.add(r);
    }
  }
  return picked;
}

function redact(line: string): string {
  const c = JSON.parse(line) as ConformanceCase & { vars: Record<string, string> };
  if (c.vars.HASH !== undefined && FAKE_CREDENTIAL.test(c.vars.HASH)) c.vars.HASH = REDACTED;
  return JSON.stringify(c);
}

function findProjectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from);
  }
}

export function conformanceSubsetCommand(argv: string[], io: Io): number {
  const args = parseArgs(argv, { values: ['from', 'out'], flags: ['quiet'] });
  const quiet = args.options.quiet === true;
  if (args.help) {
    io.stdout(CONFORMANCE_SUBSET_USAGE);
    return EXIT_OK;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const root = findProjectRoot(io.cwd);
  const from =
    typeof args.options.from === 'string'
      ? userPath(io, args.options.from)
      : path.join(root, '..', 'shared', 'flux-conformance');
  const out =
    typeof args.options.out === 'string'
      ? userPath(io, args.options.out)
      : path.join(root, 'test', 'fixtures', 'flux-conformance');
  const read = (file: string) => {
    const p = path.join(from, file);
    if (!fs.existsSync(p))
      throw new UsageError(`${p}: no such file (--from names the folder of the four conformance files)`);
    const text = fs.readFileSync(p, 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    return {
      text,
      lines,
      cases: parseConformanceFile(text, file),
      sha256: crypto.createHash('sha256').update(text).digest('hex'),
    };
  };
  const src = CONFORMANCE_FILES.map((f) => ({ ...f, ...read(f.file) }));
  const picks = {
    text: selectSubset([src[0].cases, src[1].cases], 'text'),
    pipeline: selectSubset([src[2].cases, src[3].cases], 'pipeline'),
  };
  fs.mkdirSync(out, { recursive: true });
  const counts: string[] = [];
  for (const f of src) {
    const wanted = new Set(picks[f.kind]);
    const lines = f.lines.filter((_l, i) => wanted.has(f.cases[i].id)).map(redact);
    for (const l of lines) {
      if (FAKE_CREDENTIAL.test(l))
        throw new ZotFluxError({ field: f.file, reason: 'the subset would hold an htpasswd-looking value' });
    }
    atPath(path.join(out, f.file), () => fs.writeFileSync(path.join(out, f.file), lines.join('\n') + '\n'));
    counts.push(`| \`${f.file}\` | Flux ${f.generation} | ${f.cases.length} | ${lines.length} | \`${f.sha256}\` |`);
    if (!quiet) io.stdout(`${f.file}: ${lines.length} of ${f.cases.length} cases\n`);
  }
  atPath(path.join(out, 'PROVENANCE.md'), () =>
    fs.writeFileSync(
      path.join(out, 'PROVENANCE.md'),
      `# Flux conformance subset: provenance

These four files are a deterministic subset of the conformance data in \`../shared/flux-conformance/\`
(produced there by running Flux's own Go code: fluxcd/pkg envsubst and kustomize varsub with the YAML
libraries kustomize-controller links, at the tags kustomize-controller v1.7.3 and v1.9.4 pin; see that
folder's README.md and SOURCES.txt). They run in \`npm test\` (test/flux/*.test.ts) without ../shared;
the full files run in \`npm run test:shared\` (test/flux/conformance.shared.test.ts) and
\`npm run conformance\`.

| file | for | cases in the source | cases here | sha256 of the source file |
|---|---|---|---|---|
${counts.join('\n')}

## How the cases were chosen

\`node scripts/run.js scripts/conformance-subset.ts\` (scripts/conformance-tool.ts \`selectSubset\`) walks each pair of
files (the two envsubst files share their ids, as do the two pipeline files) in file order and keeps a case
when it covers something no earlier kept case covered:

- text: every (expected result in v1.5.0, in v1.7.0, strict, operator) combination — operators \`\${V}\`,
  \`\${#V}\`, \`, ,, ^ ^^\`, \`# ## % %%\`, \`/ // /# /%\`, \`:\` (substring), \`= := :- :? :+\`, \`$$\` escapes — every
  source (hand-written, the Go package's own test tables, fuzz), every source × results × strict, and every
  case whose Go output is not valid UTF-8 (\`outputBase64\`) or that makes Go panic;
- pipeline: every category (the id without its counter: value:*, shape:*, roundtrip:*, optout:*, key:*,
  novars:*, strict:*, newline, fold:*, real:*, upstream-test:*) × expected result in each file × strict ×
  substituteStrategy, every error-message class in each file, and every var value of the value:* families.

Cases that use the kit's fake htpasswd line (\`vars.HASH\`, or the line itself in an object) are left out, and
where \`vars.HASH\` is present but unused its value is replaced by \`${REDACTED}\` (unused variables do not change
a result; the tests prove the expectations still hold). Lines are otherwise copied verbatim.
`,
    ),
  );
  io.stdout(`wrote ${out}\n`);
  return EXIT_OK;
}
