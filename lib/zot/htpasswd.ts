// htpasswd lines for zot: made with bcryptjs, checked the way zot reads them (zot v2.1.14: one
// `user:hash` per line, split at the first ':', no trimming, a later duplicate user wins; only
// bcrypt `$2a$`/`$2b$`/`$2y$` and sha-crypt `$5$`/`$6$` are accepted at login).
import * as bcrypt from 'bcryptjs';
import { ZotFluxError } from '../core/error';

/** bcrypt cost factors this tool accepts (Apache htpasswd -C accepts the same range). */
export const MIN_COST = 4;
export const MAX_COST = 17;
/**
 * The default cost. zot verifies bcrypt on every request, uncached, so the cost is paid per
 * request; see README "Choosing the bcrypt cost" and `npm run bench` for the figures.
 */
export const DEFAULT_COST = 10;
/** bcrypt reads only the first 72 bytes of a password. */
export const MAX_PASSWORD_BYTES = 72;

/** A refused user name, password, cost or htpasswd line; never carries the password or the hash. */
export class HtpasswdError extends ZotFluxError {
  constructor(message: string) {
    super({ field: '', reason: message });
  }
}

/** Why a user name cannot be used in an htpasswd line; undefined when it can. */
export function userNameProblem(user: string): string | undefined {
  if (user === '') return 'the user name is empty';
  if (user.includes(':')) return `the user name '${user}' contains ':' (htpasswd splits user and hash at the first ':')`;
  if (/\s/.test(user)) return `the user name '${JSON.stringify(user).slice(1, -1)}' contains whitespace`;
   
  if (/[\x00-\x1f\x7f]/.test(user)) return `the user name '${JSON.stringify(user).slice(1, -1)}' contains control characters`;
  return undefined;
}

export type HashKind = 'bcrypt' | 'sha-crypt' | 'apr1' | 'sha1' | 'md5-crypt' | 'plaintext-or-unknown';

export function hashKind(hash: string): HashKind {
  if (/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return 'bcrypt';
  if (/^\$[56]\$/.test(hash)) return 'sha-crypt';
  if (hash.startsWith('$apr1$')) return 'apr1';
  if (hash.startsWith('{SHA}')) return 'sha1';
  if (hash.startsWith('$1$')) return 'md5-crypt';
  return 'plaintext-or-unknown';
}

const REFUSED: Partial<Record<HashKind, string>> = {
  apr1: "an Apache MD5 ($apr1$) hash, which zot refuses (make a bcrypt one: npm run htpasswd -- <user>)",
  sha1: 'a {SHA} hash, which zot refuses (make a bcrypt one: npm run htpasswd -- <user>)',
  'md5-crypt': 'an MD5-crypt ($1$) hash, which zot refuses (make a bcrypt one: npm run htpasswd -- <user>)',
  'plaintext-or-unknown': 'not a bcrypt hash (plaintext or unknown), which zot refuses (make one: npm run htpasswd -- <user>)',
};

export interface HtpasswdEntry { readonly user: string; readonly hash: string; readonly line: number }

/**
 * Why zot would refuse a single htpasswd line; undefined when zot accepts it. Never echoes the hash.
 */
export function htpasswdLineProblem(line: string): string | undefined {
  const colon = line.indexOf(':');
  if (colon === -1) return "the line has no ':' (zot skips it: nobody can log in with it)";
  const userProblem = userNameProblem(line.slice(0, colon));
  if (userProblem) return userProblem;
  const hash = line.slice(colon + 1);
  if (hash !== hash.trim()) return 'the hash has leading or trailing whitespace (zot does not trim: logins would fail)';
  return REFUSED[hashKind(hash)];
}

/** The entries of an htpasswd file as zot reads them (lines without ':' skipped, later duplicates win). */
export function parseHtpasswd(text: string): Map<string, HtpasswdEntry> {
  const entries = new Map<string, HtpasswdEntry>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const colon = line.indexOf(':');
    if (colon === -1) return;
    const user = line.slice(0, colon);
    entries.set(user, { user, hash: line.slice(colon + 1), line: i + 1 });
  });
  return entries;
}

function checkPassword(password: string): void {
  if (password === '') throw new HtpasswdError('the password is empty');
  if (password.includes('\n') || password.includes('\r')) throw new HtpasswdError('the password contains a line break');
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new HtpasswdError(`the password is longer than ${MAX_PASSWORD_BYTES} bytes; bcrypt would silently ignore the rest`);
  }
}

export function checkCost(cost: number): void {
  if (!Number.isInteger(cost) || cost < MIN_COST || cost > MAX_COST) {
    throw new HtpasswdError(`--cost: '${cost}' is not an integer from ${MIN_COST} to ${MAX_COST}`);
  }
}

/** `user:$2y$NN$<53 chars>`, the line `htpasswd -nbB -C NN` writes. */
export function makeHtpasswdLine(user: string, password: string, cost = DEFAULT_COST): string {
  const problem = userNameProblem(user);
  if (problem) throw new HtpasswdError(problem);
  checkPassword(password);
  checkCost(cost);
  // bcryptjs writes $2b$; $2y$ is the same algorithm under the prefix Apache's htpasswd writes.
  const hash = bcrypt.hashSync(password, bcrypt.genSaltSync(cost)).replace(/^\$2b\$/, '$2y$');
  return `${user}:${hash}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'mismatch' } | { ok: false; reason: 'error'; message: string };

/** Checks `password` against `user`'s line in an htpasswd file's text, the way zot would. */
export function verifyHtpasswd(text: string, user: string, password: string): VerifyResult {
  const entry = parseHtpasswd(text).get(user);
  if (!entry) return { ok: false, reason: 'error', message: `no line for user '${user}'` };
  const problem = htpasswdLineProblem(`${entry.user}:${entry.hash}`);
  if (problem) return { ok: false, reason: 'error', message: `line ${entry.line} (user '${user}'): ${problem}` };
  if (hashKind(entry.hash) !== 'bcrypt') {
    return { ok: false, reason: 'error', message: `line ${entry.line} (user '${user}'): a sha-crypt hash; zot accepts it, but this tool only verifies bcrypt` };
  }
  return bcrypt.compareSync(password, entry.hash) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
