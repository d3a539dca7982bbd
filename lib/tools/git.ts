// git, for the diff of two revisions: worktrees (no stash, nothing of the user's checkout touched).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { refuse } from '../core/error';

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) refuse('git', args.join(' '), `cannot run: ${r.error.message}`);
  if (r.status !== 0) refuse(`git ${args[0]}`, args.slice(1).join(' '), `failed in ${cwd}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** The root of the git repository holding `dir`. */
export function gitTopLevel(dir: string): string {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  if (r.error || r.status !== 0) refuse('--repo', dir, 'is not inside a git repository');
  return r.stdout.trim();
}

/** The commit a revision names, or a ZotFluxError naming the revision. */
export function resolveRevision(top: string, ref: string): string {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: top, encoding: 'utf8' });
  if (r.status !== 0) refuse('revision', ref, `is not a commit of ${top}`);
  return r.stdout.trim();
}

/**
 * Where worktrees go: TMPDIR when set, else /dev/shm when writable (a fleet's worktree is thousands of
 * small files; on a disk-backed /tmp each costs about a millisecond), else the system temp folder.
 */
function scratchBase(): string {
  if (process.env.TMPDIR) return process.env.TMPDIR;
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

export interface Worktree { readonly dir: string; remove(): void }

/** A detached worktree of `ref` in a temporary folder; `remove()` takes it away again. */
export function addWorktree(top: string, ref: string): Worktree {
  const commit = resolveRevision(top, ref);
  const dir = path.join(fs.mkdtempSync(path.join(scratchBase(), 'zot-flux-diff-')), 'tree');
  git(top, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  return {
    dir,
    remove: () => {
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: top });
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      spawnSync('git', ['worktree', 'prune'], { cwd: top });
    },
  };
}
