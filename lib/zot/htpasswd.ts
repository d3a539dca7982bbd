// htpasswd lines for zot: made and verified on the password's exact BYTES, checked the way the deployed zot reads
// and verifies them.
//
// zot v2.1.14..v2.1.20 pkg/api/htpasswd.go (the same blob, 75d3f81, at every tag):
//   Reload: bufio.Scanner lines (a trailing '\r' dropped), strings.Cut at the first ':', no trimming, a later
//     duplicate user wins, a line without ':' skipped.
//   Authenticate: a hash starting `$2a$`, `$2b$` or `$2y$` goes to golang.org/x/crypto/bcrypt
//     CompareHashAndPassword (refused when Go's FIPS 140 mode is on); `$5$` to github.com/nathanaelle/password
//     v1.0.0 SHA256.CrypterFound + Verify, `$6$` to SHA512.CrypterFound + Verify; anything else is "unsupported
//     hash type" (so `$2x$`, `$2$`, `$apr1$`, `$1$`, `{SHA}`, DES crypt and plaintext never log in).
// zot v2.1.14..v2.1.20 pkg/api/authn.go getUsernamePasswordBasicAuth: the password is the base64-decoded bytes of
//   the Authorization header after the first ':' — bytes, not text: a password that is not UTF-8 works.
// golang.org/x/crypto (v0.47.0 in zot v2.1.14, v0.54.0 in v2.1.20; bcrypt/ and blowfish/ identical) bcrypt.go:
//   newFromHash: at least 59 bytes; decodeVersion takes any minor letter ($2x$ would pass); decodeCost strconv.Atoi
//   of 2 bytes, 4..31; 22 salt characters; then the stored hash is compared on its first 31 characters.
//   bcrypt(): key = password bytes + NUL, read cyclically by the Blowfish key schedule (only 72 bytes count).
// nathanaelle/password v1.0.0 sha256.go/sha512.go Set + helpers.go: `$5$[rounds=N$]salt$hash`; rounds clamped to
//   1000..999999999 (default 5000); salt cut to 16 bytes; hash compared on its first 43 ($5$) / 86 ($6$) bytes;
//   an empty password never verifies. The digest is Drepper's SHA-crypt (the one glibc and Apache's htpasswd -2/-5
//   write).
//
// bcryptjs hashes a JS string's UTF-8, and no string has the UTF-8 form of bytes like 0xff, so the bcrypt below is
// written here on bytes (Provos & Mazières's eksblowfish over Schneier's Blowfish, constants = digits of pi). The
// tests check it against bcryptjs, Apache's htpasswd and Go's bcrypt.
import { createHash, randomBytes } from 'crypto';
import { ZotFluxError } from '../core/error';

/** bcrypt cost factors this tool accepts (Apache htpasswd -C accepts the same range). */
export const MIN_COST = 4;
export const MAX_COST = 17;
/**
 * The default cost. zot verifies bcrypt on every request, uncached, so the cost is paid per
 * request; see docs/credentials.md "Choosing the bcrypt cost" and `npm run bench` for the figures.
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

/** A password as the bytes zot will compare: a string is taken as its UTF-8, bytes as they are. */
export type PasswordInput = string | Uint8Array;

function passwordBytes(password: PasswordInput): Buffer {
  return typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
}

/** Whether `bytes` are valid UTF-8 (a password that is not is hashed as its bytes; the CLI says so). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Why a user name cannot be used in an htpasswd line; undefined when it can. */
export function userNameProblem(user: string): string | undefined {
  if (user === '') return 'the user name is empty';
  if (user.includes(':'))
    return `the user name '${user}' contains ':' (htpasswd splits user and hash at the first ':')`;
  if (/\s/.test(user)) return `the user name '${JSON.stringify(user).slice(1, -1)}' contains whitespace`;
  if (/[\x00-\x1f\x7f]/.test(user))
    return `the user name '${JSON.stringify(user).slice(1, -1)}' contains control characters`;
  return undefined;
}

