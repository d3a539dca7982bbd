// `npm run htpasswd -- <user> [--cost N]`: prints one htpasswd line for zot on stdout.
// `npm run htpasswd -- --verify <user> --file F`: checks a password against F (exit 0 match, 1 mismatch or refused, 2 usage).
// The password is read from stdin when piped, or prompted for without echo; never from an argument.
import * as fs from 'fs';
import {
  checkCost,
  DEFAULT_COST,
  HtpasswdError,
  isUtf8,
  makeHtpasswdLine,
  MAX_COST,
  MIN_COST,
  userNameProblem,
  verifyHtpasswd,
  verifyRefusal,
} from '../zot/htpasswd';
import { Io, optionFile, parseArgs, reportError, UsageError } from './command';
import { atPath } from './failure';

export const HTPASSWD_USAGE = `usage: npm run htpasswd -- <user> [--cost N]
       npm run htpasswd -- --verify <user> --file FILE

Makes one htpasswd line for zot, '<user>:$2y$NN$...', on stdout; guidance goes to stderr.
The password is read from stdin when it is piped (its exact bytes, less one final newline),
otherwise prompted for twice without echo. It is never taken from an argument (it would land in
shell history). --verify checks bcrypt ($2a$/$2b$/$2y$) and SHA-crypt ($5$/$6$) lines, the hashes
zot accepts; any other kind is an error.

  --cost N          bcrypt cost, ${MIN_COST}..${MAX_COST} (default ${DEFAULT_COST}); zot pays it on every request
  --verify USER     check the password (stdin, or one prompt) against USER's line in --file
  --file FILE       the htpasswd file for --verify
  --help            this text

Exit codes: 0 ok (--verify: the password matches), 1 refused input (--verify: no match, or a line
or file it cannot check; the message says which), 2 usage, 3 a bug.
`;

