import { FluxVariableSource, variableRef } from '../flux/variables';
import { AppLayout } from '../layout/layout';
import { MARKDOWN_HEADER } from '../layout/generated';
import { effectiveAccessTable, formatAccessTable } from '../zot/access';
import { advisoryLines } from '../zot/advisories';
import { isSharedStorage } from '../zot/features/storage';
import { describeUnsafeValue, UNSAFE_VALUES_ANNOTATION, unsafeValuesAnnotation } from '../checks/unsafe-values';
import { BuiltConfig, FeatureReadme, ReadmeContext, README_SECTIONS, ReadmeSection } from '../zot/features/feature';
import { ZOT_FEATURES } from '../zot/features/registry';
import type { ZotRelease } from './zot-release';
import type { ZotRoute } from './zot-route';

/** What the app README is written from: the app's parts, already built. */
export interface AppReadmeInput {
  readonly layout: AppLayout;
  readonly release: ZotRelease;
  readonly route: ZotRoute;
  readonly helmRepository: { readonly name: string; readonly url: string };
  readonly namespace: { readonly name: string };
  readonly fluxKustomization: { readonly name: string };
  readonly variables: ReadonlyArray<{ readonly variable: string; readonly source: FluxVariableSource }>;
  /** The app folder's files beyond helmrelease.yaml and httproute.yaml, with what each holds. @default - none */
  readonly extraFiles?: ReadonlyArray<{ readonly file: string; readonly what: string }>;
  /** A BackendTrafficPolicy's request timeout, when the app has one. */
  readonly gatewayPolicy?: { readonly name: string; readonly requestTimeout?: string };
  /** The app's own ServiceMonitor: its name and the user it scrapes as ('anonymous' without one). */
  readonly appServiceMonitor?: { readonly name: string; readonly scraper: string };
  readonly dependsOn?: ReadonlyArray<{ readonly name: string; readonly namespace?: string }>;
}

/** The app's README.md, written from the same props as its manifests so that it cannot go stale. */
export function appReadme(app: AppReadmeInput): string {
  return [
    introSection(app),
    authenticationSection(app),
    rotationSection(app),
    usageSection(app),
    architectureSection(app),
    filesSection(app),
    productionSection(app),
    notesSection(app),
  ].join('');
}

/** The title, what the chart is, the unsafeValues opt-ins, and where the registry is served. */
function introSection(app: AppReadmeInput): string {
  const { release, route } = app;
  const example = exampleHost(route);
  const gateways = route.gateways.map((g) => `\`${g}\``);
  const gatewayList =
    gateways.length > 1 ? `${gateways.slice(0, -1).join(', ')} and ${gateways[gateways.length - 1]}` : gateways[0];
  const unsafe = unsafeNote(release);
  return `${MARKDOWN_HEADER}
# Zot OCI Registry

Self-hosted OCI-compliant container registry (zot), deployed by Flux from the Helm chart \`zot\`
version ${release.chartVersion} on every cluster.${unsafe}

## Access

Each cluster serves the registry at ${route.hostnames.map((h) => `\`${h}\``).join(', ')}
(Flux substitutes the variables from each cluster's settings, e.g. \`${example}\`).

The HTTPRoute is attached to the ${gatewayList} gateway${gateways.length > 1 ? 's' : ''} in namespace \`${route.gatewayNamespace}\`.

`;
}

/** The users, anonymous access, the effective access table and its advisories. */
function authenticationSection(app: AppReadmeInput): string {
  const { release } = app;
  const firstUser = release.users[0];
  const anonymous = anonymousNote(release);
  const users = usersTable(app);
  const defaults = defaultPolicies(release);
  // Advisories against this zot (lib/zot/known-advisories.json), named under the table as `npm run access` names them.
  const advisories = advisoryLines(release.zotVersion, release.accessControl, {
    acknowledged: release.acknowledgedAdvisories,
  });
  return `## Authentication

htpasswd basic auth (bcrypt). ${anonymous}

| User | Actions | Repositories | htpasswd line from |
|------|---------|--------------|--------------------|
${users}

### Effective access

What zot ${release.zotVersion} itself decides from the generated config.json (longest matching
repository key, then the admin policy), for every user${defaults.length ? ', any signed-in user' : ''} and anonymous clients; \`npm run access\`
prints the same table and answers single questions (\`npm run access -- --can ci create ci/app\`).

\`\`\`
${formatAccessTable(effectiveAccessTable(release.accessControl, release.zotVersion)).trimEnd()}${advisories.length ? `\n\n${advisories.join('\n')}` : ''}
\`\`\`

Each user's whole htpasswd line (\`<user>:<bcrypt hash>\`) lives SOPS-encrypted in a Flux variable and reaches
the HelmRelease through Flux's postBuild substitution (\`${variableRef(firstUser.variable)}\`). The
password is never stored; only its bcrypt hash is, and only encrypted.

`;
}

