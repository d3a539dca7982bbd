// What the rendered pod runs, judged on the objects helm rendered: the image, zot's command line,
// the file zot loads and who can write it (lib/checks/running-zot.ts). Objects are built here the
// way the zot chart renders them (templates/statefulset.yaml, 0.1.98..0.1.122); the same judgment
// on real helm output runs in test/synth/what-runs.test.ts.
import { runningZot, ZOT_IMAGE_CMD } from '../../lib/checks/running-zot';

const CONFIG = '{"http":{"auth":{"htpasswd":{"path":"/secret/htpasswd"}}}}';
const OPTS = { what: 'HelmRelease/zot', imageRepository: 'ghcr.io/project-zot/zot', unsafe: [] as string[] };

function rendered(edit: (pod: any, objects: any[]) => void = () => undefined): any[] {
  const pod: any = {
    containers: [{
      name: 'zot', image: 'ghcr.io/project-zot/zot:v2.1.18',
      volumeMounts: [{ name: 'zot-pvc', mountPath: '/var/lib/registry' }, { name: 'zot-config', mountPath: '/etc/zot' }, { name: 'zot-secret', mountPath: '/secret' }],
    }],
    volumes: [{ name: 'zot-config', configMap: { name: 'zot-config' } }, { name: 'zot-secret', secret: { secretName: 'zot-secret' } }],
  };
  const objects: any[] = [
    { kind: 'ConfigMap', metadata: { name: 'zot-config' }, data: { 'config.json': CONFIG } },
    { kind: 'Secret', metadata: { name: 'zot-secret' }, data: { htpasswd: Buffer.from('x').toString('base64'), 'open.json': Buffer.from('{"http":{}}').toString('base64') } },
    { kind: 'StatefulSet', metadata: { name: 'zot' }, spec: { template: { spec: pod }, volumeClaimTemplates: [{ metadata: { name: 'zot-pvc' } }] } },
  ];
  edit(pod, objects);
  return objects;
}
const fields = (r: { problems: { field: string }[] }) => r.problems.map((p) => p.field.replace('HelmRelease/zot ', '')).join('\n');

test('the chart as rendered: zot serve /etc/zot/config.json from the ConfigMap, nothing to refuse', () => {
  const r = runningZot(rendered(), OPTS);
  expect(r.problems).toEqual([]);
  expect([r.configPath, r.configText, r.configSource]).toEqual(['/etc/zot/config.json', CONFIG, 'ConfigMap/zot-config data["config.json"]']);
  expect(r.image).toBe('ghcr.io/project-zot/zot:v2.1.18 /usr/bin/zot serve /etc/zot/config.json');
});

test('args serve /secret/open.json: the Secret file is what zot loads, and the args are refused unless extraArgs is opted in', () => {
  const objects = rendered((pod) => { pod.containers[0].args = ['serve', '/secret/open.json']; });
  const r = runningZot(objects, OPTS);
  expect(r.configText).toBe('{"http":{}}');
  expect(r.configSource).toBe('Secret/zot-secret data["open.json"]');
  expect(fields(r)).toBe('StatefulSet/zot container zot args');
  expect(runningZot(objects, { ...OPTS, unsafe: ['extraArgs'] }).problems).toEqual([]);
});

test('args that repeat the image CMD are not a change; --force-reparse is a flag serve takes', () => {
  expect(runningZot(rendered((pod) => { pod.containers[0].args = [...ZOT_IMAGE_CMD]; }), OPTS).problems).toEqual([]);
  const r = runningZot(rendered((pod) => { pod.containers[0].args = ['serve', '--force-reparse', '/etc/zot/config.json']; }), { ...OPTS, unsafe: ['extraArgs'] });
  expect([r.problems, r.configPath]).toEqual([[], '/etc/zot/config.json']);
});

test.each<[string, string[], RegExp]>([
  ['another command', ['verify', '/etc/zot/config.json'], /runs zot 'verify', not 'zot serve <config>'/],
  ['two configs', ['serve', '/a.json', '/b.json'], /gives zot serve 2 arguments/],
  ['an unknown flag', ['serve', '--config-dir=/x', '/etc/zot/config.json'], /passes '--config-dir=\/x'/],
])('args with %s: what zot loads cannot be judged, even opted in', (_, args, reason) => {
  const r = runningZot(rendered((pod) => { pod.containers[0].args = args; }), { ...OPTS, unsafe: ['extraArgs'] });
  expect(r.problems.map((p) => p.reason).join('\n')).toMatch(reason);
  expect(r.configText).toBeUndefined();
});

