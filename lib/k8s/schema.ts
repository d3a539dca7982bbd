// Validation of generated objects against their CRD's openAPIV3Schema. The schemas come out of
// this project's own import step (scripts/import.ts → imports/schemas/<set>/): Flux v2.7.5's CRDs
// (helm-controller v1.4.5, kustomize-controller v1.7.3, source-controller v1.7.4), Flux v2.9.4's
// (helm-controller v1.6.3, kustomize-controller v1.9.4, source-controller v1.9) and Gateway API v1.6.1's
// HTTPRoute (the same on both). An object is checked against the set of the Flux generation it is applied
// with, or against both when the generation is not known (synth: the tree must reconcile on either).
// Stricter than the API server in one way on purpose: a field the schema does not know is an error here
// (the API server would silently drop it, and the setting would be lost).
import gitRepository27 from '../../imports/schemas/flux-v2.7.5/gitrepository.source.toolkit.fluxcd.io.json';
import helmRelease27 from '../../imports/schemas/flux-v2.7.5/helmrelease.helm.toolkit.fluxcd.io.json';
import helmRepository27 from '../../imports/schemas/flux-v2.7.5/helmrepository.source.toolkit.fluxcd.io.json';
import kustomization27 from '../../imports/schemas/flux-v2.7.5/kustomization.kustomize.toolkit.fluxcd.io.json';
import gitRepository29 from '../../imports/schemas/flux-v2.9.4/gitrepository.source.toolkit.fluxcd.io.json';
import helmRelease29 from '../../imports/schemas/flux-v2.9.4/helmrelease.helm.toolkit.fluxcd.io.json';
import helmRepository29 from '../../imports/schemas/flux-v2.9.4/helmrepository.source.toolkit.fluxcd.io.json';
import kustomization29 from '../../imports/schemas/flux-v2.9.4/kustomization.kustomize.toolkit.fluxcd.io.json';
import httpRoute from '../../imports/schemas/gateway-api-v1.6.1/httproute.gateway.networking.k8s.io.json';
import { stringAt, valueAt } from './objects';

/** The Flux generations whose CRDs this project checks against (lib/flux/generation.ts names the same two). */
export type CrdGeneration = '2.7' | '2.9';

interface CrdSchema {
  apiVersion: string;
  kind: string;
  served: string[];
  schema: OpenApiSchema;
}

/** The CRD set of each Flux generation, by name as in imports/schemas/. */
export const CRD_SETS: Readonly<Record<CrdGeneration, string>> = { '2.7': 'Flux v2.7.5', '2.9': 'Flux v2.9.4' };

function index(schemas: CrdSchema[]): Map<string, CrdSchema> {
  return new Map(schemas.map((s) => [`${s.apiVersion.split('/')[0]}/${s.kind}`, s]));
}

// Keyed by group/kind: the stored schema is the first (storage) version; `served` lists every served version.
const SCHEMAS: Readonly<Record<CrdGeneration, Map<string, CrdSchema>>> = {
  '2.7': index([gitRepository27, helmRelease27, helmRepository27, kustomization27, httpRoute] as CrdSchema[]),
  '2.9': index([gitRepository29, helmRelease29, helmRepository29, kustomization29, httpRoute] as CrdSchema[]),
};

const GENERATIONS: readonly CrdGeneration[] = ['2.7', '2.9'];

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/**
 * The schema for an apiVersion and kind in one generation's CRDs (or, without a generation, the newest
 * generation that has it), if this project imported that CRD at that version.
 */
export function crdSchemaFor(apiVersion: string, kind: string, generation?: CrdGeneration): OpenApiSchema | undefined {
  for (const g of generation ? [generation] : [...GENERATIONS].reverse()) {
    const s = SCHEMAS[g].get(`${groupOf(apiVersion)}/${kind}`);
    if (s && s.apiVersion === apiVersion) return s.schema;
  }
  return undefined;
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

/** The parts of an openAPIV3Schema (a CRD's, as imported) that are checked. */
export interface OpenApiSchema {
  readonly type?: string;
  readonly nullable?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly enum?: readonly unknown[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: OpenApiSchema;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly additionalProperties?: OpenApiSchema | boolean;
  readonly anyOf?: readonly OpenApiSchema[];
  readonly oneOf?: readonly OpenApiSchema[];
  readonly allOf?: readonly OpenApiSchema[];
}

/** Errors of `value` against an openAPIV3Schema, each as `path: why`. */
export function schemaErrors(value: unknown, schema: OpenApiSchema, at = ''): string[] {
  const here = at || '(root)';
  if (value === null || value === undefined) return schema.nullable ? [] : [`${here}: must not be null`];
  const t = typeOf(value);
  if (!schema['x-kubernetes-int-or-string'] && schema.type) {
    const ok = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!ok) return [`${here}: must be ${schema.type}, got ${t} ${JSON.stringify(value)}`];
  }
  const errors: string[] = [];
  if (schema['x-kubernetes-int-or-string'] && t !== 'integer' && t !== 'string')
    errors.push(`${here}: must be an integer or a string, got ${JSON.stringify(value)}`);
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(
      `${here}: ${JSON.stringify(value)} is not one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`,
    );
  }
  if (typeof value === 'string') errors.push(...stringErrors(value, schema, here));
  if (typeof value === 'number') errors.push(...numberErrors(value, schema, here));
  if (Array.isArray(value)) errors.push(...arrayErrors(value, schema, at, here));
  if (t === 'object') errors.push(...objectErrors(value as Record<string, unknown>, schema, at));
  errors.push(...alternativeErrors(value, schema, at, here));
  return errors;
}

