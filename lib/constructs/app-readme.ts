import { FluxVariableSource, variableRef } from '../flux/variables';
import { AppLayout } from '../layout/layout';
import { MARKDOWN_HEADER } from '../layout/generated';
import { effectiveAccessTable, formatAccessTable } from '../zot/access';
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
}

/** The app's README.md, written from the same props as its manifests so that it cannot go stale. */
export function appReadme(app: AppReadmeInput): string {
  const { release, route, layout } = app;
  const host = route.hostnames[0];
  const example = host.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '<$1>');
  const gateways = route.gateways.map((g) => `\`${g}\``);
  const gatewayList = gateways.length > 1 ? `${gateways.slice(0, -1).join(', ')} and ${gateways[gateways.length - 1]}` : gateways[0];
  const firstUser = release.users[0];
  const secretFile = (name: string) => `clusters/common/flux/vars/${name}.sops.yaml`;
  const users = release.users
    .map((u) => {
      const src = app.variables.find((v) => v.variable === u.variable)!.source;
      const repos = (u.repositories ?? ['**']).map((r) => `\`${r}\``).join(', ');
      return `| \`${u.name}\` | ${u.admin ? 'admin: read, create, update, delete' : u.actions.join(', ')} | ${u.admin ? 'all' : repos} | \`${u.variable}\` in ${src.kind} \`${src.name}\` |`;
    })
    .join('\n');
  const anonymousWrites = release.anonymousWrite.map((w) => `${w.actions.join(', ')} on ${w.repositories.map((g) => `\`${g}\``).join(', ')}`);
  const anonymous = (release.anonymousRead.length
    ? `Anonymous clients may pull (read only) from ${release.anonymousRead.map((g) => `\`${g}\``).join(', ')}${anonymousWrites.length ? '' : '; nothing else is anonymous'}.`
    : anonymousWrites.length ? '' : 'Anonymous access is disabled: every request needs basic auth.') +
    (anonymousWrites.length ? ` **ANONYMOUS WRITE (opted in with anonymousWrite): anyone who reaches the registry may ${anonymousWrites.join('; ')}.**` : '');
  const tree = [
    ...app.variables.map((v) => `${v.source.name} (${v.source.kind})\n  └── ${v.variable} ─── Flux substitution ──▶ ${release.users.some((u) => u.variable === v.variable) ? 'HelmRelease secretFiles.htpasswd' : 'HTTPRoute hostname'}`),
    '',
    `HelmRepository (${app.helmRepository.name}, ${app.helmRepository.url})`,
    `  └── HelmRelease ${release.name} (chart ${release.chartVersion})`,
    `        ├── StatefulSet (1 replica, ${release.storageSize} PVC)`,
    `        ├── Service ${release.serviceName} (${release.serviceType}:${release.port})`,
    '        ├── ConfigMap (config.json: htpasswd auth, access control)',
    `        └── Secret (htpasswd file at ${release.htpasswdPath})`,
    '',
    `HTTPRoute ${route.name} (${route.hostnames.join(', ')})`,
    ...route.gateways.map((g, i) => `  ${i === route.gateways.length - 1 ? '└' : '├'}── Gateway: ${route.gatewayNamespace}/${g}`),
  ].join('\n');
  const rel = (p: string) => p.slice(layout.dir.length + 1);

  return `${MARKDOWN_HEADER}
# Zot OCI Registry

Self-hosted OCI-compliant container registry (zot), deployed by Flux from the Helm chart \`zot\`
version ${release.chartVersion} on every cluster.

## Access

Each cluster serves the registry at ${route.hostnames.map((h) => `\`${h}\``).join(', ')}
(Flux substitutes the variables from each cluster's settings, e.g. \`${example}\`).

The HTTPRoute is attached to the ${gatewayList} gateway${gateways.length > 1 ? 's' : ''} in namespace \`${route.gatewayNamespace}\`.

## Authentication

htpasswd basic auth (bcrypt). ${anonymous}

| User | Actions | Repositories | htpasswd line from |
|------|---------|--------------|--------------------|
${users}

### Effective access

What zot ${release.zotVersion} itself decides from the generated config.json (longest matching
repository key, then the admin policy), for every user and anonymous clients; \`npm run access\`
prints the same table and answers single questions (\`npm run access -- --can ci create ci/app\`).

\`\`\`
${formatAccessTable(effectiveAccessTable(release.accessControl, release.zotVersion)).trimEnd()}
\`\`\`

Each user's whole htpasswd line (\`<user>:<bcrypt hash>\`) lives SOPS-encrypted in a Flux variable and reaches
the HelmRelease through Flux's postBuild substitution (\`${variableRef(firstUser.variable)}\`). The
password is never stored; only its bcrypt hash is, and only encrypted.

### Rotating a password

\`\`\`bash
line=$(npm run -s htpasswd -- ${firstUser.name})   # in the zot-flux project; prompts twice, the line stays out of shell history
sops --set "[\\"stringData\\"][\\"${firstUser.variable}\\"] \\"$line\\"" ${secretFile(app.variables.find((v) => v.variable === firstUser.variable)!.source.name)}
git commit -am "zot: rotate ${firstUser.name}" && git push
\`\`\`

Flux decrypts and substitutes the new line; the chart's \`checksum/secret\` pod annotation changes,
so the registry pod restarts with it (zot does not reload the file by itself). Check with
\`curl -su ${firstUser.name} https://${example}/v2/_catalog\`.

## Usage

\`\`\`bash
docker login ${example} -u ${firstUser.name}
crane copy <source-image> ${example}/<repo>/<name>:<tag>
crane pull ${example}/<repo>/<name>:<tag> output.tar
curl -su ${firstUser.name} https://${example}/v2/_catalog
\`\`\`

## Architecture

\`\`\`
${tree}
\`\`\`

## Files

| File | Purpose |
|------|---------|
| \`${rel(layout.kustomization)}\` | Applied by the parent: the namespace and the Flux Kustomization only |
| \`${rel(layout.namespace)}\` | Namespace \`${app.namespace.name}\`, never pruned by Flux |
| \`${rel(layout.fluxKustomization)}\` | Flux Kustomization \`${app.fluxKustomization.name}\` applying \`./${rel(layout.appDir)}\` |
| \`${rel(layout.appKustomization)}\` | The app's resources, in namespace \`${app.namespace.name}\` |
| \`${rel(layout.helmRelease)}\` | zot chart ${release.chartVersion}: config.json and the htpasswd Secret |
| \`${rel(layout.httpRoute)}\` | Gateway API route for ${route.hostnames.map((h) => `\`${h}\``).join(', ')} |
| \`${layout.helmRepository}\` | HelmRepository \`${app.helmRepository.name}\` |

## Notes

- Flux substitutes in one pass and never re-scans a value, so the \`$\` characters of a bcrypt hash survive.
  Flux removes newlines from values: one variable carries exactly one htpasswd line.
- The chart's \`secretFiles\` become the Secret \`${release.name}-secret\`, mounted at \`${release.htpasswdPath}\`.
- Storage is a ${release.storageSize} PVC per cluster (${release.accessModes.join(', ')}); images persist across pod restarts.
- \`defaultPolicy: []\` gives authenticated users nothing beyond their own policies.
`;
}
