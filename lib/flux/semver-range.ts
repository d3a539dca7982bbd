// The semver ranges the Flux Operator takes in a FluxInstance's spec.distribution.version ("2.x", "2.9.x",
// ">=2.8", "~2.9", "^2.8", "2.*", "2.7 - 2.9", "<2.10 || 3.x", ...), evaluated on release versions (no
// prerelease) as the Operator does.
//
// Sources (read at the tags named):
//   - controlplaneio-fluxcd/flux-operator v0.58.1 internal/builder/semver.go MatchVersionWithEmbedded /
//     matchVersions: semver.NewConstraint(spec.distribution.version), then the newest version directory
//     whose version satisfies Check; go.mod: github.com/Masterminds/semver/v3 v3.5.0.
//   - Masterminds/semver 71f2b39 (the mirror's newest commit, after v3.4.0; v3.5.0 is not in the mirror)
//     constraints.go: NewConstraint (rewriteRange, `||`, validConstraintRegex, findConstraintRegex),
//     parseConstraint (x/X/* and missing parts make a constraint "dirty") and the constraint functions;
//     version.go semVerRegex (NewVersion: a `v` prefix, missing minor/patch, no leading zeros).

/** A version as Masterminds' NewVersion reads it; `pre` is the prerelease ('' for a release). */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: string;
}

// Masterminds/semver version.go semVerRegex.
const SEMVER =
  /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Masterminds NewVersion: `v2.9.4`, `2.9`, `2`, `2.10.0-rc.1`; undefined when it is not one. */
export function parseSemVer(text: string): SemVer | undefined {
  const m = SEMVER.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '' };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    if (na && nb && Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) < Number(pb[i]) ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

/** Version.Compare: major, minor, patch, then a release above its prereleases. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

interface Constraint {
  readonly op: string;
  readonly con: SemVer;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CONSTRAINT = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

const isX = (s: string) => s === 'x' || s === 'X' || s === '*';

function parseConstraint(text: string): Constraint | string {
  const m = CONSTRAINT.exec(text);
  if (!m) return `improper constraint: "${text}"`;
  // m[3] major, m[4] `.minor`, m[5] `.patch`, m[6] `-prerelease`.
  const pre = m[6] ?? '';
  let ver = m[2];
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(m[3]) || !m[3]) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (!m[4] || isX(m[4].slice(1))) {
    ver = `${m[3]}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (!m[5] || isX(m[5].slice(1))) {
    ver = `${m[3]}${m[4]}.0${pre}`;
    dirty = patchDirty = true;
  }
  const con = parseSemVer(ver);
  if (!con) return 'constraint parser error';
  return { op: m[1], con, dirty, minorDirty, patchDirty };
}

// The constraint functions of constraints.go, for a release `v` (no prerelease): the prerelease guards never apply.
function tilde(v: SemVer, c: Constraint): boolean {
  if (compareSemVer(v, c.con) < 0) return false;
  if (c.con.major === 0 && c.con.minor === 0 && c.con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  return v.minor === c.con.minor || c.minorDirty;
}

function check(v: SemVer, c: Constraint): boolean {
  const cmp = compareSemVer(v, c.con);
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : cmp === 0;
    case '!=':
      if (c.dirty) {
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return c.con.pre !== '' && comparePre(v.pre, c.con.pre) !== 0;
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp === 1;
      if (v.major !== c.con.major) return v.major > c.con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return cmp === 1;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > c.con.major) return false;
      return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      if (cmp < 0) return false;
      if (c.con.major > 0 || c.minorDirty) return v.major === c.con.major;
      if (v.major > 0) return false;
      if (c.con.minor > 0 || c.patchDirty) return v.minor === c.con.minor;
      if (v.minor > 0) return false;
      return c.con.patch === v.patch;
    default:
      return false;
  }
}

/** A parsed range: OR groups of AND-ed constraints. */
export interface SemVerRange {
  readonly text: string;
  readonly groups: readonly (readonly Constraint[])[];
}

/** Masterminds NewConstraint; a string is the reason it is refused. */
export function parseSemVerRange(text: string): SemVerRange | string {
  const rewritten = text.replace(RANGE, (_all, a: string, ...rest: unknown[]) => `>= ${a}, <= ${rest[9] as string} `);
  const groups: Constraint[][] = [];
  for (const part of rewritten.split('||')) {
    if (!VALID.test(part)) return `improper constraint: "${part}"`;
    const found = part.match(FIND) ?? [part];
    const group: Constraint[] = [];
    for (const s of found) {
      const c = parseConstraint(s);
      if (typeof c === 'string') return c;
      group.push(c);
    }
    groups.push(group);
  }
  return { text, groups };
}

/** Constraints.Check for a release version (what the Operator matches: Flux release directories). */
export function rangeMatches(range: SemVerRange, v: SemVer): boolean {
  return range.groups.some((g) => g.every((c) => check(v, c)));
}
