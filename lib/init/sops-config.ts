// The repository's .sops.yaml: the creation rule that makes `sops` encrypt the secrets files under
// clusters/ for the right age keys, and a reading of an existing one as sops reads it.
import { CLUSTERS_DIR } from '../layout/layout';
import { ageRecipientProblem } from './age';
import { INIT_HEADER } from './text';
import { loadYaml } from '../core/yaml';
import { valueAt } from '../core/value-at';

/** sops v3.11.0 config/config.go: the file sops looks for, from the folder it runs in upwards (LookupConfigFile). */
export const SOPS_CONFIG_FILE = '.sops.yaml';

/**
 * Every `*.sops.yaml` under clusters/. sops v3.11.0 config/config.go parseCreationRuleForFile
 * matches path_regex (Go regexp, MatchString) against the file's absolute path with the folder of
 * .sops.yaml and one path separator cut off the front: `clusters/...` on Linux and macOS,
 * `clusters\...` on Windows, hence `[/\\]`.
 */
export const SECRETS_PATH_REGEX = `^${CLUSTERS_DIR}[/\\\\].*\\.sops\\.yaml$`;

/**
 * Only the values under `data` and `stringData` are encrypted: kustomize (and Flux, which runs it
 * before decrypting) must read apiVersion, kind and metadata of the Secret.
 */
export const ENCRYPTED_REGEX = '^(data|stringData)$';

/** What `age:` holds until someone puts a real key there: sops refuses it ("unknown recipient type"). */
export const AGE_PLACEHOLDER = 'REPLACE_WITH_YOUR_AGE_PUBLIC_KEY';

/** .sops.yaml with the one creation rule init writes. */
export function sopsConfigText(recipients: readonly string[]): string {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return [
    INIT_HEADER,
    '# sops reads this file from the folder it runs in or above, and encrypts a new file with the first',
    "# rule whose path_regex matches the file's path relative to this folder.",
    'creation_rules:',
    `  # Every *.sops.yaml under ${CLUSTERS_DIR}/ ('\\' is the path separator on Windows). Only the values under`,
    '  # data and stringData are encrypted: kustomize and Flux must read kind and metadata in clear.',
    `  - path_regex: ${quote(SECRETS_PATH_REGEX)}`,
    `    encrypted_regex: ${quote(ENCRYPTED_REGEX)}`,
    '    # The age public keys (comma-separated) that can decrypt: yours, and the one whose private key',
    "    # Flux holds in the Secret sops-age. age-keygen prints a key as 'Public key: age1...'.",
    `    age: ${recipients.length ? recipients.join(',') : AGE_PLACEHOLDER}`,
    '',
  ].join('\n');
}

/** Go regexp syntax that JavaScript spells differently; anything else is the same for the patterns people write. */
function goRegExp(pattern: string): RegExp {
  let flags = '';
  let source = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(source);
  if (m) {
    if (m[1].includes('U')) throw new Error('ungreedy flag');
    flags = m[1].replace(/[^is]/g, '');
    source = source.slice(m[0].length);
  }
  return new RegExp(source.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$'), flags);
}

export interface SopsConfigReading {
  /** The rule sops would use for the secrets file (0-based), if any. */
  readonly rule?: number;
  /** What keeps sops from encrypting the secrets file for Flux: each needs an edit. */
  readonly problems: readonly string[];
  /** Placeholders still to be filled in. */
  readonly todo: readonly string[];
}

/**
 * Reads an existing .sops.yaml as sops v3.11.0 would for the secrets file at `secretsPath`
 * (repository-relative): the first creation rule with no path_regex or a matching one wins.
 */
export function readSopsConfig(text: string, secretsPath: string): SopsConfigReading {
  let doc: unknown;
  try {
    doc = loadYaml(text, '.sops.yaml');
  } catch (e) {
    return {
      problems: [`does not parse as YAML (${String(e instanceof Error ? e.message : undefined).split('\n')[0]})`],
      todo: [],
    };
  }
  const rules = valueAt(doc, 'creation_rules');
  if (!Array.isArray(rules) || rules.length === 0) {
    return {
      problems: [
        `has no creation_rules: sops would not know the keys for ${secretsPath}; add the rule init writes (path_regex: '${SECRETS_PATH_REGEX}')`,
      ],
      todo: [],
    };
  }
  for (let i = 0; i < rules.length; i++) {
    const r: unknown = rules[i] ?? {};
    const regex = valueAt(r, 'path_regex');
    if (regex !== undefined && regex !== '') {
      let re: RegExp;
      try {
        re = goRegExp(String(regex));
      } catch {
        return {
          problems: [
            `creation_rules[${i}].path_regex '${regex}' cannot be evaluated here; check by hand that a rule matches ${secretsPath}`,
          ],
          todo: [],
        };
      }
      if (!re.test(secretsPath)) continue;
    }
    return { rule: i, ...readRule(r, i) };
  }
  return {
    problems: [
      `no creation rule matches ${secretsPath}: sops would refuse to encrypt it ("no matching creation rules found"); add the rule init writes (path_regex: '${SECRETS_PATH_REGEX}')`,
    ],
    todo: [],
  };
}

function readRule(r: unknown, i: number): { problems: string[]; todo: string[] } {
  const problems: string[] = [];
  const todo: string[] = [];
  const at = `creation_rules[${i}]`;
  if (
    !['encrypted_regex', 'unencrypted_regex', 'encrypted_suffix', 'unencrypted_suffix'].some((k) => {
      const x = valueAt(r, k);
      return typeof x === 'string' && x !== '';
    })
  ) {
    problems.push(
      `${at} encrypts every value, kind and metadata included: kustomize could not read the Secret; add encrypted_regex: '${ENCRYPTED_REGEX}'`,
    );
  }
  const ageValue = valueAt(r, 'age');
  const age: string[] =
    typeof ageValue === 'string'
      ? ageValue
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : Array.isArray(ageValue)
        ? ageValue.map(String)
        : [];
  const otherKeys = ['pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault_transit_uri', 'key_groups'].filter(
    (k) => valueAt(r, k) !== undefined,
  );
  if (age.includes(AGE_PLACEHOLDER))
    todo.push(`${at}.age is the placeholder ${AGE_PLACEHOLDER}: put your age public key there (age-keygen prints it)`);
  for (const a of age.filter((x) => x !== AGE_PLACEHOLDER)) {
    const problem = ageRecipientProblem(a);
    if (problem) problems.push(`${at}.age: '${a}' ${problem}`);
  }
  if (age.length === 0 && otherKeys.length === 0) problems.push(`${at} names no key: add age: <your age public key>`);
  return { problems, todo };
}
