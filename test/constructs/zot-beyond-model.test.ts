// valuesOverrides.image.tag past the zot model: the real version reaches the checks (issue 18 part 3).
import * as fs from 'fs';
import { appWith, synth, tempDir } from '../support/tree';

const dirs: string[] = [];
const dir = () => {
  dirs.push(tempDir('zot-flux-beyond-'));
  return dirs[dirs.length - 1];
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('image.tag v2.1.21 is synthesized, checked with the newest model and a warning naming both versions', () => {
  const r = synth(dir(), () => appWith({ release: { valuesOverrides: { image: { tag: 'v2.1.21' } } } }));
  expect([r.code, r.stderr]).toEqual([
    0,
    expect.stringContaining('zot v2.1.21 is newer than the newest modelled (v2.1.20)'),
  ]);
});

test('image.tag that is not a version is refused naming the field', () => {
  const r = synth(dir(), () => appWith({ release: { valuesOverrides: { image: { tag: 'latest' } } } }));
  expect([r.code, r.stderr]).toEqual([
    1,
    expect.stringContaining("valuesOverrides.image.tag: 'latest' is not a zot version (expected vX.Y.Z"),
  ]);
});
