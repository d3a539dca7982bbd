// Version precedence, once: zot's versions (semantic versions, lib/zot/config-keys.ts
// compareZotVersions) and the zot chart's (X.Y.Z, lib/zot/chart-versions.ts compareChartVersions)
// are compared by this one function; each keeps its own reading of the string and its own refusal.

// Semantic Versioning 2.0.0 (semver.org, the grammar of §2, §9, §10): zot tags its releases vX.Y.Z.
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A version's major, minor and patch numbers and its pre-release identifiers (build metadata is dropped). */
export interface Version {
  readonly core: readonly [number, number, number];
  readonly pre: readonly string[];
}

/** `vX.Y.Z[-pre][+build]` (the `v` optional) as a Version, or undefined when it is not a semantic version. */
export function parseSemver(version: string): Version | undefined {
  const m = SEMVER.exec(version);
  return m ? { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] } : undefined;
}

/** Semver precedence of two versions: negative, zero or positive. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.core[0] - b.core[0] || a.core[1] - b.core[1] || a.core[2] - b.core[2];
  if (core || (!a.pre.length && !b.pre.length)) return core;
  // semver §11: a version with a pre-release is lower; identifiers compare numerically or in ASCII, numbers first
  if (!a.pre.length || !b.pre.length) return a.pre.length ? -1 : 1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const [x, y] = [a.pre[i], b.pre[i]];
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length - b.pre.length;
}
