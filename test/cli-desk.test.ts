// `tenantpilot desk check`, the real bin as a child process, against a real local server playing the desk.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { answer, type FakeDesk, refusedUrl, startFakeDesk } from './helpers/fake-desk.ts';

const bin = path.resolve(import.meta.dirname, '../bin/tenantpilot.js');
const SECRET = 'planted-cli-secret-51b2';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command with only the desk settings given (nothing inherited from the test's environment). */
function deskCheck(env: Record<string, string>): Promise<Result> {
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

describe('tenantpilot desk check', () => {
  let fake: FakeDesk;
  let zendesk: Record<string, string>;
  before(async () => {
    fake = await startFakeDesk();
    zendesk = {
      SUPPORT_DESK_PROVIDER: 'zendesk',
      SUPPORT_DESK_URL: fake.url,
      SUPPORT_DESK_EMAIL: 'agent@example.com',
      SUPPORT_DESK_API_TOKEN: SECRET,
      SUPPORT_DESK_TIMEOUT_MS: '1000',
    };
  });
  after(() => fake.close());

  test('credentials accepted: one line on stdout, exit 0, and only a read was made', async () => {
    fake.respondWith(answer.json(200, { user: { id: 9, email: 'agent@example.com', role: 'admin' } }));
    const before = fake.requests.length;
    const result = await deskCheck(zendesk);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `Zendesk at ${fake.url}: credentials accepted (signed in as agent@example.com, role admin)\n`,
    );
    assert.equal(result.stderr, '');
    assert.deepEqual(
      fake.requests.slice(before).map((r) => `${r.method} ${r.path}`),
      ['GET /api/v2/users/me.json'],
    );
  });

  const failures: Array<[string, Parameters<FakeDesk['respondWith']>[0], RegExp]> = [
    [
      'rejected credentials',
      answer.json(401, { error: "Couldn't authenticate you" }),
      /rejected the credentials \(HTTP 401\)/,
    ],
    [
      'wrong URL',
      answer.json(404, { error: 'InvalidEndpoint', description: 'Not found' }),
      /404 Not Found — check SUPPORT_DESK_URL/,
    ],
    ['a timeout', answer.hang(), /did not answer within 1 s/],
    [
      'an unexpected answer',
      answer.text(200, '<html>login</html>', { 'content-type': 'text/html' }),
      /malformed answer/,
    ],
  ];
  for (const [label, behaviour, expected] of failures) {
    test(`${label}: one line on stderr naming the desk, exit 1, no secret`, async () => {
      fake.respondWith(behaviour);
      const result = await deskCheck(zendesk);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const lines = result.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(lines[0]?.startsWith(`tenantpilot: Zendesk at ${fake.url}: `), lines[0]);
      assert.match(result.stderr, expected);
      assert.ok(!result.stderr.includes(SECRET));
    });
  }

  test('connection refused', async () => {
    const result = await deskCheck({ ...zendesk, SUPPORT_DESK_URL: await refusedUrl() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /connection refused/);
  });

  test('no desk configured: says so, exit 1', async () => {
    const result = await deskCheck({});
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^tenantpilot: no support desk is configured: set SUPPORT_DESK_PROVIDER/);
  });

  test('the URL shown drops a query string that may carry a key', async () => {
    fake.respondWith(answer.json(405, {}));
    const result = await deskCheck({
      SUPPORT_DESK_PROVIDER: 'webhook',
      SUPPORT_DESK_URL: `${fake.url}/hook?key=${SECRET}`,
      SUPPORT_DESK_SECRET: SECRET,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^Support desk \\(webhook\\) at ${fake.url}/hook: reachable`));
    assert.ok(!result.stdout.includes(SECRET));
  });

  test('--help describes it, and the top help lists it', async () => {
    const child = spawn(process.execPath, [bin, '--help'], { cwd: os.tmpdir() });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    await new Promise((resolve) => child.on('close', resolve));
    assert.match(stdout, / {2}desk check {2,}Check the configured support desk/);
  });
});
