// The Kubernetes and Flux objects the checks read from rendered charts and generated YAML, as
// small structural read-only types: only the fields the checks read, each optional and typed as
// the API allows it (kubernetes api core/v1 types.go, apps/v1 types.go; fluxcd helm-controller
// api/v2 helmrelease_types.go, kustomize-controller api/v1 kustomization_types.go). Parsed YAML
// stays `unknown` until a guard here narrows it: isRecord, asObject(s), valueAt, stringAt.

/** A JSON or YAML mapping, keys not yet known. */
export type UnknownRecord = { readonly [key: string]: unknown };

/** Whether a parsed value is a mapping (an object, not null, not an array). */
export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of mapping keys, or undefined when a step is not a mapping. */
export function valueAt(value: unknown, ...keys: readonly string[]): unknown {
  let at = value;
  for (const k of keys) {
    if (!isRecord(at)) return undefined;
    at = at[k];
  }
  return at;
}

/** The string at a path of mapping keys, or undefined when there is none. */
export function stringAt(value: unknown, ...keys: readonly string[]): string | undefined {
  const at = valueAt(value, ...keys);
  return typeof at === 'string' ? at : undefined;
}

/** core/v1 ObjectMeta, as far as the checks read it. */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Any object: apiVersion, kind, metadata; the rest by kind. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly [field: string]: unknown;
}

/**
 * Whether a parsed value is an object: a mapping, whose fields are then taken as the API allows them (helm or this
 * project wrote it; the checks still test each field's type where a wrong one would change their answer).
 */
export function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value);
}

/** The mappings of a parsed list of documents, as KubeObjects; nothing when it is not a list. */
export function asObjects(value: unknown): KubeObject[] {
  return Array.isArray(value) ? value.filter(isKubeObject) : [];
}

/** core/v1 EnvVar. */
export interface EnvVar {
  readonly name?: string;
  readonly value?: string;
  readonly valueFrom?: UnknownRecord;
}

/** core/v1 VolumeMount. */
export interface VolumeMount {
  readonly name?: string;
  readonly mountPath?: string;
  readonly subPath?: string;
  readonly subPathExpr?: string;
  readonly readOnly?: boolean;
}

/** core/v1 KeyToPath (items of a configMap or secret volume). */
export interface KeyToPath {
  readonly key?: string;
  readonly path?: string;
}

/** core/v1 Volume: its name and the sources the checks tell apart. */
export interface Volume {
  readonly name?: string;
  readonly configMap?: { readonly name?: string; readonly items?: readonly KeyToPath[] };
  readonly secret?: { readonly secretName?: string; readonly items?: readonly KeyToPath[] };
  readonly projected?: UnknownRecord;
  readonly downwardAPI?: UnknownRecord;
  readonly emptyDir?: UnknownRecord;
  readonly persistentVolumeClaim?: { readonly claimName?: string; readonly readOnly?: boolean };
  readonly [source: string]: unknown;
}

/** core/v1 ContainerPort. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort?: number;
}

/** core/v1 Probe, as far as its httpGet goes. */
export interface Probe {
  readonly httpGet?: { readonly port?: number | string; readonly path?: string; readonly scheme?: string };
}

/** core/v1 Container. */
export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly workingDir?: string;
  readonly env?: readonly EnvVar[];
  readonly ports?: readonly ContainerPort[];
  readonly volumeMounts?: readonly VolumeMount[];
  readonly securityContext?: { readonly readOnlyRootFilesystem?: boolean; readonly [field: string]: unknown };
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
}

/** core/v1 PodSpec. */
export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
}

/** core/v1 PersistentVolumeClaim (a StatefulSet's volumeClaimTemplates item). */
export interface PersistentVolumeClaim extends KubeObject {
  readonly spec?: {
    readonly resources?: { readonly requests?: Readonly<Record<string, string>> };
    readonly [field: string]: unknown;
  };
}

/** apps/v1 StatefulSet or Deployment: the pod template and, for a StatefulSet, its claims. */
export interface Workload extends KubeObject {
  readonly spec?: {
    readonly template?: { readonly metadata?: ObjectMeta; readonly spec?: PodSpec };
    readonly replicas?: number;
    readonly volumeClaimTemplates?: readonly PersistentVolumeClaim[];
    readonly [field: string]: unknown;
  };
}

/** core/v1 Service: its ports. */
export interface Service extends KubeObject {
  readonly spec?: {
    readonly ports?: ReadonlyArray<{
      readonly name?: string;
      readonly port?: number;
      readonly targetPort?: number | string;
    }>;
    readonly [field: string]: unknown;
  };
}

/** Gateway API v1 HTTPRoute: its rules' backends. */
export interface HTTPRoute extends KubeObject {
  readonly spec?: {
    readonly rules?: ReadonlyArray<{
      readonly backendRefs?: ReadonlyArray<{ readonly name?: string; readonly port?: number }>;
    }>;
    readonly [field: string]: unknown;
  };
}

/** core/v1 ConfigMap or Secret: their content by key. */
export interface ConfigData extends KubeObject {
  readonly data?: Readonly<Record<string, string>>;
  readonly stringData?: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, string>>;
}

/** helm-controller v2 HelmRelease: the chart it installs and its values. */
export interface HelmRelease extends KubeObject {
  readonly spec?: {
    readonly chart?: { readonly spec?: { readonly chart?: string; readonly version?: string } };
    readonly values?: UnknownRecord;
    readonly [field: string]: unknown;
  };
}

/** kustomize-controller v1 Kustomization: what it applies. */
export interface Kustomization extends KubeObject {
  readonly spec?: {
    readonly path?: string;
    readonly sourceRef?: { readonly kind?: string; readonly name?: string; readonly namespace?: string };
    readonly [field: string]: unknown;
  };
}

/** Whether an object is a StatefulSet or a Deployment. */
export function isWorkload(obj: KubeObject | undefined): obj is Workload {
  return obj?.kind === 'StatefulSet' || obj?.kind === 'Deployment';
}

/** Whether an object is of a kind (the guard for the kinds above). */
export function isKind<T extends KubeObject>(kind: string): (obj: KubeObject | undefined) => obj is T {
  return (obj: KubeObject | undefined): obj is T => obj?.kind === kind;
}
