// Advisories against the deployed zot (lib/zot/known-advisories.json) in synth's checks, synth's output,
// zot-verify and the access table: each affecting advisory is named with its fix; create without
// update on zot < v2.1.15 (CVE-2026-31801: 'latest' can be overwritten) is refused unless the
// release acknowledges the advisory by name.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import {
  ACKNOWLEDGED_ADVISORIES_ANNOTATION,
  acknowledgedAdvisoryNames,
  advisoryCheck,
} from '../../lib/checks/advisories';
import { validateFiles } from '../../lib/checks/tree';
import { accessCommand } from '../../lib/cli/access';
import { Io } from '../../lib/cli/command';
import { ZOT_VERIFY_USAGE, zotVerifyCommand } from '../../lib/cli/zot-verify';
import { reportError } from '../../lib/cli/command';
import { ZotFluxError } from '../../lib/core/error';
import { ZotAction } from '../../lib/zot/config';
import { compileAccess } from '../../lib/zot/access';
import { appWith, readTree, synth, tempDir } from '../support/tree';

const CVE = 'CVE-2026-31801';
const ADMIN = {
  name: 'admin',
  variable: 'COMMON_OCI',
  actions: ['read', 'create', 'update', 'delete'] as ZotAction[],
  admin: true,
};
const CI_CREATE_ONLY = {
  name: 'ci',
  variable: 'ZOT_CI',
  actions: ['read', 'create'] as ZotAction[],
  repositories: ['ci/**'],
};
const CI = { ...CI_CREATE_ONLY, actions: ['read', 'create', 'update'] as ZotAction[] };

function config(
  users: Array<{ name: string; admin?: boolean; grants?: Array<{ repositories: string[]; actions: ZotAction[] }> }>,
) {
  return {
    storage: { rootDirectory: '/var/lib/registry' },
    http: {
      address: '0.0.0.0',
      port: '5000',
      auth: { htpasswd: { path: '/secret/htpasswd' } },
      accessControl: compileAccess({ users }),
    },
    log: { level: 'info' },
  };
}
const CREATE_ONLY = config([
  { name: 'admin', admin: true },
  { name: 'ci', grants: [{ repositories: ['ci/**'], actions: ['read', 'create'] }] },
]);
const WITH_UPDATE = config([
  { name: 'admin', admin: true },
  { name: 'ci', grants: [{ repositories: ['ci/**'], actions: ['read', 'create', 'update'] }] },
]);

function release(cfg: unknown, chart: string, annotations: Record<string, string> = {}, tag?: string): any {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'zot', namespace: 'zot', annotations },
    spec: {
      interval: '30m',
      chart: {
        spec: {
          chart: 'zot',
          version: chart,
          sourceRef: { kind: 'HelmRepository', name: 'zot', namespace: 'flux-system' },
        },
      },
      values: {
        ...(tag ? { image: { tag } } : {}),
        mountConfig: true,
        mountSecret: true,
        configFiles: { 'config.json': JSON.stringify(cfg) },
        secretFiles: { htpasswd: '${COMMON_OCI}\n${ZOT_CI}' },
        service: { port: 5000 },
        httpGet: { port: 5000 },
      },
    },
  };
}
const ack = (names: string) => ({ [ACKNOWLEDGED_ADVISORIES_ANNOTATION]: names });

