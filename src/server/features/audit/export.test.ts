import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { parseCsv } from '../../../../test/helpers/csv.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { workspaceCapabilitiesOf } from '../../core/capabilities.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import { AUDIT_CSV_HEADER, exportAuditCsv } from './service.ts';
import { auditEvents } from './tables.ts';

/**
 * docs/rules.md "Administration": `?format=csv` streams the same rows as the pages, as CSV, fetched batch
 * by batch and written as it goes. Formula-looking cells are defused; before/after are compact JSON.
 */
let t: TestApp;
let workspace: make.Workspace;
let owner: make.User;
let bearer: { bearer: string };
let tenant: make.Tenant;

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db, { slug: 'contoso-msp' });
  owner = await make.createUser(t.db, { displayName: 'Olive Owner' });
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id, name: '=Tenant,With "quotes"' });
  bearer = { bearer: await make.createApiToken(t.db, { userId: owner.id }) };
});
after(() => t.close());

const csvUrl = (query = '') => `/admin/w/${workspace.slug}/audit?format=csv${query}`;

describe('content', () => {
  let hostile = 0;
  before(async () => {
    const [row] = await t.db
      .insert(auditEvents)
      .values({
        workspaceId: workspace.id,
        tenantId: tenant.id,
        actorUserId: owner.id,
        action: '=cmd|calc',
        subjectType: '+subject',
        subjectId: '-1',
        before: { name: '@old' },
        after: { name: 'line\nbreak, "quoted"' },
        clientAddress: '@203.0.113.1',
        createdAt: new Date('2026-04-01T08:00:00.000Z'),
      })
      .returning({ id: auditEvents.id });
    hostile = Number(row?.id);
    for (let i = 0; i < 5; i++) {
      await t.db.insert(auditEvents).values({
        workspaceId: workspace.id,
        actorUserId: i % 2 ? owner.id : null,
        action: i % 2 ? 'member.added' : 'tenant.renamed',
        subjectType: 'user',
        subjectId: String(i),
        createdAt: new Date(Date.parse('2026-04-02T00:00:00.000Z') + i * 60_000),
      });
    }
  });

  test('headers: text/csv, an attachment named after the workspace and the day', async () => {
    const response = await request(t.app, bearer, { method: 'GET', url: csvUrl() });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    const day = new Date().toISOString().slice(0, 10);
    assert.equal(
      response.headers['content-disposition'],
      `attachment; filename="tenantpilot-audit-contoso-msp-${day}.csv"`,
    );
  });

  test("the UI's plain Export link: a browser navigation (asking for HTML) gets the file, not the app", async () => {
    const response = await request(t.app, bearer, {
      method: 'GET',
      url: csvUrl(),
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    assert.ok(response.body.startsWith(`${AUDIT_CSV_HEADER.join(',')}\r\n`));
  });

  test('the same rows as the pages, same order, a header first', async () => {
    for (const query of ['', '&action=member.', `&actor=${owner.id}`, `&tenant=${tenant.externalId}`]) {
      const csv = await request(t.app, bearer, { method: 'GET', url: csvUrl(query) });
      const json = await request(t.app, bearer, {
        method: 'GET',
        url: `/admin/w/${workspace.slug}/audit?limit=200${query}`,
      });
      const rows = parseCsv(csv.body);
      assert.deepEqual(rows[0], [...AUDIT_CSV_HEADER]);
      assert.deepEqual(
        rows.slice(1).map((r) => Number(r[0])),
        json.json().items.map((item: { id: number }) => item.id),
        query,
      );
    }
  });

  test('every cell that could run as a formula is defused; before/after compact JSON; quotes and breaks kept', async () => {
    const csv = await request(t.app, bearer, { method: 'GET', url: csvUrl() });
    const row = parseCsv(csv.body).find((r) => Number(r[0]) === hostile);
    assert.ok(row);
    assert.deepEqual(row, [
      String(hostile),
      '2026-04-01T08:00:00.000Z',
      "'=cmd|calc",
      String(owner.id),
      'Olive Owner',
      "'+subject",
      "'-1",
      tenant.externalId,
      '\'=Tenant,With "quotes"',
      "'@203.0.113.1",
      '{"name":"@old"}',
      '{"name":"line\\nbreak, \\"quoted\\""}',
    ]);
    for (const cell of parseCsv(csv.body).flat()) {
      assert.ok(!/^[=+\-@\t\r]/.test(cell), `a cell starts like a formula: ${JSON.stringify(cell)}`);
    }
  });

  test('an export with nothing to list is the header alone', async () => {
    const csv = await request(t.app, bearer, { method: 'GET', url: csvUrl('&tenant=no-such-tenant') });
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.body, `${AUDIT_CSV_HEADER.join(',')}\r\n`);
  });
});

describe('5,000 events', () => {
  const TOTAL = 5000;
  let ids: number[] = [];
  let big: make.Workspace;
  let bigBearer: { bearer: string };

  before(async () => {
    big = await make.createWorkspace(t.db);
    const bigOwner = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: big.id, userId: bigOwner.id, role: 'owner' });
    bigBearer = { bearer: await make.createApiToken(t.db, { userId: bigOwner.id }) };
    const padding = 'x'.repeat(400);
    for (let start = 0; start < TOTAL; start += 500) {
      const rows = await t.db
        .insert(auditEvents)
        .values(
          Array.from({ length: 500 }, (_, i) => ({
            workspaceId: big.id,
            actorUserId: bigOwner.id,
            action: 'finding.responsibility_changed',
            subjectType: 'finding',
            subjectId: String(start + i),
            before: { n: start + i, padding },
            after: { n: start + i + 1, padding },
          })),
        )
        .returning({ id: auditEvents.id });
      ids.push(...rows.map((row) => Number(row.id)));
    }
    ids = ids.sort((a, b) => b - a);
  });

  test('a client that reads slowly gets every event, once, newest first', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port,
          path: `/admin/w/${big.slug}/audit?format=csv`,
          headers: { authorization: `Bearer ${bigBearer.bearer}` },
        },
        (res) => {
          assert.equal(res.statusCode, 200);
          const chunks: Buffer[] = [];
          // A slow consumer: pause after every chunk, so the server must wait for it (backpressure).
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            res.pause();
            setTimeout(() => res.resume(), 2);
          });
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
    const rows = parseCsv(body);
    assert.deepEqual(rows[0], [...AUDIT_CSV_HEADER]);
    assert.equal(rows.length, TOTAL + 1);
    assert.deepEqual(
      rows.slice(1).map((r) => Number(r[0])),
      ids,
    );
  });

  test('the export reads the log batch by batch as it is consumed, never all of it at once', async () => {
    const scope: WorkspaceScope = {
      db: t.db,
      actor: { userId: 0, email: '', displayName: '', via: 'token', sessionId: null },
      clientAddress: '127.0.0.1',
      workspace: { id: big.id, slug: big.slug, name: big.name },
      workspaceRole: 'owner',
      capabilities: workspaceCapabilitiesOf.owner,
    };
    const lines = await exportAuditCsv(scope, {}, 1000);
    const header = await lines.next();
    assert.equal(header.value, `${AUDIT_CSV_HEADER.join(',')}\r\n`);
    const first = await lines.next();
    assert.equal(parseCsv(String(first.value)).length, 1000, 'one batch per chunk');
    // Events older than what was read so far are deleted now: an export that had loaded the whole log
    // up front would still write them; this one reads them only when asked for the next batch.
    const oldest = ids.slice(-1000);
    await t.db
      .delete(auditEvents)
      .where(and(eq(auditEvents.workspaceId, big.id), inArray(auditEvents.id, oldest)));
    let rest = 0;
    for await (const chunk of lines) rest += parseCsv(chunk).length;
    assert.equal(rest, TOTAL - 2000);
  });
});
