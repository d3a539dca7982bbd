// `npm run access`: the effective permission table of the generated zot config (or of any
// config.json), and `--can <user|anonymous> <action> <repository>` for one decision. The rules are
// zot's, per version: lib/zot/access.ts.
import * as fs from 'fs';
import { loadYamlAll } from '../core/yaml';
import { ZotFluxError } from '../core/error';
import { refuseDeepNesting } from '../core/nesting';
import { deployedZotVersion } from '../checks/zot-release';
import { appLayout } from '../layout/layout';
import {
  configAccess,
  DEFAULT_ZOT_VERSION,
  effectiveAccessTable,
  formatAccessTable,
  namedUsers,
  ZOT_ACTIONS,
  ZOT_VERSIONS,
  ZotAction,
  zotDecide,
  zotVersion,
} from '../zot/access';
import { advisoryLines } from '../zot/advisories';
import { isRepositoryName } from '../zot/glob';
import {
  EXIT_OK,
  EXIT_PROBLEM,
  Io,
  ParsedArgs,
  parseArgs,
  reportError,
  optionFile,
  UsageError,
  userPath,
} from './command';

const DEFAULT_HELM_RELEASE = appLayout('zot', 'zot').helmRelease;

export const ACCESS_USAGE = `usage: npm run access -- [--config FILE | --repo DIR] [--zot VERSION]
       npm run access -- [--config FILE | --repo DIR] [--zot VERSION] --can <user|anonymous> <action> <repository>

Prints who may read, create, update and delete which repositories, as zot decides it: for each
user, group, any signed-in user (defaultPolicy) and anonymous clients, and each repository key of
accessControl, what zot allows on the names it decides with that key (zot uses the longest
matching key only, then adminPolicy). Anonymous create/update/delete, missing authentication,
ambiguous keys and a signed-in user with less than anonymous are flagged with "!!".

  --config FILE    a zot config.json (default: the config.json inside the generated
                   ${DEFAULT_HELM_RELEASE})
  --repo DIR       the repository holding that HelmRelease (default: the folder you run npm in)
  --zot VERSION    the zot version whose rules apply; read: ${ZOT_VERSIONS.join(', ')}; a newer
                   one is decided with the newest read, an older one with the oldest, and says so
                   (default: the one the HelmRelease deploys; with --config, ${DEFAULT_ZOT_VERSION})
  --can U A R      one decision: may user U (or "anonymous") do action A (${ZOT_ACTIONS.join(', ')})
                   on repository R? Prints "allowed" (exit 0) or "denied" (exit 1). A U that
                   accessControl names nowhere is no user: said on stderr, exit 1, with what a
                   signed-in user of that name would get (only defaultPolicy)
  --help           this text

Exit codes: 0 printed (or allowed), 1 denied, undecidable or a problem found, 2 usage, 3 a bug in zot-flux.
`;

/** The config.json the HelmRelease carries (spec.values.configFiles["config.json"]), and the zot version it deploys. */
function configFromHelmRelease(file: string): { config: unknown; zot: string } {
  // lib/core/yaml.ts: a syntax error, nesting beyond 512 or an alias bomb is a ZotFluxError naming the file.
  const docs = loadYamlAll(fs.readFileSync(file, 'utf8'), file);
  const hr = docs.find(
    (d) => typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'HelmRelease',
  ) as { spec?: { values?: { configFiles?: Record<string, unknown> } } } | undefined;
  if (!hr) throw new ZotFluxError({ field: file, reason: 'holds no HelmRelease' });
  const text = hr.spec?.values?.configFiles?.['config.json'];
  if (typeof text !== 'string')
    throw new ZotFluxError({
      field: `${file}: spec.values.configFiles["config.json"]`,
      reason: 'is missing or not a string',
    });
  return { config: parseJson(text, `${file}: spec.values.configFiles["config.json"]`), zot: deployedZotVersion(hr) };
}

function parseJson(text: string, field: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ZotFluxError({ field, reason: `is not JSON: ${(e as Error).message}` });
  }
  refuseDeepNesting(value, field); // before the recursive walks of lib/zot/access.ts
  // zot reads its config through viper, which needs a map at the top (zot-verify says the same): `null`,
  // a list or a scalar is no config, so it grants nothing and answers nothing here.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ZotFluxError({
      field,
      value: value === null ? null : Array.isArray(value) ? '[...]' : value,
      reason: 'is not a JSON object: zot cannot read it as its config (viper ReadInConfig fails, zot exits)',
    });
  }
  return value;
}

export function accessCommand(argv: string[], io: Io): number {
  try {
    const args = parseArgs(argv, { values: ['config', 'repo', 'zot'], flags: ['can'] });
    if (args.help) {
      io.stdout(ACCESS_USAGE);
      return EXIT_OK;
    }
    const can = args.options.can === true;
    checkArguments(args, can);
    const read = readConfig(args, io);
    const { accessControl, authentication } = configAccess(read.config, read.v);
    if (can) return canCommand(args.positionals, accessControl, authentication, read.v, io);
    const advisories = advisoryLines(read.deployed, accessControl, { authentication });
    io.stdout(
      formatAccessTable(effectiveAccessTable(accessControl, read.v, { authentication })) +
        (advisories.length ? `\n${advisories.join('\n')}\n` : ''),
    );
    return EXIT_OK;
  } catch (e) {
    return reportError('access', e, io, ACCESS_USAGE);
  }
}

