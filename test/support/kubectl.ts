export { findKubectl as kubectl, kustomizeBuild } from '../../lib/kustomize';
