// git, for the diff of two revisions: worktrees (no stash, nothing of the user's checkout touched).
// diff touches only worktrees it made, named for the process that made them; it never runs
// `git worktree prune`, which would unregister a user's worktree whose folder is briefly away.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { refuse } from '../core/error';
import { deadOwnedFolders, folderOwner, makeOwnedFolder, ownerAlive, ProcessId, scratchBase } from './owner';

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

/** diff's own worktree folders: `zot-flux-diff-<pid>-<start time>-<6 random>` under scratchBase() (lib/tools/owner.ts). */
export const WORKTREE_PREFIX = 'zot-flux-diff-';

/** The process that made a folder named as diff names its worktrees, or undefined for any other name. */
export function worktreeOwner(folder: string): ProcessId | undefined {
  return folderOwner(WORKTREE_PREFIX, folder);
}

/** Test seam: called before each step that creates or removes a worktree (tests kill the process there). */
export const worktreeSteps: { before?: (step: string) => void } = {};
const step = (name: string) => worktreeSteps.before?.(name);

interface ListedWorktree {
  readonly path: string;
  readonly detached: boolean;
}

/** `git worktree list --porcelain` (with -z where git has it: paths may hold newlines). */
function listWorktrees(top: string): ListedWorktree[] {
  const z = spawnSync('git', ['worktree', 'list', '--porcelain', '-z'], { cwd: top, encoding: 'utf8' });
  const text = z.status === 0 ? z.stdout : git(top, ['worktree', 'list', '--porcelain']);
  const sep = z.status === 0 ? '\0' : '\n';
  const out: ListedWorktree[] = [];
  let current: { path: string; detached: boolean } | undefined;
  for (const line of text.split(sep)) {
    if (line.startsWith('worktree ')) out.push((current = { path: line.slice('worktree '.length), detached: false }));
    else if (line === 'detached' && current) current.detached = true;
  }
  return out.slice(1); // the first is the main working tree
}

/**
 * Removes what diffs that were killed left in the repository at `top`: each registered worktree named
 * as diff names its own (detached, its owner's pid dead or reused), with `git worktree remove --force
 * --force` (the second force: git locks a worktree while adding it, and a kill there leaves it locked),
 * and such folders under the scratch base that no live diff owns. Every other worktree is left alone,
 * prunable ones included: diff never runs `git worktree prune`. Returns the paths it removed.
 */
export function removeLeftWorktrees(top: string, base: string = scratchBase()): string[] {
  const removed: string[] = [];
  const dead = (p: string) => {
    const owner = worktreeOwner(p);
    return owner !== undefined && !ownerAlive(owner);
  };
  for (const w of listWorktrees(top)) {
    if (!w.detached || !dead(w.path)) continue;
    step('remove-left');
    const r = spawnSync('git', ['worktree', 'remove', '--force', '--force', w.path], { cwd: top, encoding: 'utf8' });
    if (r.status === 0) removed.push(w.path);
  }
  for (const dir of deadOwnedFolders(base, WORKTREE_PREFIX)) {
    if (registeredElsewhere(dir)) continue;
    step('remove-left-folder');
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * Whether a left folder is still a worktree of some repository (its `.git` file points at an admin
 * folder that exists): a diff of another repository was killed. That repository's next diff removes it
 * with git; deleting the folder here would leave it registered there.
 */
function registeredElsewhere(dir: string): boolean {
  try {
    const m = /^gitdir: (.*)$/m.exec(fs.readFileSync(path.join(dir, '.git'), 'utf8'));
    return m !== null && fs.existsSync(path.resolve(dir, m[1].trim()));
  } catch {
    return false;
  }
}

export interface Worktree {
  readonly dir: string;
  /** What this call removed that killed diffs had left (see removeLeftWorktrees). */
  readonly cleaned: readonly string[];
  remove(): void;
}

/**
 * A detached worktree of `ref` in a temporary folder named for this process (see WORKTREE_PREFIX);
 * `remove()` takes it away again, and only it. Before adding, removes what killed diffs left.
 */
export function addWorktree(top: string, ref: string): Worktree {
  const commit = resolveRevision(top, ref);
  const base = scratchBase();
  const cleaned = removeLeftWorktrees(top, base);
  step('mkdtemp');
  const dir = makeOwnedFolder(base, WORKTREE_PREFIX);
  step('add');
  try {
    git(top, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  } catch (e) {
    spawnSync('git', ['worktree', 'remove', '--force', '--force', dir], { cwd: top });
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  step('added');
  let removed = false;
  return {
    dir,
    cleaned,
    remove: () => {
      if (removed) return;
      removed = true;
      step('remove');
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: top });
      step('rm');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
