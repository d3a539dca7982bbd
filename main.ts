// The zot registry of the fleet. Change the props here (or the defaults in lib/), then `npm run synth`.
import { App } from 'cdk8s';
import { ZotApp } from './lib/zot-app';
import { projectRoot, runSynth } from './lib/synth-cli';

export function buildApp(): App {
  const app = new App();
  new ZotApp(app, 'zot');
  return app;
}

// Run only as the synth entry point (other commands bundle this file to reuse buildApp).
if (require.main === module && /[\\/]main\.[jt]s$/.test(require.main.filename)) {
  process.exitCode = runSynth(process.argv.slice(2), buildApp, projectRoot(__dirname));
}