function stringErrors(value: string, schema: OpenApiSchema, here: string): string[] {
  const errors: string[] = [];
  if (schema.minLength !== undefined && [...value].length < schema.minLength)
    errors.push(`${here}: '${value}' is shorter than ${schema.minLength}`);
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength)
    errors.push(`${here}: '${value}' is longer than ${schema.maxLength}`);
  if (schema.pattern) {
    const re = compile(schema.pattern);
    if (re && !re.test(value)) errors.push(`${here}: '${value}' does not match ${schema.pattern}`);
  }
  return errors;
}

function numberErrors(value: number, schema: OpenApiSchema, here: string): string[] {
  const errors: string[] = [];
  if (schema.minimum !== undefined && value < schema.minimum)
    errors.push(`${here}: ${value} is below ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum)
    errors.push(`${here}: ${value} is above ${schema.maximum}`);
  return errors;
}

function arrayErrors(value: readonly unknown[], schema: OpenApiSchema, at: string, here: string): string[] {
  const errors: string[] = [];
  if (schema.minItems !== undefined && value.length < schema.minItems)
    errors.push(`${here}: needs at least ${schema.minItems} items, has ${value.length}`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    errors.push(`${here}: allows at most ${schema.maxItems} items, has ${value.length}`);
  const items = schema.items;
  if (items) value.forEach((item, i) => errors.push(...schemaErrors(item, items, `${at}[${i}]`)));
  return errors;
}

/** Required fields, each field against its property (or additionalProperties), and fields the schema does not know. */
function objectErrors(obj: Record<string, unknown>, schema: OpenApiSchema, at: string): string[] {
  const errors: string[] = [];
  for (const r of schema.required ?? []) if (obj[r] === undefined) errors.push(`${at ? at + '.' : ''}${r}: required`);
  const props = schema.properties ?? {};
  const additional = schema.additionalProperties;
  for (const [k, v] of Object.entries(obj)) {
    const path = at ? `${at}.${k}` : k;
    if (props[k]) errors.push(...schemaErrors(v, props[k], path));
    else if (additional && typeof additional === 'object') errors.push(...schemaErrors(v, additional, path));
    else if (schema.properties && !schema['x-kubernetes-preserve-unknown-fields'] && additional !== true) {
      errors.push(`${path}: unknown field (not in the CRD schema)`);
    }
  }
  return errors;
}

/** anyOf and oneOf (some alternative must hold; each takes the schema's type when it has none), allOf (every one). */
function alternativeErrors(value: unknown, schema: OpenApiSchema, at: string, here: string): string[] {
  const errors: string[] = [];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alternatives = schema[key];
    if (
      alternatives &&
      !alternatives.some((s) => schemaErrors(value, { ...s, type: s.type ?? schema.type }, at).length === 0)
    ) {
      errors.push(`${here}: matches none of the ${key} alternatives`);
    }
  }
  for (const s of schema.allOf ?? []) errors.push(...schemaErrors(value, s, at));
  return errors;
}

/**
 * Errors of a Kubernetes object against its CRD schema in one generation's CRDs, each prefixed with
 * `Kind/name`; undefined when this project has no CRD for the object's group and kind. An apiVersion the
 * CRD does not serve is one error (the API server has no such resource); a served version other than the
 * imported one is not checked further.
 */
function validateIn(obj: unknown, generation: CrdGeneration): string[] | undefined {
  const apiVersion = stringAt(obj, 'apiVersion') ?? '';
  const kind = valueAt(obj, 'kind');
  const crd = SCHEMAS[generation].get(`${groupOf(apiVersion)}/${kind}`);
  if (!crd) return undefined;
  const where = `${kind}/${valueAt(obj, 'metadata', 'name') ?? '?'}`;
  const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  if (!crd.served.includes(version)) {
    return [
      `${where} apiVersion: '${apiVersion}' is not served by the ${CRD_SETS[generation]} CRDs (served: ${crd.served.join(', ')})`,
    ];
  }
  if (crd.apiVersion !== apiVersion) return [];
  return schemaErrors(obj, crd.schema).map((e) => `${where} ${e}`);
}

/**
 * Errors of a Kubernetes object against its CRD schema, each prefixed with `Kind/name`; undefined when
 * this project has no schema for the object's kind. With a generation, that generation's CRDs; without
 * one, both: an error only one set has says which (`(Flux v2.7.5 CRDs)`), so what either would refuse is
 * refused.
 */
export function validateAgainstCrd(obj: unknown, generation?: CrdGeneration): string[] | undefined {
  if (generation) return validateIn(obj, generation);
  const per = GENERATIONS.map((g) => validateIn(obj, g));
  if (per.every((e) => e === undefined)) return undefined;
  const [a, b] = per.map((e) => e ?? []);
  const out = a.filter((e) => b.includes(e));
  for (const [i, errs] of [a, b].entries()) {
    const other = i === 0 ? b : a;
    for (const e of errs) if (!other.includes(e)) out.push(`${e} (${CRD_SETS[GENERATIONS[i]]} CRDs)`);
  }
  return out;
}
