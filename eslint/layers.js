// The project's architecture as lint rules (eslint.config.js): lib/ is layered, imports point
// downward only, no cycles. README "Layout" draws the same picture.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');

/** Each layer's rank: a file may import its own folder or a lower rank; equal ranks are siblings that never import each other. */
const LAYERS = {
  core: 0,
  go: 1,
  zot: 2,
  flux: 2,
  k8s: 2,
  tools: 2,
  layout: 2,
  checks: 3,
  constructs: 4,
  fleet: 4,
  synth: 5,
  init: 5,
  diff: 5,
  cli: 6,
};
/** Layers that may load cdk8s (the construct library and what renders it). */
const CDK8S_LAYERS = new Set(['constructs', 'synth', 'cli']);
const CDK8S_PACKAGES = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
/** Layers that may read the generated classes and schemas in imports/. */
const IMPORTS_LAYERS = new Set(['constructs', 'k8s']);

function layerOf(file) {
  const rel = path.relative(LIB, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const top = rel.split(path.sep)[0];
  return top.endsWith('.ts') ? 'index' : top;
}

function resolve(fromFile, source) {
  if (!source.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), source);
  for (const c of [base + '.ts', path.join(base, 'index.ts'), base])
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return base;
}

function importSources(node) {
  if (
    node.type === 'ImportDeclaration' ||
    node.type === 'ExportAllDeclaration' ||
    node.type === 'ExportNamedDeclaration'
  ) {
    return node.source ? [node.source.value] : [];
  }
  if (node.type === 'ImportExpression' && node.source.type === 'Literal') return [node.source.value];
  if (node.type === 'CallExpression' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal')
    return [node.arguments[0].value];
  return [];
}

const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'lib/ layers import only downward; cdk8s only where constructs live' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    const inScripts = path.relative(ROOT, file).startsWith('scripts' + path.sep);
    function check(node) {
      for (const source of importSources(node)) {
        if (inScripts && /(^|\/)test\//.test(source)) {
          context.report({
            node,
            message: `scripts/ must not import test code ('${source}'): move what both need into lib/`,
          });
        }
        if (!from || from === 'index') continue;
        if (CDK8S_PACKAGES.includes(source) && !CDK8S_LAYERS.has(from)) {
          context.report({
            node,
            message: `lib/${from} must not load '${source}' (cdk8s lives in constructs, synth and cli only)`,
          });
          continue;
        }
        const target = resolve(file, source);
        if (!target) continue;
        if (path.relative(ROOT, target).startsWith('imports' + path.sep)) {
          if (!IMPORTS_LAYERS.has(from))
            context.report({ node, message: `lib/${from} must not import the generated imports/ ('${source}')` });
          continue;
        }
        const to = layerOf(target);
        if (!to) {
          context.report({ node, message: `lib/${from} imports '${source}', outside lib/` });
          continue;
        }
        if (to === from) continue;
        if (to === 'index') {
          context.report({ node, message: `lib/${from} must not import lib/index.ts (it re-exports everything)` });
          continue;
        }
        if (!(to in LAYERS)) {
          context.report({ node, message: `lib/${to} is not a known layer (eslint/layers.js LAYERS)` });
          continue;
        }
        if (!(from in LAYERS)) {
          context.report({ node, message: `lib/${from} is not a known layer (eslint/layers.js LAYERS)` });
          continue;
        }
        if (LAYERS[to] > LAYERS[from]) {
          context.report({
            node,
            message: `lib/${from} (layer ${LAYERS[from]}) must not import lib/${to} (layer ${LAYERS[to]}): imports point downward`,
          });
        } else if (LAYERS[to] === LAYERS[from]) {
          context.report({
            node,
            message: `lib/${from} must not import its sibling layer lib/${to}: move what both need lower`,
          });
        }
      }
    }
    return {
      ImportDeclaration: check,
      ExportAllDeclaration: check,
      ExportNamedDeclaration: check,
      ImportExpression: check,
      CallExpression: check,
    };
  },
};

// Cycles: the import graph of lib/ (relative imports, type-only ones included), built once per run.
let cycleMembers;
function cyclesInLib() {
  if (cycleMembers) return cycleMembers;
  const files = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  })(LIB);
  const graph = new Map();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const targets = [];
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
    )) {
      const t = resolve(f, m[1] ?? m[2]);
      if (t && graph !== undefined && files.includes(t)) targets.push(t);
    }
    graph.set(f, targets);
  }
  // Tarjan's strongly connected components: a component of two or more files (or a self-import) is a cycle.
  let index = 0;
  const idx = new Map(),
    low = new Map(),
    stack = [],
    on = new Set();
  cycleMembers = new Map();
  function strong(v) {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || graph.get(v).includes(v))
        for (const c of comp) cycleMembers.set(c, comp.map((x) => path.relative(ROOT, x)).sort());
    }
  }
  for (const f of files) if (!idx.has(f)) strong(f);
  return cycleMembers;
}

const noCycle = {
  meta: { type: 'problem', docs: { description: 'no import cycles in lib/' }, schema: [] },
  create(context) {
    return {
      Program(node) {
        const members = cyclesInLib().get(path.resolve(context.filename));
        if (members) context.report({ node, message: `import cycle in lib/: ${members.join(' <-> ')}` });
      },
    };
  },
};

module.exports = { rules: { layering, 'no-cycle': noCycle }, LAYERS };
