// A diff that kills itself (SIGKILL, no clean-up of any kind) just before its Nth worktree step
// (lib/tools/git.ts worktreeSteps). Usage: node <bundle> N DIFF_ARGS... Prints the steps it took
// when it was not killed. Used by test/tools/git.test.ts.
import { diffCommand } from '../../lib/cli/diff';
import { worktreeSteps } from '../../lib/tools/git';

const [at, ...args] = process.argv.slice(2);
let steps = 0;
worktreeSteps.before = () => {
  if (++steps === Number(at)) process.kill(process.pid, 'SIGKILL');
};
const code = diffCommand(args, {
  stdout: () => undefined,
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
});
process.stdout.write(`${steps} ${code}\n`);
