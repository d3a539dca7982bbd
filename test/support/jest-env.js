// Every test process (and what it spawns) finds the tests' chart packages: test/fixtures/charts
// (committed: `npm test` runs offline, without ../shared) and, where it is beside the project,
// ../shared/charts/zot (every chart 0.1.98..0.1.122). synth renders each zot HelmRelease with them.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const dirs = [path.join(root, 'test', 'fixtures', 'charts'), path.join(root, '..', 'shared', 'charts', 'zot')].filter(
  (d) => fs.existsSync(d),
);
if (!process.env.ZOT_FLUX_CHARTS) process.env.ZOT_FLUX_CHARTS = dirs.join(path.delimiter);
