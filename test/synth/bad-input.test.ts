// A catalogue of bad input, props and files on disk: each is refused with an error naming the
// field, the value and why, exit code 1, and a tree byte-identical before and after.
import * as fs from 'fs';
import * as path from 'path';
import { ZotAppProps } from '../../lib/constructs/zot-app';
import { ZotAction } from '../../lib/zot/config';
import { zotCan } from '../../lib/zot/access';
import { appWith, hashTree, readTree, synth, tempDir } from '../support/tree';

const ADMIN = {
  name: 'admin',
  variable: 'COMMON_OCI',
  actions: ['read', 'create', 'update', 'delete'] as ZotAction[],
  admin: true,
};
const CI = {
  name: 'ci',
  variable: 'ZOT_CI',
  actions: ['read', 'create', 'update'] as ZotAction[],
  repositories: ['ci/**'],
};
const HASH = '$2y$05$' + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'.slice(0, 53);
const any = (x: unknown) => x as any;
const deep = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

const PROPS: Array<[string, ZotAppProps, string]> = [
  ['port out of range', { release: { port: 70000 } }, 'release.port: 70000 is not an integer from 1 to 65535'],
  ['port not an integer', { release: { port: 50.5 } }, 'release.port: 50.5 is not an integer from 1 to 65535'],
  [
    'log level zot rejects',
    { release: { logLevel: any('verbose') } },
    "release.logLevel: 'verbose' is not one of 'debug', 'trace', 'info'",
  ],
  [
    'ui without search',
    { release: { extensions: { ui: { enable: true } } } },
    'config.json extensions.ui is enabled without extensions.search: zot refuses it',
  ],
  [
    'unknown config key',
    { release: { extensions: any({ search: { enable: true }, linter: { enable: true } }) } },
    'config.json extensions.linter',
  ],
  [
    'glob that does not compile',
    { release: { anonymousRead: ['library/[abc'] } },
    "release.anonymousRead[0]: 'library/[abc' is not a valid doublestar pattern (zot refuses to start",
  ],
  ['no users', { release: { users: [] } }, 'release.users: [] is empty; at least one user is required'],
  [
    'user name with a colon',
    { release: { users: [{ name: 'ad:min', variable: 'COMMON_OCI', actions: ['read'] }] } },
    "release.users[0].name: 'ad:min' is not a valid htpasswd user name",
  ],
  [
    'user name with a space',
    { release: { users: [{ name: 'ad min', variable: 'COMMON_OCI', actions: ['read'] }] } },
    "release.users[0].name: 'ad min' is not a valid htpasswd user name",
  ],
  [
    'variable name flux rejects',
    { release: { users: [{ name: 'admin', variable: 'common-oci', actions: ['read'] }] } },
    "release.users[0].variable: 'common-oci' is not a valid flux variable name",
  ],
  [
    'two users, one variable',
    {
      release: {
        users: [
          { name: 'a', variable: 'V', actions: ['read'] },
          { name: 'b', variable: 'V', actions: ['read'] },
        ],
      },
    },
    "release.users[1].variable: 'V' is already used by another user (one variable carries one htpasswd line)",
  ],
  [
    'unknown action',
    { release: { users: [{ name: 'admin', variable: 'COMMON_OCI', actions: any(['push']) }] } },
    "release.users[0].actions: 'push' is not a zot action",
  ],
  [
    'user with no actions',
    { release: { users: [{ name: 'admin', variable: 'COMMON_OCI', actions: [] }] } },
    "release.users[0].actions: [] gives user 'admin' no actions",
  ],
  [
    'storage size not a quantity',
    { release: { storageSize: '20GB' } },
    "release.storageSize: '20GB' is not a Kubernetes quantity",
  ],
  [
    'unknown access mode',
    { release: { accessModes: ['ReadWriteSometimes'] } },
    "release.accessModes: 'ReadWriteSometimes' is not an access mode",
  ],
  [
    'config file key other than config.json',
    { release: { unsafeValues: ['configFiles'], valuesOverrides: { configFiles: { 'zot.json': '{}' } } } },
    "values.configFiles: keys [config.json, zot.json]: must be exactly 'config.json'",
  ],
  [
    'secret not mounted where config.json looks',
    { release: { unsafeValues: ['mountSecret'], valuesOverrides: { mountSecret: false } } },
    "config.json http.auth.htpasswd.path: '/secret/htpasswd' is not where the chart mounts the Secret (mountSecret is off or secretFiles is empty)",
  ],
  [
    'htpasswd under another key',
    {
      release: {
        unsafeValues: ['secretFiles'],
        valuesOverrides: { secretFiles: { htpasswd: null, users: '${COMMON_OCI}' } },
      },
    },
    "config.json http.auth.htpasswd.path: '/secret/htpasswd' is not where the chart mounts the Secret (/secret/users)",
  ],
  [
    'Service port out of line with zot',
    { release: { valuesOverrides: { service: { port: 8080 } } } },
    "values.service.port: 8080 differs from zot's http.port 5000",
  ],
  [
    'anonymous push through a config override',
    {
      release: {
        unsafeValues: ['configFiles'],
        valuesOverrides: {
          configFiles: {
            'config.json': JSON.stringify({
              storage: { rootDirectory: '/r' },
              http: {
                address: '0.0.0.0',
                port: '5000',
                auth: { htpasswd: { path: '/secret/htpasswd' } },
                accessControl: { repositories: { '**': { anonymousPolicy: ['read', 'create'] } } },
              },
              log: { level: 'info' },
            }),
          },
        },
      },
    },
    "config.json http.accessControl: anonymous clients could create on '**'",
  ],
  [
    'accessControl without auth',
    {
      release: {
        unsafeValues: ['configFiles'],
        valuesOverrides: {
          configFiles: {
            'config.json': JSON.stringify({
              storage: { rootDirectory: '/r' },
              http: {
                address: '0.0.0.0',
                port: '5000',
                accessControl: { repositories: { '**': { policies: [{ users: ['admin'], actions: ['read'] }] } } },
              },
              log: { level: 'info' },
            }),
          },
        },
      },
    },
    'config.json http.accessControl grants authenticated users access (http.accessControl.repositories["**"].policies[0]) but no authentication is configured',
  ],
  [
    'no authentication at all',
    {
      release: {
        unsafeValues: ['configFiles'],
        valuesOverrides: {
          configFiles: {
            'config.json': JSON.stringify({
              storage: { rootDirectory: '/var/lib/registry' },
              http: { address: '0.0.0.0', port: '5000' },
              log: { level: 'info' },
            }),
          },
        },
      },
    },
    'config.json http.auth: is not set: zot v2.1.18 enables no authentication with it, so anyone who reaches it can read and write everything',
  ],
  [
    'an admin with narrower actions',
    { release: { users: [{ name: 'admin', variable: 'COMMON_OCI', actions: ['read'], admin: true }] } },
    'release.users[0]: {"actions":["read"]} is an admin with narrower rights: zot\'s adminPolicy grants read, create, update, delete on every repository',
  ],
  [
    'a user whose globs match nothing',
    { release: { users: [{ name: 'ci', variable: 'ZOT_CI', actions: ['read'], repositories: [] }] } },
    'release.users[0].repositories: [] is empty',
  ],
  // Access as people say it: one user, several grants; the paths are the props' own.
  [
    'a grant with no repositories',
    {
      release: {
        users: [
          ADMIN,
          CI,
          {
            name: 'dev',
            variable: 'ZOT_DEV',
            grants: [
              { actions: ['read', 'create'], repositories: [] },
              { actions: ['read'], repositories: ['**'] },
            ],
          },
        ],
      },
    },
    'release.users[2].grants[0].repositories: [] is empty; give at least one',
  ],
  [
    'a grant glob zot cannot compile',
    {
      release: {
        users: [
          ADMIN,
          CI,
          { name: 'dev', variable: 'ZOT_DEV', grants: [{ actions: ['read', 'create'], repositories: ['team/[x'] }] },
        ],
      },
    },
    "release.users[2].grants[0].repositories[0]: 'team/[x' is not a valid doublestar pattern",
  ],
  [
    'a shorthand glob zot cannot compile (no grants[0] in the message)',
    { release: { users: [ADMIN, { ...CI, repositories: ['ci/{x'] }] } },
    "release.users[1].repositories[0]: 'ci/{x' is not a valid doublestar pattern",
  ],
  [
    'grants next to actions',
    {
      release: {
        users: [
          ADMIN,
          {
            name: 'dev',
            variable: 'ZOT_DEV',
            actions: ['read'],
            grants: [{ actions: ['read'], repositories: ['**'] }],
          },
        ],
      },
    },
    "release.users[1].grants: is given next to actions: give a user's rights one way",
  ],
  [
    'grants on an admin',
    {
      release: {
        users: [
          { name: 'admin', variable: 'COMMON_OCI', admin: true, grants: [{ actions: ['read'], repositories: ['**'] }] },
        ],
      },
    },
    'release.users[0].grants: is given for an admin',
  ],
  [
    'one user listed twice for two sets of rights',
    { release: { users: [ADMIN, CI, { ...CI, variable: 'ZOT_CI_2', actions: ['read'], repositories: ['**'] }] } },
    "release.users[2].name: 'ci' is listed twice: one name is one htpasswd line; to give a user different rights on different repositories, list them in its grants",
  ],
  [
    'an authenticatedRead glob zot cannot compile',
    { release: { authenticatedRead: ['lib/[abc'] } },
    "release.authenticatedRead[0]: 'lib/[abc' is not a valid doublestar pattern",
  ],
  [
    "an authenticatedRead glob cutting through a user's",
    { release: { users: [ADMIN, CI], authenticatedRead: ['*/app'] } },
    "release.authenticatedRead[0]: '*/app' covers only part of the names zot decides with the key 'ci/**'",
  ],
  [
    'a credential variable in a route annotation',
    { route: { annotations: { 'example.com/leak': '${COMMON_OCI}' } } },
    'credential variables outside Secret content',
  ],
  [
    'a credential variable in an env value',
    { release: { valuesOverrides: { env: [{ name: 'X', value: '${COMMON_OCI}' }] } } },
    'credential variables outside Secret content',
  ],
  [
    'an htpasswd line in a prop',
    { release: { valuesOverrides: { secretFiles: { htpasswd: `admin:${HASH}` } } } },
    'release.valuesOverrides.secretFiles.htpasswd: contains a bcrypt hash',
  ],
  [
    'a hash in a route annotation',
    { route: { annotations: { note: HASH } } },
    'route.annotations.note: contains a bcrypt hash',
  ],
  ['name that is not a DNS label', { name: 'Zot_Registry' }, "metadata.name: 'Zot_Registry' is not a valid name"],
  [
    'Helm release name over 53 characters',
    { name: 'z'.repeat(54) },
    `HelmRelease/${'z'.repeat(54)}: Helm release name '${'z'.repeat(54)}' is longer than 53 characters`,
  ],
  [
    'hostname flux cannot parse',
    { route: { hostnames: ['oci.${CLUSTER.DOMAIN}'] } },
    "route.hostnames[0]: flux cannot parse '${CLUSTER.DOMAIN}' (line 1): missing closing brace",
  ],
  [
    'hostname with upper case',
    { route: { hostnames: ['OCI.${CLUSTER_DOMAIN}'] } },
    "spec.hostnames[0]: 'OCI.example.com' does not match",
  ],
  [
    'hostname variable without a source',
    { route: { hostnames: ['oci.${REGISTRY_DOMAIN}'] } },
    "route.hostnames[0]: 'oci.${REGISTRY_DOMAIN}' uses the variable REGISTRY_DOMAIN, which has no source",
  ],
  [
    'a variable without a source in chart values',
    { release: { valuesOverrides: { nodeSelector: { site: '${SITE_ID}' } } } },
    'release: uses the variable SITE_ID, which has no source; add it to variableSources',
  ],
  [
    'a value flux cannot parse in an annotation',
    { route: { annotations: { note: 'cost ${a-b}' } } },
    "route: flux cannot parse '${a-b}'",
  ],
  [
    '17 hostnames',
    { route: { hostnames: Array.from({ length: 17 }, (_, i) => `r${i}.example.com`) } },
    'spec.hostnames: allows at most 16 items, has 17',
  ],
  [
    '33 gateways',
    { route: { gateways: Array.from({ length: 33 }, (_, i) => `gw${i}`) } },
    'spec.parentRefs: allows at most 32 items, has 33',
  ],
  [
    'gateway name not a DNS name',
    { route: { gateways: ['Public'] } },
    "spec.parentRefs[0].name: 'Public' is not a valid Gateway name",
  ],
  [
    'gateway namespace not a DNS label',
    { route: { gatewayNamespace: 'Home' } },
    "spec.parentRefs[0].namespace: 'Home' is not a valid namespace name",
  ],
  [
    'interval flux cannot parse',
    { kustomization: { interval: '30 minutes' } },
    "Kustomization/zot spec.interval: '30 minutes' does not match ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",
  ],
  ['timeout without a unit', { kustomization: { timeout: '5' } }, "spec.timeout: '5' does not match"],
  [
    'release interval flux cannot parse',
    { release: { interval: '1 hour' } },
    "HelmRelease/zot spec.interval: '1 hour' does not match ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",
  ],
  [
    'repository interval in days',
    { helmRepository: { interval: '1d' } },
    "HelmRepository/zot spec.interval: '1d' does not match",
  ],
  [
    'plain http chart repository',
    { helmRepository: { url: 'http://zotregistry.dev/helm-charts' } },
    "helmRepository.url: 'http://zotregistry.dev/helm-charts' is plain http; use https://",
  ],
  [
    'oci:// without type oci',
    { helmRepository: { url: 'oci://ghcr.io/project-zot/helm-charts' } },
    "helmRepository.type: must be 'oci' for the oci:// url 'oci://ghcr.io/project-zot/helm-charts'",
  ],
  // What the props' types promise, checked at run time (esbuild does not type-check main.ts).
  ['a hostname that is not a string', { route: { hostnames: [42 as any] } }, 'route.hostnames[0]: 42 is not a string'],
  ['no hostnames', { route: { hostnames: [] } }, 'route.hostnames: [] is empty; give at least one'],
  ['no gateways', { route: { gateways: [] } }, 'route.gateways: [] is empty; give at least one'],
  ['users that is a string', { release: { users: 'admin' as any } }, "release.users: 'admin' is not a list"],
  [
    'a service type outside the type',
    { release: { serviceType: 'ExternalName' as any } },
    "release.serviceType: 'ExternalName' is not one of 'ClusterIP', 'NodePort', 'LoadBalancer'",
  ],
  [
    'a hand-written config.json without unsafeValues',
    { release: { valuesOverrides: { configFiles: { 'config.json': '{}' } } } },
    'release.valuesOverrides.configFiles: {"config.json":"{}"} changes the config files zot loads (config.json), which synth cannot vouch for as written: use the typed prop, or name \'configFiles\' in unsafeValues',
  ],
  [
    'another image without unsafeValues',
    { release: { valuesOverrides: { image: { repository: 'registry.example/zot' } } } },
    "release.valuesOverrides.image.repository: 'registry.example/zot' changes which image runs as zot",
  ],
  [
    'zot started with other args without unsafeValues',
    { release: { valuesOverrides: { extraArgs: ['serve', '/secret/open.json'] } } },
    'release.valuesOverrides.extraArgs: ["serve","/secret/open.json"] changes zot\'s command line',
  ],
  [
    'an init container without unsafeValues',
    { release: { valuesOverrides: { initContainers: [{ name: 'w', image: 'busybox' }] } } },
    'release.valuesOverrides.initContainers:',
  ],
  [
    'a Service of type ExternalName through valuesOverrides, even opted in',
    { release: { unsafeValues: ['service.type'], valuesOverrides: { service: { type: 'ExternalName' } } } },
    "release.valuesOverrides.service.type: 'ExternalName' is not a Service type the serviceType prop allows",
  ],
  [
    'an unknown unsafeValues entry',
    { release: { unsafeValues: ['nodeSelector'] } },
    "release.unsafeValues[0]: 'nodeSelector' is not a value path that changes what runs",
  ],
  [
    'a storage size through valuesOverrides that is not a quantity',
    { release: { valuesOverrides: { pvc: { storage: '20GB' } } } },
    "release.valuesOverrides.pvc.storage: '20GB' is not a Kubernetes quantity",
  ],
  ['a misspelt prop', { release: { storagesize: '50Gi' } as any }, 'release.storagesize: is not a prop here'],
  [
    'an apps folder outside the repository',
    { layout: { appsDir: '../escape' } },
    "layout.appsDir: '../escape' leaves the repository root (--out)",
  ],
  ['an absolute apps folder', { layout: { appsDir: '/etc' } }, "layout.appsDir: '/etc' is absolute"],
  [
    'repository url scheme flux rejects',
    { helmRepository: { url: 'ftp://example.com/charts' } },
    "helmRepository.url: 'ftp://example.com/charts' does not start with https:// or oci://",
  ],
  // Nested thousands deep, a prop ran node out of stack (exit 3); refused naming the prop (lib/core/nesting.ts).
  [
    'extensions nested 3000 deep',
    { release: { extensions: any(deep(3000)) } },
    'release.extensions: nests objects and arrays more than 512 levels deep',
  ],
  [
    'valuesOverrides nested 3000 deep',
    { release: { valuesOverrides: { podAnnotations: any(deep(3000)) } } },
    'release.valuesOverrides: nests objects and arrays more than 512 levels deep',
  ],
  [
    'config.json in the values nested 3000 deep',
    {
      release: {
        unsafeValues: ['configFiles'],
        valuesOverrides: { configFiles: { 'config.json': '['.repeat(3000) + ']'.repeat(3000) } },
      },
    },
    'values.configFiles["config.json"]: nests objects and arrays more than 512 levels deep',
  ],
];

