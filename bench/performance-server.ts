/**
 * A TenantPilot tree as the performance bench drives it: only through its command line
 * (`node bin/tenantpilot.js …`), so that two commits whose code differs are measured the same way, each
 * server a real process of its own.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Tree {
  label: string;
  root: string;
  remove: () => void;
}

/** A git worktree of `commit` beside this one, sharing this tree's node_modules. */
export function checkoutTree(root: string, commit: string): Tree {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], { cwd: root })
    .toString()
    .trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tp-bench-before-${sha.slice(0, 8)}-`));
  execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: root, stdio: 'ignore' });
  fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'));
  return {
    label: sha.slice(0, 8),
    root: dir,
    remove: () => execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' }),
  };
}

/** The environment of a tree's commands: the database and the desk named, nothing inherited that chooses one. */
export function treeEnv(database: { url: string } | { dataDir: string }, extra: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'error', ...extra };
  for (const name of ['DATABASE_URL', 'TENANTPILOT_DATA_DIR', 'TEST_DATABASE_URL', 'BENCH_DATABASE_URL'])
    delete env[name];
  if ('url' in database) env.DATABASE_URL = database.url;
  else env.TENANTPILOT_DATA_DIR = database.dataDir;
  return env;
}

/** Runs `tenantpilot <args>` in the tree; its stdout, and how long it took. */
export function runCli(tree: Tree, env: NodeJS.ProcessEnv, args: string[]) {
  return new Promise<{ stdout: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/tenantpilot.js', ...args], { cwd: tree.root, env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ stdout: Buffer.concat(out).toString(), ms });
      else reject(new Error(`${tree.label}: tenantpilot ${args[0]} exited ${code}: ${Buffer.concat(err)}`));
    });
  });
}

export interface RunningServer {
  url: string;
  /** From spawning the process to the first 200 from /healthz. */
  startMs: number;
  /** Peak resident memory of the server process and its children so far, MiB. */
  peakRssMiB: () => number;
  stop: () => Promise<void>;
}

/** `tenantpilot serve` on `port`, its output in `logFile`; resolves once /healthz answers 200. */
export async function startServer(tree: Tree, env: NodeJS.ProcessEnv, port: number, logFile: string) {
  const log = fs.openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/tenantpilot.js', 'serve', '--host', '127.0.0.1', '--port', String(port)],
    { cwd: tree.root, env, stdio: ['ignore', log, log] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const url = `http://127.0.0.1:${port}`;
  while (!(await healthy(url))) {
    if (gone) throw new Error(`${tree.label}: serve exited before /healthz answered; see ${logFile}`);
    if (performance.now() - started > 120_000) throw new Error(`${tree.label}: no /healthz within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startMs = performance.now() - started;
  const pid = child.pid as number;
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    fs.closeSync(log);
  };
  return { url, startMs, peakRssMiB: () => peakRssMiB(pid), stop } satisfies RunningServer;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** VmHWM (the kernel's peak resident set) of `pid` and every descendant, summed, in MiB. */
function peakRssMiB(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let kib = 0;
  const visit = (id: number) => {
    try {
      const status = fs.readFileSync(`/proc/${id}/status`, 'utf8');
      kib += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // ended
    }
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(pid);
  return kib / 1024;
}
