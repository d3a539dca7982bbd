// Flux postBuild variable substitution (kustomize-controller v1.7.3, fluxcd/pkg/envsubst), applied
// to YAML text. The semantics are listed in ../shared/reference/flux-facts.md:
// - only the braced form `${...}` is an expression; `$var`, `$1` and a lone `$` stay as they are;
// - `$$` collapses to `$` everywhere, so `$${var}` yields a literal `${var}`;
// - one pass: a value is inserted verbatim and never re-scanned (a bcrypt `$2y$...` survives);
// - every newline is removed from a value;
// - the default forms `:=`, `:-`, `=` use the default when the value is empty or unset;
// - a `${` that does not parse is an error (Flux fails the whole reconciliation), never a pass.

import { ZotFluxError } from '../core/error';

/** Variable names Flux accepts: `^[_[:alpha:]][_[:alpha:][:digit:]]*$`. */
export const FLUX_VARIABLE_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;

export class SubstitutionError extends ZotFluxError {
  constructor(message: string) {
    super({ field: '', reason: message });
  }
}

type Operation =
  | { op: 'plain' }
  | { op: 'length' }
  | { op: 'default'; value: Piece[] }
  | { op: 'case'; upper: boolean; all: boolean }
  | { op: 'substring'; offset: string; length?: string }
  | { op: 'trimPrefix'; pattern: string; longest: boolean }
  | { op: 'trimSuffix'; pattern: string; longest: boolean }
  | { op: 'replace'; pattern: string; replacement: string; mode: 'first' | 'all' | 'prefix' | 'suffix' };

/** One `${...}` expression found in a text. */
export interface Expression {
  readonly name: string;
  /** Offset of the `$` in the text. */
  readonly start: number;
  /** Offset just past the closing `}`. */
  readonly end: number;
  /** The expression as written, e.g. `${CLUSTER_DOMAIN}`. */
  readonly source: string;
  readonly operation: Operation;
}

/** A piece of a parsed text: literal text, or an expression to evaluate. */
export type Piece = string | Expression;

function describeAt(text: string, start: number): string {
  const line = text.slice(0, start).split('\n').length;
  const end = text.indexOf('}', start);
  const snippet = text.slice(start, end === -1 ? Math.min(text.length, start + 30) : end + 1).split('\n')[0];
  return `'${snippet}' (line ${line})`;
}

function parseOperation(text: string, start: number, body: string): Operation {
  const fail = (why: string): never => {
    throw new SubstitutionError(`flux cannot parse ${describeAt(text, start)}: ${why}`);
  };
  if (body === '') return { op: 'plain' };
  const first = body[0];
  const rest = body.slice(1);
  // Only a default may hold another expression: ${var:-${OTHER}}.
  const isDefault = (first === ':' && (rest.startsWith('=') || rest.startsWith('-'))) || first === '=';
  if (!isDefault && body.includes('${')) return fail('only a default value may hold another ${...}');
  switch (first) {
    case ':': {
      if (rest.startsWith('=') || rest.startsWith('-')) return { op: 'default', value: parse(rest.slice(1)) };
      if (rest.startsWith('?') || rest.startsWith('+')) return fail(`':${rest[0]}' is not an operator flux knows`);
      const [offset, length] = rest.split(':');
      return { op: 'substring', offset, length };
    }
    case '=':
      return { op: 'default', value: parse(rest) };
    case '^':
      if (rest === '' || rest === '^') return { op: 'case', upper: true, all: rest === '^' };
      return fail('case operators take no argument');
    case ',':
      if (rest === '' || rest === ',') return { op: 'case', upper: false, all: rest === ',' };
      return fail('case operators take no argument');
    case '#':
      return rest.startsWith('#')
        ? { op: 'trimPrefix', pattern: rest.slice(1), longest: true }
        : { op: 'trimPrefix', pattern: rest, longest: false };
    case '%':
      return rest.startsWith('%')
        ? { op: 'trimSuffix', pattern: rest.slice(1), longest: true }
        : { op: 'trimSuffix', pattern: rest, longest: false };
    case '/': {
      let mode: 'first' | 'all' | 'prefix' | 'suffix' = 'first';
      let args = rest;
      if (args.startsWith('/')) { mode = 'all'; args = args.slice(1); }
      else if (args.startsWith('#')) { mode = 'prefix'; args = args.slice(1); }
      else if (args.startsWith('%')) { mode = 'suffix'; args = args.slice(1); }
      const slash = args.indexOf('/');
      if (slash === -1) return { op: 'replace', pattern: args, replacement: '', mode };
      return { op: 'replace', pattern: args.slice(0, slash), replacement: args.slice(slash + 1), mode };
    }
    default:
      return fail(`'${first}' after the variable name is not an operator flux knows (allowed: := :- = ^ ^^ , ,, :n # ## % %% / // /# /%)`);
  }
}

