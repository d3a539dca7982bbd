// age public keys (recipients) as sops and Flux accept them for the secrets file.
import { refuse } from '../core/error';

// age v1.1.1 internal/bech32/bech32.go: the bech32 alphabet, generator and checksum (polymod == 1).
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const codes = [...hrp].map((c) => c.charCodeAt(0));
  return [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)];
}

/** Why `value` is not an age X25519 recipient (`age1...`), or undefined when it is one. */
export function ageRecipientProblem(value: string): string | undefined {
  // sops v3.11.0 age/keysource.go parseRecipient: `age1` with a second '1' is an age plugin
  // recipient, `ssh-` an SSH key, `age1` otherwise an X25519 key. Flux can decrypt only with what
  // its Secret holds: kustomize-controller v1.7.3 internal/decryptor/decryptor.go ImportKeys reads
  // the `.agekey` entries, and sops v3.11.0 age/keysource.go parseIdentity accepts AGE-SECRET-KEY-1
  // lines (X25519) or plugin identities, whose plugin binary the controller does not have.
  if (value.startsWith('ssh-')) return 'is an SSH key; Flux decrypts with an age X25519 key (age-keygen makes one)';
  if (!value.startsWith('age1'))
    return "is not an age public key (it starts with 'age1'; age-keygen prints it as 'Public key: age1...')";
  if (value.toLowerCase() !== value)
    return 'is not lowercase; age-keygen prints age keys in lowercase and sops reads only `age1...`';
  if (value.indexOf('1', 4) !== -1)
    return 'is an age plugin recipient; Flux has no age plugins: use a key made by age-keygen';
  const data = [...value.slice(4)].map((c) => CHARSET.indexOf(c));
  if (data.some((d) => d === -1)) return 'has a character outside the bech32 alphabet';
  // age v1.1.1 x25519.go ParseX25519Recipient: a 32-byte point, i.e. 52 data characters + 6 of checksum.
  if (data.length !== 58) return `has ${data.length} characters after 'age1' where an age X25519 key has 58`;
  if (polymod([...hrpExpand('age'), ...data]) !== 1) return 'has a wrong checksum (a typo, or a truncated copy)';
  // 52 characters carry 260 bits for 256: the last 4 must be zero (bech32.go convertBits: "non-zero padding").
  if ((data[51] & 0b1111) !== 0) return 'has non-zero padding bits';
  return undefined;
}

export function checkAgeRecipient(value: string, field = '--age-recipient'): string {
  const problem = ageRecipientProblem(value);
  if (problem) refuse(field, value, problem);
  return value;
}
