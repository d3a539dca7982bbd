// Hostnames as each cluster will have them, after Flux's substitution.
import { findExpressions, substitute } from '../flux/envsubst';
import { HOSTNAME_PATTERN } from '../k8s/names';

/** A stand-in value per variable, for checks that need substituted text. */
export function sampleValue(variable: string): string {
  return /DOMAIN/i.test(variable) ? 'example.com' : 'sample';
}

/** Errors of an HTTPRoute's hostnames after Flux substitutes `variables` (strict: a missing one is an error). */
export function hostnameErrors(route: any, variables: Record<string, string>): string[] {
  const errors: string[] = [];
  (route?.spec?.hostnames ?? []).forEach((h: string, i: number) => {
    const used = findExpressions(h).map((e) => e.name);
    const missing = used.filter((v) => !(v in variables) || variables[v] === '');
    const value = substitute(h, variables);
    if (!HOSTNAME_PATTERN.test(value)) {
      const why = missing.length ? ` because ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty or undefined` : '';
      errors.push(`HTTPRoute/${route.metadata?.name} spec.hostnames[${i}]: '${h}' becomes '${value}'${why}, which is not a valid hostname`);
    }
  });
  return errors;
}
