// Validation of generated objects against their CRD's openAPIV3Schema. The schemas come out of
// this project's own import step (scripts/import.ts → imports/schemas/). Stricter than the API
// server in one way on purpose: a field the schema does not know is an error here (the API server
// would silently drop it, and the setting would be lost).
import gitRepository from '../../imports/schemas/gitrepository.source.toolkit.fluxcd.io.json';
import helmRelease from '../../imports/schemas/helmrelease.helm.toolkit.fluxcd.io.json';
import helmRepository from '../../imports/schemas/helmrepository.source.toolkit.fluxcd.io.json';
import httpRoute from '../../imports/schemas/httproute.gateway.networking.k8s.io.json';
import kustomization from '../../imports/schemas/kustomization.kustomize.toolkit.fluxcd.io.json';

interface CrdSchema { apiVersion: string; kind: string; schema: any }

const SCHEMAS = new Map<string, CrdSchema>(
  ([gitRepository, helmRelease, helmRepository, httpRoute, kustomization] as CrdSchema[]).map((s) => [`${s.apiVersion}/${s.kind}`, s]),
);

/** The schema for an apiVersion and kind, if this project imported that CRD. */
export function crdSchemaFor(apiVersion: string, kind: string): any | undefined {
  return SCHEMAS.get(`${apiVersion}/${kind}`)?.schema;
}

const patternCache = new Map<string, RegExp | null>();
function compile(pattern: string): RegExp | null {
  if (!patternCache.has(pattern)) {
    try {
      patternCache.set(pattern, new RegExp(pattern, 'u'));
    } catch {
      patternCache.set(pattern, null);
    }
  }
  return patternCache.get(pattern)!;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Errors of `value` against an openAPIV3Schema, each as `path: why`. */
export function schemaErrors(value: unknown, schema: any, at = ''): string[] {
  const errors: string[] = [];
  const here = at || '(root)';
  if (value === null || value === undefined) {
    if (schema.nullable) return errors;
    return [`${here}: must not be null`];
  }
  const t = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (t !== 'integer' && t !== 'string') errors.push(`${here}: must be an integer or a string, got ${JSON.stringify(value)}`);
  } else if (schema.type) {
    const ok = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!ok) return [`${here}: must be ${schema.type}, got ${t} ${JSON.stringify(value)}`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${here}: ${JSON.stringify(value)} is not one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) errors.push(`${here}: '${value}' is shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errors.push(`${here}: '${value}' is longer than ${schema.maxLength}`);
    if (schema.pattern) {
      const re = compile(schema.pattern);
      if (re && !re.test(value)) errors.push(`${here}: '${value}' does not match ${schema.pattern}`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${here}: ${value} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${here}: ${value} is above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${here}: needs at least ${schema.minItems} items, has ${value.length}`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${here}: allows at most ${schema.maxItems} items, has ${value.length}`);
    if (schema.items) value.forEach((item, i) => errors.push(...schemaErrors(item, schema.items, `${at}[${i}]`)));
  }
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (obj[r] === undefined) errors.push(`${at ? at + '.' : ''}${r}: required`);
    const props = schema.properties ?? {};
    for (const [k, v] of Object.entries(obj)) {
      const path = at ? `${at}.${k}` : k;
      if (props[k]) errors.push(...schemaErrors(v, props[k], path));
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') errors.push(...schemaErrors(v, schema.additionalProperties, path));
      else if (schema.properties && !schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) {
        errors.push(`${path}: unknown field (not in the CRD schema)`);
      }
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (schema[key] && !schema[key].some((s: any) => schemaErrors(value, { ...s, type: s.type ?? schema.type }, at).length === 0)) {
      errors.push(`${here}: matches none of the ${key} alternatives`);
    }
  }
  for (const s of schema.allOf ?? []) errors.push(...schemaErrors(value, s, at));
  return errors;
}

/**
 * Errors of a Kubernetes object against its CRD schema, each prefixed with `Kind/name`;
 * undefined when this project has no schema for the object's kind.
 */
export function validateAgainstCrd(obj: any): string[] | undefined {
  const schema = crdSchemaFor(obj?.apiVersion, obj?.kind);
  if (!schema) return undefined;
  return schemaErrors(obj, schema).map((e) => `${obj.kind}/${obj.metadata?.name ?? '?'} ${e}`);
}
