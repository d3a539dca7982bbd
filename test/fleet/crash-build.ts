// A fleet build that kills itself (SIGKILL: no clean-up of any kind) once its temporary folder holds a build.
// Usage: node <bundle> REPO DIR. Prints the builder's folder first. Used by test/fleet/build-folders.test.ts.
import { FluxBuilder } from '../../lib/fleet/build';

const [repo, dir] = process.argv.slice(2);
const builder = new FluxBuilder(repo);
process.stdout.write(`${builder.tempDir()}\n`, () => {
  // targetNamespace makes Flux rewrite the folder's kustomization: a mirror in the temporary folder.
  builder.buildAll([{ dir, spec: { targetNamespace: 'killed' } }]);
  process.kill(process.pid, 'SIGKILL');
});