/** Index of the `}` that closes the `${` whose body starts at `from`, counting nested `${`; -1 if none. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '$' && text[j + 1] === '$') { j++; continue; }
    if (text[j] === '$' && text[j + 1] === '{') { depth++; j++; continue; }
    if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

/** Splits a text into literal pieces and expressions; throws SubstitutionError for any `${` Flux cannot parse. */
export function parse(text: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') { literal += c; i++; continue; }
    const next = text[i + 1];
    if (next === '$') { literal += '$'; i += 2; continue; }
    if (next !== '{') { literal += '$'; i++; continue; }
    const close = closingBrace(text, i + 2);
    if (close === -1) throw new SubstitutionError(`flux cannot parse ${describeAt(text, i)}: no closing '}'`);
    const inner = text.slice(i + 2, close);
    let name: string;
    let operation: Operation;
    if (inner.startsWith('#') && inner.length > 1) {
      name = inner.slice(1);
      operation = { op: 'length' };
      if (!FLUX_VARIABLE_NAME.test(name)) {
        throw new SubstitutionError(`flux cannot parse ${describeAt(text, i)}: '${name}' is not a valid variable name`);
      }
    } else {
      const m = /^[_A-Za-z][_A-Za-z0-9]*/.exec(inner);
      if (!m) {
        throw new SubstitutionError(
          `flux cannot parse ${describeAt(text, i)}: a variable name must match ${FLUX_VARIABLE_NAME.source}`,
        );
      }
      name = m[0];
      operation = parseOperation(text, i, inner.slice(name.length));
    }
    if (literal) { pieces.push(literal); literal = ''; }
    pieces.push({ name, start: i, end: close + 1, source: text.slice(i, close + 1), operation });
    i = close + 1;
  }
  if (literal) pieces.push(literal);
  return pieces;
}

/** The `${...}` expressions of a text, in order. Throws SubstitutionError where Flux would fail. */
export function findExpressions(text: string): Expression[] {
  return parse(text).filter((p): p is Expression => typeof p !== 'string');
}

function namesIn(pieces: Piece[]): string[] {
  return pieces.flatMap((p) => (typeof p === 'string' ? [] : [p.name, ...(p.operation.op === 'default' ? namesIn(p.operation.value) : [])]));
}

/** The distinct variable names a text uses (those in default values too), in order of first use. */
export function findVariables(text: string): string[] {
  return [...new Set(namesIn(parse(text)))];
}

