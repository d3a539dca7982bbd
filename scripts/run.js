#!/usr/bin/env node
// Runs a TypeScript entry point of this project: bundles it (project code only, packages stay
// external) with esbuild into dist/, then loads it in this same process. The bundle is rebuilt only
// when one of the files it was built from changed (their list comes from esbuild's metafile).
// No type-check here: `npm test` runs `tsc --noEmit`. Usage: node scripts/run.js <entry.ts> [args...]
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/run.js <entry.ts> [args...]\n');
  process.exit(2);
}
const outfile = path.join(root, 'dist', path.basename(entry).replace(/\.ts$/, '.js'));
const inputsFile = outfile.replace(/\.js$/, '.inputs.json');

function upToDate() {
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  } catch {
    return false;
  }
  if (inputs.entry !== path.resolve(root, entry)) return false;
  const built = fs.statSync(outfile, { throwIfNoEntry: false });
  if (!built) return false;
  for (const f of inputs.files) {
    const s = fs.statSync(path.join(root, f), { throwIfNoEntry: false });
    if (!s || s.mtimeMs > built.mtimeMs) return false;
  }
  return true;
}

if (!upToDate()) {
  const metafile = require('./bundle').bundle(entry, outfile);
  const files = [...Object.keys(metafile.inputs), 'scripts/run.js', 'scripts/bundle.js'];
  fs.writeFileSync(inputsFile, JSON.stringify({ entry: path.resolve(root, entry), files }));
}
process.argv.splice(1, 2, outfile);
require('module').runMain();
