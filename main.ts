// The fleet's zot registry. Change the props here, run `npm run synth`, commit the clusters/ diff.
//
// Where things are:
//   chart version ........... lib/zot-chart.ts (ZOT_CHART_VERSION, the one place; Renovate bumps it)
//   gateways, hostnames ..... route: { gateways, gatewayNamespace, hostnames }   defaults: lib/zot-route.ts
//   users, policies ......... release: { users, anonymousRead }                   defaults: lib/zot-release.ts
//   port, storage ........... release: { port, storageSize, accessModes }
//   Flux Kustomization ...... kustomization: { interval, parentInjectsPostBuild, ... }
// With no props, ZotApp is the seed system: chart ZOT_CHART_VERSION, 20Gi RWO, ClusterIP 5000, `admin` from
// COMMON_OCI, oci.${CLUSTER_DOMAIN} on the ts, private and public gateways in namespace home.
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
