// The files init adds to a GitOps repository, in the layout of the reference repository
// (../shared/reference/anchor): each cluster's Flux entry point under clusters/<cluster>/flux, the
// parent of the common apps and the shared variables under clusters/common/flux, .sops.yaml, and
// the apps folder's kustomization.yaml.
import * as path from 'path';
import { FLUX_GENERATIONS } from '../flux/generation';
import { CLUSTER_SETTINGS, COMMON_SECRETS } from '../flux/variables';
import {
  CLUSTERS_DIR,
  clusterFluxDir,
  clusterVarsDir,
  COMMON_FLUX_DIR,
  COMMON_VARS_DIR,
  fluxPath,
} from '../layout/layout';
import { FLUX_APIS, FluxApis } from './flux-api';
import { CheckedOptions, GIT_REPOSITORY_NAME } from './options';
import { AGE_PLACEHOLDER, SOPS_CONFIG_FILE, sopsConfigText } from './sops-config';
import { INIT_HEADER, yamlFile } from './text';

/** The namespace of Flux's own objects: every Kustomization, source and variable source lives there. */
export const FLUX_NAMESPACE = 'flux-system';
/** The Secret holding the age private key Flux decrypts with (kustomize-controller reads its `*.agekey` entries). */
export const SOPS_AGE_SECRET = 'sops-age';
/** The Kustomizations of the entry point (the reference's clusters/<cluster>/flux/config/cluster.yaml). */
export const CLUSTER_KUSTOMIZATION = 'cluster';
export const COMMON_CLUSTER_KUSTOMIZATION = 'common-cluster';
/** The parent of the common apps (the reference's clusters/common/flux/apps.yaml). */
export const COMMON_APPS_KUSTOMIZATION = 'common-apps';
export const COMMON_SETTINGS = 'common-settings';
/** What spec.url holds until someone gives the repository's URL (.invalid never resolves: RFC 2606). */
export const GIT_URL_PLACEHOLDER = 'https://git.example.invalid/REPLACE-WITH-YOUR-REPOSITORY.git';

/** Where init's files go, from the layout (lib/layout/layout.ts) and the options. */
export function initPaths(o: CheckedOptions) {
  const flux = clusterFluxDir(o.cluster);
  const configDir = `${flux}/config`;
  const vars = clusterVarsDir(o.cluster);
  return {
    clusterFluxDir: flux,
    clusterKustomization: `${flux}/kustomization.yaml`,
    configDir,
    configKustomization: `${configDir}/kustomization.yaml`,
    clusterEntry: `${configDir}/cluster.yaml`,
    fluxSystemDir: `${flux}/flux-system`,
    fluxSystemKustomization: `${flux}/flux-system/kustomization.yaml`,
    clusterVarsDir: vars,
    clusterVarsKustomization: `${vars}/kustomization.yaml`,
    clusterSettings: `${vars}/${CLUSTER_SETTINGS.name}.yaml`,
    commonFluxDir: COMMON_FLUX_DIR,
    commonKustomization: `${COMMON_FLUX_DIR}/kustomization.yaml`,
    commonApps: `${COMMON_FLUX_DIR}/apps.yaml`,
    commonVarsDir: COMMON_VARS_DIR,
    commonVarsKustomization: `${COMMON_VARS_DIR}/kustomization.yaml`,
    commonSettings: `${COMMON_VARS_DIR}/${COMMON_SETTINGS}.yaml`,
    // The same name ZotApp.findUser and `npm run htpasswd` point people to.
    commonSecrets: `${COMMON_VARS_DIR}/${COMMON_SECRETS.name}.sops.yaml`,
    commonSecretsReadme: `${COMMON_VARS_DIR}/README.md`,
    sopsConfig: SOPS_CONFIG_FILE,
    appsDir: o.appsDir,
    appsKustomization: `${o.appsDir}/kustomization.yaml`,
    appDir: `${o.appsDir}/${o.app}`,
    helmRepositoriesDir: o.helmRepositoriesDir,
  };
}

export type InitPaths = ReturnType<typeof initPaths>;

export interface KustomizationEntry {
  /** As written in `resources`: `./x.yaml`, `./dir`. */
  readonly entry: string;
  /** Written by synth, not by init: listed even while it does not exist yet. */
  readonly bySynth?: boolean;
}

