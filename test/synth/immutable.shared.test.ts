// synth's warning about changes the API server refuses in place compares values, not rendered
// objects (lib/synth/immutable.ts). Two proofs against the chart itself:
//   1. every shipped chart's templates: each immutable field of the workload, and its name and
//      namespace, read only values the model compares (nothing it reads can change unseen);
//   2. the real helm: for edits of the values, on one chart of each distinct set of immutable
//      templates (lib/zot/chart-facts.json), the fields that differ between the two rendered
//      workloads (lib/checks/immutable-changes.ts, the API server's rules) are the fields synth warns about.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { MUTABLE_STATEFULSET_FIELDS, refusedChanges } from '../../lib/checks/immutable-changes';
import { IDENTITY_INPUTS, IMMUTABLE_FIELD_INPUTS, immutableValueWarnings } from '../../lib/synth/immutable';
import { Plan } from '../../lib/synth/plan';
import { helmTemplate } from '../../lib/tools/helm';
import { chartFact, SHIPPED_CHART_VERSIONS } from '../../lib/zot/chart-versions';
import { SHARED, tempDir } from '../support/tree';

const CHARTS = path.join(SHARED, 'charts', 'zot');
const pkg = (v: string) => path.join(CHARTS, `zot-${v}.tgz`);

function unpack(v: string): string {
  const dir = tempDir('zot-flux-chart-');
  execFileSync('tar', ['xzf', pkg(v), '-C', dir]);
  return path.join(dir, 'zot');
}

const refs = (text: string) => [...text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => m[1].slice(1));

