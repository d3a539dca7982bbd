// Hostile props that need another chart package than TEST_CHART_VERSION (../shared/charts/zot holds
// 0.1.98..0.1.122; test/support/jest-env.js puts it on ZOT_FLUX_CHARTS): the zot those charts deploy
// has other rules, and their templates render the pod differently. Same runner and rules as
// hostile-props.test.ts (test/support/hostile.ts): exit 1, the opening value named, nothing written.
import * as fs from 'fs';
import * as path from 'path';
import { ADMIN, CI, handWritten, HostileCase, hostileSuite, openHttp, s3Config, zotConfig } from '../support/hostile';
import { appWith, SHARED, synth, tempDir } from '../support/tree';

const CHARTS = path.join(SHARED, 'charts', 'zot');

/** `config` for zot before v2.1.17, which has no http.readTimeout/writeTimeout (and refuses them as unknown keys). */
function beforeTimeouts(config: Record<string, unknown>): Record<string, unknown> {
  const { readTimeout: _r, writeTimeout: _w, ...http } = config.http as Record<string, unknown>;
  return { ...config, http };
}
/** A config zot v2.1.14 loads without any authentication. */
const OPEN = JSON.stringify({
  storage: { rootDirectory: '/var/lib/registry' },
  http: { address: '0.0.0.0', port: '5000' },
  log: { level: 'info' },
});

/** Chart 0.1.98: zot v2.1.14, distribution v3.0.0 (zot go.mod), the templates before pvc.name was fixed. */
const ZOT_2_1_14: HostileCase[] = [
  {
    name: 'a user granted create without update on zot v2.1.14, not acknowledged (CVE-2026-31801)',
    source:
      "CVE-2026-31801 / GHSA-85jx-fm8m-x8c6: zot v2.1.14 pkg/api/authz.go DistSpecAuthzHandler (a PUT over an existing 'latest' counts as create), fixed in v2.1.15 (#3847); zot chart 0.1.98 values.yaml image.tag v2.1.14; lib/zot/known-advisories.json",
    props: { release: { chartVersion: '0.1.98', users: [ADMIN, CI] } },
    names: ['CVE-2026-31801', "user ci may create but not update on '**'"],
  },
  {
    name: 'anonymousWrite of create without update on zot v2.1.14, not acknowledged (CVE-2026-31801): anonymous clients overwrite tags',
    source:
      "CVE-2026-31801 / GHSA-85jx-fm8m-x8c6: zot v2.1.14 pkg/api/authz.go DistSpecAuthzHandler (a PUT over an existing 'latest' counts as create; anonymousPolicy is checked the same way)",
    props: {
      release: { chartVersion: '0.1.98', anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create'] }] },
    },
    names: ['CVE-2026-31801', "anonymous may create but not update on 'tailnet/**'"],
  },
  {
    name: "anonymousWrite on zot v2.1.14: /v2/ answers 200 to anonymous clients, so docker never sends the users' credentials",
    source:
      'zot v2.1.14 pkg/api/authn.go tryAuthnHandlers (an anonymous /v2/ passes once any anonymousPolicy exists); zot v2.1.16 authn.go ("Docker workaround: force 401 on /v2/", #3868)',
    props: {
      release: {
        chartVersion: '0.1.98',
        anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }],
      },
    },
    names: [/anonymousWrite.*would break docker pushes on zot v2\.1\.14/],
  },
  {
    name: 'bearer with awsSecretsManager on zot v2.1.14, which does not have it',
    source:
      'zot v2.1.14 pkg/cli/server/root.go LoadConfiguration: UnmarshalExact (ErrorUnused); zot v2.1.15 pkg/api/config/config.go BearerConfig.AWSSecretsManager',
    props: handWritten(
      beforeTimeouts(
        zotConfig(
          openHttp({
            bearer: {
              realm: 'https://auth.example.test/token',
              service: 'zot',
              awsSecretsManager: { region: 'eu-west-1', secretName: 'zot-bearer' },
            },
          }),
        ),
      ),
      { chartVersion: '0.1.98' },
    ),
    names: [
      'config.json http.auth.bearer.awsSecretsManager is not a key zot v2.1.14 knows',
      'it is a key from zot v2.1.15 on',
    ],
  },
  {
    name: 'a gcs storage driver on zot v2.1.14, which registers only s3',
    source:
      'zot v2.1.14 pkg/cli/server/root.go validateConfiguration ("unsupported storage driver"); zot v2.1.15 pkg/storage/gcs (the gcs driver from v2.1.15)',
    props: handWritten(
      beforeTimeouts(
        zotConfig(
          {},
          { storage: { rootDirectory: '/zot', dedupe: false, storageDriver: { name: 'gcs', bucket: 'zot-images' } } },
        ),
      ),
      { chartVersion: '0.1.98' },
    ),
    names: ['config.json storage.storageDriver.name: "gcs" is not a storage driver zot v2.1.14 supports (s3)'],
  },
  {
    name: 'an s3 loglevel that is a number: distribution v3.0.0 panics',
    source:
      'distribution v3.0.0 (zot v2.1.14 go.mod) registry/storage/driver/s3-aws/s3.go getS3LogLevelFromParam (param.(string))',
    props: handWritten(beforeTimeouts(s3Config({ loglevel: 1 })), { chartVersion: '0.1.98' }),
    names: ['config.json storage.storageDriver.loglevel: 1 is not a string', 'zot panics at start-up'],
  },
  {
    name: 'pvc.name on chart 0.1.98: the claim template and the mount disagree',
    source:
      'zot chart 0.1.98 templates/statefulset.yaml (volumeClaimTemplates name {{or .Values.pvc.name .Release.Name}}-pvc, mount {{ .Release.Name }}-pvc)',
    props: { release: { chartVersion: '0.1.98', valuesOverrides: { pvc: { name: 'images' } } } },
    names: ["container zot volumeMounts: 'zot-pvc' names no volume and no volumeClaimTemplate"],
  },
  {
    name: 'extraArgs pointing zot v2.1.14 at an open config in secretFiles, opted in: the file zot loads is judged on chart 0.1.98',
    source:
      'zot chart 0.1.98 templates/statefulset.yaml (args: extraArgs), templates/secret.yaml (secretFiles); zot v2.1.14 pkg/api/authn.go (no auth method: every request passes)',
    props: {
      release: {
        chartVersion: '0.1.98',
        unsafeValues: ['extraArgs', 'secretFiles'],
        valuesOverrides: {
          extraArgs: ['serve', '/secret/open.json'],
          secretFiles: { htpasswd: '${COMMON_OCI}', 'open.json': OPEN },
        },
      },
    },
    names: [
      '(chart 0.1.98, rendered)',
      /Secret\/zot-secret data\["open\.json"\] \(loaded by ghcr\.io\/project-zot\/zot:v2\.1\.14 \S+ serve \/secret\/open\.json/,
      'http.auth: is not set: zot v2.1.14 enables no authentication',
    ],
  },
];