export interface PlannedFile {
  readonly path: string;
  /** What the file is for, one line. */
  readonly about: string;
  /** The objects it defines, as `Kind/name`. */
  readonly defines: readonly string[];
  /** Folders where those objects may already be defined (then the file is not written). */
  readonly scanDirs: readonly string[];
  /** Its Kubernetes objects, for validation. */
  readonly objects: readonly any[];
  /** A kustomization.yaml: its entries, listed when they exist once init is done (or synth writes them). */
  readonly entries?: readonly KustomizationEntry[];
  /** A kustomization.yaml: its `images:` entries (written even when no entry is listable yet). */
  readonly images?: readonly KustomizeImage[];
  /** A kustomization.yaml: comment lines under its first line. */
  readonly comments?: readonly string[];
  /** The text; a kustomization gets its text once the entries that will exist are known. */
  readonly text?: string;
  /** Placeholders it holds that someone must fill in. */
  readonly todo: readonly string[];
}

/** `./x` for a folder or file below `from`, or the relative path (`../..`) when it is elsewhere. */
export function entryFrom(from: string, to: string): string {
  const rel = path.posix.relative(from, to);
  return rel.startsWith('..') ? rel : `./${rel}`;
}

/** A kustomize `images:` entry: every container image named `name` gets the tag `newTag`. */
export interface KustomizeImage {
  readonly name: string;
  readonly newTag: string;
}

function kustomizationFile(
  p: string,
  about: string,
  entries: KustomizationEntry[],
  extra: Pick<PlannedFile, 'images' | 'comments'> = {},
): PlannedFile {
  return { path: p, about, defines: [], scanDirs: [], objects: [], entries, todo: [], ...extra };
}

/** The kustomize-controller image `flux install` deploys (fluxcd/flux2 v2.7.5 / v2.9.4 manifests/bases/kustomize-controller). */
export const KUSTOMIZE_CONTROLLER_IMAGE = 'ghcr.io/fluxcd/kustomize-controller';

/** A path as a YAML scalar: plain when it can be, JSON-quoted otherwise. */
const scalar = (s: string) => (/^[A-Za-z0-9_./-]+$/.test(s) ? s : JSON.stringify(s));

/**
 * The text of a planned kustomization.yaml listing `entries`; `pending` ones (files a person
 * creates later) are there as comments, to uncomment once the file exists.
 */
export function kustomizationText(
  about: string,
  entries: readonly string[],
  pending: readonly string[] = [],
  extra: Pick<PlannedFile, 'images' | 'comments'> = {},
): string {
  return [
    INIT_HEADER,
    `# ${about}`,
    ...(extra.comments ?? []).map((c) => `# ${c}`),
    '---',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    ...entries.map((e) => `  - ${scalar(e)}`),
    ...pending.map((e) => `  # - ${scalar(e)}    (uncomment once the file exists)`),
    ...(extra.images?.length
      ? ['images:', ...extra.images.flatMap((i) => [`  - name: ${scalar(i.name)}`, `    newTag: ${scalar(i.newTag)}`])]
      : []),
    '',
  ].join('\n');
}

const sourceRef = { kind: 'GitRepository', name: GIT_REPOSITORY_NAME };
const decryption = { provider: 'sops', secretRef: { name: SOPS_AGE_SECRET } };
const meta = (name: string) => ({ name, namespace: FLUX_NAMESPACE });

/** What every planned file builder reads: the options, the paths and the Flux APIs of the cluster's generation. */
interface Build {
  readonly o: CheckedOptions;
  readonly p: InitPaths;
  readonly apis: FluxApis;
}

/** A Flux Kustomization; field order as the reference's: interval, path, prune, wait, sourceRef, decryption, postBuild. */
function fluxKustomization(
  b: Build,
  name: string,
  dir: string,
  wait: Record<string, unknown>,
  postBuild: Record<string, unknown> = {},
) {
  return {
    apiVersion: b.apis.kustomization,
    kind: 'Kustomization',
    metadata: meta(name),
    spec: { interval: '30m', path: fluxPath(dir), prune: true, ...wait, sourceRef, decryption, ...postBuild },
  };
}