/** Why a password is refused; undefined when it can be hashed. Never mentions its content. */
export function passwordProblem(password: PasswordInput): string | undefined {
  const bytes = passwordBytes(password);
  if (bytes.length === 0) return 'the password is empty';
  if (bytes.includes(0x0a) || bytes.includes(0x0d)) return 'the password contains a line break';
  // Go's bcrypt hashes a NUL like any byte; Apache's htpasswd and C clients end the password there.
  if (bytes.includes(0x00))
    return 'the password contains a NUL byte (Apache htpasswd and C programs end the password there)';
  if (bytes.length > MAX_PASSWORD_BYTES) {
    return `the password is longer than ${MAX_PASSWORD_BYTES} bytes; bcrypt would silently ignore the rest`;
  }
  return undefined;
}

export function checkCost(cost: number): void {
  if (!Number.isInteger(cost) || cost < MIN_COST || cost > MAX_COST) {
    throw new HtpasswdError(`--cost: '${cost}' is not an integer from ${MIN_COST} to ${MAX_COST}`);
  }
}

// ------------------------------------------------------------------------------------------------
// bcrypt on bytes
// ------------------------------------------------------------------------------------------------

/** Blowfish's initial P-array (18 words) and S-boxes (4 × 256): the hexadecimal digits of pi after the 3. */
let piWords: Uint32Array | undefined;
function blowfishInit(): Uint32Array {
  if (piWords) return piWords;
  const words = 18 + 4 * 256;
  const bits = BigInt(words * 32);
  const guard = 64n;
  const one = 1n << (bits + guard);
  // Machin: pi = 16·atan(1/5) − 4·atan(1/239), in fixed point; the guard bits absorb the truncation of each term.
  const atanInverse = (x: bigint): bigint => {
    let power = one / x;
    let sum = power;
    const x2 = x * x;
    for (let k = 1n; power !== 0n; k++) {
      power /= x2;
      sum += (k % 2n === 1n ? -1n : 1n) * (power / (2n * k + 1n));
    }
    return sum;
  };
  const fraction = (16n * atanInverse(5n) - 4n * atanInverse(239n) - 3n * one) >> guard;
  piWords = new Uint32Array(words);
  for (let i = 0; i < words; i++) piWords[i] = Number((fraction >> (bits - 32n * BigInt(i + 1))) & 0xffffffffn);
  return piWords;
}

/** The Blowfish state bcrypt works on: P in [0, 18), S-boxes in [18, 1042). */
class Blowfish {
  readonly p = new Uint32Array(18);
  readonly s = new Uint32Array(1024);
  private readonly block = new Int32Array(2);

  constructor() {
    const init = blowfishInit();
    this.p.set(init.subarray(0, 18));
    this.s.set(init.subarray(18));
  }

  /** Encrypts block[0..1] in place: 16 Feistel rounds. */
  private encrypt(): void {
    const { p, s, block } = this;
    let l = block[0] ^ p[0];
    let r = block[1];
    for (let i = 1; i <= 16; i += 2) {
      r ^= (((s[l >>> 24] + s[256 | ((l >>> 16) & 0xff)]) ^ s[512 | ((l >>> 8) & 0xff)]) + s[768 | (l & 0xff)]) ^ p[i];
      l ^=
        (((s[r >>> 24] + s[256 | ((r >>> 16) & 0xff)]) ^ s[512 | ((r >>> 8) & 0xff)]) + s[768 | (r & 0xff)]) ^ p[i + 1];
    }
    block[0] = r ^ p[17];
    block[1] = l;
  }

  /** Encrypts the 24-byte text in place, as big-endian words. */
  encryptWords(words: Int32Array): void {
    for (let i = 0; i < words.length; i += 2) {
      this.block[0] = words[i];
      this.block[1] = words[i + 1];
      this.encrypt();
      words[i] = this.block[0];
      words[i + 1] = this.block[1];
    }
  }

