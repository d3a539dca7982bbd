// `npm run init`: options, messages and exit codes. The work is in lib/init/.
import * as fs from 'fs';
import { DEFAULT_APPS_DIR, DEFAULT_HELM_REPOSITORIES_DIR } from '../layout/layout';
import { fluxGeneration, INIT_FLUX_GENERATIONS } from '../init/flux-api';
import { initPaths } from '../init/files';
import { InitResult, runInit } from '../init/init';
import { checkInitOptions, DEFAULT_APP, DEFAULT_BRANCH, InitOptions } from '../init/options';
import { ZotFluxError } from '../core/error';
import { EXIT_OK, EXIT_PROBLEM, Io, ParsedArgs, parseArgs, reportError, UsageError, userPath } from './command';
import { nothingWrittenAfter } from './failure';

export const INIT_USAGE = `usage: npm run init -- --repo DIR --cluster NAME [--domain DOMAIN] [--flux ${INIT_FLUX_GENERATIONS.join('|')}]
                      [--git-url URL] [--branch BRANCH] [--age-recipient AGE_PUBLIC_KEY]...
                      [--apps-dir DIR] [--helm-repositories-dir DIR] [--app NAME]
                      [--mkdir] [--dry-run] [--quiet]

Adds to a GitOps repository what the generated app needs and the repository lacks: the cluster's
Flux entry point (clusters/NAME/flux: GitRepository, Kustomizations 'cluster' and 'common-cluster',
the ConfigMap cluster-settings), the parent Kustomization of the common apps and the shared vars
(clusters/common/flux), a .sops.yaml rule for the secrets file, and how to create that file.
It never changes a file that exists: it says what it created, what it left alone, and which
hand-written kustomization.yaml lacks an entry (with the entry to add). Running it again
creates nothing. It writes every file or none.

  --repo DIR                   the repository root; relative to the folder you run npm in; must exist
  --mkdir                      create --repo (and its parents) when it does not exist
  --cluster NAME               the cluster (its folder under clusters/)
  --domain DOMAIN              the cluster's CLUSTER_DOMAIN (zot is served at oci.DOMAIN); without it
                               the value is empty, and fleet-check fails until it is set
  --flux GEN                   the Flux generation the cluster runs: ${INIT_FLUX_GENERATIONS.join(' or ')}. Declared for
                               fleet-check and render in clusters/NAME/flux/flux-system/kustomization.yaml
                               (a kustomize-controller image pin), unless the cluster's files already
                               say which Flux runs; without it nothing is declared and fleet-check
                               assumes 2.9 (and says so)
  --git-url URL                where Flux clones the repository from (http(s):// or ssh://);
                               without it a placeholder that init keeps reporting
  --branch BRANCH              the branch Flux follows (default ${DEFAULT_BRANCH})
  --age-recipient KEY          an age public key (age1...) of the secrets file, for .sops.yaml;
                               repeatable; without it a placeholder that sops refuses
  --apps-dir DIR               as synth's layout.appsDir (default ${DEFAULT_APPS_DIR})
  --helm-repositories-dir DIR  as synth's layout.helmRepositoriesDir
                               (default ${DEFAULT_HELM_REPOSITORIES_DIR})
  --app NAME                   the app folder under --apps-dir (main.ts's ZotApp name; default ${DEFAULT_APP})
  --dry-run                    write nothing; print what init would do
  --quiet                      no created/left-alone/next lines: only the to-dos, the files that
                               need your edit, errors and the summary line
  --help                       this text

Exit codes: 0 done (to-dos may remain), 2 usage error (an unknown option, a malformed value such as
--cluster, --domain, --git-url or --age-recipient), 1 refused (nothing written), an existing file needs
your edit (listed), or the machine refused (full disk, read-only folder: the message names the
path and what to do), 3 a bug in zot-flux (printed with its stack).
`;

const INIT_OPTIONS = {
  values: [
    'repo',
    'cluster',
    'domain',
    'flux',
    'git-url',
    'branch',
    'age-recipient',
    'apps-dir',
    'helm-repositories-dir',
    'app',
  ],
  flags: ['mkdir', 'dry-run', 'quiet'],
  repeatable: ['age-recipient'],
};

