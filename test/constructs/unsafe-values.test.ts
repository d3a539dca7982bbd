// valuesOverrides cannot change what runs unseen (issue 19 part 2): every chart value that changes the
// zot container or the config it loads is refused through valuesOverrides unless the release names it
// in unsafeValues, which lands in the HelmRelease annotation and the app README; the typed props'
// refusals hold on the merged values whatever is named.
import { App, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ZotFluxError } from '../../lib/core/error';
import { ZotApp, ZotAppProps } from '../../lib/constructs/zot-app';
import { ZotRelease, ZotReleaseProps } from '../../lib/constructs/zot-release';
import {
  isUnsafeValuePath,
  UNSAFE_VALUES,
  UNSAFE_VALUES_ANNOTATION,
  unsafeValuesOptIn,
  unsafeValuesProblems,
} from '../../lib/checks/unsafe-values';
import { renderApp } from '../../lib/synth/render';
import { pinned, TEST_CHART_VERSION } from '../support/tree';

const APP = 'clusters/common/apps/zot';

/** The HelmRelease a ZotRelease writes, or the refusal. */
function release(props: ZotReleaseProps): any {
  const chart = Testing.chart();
  new ZotRelease(chart, 'HelmRelease', { chartVersion: TEST_CHART_VERSION, ...props });
  return Testing.synth(chart)[0];
}

