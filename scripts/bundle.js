// How this project bundles a TypeScript entry point for node: esbuild, project code only (packages
// stay external), CommonJS. Used by scripts/run.js and by the tests that run commands.
'use strict';
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** Bundles `entry` (relative to the project root) into `outfile`; returns esbuild's metafile. */
function bundle(entry, outfile) {
  return require('esbuild').buildSync({
    entryPoints: [path.resolve(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: ROOT,
  }).metafile;
}

module.exports = { bundle, ROOT };
