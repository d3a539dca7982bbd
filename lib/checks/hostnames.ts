// Hostnames as each cluster will have them, after Flux's substitution.
import { variableReferences } from '../flux/substitution';
import { HOSTNAME_PATTERN } from '../k8s/names';
import { valueAt } from '../k8s/objects';

/** A stand-in value per variable, for checks that need substituted text. */
export function sampleValue(variable: string): string {
  // 16 bytes: a variable may carry zot's cluster.hashKey, which must be exactly 16 bytes
  // (zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateClusterConfig); any other value a check
  // needs is a plain token, and this one is one.
  return /DOMAIN/i.test(variable) ? 'example.com' : 'sample-value-16b';
}

/**
 * Errors of an HTTPRoute's hostnames once Flux has substituted them: `route` as written, `substituted` as
 * Flux applies it. `value(name)` is what a variable holds on the cluster (undefined: no source defines it);
 * `show` turns a substituted hostname into what a message may print (secret values masked).
 */
export function hostnameErrors(
  route: unknown,
  substituted: unknown,
  value: (name: string) => string | undefined,
  show: (text: string) => string = (t) => t,
): string[] {
  const errors: string[] = [];
  const hostnames = (o: unknown): readonly unknown[] => {
    const list = valueAt(o, 'spec', 'hostnames');
    return Array.isArray(list) ? list : [];
  };
  const after = hostnames(substituted);
  hostnames(route).forEach((h, i) => {
    const result = after[i];
    if (typeof result === 'string' && HOSTNAME_PATTERN.test(result)) return;
    let names: string[] = [];
    try {
      names = [...new Set(variableReferences(String(h), '2.9').map((r) => r.name))];
    } catch {
      /* Flux's parse error is reported by the substitution itself */
    }
    const missing = names.filter((n) => !value(n));
    const why = missing.length
      ? ` because ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty or undefined`
      : '';
    errors.push(
      `HTTPRoute/${valueAt(route, 'metadata', 'name')} spec.hostnames[${i}]: '${h}' becomes '${show(String(result ?? ''))}'${why}, which is not a valid hostname`,
    );
  });
  return errors;
}
