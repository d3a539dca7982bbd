// Git URLs init writes to the repository: no userinfo on http(s), no password on ssh, no token anywhere; refusals show
// the URL redacted. Fake tokens are built at run time.
import { randomBytes } from 'crypto';
import { formatProblem, ZotFluxError } from '../../lib/core/error';
import { gitUrlCredentialProblem, redactUrl, refuseGitUrlCredentials } from '../../lib/checks/git-url';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n: number) => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
const ghp = () => `${'gh'}p_${rand(36)}`;

describe('refused, the URL shown without the credential', () => {
  test.each<[string, () => { url: string; secret: string }, RegExp, string]>([
    [
      'a GitHub token as the user name',
      () => {
        const t = ghp();
        return { url: `https://${t}@github.com/org/fleet.git`, secret: t };
      },
      /holds a password or token in its userinfo \(on http/,
      'https://***@github.com/org/fleet.git',
    ],
    [
      'user:token',
      () => {
        const t = rand(20);
        return { url: `https://bot:${t}@git.example.test/fleet`, secret: t };
      },
      /holds a password or token in its userinfo \(on http/,
      'https://***@git.example.test/fleet',
    ],
    [
      'x-access-token:token with a port',
      () => {
        const t = ghp();
        return { url: `https://x-access-token:${t}@github.com:443/o/r`, secret: t };
      },
      /holds a password or token in its userinfo \(on http/,
      'https://***@github.com:443/o/r',
    ],
    [
      'a user name alone on https',
      () => ({ url: 'https://reader@git.example.test/fleet', secret: 'reader' }),
      /holds a password or token in its userinfo \(on http/,
      'https://***@git.example.test/fleet',
    ],
    [
      'a password on ssh',
      () => {
        const t = rand(16);
        return { url: `ssh://git:${t}@git.example.test/fleet`, secret: t };
      },
      /holds a password or token in its userinfo;/,
      'ssh://***@git.example.test/fleet',
    ],
    [
      'a token as the ssh user',
      () => {
        const t = ghp();
        return { url: `ssh://${t}@github.com/o/r`, secret: t };
      },
      /holds a GitHub token as its user name/,
      'ssh://***@github.com/o/r',
    ],
    [
      'a token in the query',
      () => {
        const t = rand(24);
        return { url: `https://gitlab.example.test/o/r.git?private_token=${t}`, secret: t };
      },
      /query parameter 'private_token'/,
      'https://gitlab.example.test/o/r.git?private_token=***',
    ],
    [
      'a token in the path',
      () => {
        const t = ghp();
        return { url: `https://github.com/${t}/r.git`, secret: t };
      },
      /holds a GitHub token/,
      '',
    ],
    [
      'scp-like user:token@host:path (no scheme)',
      () => {
        const t = rand(20);
        return { url: `bot:${t}@github.com:o/r.git`, secret: t };
      },
      /before @/,
      '***@github.com:o/r.git',
    ],
    [
      'scp-like token@host:path (no scheme)',
      () => {
        const t = ghp();
        return { url: `${t}@github.com:o/r.git`, secret: t };
      },
      /before @/,
      '***@github.com:o/r.git',
    ],
    [
      'a URL-encoded userinfo',
      () => {
        const t = rand(20);
        return { url: `https://bot%3A${t}@git.example.test/r`, secret: t };
      },
      /holds a password or token in its userinfo \(on http/,
      'https://***@git.example.test/r',
    ],
  ])('%s', (_n, make, reason, shown) => {
    const { url, secret } = make();
    const p = gitUrlCredentialProblem(url, '--git-url')!;
    expect(p).toBeDefined();
    expect(p.field).toBe('--git-url');
    expect(p.reason).toMatch(reason);
    if (shown) expect(p.value).toBe(shown);
    const message = formatProblem(p);
    expect(message).toContain('--git-url');
    expect(message).toContain('spec.secretRef');
    expect(message).not.toContain(secret);
    expect(() => refuseGitUrlCredentials(url, '--git-url')).toThrow(ZotFluxError);
  });
});

describe('accepted', () => {
  test.each([
    'https://github.com/org/fleet.git',
    'ssh://git@github.com/org/fleet.git',
    'ssh://git@git.example.test:2222/org/fleet',
    'http://git.example.test/fleet?ref=main',
    'https://git.example.test/path/with@sign/in/it',
    'git@github.com:org/fleet.git',
  ])('%s', (url) => {
    expect(gitUrlCredentialProblem(url, '--git-url')).toBeUndefined();
    expect(() => refuseGitUrlCredentials(url, '--git-url')).not.toThrow();
  });
});

test('redactUrl keeps scheme, host, path and parameter names', () => {
  expect(redactUrl('https://u:p@h.example.test:8443/a/b?x=1&token=2#f')).toBe(
    'https://***@h.example.test:8443/a/b?x=***&token=***#f',
  );
  expect(redactUrl('ssh://git@github.com/o/r')).toBe('ssh://***@github.com/o/r');
  expect(redactUrl('https://h.example.test/r')).toBe('https://h.example.test/r');
});