export function initCommand(argv: string[], io: Io): number {
  try {
    const args = parseArgs(argv, INIT_OPTIONS);
    if (args.help) {
      io.stdout(INIT_USAGE);
      return EXIT_OK;
    }
    const options = initOptions(args);
    const dryRun = args.options['dry-run'] === true;
    const repo = repoFolder(io, args, dryRun);
    const result = runInit(repo, options, { dryRun });
    return report(io, result, repo, args.options.repo as string, dryRun, args.options.quiet === true);
  } catch (e) {
    const code = reportError('init', e, io, INIT_USAGE);
    if (nothingWrittenAfter(e)) io.stderr('nothing was written\n');
    return code;
  }
}

/** The options init runs with; a malformed value (--cluster, --domain, --git-url, --age-recipient...) is a usage error, found before --mkdir. */
function initOptions(args: ParsedArgs): InitOptions {
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const opt = (name: string) => args.options[name] as string | undefined;
  if (opt('repo') === undefined) throw new UsageError('--repo DIR is required');
  if (opt('cluster') === undefined) throw new UsageError('--cluster NAME is required');
  if (opt('flux') !== undefined && !INIT_FLUX_GENERATIONS.includes(opt('flux') as never)) {
    throw new UsageError(`--flux: '${opt('flux')}' is not one of ${INIT_FLUX_GENERATIONS.join(', ')}`);
  }
  const options = {
    cluster: opt('cluster')!,
    domain: opt('domain'),
    flux: opt('flux') === undefined ? undefined : fluxGeneration(opt('flux')),
    gitUrl: opt('git-url'),
    branch: opt('branch'),
    ageRecipients: (args.options['age-recipient'] as string[] | undefined) ?? [],
    appsDir: opt('apps-dir'),
    helmRepositoriesDir: opt('helm-repositories-dir'),
    app: opt('app'),
  };
  try {
    checkInitOptions(options);
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e)) throw new UsageError(e.message);
    throw e;
  }
  return options;
}

/** The --repo folder: it must exist (with --mkdir it is made, unless --dry-run). */
function repoFolder(io: Io, args: ParsedArgs, dryRun: boolean): string {
  const repo = userPath(io, args.options.repo as string);
  const stat = fs.statSync(repo, { throwIfNoEntry: false });
  if (!stat && args.options.mkdir === true && !dryRun) fs.mkdirSync(repo, { recursive: true });
  else if (!stat?.isDirectory()) {
    throw new UsageError(
      `--repo: '${repo}' ${stat ? 'is not a folder' : 'does not exist (give the root of an existing repository, or add --mkdir)'}`,
    );
  }
  return repo;
}

/** What init did (or would do), the summary line and the next step; exit 1 when an existing file needs an edit. */
function report(io: Io, result: InitResult, repo: string, given: string, dryRun: boolean, quiet: boolean): number {
  const verb = dryRun ? 'would create' : 'created     ';
  for (const line of result.recovered) io.stderr(`init: ${line}\n`);
  if (!quiet) for (const f of result.create.keys()) io.stdout(`${verb} ${f}\n`);
  if (!quiet) for (const n of result.leftAlone) io.stdout(`left alone   ${n.path} (${n.what})\n`);
  for (const n of result.todo) io.stdout(`to do        ${n.path}: ${n.what}\n`);
  for (const n of result.needsEdit) io.stderr(`needs edit   ${n.path}: ${n.what}\n`);
  const p = initPaths(result.options);
  const needs = result.needsEdit.length;
  io.stdout(
    `init${dryRun ? ' --dry-run' : ''}: ${result.create.size} ${dryRun ? 'to create' : 'created'}, ${result.leftAlone.length} left alone, ` +
      `${result.todo.length} to do, ${needs} need${needs === 1 ? 's' : ''} your edit\n`,
  );
  if (!quiet && !fs.existsSync(`${repo}/${p.appDir}`)) {
    io.stdout(
      `next: npm run synth -- --out ${given} (it writes ${p.appDir} and ${p.helmRepositoriesDir}/kustomization.yaml, which the files above list)\n`,
    );
  }
  if (!needs) return EXIT_OK;
  io.stderr(
    `init: ${needs} existing file${needs === 1 ? '' : 's'} need${needs === 1 ? 's' : ''} your edit before Flux applies what init added (init never edits a file that exists)\n`,
  );
  return EXIT_PROBLEM;
}
