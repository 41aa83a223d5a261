import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { type LocalSmtp, startLocalSmtp } from '../../../../test/helpers/smtp.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import type { InvitationResult } from './schemas.ts';

/** Invitations by e-mail (SMTP_URL, SMTP_FROM), against a real SMTP server on a loopback port. */
let smtp: LocalSmtp;
let t: TestApp;
const logLines: string[] = [];

before(async () => {
  smtp = await startLocalSmtp();
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logLines.push(chunk.toString('utf8')));
  t = await startTestApp(
    {
      SMTP_URL: smtp.url,
      SMTP_FROM: 'TenantPilot <noreply@tenantpilot.example.test>',
      TENANTPILOT_PUBLIC_URL: 'https://tp.example.test',
      LOG_LEVEL: 'info',
    },
    { logStream },
  );
});

after(async () => {
  await t.close();
  await smtp.close();
});

async function createTeam(app: TestApp = t) {
  const workspace = await make.createWorkspace(app.db, { name: 'Fabrikam Services' });
  const owner = await make.createUser(app.db, { displayName: 'Olivia Owner' });
  await make.addWorkspaceMember(app.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  const token = { bearer: await make.createApiToken(app.db, { userId: owner.id }) };
  return { workspace, owner, token, people: `/admin/w/${workspace.slug}/people` };
}

let serial = 0;
async function invite(app: TestApp, team: Awaited<ReturnType<typeof createTeam>>, email?: string) {
  const response = await request(app.app, team.token, {
    method: 'POST',
    url: team.people,
    payload: {
      email: email ?? `mail-${++serial}@example.test`,
      display_name: 'Nina New',
      workspace_role: 'readonly',
    },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as InvitationResult;
}

describe('with SMTP configured', () => {
  test('the invitation is e-mailed in plain text: workspace, inviter, link, expiry', async () => {
    const team = await createTeam();
    const sent = smtp.messages.length;
    const result = await invite(t, team, 'nina.new@example.test');
    assert.equal(result.email_sent, true);
    assert.equal(smtp.messages.length, sent + 1);
    const mail = smtp.messages.at(-1);
    assert.equal(mail?.from, 'noreply@tenantpilot.example.test');
    assert.deepEqual(mail?.to, ['nina.new@example.test']);
    assert.equal(mail?.headers.from, 'TenantPilot <noreply@tenantpilot.example.test>');
    assert.equal(mail?.headers.to, 'Nina New <nina.new@example.test>');
    assert.equal(mail?.headers.subject, 'Olivia Owner invited you to Fabrikam Services on TenantPilot');
    assert.match(mail?.headers['content-type'] ?? '', /^text\/plain/);
    const text = mail?.text ?? '';
    assert.ok(text.includes('"Fabrikam Services"'), text);
    assert.ok(text.includes('Olivia Owner'), text);
    assert.ok(text.split('\n').includes(result.invitation_url ?? 'missing'), text);
    const expiry = `${result.invitation_expires_at?.slice(0, 16).replace('T', ' ')} UTC`;
    assert.ok(text.includes(expiry), text);

    const again = await request(t.app, team.token, {
      method: 'POST',
      url: `${team.people}/${result.person.user_id}/actions/reinvite`,
    });
    assert.equal(again.statusCode, 200);
    const second = again.json() as InvitationResult;
    assert.equal(second.email_sent, true);
    assert.ok(smtp.messages.at(-1)?.text.includes(second.invitation_url ?? 'missing'));
  });

  test('an existing user added to the workspace gets no mail', async () => {
    const team = await createTeam();
    const existing = await make.createUser(t.db);
    const sent = smtp.messages.length;
    const result = await invite(t, team, existing.email);
    assert.equal(result.outcome, 'added');
    assert.equal(result.email_sent, false);
    assert.equal(smtp.messages.length, sent);
  });

  test('a refused mail leaves the invitation: the link is shown and works, email_sent is false', async () => {
    const team = await createTeam();
    smtp.refuseWith(550);
    try {
      const result = await invite(t, team);
      assert.equal(result.email_sent, false);
      const link = new URL(result.invitation_url ?? '').pathname;
      const shown = await request(t.app, null, { method: 'GET', url: link });
      assert.equal(shown.statusCode, 200, shown.body);
      const log = logLines.join('');
      assert.match(log, /invitation e-mail not sent/);
      assert.ok(!log.includes(link.split('/').at(-1) ?? 'missing'), 'the token is not logged');
    } finally {
      smtp.refuseWith(null);
    }
  });

  test('an unreachable mail server: email_sent is false, the invitation stays', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_FROM: 'tp@example.test',
    });
    try {
      const team = await createTeam(unreachable);
      const result = await invite(unreachable, team);
      assert.equal(result.email_sent, false);
      assert.ok(result.invitation_url);
    } finally {
      await unreachable.close();
    }
  });
});

describe('SMTP configuration', () => {
  test('both or neither, an smtp(s) URL, a From address; errors name the variable and never the URL', () => {
    assert.equal(loadConfig({}).smtp, null);
    assert.deepEqual(
      loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.test:465', SMTP_FROM: 'a@b.test' }).smtp,
      {
        url: 'smtps://u:p@mail.example.test:465',
        from: 'a@b.test',
      },
    );
    assert.equal(
      loadConfig({ SMTP_URL: 'smtp://mail:25', SMTP_FROM: 'TP <tp@b.test>' }).smtp?.from,
      'TP <tp@b.test>',
    );
    const refused: [Record<string, string>, RegExp][] = [
      [{ SMTP_URL: 'smtp://mail:25' }, /SMTP_FROM must be set/],
      [{ SMTP_FROM: 'a@b.test' }, /SMTP_URL must be set/],
      [{ SMTP_URL: 'http://secret:pw@mail', SMTP_FROM: 'a@b.test' }, /SMTP_URL must start with smtp/],
      [{ SMTP_URL: 'not a url secret-pw', SMTP_FROM: 'a@b.test' }, /SMTP_URL must be a URL/],
      [{ SMTP_URL: 'smtp://mail:25', SMTP_FROM: 'nobody' }, /SMTP_FROM must be an e-mail address/],
      [{ SMTP_URL: 'smtp://mail:25', SMTP_FROM: 'TP <not an address>' }, /SMTP_FROM/],
    ];
    for (const [env, message] of refused) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) =>
          error instanceof ConfigError && message.test(error.message) && !/secret|pw@/.test(error.message),
        JSON.stringify(env),
      );
    }
  });
});
