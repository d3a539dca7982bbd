// A synth run that kills itself (SIGKILL, no clean-up of any kind) just before its Nth file-system
// change. Usage: node <bundle> ROOT APP_NAME N. Prints the number of changes it made when it was
// not killed. Used by test/synth/crash.test.ts.
import { App } from 'cdk8s';
import { ZotApp } from '../../lib/constructs/zot-app';
import { nodeFs, WriterFs } from '../../lib/synth/apply';
import { synthesize } from '../../lib/synth/synthesize';
import { pinned } from './tree';

const [root, name, at] = process.argv.slice(2);
const killAt = Number(at);
let changes = 0;
const step = () => {
  if (++changes === killAt) process.kill(process.pid, 'SIGKILL');
};
const io: WriterFs = {
  ...nodeFs,
  writeFileSync: (f, d) => {
    step();
    nodeFs.writeFileSync(f, d);
  },
  renameSync: (a, b) => {
    step();
    nodeFs.renameSync(a, b);
  },
  unlinkSync: (f) => {
    step();
    nodeFs.unlinkSync(f);
  },
  mkdirSync: (d) => {
    step();
    nodeFs.mkdirSync(d);
  },
  rmdirSync: (d) => {
    step();
    nodeFs.rmdirSync(d);
  },
};
const app = new App();
new ZotApp(app, 'zot', pinned({ name }));
synthesize(app, root, { io });
process.stdout.write(`${changes}\n`);