const REPOS = 'clusters/common/flux/repositories/helm/kustomization.yaml';
const DISK: Array<[string, (root: string) => void, string]> = [
  [
    'hand-written file where synth writes',
    (root) => put(root, 'clusters/common/apps/zot/app/httproute.yaml', 'kind: HTTPRoute\n'),
    "clusters/common/apps/zot/app/httproute.yaml: was generated by synth but no longer starts with synth's header line, so a person has made it theirs; synth will not overwrite it",
  ],
  [
    'shared kustomization with a flow list',
    (root) => put(root, REPOS, 'kind: Kustomization\nresources: [./a.yaml]\n'),
    `${REPOS}: has no block 'resources:' list to add ./zot.yaml to; add it by hand`,
  ],
  [
    'shared kustomization that is not YAML',
    (root) => put(root, REPOS, 'resources:\n  - ./a.yaml\n bad: [\n'),
    `${REPOS}: is a hand-written kustomization.yaml that does not parse as YAML`,
  ],
  [
    'shared kustomization whose resources is a map',
    (root) => put(root, REPOS, 'resources:\n  a: ./a.yaml\n'),
    `${REPOS} resources: {"a":"./a.yaml"} is not a list; add the entries by hand`,
  ],
  [
    'a folder where synth writes a file',
    (root) => {
      fs.rmSync(path.join(root, 'clusters/common/apps/zot/ks.yaml'));
      put(root, 'clusters/common/apps/zot/ks.yaml/notes.txt', 'x\n');
    },
    'clusters/common/apps/zot/ks.yaml: is a folder where synth writes a file',
  ],
];

