/**
 * Scale-out: a server process killed (SIGKILL) while its desk call is in flight, behind nginx with a
 * second process on the same PostgreSQL database. The request was committed before the call, nginx does
 * not send the POST again to the other process, and the other process reads it back as interrupted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { supportRequests } from '../../src/server/features/support-requests/tables.ts';
import { answer } from '../helpers/fake-desk.ts';
import type { Answer } from '../helpers/proxy-client.ts';
import {
  type ScaleOutWorld,
  skipWithoutPostgres,
  startScaleOutWorld,
  waitFor,
} from '../helpers/scale-out-world.ts';
import { processOwningConnection } from '../helpers/serve-process.ts';
import { tenantSubmitUrl, validBody } from '../helpers/support-requests.ts';

describe('a server process killed during a handoff, behind nginx', { skip: skipWithoutPostgres }, () => {
  let w: ScaleOutWorld;
  before(async () => {
    w = await startScaleOutWorld();
  });
  after(() => w?.close());

  test('the request is stored once, never replayed, and reads back as interrupted', async () => {
    w.desk.respondWith(answer.hang());
    const pending = w.call('POST', tenantSubmitUrl(w.tenant.externalId), {
      bearer: w.bearer,
      body: validBody({ handoff_mode: 'create_external_ticket', summary: 'Desk hangs, server dies' }),
    });
    await waitFor(() => w.desk.requests.length > 0, 'the desk to be called');
    const deskCall = w.desk.requests[0] as (typeof w.desk.requests)[number];
    const victimPid = processOwningConnection(
      deskCall.remotePort,
      w.servers.map((server) => server.pid),
    );
    const victim = w.servers.find((server) => server.pid === victimPid);
    assert.ok(victim, 'found the process calling the desk');
    await victim.kill();

    const answered = await pending;
    assert.equal(answered.status, 502, 'nginx does not pass a POST it has sent on to the other process');
    const reference = String(deskCall.headers['idempotency-key']);
    const rows = await w.database.db
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(eq(supportRequests.internalReference, reference));
    assert.equal(rows.length, 1, 'the request was committed before the desk call, once');

    // Once the budget has passed, the surviving process reads it back as a failed, interrupted handoff.
    const readBack = `/admin/t/${w.tenant.externalId}/support-requests/${rows[0]?.id}`;
    let view: Answer | undefined;
    await waitFor(async () => {
      view = await w.call('GET', readBack, { bearer: w.bearer });
      return view.body?.handoff_outcome === 'external_handoff_failed';
    }, 'the handoff to read back as failed');
    assert.notEqual(view?.upstream, `127.0.0.1:${victim.port}`, 'read back by the surviving process');
    assert.match(String(view?.body?.failure_summary), /interrupted/);
    assert.equal(w.desk.requests.length, 1, 'the desk was called once: nothing replayed the request');
  });
});
