/**
 * The baseline: a bare node:http server, in a process of its own, answering every request with the bytes
 * it was last given (status, content type, body) — what a request costs with no application at all.
 * Started by `startBareServer()`; `replay()` sets the answer before each measurement.
 */
import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Replay {
  status: number;
  contentType: string;
  body: string;
}

export interface BareServer {
  url: string;
  replay: (answer: Replay) => Promise<void>;
  close: () => Promise<void>;
}

export async function startBareServer(): Promise<BareServer> {
  const child: ChildProcess = fork(new URL(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    replay: (answer) =>
      new Promise((resolve) => {
        child.once('message', () => resolve());
        child.send(answer);
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function serve() {
  let status = 200;
  let headers: Record<string, string | number> = {};
  let body = Buffer.alloc(0);
  const server = http.createServer((request, response) => {
    // Read the request body as the application must before it answers.
    request.resume();
    request.on('end', () => {
      response.writeHead(status, headers);
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  process.on('message', (answer: Replay) => {
    status = answer.status;
    body = Buffer.from(answer.body);
    headers = { 'content-type': answer.contentType, 'content-length': body.length };
    process.send?.('ok');
  });
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

if (process.argv.includes('--serve')) serve();
