import { spawnSync } from 'child_process';
import { rmSync } from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './tree';

const { bundle } = require('../../scripts/bundle.js') as { bundle(entry: string, outfile: string): unknown };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const built = new Map<string, string>();
process.on('exit', () => {
  for (const file of built.values()) rmSync(file, { force: true });
});

/** Bundles a project entry point once per test file, the way scripts/run.js does. */
function bundled(entry: string): string {
  if (!built.has(entry)) {
    const outfile = path.join(PROJECT_ROOT, 'dist', 'test', `${process.pid}-${path.basename(entry, '.ts')}.js`);
    bundle(entry, outfile);
    built.set(entry, outfile);
  }
  return built.get(entry)!;
}

/** Runs a project command (`npm run <cmd>` minus npm) with `input` on stdin. */
export function runCli(entry: string, args: string[], input = '', env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [bundled(entry), ...args], {
    cwd: PROJECT_ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