  /** The key schedule, with the salt mixed in when given (eksblowfish's ExpandKey). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const { p, s, block } = this;
    let k = 0;
    const keyWord = (): number => {
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | key[k];
        k = (k + 1) % key.length;
      }
      return w;
    };
    let j = 0;
    const saltWord = (): number => {
      if (!salt) return 0;
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | salt[j];
        j = (j + 1) % salt.length;
      }
      return w;
    };
    for (let i = 0; i < 18; i++) p[i] ^= keyWord();
    block[0] = 0;
    block[1] = 0;
    for (const table of [p, s]) {
      for (let i = 0; i < table.length; i += 2) {
        block[0] ^= saltWord();
        block[1] ^= saltWord();
        this.encrypt();
        table[i] = block[0];
        table[i + 1] = block[1];
      }
    }
  }
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** bcrypt's base64: the standard bit layout with its own alphabet, no padding. */
function bcryptBase64(bytes: Uint8Array): string {
  return [...Buffer.from(bytes).toString('base64').replace(/=+$/, '')]
    .map((c) => BCRYPT_ALPHABET[STD_ALPHABET.indexOf(c)])
    .join('');
}

/** Decodes bcrypt base64 (spare low bits ignored, as Go's decoder does); undefined for a character outside it. */
function bcryptUnbase64(text: string): Buffer | undefined {
  let std = '';
  for (const c of text) {
    const i = BCRYPT_ALPHABET.indexOf(c);
    if (i < 0) return undefined;
    std += STD_ALPHABET[i];
  }
  return Buffer.from(std, 'base64');
}

/** "OrpheanBeholderScryDoubt", the text bcrypt encrypts 64 times. */
const BCRYPT_TEXT = Buffer.from('OrpheanBeholderScryDoubt', 'latin1');

/** The 31-character hash part of a bcrypt hash for `password` bytes, `cost` and the 16-byte `salt`. */
function bcryptDigest(password: Uint8Array, cost: number, salt: Uint8Array): string {
  const key = Buffer.concat([password, Buffer.from([0])]);
  const bf = new Blowfish();
  bf.expand(key, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(key);
    bf.expand(salt);
  }
  const words = new Int32Array(6);
  for (let i = 0; i < 6; i++) words[i] = BCRYPT_TEXT.readInt32BE(4 * i);
  for (let i = 0; i < 64; i++) bf.encryptWords(words);
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeInt32BE(words[i], 4 * i);
  return bcryptBase64(out.subarray(0, 23));
}

/** A bcrypt hash `$2y$NN$<22 salt><31 hash>` of the password's bytes. */
export function bcryptHash(password: PasswordInput, cost: number, salt: Uint8Array = randomBytes(16)): string {
  checkCost(cost);
  if (salt.length !== 16) throw new TypeError('a bcrypt salt is 16 bytes');
  const bytes = passwordBytes(password);
  return `$2y$${String(cost).padStart(2, '0')}$${bcryptBase64(salt).slice(0, 22)}${bcryptDigest(bytes, cost, salt)}`;
}

// ------------------------------------------------------------------------------------------------
// SHA-crypt ($5$, $6$) on bytes
// ------------------------------------------------------------------------------------------------

const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

interface ShaCrypt {
  readonly algorithm: 'sha256' | 'sha512';
  readonly prefix: '$5$' | '$6$';
  readonly name: string;
  /** Length of the encoded digest. */
  readonly encoded: number;
}
const SHA256_CRYPT: ShaCrypt = { algorithm: 'sha256', prefix: '$5$', name: 'SHA-256-crypt ($5$)', encoded: 43 };
const SHA512_CRYPT: ShaCrypt = { algorithm: 'sha512', prefix: '$6$', name: 'SHA-512-crypt ($6$)', encoded: 86 };

function repeatTo(bytes: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = bytes[i % bytes.length];
  return out;
}

/** The encoded digest of Drepper's SHA-crypt for `password` bytes, `salt` (≤ 16 bytes) and `rounds`. */
export function shaCryptDigest(kind: '$5$' | '$6$', password: Uint8Array, salt: Uint8Array, rounds: number): string {
  const alg = kind === '$5$' ? SHA256_CRYPT : SHA512_CRYPT;
  const pw = Buffer.from(password);
  const sl = Buffer.from(salt);
  const digest = (...parts: Buffer[]): Buffer => {
    const h = createHash(alg.algorithm);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const b = digest(pw, sl, pw);
  const aParts = [pw, sl, repeatTo(b, pw.length)];
  for (let i = pw.length; i > 0; i >>= 1) aParts.push(i % 2 === 1 ? b : pw);
  const a = digest(...aParts);
  const p = repeatTo(digest(...new Array<Buffer>(pw.length).fill(pw)), pw.length);
  const s = repeatTo(digest(...new Array<Buffer>(16 + a[0]).fill(sl)), sl.length);
  let c = a;
  for (let i = 0; i < rounds; i++) {
    const parts: Buffer[] = [i % 2 === 1 ? p : c];
    if (i % 3 !== 0) parts.push(s);
    if (i % 7 !== 0) parts.push(p);
    parts.push(i % 2 === 1 ? c : p);
    c = digest(...parts);
  }
  // The digest bytes in SHA-crypt's order, 3 at a time, each group written low 6 bits first.
  let out = '';
  const emit = (b2: number, b1: number, b0: number, chars: number): void => {
    let w = (b2 << 16) | (b1 << 8) | b0;
    for (let i = 0; i < chars; i++, w >>>= 6) out += CRYPT_ALPHABET[w & 0x3f];
  };
  const n = (c.length / 3) | 0; // 10 groups for SHA-256, 21 for SHA-512
  const stride = alg === SHA256_CRYPT ? 10 : 21;
  for (let k = 0; k < n; k++) {
    const g = [k, k + stride, k + 2 * stride];
    const r = k % 3;
    // SHA-256-crypt rotates each triple right by k mod 3, SHA-512-crypt left.
    const t = alg === SHA256_CRYPT ? [...g.slice(3 - r), ...g.slice(0, 3 - r)] : [...g.slice(r), ...g.slice(0, r)];
    emit(c[t[0]], c[t[1]], c[t[2]], 4);
  }
  if (alg === SHA256_CRYPT) emit(0, c[31], c[30], 3);
  else emit(0, 0, c[63], 2);
  return out;
}

interface ShaCryptParsed {
  readonly rounds: number;
  readonly salt: Buffer;
  readonly hash: string;
  readonly trailing: number;
}

/**
 * A `$5$`/`$6$` hash as nathanaelle/password v1.0.0 reads it (sha256.go/sha512.go Set, helpers.go options):
 * undefined where CrypterFound fails; a problem where it succeeds but no password can ever verify.
 */
function parseShaCrypt(alg: ShaCrypt, hash: string): { parsed?: ShaCryptParsed; problem?: string } {
  const refused = (why: string) => ({
    problem: `a ${alg.name} hash that zot cannot use (${why}): nobody can log in with it`,
  });
  const rest = hash.slice(3);
  if (rest === '') return refused('no salt and no hash');
  const list = cryptFields(rest);
  const options = cryptOptions(list[0]);
  let rounds = 5000;
  let salt: string | undefined;
  let digest: string | undefined;
  if (!options) {
    if (list.length === 3)
      return refused(
        `'$' after the hash; ${alg.prefix} is read as ${alg.prefix}salt$hash or ${alg.prefix}rounds=N$salt$hash`,
      );
    [salt, digest] = list;
  } else {
    if (options.rounds !== undefined) {
      const r = cryptRounds(options.rounds);
      if (r === undefined) return refused('rounds= is not a decimal integer');
      rounds = r;
    }
    [, salt, digest] = list;
  }
  if (!salt) return refused('an empty salt');
  if (digest === undefined || digest.length < alg.encoded)
    return refused(`the hash is shorter than ${alg.encoded} characters`);
  const compared = digest.slice(0, alg.encoded);
  if ([...compared].some((ch) => !CRYPT_ALPHABET.includes(ch)))
    return refused('the hash has a character outside ./0-9A-Za-z');
  const parsed = { rounds, salt: Buffer.from(salt, 'utf8').subarray(0, 16), hash: compared };
  return { parsed: { ...parsed, trailing: digest.length - alg.encoded } };
}

/** strings.SplitN(rest, "$", 3), then one empty last field dropped. */
function cryptFields(rest: string): string[] {
  const list = rest.split('$');
  if (list.length > 3) list.splice(2, list.length - 2, list.slice(2).join('$'));
  if (list[list.length - 1] === '') list.pop();
  return list;
}

/** The `key=value,...` options field (helpers.go options), or undefined when the first field has no '='. */
function cryptOptions(first: string | undefined): Record<string, string> | undefined {
  if (first === undefined || !first.includes('=')) return undefined;
  return Object.fromEntries(
    first
      .split(',')
      .filter((t) => t.includes('='))
      .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]),
  );
}

