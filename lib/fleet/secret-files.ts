// Plaintext secrets in the GitOps repository, found before any cluster is rendered: a `*.sops.yaml` that sops never
// encrypted (no `sops:` block: `common-secrets.sops.yaml` with htpasswd lines in the clear), values of an encrypted
// file left in the clear, and any Secret that is not encrypted and holds a credential literal (a hash, an htpasswd
// line, a token, a password under a key named like one). Each problem names the file and where in it — never a value.
//
// sops v3.11.0 stores/stores.go: SopsMetadataKey = "sops" (the top-level key of each encrypted YAML document,
// stores/yaml/store.go); aes/cipher.go: encre = `^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]` (every
// encrypted value). init's rule encrypts data/stringData only (lib/init/sops-config.ts ENCRYPTED_REGEX), so only those
// values of a Secret are required to be ENC[...].
import * as fs from 'fs';
import * as path from 'path';
import { loadYamlAll } from '../core/yaml';
import { Problem, ZotFluxError } from '../core/error';
import { describeFinding, findCredentials, SECRET_ENV_NAME } from '../checks/credentials';

/** Folders never read: Git's own, installed packages. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** sops' encrypted value (sops v3.11.0 aes/cipher.go: encre). */
const SOPS_VALUE = /^ENC\[AES256_GCM,data:.+,iv:.+,tag:.+,type:.+\]$/;

/** A file meant to be encrypted (init's rule: lib/init/sops-config.ts SECRETS_PATH_REGEX, `*.sops.yaml`); `.sops.yaml` itself is sops' config. */
function isSopsFile(name: string): boolean {
  return /\.sops\.ya?ml$/.test(name) && name !== '.sops.yaml' && name !== '.sops.yml';
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function yamlFiles(repo: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(path.join(dir, e.name));
      } else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(path.join(dir, e.name));
    }
  };
  walk(repo);
  return out;
}

function objectName(doc: Record<string, unknown>): string {
  const meta = isPlain(doc.metadata) ? doc.metadata : {};
  return `Secret/${typeof meta.name === 'string' ? meta.name : '?'}`;
}

/** The problems of one file's text; `file` is how it is named (relative to the repository). */
export function secretFileTextProblems(file: string, text: string): Problem[] {
  const sopsFile = isSopsFile(path.basename(file));
  if (!sopsFile && !/^\s*kind:\s*["']?Secret["']?\s*$/m.test(text)) return [];
  let docs: unknown[];
  try {
    docs = loadYamlAll(text, file).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    // A sops file that does not parse (or nests too deep, or aliases too much: lib/core/yaml.ts) cannot be
    // decrypted by Flux either; other files are the build's to report.
    if (!sopsFile) return [];
    if (ZotFluxError.isZotFluxError(e)) return [...e.problems];
    return [
      {
        field: file,
        reason: `does not parse as YAML (${String(e instanceof Error ? e.message : undefined).split('\n')[0]})`,
      },
    ];
  }
  const problems: Problem[] = [];
  const neverEncrypted = sopsFile && !docs.some(encrypted);
  if (neverEncrypted) {
    problems.push({
      field: file,
      reason:
        'is a *.sops.yaml without a sops: block: it was never encrypted, so its values are in Git in plain text; ' +
        'encrypt it in place (sops --encrypt --in-place FILE) and rotate every credential it held',
    });
  }
  let plaintextSecret = false;
  for (const d of docs) {
    if (!isPlain(d) || d.kind !== 'Secret') continue;
    if (encrypted(d)) {
      problems.push(...clearValueProblems(file, d));
      continue;
    }
    plaintextSecret = true;
    problems.push(...credentialKeyProblems(file, d));
  }
  if (plaintextSecret || neverEncrypted) problems.push(...plaintextCredentialProblems(file, text));
  return problems;
}

const encrypted = (d: unknown) => isPlain(d) && isPlain(d.sops);

/** The non-empty string values under a Secret's data and stringData, with their field names. */
function contentValues(d: Record<string, unknown>): Array<{ field: string; key: string; value: string }> {
  const out: Array<{ field: string; key: string; value: string }> = [];
  for (const part of ['data', 'stringData'] as const) {
    const content = d[part];
    if (!isPlain(content)) continue;
    for (const [k, v] of Object.entries(content))
      if (typeof v === 'string') out.push({ field: `${objectName(d)} ${part}.${k}`, key: k, value: v });
  }
  return out;
}

/** Encrypted, but a value under data/stringData left in the clear (edited after encryption, or an encrypted_regex that misses it). */
function clearValueProblems(file: string, d: Record<string, unknown>): Problem[] {
  return contentValues(d)
    .filter(({ value }) => value !== '' && !SOPS_VALUE.test(value.trim()))
    .map(({ field }) => ({
      field: `${file} ${field}`,
      reason: 'is not encrypted (no ENC[...]) although the file has a sops: block; re-encrypt the file with sops',
    }));
}

/**
 * A key named like a password or token with a literal value: a credential in the clear whatever it looks like.
 * What the text scan recognizes (a hash, a token) is reported by it, with its kind.
 */
function credentialKeyProblems(file: string, d: Record<string, unknown>): Problem[] {
  return contentValues(d)
    .filter(
      ({ key, value }) =>
        value.replace(/\$\{[^}]*\}/g, '').trim() !== '' &&
        SECRET_ENV_NAME.test(key) &&
        findCredentials(value).length === 0,
    )
    .map(({ field }) => ({
      field: `${file} ${field}`,
      reason: 'holds a value in plain text under a key named like a credential; encrypt the Secret with sops',
    }));
}

/** One problem per line: the text scan's kind (the most specific) with the field path the YAML scan found there. */
function plaintextCredentialProblems(file: string, text: string): Problem[] {
  const findings = findCredentials(text);
  return [...new Set(findings.map((f) => f.line))].map((line) => {
    const here = findings.filter((f) => f.line === line);
    const at = here.find((f) => f.path)?.path;
    return {
      field: file,
      reason: `holds ${describeFinding({ ...here[0], path: at })} in plain text; encrypt it with sops and rotate the credential`,
    };
  });
}

/** Every plaintext secret in the repository's YAML files, in file order. */
export function secretFileProblems(repo: string): Problem[] {
  return yamlFiles(repo).flatMap((full) => {
    let text: string;
    try {
      text = fs.readFileSync(full, 'utf8');
    } catch {
      return [];
    }
    return secretFileTextProblems(path.relative(repo, full).split(path.sep).join('/'), text);
  });
}

/** Refuses (exit 1) a repository holding plaintext secrets, naming each file; returns when there is none. */
export function refuseSecretFiles(repo: string): void {
  const problems = secretFileProblems(repo);
  if (problems.length)
    throw new ZotFluxError(
      problems,
      'plaintext secrets in the repository (encrypt them with sops first; never printed here)',
    );
}

/** The same problems as notes on files (`path` relative to the repository, `what` without any value), for init's report. */
export function secretFileNotes(repo: string): Array<{ path: string; what: string }> {
  return secretFileProblems(repo).map((p) => {
    const [file, ...where] = p.field.split(' ');
    return { path: file, what: where.length ? `${where.join(' ')}: ${p.reason}` : p.reason };
  });
}