/** How to rotate the first user's password. */
function rotationSection(app: AppReadmeInput): string {
  const firstUser = app.release.users[0];
  const example = exampleHost(app.route);
  const secretFile = (name: string) => `clusters/common/flux/vars/${name}.sops.yaml`;
  return `### Rotating a password

\`\`\`bash
line=$(npm run -s htpasswd -- ${firstUser.name})   # in the zot-flux project; prompts twice, the line stays out of shell history
sops --set "[\\"stringData\\"][\\"${firstUser.variable}\\"] \\"$line\\"" ${secretFile(app.variables.find((v) => v.variable === firstUser.variable)!.source.name)}
git commit -am "zot: rotate ${firstUser.name}" && git push
\`\`\`

Flux decrypts and substitutes the new line; the chart's \`checksum/secret\` pod annotation changes,
so the registry pod restarts with it (zot does not reload the file by itself). Check with
\`curl -su ${firstUser.name} https://${example}/v2/_catalog\`.

`;
}

/** docker, crane and curl against the registry. */
function usageSection(app: AppReadmeInput): string {
  const firstUser = app.release.users[0];
  const example = exampleHost(app.route);
  return `## Usage

\`\`\`bash
docker login ${example} -u ${firstUser.name}
crane copy <source-image> ${example}/<repo>/<name>:<tag>
crane pull ${example}/<repo>/<name>:<tag> output.tar
curl -su ${firstUser.name} https://${example}/v2/_catalog
\`\`\`

`;
}

/** Where each variable goes, and the objects the chart and the route make. */
function architectureSection(app: AppReadmeInput): string {
  const tree = architectureTree(app);
  return `## Architecture

\`\`\`
${tree}
\`\`\`

`;
}

/** The app's files, one row each. */
function filesSection(app: AppReadmeInput): string {
  const { release, route, layout } = app;
  const rel = (p: string) => p.slice(layout.dir.length + 1);
  return `## Files

| File | Purpose |
|------|---------|
| \`${rel(layout.kustomization)}\` | Applied by the parent: the namespace and the Flux Kustomization only |
| \`${rel(layout.namespace)}\` | Namespace \`${app.namespace.name}\`, never pruned by Flux |
| \`${rel(layout.fluxKustomization)}\` | Flux Kustomization \`${app.fluxKustomization.name}\` applying \`./${rel(layout.appDir)}\` |
| \`${rel(layout.appKustomization)}\` | The app's resources, in namespace \`${app.namespace.name}\` |
| \`${rel(layout.helmRelease)}\` | zot chart ${release.chartVersion}: config.json and the htpasswd Secret |
| \`${rel(layout.httpRoute)}\` | Gateway API route for ${route.hostnames.map((h) => `\`${h}\``).join(', ')} |
${(app.extraFiles ?? []).map((f) => `| \`${rel(`${layout.appDir}/${f.file}`)}\` | ${f.what} |\n`).join('')}| \`${layout.helmRepository}\` | HelmRepository \`${app.helmRepository.name}\` |

`;
}

/** Flux's substitution, the Secret, the storage, the defaultPolicy. */
function notesSection(app: AppReadmeInput): string {
  const { release } = app;
  const defaultPolicyNote = defaultPolicyLine(release);
  return `## Notes

- On Flux 2.9, a variable no source defines fails this app's whole Kustomization (StrictPostBuildSubstitutions);
  on Flux 2.7 and 2.8 it becomes an empty string, so the route would be \`oci.\`. \`npm run fleet-check\` says which
  clusters are affected and why.
- Flux substitutes in one pass and never re-scans a value, so the \`$\` characters of a bcrypt hash survive.
  Flux removes newlines from values: one variable carries exactly one htpasswd line.
- The chart's \`secretFiles\` become the Secret \`${release.name}-secret\`, mounted at \`${release.htpasswdPath}\`.
- ${
    isSharedStorage(release.storage)
      ? `Images are in the S3 bucket, shared by every replica; each pod also has a ${release.storageSize} PVC (${release.accessModes.join(', ')}) for local files.`
      : `Storage is a ${release.storageSize} PVC per cluster (${release.accessModes.join(', ')}); images persist across pod restarts.`
  }
- ${defaultPolicyNote}
`;
}

/** The first hostname with its variables written `<NAME>`, for examples. */
function exampleHost(route: ZotRoute): string {
  return route.hostnames[0].replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '<$1>');
}

