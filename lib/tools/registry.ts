import { ChildProcess, execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

export function onPath(bin: string): boolean {
  if (bin.startsWith('/')) return fs.existsSync(bin);
  return (process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, bin)));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Registry {
  readonly url: string;
  readonly host: string;
  stop(): Promise<void>;
}

/** Debian's docker-registry (distribution, Go bcrypt) with htpasswd auth on 127.0.0.1 and a free port. */
export async function startRegistry(dir: string, htpasswdFile: string): Promise<Registry> {
  const port = await freePort();
  const config = path.join(dir, 'registry.yml');
  fs.writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: error }',
      `storage: { filesystem: { rootdirectory: ${JSON.stringify(path.join(dir, 'data'))} } }`,
      `http: { addr: "127.0.0.1:${port}", secret: zot-flux-test }`,
      `auth: { htpasswd: { realm: zot-flux-test, path: ${JSON.stringify(htpasswdFile)} } }`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DOCKER_REGISTRY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log}`);
    try {
      const r = await fetch(`${url}/v2/`);
      if (r.status === 401 || r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`docker-registry did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes a small OCI image layout (one layer with one file) at `dir`, tag `latest`; returns the layer digest. */
export function writeOciImage(dir: string, message: string): string {
  const blobs = path.join(dir, 'blobs', 'sha256');
  fs.mkdirSync(blobs, { recursive: true });
  const { layer, diffId } = helloLayer(dir, message);
  const blob = (data: Buffer) => {
    const digest = sha256(data);
    fs.writeFileSync(path.join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: data.length };
  };
  const json = (value: unknown) => blob(Buffer.from(JSON.stringify(value)));
  const layerRef = blob(layer);
  const config = json({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerRef }],
  });
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return layerRef.digest;
}

/** A gzipped tar of one file hello.txt holding `message`, beside `dir`; and the digest of the uncompressed tar. */
function helloLayer(dir: string, message: string): { layer: Buffer; diffId: string } {
  const content = path.join(dir, '..', `${path.basename(dir)}-content`);
  fs.mkdirSync(content, { recursive: true });
  fs.writeFileSync(path.join(content, 'hello.txt'), message);
  const layerFile = path.join(dir, '..', `${path.basename(dir)}-layer.tar.gz`);
  execFileSync('tar', ['-czf', layerFile, '-C', content, 'hello.txt']);
  return { layer: fs.readFileSync(layerFile), diffId: sha256(execFileSync('gzip', ['-dc', layerFile])) };
}
