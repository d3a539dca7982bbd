// The layering rules catch what they are for: an upward import, cdk8s below the constructs, a
// sibling layer, and scripts reaching into test code. The project itself passes them (npm test lints).
import * as path from 'path';
import { Linter } from 'eslint';
import * as tseslint from 'typescript-eslint';
import { PROJECT_ROOT } from '../support/tree';

const layers = require('../../eslint/layers');
const linter = new Linter({ configType: 'flat', cwd: PROJECT_ROOT });
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser as any },
    plugins: { local: layers },
    rules: { 'local/layering': 'error' as const },
  },
];

async function messages(file: string, code: string): Promise<string[]> {
  return linter.verify(code, config, path.join(PROJECT_ROOT, file)).map((m) => m.message);
}

test.each([
  [
    'lib/zot/example.ts',
    "import { ZotApp } from '../constructs/zot-app';\nexport const x = ZotApp;\n",
    'lib/zot (layer 2) must not import lib/constructs (layer 4)',
  ],
  ['lib/fleet/example.ts', "import { App } from 'cdk8s';\nexport const x = App;\n", "lib/fleet must not load 'cdk8s'"],
  [
    'lib/zot/example.ts',
    "import { substitute } from '../flux/envsubst';\nexport const x = substitute;\n",
    'must not import its sibling layer lib/flux',
  ],
  [
    'lib/checks/example.ts',
    "import { synthesize } from '../synth/synthesize';\nexport const x = synthesize;\n",
    'lib/checks (layer 3) must not import lib/synth (layer 5)',
  ],
  [
    'scripts/example.ts',
    "import { tempDir } from '../test/support/tree';\nexport const x = tempDir;\n",
    'scripts/ must not import test code',
  ],
])('%s: %s is refused', async (file, code, message) => {
  expect((await messages(file, code)).join('\n')).toContain(message);
});

test('a downward import passes', async () => {
  expect(
    await messages('lib/checks/example.ts', "import { refuse } from '../core/error';\nexport const x = refuse;\n"),
  ).toEqual([]);
});
