import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import type { DataDirInUseError } from '../db/data-dir-lock.ts';
import { maintainTables } from '../db/embedded-maintenance.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in the help as `--name VALUE`. */
  value?: string;
  description: string;
  required?: boolean;
}

export interface CommandInput {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface Command {
  /** One or two words: `migrate`, `users create`. */
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments, all required: `['FILE']`. */
  positionals?: string[];
  /** Lines after the options in `--help`. */
  details?: string[];
  /**
   * What to do in the web UI instead, when a server holds the embedded database and this command is
   * refused (`invite people on its Administration → People page`). Commands without one are told to stop
   * the server first.
   */
  inWebUi?: string;
  run(input: CommandInput): Promise<number | undefined>;
}

/** A mistake in how the command was called: exit code 2 and a pointer to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export function usageLine(command: Command): string {
  const options = Object.entries(command.options).map(([name, spec]) => {
    const flag = spec.value ? `--${name} ${spec.value}` : `--${name}`;
    return spec.required ? flag : `[${flag}]`;
  });
  return ['tenantpilot', command.name, ...options, ...(command.positionals ?? [])].join(' ');
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: ${usageLine(command)}`, '', command.summary];
  const options = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return `  ${flag.padEnd(24)} ${spec.description}`;
  });
  lines.push('', 'Options:', ...options, `  ${'-h, --help'.padEnd(24)} show this help`);
  if (command.details) lines.push('', ...command.details);
  return `${lines.join('\n')}\n`;
}

/** Reads the configuration only when a command needs it, so `--help` works whatever the environment. */
export function config(): Config {
  return loadConfig();
}

/** Describes where the data lives without ever printing DATABASE_URL, which may hold a password. */
export function describeDatabase(config: Config): string {
  return config.database.kind === 'pglite'
    ? `the embedded database in ${config.database.dataDir}`
    : 'the PostgreSQL database (DATABASE_URL)';
}

/**
 * Opens the configured database at the current schema, runs `work`, and always closes it: an open
 * embedded database keeps Node running and holds the data-directory lock.
 */
export async function withDatabase<T>(
  config: Config,
  work: (database: Database) => Promise<T>,
  options: { bulkWrite?: boolean } = {},
): Promise<T> {
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    const result = await work(database);
    // A bulk write leaves the database's statistics current, so the first requests after it are planned on
    // them: the embedded database (no autovacuum) gets its maintenance pass, PostgreSQL an analyze of what
    // changed rather than autovacuum's a minute later.
    if (options.bulkWrite) await maintainTables(database.db, { vacuum: database.kind === 'pglite' });
    return result;
  } finally {
    await database.close();
  }
}

/** Parses a whole number in [min, max] given to `--name`, or refuses the call. */
export function integerOption(name: string, raw: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Messages about what happened go to stderr when stdout carries the result a script reads. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * One line saying what to do when a server (or another command) holds the embedded database: who holds
 * it, what its web UI offers instead, or to stop it first; and that PostgreSQL has no such limit.
 */
export function whileDataDirHeld(error: DataDirInUseError, command: Command): string {
  const { dataDir, holder } = error;
  const postgres = 'with DATABASE_URL (PostgreSQL) the command line works beside running servers';
  if (!holder.serverUrl) {
    return (
      `The embedded database in ${dataDir} is in use by another TenantPilot process (pid ${holder.pid}): ` +
      `wait for it to finish, or stop it, and run this again; ${postgres}.`
    );
  }
  const held = `The embedded database in ${dataDir} is held by the TenantPilot server at ${holder.serverUrl} (pid ${holder.pid})`;
  const instead = command.inWebUi
    ? `${command.inWebUi} (${holder.serverUrl}/admin), which does the same, or stop the server and run this again`
    : 'stop the server first, then run this again';
  return `${held}: ${instead}; ${postgres}.`;
}
