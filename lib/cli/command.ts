// What every command shares: its streams, the folder relative paths are taken from, option parsing,
// and one place that turns an error into a message and an exit code.
//
// Exit codes of every command: 0 ok; 1 a refusal or a problem found (drift, a cluster at fault,
// a mismatch), the user's world (full disk, read-only folder, missing path, symlink loop, a missing
// tool, absurd nesting); 2 a usage error; 3 a bug in zot-flux (printed with its stack: please report
// it). Which failure gets which code is decided in one place: failure.ts (describeFailure, EXIT_CODES).
import * as fs from 'fs';
import * as path from 'path';
import { describeFailure, EXIT_CODES, UsageError } from './failure';
import { errnoCode } from '../core/errno';

export { UsageError } from './failure';

export const EXIT_OK = 0;
export const EXIT_PROBLEM = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUG = 3;

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** The folder the user ran the command in: npm passes it as INIT_CWD (npm run runs in the project root). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): Io {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.env.INIT_CWD || process.cwd(),
    env: process.env,
  };
}

export interface OptionSpec {
  /** Options that take a value (`--out DIR`, `--out=DIR`). */
  readonly values?: readonly string[];
  /** Options without a value. */
  readonly flags?: readonly string[];
  /** Options that may be given more than once (their values are collected). */
  readonly repeatable?: readonly string[];
}

export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | true | string[]>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Parses `--name VALUE`, `--name=VALUE`, flags, `--help`/`-h` and `--` (everything after it is positional). */
export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const options: Record<string, string | true | string[]> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--help' || a === '-h') {
      help = true;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = (eq === -1 ? a : a.slice(0, eq)).replace(/^--?/, '');
    if (spec.flags?.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    if (!spec.values?.includes(name)) throw new UsageError(`unknown option '${eq === -1 ? a : a.slice(0, eq)}'`);
    let value: string | undefined;
    if (eq !== -1) value = a.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined || (value.startsWith('--') && value.length > 2))
        throw new UsageError(`--${name} needs a value`);
    }
    if (value === '') throw new UsageError(`--${name} needs a value (it is empty)`);
    if (spec.repeatable?.includes(name)) options[name] = [...((options[name] as string[] | undefined) ?? []), value];
    else if (options[name] !== undefined) throw new UsageError(`--${name} is given twice`);
    else options[name] = value;
  }
  return { options, positionals, help };
}

/** What stands at a path the user typed, following links; 'loop' for a symbolic-link loop. */
function kindAt(file: string): 'file' | 'folder' | 'other' | 'missing' | 'loop' {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
  } catch (e) {
    return errnoCode(e) === 'ELOOP' ? 'loop' : 'missing';
  }
}

const KIND_TEXT = {
  missing: 'does not exist',
  loop: 'is a loop of symbolic links',
  folder: 'is a folder, not a file',
  file: 'is a file, not a folder',
  other: 'is not a regular file or folder',
} as const;

/**
 * A file an option (or argument) names, checked before any work: missing, a folder, a link loop or a
 * device is a usage error (exit 2) naming the option and the path, the same in every command.
 */
export function optionFile(io: Io, value: string, option: string): string {
  const file = userPath(io, value);
  const kind = kindAt(file);
  if (kind !== 'file' && !(kind === 'other' && fs.statSync(file).isFIFO()))
    throw new UsageError(`${option}: '${file}' ${KIND_TEXT[kind]}`);
  return file;
}

/** A folder an option names that must exist: as optionFile, for folders. */
export function optionFolder(io: Io, value: string, option: string): string {
  const dir = userPath(io, value);
  const kind = kindAt(dir);
  if (kind !== 'folder') throw new UsageError(`${option}: '${dir}' ${KIND_TEXT[kind]}`);
  return dir;
}

/** A folder an option names for output: it may not exist yet (it is made); something else standing there is a usage error. */
export function outputFolder(io: Io, value: string, option: string): string {
  const dir = userPath(io, value);
  const kind = kindAt(dir);
  if (kind !== 'folder' && kind !== 'missing') throw new UsageError(`${option}: '${dir}' ${KIND_TEXT[kind]}`);
  return dir;
}

/**
 * Writes a file of a command's output folder by renaming a complete temporary file over it: a symbolic
 * link standing at that name is replaced, never written through, and a reader never sees half a file.
 */
export function replaceFile(file: string, text: string): void {
  const tmp = `${file}.zot-flux-tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A path the user typed, taken from the folder they ran the command in. */
export function userPath(io: Io, p: string): string {
  return path.resolve(io.cwd, p);
}

/**
 * Turns an error into its message and exit code, for every command (failure.ts decides the kind and the code):
 * refusals and the user's world are for people, anything else is a bug (with its stack).
 */
export function reportError(command: string, e: unknown, io: Io, usage?: string): number {
  const failure = describeFailure(e);
  if (failure.kind === 'usage') io.stderr(`${command}: ${failure.message}\n${usage ? `\n${usage}` : ''}`);
  else io.stderr(`${command}: ${failure.message}\n`);
  return EXIT_CODES[failure.kind];
}

/** Runs a command in this process: reads argv, sets the exit code. The entry points in scripts/ and main.ts call this. */
export function runCommand(
  command: string,
  main: (argv: string[], io: Io) => number | Promise<number>,
  usage?: string,
): void {
  const io = processIo();
  Promise.resolve()
    .then(() => main(process.argv.slice(2), io))
    .catch((e) => reportError(command, e, io, usage))
    .then((code) => {
      process.exitCode = code;
    });
}