/** clusters/<cluster>/flux/config/cluster.yaml: the entry point (the GitRepository and the two Kustomizations). */
function clusterEntryFile(b: Build): PlannedFile {
  const { o, p, apis } = b;
  const gitRepository = {
    apiVersion: apis.gitRepository,
    kind: 'GitRepository',
    metadata: meta(GIT_REPOSITORY_NAME),
    spec: { interval: '30m', url: o.gitUrl ?? GIT_URL_PLACEHOLDER, ref: { branch: o.branch } },
  };
  const cluster = fluxKustomization(b, CLUSTER_KUSTOMIZATION, p.clusterFluxDir, { wait: false });
  const commonCluster = fluxKustomization(b, COMMON_CLUSTER_KUSTOMIZATION, p.commonFluxDir, { wait: false });
  const objects = [gitRepository, cluster, commonCluster];
  const placeholder = `GitRepository/${GIT_REPOSITORY_NAME} spec.url is the placeholder ${GIT_URL_PLACEHOLDER}: put the URL Flux clones this repository from`;
  return {
    path: p.clusterEntry,
    about: `the Flux entry point of cluster ${o.cluster}`,
    defines: objects.map((x) => `${x.kind}/${x.metadata.name}`),
    scanDirs: [p.clusterFluxDir, p.commonFluxDir],
    objects,
    text: yamlFile(
      [
        `The Flux entry point of cluster ${o.cluster} (Flux ${apis.release} APIs). Apply it once by hand, after flux install`,
        `and the Secret ${SOPS_AGE_SECRET}: kubectl apply -k ${p.clusterFluxDir}. From then on Flux keeps it applied (Kustomization ${CLUSTER_KUSTOMIZATION}).`,
        `- GitRepository ${GIT_REPOSITORY_NAME}: where Flux fetches this repository from (a private one needs spec.secretRef).`,
        `- Kustomization ${CLUSTER_KUSTOMIZATION}: applies ${p.clusterFluxDir} (these objects and the cluster's vars).`,
        `- Kustomization ${COMMON_CLUSTER_KUSTOMIZATION}: applies ${p.commonFluxDir} (the parent of the common apps, the Helm repositories,`,
        '  the shared vars). SOPS files are decrypted with the age key in the Secret ' +
          `${SOPS_AGE_SECRET} (see ${p.commonSecretsReadme}).`,
      ],
      objects,
    ),
    todo: o.gitUrl ? [] : [placeholder],
  };
}

/** clusters/<cluster>/flux/vars: the ConfigMap of the cluster's settings (CLUSTER_DOMAIN). */
function clusterSettingsFile({ o, p }: Build): PlannedFile {
  const settings = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(CLUSTER_SETTINGS.name),
    data: { CLUSTER_DOMAIN: o.domain ?? '' },
  };
  const empty = `CLUSTER_DOMAIN is empty: set the cluster's DNS domain there (zot is served at oci.<domain>); npm run fleet-check fails for ${o.cluster} until then`;
  return {
    path: p.clusterSettings,
    about: `the settings of cluster ${o.cluster}`,
    defines: [`ConfigMap/${CLUSTER_SETTINGS.name}`],
    scanDirs: [p.clusterFluxDir],
    objects: [settings],
    text: yamlFile(
      [
        `The settings of cluster ${o.cluster}: Flux substitutes them into the apps (postBuild.substituteFrom).`,
        "CLUSTER_DOMAIN: the cluster's DNS domain; zot is served at oci.<CLUSTER_DOMAIN>.",
        ...(o.domain
          ? []
          : ['CLUSTER_DOMAIN is empty: set it. npm run fleet-check fails for this cluster until then.']),
      ],
      [settings],
    ),
    todo: o.domain ? [] : [empty],
  };
}

/** clusters/common/flux: the Kustomization that is the parent of the common apps. */
function commonAppsFile(b: Build): PlannedFile {
  const { p } = b;
  const substituteFrom = [
    { kind: CLUSTER_SETTINGS.kind, name: CLUSTER_SETTINGS.name },
    { kind: COMMON_SECRETS.kind, name: COMMON_SECRETS.name },
  ];
  const commonApps = fluxKustomization(b, COMMON_APPS_KUSTOMIZATION, p.appsDir, {}, { postBuild: { substituteFrom } });
  return {
    path: p.commonApps,
    about: `the parent of the apps in ${p.appsDir}`,
    defines: [`Kustomization/${COMMON_APPS_KUSTOMIZATION}`],
    scanDirs: [p.commonFluxDir],
    objects: [commonApps],
    text: yamlFile(
      [
        `The parent of the apps in ${p.appsDir} (each app's namespace and Flux Kustomization, ks.yaml), on every cluster.`,
        `It substitutes ConfigMap ${CLUSTER_SETTINGS.name} and Secret ${COMMON_SECRETS.name} into those files and decrypts SOPS files with the Secret ${SOPS_AGE_SECRET}.`,
      ],
      [commonApps],
    ),
    todo: [],
  };
}

