// `npm run synth`: option parsing, messages and exit codes. The work is in writer.ts.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { applyPlan, driftReport, planTree, renderFiles, SynthError } from './writer';
import { validateFiles } from './validate';

export const SYNTH_USAGE = `usage: npm run synth -- [--check] [--out DIR]

Writes the zot app's Flux manifests into the clusters/ tree of a GitOps repository.

  --check     write nothing; exit 1 and print a diff for every file that differs from
              what synth would write (CI's drift check)
  --out DIR   the repository root to write into (default: this project's root)
  --quiet     print only errors and the summary line
  --help      this text

Exit codes: 0 ok, 1 validation error or drift, 2 usage error.
`;

/** The nearest folder at or above `from` holding package.json: where the project's clusters/ lives. */
export function projectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export interface SynthIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

const processIo: SynthIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

interface SynthOptions { check: boolean; out: string; quiet: boolean }

function parseArgs(argv: string[], defaultRoot: string): SynthOptions | 'help' | string {
  const opts: SynthOptions = { check: false, out: defaultRoot, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--check') opts.check = true;
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--out') {
      const v = argv[++i];
      if (!v) return '--out needs a directory';
      opts.out = path.resolve(v);
    } else if (a.startsWith('--out=')) opts.out = path.resolve(a.slice(6));
    else return `unknown argument '${a}'`;
  }
  return opts;
}

/** Runs synth; returns the exit code. `buildApp` constructs the app (main.ts). */
export function runSynth(argv: string[], buildApp: () => App, defaultRoot: string, io: SynthIo = processIo): number {
  const parsed = parseArgs(argv, defaultRoot);
  if (parsed === 'help') { io.stdout(SYNTH_USAGE); return 0; }
  if (typeof parsed === 'string') { io.stderr(`synth: ${parsed}\n\n${SYNTH_USAGE}`); return 2; }
  try {
    const rendered = renderFiles(buildApp());
    validateFiles(rendered.files);
    const plan = planTree(parsed.out, rendered);
    const counts = { write: 0, unchanged: 0, remove: 0 };
    for (const c of plan.changes) counts[c.kind]++;
    if (parsed.check) {
      const report = driftReport(plan);
      if (report) {
        const names = plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `  ${c.kind === 'remove' ? 'would remove' : 'differs'}: ${c.path}`);
        io.stdout(report);
        io.stderr(`synth --check: the committed tree is not what synth writes:\n${names.join('\n')}\nrun \`npm run synth\` and commit the result\n`);
        return 1;
      }
      io.stdout(`synth --check: ${plan.changes.length} files match what synth writes\n`);
      return 0;
    }
    applyPlan(plan);
    for (const c of plan.changes) {
      if (parsed.quiet && c.kind === 'unchanged') continue;
      io.stdout(`${c.kind === 'write' ? 'wrote    ' : c.kind === 'remove' ? 'removed  ' : 'unchanged'} ${c.path}\n`);
    }
    io.stdout(`synth: ${counts.write} written, ${counts.unchanged} unchanged, ${counts.remove} removed\n`);
    return 0;
  } catch (e: any) {
    // Refusals carry a message for a person; anything else (a TypeError...) is a bug: show its stack.
    const known = e instanceof SynthError || ['Error', 'ZotConfigError', 'SubstitutionError'].includes(e?.name);
    io.stderr(`synth: error: ${known ? e.message : String(e?.stack ?? e)}\nnothing was written\n`);
    return 1;
  }
}
