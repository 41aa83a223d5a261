import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../core/errors.ts';
import { DataDirInUseError } from '../db/data-dir-lock.ts';
import { packageRoot } from '../server-root.ts';
import {
  type Command,
  type CommandInput,
  commandHelp,
  UsageError,
  usageLine,
  whileDataDirHeld,
} from './command.ts';
import { deskCheck } from './commands/desk.ts';
import { fixturesLoad } from './commands/fixtures.ts';
import { importResults } from './commands/import.ts';
import { membersAdd, membersGrant } from './commands/members.ts';
import { migrate } from './commands/migrate.ts';
import { seed } from './commands/seed.ts';
import { serve } from './commands/serve.ts';
import { tokensCreate, tokensRevoke } from './commands/tokens.ts';
import { usersCreate, usersDeactivate, usersResetSecondFactor } from './commands/users.ts';

const commands: Command[] = [
  serve,
  migrate,
  fixturesLoad,
  importResults,
  seed,
  usersCreate,
  usersDeactivate,
  usersResetSecondFactor,
  tokensCreate,
  tokensRevoke,
  membersAdd,
  membersGrant,
  deskCheck,
];
const groups = new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]));

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: tenantpilot <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `tenantpilot <command> --help` for its options. The database is chosen by DATABASE_URL',
    '(PostgreSQL) or else TENANTPILOT_DATA_DIR (embedded, default ./.tenantpilot).',
    '',
  ].join('\n');
}

function groupHelp(group: string): string {
  const lines = commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => `  ${usageLine(c)}`);
  return ['Usage:', ...lines, '', `Run \`tenantpilot ${group} <command> --help\` for details.`, ''].join(
    '\n',
  );
}

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
  return `tenantpilot ${pkg.version}\n`;
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

/** parseArgs' own messages suggest `--` tricks; say plainly what was wrong instead. */
function parseError(error: NodeJS.ErrnoException, command: Command): UsageError {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  const text: Record<string, string> = {
    ERR_PARSE_ARGS_UNKNOWN_OPTION: `unknown option ${option}`,
    ERR_PARSE_ARGS_INVALID_OPTION_VALUE: `option ${option?.split(' ')[0]} ${error.message.includes('argument missing') ? 'needs a value' : 'takes no value'}`,
    ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: 'unexpected argument',
  };
  return new UsageError(text[error.code ?? ''] ?? error.message, command.name);
}

function parse(command: Command, args: string[]): CommandInput & { help: boolean } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw parseError(error as NodeJS.ErrnoException, command);
  }
  const values = parsed.values as CommandInput['values'];
  if (values.help) return { values, positionals: [], help: true };
  const expected = command.positionals ?? [];
  if (parsed.positionals.length !== expected.length) {
    const problem =
      parsed.positionals.length < expected.length
        ? `missing ${expected.slice(parsed.positionals.length).join(' ')}`
        : `unexpected argument ${JSON.stringify(parsed.positionals[expected.length])}`;
    throw new UsageError(problem, command.name);
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required && values[name] === undefined) throw new UsageError(`missing --${name}`, command.name);
  }
  return { values, positionals: parsed.positionals, help: false };
}

function printed(text: string, stream: NodeJS.WriteStream, exitCode: number): { exitCode: number } {
  stream.write(text);
  return { exitCode };
}

/** Finds the command named by the first one or two words, or prints the help asked for. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | { exitCode: number } {
  const [first, second] = argv;
  if (first === undefined) return printed(topHelp(), process.stderr, 2);
  if (isHelp(first)) return printed(topHelp(), process.stdout, 0);
  if (first === '--version') return printed(version(), process.stdout, 0);
  if (groups.has(first)) {
    if (isHelp(second)) return printed(groupHelp(first), process.stdout, 0);
    const command = commands.find((c) => c.name === `${first} ${second}`);
    if (command) return { command, rest: argv.slice(2) };
    const known = commands.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.split(' ')[1]);
    const what = second === undefined ? `"${first}" needs a command` : `unknown command "${first} ${second}"`;
    throw new UsageError(`${what} (${known.join(' or ')})`, first);
  }
  const command = commands.find((c) => c.name === first);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  return { command, rest: argv.slice(1) };
}

/** One line for a terminal; a failed query names the database's reason, never the query or its values. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : null;
  const fields = error instanceof AppError && error.fields ? Object.entries(error.fields) : [];
  const message =
    error.message.startsWith('Failed query') && cause
      ? `database error: ${cause}`
      : fields.length > 0
        ? `${error.message}: ${fields.map(([field, problem]) => `${field} ${problem}`).join('; ')}`
        : error.message;
  return message.replace(/\s*\n\s*/g, ' ');
}

/** Runs one `tenantpilot` invocation; returns the exit code, or undefined while a server keeps running. */
export async function runCli(argv: string[]): Promise<number | undefined> {
  let command: Command | undefined;
  try {
    const found = findCommand(argv);
    if ('exitCode' in found) return found.exitCode;
    command = found.command;
    const input = parse(found.command, found.rest);
    if (input.help) {
      process.stdout.write(commandHelp(found.command));
      return 0;
    }
    return await found.command.run(input);
  } catch (error) {
    if (error instanceof UsageError) {
      const name = error.command ?? command?.name;
      process.stderr.write(
        `tenantpilot: ${error.message}\nRun "tenantpilot ${name ? `${name} ` : ''}--help" for usage.\n`,
      );
      return 2;
    }
    const line =
      error instanceof DataDirInUseError && command ? whileDataDirHeld(error, command) : describeError(error);
    process.stderr.write(`tenantpilot: ${line}\n`);
    // Read here, not through loadConfig: the stack is most wanted when the configuration is what failed.
    if (process.env.TENANTPILOT_DEBUG === '1' && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
