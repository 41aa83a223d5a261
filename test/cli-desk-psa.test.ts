// `tenantpilot desk check` for the three PSAs: the real bin as a child process, configured only through the
// environment, against local servers answering as HaloPSA, ConnectWise PSA and Autotask do. (A file of its
// own: with the other desk check tests, one file came near the runner's 120 s on a loaded machine.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FakeAutotask, startFakeAutotask } from './helpers/fake-autotask.ts';
import { type FakeConnectWise, startFakeConnectWise } from './helpers/fake-connectwise.ts';
import { type FakeHaloPsa, haloEnv, startFakeHaloPsa } from './helpers/fake-halopsa.ts';

const bin = path.resolve(import.meta.dirname, '../bin/tenantpilot.js');
const SECRET = 'planted-cli-secret-7c3d';

/** Runs the command with only the desk settings given (nothing inherited from the test's environment). */
function deskCheck(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'silent',
    ...env,
  };
  const child = spawn(process.execPath, [bin, 'desk', 'check'], { cwd: os.tmpdir(), env: childEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('tenantpilot desk check: the PSAs, configured through the environment', () => {
  let halo: FakeHaloPsa;
  let cw: FakeConnectWise;
  let at: FakeAutotask;
  before(async () => {
    [halo, cw, at] = await Promise.all([startFakeHaloPsa(), startFakeConnectWise(), startFakeAutotask()]);
  });
  after(() => Promise.all([halo.close(), cw.close(), at.close()]));

  const connectwise = () => ({
    SUPPORT_DESK_PROVIDER: 'connectwise_psa',
    SUPPORT_DESK_URL: cw.url,
    SUPPORT_DESK_COMPANY_ID: cw.companyId,
    SUPPORT_DESK_PUBLIC_KEY: cw.publicKey,
    SUPPORT_DESK_PRIVATE_KEY: cw.privateKey,
    SUPPORT_DESK_CLIENT_ID: cw.clientId,
    SUPPORT_DESK_BOARD_ID: cw.boardId,
  });
  const autotask = () => ({
    SUPPORT_DESK_PROVIDER: 'autotask',
    SUPPORT_DESK_URL: at.url,
    SUPPORT_DESK_API_INTEGRATION_CODE: at.apiIntegrationCode,
    SUPPORT_DESK_USERNAME: at.username,
    SUPPORT_DESK_SECRET: at.secret,
    SUPPORT_DESK_QUEUE_ID: at.queueId,
  });

  test('HaloPSA: a token, then the API agent; nothing created', async () => {
    const result = await deskCheck(haloEnv(halo));
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^HaloPSA at http:\/\/127\.0\.0\.1:\d+: credentials accepted \(token issued; API agent TenantPilot API\)/,
    );
    assert.equal(halo.tickets.length, 0);
  });

  test('HaloPSA: a wrong client secret says credentials, never the secret', async () => {
    const result = await deskCheck({ ...haloEnv(halo), SUPPORT_DESK_CLIENT_SECRET: SECRET });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /rejected the credentials \(token request\)/);
    assert.ok(!result.stderr.includes(SECRET));
  });

  test('ConnectWise PSA: the board', async () => {
    const result = await deskCheck(connectwise());
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^ConnectWise PSA at .*: credentials accepted \(service board "Service Desk"\)\n$/,
    );
    const wrong = await deskCheck({ ...connectwise(), SUPPORT_DESK_PRIVATE_KEY: SECRET });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /rejected the credentials \(HTTP 401\)/);
    assert.ok(!wrong.stderr.includes(SECRET));
  });

  test('Autotask: the credentials and the queue', async () => {
    const result = await deskCheck(autotask());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Autotask at .*: credentials accepted \(queue "Client Portal"\)\n$/);
    const noQueue = await deskCheck({ ...autotask(), SUPPORT_DESK_QUEUE_ID: '404' });
    assert.equal(noQueue.code, 1);
    assert.match(noQueue.stderr, /no ticket queue 404/);
  });

  test('a board or queue id that is not a number stops at start, naming the variable', async () => {
    const board = await deskCheck({ ...connectwise(), SUPPORT_DESK_BOARD_ID: 'Service Desk' });
    assert.equal(board.code, 1);
    assert.match(board.stderr, /SUPPORT_DESK_BOARD_ID must be a positive whole number/);
    const auth = await deskCheck({ ...haloEnv(halo), SUPPORT_DESK_AUTH_URL: 'halo.example/auth' });
    assert.equal(auth.code, 1);
    assert.match(auth.stderr, /SUPPORT_DESK_AUTH_URL must be an absolute http/);
  });
});