/** rounds=N read by strconv.Atoi (an optional sign and decimal digits, in int64), clamped to 1000..999999999. */
function cryptRounds(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text) || BigInt(text) > 9223372036854775807n || BigInt(text) < -9223372036854775808n)
    return undefined;
  const r = BigInt(text);
  return r < 1000n ? 1000 : r > 999999999n ? 999999999 : Number(r);
}

// ------------------------------------------------------------------------------------------------
// Hash kinds, as the deployed zot treats them
// ------------------------------------------------------------------------------------------------

export type HashKind =
  | 'bcrypt'
  | 'sha256-crypt'
  | 'sha512-crypt'
  | 'bcrypt-other-prefix'
  | 'apr1'
  | 'md5-crypt'
  | 'sha1'
  | 'plaintext-or-unknown';

/** Which kind of hash `hash` is, by its prefix (what zot's Authenticate dispatches on). */
export function hashKind(hash: string): HashKind {
  if (/^\$2[aby]\$/.test(hash)) return 'bcrypt';
  if (hash.startsWith('$5$')) return 'sha256-crypt';
  if (hash.startsWith('$6$')) return 'sha512-crypt';
  if (/^\$2[a-z]?\$/.test(hash)) return 'bcrypt-other-prefix';
  if (hash.startsWith('$apr1$')) return 'apr1';
  if (hash.startsWith('$1$')) return 'md5-crypt';
  if (hash.startsWith('{SHA}')) return 'sha1';
  return 'plaintext-or-unknown';
}

