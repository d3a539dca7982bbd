// Go's path.Clean (lib/go/path.ts) against Go's own table: golang/go src/path/path_test.go, cleantests
// (TestClean also checks that Clean(result) is result).
import { goPathClean } from '../../lib/go/path';

const CLEAN: Array<[string, string]> = [
  // Already clean
  ['', '.'],
  ['abc', 'abc'],
  ['abc/def', 'abc/def'],
  ['a/b/c', 'a/b/c'],
  ['.', '.'],
  ['..', '..'],
  ['../..', '../..'],
  ['../../abc', '../../abc'],
  ['/abc', '/abc'],
  ['/', '/'],
  // Remove trailing slash
  ['abc/', 'abc'],
  ['abc/def/', 'abc/def'],
  ['a/b/c/', 'a/b/c'],
  ['./', '.'],
  ['../', '..'],
  ['../../', '../..'],
  ['/abc/', '/abc'],
  // Remove doubled slash
  ['abc//def//ghi', 'abc/def/ghi'],
  ['//abc', '/abc'],
  ['///abc', '/abc'],
  ['//abc//', '/abc'],
  ['abc//', 'abc'],
  // Remove . elements
  ['abc/./def', 'abc/def'],
  ['/./abc/def', '/abc/def'],
  ['abc/.', 'abc'],
  // Remove .. elements
  ['abc/def/ghi/../jkl', 'abc/def/jkl'],
  ['abc/def/../ghi/../jkl', 'abc/jkl'],
  ['abc/def/..', 'abc'],
  ['abc/def/../..', '.'],
  ['/abc/def/../..', '/'],
  ['abc/def/../../..', '..'],
  ['/abc/def/../../..', '/'],
  ['abc/def/../../../ghi/jkl/../../../mno', '../../mno'],
  // Combinations
  ['abc/./../def', 'def'],
  ['abc//./../def', 'def'],
  ['abc/../../././../def', '../../def'],
];

describe('path.Clean (path_test.go: cleantests)', () => {
  test.each(CLEAN)('%j → %j', (path, result) => {
    expect(goPathClean(path)).toBe(result);
    expect(goPathClean(result)).toBe(result);
  });
});

// Moved from test/zot/startup.test.ts ('Go semantics the model relies on'): the cases zot's checks rely on.
describe('as the zot checks use it', () => {
  test('path.Clean', () => {
    expect(goPathClean('/metrics/')).toBe('/metrics');
    expect(goPathClean('')).toBe('.');
    expect(goPathClean('/a/../b')).toBe('/b');
  });
});
