// The production props rendered with the real chart (every package in ../shared/charts/zot) and the
// real helm: each chart value the props set is rendered from the chart version CHART_VALUES says and
// not before; each worked example, after Flux's substitution, renders a zot that finds its config,
// its keys, its credentials file and its peers, with its metrics scrapeable as configured.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { renderedChartProblems } from '../support/rendered-chart';
import { zotReleaseCheck } from '../../lib/checks/zot-release';
import { ZotApp, ZotAppProps } from '../../lib/constructs/zot-app';
import { substituteObject } from '../../lib/flux/substitute-object';
import { renderApp } from '../../lib/synth/render';
import { helmTemplate } from '../../lib/tools/helm';
import { kustomizeBuild } from '../../lib/tools/kustomize';
import { ZOT_CHART_VERSION } from '../../lib/zot/chart';
import { knownBadChartReason } from '../../lib/zot/chart-versions';
import { CHART_VALUES, ChartValue, chartRenders } from '../../lib/zot/features/chart-values';
import { ANONYMOUS_METRICS_SINCE, metricsFeature } from '../../lib/zot/features/metrics';
import { appWith, readTree, SHARED, synth, tempDir } from '../support/tree';
import {
  ANONYMOUS_METRICS_EXAMPLE,
  EXAMPLE_VARIABLES,
  HASH_KEY_EXAMPLES,
  HTTP_EXAMPLE,
  LATER_SETUP_EXAMPLE,
  METRICS_EXAMPLE,
  POD_EXAMPLE,
  SCALE_OUT_EXAMPLE,
  STORAGE_EXAMPLE,
  SYNC_EXAMPLE,
} from './production-examples';

const CHARTS = path.join(SHARED, 'charts', 'zot');
const VERSIONS = fs
  .readdirSync(CHARTS)
  .map((f) => /^zot-(\d+\.\d+\.\d+)\.tgz$/.exec(f)?.[1])
  .filter((v): v is string => !!v)
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
const APP = 'clusters/common/apps/zot';

interface Example {
  readonly files: Map<string, string>;
  readonly hr: any;
  readonly values: any;
  readonly config: any;
  readonly objects: any[];
}

/**
 * An example as a cluster gets it: synthesized (with synth itself, or synth's renderer for the hashKey
 * examples, whose 16-byte key only Flux's value gives), substituted by Flux with EXAMPLE_VARIABLES,
 * rendered by helm with the chart the release names.
 */
function example(props: ZotAppProps, chartVersion = ZOT_CHART_VERSION): Example {
  let files: Map<string, string>;
  const withChart = { ...props, release: { ...props.release, chartVersion } };
  if (HASH_KEY_EXAMPLES.has(props)) {
    const app = new App();
    new ZotApp(app, 'zot', withChart);
    files = new Map(renderApp(app).files);
  } else {
    const root = tempDir();
    const r = synth(root, () => appWith(withChart));
    if (r.code !== 0) throw new Error(r.stderr);
    files = readTree(root);
  }
  const raw = (yaml.loadAll(files.get(`${APP}/app/helmrelease.yaml`)!) as any[]).find(Boolean);
  const hr = substituteObject(raw, EXAMPLE_VARIABLES, { generation: '2.9', strict: true }) as any;
  const values = hr.spec.values;
  return {
    files,
    hr,
    values,
    config: JSON.parse(values.configFiles['config.json']),
    objects: render(chartVersion, values),
  };
}

function render(version: string, values: any): any[] {
  const text = helmTemplate({
    chart: path.join(CHARTS, `zot-${version}.tgz`),
    releaseName: 'zot',
    namespace: 'zot',
    values,
  });
  return (yaml.loadAll(text) as any[]).filter(Boolean);
}

