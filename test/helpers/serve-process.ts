/**
 * `tenantpilot serve` as a separate operating-system process on a PostgreSQL database, on a port chosen
 * beforehand (so a killed process can be started again where the load balancer expects it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../../bin/tenantpilot.js');

export interface ServeProcess {
  port: number;
  pid: number;
  /** Everything it wrote to stderr: why it failed, if it did. */
  stderr(): string;
  /** SIGKILL: no graceful close, nothing flushed; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, the graceful stop. */
  stop(): Promise<void>;
}

/**
 * `count` different loopback ports nothing listens on at the moment of asking. They are held open together
 * until all are known: asked one after another, the port one released could be the next one handed out, and
 * two servers told the same port would fail to start (EADDRINUSE).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

/** A loopback port nothing listens on at the moment of asking. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('no loopback port was handed out');
  return port;
}

/** The process environment without anything that would point the server elsewhere than `env` says. */
function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(SUPPORT_DESK_|OIDC_|SMTP_|TENANTPILOT_|DATABASE_URL$|PORT$|HOST$)/.test(name),
    ),
  );
  return { ...inherited, LOG_LEVEL: 'warn', ...env };
}

export async function startServeProcess(
  databaseUrl: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--port', String(port)], {
    cwd: os.tmpdir(),
    env: serverEnv({ ...env, DATABASE_URL: databaseUrl }),
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('TenantPilot is running at ')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code} before listening: ${stderr}`)));
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    port,
    pid: child.pid ?? 0,
    stderr: () => stderr,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

/**
 * Which of `pids` holds the TCP connection whose local end is 127.0.0.1:`localPort` (the remote port a
 * server seen by a test's fake desk called from), read from /proc: Linux only, like nginx here.
 */
export function processOwningConnection(localPort: number, pids: number[]): number | undefined {
  const local = `0100007F:${localPort.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[9]) inodes.add(`socket:[${fields[9]}]`);
  }
  return pids.find((pid) =>
    fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false; // closed while being read
      }
    }),
  );
}