/** A shell pattern as Go's path.Match reads it: `*` and `?` never match '/', `[...]` classes, `\\` escapes. */
function globToRegExp(pattern: string): RegExp {
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') body += '[^/]*';
    else if (ch === '?') body += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) body += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) return /(?!)/; // a bad pattern matches nothing: the value stays
      body += '[' + pattern.slice(i + 1, end).replace(/^[!^]/, '^').replace(/\\/g, '\\\\') + ']';
      i = end;
    } else body += ch.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${body}$`, 's');
}

/** Strips the shortest or longest prefix (of at least one character) matching `pattern`. */
function trimPrefix(value: string, pattern: string, longest: boolean): string {
  const re = globToRegExp(pattern);
  const lengths = [...Array(value.length).keys()].map((k) => k + 1);
  if (longest) lengths.reverse();
  for (const n of lengths) if (re.test(value.slice(0, n))) return value.slice(n);
  return value;
}

/** Strips the shortest or longest suffix (of at least one character) matching `pattern`. */
function trimSuffix(value: string, pattern: string, longest: boolean): string {
  const re = globToRegExp(pattern);
  const lengths = [...Array(value.length).keys()].map((k) => k + 1);
  if (longest) lengths.reverse();
  for (const n of lengths) if (re.test(value.slice(value.length - n))) return value.slice(0, value.length - n);
  return value;
}

/** Substring by byte offsets, as Go slices strings; an offset that is not a number leaves the value. */
function substring(value: string, offset: string, length?: string): string {
  const bytes = Buffer.from(value, 'utf8');
  if (!/^-?\d+$/.test(offset)) return value;
  let pos = Number(offset);
  if (pos < 0) pos = Math.max(0, bytes.length + pos);
  if (length === undefined) return pos < bytes.length ? bytes.subarray(pos).toString('utf8') : '';
  if (!/^-?\d+$/.test(length)) return value;
  const len = Number(length);
  if (pos + len >= bytes.length) return bytes.subarray(Math.min(pos, bytes.length)).toString('utf8');
  return bytes.subarray(pos, pos + Math.max(0, len)).toString('utf8');
}

function evaluate(e: Expression, value: string | undefined, variables: Readonly<Record<string, string>>, options: SubstituteOptions): string {
  const v = value ?? '';
  const op = e.operation;
  switch (op.op) {
    case 'plain': return v;
    case 'length': return String(Buffer.byteLength(v, 'utf8'));
    case 'default': return v === '' ? evaluatePieces(op.value, variables, options) : v;
    case 'case':
      if (op.all) return op.upper ? v.toUpperCase() : v.toLowerCase();
      return v === '' ? v : (op.upper ? v[0].toUpperCase() : v[0].toLowerCase()) + v.slice(1);
    case 'substring': return substring(v, op.offset, op.length);
    case 'trimPrefix': return trimPrefix(v, op.pattern, op.longest);
    case 'trimSuffix': return trimSuffix(v, op.pattern, op.longest);
    case 'replace':
      switch (op.mode) {
        case 'first': return op.pattern === '' ? v : v.replace(op.pattern, () => op.replacement);
        case 'all': return op.pattern === '' ? v : v.split(op.pattern).join(op.replacement);
        case 'prefix': return v.startsWith(op.pattern) ? op.replacement + v.slice(op.pattern.length) : v;
        case 'suffix': return v.endsWith(op.pattern) ? v.slice(0, v.length - op.pattern.length) + op.replacement : v;
      }
  }
}

export interface SubstituteOptions {
  /**
   * Fail on a variable that has no value, like Flux's `StrictPostBuildSubstitutions` feature gate.
   * @default false - an undefined variable becomes the empty string, as in Flux by default
   */
  readonly strict?: boolean;
}

/**
 * Applies Flux's substitution to `text` with `variables`. Values lose every newline and are never
 * re-scanned. Throws SubstitutionError for an expression Flux cannot parse, for a variable name
 * Flux rejects, and (strict only) for an undefined variable.
 */
export function substitute(text: string, variables: Readonly<Record<string, string>>, options: SubstituteOptions = {}): string {
  for (const key of Object.keys(variables)) {
    if (!FLUX_VARIABLE_NAME.test(key)) {
      throw new SubstitutionError(`variable name '${key}' is not valid for flux (must match ${FLUX_VARIABLE_NAME.source})`);
    }
  }
  return evaluatePieces(parse(text), variables, options);
}

function evaluatePieces(pieces: Piece[], variables: Readonly<Record<string, string>>, options: SubstituteOptions): string {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') { out += piece; continue; }
    const has = Object.prototype.hasOwnProperty.call(variables, piece.name);
    const raw = has ? variables[piece.name].replace(/\n/g, '') : undefined;
    if (raw === undefined && options.strict && piece.operation.op !== 'default') {
      throw new SubstitutionError(`variable '${piece.name}' in '${piece.source}' is not defined`);
    }
    out += evaluate(piece, raw, variables, options);
  }
  return out;
}