const asVersion = (x: string) => (x.startsWith('v') ? x : `v${x}`);

/** The arguments' shape: --can's three, nothing else positional, --config or --repo, --zot a zot version. */
function checkArguments(args: ParsedArgs, can: boolean): void {
  if (can && args.positionals.length !== 3)
    throw new UsageError('--can takes three arguments: <user|anonymous> <action> <repository>');
  if (can && args.positionals[0] === '')
    throw new UsageError("--can: the user is empty (give a user name, or 'anonymous')");
  if (!can && args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  if (args.options.config !== undefined && args.options.repo !== undefined)
    throw new UsageError('--config and --repo exclude each other');
  const given = args.options.zot as string | undefined;
  if (given !== undefined) {
    try {
      zotVersion(asVersion(given));
    } catch {
      throw new UsageError(
        `--zot: '${given}' is not a zot version (vX.Y.Z; the rules read are ${ZOT_VERSIONS.join(', ')})`,
      );
    }
  }
}

/** The version whose rules decide `x` (lib/zot/access.ts zotVersion), said on stderr when it is another. */
function rulesOf(x: string, field: string, io: Io): string {
  const read = zotVersion(asVersion(x), field);
  if (read !== asVersion(x)) {
    io.stderr(
      `access: note: zot ${asVersion(x)}'s authorization was not read here: decided with ${read}'s rules, the nearest read ` +
        `(zot main at 6d19b445, after v2.1.20: pkg/api/authz.go and authn.go unchanged from v2.1.20)\n`,
    );
  }
  return read;
}

/** The config (--config, else the HelmRelease under --repo), the version whose rules decide, the deployed version. */
function readConfig(args: ParsedArgs, io: Io): { config: unknown; v: string; deployed: string } {
  const configFile = args.options.config as string | undefined;
  const given = args.options.zot as string | undefined;
  const v = given === undefined ? DEFAULT_ZOT_VERSION : rulesOf(given, '--zot', io);
  const deployed = given === undefined ? DEFAULT_ZOT_VERSION : asVersion(given); // the advisories are the deployed version's
  if (configFile !== undefined) {
    const file = optionFile(io, configFile, '--config');
    return { config: parseJson(fs.readFileSync(file, 'utf8'), file), v, deployed };
  }
  const repo = userPath(io, (args.options.repo as string | undefined) ?? '.');
  const file = userPath({ ...io, cwd: repo }, DEFAULT_HELM_RELEASE);
  if (!fs.existsSync(file))
    throw new UsageError(
      `no ${DEFAULT_HELM_RELEASE} under '${repo}' (run npm run synth, give --repo DIR, or --config FILE)`,
    );
  const hr = configFromHelmRelease(file);
  // The HelmRelease's own zot (image.tag, else its chart's appVersion) unless --zot says otherwise.
  if (given === undefined) return { config: hr.config, v: rulesOf(hr.zot, file, io), deployed: hr.zot };
  return { config: hr.config, v, deployed };
}

/** `--can <user|anonymous> <action> <repository>`: allowed (exit 0), denied, or why there is no single answer. */
function canCommand(
  positionals: readonly string[],
  accessControl: unknown,
  authentication: boolean,
  v: string,
  io: Io,
): number {
  const [subject, action, repository] = positionals;
  if (!(ZOT_ACTIONS as readonly string[]).includes(action))
    throw new UsageError(`--can: '${action}' is not a zot action (${ZOT_ACTIONS.join(', ')})`);
  if (!isRepositoryName(repository))
    throw new UsageError(
      `--can: '${repository}' is not a repository name zot accepts (lowercase components of a-z 0-9 separated by . _ __ or -, joined by /)`,
    );
  const who = subject === 'anonymous' ? ('anonymous' as const) : { user: subject };
  const d = zotDecide(accessControl, who, action as ZotAction, repository, v, { authentication });
  // A name no policy, adminPolicy or group names is no user synth wrote (a typo answers "denied"
  // otherwise); zot would give a signed-in user of that name only defaultPolicy (authz.go isPermitted).
  if (who !== 'anonymous' && authentication && accessControl !== undefined && accessControl !== null) {
    const users = namedUsers(accessControl, v);
    if (!users.includes(subject)) {
      const as =
        d.verdict === 'ambiguous' ? 'no single answer' : d.verdict === 'conditional' ? 'conditional' : d.verdict;
      io.stderr(
        `access: '${subject}' is no user: accessControl names ${users.length ? users.join(', ') : 'no user'}. ` +
          `A signed-in user of that name (in the htpasswd file, in no policy) would get what any signed-in user gets: ${as}\n`,
      );
      return EXIT_PROBLEM;
    }
  }
  if (d.verdict === 'allowed' || d.verdict === 'denied') {
    io.stdout(`${d.verdict}\n`);
    return d.verdict === 'allowed' ? EXIT_OK : EXIT_PROBLEM;
  }
  io.stderr(
    `access: ${d.verdict === 'ambiguous' ? 'no single answer' : 'depends on policy conditions'}: ${d.reason}\n`,
  );
  return EXIT_PROBLEM;
}