const find = (objects: any[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const zotContainer = (sts: any) => sts.spec.template.spec.containers.find((c: any) => c.name === 'zot');
const problems = (e: Example, version = ZOT_CHART_VERSION) =>
  renderedChartProblems({ objects: e.objects, values: e.values, config: e.config, what: `chart ${version}` });

test('the shared folder holds the charts, the default among them', () => {
  expect(VERSIONS.length).toBeGreaterThanOrEqual(20);
  expect(VERSIONS).toContain(ZOT_CHART_VERSION);
});

describe.each(VERSIONS)(
  'chart %s renders each typed value from the version CHART_VALUES names, not before',
  (version) => {
    const markers: Record<ChartValue, unknown> = {
      env: [{ name: 'ZOT_FLUX_MARKER', value: 'x' }],
      startupProbe: { initialDelaySeconds: 7, periodSeconds: 11, failureThreshold: 77 },
      resources: { limits: { memory: '77Mi' } },
      nodeSelector: { 'zot-flux/marker': 'x' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zot-flux/marker', operator: 'Exists' }] }],
          },
        },
      },
      tolerations: [{ key: 'zot-flux/marker', operator: 'Exists' }],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'zot' } },
        },
      ],
      replicaCount: 2,
      serviceHeadless: { enabled: true, port: 5000 },
      'metrics.serviceMonitor': { enabled: true, serviceMonitor: { enabled: true } },
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    };
    const rendered = (value: ChartValue, objects: any[]): boolean => {
      const sts = find(objects, 'StatefulSet');
      const pod = sts.spec.template.spec;
      switch (value) {
        case 'env':
          return (zotContainer(sts).env ?? []).some((e: any) => e.name === 'ZOT_FLUX_MARKER');
        case 'startupProbe':
          return zotContainer(sts).startupProbe?.failureThreshold === 77;
        case 'resources':
          return zotContainer(sts).resources?.limits?.memory === '77Mi';
        case 'nodeSelector':
          return pod.nodeSelector?.['zot-flux/marker'] === 'x';
        case 'affinity':
          return pod.affinity?.nodeAffinity !== undefined;
        case 'tolerations':
          return (pod.tolerations ?? []).some((t: any) => t.key === 'zot-flux/marker');
        case 'topologySpreadConstraints':
          return (pod.topologySpreadConstraints ?? []).length === 1;
        case 'replicaCount':
          return sts.spec.replicas === 2;
        case 'serviceHeadless':
          return (
            find(objects, 'Service', 'zot-headless')?.spec?.publishNotReadyAddresses === true &&
            sts.spec.serviceName === 'zot-headless'
          );
        case 'metrics.serviceMonitor':
          return find(objects, 'ServiceMonitor') !== undefined;
        case 'podDisruptionBudget':
          return find(objects, 'PodDisruptionBudget') !== undefined;
      }
    };
    test('with every marker set at once', () => {
      const seed = example({}, knownBadChartReason(version) ? ZOT_CHART_VERSION : version).values;
      const { 'metrics.serviceMonitor': metrics, ...rest } = markers;
      const objects = render(version, { ...seed, ...rest, metrics });
      const got = Object.fromEntries((Object.keys(markers) as ChartValue[]).map((k) => [k, rendered(k, objects)]));
      const want = Object.fromEntries((Object.keys(markers) as ChartValue[]).map((k) => [k, chartRenders(version, k)]));
      expect(got).toEqual(want);
      expect(Object.keys(markers).sort()).toEqual(Object.keys(CHART_VALUES).sort());
    });
  },
);

describe.each(VERSIONS.filter((v) => !knownBadChartReason(v)))(
  'chart %s: the ServiceMonitor as the metrics props set it',
  (version) => {
    test("anonymous: basicAuth false leaves basic auth out; with a Secret it signs in; it scrapes the Service port zot listens on, at zot's path", () => {
      const seed = example({}, version);
      // the chart values the metrics prop writes for an anonymous scrape (basicAuth: false)
      const anonValues = metricsFeature({
        metrics: { anonymous: true, serviceMonitor: {} },
        zotVersion: ANONYMOUS_METRICS_SINCE,
        userNames: [],
      }).values!;
      expect((anonValues as any).metrics.serviceMonitor.basicAuth).toBe(false);
      const withAnon = render(version, { ...seed.values, ...anonValues });
      const sm = find(withAnon, 'ServiceMonitor');
      expect(sm.spec.endpoints[0].basicAuth).toBeUndefined();
      expect(sm.spec.endpoints[0].path).toBe('/metrics');
      const svc = find(withAnon, 'Service', 'zot');
      expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
      expect(sm.spec.selector.matchLabels).toEqual(
        Object.fromEntries(Object.entries(svc.metadata.labels).filter(([k]) => k in sm.spec.selector.matchLabels)),
      );
      const m = example(METRICS_EXAMPLE, version);
      const ba = find(m.objects, 'ServiceMonitor').spec.endpoints[0].basicAuth;
      expect(ba).toEqual({
        password: { name: 'zot-metrics-auth', key: 'password' },
        username: { name: 'zot-metrics-auth', key: 'username' },
      });
    });
  },
);

