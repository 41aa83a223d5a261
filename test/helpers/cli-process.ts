import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { runCli as tenantpilot } from '../../src/server/cli/main.ts';

/** The real `tenantpilot` command as a child process, on an embedded database in `dataDir`. */
const bin = path.resolve(import.meta.dirname, '../../bin/tenantpilot.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(dataDir: string, args: string[]): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, TENANTPILOT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.TENANTPILOT_DEBUG;
  delete env.TENANTPILOT_PUBLIC_URL;
  // Run from elsewhere than the checkout: the command must not depend on the working directory.
  return spawn(process.execPath, [bin, ...args], { cwd: os.tmpdir(), env });
}

/** Feeds `input` to a started command and collects what it prints until it closes. */
export function outputOf(child: ChildProcess, input = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin?.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export function runCli(dataDir: string, args: string[], input = ''): Promise<CliResult> {
  return outputOf(startCli(dataDir, args), input);
}

export interface ServingCli {
  url: string;
  pid: number;
  /** Everything the server printed on stdout so far. */
  output(): string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: nothing closed or flushed; resolves once the process is gone. */
  kill(): Promise<void>;
}

/** `tenantpilot serve --port 0 …`, once it says where it listens (and has printed its notes). */
export async function serveCli(dataDir: string, args: string[] = []): Promise<ServingCli> {
  const child = startCli(dataDir, ['serve', '--port', '0', ...args]);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /TenantPilot is running at (http:\S+)\n/.exec(output);
      // The notes after the first line come in the same write; a moment more for a split chunk.
      if (match?.[1]) setTimeout(() => resolve(match[1] as string), 100);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code} before listening: ${output}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export const outputLines = (text: string) => text.split('\n').filter(Boolean);

/**
 * One `tenantpilot …` invocation in this process (the command line's own entry point), on the embedded
 * database in a data directory or on a PostgreSQL database (`{ url }`), its text output captured: much quicker than a child process where the binary
 * itself is not what is tested. Only strings are captured: the test runner reports through this
 * process's stdout too, in binary, and that passes through untouched.
 */
export async function runCliInProcess(
  database: string | { url: string },
  args: string[],
): Promise<CliResult> {
  const captured = { stdout: '', stderr: '' };
  const original = { stdout: process.stdout.write, stderr: process.stderr.write };
  const env = { data: process.env.TENANTPILOT_DATA_DIR, database: process.env.DATABASE_URL };
  if (typeof database === 'string') {
    process.env.TENANTPILOT_DATA_DIR = database;
    delete process.env.DATABASE_URL;
  } else {
    process.env.DATABASE_URL = database.url;
  }
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const write = original[name];
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'string')
        return (write as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      captured[name] += chunk;
      return true;
    }) as typeof stream.write;
  }
  try {
    const code = await tenantpilot(args);
    return { code: code ?? null, ...captured };
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
    if (env.data === undefined) delete process.env.TENANTPILOT_DATA_DIR;
    else process.env.TENANTPILOT_DATA_DIR = env.data;
    if (env.database === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = env.database;
  }
}
