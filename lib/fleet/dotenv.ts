// `--vars FILE`: KEY=VALUE lines (dotenv style). `#` comments, blank lines, an optional `export `,
// and single or double quotes around the value are allowed. Values are never echoed in errors.
import { ZotFluxError } from '../core/error';
import { FLUX_VARIABLE_NAME } from '../flux/substitution';

/** A --vars file that does not parse; never carries a value. */
export class DotenvError extends ZotFluxError {
  constructor(message: string) {
    super({ field: '', reason: message });
  }
}

export function parseDotenv(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#.*)?$/.test(line)) return;
    const m = /^\s*(?:export\s+)?([^=\s]+)\s*=(.*)$/.exec(line);
    if (!m) throw new DotenvError(`${file}:${i + 1}: expected KEY=VALUE`);
    const [, key, rest] = m;
    if (!FLUX_VARIABLE_NAME.test(key))
      throw new DotenvError(`${file}:${i + 1}: '${key}' is not a valid flux variable name`);
    let value = rest.trim();
    if (
      (value.startsWith('"') && value.endsWith('"') && value.length >= 2) ||
      (value.startsWith("'") && value.endsWith("'") && value.length >= 2)
    ) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  });
  return out;
}
