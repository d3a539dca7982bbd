#!/usr/bin/env node
// Runs a TypeScript entry point of this project: bundles it (project code only, packages stay
// external) with esbuild into dist/, then loads it in this same process. No type-check here:
// `npm test` runs `tsc --noEmit`. Usage: node scripts/run.js <entry.ts> [args...]
'use strict';
const path = require('path');
const { buildSync } = require('esbuild');

const root = path.resolve(__dirname, '..');
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/run.js <entry.ts> [args...]\n');
  process.exit(2);
}
const outfile = path.join(root, 'dist', path.basename(entry).replace(/\.ts$/, '.js'));
buildSync({
  entryPoints: [path.resolve(root, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.argv.splice(1, 2, outfile);
require('module').runMain();
