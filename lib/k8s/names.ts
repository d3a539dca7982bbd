// Name rules of the Kubernetes API server and of the controllers that turn names into labels.

/** HTTPRoute hostname pattern (Gateway API v1.6.1 standard, httproutes CRD spec.hostnames items). */
export const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1123 label: Namespace names, and every name that becomes a label value or Service name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: names of most objects. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Helm's limit on a release name (helm v3 pkg/chartutil: ValidateReleaseName, 53 characters). */
export const HELM_RELEASE_NAME_MAX = 53;

/** Name errors of one object (metadata.name, metadata.namespace, the kinds whose names become labels). */
export function objectNameErrors(obj: any): string[] {
  const errors: string[] = [];
  const name = obj?.metadata?.name;
  const ns = obj?.metadata?.namespace;
  const id = `${obj?.kind}/${name}`;
  if (obj?.apiVersion === 'kustomize.config.k8s.io/v1beta1') {
    if (obj.namespace !== undefined && (!DNS_LABEL.test(obj.namespace) || obj.namespace.length > 63)) {
      errors.push(
        `kustomization namespace: '${obj.namespace}' is not a valid namespace name (RFC 1123 label, at most 63 characters)`,
      );
    }
    return errors;
  }
  const labelKinds = ['Namespace', 'HelmRelease', 'HTTPRoute', 'Kustomization'];
  const re = labelKinds.includes(obj.kind) ? DNS_LABEL : DNS_SUBDOMAIN;
  const max = labelKinds.includes(obj.kind) ? 63 : 253;
  if (typeof name !== 'string' || !re.test(name) || name.length > max) {
    errors.push(
      `${id} metadata.name: '${name}' is not a valid name (lowercase letters, digits and '-', at most ${max} characters)`,
    );
  }
  if (ns !== undefined && (!DNS_LABEL.test(ns) || ns.length > 63)) {
    errors.push(`${id} metadata.namespace: '${ns}' is not a valid namespace name`);
  }
  if (obj.kind === 'HelmRelease') {
    const release = obj.spec?.releaseName ?? (obj.spec?.targetNamespace ? `${obj.spec.targetNamespace}-${name}` : name);
    if (String(release).length > HELM_RELEASE_NAME_MAX)
      errors.push(`${id}: Helm release name '${release}' is longer than ${HELM_RELEASE_NAME_MAX} characters`);
  }
  if (
    obj.kind === 'Kustomization' &&
    obj.spec?.targetNamespace !== undefined &&
    !DNS_LABEL.test(obj.spec.targetNamespace)
  ) {
    errors.push(`${id} spec.targetNamespace: '${obj.spec.targetNamespace}' is not a valid namespace name`);
  }
  if (obj.kind === 'HTTPRoute') {
    for (const [i, p] of (obj.spec?.parentRefs ?? []).entries()) {
      if (!DNS_SUBDOMAIN.test(p.name ?? ''))
        errors.push(`${id} spec.parentRefs[${i}].name: '${p.name}' is not a valid Gateway name`);
      if (p.namespace !== undefined && !DNS_LABEL.test(p.namespace))
        errors.push(`${id} spec.parentRefs[${i}].namespace: '${p.namespace}' is not a valid namespace name`);
    }
  }
  return errors;
}