/** The users table's rows: one line per grant (the shorthand actions/repositories is one), side by side. */
function usersTable(app: AppReadmeInput): string {
  return app.release.users
    .map((u) => {
      const src = app.variables.find((v) => v.variable === u.variable)!.source;
      const grants = u.grants ?? [{ actions: u.actions ?? [], repositories: u.repositories ?? ['**'] }];
      const actions = grants.map((g) => g.actions.join(', ')).join('<br>');
      const repos = grants.map((g) => g.repositories.map((r) => `\`${r}\``).join(', ')).join('<br>');
      return `| \`${u.name}\` | ${u.admin ? 'admin: read, create, update, delete' : actions} | ${u.admin ? 'all' : repos} | \`${u.variable}\` in ${src.kind} \`${src.name}\` |`;
    })
    .join('\n');
}

/** What anonymous clients and every signed-in user may do, in words; anonymous writes in bold. */
function anonymousNote(release: ZotRelease): string {
  const globs = (g: readonly string[]) => g.map((x) => `\`${x}\``).join(', ');
  const anonymousWrites = release.anonymousWrite.map((w) => `${w.actions.join(', ')} on ${globs(w.repositories)}`);
  const read = release.anonymousRead.length
    ? `Anonymous clients may pull (read only) from ${globs(release.anonymousRead)}${anonymousWrites.length ? '' : '; nothing else is anonymous'}.`
    : anonymousWrites.length
      ? ''
      : 'Anonymous access is disabled: every request needs basic auth.';
  return (
    read +
    (anonymousWrites.length
      ? ` **ANONYMOUS WRITE (opted in with anonymousWrite): anyone who reaches the registry may ${anonymousWrites.join('; ')}.**`
      : '') +
    (release.authenticatedRead.length
      ? ` Every signed-in user may pull from ${globs(release.authenticatedRead)}.`
      : '') +
    (release.anonymousRead.length || anonymousWrites.length
      ? ' A signed-in user may do whatever anonymous clients may (docker sends credentials whenever it has them, so logging in never loses access).'
      : '')
  );
}

/** zot's defaultPolicy: what every signed-in user gets on each key (zot v2.1.14..v2.1.20 pkg/api/authz.go isPermitted). */
function defaultPolicies(release: ZotRelease): Array<[string, { defaultPolicy?: string[] }]> {
  return Object.entries(release.accessControl.repositories).filter(([, pg]) => (pg.defaultPolicy ?? []).length > 0);
}

function defaultPolicyLine(release: ZotRelease): string {
  const defaults = defaultPolicies(release);
  return defaults.length
    ? `\`defaultPolicy\` gives every signed-in user ${defaults.map(([k, pg]) => `${(pg.defaultPolicy ?? []).join(', ')} on \`${k}\``).join('; ')}, beyond their own policies.`
    : '`defaultPolicy: []` gives authenticated users nothing beyond their own policies.';
}

/** The unsafeValues opt-ins, in bold where the chart is named, as anonymousWrite is where access is. */
function unsafeNote(release: ZotRelease): string {
  return release.unsafeValues.length
    ? `\n\n**UNSAFE VALUES (opted in with unsafeValues): valuesOverrides set ${release.unsafeValues.map((u) => `\`${u}\` (${describeUnsafeValue(u)})`).join(', ')}, ` +
        `which change what the zot container runs or loads. The HelmRelease says so in its annotation \`${UNSAFE_VALUES_ANNOTATION}: ${unsafeValuesAnnotation(release.unsafeValues)}\`; ` +
        'synth renders the chart and judges what runs.**'
    : '';
}

/** Where a variable is substituted, for the architecture tree. */
function usedBy(app: AppReadmeInput, variable: string): string {
  const { release, route } = app;
  if (release.users.some((u) => u.variable === variable)) return 'HelmRelease secretFiles.htpasswd';
  const f = release.featureVariables.find((x) => x.variable === variable);
  if (f) return `HelmRelease: ${f.holds}`;
  if (route.hostnames.some((h) => h.includes(variableRef(variable)))) return 'HTTPRoute hostname';
  return JSON.stringify(release.resource.toJson()).includes(variableRef(variable))
    ? 'HelmRelease values'
    : 'app manifests';
}