/** The values a helper reads, following its includes. */
function helperRefs(helpers: string, name: string, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const m = new RegExp(
    `\\{\\{-? define "${name.replace(/\./g, '\\.')}" -?\\}\\}([\\s\\S]*?)\\{\\{-? end -?\\}\\}\\s*(?:\\{\\{/\\*|$)`,
  ).exec(helpers);
  const body = m ? m[1] : '';
  return [...refs(body), ...[...body.matchAll(/include "([^"]+)"/g)].flatMap((i) => helperRefs(helpers, i[1], seen))];
}

/** A block's own references, its template variables' and its helpers'. */
function blockRefs(block: string, variables: Map<string, string>, helpers: string): string[] {
  const defs = [...variables]
    .filter(([v]) => block.includes(v))
    .map(([, d]) => d)
    .join('\n');
  const all = block + '\n' + defs;
  return [...refs(all), ...[...all.matchAll(/include "([^"]+)"/g)].flatMap((i) => helperRefs(helpers, i[1]))];
}

/** The template text of each top-level spec field (up to `template:`); an `if` at field indentation belongs to the field after it. */
function specBlocks(template: string): Map<string, string> {
  const lines = template.split('\n');
  const start = lines.findIndex((l) => /^spec:\s*$/.test(l));
  const blocks = new Map<string, string[]>();
  let current: string | undefined;
  let pending: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const field = /^ {2}([A-Za-z]+):/.exec(line);
    if (field) {
      current = field[1];
      if (current === 'template') break;
      blocks.set(current, [...(blocks.get(current) ?? []), ...pending, line]);
      pending = [];
    } else if (/^ {2}\{\{-?\s*(if|with|range)\b/.test(line) || current === undefined) {
      pending.push(line);
    } else {
      blocks.get(current)!.push(line);
    }
  }
  return new Map([...blocks].map(([k, v]) => [k, v.join('\n')]));
}

describe('every shipped chart: the immutable fields read only values synth compares', () => {
  test.each(SHIPPED_CHART_VERSIONS)('chart %s', (v) => {
    const dir = unpack(v);
    const helpers = fs.readFileSync(path.join(dir, 'templates', '_helpers.tpl'), 'utf8');
    const values = yaml.load(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) as any;
    expect(values.persistence).toBe(false); // the workload is a Deployment unless persistence is set
    for (const kind of ['StatefulSet', 'Deployment']) {
      const template = fs.readFileSync(path.join(dir, 'templates', `${kind.toLowerCase()}.yaml`), 'utf8');
      const head = template.slice(0, template.indexOf('\nspec:'));
      const variables = new Map<string, string>();
      for (const l of head.split('\n')) {
        const m = /\{\{-?\s*(\$\w+)\s*:=/.exec(l);
        if (m) variables.set(m[1], l);
      }
      // the guard and the object's name and namespace
      const identity = blockRefs(
        head
          .split('\n')
          .filter((l) => !/:=/.test(l))
          .join('\n'),
        new Map(),
        helpers,
      );
      const labelsAndAnnotations = ['deploymentAnnotations']; // metadata that is not identity: mutable
      for (const r of identity) expect([...IDENTITY_INPUTS, 'persistence', ...labelsAndAnnotations]).toContain(r);
      for (const [field, block] of specBlocks(template)) {
        const key = `${kind}.spec.${field}`;
        const mutable = kind === 'StatefulSet' ? MUTABLE_STATEFULSET_FIELDS.includes(field) : field !== 'selector';
        if (mutable) {
          expect(IMMUTABLE_FIELD_INPUTS[key]).toBeUndefined();
          continue;
        }
        const inputs = Object.keys(IMMUTABLE_FIELD_INPUTS[key] ?? {});
        // `.Values.serviceHeadless` appears only as the guard of `.Values.serviceHeadless.enabled`
        for (const r of blockRefs(block, variables, helpers))
          expect({ key, r, known: [...inputs, ...IDENTITY_INPUTS, 'serviceHeadless'].includes(r) }).toEqual({
            key,
            r,
            known: true,
          });
      }
    }
    // the model's defaults: a claim template unless pvc.create is false (0.1.101 on), no headless Service
    if (v !== '0.1.98' && v !== '0.1.99' && v !== '0.1.100') expect(values.pvc.create).toBe(true);
    expect(values.serviceHeadless.enabled).toBe(false);
  });
});

describe('the real helm: the fields that differ between the rendered workloads are the fields synth warns about', () => {
  // one chart per distinct set of immutable templates (chart-facts.json immutable hashes)
  const signatures = new Map<string, string>();
  for (const v of SHIPPED_CHART_VERSIONS) signatures.set(JSON.stringify(chartFact(v).immutable), v);
  const charts = [...signatures.values()];

  const base = { persistence: true, pvc: { create: true, storage: '20Gi', accessModes: ['ReadWriteOnce'] } };
  const edits: Array<[string, (v: any) => void]> = [
    [
      'storage grows',
      (v) => {
        v.pvc.storage = '30Gi';
      },
    ],
    [
      'accessModes',
      (v) => {
        v.pvc.accessModes = ['ReadWriteMany'];
      },
    ],
    [
      'accessMode (singular)',
      (v) => {
        v.pvc.accessMode = 'ReadWriteMany';
      },
    ],
    [
      'storageClassName',
      (v) => {
        v.pvc.storageClassName = 'fast';
      },
    ],
    [
      'pvc.name',
      (v) => {
        v.pvc.name = 'data';
      },
    ],
    [
      'pvc.create false',
      (v) => {
        v.pvc.create = false;
      },
    ],
    [
      'headless Service',
      (v) => {
        v.serviceHeadless = { enabled: true };
      },
    ],
    [
      'nameOverride inside the release name (selector only)',
      (v) => {
        v.nameOverride = 'zo';
      },
    ],
    [
      'nameOverride (renamed)',
      (v) => {
        v.nameOverride = 'registry';
      },
    ],
    [
      'fullnameOverride',
      (v) => {
        v.fullnameOverride = 'registry';
      },
    ],
    [
      'namespace',
      (v) => {
        v.namespace = 'other';
      },
    ],
    [
      'persistence off',
      (v) => {
        v.persistence = false;
      },
    ],
    [
      'replicas',
      (v) => {
        v.replicaCount = 3;
      },
    ],
    [
      'image tag',
      (v) => {
        v.image = { tag: 'v2.1.18' };
      },
    ],
    [
      'pod annotations',
      (v) => {
        v.podAnnotations = { a: 'b' };
      },
    ],
    [
      'service type',
      (v) => {
        v.service = { type: 'ClusterIP', port: 5000 };
      },
    ],
    [
      'Deployment: nameOverride inside the release name',
      (v) => {
        v.persistence = false;
        v.nameOverride = 'zo';
      },
    ],
  ];
  // pvc.create false on charts up to 0.1.100: the template ignores it; the model warns anyway (documented over-warning)
  const overWarn = (chart: string, name: string) => name === 'pvc.create false' && chart === '0.1.100';

  const workload = (objects: any[]) => objects.find((o) => o?.kind === 'StatefulSet' || o?.kind === 'Deployment');
  const render = (chart: string, values: any) =>
    (yaml.loadAll(helmTemplate({ chart: pkg(chart), releaseName: 'zot', namespace: 'zot', values })) as any[]).filter(
      Boolean,
    );
  const hr = (chart: string, values: any) =>
    yaml.dump({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'zot', namespace: 'zot' },
      spec: { chart: { spec: { chart: 'zot', version: chart } }, values },
    });
  const warned = (chart: string, before: any, after: any): string[] => {
    const plan: Plan = {
      root: '/',
      adopting: false,
      adopted: [],
      released: [],
      changes: [{ path: 'app/helmrelease.yaml', kind: 'write', before: hr(chart, before), after: hr(chart, after) }],
    };
    return immutableValueWarnings(plan)
      .map((w) => /changes the \w+'s (\S+),/.exec(w.reason)?.[1] ?? 'replaced (PVCs left behind)')
      .sort();
  };
  const rendered = (b: any, a: any): string[] => {
    if (
      b.kind === 'StatefulSet' &&
      (a.kind !== b.kind || a.metadata.name !== b.metadata.name || a.metadata.namespace !== b.metadata.namespace)
    )
      return ['replaced (PVCs left behind)'];
    if (a.kind !== b.kind || a.metadata.name !== b.metadata.name || a.metadata.namespace !== b.metadata.namespace)
      return [];
    return refusedChanges(b, a)
      .map((r) => r.field)
      .sort();
  };

  test.each(charts)('chart %s', (chart) => {
    const rows: Array<{ edit: string; rendered: string[]; warned: string[] }> = [];
    const baseObjects = render(chart, base);
    for (const [name, edit] of edits) {
      const after = JSON.parse(JSON.stringify(base));
      edit(after);
      const before = name.startsWith('Deployment') ? { ...base, persistence: false } : base;
      const r = rendered(
        workload(name.startsWith('Deployment') ? render(chart, before) : baseObjects),
        workload(render(chart, after)),
      );
      rows.push({ edit: name, rendered: r, warned: overWarn(chart, name) ? r : warned(chart, before, after) });
    }
    for (const row of rows) expect(row.warned).toEqual(row.rendered);
    // the cases mean something: a refusal, a replacement and a harmless change are all among them
    expect(rows.find((r) => r.edit === 'storage grows')!.rendered).toEqual(['spec.volumeClaimTemplates']);
    expect(rows.find((r) => r.edit === 'persistence off')!.rendered).toEqual(['replaced (PVCs left behind)']);
    expect(rows.find((r) => r.edit === 'replicas')!.rendered).toEqual([]);
    expect(rows.find((r) => r.edit.startsWith('Deployment'))!.rendered).toEqual(['spec.selector']);
  });
});
