// The fleet's zot registry. Change the props here, run `npm run synth`, commit the clusters/ diff.
//
// Where things are:
//   chart version ........... lib/zot/chart.ts (ZOT_CHART_VERSION, the one place; Renovate bumps it)
//   gateways, hostnames ..... route: { gateways, gatewayNamespace, hostnames }   defaults: lib/constructs/zot-route.ts
//   users, policies ......... release: { users, anonymousRead }                   defaults: lib/constructs/zot-release.ts
//   port, storage ........... release: { port, storageSize, accessModes }
//   Flux Kustomization ...... kustomization: { interval, parentInjectsPostBuild, ... }
//   file layout ............. layout: { appsDir, helmRepositoriesDir }           lib/layout/layout.ts
// With no props, ZotApp is the seed system: chart ZOT_CHART_VERSION, 20Gi RWO, ClusterIP 5000, `admin` from
// COMMON_OCI, oci.${CLUSTER_DOMAIN} on the ts, private and public gateways in namespace home.
// `npm run synth` (scripts/synth.ts) writes what buildApp() builds.
import { App } from 'cdk8s';
import { ZotApp } from './lib/constructs/zot-app';

export function buildApp(): App {
  const app = new App();
  new ZotApp(app, 'zot');
  return app;
}