const MAKE_ONE = 'make a new line: npm run htpasswd -- <user>';
const ZOT_ACCEPTS =
  'zot does not accept this hash format: zot v2.1.14-v2.1.20 accepts only bcrypt $2a$/$2b$/$2y$ and SHA-crypt $5$/$6$';
const REFUSED: Partial<Record<HashKind, string>> = {
  'bcrypt-other-prefix': `a bcrypt hash with another prefix than $2a$, $2b$ or $2y$ (e.g. $2x$), which zot refuses: it hands only those three to Go's bcrypt (which would take $2x$) and rejects any other prefix as an unsupported hash type (${MAKE_ONE})`,
  apr1: `an Apache MD5 ($apr1$) hash, which zot refuses (${ZOT_ACCEPTS}; ${MAKE_ONE})`,
  sha1: `a {SHA} hash, which zot refuses (${ZOT_ACCEPTS}; ${MAKE_ONE})`,
  'md5-crypt': `an MD5-crypt ($1$) hash, which zot refuses (${ZOT_ACCEPTS}; ${MAKE_ONE})`,
  'plaintext-or-unknown': `not a hash zot knows (plaintext or another scheme), which zot refuses (${ZOT_ACCEPTS}; ${MAKE_ONE})`,
};

/** What zot does with a line's hash: a refusal (nobody can log in with it), or acceptance with an optional note. */
export interface HashCheck {
  readonly kind: HashKind;
  /** Whether some password can log in with this hash at zot. */
  readonly zotAccepts: boolean;
  /** Why zot refuses it, or (when it accepts it) what is still wrong with the line. Never quotes the hash. */
  readonly problem?: string;
  /**
   * zot's library takes the cost or rounds, but every login would take longer than the slowest hash
   * htpasswd writes (see MAX_VERIFY_COST, MAX_VERIFY_ROUNDS): --verify refuses it without computing it.
   * @default - absent: the hash is practical
   */
  readonly impractical?: true;
}

