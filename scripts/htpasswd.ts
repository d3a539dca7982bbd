// `npm run htpasswd`: makes or verifies an htpasswd line (lib/cli/htpasswd.ts).
import { runCommand } from '../lib/cli/command';
import { HTPASSWD_USAGE, htpasswdCommand } from '../lib/cli/htpasswd';

runCommand(
  'htpasswd',
  (argv, io) =>
    htpasswdCommand(argv, io, async (user) => {
      // Loaded only here: building main.ts's app costs the cdk8s start-up, which --verify does not need.
      const [{ buildApp }, { ZotApp }] = await Promise.all([import('../main'), import('../lib/constructs/zot-app')]);
      return ZotApp.findUser(buildApp(), user);
    }),
  HTPASSWD_USAGE,
);
