// Access as people say it, through the release props: per-repository grants on one user,
// authenticatedRead for every signed-in user, and a signed-in user never below anonymous. Every
// claim is checked against the model of zot's own decision (lib/zot/access.ts zotCan) on the
// config.json the release writes; refusals name real prop paths.
import { Testing } from 'cdk8s';
import { ZotRelease, ZotReleaseProps, ZotUser } from '../../lib/constructs/zot-release';
import { ZotFluxError } from '../../lib/core/error';
import { effectiveAccessTable, formatAccessTable, ZotAction, zotCan } from '../../lib/zot/access';
import { TEST_CHART_VERSION } from '../support/tree';

const ADMIN: ZotUser = { name: 'admin', variable: 'COMMON_OCI', actions: ['read', 'create', 'update', 'delete'], admin: true };
const DEV: ZotUser = {
  name: 'dev', variable: 'ZOT_DEV',
  grants: [{ actions: ['read', 'create', 'update'], repositories: ['team/**'] }, { actions: ['read'], repositories: ['**'] }],
};
const CI: ZotUser = { name: 'ci', variable: 'ZOT_CI', actions: ['read', 'create', 'update'], repositories: ['ci/**'] };

function release(props: ZotReleaseProps): ZotRelease {
  return new ZotRelease(Testing.chart(), 'HelmRelease', { chartVersion: TEST_CHART_VERSION, ...props });
}

/** zot's answer on the config.json the release puts in its HelmRelease values. */
function canOf(r: ZotRelease) {
  const config = JSON.parse((r.resource.toJson() as any).spec.values.configFiles['config.json']);
  return (who: string, action: ZotAction, repo: string) =>
    zotCan(config.http.accessControl, who === 'anonymous' ? 'anonymous' : { user: who }, action, repo, r.zotVersion);
}

function refusal(f: () => unknown): ZotFluxError {
  try { f(); } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) return e;
    throw e;
  }
  throw new Error('expected a ZotFluxError');
}

describe('one user, different rights per repository', () => {
  test('dev pushes to team/** and pulls everything; nothing else', () => {
    const r = release({ users: [ADMIN, DEV, CI] });
    const can = canOf(r);
    expect([can('dev', 'create', 'team/app'), can('dev', 'update', 'team/a/b'), can('dev', 'read', 'ci/x'), can('dev', 'read', 'other/x')]).toEqual([true, true, true, true]);
    expect([can('dev', 'create', 'ci/x'), can('dev', 'delete', 'team/app'), can('dev', 'create', 'teams/app')]).toEqual([false, false, false]);
    expect([can('ci', 'create', 'ci/x'), can('ci', 'read', 'team/app')]).toEqual([true, false]);
    expect(r.secretFileKeys).toEqual(['htpasswd']);
    expect((r.resource.toJson() as any).spec.values.secretFiles.htpasswd).toBe('${COMMON_OCI}\n${ZOT_DEV}\n${ZOT_CI}');
  });

  test('the shorthand and a single grant compile to the same config', () => {
    const short = release({ users: [ADMIN, CI] }).accessControl;
    const long = release({ users: [ADMIN, { name: 'ci', variable: 'ZOT_CI', grants: [{ actions: ['read', 'create', 'update'], repositories: ['ci/**'] }] }] }).accessControl;
    expect(long).toEqual(short);
  });

  test('an admin needs no actions', () => {
    const r = release({ users: [{ name: 'root', variable: 'COMMON_OCI', admin: true }] });
    expect(r.accessControl.adminPolicy).toEqual({ users: ['root'], actions: ['read', 'create', 'update', 'delete'] });
  });
});