test('command: sh -c is refused and cannot be judged', () => {
  const r = runningZot(rendered((pod) => { pod.containers[0].command = ['sh', '-c', 'zot serve /tmp/c.json']; }), OPTS);
  expect(fields(r)).toBe('StatefulSet/zot container zot command\nStatefulSet/zot container zot command line');
  expect(r.problems[1].reason).toContain("runs 'sh', not zot");
});

test('an image from elsewhere is refused; a mirror is allowed when image.repository is opted in; a digest is fine', () => {
  const other = rendered((pod) => { pod.containers[0].image = 'evil.example/zot:v2.1.18'; });
  expect(fields(runningZot(other, OPTS))).toBe('StatefulSet/zot container zot image');
  expect(runningZot(other, { ...OPTS, unsafe: ['image.repository'] }).problems).toEqual([]);
  expect(runningZot(rendered((pod) => { pod.containers[0].image = 'ghcr.io/project-zot/zot@sha256:abc'; }), OPTS).problems).toEqual([]);
});

test('a mount over /etc/zot/config.json from an emptyDir: not judgeable, and not the chart mount', () => {
  const r = runningZot(rendered((pod) => {
    pod.volumes.push({ name: 'x', emptyDir: {} });
    pod.containers[0].volumeMounts.push({ name: 'x', mountPath: '/etc/zot/config.json', subPath: 'config.json' });
  }), OPTS);
  expect(r.problems.map((p) => p.reason).join('\n')).toContain('serves /etc/zot/config.json from volume x (emptyDir)');
  expect(r.configText).toBeUndefined();
});

test('a subPath mount of another ConfigMap over the config: its content is what zot loads', () => {
  const r = runningZot(rendered((pod, objects) => {
    objects.push({ kind: 'ConfigMap', metadata: { name: 'other' }, data: { 'x.json': '{}' } });
    pod.volumes.push({ name: 'o', configMap: { name: 'other' } });
    pod.containers[0].volumeMounts.push({ name: 'o', mountPath: '/etc/zot/config.json', subPath: 'x.json' });
  }), { ...OPTS, unsafe: ['extraVolumeMounts'] });
  expect([r.configText, r.configSource, r.problems]).toEqual(['{}', 'ConfigMap/other data["x.json"]', []]);
});

test('no mount at /etc/zot: zot would load the image\'s example config', () => {
  const r = runningZot(rendered((pod) => { pod.containers[0].volumeMounts = pod.containers[0].volumeMounts.filter((m: any) => m.mountPath !== '/etc/zot'); }), OPTS);
  expect(r.problems[0].reason).toContain("zot would load the image's own file (zot's example config, no authentication)");
});

test('a ConfigMap the chart does not render (external) cannot be judged', () => {
  const r = runningZot(rendered((pod) => { pod.volumes[0] = { name: 'zot-config', configMap: { name: 'elsewhere' } }; }), OPTS);
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
  const opted = fields(runningZot(objects, { ...OPTS, unsafe: ['extraVolumeMounts', 'initContainers', 'extraContainers'] }));
  expect(opted).not.toContain('initContainers');
  expect(opted).not.toContain('containers side');
});

test('an init container mounting the ConfigMap cannot write it (configMap volumes are read-only): not refused', () => {
  expect(runningZot(rendered((pod) => { pod.initContainers = [{ name: 'r', volumeMounts: [{ name: 'zot-config', mountPath: '/c' }] }]; }), OPTS).problems).toEqual([]);
});

test('no zot container, or two workloads: what runs cannot be judged', () => {
  expect(fields(runningZot(rendered((pod) => { pod.containers[0].name = 'registry'; }), OPTS))).toBe('StatefulSet/zot containers');
  expect(fields(runningZot([...rendered(), { kind: 'Deployment', metadata: { name: 'x' } }], OPTS))).toBe('workload');
});
