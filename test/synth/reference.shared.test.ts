// The seed tree means what the hand-written reference files (../shared/reference/anchor) meant,
// field by field. Needs ../shared: runs from .ci/run through `npm run test:shared`.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ANCHOR, appWith, doc, readTree, synth, tempDir } from '../support/tree';
import { effectiveAccessTable } from '../../lib/zot/access';

const APP = 'clusters/common/apps/zot';

function anchorDoc(rel: string): any {
  return yaml.load(fs.readFileSync(path.join(ANCHOR, rel), 'utf8'));
}

if (!fs.existsSync(ANCHOR)) throw new Error(`${ANCHOR} is missing: this suite needs ../shared beside the project`);

/** The seed, at the chart version the reference deploys (the default may have moved on). */
const REFERENCE_CHART = anchorDoc('clusters/common/apps/zot/app/helmrelease.yaml').spec.chart.spec.version;
const tree = (() => {
  const root = tempDir();
  synth(root, () => appWith({ release: { chartVersion: REFERENCE_CHART } }));
  return readTree(root);
})();

describe('the seed tree means what the hand-written reference files meant', () => {
  const run = test;

  run.each(['namespace.yaml', 'kustomization.yaml', 'app/kustomization.yaml', 'app/httproute.yaml'])(
    '%s is field-for-field the reference',
    (rel) => {
      expect(doc(tree, `${APP}/${rel}`)).toEqual(anchorDoc(`clusters/common/apps/zot/${rel}`));
    },
  );

  run('ks.yaml is the reference plus postBuild; with parentInjectsPostBuild it is exactly the reference', () => {
    const { postBuild, ...spec } = doc(tree, `${APP}/ks.yaml`).spec;
    expect(postBuild).toBeDefined();
    const reference = anchorDoc('clusters/common/apps/zot/ks.yaml');
    expect({ ...doc(tree, `${APP}/ks.yaml`), spec }).toEqual(reference);

    const root = tempDir();
    synth(root, () =>
      appWith({ release: { chartVersion: REFERENCE_CHART }, kustomization: { parentInjectsPostBuild: true } }),
    );
    expect(doc(readTree(root), `${APP}/ks.yaml`)).toEqual(reference);
  });

  run(
    'helmrelease.yaml is the reference, config.json equal as JSON, plus httpGet.port equal to the chart default',
    () => {
      const hr = doc(tree, `${APP}/app/helmrelease.yaml`);
      const ref = anchorDoc('clusters/common/apps/zot/app/helmrelease.yaml');
      const strip = (o: any) => {
        const { configFiles, httpGet, ...values } = o.spec.values;
        return { doc: { ...o, spec: { ...o.spec, values } }, config: JSON.parse(configFiles['config.json']), httpGet };
      };
      const mine = strip(hr);
      const theirs = strip(ref);
      expect(mine.doc).toEqual(theirs.doc);
      // Access is compared by meaning: zot's own evaluation (longest match, then adminPolicy) gives
      // the same answers for every subject, action and repository pattern.
      const { accessControl: mineAccess, ...mineRest } = mine.config.http;
      const { accessControl: theirAccess, ...theirRest } = theirs.config.http;
      expect({ ...mine.config, http: mineRest }).toEqual({ ...theirs.config, http: theirRest });
      const table = (ac: unknown) => effectiveAccessTable(ac, 'v2.1.14').rows;
      expect(table(mineAccess)).toEqual(table(theirAccess));
      expect(mine.httpGet).toEqual({ port: 5000 });
      expect(theirs.httpGet).toBeUndefined();
    },
  );

  run('the HelmRepository is the reference with https instead of http', () => {
    const ref = anchorDoc('clusters/common/flux/repositories/helm/zot.yaml');
    expect(ref.spec.url).toBe('http://zotregistry.dev/helm-charts');
    expect(doc(tree, 'clusters/common/flux/repositories/helm/zot.yaml')).toEqual({
      ...ref,
      spec: { ...ref.spec, url: 'https://zotregistry.dev/helm-charts' },
    });
  });
});
