// `npm run htpasswd -- <user> [--cost N]`: prints one htpasswd line for zot on stdout.
// `npm run htpasswd -- --verify <user> --file F`: checks a password against F (exit 0 match, 1 mismatch, 2 error).
// The password is read from stdin when piped, or prompted for without echo; never from an argument.
import * as fs from 'fs';
import {
  checkCost, DEFAULT_COST, HtpasswdError, makeHtpasswdLine, MAX_COST, MIN_COST, userNameProblem, verifyHtpasswd,
} from '../lib/htpasswd';

const USAGE = `usage: npm run htpasswd -- <user> [--cost N]
       npm run htpasswd -- --verify <user> --file FILE

Makes one htpasswd line for zot, '<user>:$2y$NN$...', on stdout; guidance goes to stderr.
The password is read from stdin when it is piped, otherwise prompted for twice without echo.
It is never taken from an argument (it would land in shell history).

  --cost N          bcrypt cost, ${MIN_COST}..${MAX_COST} (default ${DEFAULT_COST}); zot pays it on every request
  --verify USER     check the password (stdin, or one prompt) against USER's line in --file
  --file FILE       the htpasswd file for --verify
  --help            this text

Exit codes: make: 0 ok, 1 refused input, 2 usage. --verify: 0 match, 1 mismatch, 2 error.
`;

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
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
      if (err) reject(err); else resolve(value);
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

async function readPassword(confirm: boolean): Promise<string> {
  if (!process.stdin.isTTY) return readPiped();
  const first = await promptHidden('Password: ');
  if (!confirm) return first;
  const second = await promptHidden('Password (again): ');
  if (first !== second) throw new HtpasswdError('the two passwords do not match');
  return first;
}

interface Args { user?: string; cost: number; verify?: string; file?: string }

function parseArgs(argv: string[]): Args | 'help' {
  const args: Args = { cost: DEFAULT_COST };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--cost') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`--cost: '${v}' is not an integer from ${MIN_COST} to ${MAX_COST}`);
      args.cost = Number(v);
    } else if (a === '--verify') args.verify = value();
    else if (a === '--file') args.file = value();
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}' (the password is never an argument: pipe it on stdin)`);
    else if (args.user === undefined) args.user = a;
    else throw new UsageError(`unexpected argument '${a}' (the password is never an argument: pipe it on stdin)`);
  }
  return args;
}

class UsageError extends Error {}

/** Where the app keeps this user's line, from main.ts; undefined when no ZotApp has the user. */
async function userVariable(user: string): Promise<{ variable: string; file: string } | undefined> {
  // Loaded only here: reading main.ts's app costs the cdk8s start-up, which --verify does not need.
  const { buildApp } = await import('../main');
  const { ZotApp } = await import('../lib/zot-app');
  for (const c of buildApp().node.findAll()) {
    if (!(c instanceof ZotApp)) continue;
    const u = c.release.users.find((x) => x.name === user);
    if (!u) continue;
    const source = c.variables.find((v) => v.variable === u.variable)!.source;
    return { variable: u.variable, file: `clusters/common/flux/vars/${source.name}.sops.yaml` };
  }
  return undefined;
}

async function make(args: Args): Promise<number> {
  const user = args.user;
  if (user === undefined) throw new UsageError('a user name is required');
  const problem = userNameProblem(user);
  if (problem) throw new HtpasswdError(problem);
  checkCost(args.cost);
  const password = await readPassword(true);
  const line = makeHtpasswdLine(user, password, args.cost);
  process.stdout.write(line + '\n');
  const where = await userVariable(user);
  const variable = where?.variable ?? '<VARIABLE>';
  const file = where?.file ?? 'clusters/common/flux/vars/common-secrets.sops.yaml';
  process.stderr.write(
    `htpasswd: the line for '${user}' (bcrypt cost ${args.cost}) is on stdout.\n` +
    (where ? '' : `htpasswd: no ZotApp in main.ts has a user '${user}' yet: add it to release.users with its variable.\n`) +
    `To store it as ${variable} without the line entering your shell history:\n` +
    `  line=$(npm run -s htpasswd -- ${user}) && sops --set "[\\"stringData\\"][\\"${variable}\\"] \\"$line\\"" ${file}\n` +
    'Then commit and push. Flux substitutes the new line into the HelmRelease; the chart\'s checksum/secret\n' +
    'pod annotation changes, so the zot pod restarts by itself and loads it.\n',
  );
  return 0;
}

async function verify(args: Args): Promise<number> {
  if (args.user !== undefined) throw new UsageError(`unexpected argument '${args.user}' with --verify`);
  if (!args.file) throw new UsageError('--verify needs --file FILE');
  let text: string;
  try {
    text = fs.readFileSync(args.file, 'utf8');
  } catch (e: any) {
    process.stderr.write(`htpasswd: cannot read --file '${args.file}': ${e.code ?? e.message}\n`);
    return 2;
  }
  const password = await readPassword(false);
  const result = verifyHtpasswd(text, args.verify!, password);
  if (result.ok) { process.stderr.write(`htpasswd: the password matches the line of '${args.verify}'\n`); return 0; }
  if (result.reason === 'mismatch') { process.stderr.write(`htpasswd: the password does not match the line of '${args.verify}'\n`); return 1; }
  process.stderr.write(`htpasswd: ${args.file}: ${result.message}\n`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
    if (args === 'help') { process.stdout.write(USAGE); return 0; }
    return await (args.verify !== undefined ? verify(args) : make(args));
  } catch (e: any) {
    if (e instanceof UsageError) { process.stderr.write(`htpasswd: ${e.message}\n\n${USAGE}`); return 2; }
    if (e instanceof HtpasswdError) {
      process.stderr.write(`htpasswd: error: ${e.message}\n`);
      return argv.includes('--verify') ? 2 : 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
