// Security advisories against the zot a HelmRelease deploys (lib/zot/known-advisories.json): each one
// affecting it is a warning naming it, its fix and what to do; a declaration whose meaning the
// advisory breaks (create without update on zot < v2.1.15) is refused unless the release
// acknowledges that advisory by name.
import { Problem } from '../core/error';
import { parseJsonWithin } from '../core/nesting';
import {
  Advisory,
  advisoriesFor,
  advisoryByName,
  advisoryMeaning,
  advisoryName,
  advisoryRemedy,
  advisorySummary,
  configHits,
} from '../zot/advisories';
import { ZOT_CONFIG_FILE } from '../zot/chart';
import { valueAt } from '../k8s/objects';
import { deployedZotVersion, isZotRelease, ReleaseCheck } from './zot-release';

/**
 * The HelmRelease annotation acknowledging advisories by name (ZotRelease prop
 * `acknowledgedAdvisories`): `CVE-2026-31801, ...`. Visible in the generated output on purpose: a
 * reviewer sees the acknowledgement in the diff.
 */
export const ACKNOWLEDGED_ADVISORIES_ANNOTATION = 'zot-flux.io/acknowledged-advisories';

/** The names a HelmRelease's annotation acknowledges, as written (comma-separated, trimmed). */
export function acknowledgedAdvisoryNames(obj: unknown): string[] {
  const v = valueAt(obj, 'metadata', 'annotations', ACKNOWLEDGED_ADVISORIES_ANNOTATION);
  return typeof v === 'string'
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
}

/**
 * The advisories affecting the zot a zot HelmRelease deploys (image.tag, else its chart's): a
 * warning for each; an error for each place its config depends on the flaw (the advisory's rule)
 * unless the release acknowledges the advisory. Names in the annotation that are no known advisory,
 * or that do not affect this zot, are warnings. Nothing when the release is not zot's or its
 * version or config.json cannot be read (zotReleaseCheck reports those).
 */
export function advisoryCheck(obj: unknown): ReleaseCheck {
  const none = { errors: [], warnings: [] };
  if (!isZotRelease(obj)) return none;
  const id = `HelmRelease/${valueAt(obj, 'metadata', 'name')}`;
  let zot: string;
  let affecting: Advisory[];
  try {
    zot = deployedZotVersion(obj);
    affecting = advisoriesFor(zot);
  } catch {
    return none;
  }
  const { acknowledged, warnings } = acknowledgements(obj, id, zot, affecting);
  const config = zotConfig(obj);
  const errors: string[] = [];
  for (const a of affecting) {
    // an accessControl zot would not read gives no hits: closedRegistryErrors reports it
    const hits = config === undefined ? [] : configHits(a, config, zot);
    const ack = acknowledged.has(a);
    warnings.push({
      field: id,
      reason:
        advisorySummary(a, zot) +
        (ack
          ? `; acknowledged (${ACKNOWLEDGED_ADVISORIES_ANNOTATION})${hits.length ? `: ${hits.map((h) => h.says).join('; ')}` : ''}`
          : ''),
    });
    if (ack) continue;
    for (const h of hits) {
      errors.push(
        `${id} config.json http.accessControl: ${h.says}, which does not mean what it says on zot ${zot}: ${advisoryName(a)}, ${advisoryMeaning(a)}; ` +
          `${advisoryRemedy(a)}, or acknowledge it by name: acknowledgedAdvisories: ['${a.id}'] (annotation ${ACKNOWLEDGED_ADVISORIES_ANNOTATION})`,
      );
    }
  }
  return { errors, warnings };
}

/** The advisories the release acknowledges that affect its zot; a warning for each other name. */
function acknowledgements(
  obj: unknown,
  id: string,
  zot: string,
  affecting: readonly Advisory[],
): { acknowledged: Set<Advisory>; warnings: Problem[] } {
  const warnings: Problem[] = [];
  const annotation = `${id} metadata.annotations["${ACKNOWLEDGED_ADVISORIES_ANNOTATION}"]`;
  const acknowledged = new Set<Advisory>();
  for (const name of acknowledgedAdvisoryNames(obj)) {
    const a = advisoryByName(name);
    if (!a)
      warnings.push({
        field: annotation,
        value: name,
        reason: 'is no advisory this project knows (lib/zot/known-advisories.json); it acknowledges nothing',
      });
    else if (!affecting.includes(a))
      warnings.push({
        field: annotation,
        value: name,
        reason: `does not affect zot ${zot} (affected: ${a.affected}): the acknowledgement can go`,
      });
    else acknowledged.add(a);
  }
  return { acknowledged, warnings };
}

/** The release's config.json, parsed; undefined when it cannot be read. */
function zotConfig(obj: unknown): unknown {
  try {
    // JSON.parse reads its argument as a string (String() is what it does first)
    return parseJsonWithin(String(valueAt(obj, 'spec', 'values', 'configFiles', ZOT_CONFIG_FILE)), ZOT_CONFIG_FILE);
  } catch {
    return undefined;
  }
}
