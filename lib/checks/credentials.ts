// Credentials enter the generated tree only as Flux variables: a text that holds one is refused.
//
// The scan looks at every byte of a generated text for: password hashes (bcrypt, apr1, md5-crypt, sha-crypt, {SHA},
// yescrypt, argon2), htpasswd lines, base64 `user:password` (Basic auth, `authHeader`, a docker config `auth`),
// passwords in URLs, PEM private keys, AWS secret access keys (next to a key id, or after a name like *SECRET*) and
// common token formats; base64 that decodes to text and URL-encoded text (`%24`, `%3A`) are decoded and scanned again.
// When the text is YAML it also looks inside: Secret content and a HelmRelease's `secretFiles` may hold `${VAR}` lines
// only (a literal `user:password` there is a plaintext credential), keys zot treats as secret may not hold literals,
// and neither may a container env entry whose name says it is secret (`*SECRET*`, `*PASSWORD*`, `*TOKEN*`...).
//
// A finding names its kind and where it is (line, and the field path when known); it NEVER carries the value or any
// part of it.
import { loadYamlAll } from '../core/yaml';
import { stringAt } from '../k8s/objects';

export type CredentialKind =
  | 'bcrypt-hash'
  | 'apr1-hash'
  | 'md5-crypt-hash'
  | 'sha-crypt-hash'
  | 'sha1-hash'
  | 'yescrypt-hash'
  | 'argon2-hash'
  | 'htpasswd-line'
  | 'basic-auth'
  | 'base64-user-password'
  | 'url-userinfo'
  | 'private-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'google-api-key'
  | 'jwt'
  | 'npm-token'
  | 'docker-hub-token'
  | 'stripe-key'
  | 'sendgrid-key'
  | 'age-secret-key'
  | 'plaintext-user-password'
  | 'secret-key-literal';

/** How each kind is named in messages. */
export const CREDENTIAL_KINDS: Readonly<Record<CredentialKind, string>> = {
  'bcrypt-hash': 'a bcrypt hash',
  'apr1-hash': 'an Apache MD5 ($apr1$) hash',
  'md5-crypt-hash': 'an MD5-crypt ($1$) hash',
  'sha-crypt-hash': 'a SHA-crypt ($5$/$6$) hash',
  'sha1-hash': 'a {SHA}/{SSHA} hash',
  'yescrypt-hash': 'a yescrypt ($y$) hash',
  'argon2-hash': 'an argon2 hash',
  'htpasswd-line': 'an htpasswd line',
  'basic-auth': 'an Authorization header with a literal credential',
  'base64-user-password': 'base64 of user:password (Basic auth)',
  'url-userinfo': 'a password in the userinfo of a URL',
  'private-key': 'a PEM private key',
  'github-token': 'a GitHub token',
  'gitlab-token': 'a GitLab token',
  'slack-token': 'a Slack token',
  'aws-access-key': 'an AWS access key id',
  'aws-secret-key': 'an AWS secret access key',
  'google-api-key': 'a Google API key',
  jwt: 'a JSON Web Token',
  'npm-token': 'an npm token',
  'docker-hub-token': 'a Docker Hub token',
  'stripe-key': 'a Stripe secret key',
  'sendgrid-key': 'a SendGrid API key',
  'age-secret-key': 'an age secret key',
  'plaintext-user-password': 'a plaintext user:password in secret content',
  'secret-key-literal': 'a literal value under a secret key',
};

export interface CredentialFinding {
  readonly kind: CredentialKind;
  /** 1-based line of the text where it starts. */
  readonly line: number;
  /** The field path inside the YAML/JSON document (`Secret/x stringData.KEY`), when the finding comes from one. */
  readonly path?: string;
  /** Set when the credential was found inside base64 that decodes to text. */
  readonly encoded?: boolean;
  /** Set when the credential was found once `%XX` escapes were decoded. */
  readonly urlEncoded?: boolean;
  /** For an htpasswd line: the kind of its hash, when it is a whole one. */
  readonly hash?: CredentialKind;
}

