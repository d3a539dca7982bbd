// The zot Helm chart this project deploys: the one place its version and source live.
// Renovate updates ZOT_CHART_VERSION through the annotation below (see renovate.json).

// renovate: datasource=helm depName=zot registryUrl=https://zotregistry.dev/helm-charts
export const ZOT_CHART_VERSION = '0.1.122';

/** The chart's Helm repository (the chart index is served over HTTPS). */
export const ZOT_HELM_REPOSITORY_URL = 'https://zotregistry.dev/helm-charts';

/** The chart's name in that repository. */
export const ZOT_CHART_NAME = 'zot';

/** Where the chart mounts the Secret built from `secretFiles` (templates/statefulset.yaml). */
export const ZOT_SECRET_MOUNT_DIR = '/secret';

/** The config file the image runs (`zot serve /etc/zot/config.json`). */
export const ZOT_CONFIG_FILE = 'config.json';

/**
 * The Service name the chart gives a release (the usual `fullname` helper): the release name when
 * it contains the chart name, otherwise `<release>-zot`, cut to 63 characters.
 */
export function zotServiceName(releaseName: string): string {
  const full = releaseName.includes(ZOT_CHART_NAME) ? releaseName : `${releaseName}-${ZOT_CHART_NAME}`;
  return full.slice(0, 63).replace(/-+$/, '');
}