// ------------------------------------------------------------------------------------------------
// Costs and rounds zot's libraries take, and what they take in practice
// ------------------------------------------------------------------------------------------------
//
// golang.org/x/crypto bcrypt.go (v0.47.0 at zot v2.1.14 .. v0.54.0 at v2.1.20): MaxCost = 31, so Go's
// CompareHashAndPassword runs a $2y$31$ hash: 2^31 key-schedule rounds. nathanaelle/password v1.0.0
// sha256.go/sha512.go: rounds clamped to 1000..999999999 (sha512_max_rounds), so $6$rounds=999999999$ runs too.
// zot verifies on every request, uncached (pkg/api/htpasswd.go Authenticate, v2.1.14..v2.1.20), so what a hash
// costs, every login and every docker request pays.
//
// Measured here (x86-64, Go 1.19, golang.org/x/crypto v0.54.0 bcrypt and nathanaelle/password v1.0.0 built
// from source, one CompareHashAndPassword / Verify each): bcrypt cost 10 0.113 s, 12 0.447 s, 14 1.99 s (doubling
// per step, so cost 17 ≈ 15 s, cost 31 ≈ 2.7 days); $6$ 1,000,000 rounds 1.04 s, 10,000,000 rounds 8.3 s; $5$
// 10,000,000 rounds 8.9 s (≈ 0.85 µs a round, so 999,999,999 rounds ≈ 14 min). This tool's own bcrypt and
// SHA-crypt are as fast or slower (bcrypt cost 14 2.2 s; $6$ 2.8 µs a round).
//
// The ceiling: Apache's htpasswd writes bcrypt costs 4..17 only (httpd 2.4 support/htpasswd.c usage "-C ... valid:
// 4 to 17", as apache2-utils 2.4.71 prints it; httpd docs programs/htpasswd: "The apr-util library enforces a
// maximum number of rounds of 17 in version 1.6.0 and later"), and nothing htpasswd or this tool writes costs more. SHA-crypt rounds get the same budget: 10,000,000 rounds (≈ 8 s at
// zot) is below bcrypt cost 17 (≈ 15 s); Apache's -r default is 5000.

/** The highest bcrypt cost --verify computes (Apache htpasswd -C and apr-util's maximum). */
export const MAX_VERIFY_COST = 17;
/** The most SHA-crypt rounds --verify computes: about the time of bcrypt cost 17 at zot. */
export const MAX_VERIFY_ROUNDS = 10_000_000;
/** Seconds one Go bcrypt compare took at cost 10 (measured above); each step of cost doubles it. */
const GO_BCRYPT_COST10_SECONDS = 0.113;
/** Seconds one nathanaelle/password SHA-crypt round took (measured above). */
const GO_SHA_ROUND_SECONDS = 0.85e-6;

/** "about 2.7 days" / "about 14 minutes" / "about 15 seconds". */
function duration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86400 * 365, 'years'],
    [86400, 'days'],
    [3600, 'hours'],
    [60, 'minutes'],
    [1, 'seconds'],
  ];
  for (const [size, name] of units) {
    if (seconds >= 2 * size || size === 1) {
      const n = seconds / size;
      return `about ${n >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)} ${name}`;
    }
  }
  return `about ${seconds.toFixed(1)} seconds`;
}

/** Why a bcrypt cost zot's Go bcrypt takes is refused by --verify; undefined up to MAX_VERIFY_COST. */
export function bcryptCostProblem(cost: number): string | undefined {
  if (cost <= MAX_VERIFY_COST) return undefined;
  const each = GO_BCRYPT_COST10_SECONDS * 2 ** (cost - 10);
  return (
    `bcrypt cost ${cost} is above ${MAX_VERIFY_COST}, the highest cost Apache htpasswd writes: zot's Go bcrypt ` +
    `(golang.org/x/crypto, MaxCost 31) takes it, but every login and every docker request would take ${duration(each)} ` +
    `at zot (cost 10 takes 0.11 s and each step doubles it), so nobody can practically log in; --verify does not compute it ` +
    `(${MAKE_ONE}, cost ${MIN_COST}..${MAX_VERIFY_COST})`
  );
}

/** Why a SHA-crypt rounds count zot's library takes is refused by --verify; undefined up to MAX_VERIFY_ROUNDS. */
export function shaRoundsProblem(name: string, rounds: number): string | undefined {
  if (rounds <= MAX_VERIFY_ROUNDS) return undefined;
  return (
    `${name} rounds=${rounds} is above ${MAX_VERIFY_ROUNDS.toLocaleString('en-US')}: zot's nathanaelle/password ` +
    `(rounds up to 999,999,999) takes it, but every login and every docker request would take ${duration(rounds * GO_SHA_ROUND_SECONDS)} ` +
    `at zot (measured: 10,000,000 rounds take 8 s), more than bcrypt cost ${MAX_VERIFY_COST}, the slowest hash htpasswd writes, ` +
    `so nobody can practically log in; --verify does not compute it (${MAKE_ONE})`
  );
}