function refusal(build: () => unknown): ZotFluxError {
  try {
    build();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** The app's files (README, helmrelease.yaml), as synth renders them, without writing or running helm. */
function appFiles(props: ZotAppProps): Map<string, string> {
  const app = new App();
  new ZotApp(app, 'zot', pinned(props));
  return new Map(renderApp(app).files);
}

const CONFIG = JSON.stringify({
  storage: { rootDirectory: '/var/lib/registry' },
  http: { address: '0.0.0.0', port: '5000' },
  log: { level: 'info' },
});

// One override per unsafe value path: [what, valuesOverrides, the field named, the value shown (undefined: not printed), the opt-in that allows it]
const UNSAFE: Array<[string, Record<string, unknown>, string, unknown, string]> = [
  [
    'another image',
    { image: { repository: 'registry.example/zot' } },
    'valuesOverrides.image.repository',
    'registry.example/zot',
    'image.repository',
  ],
  [
    'an image that is not a map',
    { image: 'registry.example/zot:v2.1.18' },
    'valuesOverrides.image',
    'registry.example/zot:v2.1.18',
    'image',
  ],
  [
    'another command line',
    { extraArgs: ['serve', '/secret/open.json'] },
    'valuesOverrides.extraArgs',
    ['serve', '/secret/open.json'],
    'extraArgs',
  ],
  [
    'an init container',
    { initContainers: [{ name: 'w', image: 'busybox' }] },
    'valuesOverrides.initContainers',
    [{ name: 'w', image: 'busybox' }],
    'initContainers',
  ],
  [
    'a sidecar',
    { extraContainers: [{ name: 's', image: 'busybox' }] },
    'valuesOverrides.extraContainers',
    [{ name: 's', image: 'busybox' }],
    'extraContainers',
  ],
  [
    'a volume',
    { extraVolumes: [{ name: 'v', emptyDir: {} }] },
    'valuesOverrides.extraVolumes',
    [{ name: 'v', emptyDir: {} }],
    'extraVolumes',
  ],
  [
    'a mount over the config',
    { extraVolumeMounts: [{ name: 'v', mountPath: '/etc/zot' }] },
    'valuesOverrides.extraVolumeMounts',
    [{ name: 'v', mountPath: '/etc/zot' }],
    'extraVolumeMounts',
  ],
  [
    'an external Secret',
    { externalSecrets: [{ secretName: 's', mountPath: '/etc/zot' }] },
    'valuesOverrides.externalSecrets',
    [{ secretName: 's', mountPath: '/etc/zot' }],
    'externalSecrets',
  ],
  ['the config unmounted', { mountConfig: false }, 'valuesOverrides.mountConfig', false, 'mountConfig'],
  ['the Secret unmounted', { mountSecret: false }, 'valuesOverrides.mountSecret', false, 'mountSecret'],
  [
    'a hand-written config.json',
    { configFiles: { 'config.json': CONFIG } },
    'valuesOverrides.configFiles',
    { 'config.json': CONFIG },
    'configFiles',
  ],
  [
    'another file in the Secret',
    { secretFiles: { 'open.json': CONFIG } },
    'valuesOverrides.secretFiles',
    undefined,
    'secretFiles',
  ],
  [
    'a privileged zot',
    { securityContext: { privileged: true } },
    'valuesOverrides.securityContext',
    { privileged: true },
    'securityContext',
  ],
  [
    'zot as root',
    { podSecurityContext: { runAsUser: 0 } },
    'valuesOverrides.podSecurityContext',
    { runAsUser: 0 },
    'podSecurityContext',
  ],
  [
    'another Service type',
    { service: { type: 'NodePort' } },
    'valuesOverrides.service.type',
    'NodePort',
    'service.type',
  ],
  ['a Service that is not a map', { service: 'zot' }, 'valuesOverrides.service', 'zot', 'service'],
  [
    "the chart's own Ingress",
    { ingress: { enabled: true, hosts: [{ host: 'registry.example.test', paths: [{ path: '/' }] }] } },
    'valuesOverrides.ingress.enabled',
    true,
    'ingress',
  ],
  [
    "the chart's own HTTPRoute onto a public gateway",
    {
      httproute: {
        enabled: true,
        parentRefs: [{ name: 'public', namespace: 'home' }],
        hostnames: ['registry.example.test'],
      },
    },
    'valuesOverrides.httproute.enabled',
    true,
    'httproute.enabled',
  ],
  [
    "the chart's own ListenerSet",
    {
      listenerset: {
        enabled: true,
        parentRef: { name: 'public' },
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      },
    },
    'valuesOverrides.listenerset.enabled',
    true,
    'listenerset.enabled',
  ],
  [
    "an Ingress switched on with the string 'false' (a non-empty string is true to Helm's if)",
    { ingress: { enabled: 'false' } },
    'valuesOverrides.ingress.enabled',
    'false',
    'ingress.enabled',
  ],
  ['an Ingress that is not a map', { ingress: 'on' }, 'valuesOverrides.ingress', 'on', 'ingress'],
];

describe('an unsafe value through valuesOverrides is refused, naming valuesOverrides.<path> and the value', () => {
  test.each(UNSAFE)('%s', (_what, valuesOverrides, field, value) => {
    const e = refusal(() => release({ valuesOverrides }));
    expect(e.problems.map((p) => p.field)).toEqual([field]);
    expect(e.problems[0].reason).toMatch(
      /^changes .*which synth cannot vouch for as written: .*name '[a-zA-Z.]+' in unsafeValues/,
    );
    if (value === undefined) {
      expect(e.problems[0].secret).toBe(true);
      expect(e.message).not.toContain('open.json');
    } else {
      expect(e.problems[0].value).toEqual(value);
    }
  });

  test('through ZotApp the field is release.valuesOverrides.<path>, and every unsafe override is named at once', () => {
    const e = refusal(() =>
      appFiles({
        release: {
          valuesOverrides: { extraArgs: ['serve', '/x.json'], image: { repository: 'registry.example/zot' } },
        },
      }),
    );
    expect(e.message).toContain('valuesOverrides would change what runs');
    expect(e.problems.map((p) => p.field)).toEqual([
      'release.valuesOverrides.image.repository',
      'release.valuesOverrides.extraArgs',
    ]);
    expect(e.message).toContain('release.valuesOverrides.extraArgs: ["serve","/x.json"] changes zot\'s command line');
  });

  test('a credential in an unsafe value is never printed', () => {
    const e = refusal(() =>
      release({ valuesOverrides: { extraArgs: ['serve', '--auth', 'https://admin:s3cr3t-Pa55@zot.example'] } }),
    );
    expect(e.problems[0].secret).toBe(true);
    expect(e.message).not.toContain('s3cr3t');
  });
});

describe('named in unsafeValues, the same override is accepted, annotated and written as given', () => {
  test.each(UNSAFE)('%s', (_what, valuesOverrides, _field, _value, optIn) => {
    const hr = release({ unsafeValues: [optIn], valuesOverrides });
    expect(hr.metadata.annotations[UNSAFE_VALUES_ANNOTATION]).toBe(optIn);
    expect(unsafeValuesOptIn(hr)).toEqual([optIn]);
    const [key] = Object.keys(valuesOverrides);
    expect(hr.spec.values[key]).toEqual(
      key === 'service' || key === 'image' || key === 'configFiles' || key === 'secretFiles'
        ? typeof valuesOverrides[key] === 'string'
          ? valuesOverrides[key]
          : expect.objectContaining(valuesOverrides[key] as object)
        : valuesOverrides[key],
    );
  });

  test('a parent names every path under it: image allows image.repository', () => {
    expect(
      release({ unsafeValues: ['image'], valuesOverrides: { image: { repository: 'mirror.example/zot' } } }).spec.values
        .image.repository,
    ).toBe('mirror.example/zot');
  });

  test('naming one path does not allow another', () => {
    const e = refusal(() =>
      release({
        unsafeValues: ['image.repository'],
        valuesOverrides: { image: { repository: 'mirror.example/zot' }, extraArgs: ['serve', '/x.json'] },
      }),
    );
    expect(e.problems.map((p) => p.field)).toEqual(['valuesOverrides.extraArgs']);
  });
});

describe('overrides that change nothing unsafe pass without an opt-in', () => {
  test.each<[string, Record<string, unknown>]>([
    [
      'the generated mounts, Service type and files repeated',
      {
        mountConfig: true,
        mountSecret: true,
        service: { type: 'ClusterIP' },
        secretFiles: { htpasswd: '${COMMON_OCI}' },
      },
    ],
    ["the chart's own image repository", { image: { repository: 'ghcr.io/project-zot/zot' } }],
    ['the zot version (image.tag, checked as a version)', { image: { tag: 'v2.1.18' } }],
    [
      'values outside the list',
      { podAnnotations: { team: 'platform' }, nodeSelector: { zone: 'a' }, env: [{ name: 'TZ', value: 'UTC' }] },
    ],
    [
      "the chart's exposure switched off, whatever else is set under it (templates/ingress.yaml, httproute.yaml, listenerset.yaml render only when enabled)",
      {
        ingress: { enabled: false, hosts: [{ host: 'x.example.test' }] },
        httproute: { enabled: '', parentRefs: [{ name: 'public' }] },
        listenerset: { enabled: null },
        serviceHeadless: { enabled: false },
      },
    ],
    ['the exposure maps empty or null', { ingress: {}, httproute: null, listenerset: { enabled: 0 } }],
  ])('%s', (_what, valuesOverrides) => {
    const hr = release({ valuesOverrides });
    expect(hr.metadata.annotations?.[UNSAFE_VALUES_ANNOTATION]).toBeUndefined();
  });
});

describe('typed refusals hold on the merged values, whatever unsafeValues names', () => {
  const EVERYTHING = UNSAFE_VALUES.map((u) => u.path);
  test.each<[string, ZotReleaseProps, string]>([
    [
      'a Service of type ExternalName',
      { valuesOverrides: { service: { type: 'ExternalName', externalName: 'evil.example' } } },
      "valuesOverrides.service.type: 'ExternalName' is not a Service type the serviceType prop allows (ClusterIP, NodePort, LoadBalancer)",
    ],
    [
      'a Service port out of range',
      { valuesOverrides: { service: { port: 70000 } } },
      'valuesOverrides.service.port: 70000 is not an integer from 1 to 65535',
    ],
    [
      'a container port that is a string',
      { valuesOverrides: { httpGet: { port: '5000' } } },
      "valuesOverrides.httpGet.port: '5000' is not an integer from 1 to 65535",
    ],
    [
      'a storage size that is not a quantity',
      { valuesOverrides: { pvc: { storage: '20GB' } } },
      "valuesOverrides.pvc.storage: '20GB' is not a Kubernetes quantity",
    ],
    [
      'pvc.accessMode, which the chart renders in place of accessModes',
      { valuesOverrides: { pvc: { accessMode: 'ReadWriteSometimes' } } },
      "valuesOverrides.pvc.accessMode: 'ReadWriteSometimes' is not an access mode",
    ],
    [
      'an image tag that is not a string',
      { valuesOverrides: { image: { tag: 2.1 } } },
      "valuesOverrides.image.tag: 2.1 is not a zot version string ('v2.1.18')",
    ],
    [
      'a template in nodeSelector, which chart 0.1.122 runs through tpl',
      { valuesOverrides: { nodeSelector: { zone: '{{ (lookup "v1" "Secret" "flux-system" "x").data }}' } } },
      'valuesOverrides.nodeSelector: {"zone":"{{ (lookup \\"v1\\" \\"Secret\\" \\"flux-system\\" \\"x\\").data }}"} holds \'{{\', which chart 0.1.122 runs through Helm\'s tpl',
    ],
    [
      'a toleration Kubernetes refuses',
      { valuesOverrides: { tolerations: [{ operator: 'Exists', value: 'x' }] } },
      "valuesOverrides.tolerations[0].value: 'x' must be empty with operator 'Exists'",
    ],
    [
      'resources that are not quantities',
      { valuesOverrides: { resources: { limits: { memory: '1 GB' } } } },
      "valuesOverrides.resources.limits.memory: '1 GB' is not a Kubernetes quantity",
    ],
    [
      'a startup probe out of range',
      { valuesOverrides: { startupProbe: { periodSeconds: 0 } } },
      'valuesOverrides.startupProbe.periodSeconds: 0',
    ],
    [
      'two replicas on local storage',
      { valuesOverrides: { replicaCount: 2 } },
      'valuesOverrides.replicaCount: 2 differs from the replicas prop (1)',
    ],
    [
      "the chart's ServiceMonitor without the metrics prop",
      { valuesOverrides: { metrics: { enabled: true, serviceMonitor: { enabled: true } } } },
      'valuesOverrides.metrics: {"enabled":true,"serviceMonitor":{"enabled":true}} renders a ServiceMonitor other than the metrics prop\'s',
    ],
    [
      'the headless Service next to the ServiceMonitor',
      { metrics: { anonymous: true, serviceMonitor: {} }, valuesOverrides: { serviceHeadless: { enabled: true } } },
      "valuesOverrides.serviceHeadless.enabled: true turns on the headless Service next to the chart's ServiceMonitor",
    ],
    [
      'a PodDisruptionBudget that lets no pod go',
      { valuesOverrides: { podDisruptionBudget: { enabled: true, minAvailable: '100%' } } },
      'valuesOverrides.podDisruptionBudget: {"enabled":true,"minAvailable":"100%"} is not the podDisruptionBudget prop\'s',
    ],
  ])('%s', (_what, props, message) => {
    expect(() => release(props)).toThrow(message);
    expect(() => release({ ...props, unsafeValues: EVERYTHING })).toThrow(message);
  });

  test('all at once, the typed refusal first: ExternalName without an opt-in is both', () => {
    const e = refusal(() => release({ valuesOverrides: { service: { type: 'ExternalName' } }, unsafeValues: [] }));
    expect(e.problems.map((p) => p.field)).toEqual(['valuesOverrides.service.type', 'valuesOverrides.service.type']);
    expect(e.problems[0].reason).toMatch(/^is not a Service type the serviceType prop allows/);
    expect(e.problems[1].reason).toMatch(/^changes how the Service is exposed/);
    const only = refusal(() => release({ valuesOverrides: { service: { port: 0 } } }));
    expect(only.message).toBe('valuesOverrides.service.port: 0 is not an integer from 1 to 65535');
  });

  test('{{ in placement is kept on a chart that does not run it through tpl (0.1.120)', () => {
    const hr = release({ chartVersion: '0.1.120', valuesOverrides: { nodeSelector: { zone: '{{ x }}' } } });
    expect(hr.spec.values.nodeSelector).toEqual({ zone: '{{ x }}' });
  });

  test('a dashboard annotation cannot turn Flux substitution back on; the opt-out stays', () => {
    const dashboard = (annotations: Record<string, string>) =>
      appFiles({ release: { metrics: {} }, extraResources: { dashboard: { annotations } } });
    expect(() => dashboard({ 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' })).toThrow(
      "dashboard.annotations[\"kustomize.toolkit.fluxcd.io/substitute\"]: 'enabled' would replace the opt-out 'disabled' synth sets",
    );
    const files = dashboard({ grafana_folder: 'registry' });
    const cm = yaml.load(files.get(`${APP}/app/dashboard.yaml`)!) as any;
    expect(cm.metadata.annotations).toEqual({
      grafana_folder: 'registry',
      'kustomize.toolkit.fluxcd.io/substitute': 'disabled',
    });
  });
});

describe('unsafeValues itself', () => {
  test.each<[string, unknown, string]>([
    [
      'a value that changes nothing the list names',
      ['nodeSelector'],
      "unsafeValues[0]: 'nodeSelector' is not a value path that changes what runs",
    ],
    [
      'a misspelt path after a good one',
      ['image', 'extraArg'],
      "unsafeValues[1]: 'extraArg' is not a value path that changes what runs",
    ],
    ['a path below a listed one', ['configFiles.config'], "unsafeValues[0]: 'configFiles.config' is not a value path"],
    ['a name given twice', ['extraArgs', 'extraArgs'], 'unsafeValues'],
    ['a string instead of a list', 'extraArgs', "unsafeValues: 'extraArgs' is not a list"],
  ])('refuses %s', (_what, unsafeValues, message) => {
    expect(() => release({ unsafeValues: unsafeValues as any })).toThrow(message);
  });

  test('every listed path and each parent is accepted; the list cites the chart for each', () => {
    for (const u of UNSAFE_VALUES) {
      expect(isUnsafeValuePath(u.path)).toBe(true);
      expect(u.read).toMatch(/zot chart 0\.1\.\d+\.\.0\.1\.122 templates\/|no zot chart 0\.1\.98\.\.0\.1\.122 value/);
    }
    expect(isUnsafeValuePath('image')).toBe(true);
    expect(isUnsafeValuePath('imag')).toBe(false);
    expect(isUnsafeValuePath('')).toBe(false);
  });

  test('the annotation and the app README name the opt-ins, in bold, with what each opens', () => {
    const files = appFiles({
      release: {
        unsafeValues: ['image.repository', 'extraArgs'],
        valuesOverrides: { image: { repository: 'mirror.example/zot' }, extraArgs: ['serve', '/etc/zot/config.json'] },
      },
    });
    const hr = yaml.load(files.get(`${APP}/app/helmrelease.yaml`)!) as any;
    expect(hr.metadata.annotations[UNSAFE_VALUES_ANNOTATION]).toBe('image.repository,extraArgs');
    expect(unsafeValuesOptIn(hr)).toEqual(['image.repository', 'extraArgs']);
    expect(files.get(`${APP}/README.md`)).toContain(
      '**UNSAFE VALUES (opted in with unsafeValues): valuesOverrides set `image.repository` (which image runs as zot), ' +
        "`extraArgs` (zot's command line (another config file, another subcommand)), which change what the zot container runs or loads. " +
        'The HelmRelease says so in its annotation `zot-flux.io/unsafe-values: image.repository,extraArgs`; synth renders the chart and judges what runs.**',
    );
  });

  test('without unsafeValues: no annotation, no README line', () => {
    const files = appFiles({});
    expect(
      (yaml.load(files.get(`${APP}/app/helmrelease.yaml`)!) as any).metadata.annotations?.[UNSAFE_VALUES_ANNOTATION],
    ).toBeUndefined();
    expect(files.get(`${APP}/README.md`)).not.toContain('UNSAFE VALUES');
  });
});

describe('unsafeValuesProblems on a HelmRelease read back (no generated values)', () => {
  test('paths the typed props never set are judged by presence; the generated ones are left to the rendered check', () => {
    const values = {
      configFiles: { 'config.json': CONFIG },
      mountConfig: true,
      extraArgs: ['serve', '/x.json'],
      initContainers: [{ name: 'w' }],
    };
    expect(unsafeValuesProblems(values, undefined, [], { field: 'spec.values' }).map((p) => p.field)).toEqual([
      'spec.values.extraArgs',
      'spec.values.initContainers',
    ]);
    expect(unsafeValuesProblems(values, undefined, ['extraArgs', 'initContainers'])).toEqual([]);
  });

  test("the chart's exposure is judged by its switch: on is named, off is nothing", () => {
    const on = {
      ingress: { enabled: true },
      httproute: { enabled: true, parentRefs: [{ name: 'public' }] },
      listenerset: { enabled: 'yes' },
    };
    expect(unsafeValuesProblems(on, undefined, [], { field: 'spec.values' }).map((p) => p.field)).toEqual([
      'spec.values.ingress.enabled',
      'spec.values.httproute.enabled',
      'spec.values.listenerset.enabled',
    ]);
    expect(unsafeValuesProblems(on, undefined, ['ingress', 'httproute', 'listenerset'])).toEqual([]);
    expect(
      unsafeValuesProblems(
        { ingress: { enabled: false }, httproute: { enabled: false }, listenerset: {} },
        undefined,
        [],
      ),
    ).toEqual([]);
  });
});
