/**
 * A real nginx (the Debian package) in front of several server processes, as an operator would run it:
 * round-robin over the upstreams, no sticky sessions. It runs in the foreground from a temporary prefix
 * directory with a generated configuration, on a loopback port, and is stopped by its own process id.
 *
 * Each answer carries `X-Upstream` (nginx's `$upstream_addr`: every server tried, comma-separated), so a
 * test can say which process answered.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './serve-process.ts';

export const NGINX_BIN = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((file) => fs.existsSync(file));

export interface Nginx {
  url: string;
  /** nginx's error log so far: why an upstream was given up on. */
  errorLog(): string;
  close(): Promise<void>;
}

/**
 * Failover choices (docs: README "Running several processes"):
 * - `proxy_next_upstream error timeout`: an upstream that refuses the connection or resets it before
 *   answering is skipped and the request sent to the next one. nginx never passes a POST, PATCH or LOCK
 *   on once it has been sent to an upstream (no `non_idempotent`): a write the dead process may have
 *   committed is answered 502, never replayed. A request that could not even connect was never sent, so
 *   it is retried whatever its method.
 * - `max_fails=1 fail_timeout=2s`: one failure takes a process out of the rotation for two seconds.
 * - No keep-alive to the upstreams, so that failover is deterministic: after a crash the next request
 *   meets a refused connection, which is safe to pass on. A kept connection to a process that just died
 *   can take a POST in the moment before nginx sees it closed, and that POST can only be answered 502.
 *   (With `keepalive 32` these tests passed too: nginx drops closed idle connections at once.) Where
 *   keep-alive is used, keep nginx's idle timeout (60 s) under Node's (Fastify: 72 s).
 * - `X-Forwarded-For $remote_addr` replaces whatever the client sent: with TENANTPILOT_TRUST_PROXY the
 *   server takes the client address (the sign-in limit's key) from it, so a client must not set it.
 */
function configuration(dir: string, port: number, upstreams: number[]): string {
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n');
  const user = process.getuid?.() === 0 ? `user ${os.userInfo().username};\n` : '';
  return `${user}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client-body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 60m;
  upstream tenantpilot {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://tenantpilot;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

export async function startNginx(upstreams: number[]): Promise<Nginx> {
  if (!NGINX_BIN) throw new Error('nginx is not installed (Debian: apt-get install nginx-light)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantpilot-nginx-'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, configuration(dir, port, upstreams));
  const checked = spawnSync(NGINX_BIN, ['-p', dir, '-c', conf, '-t'], { encoding: 'utf8' });
  if (checked.status !== 0) throw new Error(`nginx refused its configuration: ${checked.stderr}`);
  const child: ChildProcess = spawn(NGINX_BIN, ['-p', dir, '-c', conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilListening(
    url,
    () => child.exitCode !== null,
    () => stderr,
  );
  const errorLog = () => {
    const file = path.join(dir, 'error.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  };
  return {
    url,
    errorLog,
    async close() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(url: string, gone: () => boolean, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (gone()) throw new Error(`nginx exited at start: ${stderr()}`);
    try {
      await fetch(`${url}/healthz`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nginx did not listen within 5 s: ${stderr()}`);
}
