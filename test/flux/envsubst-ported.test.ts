// The expectations of the retired lib/flux/envsubst.ts tests that the Flux conformance data does not hold with the
// same input, ported to lib/flux/substitution.ts (the wrong ones — ${P##*/}, ${X/init}, ${1abc}, ${NAME:?x} —
// were dropped: the conformance data has Flux's real results for them). Each runs on both generations.
import { ZotFluxError } from '../../lib/core/error';
import { FluxGeneration } from '../../lib/flux/generation';
import { substituteText } from '../../lib/flux/substitution';

const vars = {
  CLUSTER_DOMAIN: 'killinit.cc',
  NAME: 'zot',
  EMPTY: '',
  HASH: 'admin:$2y$05$abc${NAME}$$x',
  ML: 'a\nb\nc',
};
const GENERATIONS: FluxGeneration[] = ['2.7', '2.9'];
const sub = (input: string, v: Record<string, string>, generation: FluxGeneration) =>
  substituteText(input, v, { generation, strict: false });

describe.each(GENERATIONS)('Flux %s', (generation) => {
  test.each([
    ['${NAME} $NAME $1 $ cost: 5$', vars, 'zot $NAME $1 $ cost: 5$'],
    ['a$$b $${NAME} $$$$', vars, 'a$b ${NAME} $$'],
    ['${P#[ab]/}', { P: 'a/b/c.tar.gz' }, 'b/c.tar.gz'],
    ['htpasswd: ${HASH}', vars, 'htpasswd: admin:$2y$05$abc${NAME}$$x'],
    ['x: ${ML}', vars, 'x: abc'],
    ['oci.${MISSING}', vars, 'oci.'],
    ['${EMPTY:=d} ${EMPTY:-d} ${EMPTY=d}', vars, 'd d d'],
    ['${UNSET:=d} ${UNSET:-d} ${UNSET=d}', vars, 'd d d'],
    ['${NAME:-d} ${NAME=d}', vars, 'zot zot'],
    ['${#CLUSTER_DOMAIN}', vars, '11'],
    ['${NAME^} ${NAME^^} ${CLUSTER_DOMAIN,} ${CLUSTER_DOMAIN,,}', vars, 'Zot ZOT killinit.cc killinit.cc'],
    ['${CLUSTER_DOMAIN:5} ${CLUSTER_DOMAIN:0:4} ${CLUSTER_DOMAIN:4:100}', vars, 'nit.cc kill init.cc'],
    ['${CLUSTER_DOMAIN:-3} ${CLUSTER_DOMAIN:x}', vars, 'killinit.cc killinit.cc'],
    ['${CLUSTER_DOMAIN#*i} ${CLUSTER_DOMAIN##*i}', vars, 'llinit.cc t.cc'],
    ['${CLUSTER_DOMAIN%.*} ${CLUSTER_DOMAIN%%i*}', vars, 'killinit k'],
    ['${CLUSTER_DOMAIN/i/I} ${CLUSTER_DOMAIN//i/I}', vars, 'kIllinit.cc kIllInIt.cc'],
    ['${CLUSTER_DOMAIN/#kill/fill} ${CLUSTER_DOMAIN/%cc/io}', vars, 'fillinit.cc killinit.io'],
    ['${UNSET:-${NAME}} ${EMPTY:=pre-${NAME}-post} ${NAME:-${UNSET}}', vars, 'zot pre-zot-post zot'],
  ])('%s', (input, v, want) => {
    expect(sub(input, v, generation)).toBe(want);
  });

  test.each([
    ['${ x }', 'unable to parse variable name'],
    ['${a.b}', 'missing closing brace'],
    ['${a-b}', 'missing closing brace'],
    ['${var+x}', 'missing closing brace'],
    ['${NAME', 'missing closing brace'],
    ['${NAME^x}', 'bad substitution'],
    ['${NAME^^${X}}', 'bad substitution'],
  ])('%s fails the reconciliation: %s', (text, reason) => {
    let error: unknown;
    try {
      sub(`key: ${text}`, vars, generation);
    } catch (e) {
      error = e;
    }
    expect(ZotFluxError.isZotFluxError(error)).toBe(true);
    expect((error as ZotFluxError).reason).toBe(reason);
  });
});
