// Checks on the whole generated tree, before anything is written: what Flux, the API server or zot
// would refuse later, on every cluster at once, is refused here with an error a person can act on.
import * as yaml from 'js-yaml';
import { Problem, ZotFluxError } from '../core/error';
import { findExpressions, substitute } from '../flux/envsubst';
import { objectNameErrors } from '../k8s/names';
import { validateAgainstCrd } from '../k8s/schema';
import { zotServiceName } from '../zot/chart';
import { findCredential } from './credentials';
import { sampleValue } from './hostnames';
import { isZotRelease, zotReleaseCheck } from './zot-release';

/**
 * Every check on the generated files; throws one ZotFluxError listing all problems, naming file,
 * field and value. Returns what zot would start with but warn about (a clamped interval...).
 */
export function validateFiles(files: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const servicePorts = new Map<string, number>();
  const routes: Array<{ path: string; dir: string; route: any }> = [];
  for (const [path, text] of files) {
    const where = (reason: string) => problems.push({ field: path, reason });
    const credential = findCredential(text);
    if (credential) where(`contains ${credential}; credentials enter only through Flux variables`);
    if (!path.endsWith('.yaml')) continue;
    // Checked as Flux will apply it: each variable replaced by a sample value first. The parser only
    // yields names Flux accepts; a `${` it cannot parse is the error.
    const sample: Record<string, string> = {};
    try {
      for (const e of findExpressions(text)) sample[e.name] = sampleValue(e.name);
    } catch (e: any) {
      where(`${e.message} (flux would fail the whole reconciliation on every cluster)`);
      continue;
    }
    for (const obj of yaml.loadAll(substitute(text, sample)) as any[]) {
      if (!obj) continue;
      for (const e of validateAgainstCrd(obj) ?? []) where(e);
      for (const e of objectNameErrors(obj)) where(e);
      const release = zotReleaseCheck(obj);
      for (const e of release.errors) where(e);
      warnings.push(...release.warnings.map((w) => ({ ...w, field: `${path}: ${w.field}` })));
      const dir = path.slice(0, path.lastIndexOf('/'));
      if (isZotRelease(obj)) servicePorts.set(`${dir}/${zotServiceName(obj.metadata.name)}`, obj.spec.values?.service?.port);
      if (obj.kind === 'HTTPRoute') routes.push({ path, dir, route: obj });
    }
  }
  for (const { path, dir, route } of routes) {
    (route.spec?.rules ?? []).forEach((rule: any, i: number) => (rule.backendRefs ?? []).forEach((b: any, j: number) => {
      const port = servicePorts.get(`${dir}/${b.name}`);
      if (port !== undefined && b.port !== port) {
        problems.push({ field: path, reason: `HTTPRoute/${route.metadata?.name} spec.rules[${i}].backendRefs[${j}].port: ${b.port} differs from Service ${b.name}'s port ${port}` });
      }
    }));
  }
  if (problems.length) throw new ZotFluxError(problems, 'the generated tree would be refused');
  return warnings;
}
