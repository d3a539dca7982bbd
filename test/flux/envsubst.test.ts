// Flux v2.7 postBuild substitution, behaviour by behaviour (../shared/reference/flux-facts.md).
import { findVariables, substitute, SubstitutionError } from '../../lib/flux/envsubst';

const vars = { CLUSTER_DOMAIN: 'killinit.cc', NAME: 'zot', EMPTY: '', HASH: 'admin:$2y$05$abc${NAME}$$x', ML: 'a\nb\nc' };

describe('what is an expression', () => {
  test('only the braced form is substituted; $var, $1 and a lone $ stay', () => {
    expect(substitute('${NAME} $NAME $1 $ cost: 5$', vars)).toBe('zot $NAME $1 $ cost: 5$');
  });

  test('$$ collapses to $ everywhere, so $${var} is a literal ${var}', () => {
    expect(substitute('a$$b $${NAME} $$$$', vars)).toBe('a$b ${NAME} $$');
  });

  test('findVariables lists the distinct names in order of first use, defaults included', () => {
    expect(findVariables('${B} ${A:=x} ${B} $${C} ${#D} ${E:-${F}}')).toEqual(['B', 'A', 'D', 'E', 'F']);
  });

  test('patterns are Go path.Match patterns: * and ? stop at /', () => {
    const path = { P: 'a/b/c.tar.gz' };
    expect(substitute('${P#*/}', path)).toBe('b/c.tar.gz');
    expect(substitute('${P##*/}', path)).toBe('b/c.tar.gz');
    expect(substitute('${P%.*}', path)).toBe('a/b/c.tar');
    expect(substitute('${P%%.*}', path)).toBe('a/b/c');
    expect(substitute('${P#[ab]/}', path)).toBe('b/c.tar.gz');
  });

  test('length counts bytes, as Go does', () => {
    expect(substitute('${#U}', { U: 'é' })).toBe('2');
  });
});

describe('values', () => {
  test('are inserted verbatim in one pass and never re-scanned (a bcrypt hash survives)', () => {
    expect(substitute('htpasswd: ${HASH}', vars)).toBe('htpasswd: admin:$2y$05$abc${NAME}$$x');
  });

  test('lose every newline', () => {
    expect(substitute('x: ${ML}', vars)).toBe('x: abc');
  });

  test('an undefined variable becomes empty (non-strict), or an error in strict mode', () => {
    expect(substitute('oci.${MISSING}', vars)).toBe('oci.');
    expect(() => substitute('oci.${MISSING}', vars, { strict: true })).toThrow("variable 'MISSING' in '${MISSING}' is not defined");
  });
});

describe('forms', () => {
  test.each([
    ['${EMPTY:=d}', 'd'], ['${EMPTY:-d}', 'd'], ['${EMPTY=d}', 'd'],
    ['${UNSET:=d}', 'd'], ['${UNSET:-d}', 'd'], ['${UNSET=d}', 'd'],
    ['${NAME:-d}', 'zot'], ['${NAME=d}', 'zot'],
    ['${#CLUSTER_DOMAIN}', '11'],
    ['${NAME^}', 'Zot'], ['${NAME^^}', 'ZOT'], ['${CLUSTER_DOMAIN,}', 'killinit.cc'], ['${CLUSTER_DOMAIN,,}', 'killinit.cc'],
    ['${CLUSTER_DOMAIN:5}', 'nit.cc'], ['${CLUSTER_DOMAIN:0:4}', 'kill'],
    ['${CLUSTER_DOMAIN#*i}', 'llinit.cc'], ['${CLUSTER_DOMAIN##*i}', 't.cc'],
    ['${CLUSTER_DOMAIN%.*}', 'killinit'], ['${CLUSTER_DOMAIN%%i*}', 'k'],
    ['${CLUSTER_DOMAIN/i/I}', 'kIllinit.cc'], ['${CLUSTER_DOMAIN//i/I}', 'kIllInIt.cc'],
    ['${CLUSTER_DOMAIN/#kill/fill}', 'fillinit.cc'], ['${CLUSTER_DOMAIN/%cc/io}', 'killinit.io'],
    ['${CLUSTER_DOMAIN/init}', 'kill.cc'], ['${CLUSTER_DOMAIN:-3}', 'killinit.cc'], ['${CLUSTER_DOMAIN:x}', 'killinit.cc'],
    ['${CLUSTER_DOMAIN:4:100}', 'init.cc'],
    ['${UNSET:-${NAME}}', 'zot'], ['${EMPTY:=pre-${NAME}-post}', 'pre-zot-post'], ['${NAME:-${UNSET}}', 'zot'],
  ])('%s → %s', (expr, out) => {
    expect(substitute(expr, vars)).toBe(out);
  });
});

describe('errors, never a silent pass', () => {
  test.each([
    ['${ x }', 'a variable name must match'],
    ['${a.b}', "'.' after the variable name is not an operator"],
    ['${a-b}', "'-' after the variable name is not an operator"],
    ['${var-d}', "'-' after the variable name"],
    ['${var+x}', "'+' after the variable name"],
    ['${}', 'a variable name must match'],
    ['${1abc}', 'a variable name must match'],
    ['${NAME', "no closing '}'"],
    ['${NAME^x}', 'case operators take no argument'],
    ['${NAME:?x}', "':?' is not an operator flux knows"],
    ['${NAME^^${X}}', 'only a default value may hold another ${...}'],
  ])('%s fails: %s', (text, message) => {
    expect(() => substitute(`key: ${text}`, vars)).toThrow(SubstitutionError);
    expect(() => substitute(`key: ${text}`, vars)).toThrow(message);
    expect(() => findVariables(text)).toThrow(SubstitutionError);
  });

  test('the error names the expression and its line', () => {
    expect(() => findVariables('a: 1\nb: ${a.b}\n')).toThrow("flux cannot parse '${a.b}' (line 2)");
  });

  test('a variable whose name Flux rejects (a ConfigMap key like tls.crt) fails the whole substitution', () => {
    expect(() => substitute('${NAME}', { ...vars, 'tls.crt': 'x' })).toThrow("variable name 'tls.crt' is not valid for flux");
  });
});