/** Chart 0.1.99: zot v2.1.15, where bearer takes awsSecretsManager. */
const ZOT_2_1_15: HostileCase[] = [
  {
    name: 'bearer with awsSecretsManager but no realm and service on zot v2.1.15: no authentication',
    source:
      'zot v2.1.15 pkg/api/config/config.go IsTraditionalBearerAuthEnabledWithASM (awsSecretsManager with realm and service); pkg/api/authn.go tryAuthnHandlers',
    props: handWritten(
      beforeTimeouts(
        zotConfig(openHttp({ bearer: { awsSecretsManager: { region: 'eu-west-1', secretName: 'zot-bearer' } } })),
      ),
      { chartVersion: '0.1.99' },
    ),
    names: [
      /config\.json http\.auth: \{"bearer":\{"awsSecretsManager":\{.*\}\}\}: zot v2\.1\.15 enables no authentication/,
    ],
  },
];

/** Chart 0.1.113: refused whatever the values (lib/zot/chart-facts.json knownBad, read from its templates). */
const KNOWN_BAD: HostileCase[] = [
  {
    name: 'chart 0.1.113, whose StatefulSet serviceName no upgrade can cross',
    source:
      'zot chart 0.1.113 templates/statefulset.yaml (spec.serviceName always; 0.1.112 and 0.1.114 set it only with serviceHeadless.enabled); Kubernetes apps/v1 StatefulSet (serviceName immutable)',
    props: { release: { chartVersion: '0.1.113' } },
    names: ["release.chartVersion: '0.1.113' is a known-bad zot chart"],
  },
];

test('the chart packages these cases render are here', () => {
  for (const v of ['0.1.98', '0.1.99', '0.1.113']) expect(fs.existsSync(path.join(CHARTS, `zot-${v}.tgz`))).toBe(true);
});

test('the hand-written bases start and stay closed on zot v2.1.14 and v2.1.15: what each case changes is what is refused', () => {
  for (const chartVersion of ['0.1.98', '0.1.99']) {
    for (const config of [zotConfig(), s3Config({})]) {
      const r = synth(tempDir(), () => appWith(handWritten(beforeTimeouts(config), { chartVersion })));
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
    }
  }
});

hostileSuite('hostile props on chart 0.1.98 (zot v2.1.14)', ZOT_2_1_14, '0.1.98');
hostileSuite('hostile props on chart 0.1.99 (zot v2.1.15)', ZOT_2_1_15, '0.1.99');
hostileSuite('hostile props on a known-bad chart', KNOWN_BAD);
