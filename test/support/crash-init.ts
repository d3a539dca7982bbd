// An init that kills itself (SIGKILL, no clean-up of any kind) just before its Nth change to the disk
// (lib/init/write.ts hooks.beforeChange). Usage: node <bundle> ROOT N. Prints the changes it made
// and what it recovered when it was not killed. Used by test/init/write.test.ts.
import { runInit } from '../../lib/init/init';

const [root, at] = process.argv.slice(2);
let changes = 0;
const r = runInit(
  root,
  { cluster: 'alpha', domain: 'alpha.example.com' },
  {
    hooks: {
      beforeChange: () => {
        if (++changes === Number(at)) process.kill(process.pid, 'SIGKILL');
      },
    },
  },
);
process.stdout.write(`${JSON.stringify({ changes, created: r.create.size, recovered: r.recovered })}\n`);