/** clusters/common/flux/vars: the ConfigMap every cluster shares. */
function commonSettingsFile({ p }: Build): PlannedFile {
  const common = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(COMMON_SETTINGS), data: {} };
  return {
    path: p.commonSettings,
    about: 'settings every cluster shares',
    defines: [`ConfigMap/${COMMON_SETTINGS}`],
    scanDirs: [p.commonFluxDir],
    objects: [common],
    text: yamlFile(
      [
        'Settings every cluster shares (not secret). A Kustomization substitutes them where its',
        `postBuild.substituteFrom names ConfigMap ${COMMON_SETTINGS}; secrets go in ${path.posix.basename(p.commonSecrets)} (see README.md).`,
      ],
      [common],
    ),
    todo: [],
  };
}

/** A document (no objects): the secrets README, the sops rule. */
function documentFile(at: string, about: string, text: string, todo: string[] = []): PlannedFile {
  return { path: at, about, defines: [], scanDirs: [], objects: [], text, todo };
}

function sopsFile({ o, p }: Build): PlannedFile {
  const placeholder = `age: is the placeholder ${AGE_PLACEHOLDER}: put your age public key there (age-keygen prints it)`;
  return documentFile(
    p.sopsConfig,
    `the sops rule for every *.sops.yaml under ${CLUSTERS_DIR}/`,
    sopsConfigText(o.ageRecipients),
    o.ageRecipients.length ? [] : [placeholder],
  );
}

/**
 * --flux: the cluster's Flux, said the way kustomize and Flux users pin a controller: the kustomize-controller
 * image tag, which fleet-check and render read (lib/fleet/flux-version.ts). It acts on Flux's own manifests
 * once they are kept in this folder (gotk-components.yaml, as flux bootstrap lays them out).
 */
function fluxSystemFile({ o, p, apis }: Build): PlannedFile {
  const controller = FLUX_GENERATIONS[o.flux].kustomizeController;
  return kustomizationFile(
    p.fluxSystemKustomization,
    `Flux itself on cluster ${o.cluster}: Flux ${o.flux} (npm run init -- --flux ${o.flux}).`,
    [{ entry: './gotk-components.yaml' }],
    {
      images: [{ name: KUSTOMIZE_CONTROLLER_IMAGE, newTag: controller }],
      comments: [
        `The images entry pins kustomize-controller, the controller that substitutes variables, at ${controller} (Flux ${apis.release}'s).`,
        `npm run fleet-check and render read that tag: they check ${o.cluster} as Flux ${o.flux} (kustomize-controller v1.7.x/v1.8.x:`,
        'Flux 2.7/2.8; v1.9.x and later: Flux 2.9 and later). Keep it equal to the kustomize-controller the cluster runs:',
        "when you upgrade Flux, change newTag with it. It acts once Flux's own manifests are here:",
        `  flux install --version=${apis.release} --export > ${p.fluxSystemDir}/gotk-components.yaml`,
        'then uncomment the entry below.',
      ],
    },
  );
}

/** The cluster's own kustomizations: what Flux applies for it, its entry point folder, its variables. */
function clusterKustomizations({ o, p }: Build) {
  const flux = o.declareFlux ? [{ entry: './flux-system' }] : [];
  return {
    cluster: kustomizationFile(
      p.clusterKustomization,
      `What Flux applies for cluster ${o.cluster} (Kustomization ${CLUSTER_KUSTOMIZATION}).`,
      [{ entry: './config' }, ...flux, { entry: './vars' }],
    ),
    config: kustomizationFile(p.configKustomization, `The Flux entry point of cluster ${o.cluster}.`, [
      { entry: './cluster.yaml' },
    ]),
    vars: kustomizationFile(p.clusterVarsKustomization, `The variables of cluster ${o.cluster}.`, [
      { entry: `./${path.posix.basename(p.clusterSettings)}` },
    ]),
  };
}

/** The kustomizations every cluster shares: what Flux applies on each, the shared variables, the apps. */
function commonKustomizations({ o, p }: Build) {
  return {
    common: kustomizationFile(
      p.commonKustomization,
      `What Flux applies on every cluster (Kustomization ${COMMON_CLUSTER_KUSTOMIZATION}).`,
      [
        { entry: entryFrom(p.commonFluxDir, p.commonApps) },
        { entry: entryFrom(p.commonFluxDir, p.helmRepositoriesDir), bySynth: true },
        { entry: entryFrom(p.commonFluxDir, p.commonVarsDir) },
      ],
    ),
    vars: kustomizationFile(p.commonVarsKustomization, 'The variables every cluster shares.', [
      { entry: `./${path.posix.basename(p.commonSettings)}` },
      { entry: `./${path.posix.basename(p.commonSecrets)}` },
    ]),
    apps: kustomizationFile(
      p.appsKustomization,
      `The apps Kustomization ${COMMON_APPS_KUSTOMIZATION} applies on every cluster.`,
      [{ entry: `./${o.app}`, bySynth: true }],
    ),
  };
}

