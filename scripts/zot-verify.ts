// `npm run zot-verify -- [--zot VERSION | --chart VERSION] FILE`: see lib/cli/zot-verify.ts.
import { runCommand } from '../lib/cli/command';
import { ZOT_VERIFY_USAGE, zotVerifyCommand } from '../lib/cli/zot-verify';

runCommand('zot-verify', zotVerifyCommand, ZOT_VERIFY_USAGE);