describe('the worked examples on the default chart', () => {
  test("storage: the keys reach the container from the claim's Secret and nowhere else; zot's config names the bucket", () => {
    const e = example(STORAGE_EXAMPLE);
    expect(problems(e)).toEqual([]);
    const c = zotContainer(find(e.objects, 'StatefulSet'));
    expect(c.env).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'zot-bucket', key: 'AWS_ACCESS_KEY_ID' } } },
      {
        name: 'AWS_SECRET_ACCESS_KEY',
        valueFrom: { secretKeyRef: { name: 'zot-bucket', key: 'AWS_SECRET_ACCESS_KEY' } },
      },
    ]);
    const cm = find(e.objects, 'ConfigMap', 'zot-config');
    expect(JSON.parse(cm.data['config.json']).storage.storageDriver).toMatchObject({
      bucket: 'zot-registry',
      regionendpoint: EXAMPLE_VARIABLES.S3_ENDPOINT,
    });
    expect(zotReleaseCheck(e.hr).errors).toEqual([]);
  });

  test('scale-out: the members zot resolves are the pods of the StatefulSet under its headless Service; the PDB covers them', () => {
    const e = example(SCALE_OUT_EXAMPLE);
    expect(problems(e)).toEqual([]);
    const sts = find(e.objects, 'StatefulSet');
    const headless = find(e.objects, 'Service', sts.spec.serviceName);
    expect(sts.spec.replicas).toBe(3);
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const port = headless.spec.ports[0].port;
    expect(e.config.cluster.members).toEqual(
      [0, 1, 2].map((i) => `${sts.metadata.name}-${i}.${headless.metadata.name}:${port}`),
    );
    expect(e.config.cluster.hashKey).toHaveLength(16);
    const pdb = find(e.objects, 'PodDisruptionBudget');
    expect(pdb === undefined).toBe(!chartRenders(ZOT_CHART_VERSION, 'podDisruptionBudget'));
    if (pdb) {
      expect(pdb.spec.maxUnavailable).toBe(1);
      expect(sts.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
    }
    expect(zotReleaseCheck(e.hr).errors).toEqual([]);
  });

  test('sync: the credentials file is in the mounted Secret where config.json looks, and holds what Flux substituted', () => {
    const e = example(SYNC_EXAMPLE);
    expect(problems(e)).toEqual([]);
    const sts = find(e.objects, 'StatefulSet');
    const mount = zotContainer(sts).volumeMounts.find((m: any) =>
      e.config.extensions.sync.credentialsFile.startsWith(`${m.mountPath}/`),
    );
    const volume = sts.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
    const secret = find(e.objects, 'Secret', volume.secret.secretName);
    const key = e.config.extensions.sync.credentialsFile.slice(mount.mountPath.length + 1);
    expect(JSON.parse(Buffer.from(secret.data[key], 'base64').toString('utf8'))).toEqual({
      'ghcr.io': JSON.parse(EXAMPLE_VARIABLES.ZOT_SYNC_GHCR),
    });
    expect(zotReleaseCheck(e.hr).errors).toEqual([]);
  });

  test("anonymous metrics: the app ServiceMonitor selects the chart's Service and names its port", () => {
    const e = example(ANONYMOUS_METRICS_EXAMPLE);
    expect(problems(e)).toEqual([]);
    expect(find(e.objects, 'ServiceMonitor')).toBeUndefined();
    const sm = (yaml.loadAll(e.files.get(`${APP}/app/servicemonitor.yaml`)!) as any[]).find(Boolean);
    const svc = find(e.objects, 'Service', 'zot');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
  });

  test('HTTP and pod: compat in the mounted config, the probe timing and placement on the pod', () => {
    const h = example(HTTP_EXAMPLE);
    expect(problems(h)).toEqual([]);
    expect(JSON.parse(find(h.objects, 'ConfigMap', 'zot-config').data['config.json']).http.compat).toEqual([
      'docker2s2',
    ]);
    const p = example(POD_EXAMPLE);
    expect(problems(p)).toEqual([]);
    const pod = find(p.objects, 'StatefulSet').spec.template.spec;
    expect(zotContainer({ spec: { template: { spec: pod } } }).startupProbe).toMatchObject({
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 30,
    });
    expect(zotContainer({ spec: { template: { spec: pod } } }).resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { memory: '2Gi' },
    });
    expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/storage': 'true' });
    expect(pod.tolerations[0]).toMatchObject({ key: 'dedicated', value: 'storage' });
    expect(
      pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey,
    ).toBe('kubernetes.io/hostname');
  });

  test('the later setup: renders clean, zot starts, and kustomize builds the app folder with every object in namespace zot', () => {
    const e = example(LATER_SETUP_EXAMPLE);
    expect(problems(e)).toEqual([]);
    expect(zotReleaseCheck(e.hr).errors).toEqual([]);
    expect(find(e.objects, 'StatefulSet').spec.replicas).toBe(2);
    const root = tempDir();
    for (const [file, text] of e.files) {
      fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    const built = (yaml.loadAll(kustomizeBuild(path.join(root, APP, 'app'))) as any[]).filter(Boolean);
    expect(built.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'BackendTrafficPolicy/zot/zot',
      'ConfigMap/zot/zot-dashboard',
      'HTTPRoute/zot/zot',
      'HelmRelease/zot/zot',
      'ObjectBucketClaim/zot/zot-bucket',
      'Probe/zot/zot',
      'ServiceMonitor/zot/zot',
    ]);
  });
});