/**
 * A `$2a$`/`$2b$`/`$2y$` hash as Go's bcrypt reads it (x/crypto bcrypt.go newFromHash, decodeCost, base64Decode,
 * Hash): at least 59 bytes; the cost is strconv.Atoi of bytes 4-5, 4..31; byte 6 is skipped unread; 22 salt
 * characters; the stored hash compared on its first 31 characters (fewer never match).
 */
function parseBcrypt(hash: string): {
  cost?: number;
  salt?: Buffer;
  digest?: string;
  notes: string[];
  problem?: string;
} {
  const refused = (why: string) => ({
    notes: [],
    problem: `a malformed bcrypt hash (${why}); Go's bcrypt, which zot uses for $2a$/$2b$/$2y$, can never match it: nobody can log in with it (${MAKE_ONE})`,
  });
  if (hash.length < 60) return refused(`${hash.length} characters where bcrypt writes 60`);
  const costText = hash.slice(4, 6);
  if (!/^[+-]?\d+$/.test(costText)) return refused('the cost is not two digits');
  const cost = Number(costText);
  if (cost < 4 || cost > 31) return refused(`cost ${cost} is outside 4..31`);
  const saltText = hash.slice(7, 29);
  const salt = bcryptUnbase64(saltText);
  if (!salt) return refused('the salt has a character outside ./A-Za-z0-9');
  const digest = hash.slice(29, 60);
  if (bcryptUnbase64(digest) === undefined) return refused('the hash has a character outside ./A-Za-z0-9');
  // 31 characters carry 23 bytes and 2 spare bits, which a hash Go writes leaves 0: any other last character never matches.
  if (BCRYPT_ALPHABET.indexOf(digest[30]) % 4 !== 0) return refused('its last character cannot end a bcrypt hash');
  const notes: string[] = [];
  if (!/^\d\d$/.test(costText) || hash[6] !== '$') notes.push('the cost is not written as $NN$');
  if (hash.length > 60) notes.push(`the hash is followed by ${hash.length - 60} more character(s)`);
  return { cost, salt: salt.subarray(0, 16), digest, notes };
}

/** What the deployed zot does with `hash` (the part of an htpasswd line after the first ':'). */
export function checkHash(hash: string): HashCheck {
  const kind = hashKind(hash);
  if (kind === 'plaintext-or-unknown' && /^\s/.test(hash) && hashKind(hash.trimStart()) !== 'plaintext-or-unknown') {
    return {
      kind,
      zotAccepts: false,
      problem:
        "the hash has leading whitespace: zot reads the line from the first ':' without trimming, so it sees no known prefix and refuses it",
    };
  }
  if (kind === 'bcrypt') {
    const b = parseBcrypt(hash);
    if (b.problem) return { kind, zotAccepts: false, problem: b.problem };
    const slow = bcryptCostProblem(b.cost!);
    if (slow) return { kind, zotAccepts: true, problem: slow, impractical: true };
    if (b.notes.length) {
      return {
        kind,
        zotAccepts: true,
        problem: `${b.notes.join('; ')}: zot's Go bcrypt still reads it, so logins work, but it is not a line htpasswd writes (${MAKE_ONE})`,
      };
    }
    return { kind, zotAccepts: true };
  }
  if (kind === 'sha256-crypt' || kind === 'sha512-crypt') {
    const alg = kind === 'sha256-crypt' ? SHA256_CRYPT : SHA512_CRYPT;
    const s = parseShaCrypt(alg, hash);
    if (s.problem) return { kind, zotAccepts: false, problem: s.problem };
    const slow = shaRoundsProblem(alg.name, s.parsed!.rounds);
    if (slow) return { kind, zotAccepts: true, problem: slow, impractical: true };
    if (s.parsed!.trailing) {
      return {
        kind,
        zotAccepts: true,
        problem: `the hash is followed by ${s.parsed!.trailing} more character(s): zot compares only the first ${alg.encoded}, so logins work, but it is not a line htpasswd writes (${MAKE_ONE})`,
      };
    }
    return { kind, zotAccepts: true };
  }
  return { kind, zotAccepts: false, problem: REFUSED[kind] };
}

