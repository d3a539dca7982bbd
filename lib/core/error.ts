// The project's one error type: a refusal a person can act on. It names the field (a dotted path
// into props, a file, a config key...), the value received and the reason. Anything thrown that is
// not a ZotFluxError is a bug: the CLI prints it with its stack and exit code 3.

/** One refused thing: where, what was there, and why it is refused. */
export interface Problem {
  /** Where: `release.port`, `clusters/common/apps/zot/ks.yaml`, `http.accessControl`, ... */
  readonly field: string;
  /** The value received; left out of the message when `secret` is set or it is `undefined`. */
  readonly value?: unknown;
  /** Why, phrased to follow the value: "is not an integer from 1 to 65535". */
  readonly reason: string;
  /** The value is a credential: never print it. */
  readonly secret?: boolean;
}

const BRAND = Symbol.for('zot-flux.ZotFluxError');

/** Shows a value the way messages quote it: strings in single quotes, the rest as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint') return String(value);
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json;
  } catch {
    return String(value);
  }
}

/** `field: 'value' reason` (or `field: reason` when there is no value to show). */
export function formatProblem(p: Problem): string {
  const shown = p.secret || p.value === undefined ? '' : `${showValue(p.value)} `;
  return p.field ? `${p.field}: ${shown}${p.reason}` : `${shown}${p.reason}`;
}

export class ZotFluxError extends Error {
  /** Works across two copies of this module in one process (cdk8s-core's Symbol.for pattern). */
  static isZotFluxError(x: unknown): x is ZotFluxError {
    return typeof x === 'object' && x !== null && (x as any)[BRAND] === true;
  }

  /** Every problem found; at least one. */
  readonly problems: readonly Problem[];

  /** One problem, or several found in one pass (`headline` introduces the list). */
  constructor(problems: Problem | readonly Problem[], headline?: string) {
    const list = Array.isArray(problems) ? (problems as readonly Problem[]) : [problems as Problem];
    if (list.length === 0) throw new TypeError('ZotFluxError needs at least one problem');
    super(
      list.length === 1 && !headline
        ? formatProblem(list[0])
        : `${headline ?? `${list.length} problems`}:\n  - ${list.map(formatProblem).join('\n  - ')}`,
    );
    this.name = 'ZotFluxError';
    this.problems = list;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The first problem's field. */
  get field(): string {
    return this.problems[0].field;
  }
  /** The first problem's value. */
  get value(): unknown {
    return this.problems[0].value;
  }
  /** The first problem's reason. */
  get reason(): string {
    return this.problems[0].reason;
  }

  /** The same problems with every field prefixed (`port` → `release.port`), for errors raised below a prop. */
  under(prefix: string): ZotFluxError {
    const moved = this.problems.map((p) => ({ ...p, field: p.field ? `${prefix}.${p.field}` : prefix }));
    const headline =
      this.problems.length > 1 || this.message.includes(':\n  - ') ? this.message.split(':\n  - ')[0] : undefined;
    return new ZotFluxError(moved, headline);
  }
}

/** Throws a ZotFluxError for one problem. */
export function refuse(field: string, value: unknown, reason: string, secret = false): never {
  throw new ZotFluxError({ field, value, reason, secret });
}