describe('authenticatedRead and anonymous access', () => {
  test('every signed-in user pulls what authenticatedRead lists; anonymous clients get nothing from it', () => {
    const r = release({ users: [ADMIN, CI], authenticatedRead: ['base/**'] });
    const can = canOf(r);
    expect([can('ci', 'read', 'base/alpine'), can('ci', 'create', 'base/alpine'), can('anonymous', 'read', 'base/alpine')]).toEqual([true, false, false]);
    expect(r.accessControl.repositories['base/**']).toEqual({ policies: [], defaultPolicy: ['read'] });
  });

  test('with anonymousRead public/**, ci (scoped to ci/**) still pulls public/x signed in', () => {
    const r = release({ users: [ADMIN, CI], anonymousRead: ['public/**'] });
    const can = canOf(r);
    expect([can('anonymous', 'read', 'public/x'), can('ci', 'read', 'public/x'), can('admin', 'read', 'public/x')]).toEqual([true, true, true]);
    expect([can('anonymous', 'read', 'ci/x'), can('ci', 'read', 'other/x')]).toEqual([false, false]);
    expect(r.accessControl.repositories['public/**']).toEqual({ policies: [], defaultPolicy: ['read'], anonymousPolicy: ['read'] });
    const table = formatAccessTable(effectiveAccessTable(r.accessControl, r.zotVersion));
    expect(table).toMatch(/^user ci\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(table).toMatch(/^any signed-in user\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(table).toMatch(/^anonymous\s+public\/\*\*\s+yes\s+-\s+-\s+-$/m);
    expect(table).not.toMatch(/LESS THAN ANONYMOUS/);
  });

  test('anonymous writes reach signed-in users too', () => {
    const r = release({ users: [ADMIN, CI], anonymousWrite: [{ repositories: ['tailnet/**'], actions: ['create', 'update'] }] });
    const can = canOf(r);
    expect([can('anonymous', 'create', 'tailnet/x'), can('ci', 'create', 'tailnet/x'), can('ci', 'delete', 'tailnet/x')]).toEqual([true, true, false]);
  });

  test('the seed (a sole admin) has no defaultPolicy: the config is as before', () => {
    expect(release({}).accessControl.repositories).toEqual({ '**': { policies: [], defaultPolicy: [] } });
  });
});

describe('refusals name the prop', () => {
  test.each<[string, ZotReleaseProps, string]>([
    ['grants next to actions', { users: [ADMIN, { ...DEV, actions: ['read'] }] }, "users[1].grants: is given next to actions: give a user's rights one way"],
    ['grants next to repositories', { users: [ADMIN, { ...DEV, repositories: ['x/**'] }] }, 'users[1].grants: is given next to repositories'],
    ['grants on an admin', { users: [{ ...ADMIN, actions: undefined, grants: DEV.grants }] }, "users[0].grants: is given for an admin: zot's adminPolicy already grants"],
    ['empty grants', { users: [ADMIN, { ...DEV, grants: [] }] }, 'users[1].grants: [] is empty; give at least one'],
    ['a grant without repositories', { users: [ADMIN, { ...DEV, grants: [{ actions: ['read'] } as any] }] }, 'users[1].grants[0].repositories: is missing'],
    ['a grant with an unknown key', { users: [ADMIN, { ...DEV, grants: [{ actions: ['read'], repositories: ['**'], repository: 'x' } as any] }] }, 'users[1].grants[0].repository: is not a prop here'],
    ['a grant with an unknown action', { users: [ADMIN, { ...DEV, grants: [{ actions: ['push' as ZotAction], repositories: ['**'] }] }] }, "users[1].grants[0].actions: 'push' is not a zot action"],
    ['a user listed twice', { users: [ADMIN, CI, { ...CI, variable: 'ZOT_CI2' }] }, "users[2].name: 'ci' is listed twice: one name is one htpasswd line; to give a user different rights on different repositories, list them in its grants"],
    ['a user with neither actions nor grants', { users: [ADMIN, { name: 'x', variable: 'X' }] }, 'users[1].actions: is missing'],
    ['authenticatedRead not a list', { authenticatedRead: 'x' as any }, "authenticatedRead: 'x' is not a list of strings"],
  ])('%s', (_what, props, message) => {
    expect(refusal(() => release(props)).message).toContain(message);
  });

  test.each<[string, ZotReleaseProps, string]>([
    ['a bad glob in a grant', { users: [ADMIN, { ...DEV, grants: [DEV.grants![0], { actions: ['read'], repositories: ['x', 'CI/**'] }] }] }, 'users[1].grants[1].repositories[1]'],
    ['a bad glob in the shorthand', { users: [ADMIN, { ...CI, repositories: ['ci/[x'] }] }, 'users[1].repositories[0]'],
    ['a bad glob in authenticatedRead', { authenticatedRead: ['a/{b'] }, 'authenticatedRead[0]'],
    ['a grant cutting through another user\'s glob', { users: [ADMIN, DEV, { name: 'web', variable: 'ZOT_WEB', grants: [{ actions: ['create'], repositories: ['*/app'] }] }] }, 'users[2].grants[0].repositories[0]'],
  ])('the compiler names the prop path: %s', (_what, props, field) => {
    const e = refusal(() => release(props));
    expect(e.problems.map((p) => p.field)).toContain(field);
  });

  test('the shorthand is never called grants[0] (no such prop)', () => {
    const e = refusal(() => release({ users: [ADMIN, { ...CI, repositories: ['ci/[x'] }] }));
    expect(e.message).toMatch(/users\[1\]\.repositories\[0\]: 'ci\/\[x' is not a valid doublestar pattern/);
    expect(e.message).not.toContain('grants');
  });
});