/** Every file init would add for `o`, in the order it reports them. */
export function plannedFiles(o: CheckedOptions): PlannedFile[] {
  const p = initPaths(o);
  const b: Build = { o, p, apis: FLUX_APIS[o.flux] };
  const cluster = clusterKustomizations(b);
  const common = commonKustomizations(b);
  const readme = documentFile(
    p.commonSecretsReadme,
    `how to create ${path.posix.basename(p.commonSecrets)}`,
    secretsReadme(p),
  );
  return [
    cluster.cluster,
    ...(o.declareFlux ? [fluxSystemFile(b)] : []),
    cluster.config,
    clusterEntryFile(b),
    cluster.vars,
    clusterSettingsFile(b),
    common.common,
    commonAppsFile(b),
    common.vars,
    commonSettingsFile(b),
    readme,
    sopsFile(b),
    common.apps,
  ];
}

/** The secrets README: what the folder holds, then how to create the secrets file (secretsSteps). */
function secretsReadme(p: InitPaths): string {
  const secrets = path.posix.basename(p.commonSecrets);
  return (
    `<!-- ${INIT_HEADER.replace(/^# /, '')} -->
# ${p.commonVarsDir}

Variables every cluster shares. Flux (Kustomization \`${COMMON_CLUSTER_KUSTOMIZATION}\`) applies this folder on every
cluster; Kustomizations substitute the variables into the apps (\`postBuild.substituteFrom\`).

- \`${path.posix.basename(p.commonSettings)}\`: ConfigMap \`${COMMON_SETTINGS}\`, values that are not secret.
- \`${secrets}\`: Secret \`${COMMON_SECRETS.name}\`, encrypted with sops. It is not here until you create
  it as below. Never commit it unencrypted: Git keeps every version forever.

` + secretsSteps(p, secrets)
  );
}

/** How to create the secrets file with sops and age, step by step. */
function secretsSteps(p: InitPaths, secrets: string): string {
  return `## Creating ${secrets}

You need \`sops\` (3.9 or later for \`sops edit\`) and \`age\`. \`${p.sopsConfig}\` at the repository root says
which files sops encrypts, which parts of them (\`data\`, \`stringData\`) and for which age keys.

1. Make an age key pair once, outside the repository, and keep the private key safe:

       mkdir -p ~/.config/sops/age && age-keygen -o ~/.config/sops/age/keys.txt

   It prints \`Public key: age1...\`. Put that key in the \`age:\` line of \`${p.sopsConfig}\` (comma-separated
   if there are several). sops reads the private key from the file \`SOPS_AGE_KEY_FILE\` names, else
   from \`sops/age/keys.txt\` in your user config folder (\`~/.config\` on Linux, \`~/Library/Application
   Support\` on macOS unless \`XDG_CONFIG_HOME\` is set, \`%AppData%\` on Windows).
2. Give Flux the private key, once per cluster (kustomize-controller reads the Secret's entries whose
   name ends in \`.agekey\`):

       kubectl -n ${FLUX_NAMESPACE} create secret generic ${SOPS_AGE_SECRET} --from-file=age.agekey=$HOME/.config/sops/age/keys.txt

3. Create the file. sops opens an editor on a new file and writes only the encrypted result (the
   plain text stays in a temporary folder outside the repository):

       sops edit ${p.commonSecrets}

   Replace the example with the Secret, one key per variable the apps use:

       apiVersion: v1
       kind: Secret
       metadata:
         name: ${COMMON_SECRETS.name}
         namespace: ${FLUX_NAMESPACE}
       stringData:
         COMMON_OCI: <the line \`npm run htpasswd -- admin\` prints>

   Paste the htpasswd line in the editor: it then never enters your shell history.
4. List it in \`kustomization.yaml\` here: uncomment the line \`# - ./${secrets}\` (or add
   \`- ./${secrets}\` to \`resources\`). \`npm run init\` says so until it is listed.
5. Check: \`npm run fleet-check -- --repo <this repository>\`.

To change a password later, see "Rotating a password" in the zot-flux README (\`npm run htpasswd\`, then
\`sops --set\`).
`;
}