describe('advisoryCheck on a zot HelmRelease', () => {
  test('chart 0.1.98 (zot v2.1.14): a warning naming the advisory, its fix and the chart to move to', () => {
    const { errors, warnings } = advisoryCheck(release(WITH_UPDATE, '0.1.98'));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      {
        field: 'HelmRelease/zot',
        reason:
          "zot v2.1.14 is affected by CVE-2026-31801 (GHSA-85jx-fm8m-x8c6): a client allowed create but not update can overwrite an existing tag 'latest'; " +
          'fixed in zot v2.1.15: move to chart 0.1.99 or later (it deploys zot v2.1.15)',
      },
    ]);
  });

  test('create without update at zot v2.1.14 is refused, naming the subject, the pattern and the advisory', () => {
    const { errors } = advisoryCheck(release(CREATE_ONLY, '0.1.98'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      "HelmRelease/zot config.json http.accessControl: user ci may create but not update on 'ci/**', which does not mean what it says on zot v2.1.14: " +
        "CVE-2026-31801 (GHSA-85jx-fm8m-x8c6), on zot <v2.1.15 a client allowed create but not update can overwrite an existing tag 'latest'; ",
    );
    expect(errors[0]).toContain(
      "move to chart 0.1.99 or later (it deploys zot v2.1.15), or acknowledge it by name: acknowledgedAdvisories: ['CVE-2026-31801']",
    );
  });

  test('acknowledged by name (id or alias): accepted, and the warning says what was acknowledged', () => {
    for (const name of [CVE, 'GHSA-85jx-fm8m-x8c6', `other, ${CVE.toLowerCase()}`]) {
      const { errors, warnings } = advisoryCheck(release(CREATE_ONLY, '0.1.98', ack(name)));
      expect(errors).toEqual([]);
      expect(warnings.map((w) => w.reason).join('\n')).toContain(
        `acknowledged (${ACKNOWLEDGED_ADVISORIES_ANNOTATION}): user ci may create but not update on 'ci/**'`,
      );
    }
  });

  test('zot v2.1.15 (chart 0.1.99) and later: no advisory, no refusal', () => {
    for (const chart of ['0.1.99', '0.1.122'])
      expect(advisoryCheck(release(CREATE_ONLY, chart))).toEqual({ errors: [], warnings: [] });
  });

  test('the deployed zot is image.tag when set: v2.1.14 on chart 0.1.122 is affected, v2.1.15 on 0.1.98 is not', () => {
    expect(advisoryCheck(release(CREATE_ONLY, '0.1.122', {}, 'v2.1.14')).errors).toHaveLength(1);
    expect(advisoryCheck(release(CREATE_ONLY, '0.1.98', {}, '2.1.15'))).toEqual({ errors: [], warnings: [] });
    expect(advisoryCheck(release(CREATE_ONLY, '0.1.122', {}, 'v2.1.15-rc.1')).errors).toHaveLength(1);
  });

  test('anonymous create without update (anonymousWrite) is the same declaration', () => {
    const cfg = {
      ...CREATE_ONLY,
      http: {
        ...CREATE_ONLY.http,
        accessControl: compileAccess({
          users: [{ name: 'admin', admin: true }],
          anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create'] }],
          anonymousRead: ['tailnet/**'],
        }),
      },
    };
    const errors = advisoryCheck(
      release(cfg, '0.1.98', { 'zot-flux.io/anonymous-write': 'tailnet/**=create' }),
    ).errors.join('\n');
    expect(errors).toContain("anonymous may create but not update on 'tailnet/**'");
    expect(errors).toContain("any signed-in user may create but not update on 'tailnet/**'");
  });

  test('an acknowledgement of no known advisory, or of one that does not affect this zot, is a warning', () => {
    const unknown = advisoryCheck(release(CREATE_ONLY, '0.1.98', ack('CVE-2026-3180')));
    expect(unknown.errors).toHaveLength(1);
    expect(unknown.warnings).toContainEqual({
      field: `HelmRelease/zot metadata.annotations["${ACKNOWLEDGED_ADVISORIES_ANNOTATION}"]`,
      value: 'CVE-2026-3180',
      reason: 'is no advisory this project knows (lib/zot/known-advisories.json); it acknowledges nothing',
    });
    const stale = advisoryCheck(release(CREATE_ONLY, '0.1.99', ack(CVE)));
    expect(stale.errors).toEqual([]);
    expect(stale.warnings).toEqual([
      {
        field: `HelmRelease/zot metadata.annotations["${ACKNOWLEDGED_ADVISORIES_ANNOTATION}"]`,
        value: CVE,
        reason: 'does not affect zot v2.1.15 (affected: <v2.1.15): the acknowledgement can go',
      },
    ]);
  });

  test('the annotation is read as comma-separated names', () => {
    expect(acknowledgedAdvisoryNames({ metadata: { annotations: ack(' a ,b,, c') } })).toEqual(['a', 'b', 'c']);
    expect(acknowledgedAdvisoryNames({})).toEqual([]);
  });

  test('not a zot release, or a version it cannot read: nothing (zotReleaseCheck reports that)', () => {
    expect(advisoryCheck({ kind: 'ConfigMap' })).toEqual({ errors: [], warnings: [] });
    expect(advisoryCheck(release(CREATE_ONLY, '0.1.98', {}, 'latest'))).toEqual({ errors: [], warnings: [] });
  });
});

describe("validateFiles (synth's checks on the whole tree)", () => {
  const file = 'clusters/common/apps/zot/app/helmrelease.yaml';
  const files = (obj: unknown) => new Map([[file, yaml.dump(obj)]]);
  test('the refusal names the file; the warning is returned', () => {
    let err: unknown;
    try {
      validateFiles(files(release(CREATE_ONLY, '0.1.98')));
    } catch (e) {
      err = e;
    }
    expect(ZotFluxError.isZotFluxError(err)).toBe(true);
    expect((err as ZotFluxError).message).toContain(
      `${file}: HelmRelease/zot config.json http.accessControl: user ci may create but not update on 'ci/**', which does not mean what it says on zot v2.1.14`,
    );
    const warnings = validateFiles(files(release(CREATE_ONLY, '0.1.98', ack(CVE))));
    expect(warnings.map((w) => `${w.field}: ${w.reason}`).join('\n')).toContain(
      `${file}: HelmRelease/zot: zot v2.1.14 is affected by ${CVE}`,
    );
  });
});

