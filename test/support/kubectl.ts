export { findKubectl as kubectl, kustomizeBuild } from '../../lib/tools/kustomize';
