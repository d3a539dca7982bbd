// Who may do what on which repository, as zot decides it — and the compiler from declared intent to
// zot's accessControl that makes zot's decision equal the intent. One module per concern:
//   access-model.ts    the zot versions read, accessControl read the way zot reads config.json
//   access-decide.ts   zot's decision for one request (zot v2.1.14..v2.1.20 pkg/api/authz.go, authn.go)
//   access-compile.ts  intent → accessControl (compileAccess, padGlob, intentAllows)
//   access-table.ts    the effective permission table (effectiveAccessTable, formatAccessTable)

export {
  configAccess,
  DEFAULT_ZOT_VERSION,
  METHOD_ACTIONS,
  readAccessControl,
  ZOT_ACTIONS,
  ZOT_VERSIONS,
  zotVersion,
} from './access-model';
export type { ZotAccessModel, ZotAction, ZotPolicyGroupModel, ZotPolicyModel } from './access-model';
export { longestPatterns, namedUsers, UndecidedAccess, zotCan, zotDecide } from './access-decide';
export type { DecideOptions, Decision, Verdict, Who } from './access-decide';
export { compileAccess, intentAllows, padGlob } from './access-compile';
export type {
  AccessGrant,
  AccessIntent,
  CompiledAccessControl,
  CompiledPolicy,
  CompiledRepositoryAccess,
  GroupIntent,
  UserIntent,
} from './access-compile';
export { effectiveAccessTable, formatAccessTable } from './access-table';
export type { AccessRow, AccessTable } from './access-table';