/**
 * Whether `password` logs in with `hash` at zot (false for a hash zot refuses). Throws HtpasswdError, without
 * computing anything, for a cost or rounds count beyond MAX_VERIFY_COST / MAX_VERIFY_ROUNDS (hours to days).
 */
export function zotVerifies(hash: string, password: PasswordInput): boolean {
  const bytes = passwordBytes(password);
  const kind = hashKind(hash);
  if (kind === 'bcrypt') {
    const b = parseBcrypt(hash);
    if (b.problem) return false;
    const slow = bcryptCostProblem(b.cost!);
    if (slow) throw new HtpasswdError(slow);
    return bcryptDigest(bytes, b.cost!, b.salt!) === b.digest;
  }
  if (kind === 'sha256-crypt' || kind === 'sha512-crypt') {
    const alg = kind === 'sha256-crypt' ? SHA256_CRYPT : SHA512_CRYPT;
    const s = parseShaCrypt(alg, hash).parsed;
    const slow = s && shaRoundsProblem(alg.name, s.rounds);
    if (slow) throw new HtpasswdError(slow);
    // nathanaelle/password v1.0.0 sha256.go/sha512.go Verify: an empty password is false.
    return s !== undefined && bytes.length > 0 && shaCryptDigest(alg.prefix, bytes, s.salt, s.rounds) === s.hash;
  }
  return false;
}

// ------------------------------------------------------------------------------------------------
// Lines and files
// ------------------------------------------------------------------------------------------------

export interface HtpasswdEntry {
  readonly user: string;
  readonly hash: string;
  readonly line: number;
}

/**
 * Why zot would refuse a single htpasswd line, or what is wrong with a line it accepts; undefined when the line is
 * one zot accepts as written. Never echoes the hash.
 */
export function htpasswdLineProblem(line: string): string | undefined {
  const colon = line.indexOf(':');
  if (colon === -1) return "the line has no ':' (zot skips it: nobody can log in with it)";
  const userProblem = userNameProblem(line.slice(0, colon));
  if (userProblem) return userProblem;
  return checkHash(line.slice(colon + 1)).problem;
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

/** `user:$2y$NN$<53 chars>`, the line `htpasswd -nbB -C NN` writes, hashing the password's exact bytes. */
export function makeHtpasswdLine(user: string, password: PasswordInput, cost = DEFAULT_COST): string {
  const problem = userNameProblem(user);
  if (problem) throw new HtpasswdError(problem);
  const pw = passwordProblem(password);
  if (pw) throw new HtpasswdError(pw);
  checkCost(cost);
  return `${user}:${bcryptHash(password, cost)}`;
}

export type VerifyResult =
  | { ok: true; note?: string }
  | { ok: false; reason: 'mismatch'; note?: string }
  | { ok: false; reason: 'error'; message: string };

/**
 * Why `user`'s line in an htpasswd file's text cannot be checked at all (no line, a format zot never accepts, a cost
 * or rounds count no login can practically pay); undefined when it can. Needs no password and hashes nothing, so
 * a caller can refuse before asking for the password.
 */
export function verifyRefusal(text: string, user: string): string | undefined {
  const entry = parseHtpasswd(text).get(user);
  if (!entry) return `no line for user '${user}'`;
  const where = `line ${entry.line} (user '${user}')`;
  const userProblem = userNameProblem(entry.user);
  if (userProblem) return `${where}: ${userProblem}`;
  const check = checkHash(entry.hash);
  if (!check.zotAccepts || check.impractical) return `${where}: ${check.problem}`;
  return undefined;
}

/** Checks `password` (its bytes) against `user`'s line in an htpasswd file's text, the way zot would. */
export function verifyHtpasswd(text: string, user: string, password: PasswordInput): VerifyResult {
  // A format zot never accepts, or a cost/rounds count no login can practically pay: refused before any hashing.
  const refusal = verifyRefusal(text, user);
  if (refusal !== undefined) return { ok: false, reason: 'error', message: refusal };
  const entry = parseHtpasswd(text).get(user)!;
  const where = `line ${entry.line} (user '${user}')`;
  const check = checkHash(entry.hash);
  const note = check.problem ? `${where}: ${check.problem}` : undefined;
  return zotVerifies(entry.hash, password) ? { ok: true, note } : { ok: false, reason: 'mismatch', note };
}