/** Text patterns, most specific first: an htpasswd line is reported once, not also as its hash. */
const PATTERNS: ReadonlyArray<{ kind: CredentialKind; re: RegExp; accept?: (match: string) => boolean }> = [
  { kind: 'private-key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  {
    kind: 'htpasswd-line',
    re: /(?<![^\s"'|>:,[{(-])[^\s:"'`<>$]+:(?:\$(?:2[abxy]?|apr1|1|5|6|y|argon2(?:id|i|d))\$|\{S?SHA\})[^\s"'`<>]*/g,
  },
  { kind: 'bcrypt-hash', re: /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g },
  { kind: 'apr1-hash', re: /\$apr1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}/g },
  { kind: 'md5-crypt-hash', re: /\$1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}/g },
  { kind: 'sha-crypt-hash', re: /\$[56]\$(?:rounds=\d+\$)?[^\s$:]{1,16}\$[./A-Za-z0-9]{43,86}/g },
  { kind: 'sha1-hash', re: /\{S?SHA\}[A-Za-z0-9+/]{27,}={0,2}/g },
  { kind: 'yescrypt-hash', re: /\$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]*\$[./A-Za-z0-9]{43}/g },
  { kind: 'argon2-hash', re: /\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+/g },
  // An Authorization header (or key) whose Basic/Bearer/token value is not a Flux variable.
  {
    kind: 'basic-auth',
    re: /\bauthorization["']?\s*[:=]\s*["']?\s*(?:basic|bearer|token)\s+(?!\$\{)[A-Za-z0-9+/=._~-]{4,}/gi,
  },
  // A URL whose userinfo carries a password that is not a Flux variable.
  { kind: 'url-userinfo', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:"'`<>]*:(?!\$\{[^}]*\}@)[^\s/@"'`<>]+@[^\s/"'`<>]/gi },
  { kind: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/g },
  { kind: 'gitlab-token', re: /\bgl(?:pat|ptt|dt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'aws-access-key', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  // AWS secret access keys are 40 characters of base64's alphabet (aws-sdk-go aws/credentials: SecretAccessKey; IAM
  // CreateAccessKey output); after a name that says "secret" (aws_secret_access_key, S3_SECRET_KEY=, MY_SECRET: ...).
  {
    kind: 'aws-secret-key',
    re: /\b[A-Za-z0-9_.-]*secret[A-Za-z0-9_.-]*["']?\s*[:=]\s*["']?(?!\$\{)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
    accept: (m) => isKeyLike(m.slice(-40)),
  },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'docker-hub-token', re: /\bdckr_pat_[A-Za-z0-9_-]{20,}/g },
  { kind: 'stripe-key', re: /\b[sr]k_live_[A-Za-z0-9]{20,}/g },
  { kind: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { kind: 'age-secret-key', re: /\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b/g },
];

/** Random-looking: upper and lower case letters and a digit or `/`/`+` (not a word, a path or a hex digest). */
function isKeyLike(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9/+]/.test(s);
}

/** A standalone run of 40 base64 characters: an AWS secret access key when an access key id is near it. */
const AWS_SECRET_RUN = /(?<![A-Za-z0-9/+=_-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])/g;
/** How many lines apart an access key id and its secret key are taken as a pair (`id: ...` / `secret: ...`). */
const AWS_PAIR_LINES = 3;

const HASH_KINDS: ReadonlySet<CredentialKind> = new Set([
  'bcrypt-hash',
  'apr1-hash',
  'md5-crypt-hash',
  'sha-crypt-hash',
  'sha1-hash',
  'yescrypt-hash',
  'argon2-hash',
]);

/** The kind of a whole hash at the start of `text`; undefined for a partial or unknown one. */
function hashKindOf(text: string): CredentialKind | undefined {
  for (const { kind, re } of PATTERNS) {
    if (!HASH_KINDS.has(kind)) continue;
    const m = new RegExp(re.source).exec(text);
    if (m && m.index === 0) return kind;
  }
  return undefined;
}

/**
 * Standard base64 runs long enough to hold `u:pw` (8 characters), not part of a longer word or path; after `name=` too
 * (a query parameter, a dotenv line), but not after another run's padding.
 */
const BASE64_RUN = /(?<![A-Za-z0-9+/_-])(?<![^A-Za-z0-9_.-]=|==|^=)[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=_-])/g;

/** Decodes standard base64 to text when it is canonical and the bytes are printable UTF-8; undefined otherwise. */
/** One strict decoder for every run (a fresh one per run cost a tenth of synth's time). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodedText(run: string): string | undefined {
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  const bytes = Buffer.from(body, 'base64');
  // Canonical: encoding the bytes again gives the same run (no stray bits, no padding games).
  if (bytes.toString('base64').replace(/=+$/, '') !== body) return undefined;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  // Printable: no control characters but tab and line breaks.
  return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text) ? undefined : text;
}

/**
 * `user:password` as Basic auth carries it: a user name of name characters (not JSON, not a path), then a password of
 * any printable characters, spaces included (RFC 7617 section 2: the password is any text but control characters), on
 * one line; digests (`sha256:<hex>`) excluded.
 */
function isUserPassword(text: string): boolean {
  // Not a space first: `key: value` is YAML or a header, not a password (a password that starts with a space is missed).
  if (!/^[A-Za-z0-9._@+\\-]{1,128}:[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$/.test(text)) return false;
  return !/^(?:sha(?:1|224|256|384|512)|md5):[0-9a-f]+$/i.test(text);
}

/** A run of URL characters holding at least one `%XX` escape. */
const PERCENT_RUN = /[^\s"'`<>]*%[0-9A-Fa-f]{2}[^\s"'`<>]*/g;

/** Decodes `%XX` escapes (RFC 3986 section 2.1; `+` stays, it is a base64 character too) to printable UTF-8; undefined otherwise. */
function percentDecoded(run: string): string | undefined {
  const bytes: number[] = [];
  for (const part of run.split(/(%[0-9A-Fa-f]{2})/)) {
    if (/^%[0-9A-Fa-f]{2}$/.test(part)) bytes.push(parseInt(part.slice(1), 16));
    else bytes.push(...Buffer.from(part, 'utf8'));
  }
  let text: string;
  try {
    text = UTF8.decode(Buffer.from(bytes));
  } catch {
    return undefined;
  }
  return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text) ? undefined : text;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

type Located = CredentialFinding & { start: number; end: number };

/** Findings of one text so far, by their place in it; a place taken is not looked at again. */
class TextFindings {
  readonly found: Located[] = [];
  constructor(
    readonly text: string,
    readonly depth: number,
    readonly encoded: boolean,
  ) {}

  taken(start: number, end: number): boolean {
    return this.found.some((f) => start < f.end && f.start < end);
  }

  /** `{ encoded: true }` when the text is itself decoded from base64, else nothing. */
  get encodedField(): { encoded?: true } {
    return this.encoded ? { encoded: true } : {};
  }
}

/** Text-level findings; base64 runs that decode to text are scanned again (twice at most: a docker config's auth). */
function scanText(text: string, depth: number, encoded: boolean): CredentialFinding[] {
  const t = new TextFindings(text, depth, encoded);
  patternFindings(t);
  awsSecretFindings(t);
  percentEncodedFindings(t);
  base64Findings(t);
  return t.found.sort((a, b) => a.start - b.start).map(({ start: _s, end: _e, ...f }) => f);
}

/** Each of PATTERNS; matchAll works on a copy of each regex: the recursion below cannot disturb an outer loop. */
function patternFindings(t: TextFindings): void {
  for (const { kind, re, accept } of PATTERNS) {
    for (const m of t.text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (t.taken(start, end) || (accept && !accept(m[0]))) continue;
      // An htpasswd line is reported once, with the kind of its hash.
      const hash = kind === 'htpasswd-line' ? hashKindOf(m[0].slice(m[0].indexOf(':') + 1)) : undefined;
      t.found.push({ kind, line: lineAt(t.text, start), start, end, ...t.encodedField, ...(hash ? { hash } : {}) });
    }
  }
}

/** An AWS secret access key is a bare 40-character run; it is told from other base64 by an access key id near it. */
function awsSecretFindings(t: TextFindings): void {
  const keyIdLines = t.found.filter((f) => f.kind === 'aws-access-key').map((f) => f.line);
  if (!keyIdLines.length) return;
  for (const m of t.text.matchAll(AWS_SECRET_RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    const line = lineAt(t.text, start);
    if (t.taken(start, end) || !isKeyLike(m[0]) || !keyIdLines.some((l) => Math.abs(l - line) <= AWS_PAIR_LINES))
      continue;
    t.found.push({ kind: 'aws-secret-key', line, start, end, ...t.encodedField });
  }
}

/** URL-encoded text (`admin%3A%242y%2410%24...`, a query parameter, a form body): decoded and scanned again. */
function percentEncodedFindings(t: TextFindings): void {
  for (const m of t.text.matchAll(PERCENT_RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (t.taken(start, end) || t.depth >= 2) continue;
    const decoded = percentDecoded(m[0]);
    if (decoded === undefined) continue;
    for (const inner of scanText(decoded, t.depth + 1, t.encoded)) {
      t.found.push({ ...inner, line: lineAt(t.text, start), start, end, urlEncoded: true });
    }
  }
}

/** Base64 runs: a `user:password`, or text scanned again. */
function base64Findings(t: TextFindings): void {
  for (const m of t.text.matchAll(BASE64_RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (t.taken(start, end)) continue;
    const decoded = decodedText(m[0]);
    if (decoded === undefined) continue;
    if (isUserPassword(decoded)) {
      t.found.push({ kind: 'base64-user-password', line: lineAt(t.text, start), start, end, ...t.encodedField });
    } else if (t.depth < 2 && decoded.length >= 8) {
      for (const inner of scanText(decoded, t.depth + 1, true))
        t.found.push({ ...inner, line: lineAt(t.text, start), start, end, encoded: true });
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Inside YAML documents
// ------------------------------------------------------------------------------------------------

// zot v2.1.20 pkg/api/config/config.go isSensitiveConfigMapKey: keys lower-cased with '_' and '-' removed; zot
// masks their values when it prints a config. A literal there is a credential.
const SECRET_KEYS = new Set([
  'accesskey',
  'secretkey',
  'password',
  'secret',
  'token',
  'clientsecret',
  'sessionhashkey',
  'sessionencryptkey',
  'sentinelpassword',
  'authorization',
  'apikey',
  'bearer',
  'xapikey',
]);

/**
 * Container env names that say the value is secret (Kubernetes EnvVar `{name, value}`): a literal value there is a
 * credential in the pod spec; it belongs in a Secret, through `valueFrom.secretKeyRef`.
 */
export const SECRET_ENV_NAME = /SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY/i;

/** Whether a value holds something besides Flux variable references and whitespace. */
function hasLiteral(value: string): boolean {
  return value.replace(/\$\{[^}]*\}/g, '').trim() !== '';
}

/** SOPS keeps encrypted values as ENC[...]; they are not credentials in the clear. */
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:/;

/** Lines of secret content (1-based, with their text) that are a literal `user:password` once Flux variables are taken out. */
function plaintextLines(content: string): Array<{ n: number; raw: string }> {
  const lines: Array<{ n: number; raw: string }> = [];
  content.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\$\{[^}]*\}/g, '').trim();
    // A user name is not markup: render's `<secret:NAME>` placeholders and JSON/YAML punctuation are not users.
    if (line !== '' && !line.startsWith('#') && /^[^\s:#<>"'{}[\]]+:\S/.test(line) && !SOPS_VALUE.test(raw.trim()))
      lines.push({ n: i + 1, raw });
  });
  return lines;
}

function objectName(obj: unknown): string {
  return `${stringAt(obj, 'kind') ?? 'object'}/${stringAt(obj, 'metadata', 'name') ?? '?'}`;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The line of the text where `needle` (one line of a value) appears, else where `fallback` (the whole value) starts. */
function lineOf(text: string, needle: string, fallback = needle): number {
  for (const candidate of [needle, fallback]) {
    const first = candidate
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim();
    const i = first ? text.indexOf(first) : -1;
    if (i !== -1) return lineAt(text, i);
  }
  return 1;
}

/** Findings inside one parsed document: secret content with literal user:password, literals under secret keys. */
function scanObject(obj: unknown, text: string): CredentialFinding[] {
  if (!isPlain(obj)) return [];
  const name = objectName(obj);
  const found = secretContentFindings(obj, name, text);
  // A Secret's own keys are names, not values; the values under stringData/data were looked at above.
  walkFindings(obj.kind === 'Secret' ? { ...obj, data: undefined, stringData: undefined } : obj, '', name, text, found);
  return found;
}

/** Literal `user:password` lines in a Secret's stringData and data (not SOPS-encrypted) and a HelmRelease's secretFiles. */
function secretContentFindings(obj: Record<string, unknown>, name: string, text: string): CredentialFinding[] {
  const found: CredentialFinding[] = [];
  const secretContent = (value: unknown, path: string) => {
    if (typeof value !== 'string' || SOPS_VALUE.test(value.trim())) return;
    for (const { n, raw } of plaintextLines(value)) {
      found.push({
        kind: 'plaintext-user-password',
        line: lineOf(text, raw, value),
        path: `${name} ${path}${n > 1 ? ` (line ${n} of the value)` : ''}`,
      });
    }
  };
  if (obj.kind === 'Secret' && !isPlain(obj.sops)) {
    if (isPlain(obj.stringData))
      for (const [k, v] of Object.entries(obj.stringData)) secretContent(v, `stringData.${k}`);
    if (isPlain(obj.data)) found.push(...secretDataFindings(obj.data, name, text));
  }
  const spec = isPlain(obj.spec) ? obj.spec : undefined;
  if (obj.kind === 'HelmRelease' && spec && isPlain(spec.values) && isPlain(spec.values.secretFiles)) {
    for (const [k, v] of Object.entries(spec.values.secretFiles)) secretContent(v, `spec.values.secretFiles.${k}`);
  }
  return found;
}

/** A Secret's data values that decode from base64 to literal `user:password` lines. */
function secretDataFindings(data: Record<string, unknown>, name: string, text: string): CredentialFinding[] {
  const found: CredentialFinding[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    const decoded = decodedText(v.replace(/\s+/g, ''));
    if (decoded === undefined) continue;
    for (const { n } of plaintextLines(decoded)) {
      found.push({
        kind: 'plaintext-user-password',
        line: lineOf(text, v),
        path: `${name} data.${k} (base64${n > 1 ? `, line ${n}` : ''})`,
        encoded: true,
      });
    }
  }
  return found;
}

/** Literal values of secret-named env entries and under secret keys, anywhere in `value` (embedded JSON too). */
function walkFindings(value: unknown, path: string, name: string, text: string, found: CredentialFinding[]): void {
  const walk = (v: unknown, at: string) => walkFindings(v, at, name, text, found);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
  else if (isPlain(value)) {
    const env = envFinding(value, path, name, text);
    if (env) found.push(env);
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (typeof v === 'string' && isSecretKeyLiteral(k, v))
        found.push({ kind: 'secret-key-literal', line: lineOf(text, v), path: `${name} ${at}` });
      else walk(v, at);
    }
  } else if (typeof value === 'string' && /^\s*\{[\s\S]*\}\s*$/.test(value)) {
    // Embedded JSON (zot's config.json in configFiles): its keys count too.
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return;
    }
    walk(parsed, `${path}#`);
  }
}

/** A container env entry `{name, value}` whose name says secret and whose value is a literal. */
function envFinding(
  value: Record<string, unknown>,
  path: string,
  name: string,
  text: string,
): CredentialFinding | undefined {
  const env = value.value;
  if (
    typeof value.name !== 'string' ||
    typeof env !== 'string' ||
    !SECRET_ENV_NAME.test(value.name) ||
    !hasLiteral(env) ||
    SOPS_VALUE.test(env.trim())
  )
    return undefined;
  const kind =
    /^[A-Za-z0-9/+]{40}$/.test(env.trim()) && isKeyLike(env.trim()) ? 'aws-secret-key' : 'secret-key-literal';
  return { kind, line: lineOf(text, env), path: `${name} ${path ? `${path}.` : ''}value (env ${value.name})` };
}

/** A literal under one of zot's sensitive keys (not a scheme word alone, not SOPS, not zot's own mask). */
function isSecretKeyLiteral(key: string, v: string): boolean {
  return (
    SECRET_KEYS.has(key.toLowerCase().replace(/[_-]/g, '')) &&
    hasLiteral(v.replace(/^\s*(?:basic|bearer|token)\s+/i, '')) &&
    !SOPS_VALUE.test(v.trim()) &&
    v !== '******'
  );
}

function scanYaml(text: string): CredentialFinding[] {
  let docs: unknown[];
  try {
    docs = loadYamlAll(text, 'YAML');
  } catch {
    return [];
  }
  return docs.flatMap((d) => scanObject(d, text));
}

// ------------------------------------------------------------------------------------------------
// Public API
// ------------------------------------------------------------------------------------------------

/** Every credential in a text (a generated file, a prop value), in order; YAML documents are looked inside too. */
export function findCredentials(text: string): CredentialFinding[] {
  const found = scanText(text, 0, false);
  if (/^\s*(?:---|[A-Za-z_"'][^\n]*:)/m.test(text)) {
    for (const f of scanYaml(text)) {
      if (!found.some((g) => g.line === f.line && g.kind === f.kind)) found.push(f);
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** One finding, described without its value: `a bcrypt hash in an htpasswd line at line 3`, `a GitHub token at line 2`. */
export function describeFinding(f: CredentialFinding): string {
  const where = [f.path, `line ${f.line}`].filter(Boolean).join(', ');
  const what = f.hash ? `${CREDENTIAL_KINDS[f.hash]} in an htpasswd line` : CREDENTIAL_KINDS[f.kind];
  const encodings = [
    f.encoded && f.kind !== 'base64-user-password' ? 'base64-encoded' : '',
    f.urlEncoded ? 'URL-encoded' : '',
  ].filter(Boolean);
  return `${what}${encodings.length ? ` (${encodings.join(', ')})` : ''} at ${where}`;
}

/** The first credential in a text, described (kind and where, never the value); undefined when there is none. */
export function findCredential(text: string): string | undefined {
  const [first, ...rest] = findCredentials(text);
  if (!first) return undefined;
  return rest.length ? `${describeFinding(first)} (and ${rest.length} more)` : describeFinding(first);
}
