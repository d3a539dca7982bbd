// A Git URL written into the repository (init's --git-url → the GitRepository in clusters/<name>/flux/config) carries no
// credential: no userinfo on http(s) (a token as the user name is one: `https://ghp_...@github.com/...`), no password on
// ssh, no token in the path or the query. Flux takes them from a Secret instead:
// fluxcd/source-controller v1.7.4 api/v1/gitrepository_types.go: GitRepositorySpec.SecretRef ("For HTTPS repositories
// the Secret must contain 'username' and 'password' fields for basic auth or 'bearerToken' field for token auth").
// A refusal shows the URL with the userinfo and query values replaced by `***`, never the credential.
import { Problem, ZotFluxError } from '../core/error';
import { describeFinding, findCredentials } from './credentials';

/** `scheme://userinfo@`: the userinfo is everything before the last `@` of the authority. */
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

/** Query parameters whose value is a credential (GitLab's private_token, access_token, a signed URL's signature...). */
const CREDENTIAL_PARAM = /token|passw|secret|auth|key|signature|sig$|credential/i;

/** The URL with userinfo and every query value replaced by `***`: safe to print. */
export function redactUrl(url: string): string {
  let out = url.replace(AUTHORITY, (_m, scheme: string, authority: string) => {
    const at = authority.lastIndexOf('@');
    return at === -1 ? scheme + authority : `${scheme}***@${authority.slice(at + 1)}`;
  });
  out = out.replace(/([?&][^=&#]*=)[^&#]*/g, '$1***');
  return out;
}

/**
 * Why `url` must not be written to Git, with the URL redacted; undefined when it holds no credential. `field` names
 * the option or prop (`--git-url`).
 */
export function gitUrlCredentialProblem(url: string, field: string): Problem | undefined {
  const problem = (reason: string): Problem => ({
    field,
    value: redactUrl(url),
    reason:
      `${reason}; it would be written to Git. Give Flux the credentials through the GitRepository's spec.secretRef ` +
      "(a Secret with 'username' and 'password', or 'bearerToken'; for ssh 'identity' and 'known_hosts') and use the URL without them",
  });
  const m = AUTHORITY.exec(url);
  // No scheme (scp-like `user:token@host:path`, which Flux refuses anyway): what precedes @ is never echoed.
  const bare = m ? undefined : /^([^/@]*)@/.exec(url);
  if (bare && (bare[1].includes(':') || findCredentials(bare[1]).length)) {
    return { ...problem('holds a password or token before @'), value: `***@${url.slice(bare[0].length)}` };
  }
  if (m) {
    const scheme = m[1].slice(0, -3).toLowerCase();
    const authority = m[2];
    const at = authority.lastIndexOf('@');
    if (at !== -1) {
      const userinfo = authority.slice(0, at);
      // ssh logs in as a user (ssh://git@github.com/...); a password there, or any userinfo on http(s), is a credential.
      if (scheme !== 'ssh')
        return problem(
          'holds a password or token in its userinfo (on http(s) anything before @ is taken as one: a token often goes as the user name)',
        );
      if (userinfo.includes(':')) return problem('holds a password or token in its userinfo');
      const found = findCredentials(userinfo);
      if (found.length)
        return problem(`holds ${describeFinding(found[0]).replace(/ at line \d+$/, '')} as its user name`);
    }
  }
  for (const q of url.matchAll(/[?&]([^=&#]*)=([^&#]*)/g)) {
    if (CREDENTIAL_PARAM.test(decodeSafely(q[1])) && q[2] !== '')
      return problem(`holds a credential in the query parameter '${q[1]}'`);
  }
  const found = findCredentials(url);
  // Elsewhere in the URL (its path): no part of it is shown.
  if (found.length)
    return { ...problem(`holds ${describeFinding(found[0]).replace(/ at line \d+$/, '')}`), value: undefined };
  return undefined;
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Throws the refusal of gitUrlCredentialProblem (exit 1, the URL shown redacted); returns when `url` holds no credential. */
export function refuseGitUrlCredentials(url: string, field: string): void {
  const p = gitUrlCredentialProblem(url, field);
  if (p) throw new ZotFluxError(p);
}