/** The variables' paths, the HelmRelease's objects and the route's gateways, as a tree. */
function architectureTree(app: AppReadmeInput): string {
  const { release, route } = app;
  const replicas = `${release.replicas} replica${release.replicas > 1 ? 's' : ''}, ${release.storageSize} PVC${release.replicas > 1 ? ' each' : ''}`;
  const otherSecretFiles = release.secretFileKeys.filter((k) => k !== 'htpasswd').map((k) => `/secret/${k}`);
  return [
    ...app.variables.map(
      (v) =>
        `${v.source.name} (${v.source.kind})\n  └── ${v.variable} ─── Flux substitution ──▶ ${usedBy(app, v.variable)}`,
    ),
    '',
    `HelmRepository (${app.helmRepository.name}, ${app.helmRepository.url})`,
    `  └── HelmRelease ${release.name} (chart ${release.chartVersion})`,
    `        ├── StatefulSet (${replicas}${isSharedStorage(release.storage) ? `; images in bucket ${release.storage.bucket}` : ''})`,
    `        ├── Service ${release.serviceName} (${release.serviceType}:${release.port})`,
    '        ├── ConfigMap (config.json: htpasswd auth, access control)',
    `        └── Secret (htpasswd file at ${release.htpasswdPath}${release.secretFileKeys.length > 1 ? `; ${otherSecretFiles.join(', ')}` : ''})`,
    '',
    `HTTPRoute ${route.name} (${route.hostnames.join(', ')})`,
    ...route.gateways.map(
      (g, i) => `  ${i === route.gateways.length - 1 ? '└' : '├'}── Gateway: ${route.gatewayNamespace}/${g}`,
    ),
  ].join('\n');
}

/** The production features the app sets, one subsection each; '' for the seed. */
function productionSection(app: AppReadmeInput): string {
  const ctx = readmeContext(app);
  const contributed = ZOT_FEATURES.flatMap((f) => f.readme?.(app.release.featureProps, ctx) ?? []);
  const parts: string[] = [];
  for (const section of README_SECTIONS) {
    const own = contributed.filter((p) => p.section === section);
    const text = section === 'HTTP' ? httpSection(app, own) : featureSection(section, own);
    if (text) parts.push(text);
  }
  if (app.dependsOn && app.dependsOn.length) {
    parts.push(
      `### Dependencies\n\nFlux applies the app only after ${app.dependsOn.map((d) => `\`${d.namespace ?? 'flux-system'}/${d.name}\``).join(', ')} ${app.dependsOn.length > 1 ? 'are' : 'is'} ready.\n`,
    );
  }
  return parts.length ? `## Production settings\n\n${parts.join('\n')}\n` : '';
}

/** What the features' README lines are written from. */
function readmeContext(app: AppReadmeInput): ReadmeContext {
  const r = app.release;
  return {
    config: r.config as unknown as BuiltConfig,
    values: r.generatedValues,
    releaseName: r.name,
    serviceName: r.serviceName,
    namespace: app.namespace.name,
    chartVersion: r.chartVersion,
    port: r.port,
    secretFileKeys: r.secretFileKeys,
    hosts: route0(app),
    ...(app.appServiceMonitor ? { appServiceMonitor: app.appServiceMonitor } : {}),
  };
}

/** A section the features write alone; '' when none writes into it. */
function featureSection(section: ReadmeSection, own: readonly FeatureReadme[]): string {
  if (!own.length) return '';
  return `### ${section}\n\n${own.flatMap((p) => p.lines ?? []).join('\n')}\n`;
}

/** The request timeout of the route's first rule, if it sets one. */
export function routeRequestTimeout(route: ZotRoute): string | undefined {
  const json: unknown = route.resource.toJson();
  const spec = json !== null && typeof json === 'object' ? (json as { spec?: { rules?: unknown } }).spec : undefined;
  const rule: unknown = Array.isArray(spec?.rules) ? spec.rules[0] : undefined;
  const request = (rule as { timeouts?: { request?: unknown } } | undefined)?.timeouts?.request;
  return typeof request === 'string' ? request : undefined;
}

/** The HTTP section: the features' lines (http.compat), every limit on a request's time, the gateway policy. */
function httpSection(app: AppReadmeInput, own: readonly FeatureReadme[]): string {
  const code = (x: string) => `\`${x}\``;
  const routeTimeout = routeRequestTimeout(app.route);
  const lines = own.flatMap((p) => p.lines ?? []);
  if (!lines.length && !app.gatewayPolicy && !routeTimeout) return '';
  const limits = [
    ...own.flatMap((p) => p.limits ?? []),
    routeTimeout ? `the route allows ${code(routeTimeout)} per request` : '',
    app.gatewayPolicy?.requestTimeout && !routeTimeout
      ? `the BackendTrafficPolicy allows ${code(app.gatewayPolicy.requestTimeout)} per request`
      : '',
  ].filter(Boolean);
  if (limits.length) lines.push(`Timeouts: ${limits.join('; ')}. The shortest one cuts a large push or pull.`);
  if (app.gatewayPolicy)
    lines.push(`BackendTrafficPolicy ${code(app.gatewayPolicy.name)} (Envoy Gateway) applies to the route.`);
  return `### HTTP\n\n${lines.join('\n')}\n`;
}

function route0(app: AppReadmeInput): string {
  return app.route.hostnames.map((h) => `\`${h}\``).join(', ');
}