describe('synth', () => {
  test("chart 0.1.98: the advisory is a warning in synth's output", () => {
    const root = tempDir();
    const r = synth(root, () => appWith({ release: { chartVersion: '0.1.98', users: [ADMIN, CI] } }), ['--no-render']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^synth: warning: clusters\/common\/apps\/zot\/app\/helmrelease\.yaml: HelmRelease\/zot: zot v2\.1\.14 is affected by CVE-2026-31801 \(GHSA-85jx-fm8m-x8c6\).*fixed in zot v2\.1\.15: move to chart 0\.1\.99 or later/m,
    );
    expect(readTree(root).get('clusters/common/apps/zot/README.md')).toContain(
      '!! ADVISORY CVE-2026-31801 (GHSA-85jx-fm8m-x8c6) affects zot v2.1.14',
    );
  });

  test('chart 0.1.98 with a create-only user: refused, nothing written', () => {
    const root = tempDir();
    const r = synth(root, () => appWith({ release: { chartVersion: '0.1.98', users: [ADMIN, CI_CREATE_ONLY] } }), [
      '--no-render',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "user ci may create but not update on 'ci/**', which does not mean what it says on zot v2.1.14",
    );
    expect(r.stderr).toContain(CVE);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('acknowledged with acknowledgedAdvisories: written, with the annotation', () => {
    const root = tempDir();
    const r = synth(
      root,
      () =>
        appWith({ release: { chartVersion: '0.1.98', users: [ADMIN, CI_CREATE_ONLY], acknowledgedAdvisories: [CVE] } }),
      ['--no-render'],
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `acknowledged (${ACKNOWLEDGED_ADVISORIES_ANNOTATION}): user ci may create but not update on 'ci/**'`,
    );
    const hr = yaml.load(readTree(root).get('clusters/common/apps/zot/app/helmrelease.yaml')!) as any;
    expect(hr.metadata.annotations[ACKNOWLEDGED_ADVISORIES_ANNOTATION]).toBe(CVE);
    expect(readTree(root).get('clusters/common/apps/zot/README.md')).toContain(
      `!! ADVISORY ${CVE} (GHSA-85jx-fm8m-x8c6) affects zot v2.1.14`,
    );
  });

  test('chart 0.1.99 (zot v2.1.15) with a create-only user: no refusal, no advisory', () => {
    const root = tempDir();
    const r = synth(root, () => appWith({ release: { chartVersion: '0.1.99', users: [ADMIN, CI_CREATE_ONLY] } }), [
      '--no-render',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('CVE-');
  });

  test('an unknown advisory name is refused at the prop', () => {
    expect(() => appWith({ release: { chartVersion: '0.1.98', acknowledgedAdvisories: ['CVE-2026-3180'] } })).toThrow(
      "acknowledgedAdvisories[0]: 'CVE-2026-3180' is no advisory this project knows",
    );
  });
});

describe('zot-verify and npm run access name the advisory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zot-flux-advisories-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, JSON.stringify(content));
    return p;
  };
  const run = (f: (argv: string[], io: Io) => number, argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const io: Io = {
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
      cwd: dir,
      env: {},
    };
    let code: number;
    try {
      code = f(argv, io);
    } catch (e) {
      code = reportError('zot-verify', e, io, ZOT_VERIFY_USAGE);
    }
    return { code, stdout, stderr };
  };

  test('zot-verify --chart 0.1.98: the advisory is a warning, with where the config depends on it', () => {
    const r = run(zotVerifyCommand, ['--chart', '0.1.98', write('create-only.json', CREATE_ONLY)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('zot-verify: warning: zot v2.1.14 is affected by CVE-2026-31801 (GHSA-85jx-fm8m-x8c6)');
    expect(r.stderr).toContain("this config depends on it: user ci may create but not update on 'ci/**'");
    expect(r.stdout).toMatch(/starts with .*\(1 warning\)/);
  });

  test('zot-verify --zot v2.1.15: no advisory', () => {
    const r = run(zotVerifyCommand, ['--zot', 'v2.1.15', write('create-only.json', CREATE_ONLY)]);
    expect(r.stderr).not.toContain('CVE-');
  });

  test('access --zot v2.1.14: a line under the table names it and the rows that depend on it', () => {
    const r = run(accessCommand, ['--config', write('create-only.json', CREATE_ONLY), '--zot', 'v2.1.14']);
    expect(r.code).toBe(0);
    const table = r.stdout.indexOf('Effective access');
    const line = r.stdout.indexOf('!! ADVISORY CVE-2026-31801 (GHSA-85jx-fm8m-x8c6) affects zot v2.1.14');
    expect(table).toBeGreaterThanOrEqual(0);
    expect(line).toBeGreaterThan(table);
    expect(r.stdout).toContain("!!   here: user ci may create but not update on 'ci/**'");
    expect(
      run(accessCommand, ['--config', write('create-only.json', CREATE_ONLY), '--zot', 'v2.1.15']).stdout,
    ).not.toContain('ADVISORY');
  });
});
