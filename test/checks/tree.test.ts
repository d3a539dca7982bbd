// synth's own check (lib/checks/tree.ts validateFiles) looks at the objects Flux substitutes, parsed, with the
// project's Flux module, against the CRDs of both Flux generations: comments are not part of any object, an
// exact opt-out is respected, and what either generation would refuse is refused.
import { ZotFluxError } from '../../lib/core/error';
import { fluxVariableNames, validateFiles } from '../../lib/checks/tree';
import { seedTree } from '../support/tree';

const KS = 'clusters/common/apps/zot/ks.yaml';
const ROUTE = 'clusters/common/apps/zot/app/httproute.yaml';

function problems(change: (tree: Map<string, string>) => void): string[] {
  const tree = seedTree();
  change(tree);
  try {
    validateFiles(tree);
    return [];
  } catch (e) {
    if (!ZotFluxError.isZotFluxError(e)) throw e;
    return e.problems.map((p) => `${p.field}: ${p.reason}`);
  }
}

const edit = (file: string, f: (t: string) => string) => (tree: Map<string, string>) =>
  tree.set(file, f(tree.get(file)!));

test('the generated tree passes', () => {
  expect(problems(() => undefined)).toEqual([]);
});

test('a ${ x } inside a YAML comment is not refused (Flux never sees comments); the same in a value is', () => {
  expect(problems(edit(ROUTE, (t) => `${t}# note: \${ x } is not an expression here\n`))).toEqual([]);
  expect(
    problems(edit(ROUTE, (t) => t.replace('  annotations:\n', '  annotations:\n    note: cost ${ x }\n'))),
  ).toEqual([
    `${ROUTE}: flux cannot parse '\${ x }' (line 7): unable to parse variable name (flux would fail the whole reconciliation on every cluster)`,
  ]);
});

test("an object that opts out exactly ('disabled') is applied as written; 'Disabled' does not opt out", () => {
  const withNote = (value: string) =>
    edit(ROUTE, (t) =>
      t.replace(
        '  annotations:\n',
        () =>
          `  labels:\n    kustomize.toolkit.fluxcd.io/substitute: ${value}\n  annotations:\n    note: cost \${a-b}\n`,
      ),
    );
  // Opted out: not substituted, so the hostname keeps its literal ${CLUSTER_DOMAIN}, which the CRD refuses.
  expect(problems(withNote('disabled'))).toEqual([
    expect.stringMatching(
      /^clusters\/common\/apps\/zot\/app\/httproute\.yaml: HTTPRoute\/zot spec\.hostnames\[0\]: 'oci\.\$\{CLUSTER_DOMAIN\}' does not match/,
    ),
  ]);
  expect(problems(withNote('Disabled'))).toEqual([
    `${ROUTE}: flux cannot parse '\${a-b}' (line 9): missing closing brace (flux would fail the whole reconciliation on every cluster)`,
  ]);
});

test('what only one Flux generation refuses is refused: a Flux 2.9 field on a tree that must also reconcile on 2.7', () => {
  expect(
    problems(edit(KS, (t) => t.replace('  postBuild:\n', '  postBuild:\n    substituteStrategy: Always\n'))),
  ).toEqual([
    `${KS}: Kustomization/zot spec.postBuild.substituteStrategy: unknown field (not in the CRD schema) (Flux v2.7.5 CRDs)`,
  ]);
});

test('fluxVariableNames: the names in order of first use; a parse error names the expression and its line', () => {
  expect(fluxVariableNames('${B} ${A:=x} ${B} $${C} ${#D} ${E:-${F}}')).toEqual(['B', 'A', 'D', 'E', 'F']);
  expect(() => fluxVariableNames('a: 1\nb: ${a.b}\n')).toThrow(
    "flux cannot parse '${a.b}' (line 2): missing closing brace",
  );
});