function put(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  fs.rmSync(file, { force: true, recursive: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A tree as a user has it: the seed synthesized, plus a hand-written file of another app. */
function existingTree(): string {
  const root = tempDir();
  expect(synth(root).code).toBe(0);
  put(root, 'clusters/common/apps/other/ks.yaml', 'kind: Kustomization\n');
  return root;
}

describe('bad props are refused before anything is written', () => {
  test.each(PROPS)('%s', (_what, props, message) => {
    const root = existingTree();
    const before = hashTree(root);
    const r = synth(root, () => appWith(props));
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('nothing was written');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(hashTree(root)).toBe(before);
  });
});

describe('bad files on disk are refused before anything is written', () => {
  test.each(DISK)('%s', (_what, setup, message) => {
    const root = existingTree();
    setup(root);
    const before = hashTree(root);
    const r = synth(root);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(1);
    expect(hashTree(root)).toBe(before);
  });
});

test('anonymous read, turned on explicitly, is the only anonymous access there is', () => {
  const root = tempDir();
  expect(synth(root, () => appWith({ release: { anonymousRead: ['public/**'] } })).code).toBe(0);
  const text = fs.readFileSync(path.join(root, 'clusters/common/apps/zot/app/helmrelease.yaml'), 'utf8');
  const config = JSON.parse(
    (require('js-yaml').load(text.split('\n').slice(1).join('\n')) as any).spec.values.configFiles['config.json'],
  );
  // anonymousPolicy for clients without credentials, defaultPolicy so that signing in loses nothing
  expect(config.http.accessControl.repositories['public/**']).toEqual({
    policies: [],
    defaultPolicy: ['read'],
    anonymousPolicy: ['read'],
  });
  const anon = (action: ZotAction, repo: string) =>
    zotCan(config.http.accessControl, 'anonymous', action, repo, 'v2.1.18');
  expect([
    anon('read', 'public/base'),
    anon('create', 'public/base'),
    anon('read', 'private/app'),
    anon('delete', 'public/base'),
  ]).toEqual([true, false, false, false]);
});

test("what zot clamps is a warning, not a refusal: a scrub interval under 2h is written, with zot's own words", () => {
  const root = tempDir();
  const r = synth(root, () => appWith({ release: { extensions: { scrub: { enable: true, interval: '1h' } } } }));
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    "synth: warning: clusters/common/apps/zot/app/helmrelease.yaml: HelmRelease/zot config.json extensions.scrub.interval: '1h' is under 2h: zot uses 2h",
  );
});

test("the users example of docs/access.md: each user gets exactly what it declares, whatever zot's longest-match rule would have made of it", () => {
  const root = tempDir();
  const users = [
    {
      name: 'admin',
      variable: 'COMMON_OCI',
      actions: ['read', 'create', 'update', 'delete'] as ZotAction[],
      admin: true,
    },
    { name: 'puller', variable: 'ZOT_PULL', actions: ['read'] as ZotAction[] },
    { name: 'ci', variable: 'ZOT_CI', actions: ['read', 'create', 'update'] as ZotAction[], repositories: ['ci/**'] },
  ];
  expect(synth(root, () => appWith({ release: { users, anonymousRead: ['public/**'] } })).code).toBe(0);
  const text = fs.readFileSync(path.join(root, 'clusters/common/apps/zot/app/helmrelease.yaml'), 'utf8');
  const hr = require('js-yaml').load(text.split('\n').slice(1).join('\n')) as any;
  const config = JSON.parse(hr.spec.values.configFiles['config.json']);
  const can = (who: string, action: ZotAction, repo: string) =>
    zotCan(config.http.accessControl, who === 'anonymous' ? 'anonymous' : { user: who }, action, repo, 'v2.1.18');
  expect(can('puller', 'read', 'ci/app')).toBe(true);
  expect(can('puller', 'read', 'public/base')).toBe(true);
  expect(can('puller', 'create', 'ci/app')).toBe(false);
  expect(can('ci', 'create', 'ci/app')).toBe(true);
  // docker sends ci's credentials whenever it has them: ci keeps what anonymous clients have
  expect(can('ci', 'read', 'public/base')).toBe(true);
  expect(can('ci', 'read', 'other/base')).toBe(false);
  expect(can('anonymous', 'read', 'public/base')).toBe(true);
  expect(can('anonymous', 'read', 'ci/app')).toBe(false);
  expect(can('anonymous', 'create', 'public/base')).toBe(false);
  expect(can('admin', 'delete', 'ci/app')).toBe(true);
});

test('one user pushes to team/** and pulls everything; every signed-in user pulls base/**: as zot decides it, and in the app README', () => {
  const root = tempDir();
  const dev = {
    name: 'dev',
    variable: 'ZOT_DEV',
    grants: [
      { actions: ['read', 'create', 'update'] as ZotAction[], repositories: ['team/**'] },
      { actions: ['read'] as ZotAction[], repositories: ['**'] },
    ],
  };
  const r = synth(root, () =>
    appWith({ release: { users: [ADMIN, dev, CI], authenticatedRead: ['base/**'], anonymousRead: ['public/**'] } }),
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const tree = readTree(root);
  const hr = require('js-yaml').load(
    tree.get('clusters/common/apps/zot/app/helmrelease.yaml')!.split('\n').slice(1).join('\n'),
  ) as any;
  const config = JSON.parse(hr.spec.values.configFiles['config.json']);
  const can = (who: string, action: ZotAction, repo: string) =>
    zotCan(config.http.accessControl, who === 'anonymous' ? 'anonymous' : { user: who }, action, repo, 'v2.1.18');
  expect([can('dev', 'create', 'team/app'), can('dev', 'read', 'ci/app'), can('dev', 'create', 'ci/app')]).toEqual([
    true,
    true,
    false,
  ]);
  expect([can('ci', 'read', 'base/alpine'), can('ci', 'read', 'public/x'), can('ci', 'read', 'team/app')]).toEqual([
    true,
    true,
    false,
  ]);
  expect([can('anonymous', 'read', 'base/alpine'), can('anonymous', 'read', 'public/x')]).toEqual([false, true]);
  const readme = tree.get('clusters/common/apps/zot/README.md')!;
  expect(readme).toContain(
    '| `dev` | read, create, update<br>read | `team/**`<br>`**` | `ZOT_DEV` in Secret `common-secrets` |',
  );
  expect(readme).toContain('Every signed-in user may pull from `base/**`.');
  expect(readme).toMatch(/^any signed-in user\s+base\/\*\*\s+yes\s+-\s+-\s+-$/m);
  expect(readme).toMatch(/^any signed-in user\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
  expect(readme).toMatch(/^anonymous\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
  expect(readme).toContain(
    '`defaultPolicy` gives every signed-in user read on `public/**`; read on `base/**`, beyond their own policies.',
  );
});

test('a hand-written config where anonymous has more than a signed-in user: written, with a warning', () => {
  const root = tempDir();
  const config = {
    storage: { rootDirectory: '/var/lib/registry' },
    http: {
      address: '0.0.0.0',
      port: '5000',
      auth: { htpasswd: { path: '/secret/htpasswd' } },
      accessControl: {
        repositories: {
          'public/**': { anonymousPolicy: ['read'] },
          '**': { policies: [{ users: ['admin'], actions: ['read'] }] },
        },
      },
    },
    log: { level: 'info' },
  };
  const r = synth(root, () =>
    appWith({
      release: {
        unsafeValues: ['configFiles'],
        valuesOverrides: { configFiles: { 'config.json': JSON.stringify(config) } },
      },
    }),
  );
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    "HelmRelease/zot config.json http.accessControl: SIGNED-IN LESS THAN ANONYMOUS: user admin may not read on 'public/**', which anonymous clients may",
  );
});

test('anonymous writes only through the named opt-in, flagged in the output and the app README', () => {
  const root = tempDir();
  const r = synth(root, () =>
    appWith({ release: { anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }] } }),
  );
  expect(r.code).toBe(0);
  const tree = readTree(root);
  expect(tree.get('clusters/common/apps/zot/app/helmrelease.yaml')).toContain(
    'zot-flux.io/anonymous-write: tailnet/**',
  );
  expect(tree.get('clusters/common/apps/zot/README.md')).toContain('**ANONYMOUS WRITE (opted in with anonymousWrite)');
  expect(tree.get('clusters/common/apps/zot/README.md')).toMatch(
    /!! ANONYMOUS WRITE: anonymous clients may create, update on 'tailnet\/\*\*'/,
  );
});

test('unsafeValues opts in by name: the annotation and the app README say so, and what runs is still judged', () => {
  const root = tempDir();
  const open = JSON.stringify({
    storage: { rootDirectory: '/var/lib/registry' },
    http: { address: '0.0.0.0', port: '5000' },
    log: { level: 'info' },
  });
  const refused = synth(root, () =>
    appWith({
      release: {
        unsafeValues: ['extraArgs', 'secretFiles'],
        valuesOverrides: { extraArgs: ['serve', '/secret/open.json'], secretFiles: { 'open.json': open } },
      },
    }),
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    'Secret/zot-secret data["open.json"] (loaded by ghcr.io/project-zot/zot:v2.1.18 /usr/local/bin/zot-linux-<arch> serve /secret/open.json instead of the values\' config.json) http.auth: is not set',
  );
  expect(readTree(root).size).toBe(0);
  const r = synth(root, () =>
    appWith({
      release: {
        unsafeValues: ['image.repository'],
        valuesOverrides: { image: { repository: 'mirror.example/project-zot/zot' } },
      },
    }),
  );
  expect(r.code).toBe(0);
  const tree = readTree(root);
  expect(tree.get('clusters/common/apps/zot/app/helmrelease.yaml')).toContain(
    'zot-flux.io/unsafe-values: image.repository',
  );
  expect(tree.get('clusters/common/apps/zot/README.md')).toContain(
    '**UNSAFE VALUES (opted in with unsafeValues): valuesOverrides set `image.repository`',
  );
});

test('a dashboard annotation cannot turn Flux substitution back on', () => {
  const r = synth(tempDir(), () =>
    appWith({
      release: { metrics: {} } as any,
      extraResources: { dashboard: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' } } },
    } as any),
  );
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    "dashboard.annotations[\"kustomize.toolkit.fluxcd.io/substitute\"]: 'enabled' would replace the opt-out 'disabled' synth sets",
  );
});