/** The piped password as its exact bytes (never decoded: zot compares bytes), less one final "\n" or "\r\n". */
async function readPiped(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  let bytes = Buffer.concat(chunks);
  if (bytes[bytes.length - 1] === 0x0a) bytes = bytes.subarray(0, bytes[bytes.length - 2] === 0x0d ? -2 : -1);
  return bytes;
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Echo off before the prompt shows: a password typed (or pasted) right at the prompt never echoes.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.resume();
    let value = '';
    const done = (err?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new HtpasswdError('interrupted'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The password's bytes: piped bytes as they are, a typed password as its UTF-8. */
async function readPassword(confirm: boolean): Promise<Buffer> {
  if (!process.stdin.isTTY) return readPiped();
  const first = await promptHidden('Password: ');
  if (confirm) {
    const second = await promptHidden('Password (again): ');
    if (first !== second) throw new HtpasswdError('the two passwords do not match');
  }
  return Buffer.from(first, 'utf8');
}

/** Said on stderr when the password is not UTF-8: it is hashed (or checked) as its bytes, never altered. */
function notUtf8Note(password: Buffer): string {
  return isUtf8(password)
    ? ''
    : `htpasswd: note: the password is not valid UTF-8; its ${password.length} bytes are used exactly as read (zot compares bytes).\n` +
        'htpasswd: a client must send the same bytes: one that stores or reads the password as text may change them.\n';
}

/** Where the app keeps a user's line: its Flux variable and the SOPS file of its source. */
export interface UserVariable {
  readonly variable: string;
  readonly file: string;
}

interface Args {
  user?: string;
  cost: number;
  verify?: string;
  file?: string;
}

function readArgs(argv: string[]): Args | 'help' {
  const parsed = parseArgs(argv, { values: ['cost', 'verify', 'file'] });
  if (parsed.help) return 'help';
  const args: Args = { cost: DEFAULT_COST };
  const cost = parsed.options.cost as string | undefined;
  if (cost !== undefined) {
    // Out of range is a usage error too, as every invalid option value (failure.ts).
    if (!/^\d+$/.test(cost) || Number(cost) < MIN_COST || Number(cost) > MAX_COST)
      throw new UsageError(`--cost: '${cost}' is not an integer from ${MIN_COST} to ${MAX_COST}`);
    args.cost = Number(cost);
  }
  args.verify = parsed.options.verify as string | undefined;
  args.file = parsed.options.file as string | undefined;
  if (parsed.positionals.length > 1) {
    throw new UsageError(
      `unexpected argument '${parsed.positionals[1]}' (the password is never an argument: pipe it on stdin)`,
    );
  }
  args.user = parsed.positionals[0];
  return args;
}

async function make(
  args: Args,
  io: Io,
  findUser: (user: string) => Promise<UserVariable | undefined>,
): Promise<number> {
  const user = args.user;
  if (user === undefined) throw new UsageError('a user name is required');
  const problem = userNameProblem(user);
  if (problem) throw new HtpasswdError(problem);
  checkCost(args.cost);
  const password = await readPassword(true);
  const line = makeHtpasswdLine(user, password, args.cost);
  io.stdout(line + '\n');
  io.stderr(notUtf8Note(password));
  const where = await findUser(user);
  const variable = where?.variable ?? '<VARIABLE>';
  const file = where?.file ?? 'clusters/common/flux/vars/common-secrets.sops.yaml';
  io.stderr(
    `htpasswd: the line for '${user}' (bcrypt cost ${args.cost}) is on stdout.\n` +
      (where
        ? ''
        : `htpasswd: no ZotApp in main.ts has a user '${user}' yet: add it to release.users with its variable.\n`) +
      `To store it as ${variable} without the line entering your shell history:\n` +
      `  line=$(npm run -s htpasswd -- ${user}) && sops --set "[\\"stringData\\"][\\"${variable}\\"] \\"$line\\"" ${file}\n` +
      "Then commit and push. Flux substitutes the new line into the HelmRelease; the chart's checksum/secret\n" +
      'pod annotation changes, so the zot pod restarts by itself and loads it.\n',
  );
  return 0;
}

async function verify(args: Args, io: Io): Promise<number> {
  if (args.user !== undefined) throw new UsageError(`unexpected argument '${args.user}' with --verify`);
  if (!args.file) throw new UsageError('--verify needs --file FILE');
  // A missing file, a folder or a link loop is a usage error (2), as in every command; what the machine refuses on reading is 1.
  const file = optionFile(io, args.file, '--file');
  const text = atPath(file, () => fs.readFileSync(file, 'utf8'));
  // A line that would be refused whatever the password: no prompt for it.
  const refusal = verifyRefusal(text, args.verify!);
  if (refusal !== undefined) {
    io.stderr(`htpasswd: ${args.file}: ${refusal}\n`);
    return 1;
  }
  const password = await readPassword(false);
  const result = verifyHtpasswd(text, args.verify!, password);
  io.stderr(notUtf8Note(password));
  if (result.ok === true || result.reason === 'mismatch') {
    if (result.note) io.stderr(`htpasswd: ${args.file}: note: ${result.note}\n`);
  }
  if (result.ok) {
    io.stderr(`htpasswd: the password matches the line of '${args.verify}'\n`);
    return 0;
  }
  if (result.reason === 'mismatch') {
    io.stderr(`htpasswd: the password does not match the line of '${args.verify}'\n`);
    return 1;
  }
  io.stderr(`htpasswd: ${args.file}: ${result.message}\n`);
  return 1;
}

/** `npm run htpasswd`; `findUser` looks a user up in the app (main.ts) to say where its line goes. */
export async function htpasswdCommand(
  argv: string[],
  io: Io,
  findUser: (user: string) => Promise<UserVariable | undefined> = async () => undefined,
): Promise<number> {
  try {
    const args = readArgs(argv);
    if (args === 'help') {
      io.stdout(HTPASSWD_USAGE);
      return 0;
    }
    return await (args.verify !== undefined ? verify(args, io) : make(args, io, findUser));
  } catch (e) {
    return reportError('htpasswd', e, io, HTPASSWD_USAGE);
  }
}
