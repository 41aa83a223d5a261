/**
 * Scale-out: one of two server processes behind nginx killed (SIGKILL) amid many concurrent writes on one
 * PostgreSQL database. Every write that was acknowledged (2xx) is in the database with its audit event;
 * what was in flight on the dead process is answered 502, never replayed; every request sent after the
 * kill is served by the other process (nginx passes on a request whose connection was refused).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Answer } from '../helpers/proxy-client.ts';
import {
  type ScaleOutWorld,
  skipWithoutPostgres,
  startScaleOutWorld,
  waitFor,
} from '../helpers/scale-out-world.ts';
import { assertStoredWithAudit, tenantSubmitUrl, validBody } from '../helpers/support-requests.ts';

const WRITERS = 16;
/** Acknowledged writes before the kill, and again after it. */
const WRITES_EACH_SIDE = 48;

type Sent = Answer & { startedAt: number; summary: string };

describe('a server process killed mid-traffic, behind nginx', { skip: skipWithoutPostgres }, () => {
  let w: ScaleOutWorld;
  before(async () => {
    w = await startScaleOutWorld();
  });
  after(() => w?.close());

  test('no acknowledged write is lost; the other process serves what follows', async (t) => {
    const [victim, survivor] = w.servers;
    assert.ok(victim && survivor);
    const sent: Sent[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    const acknowledged = (since: number) =>
      sent.filter((s) => s.startedAt >= since && s.status === 200).length;

    async function writer(worker: number) {
      for (let n = 0; acknowledged(killedAt) < WRITES_EACH_SIDE && sent.length < 3000; n++) {
        const startedAt = performance.now();
        const summary = `Burst ${worker}-${n}`;
        const result = await w
          .call('POST', tenantSubmitUrl(w.tenant.externalId), {
            bearer: w.bearer,
            body: validBody({ summary }),
          })
          .catch((): Answer => ({ status: 0, upstream: '', body: null, setCookies: [] }));
        sent.push({ ...result, startedAt, summary });
      }
    }
    async function killMidTraffic() {
      await waitFor(() => acknowledged(0) >= WRITES_EACH_SIDE, 'writes acknowledged before the kill');
      await victim?.kill();
      killedAt = performance.now();
    }
    await Promise.all([...Array.from({ length: WRITERS }, (_, i) => writer(i)), killMidTraffic()]);

    const beforeKill = sent.filter((s) => s.startedAt < killedAt);
    const afterKill = sent.filter((s) => s.startedAt >= killedAt);
    assert.ok(
      beforeKill.some((s) => s.status === 200 && s.upstream === `127.0.0.1:${victim.port}`),
      'the killed process had acknowledged writes',
    );
    // In flight at the kill: answered by the survivor, or 502 (sent to the dead process, not replayed).
    for (const s of beforeKill)
      assert.ok([200, 502].includes(s.status), `status ${s.status} before the kill`);
    for (const s of afterKill) {
      assert.equal(s.status, 200, 'a request after the kill');
      assert.equal(s.upstream, `127.0.0.1:${survivor.port}`, 'served by the survivor');
    }
    const acknowledgedWrites = sent
      .filter((s) => s.status === 200)
      .map((s) => ({ id: Number(s.body?.support_request_id), summary: s.summary }));
    await assertStoredWithAudit(w.database.db, acknowledgedWrites);

    const count = (list: Sent[], status: number) => list.filter((s) => s.status === status).length;
    t.diagnostic(
      `before the kill: ${count(beforeKill, 200)} acknowledged, ${count(beforeKill, 502)} answered 502; ` +
        `after: ${count(afterKill, 200)} acknowledged`,
    );
  });
});
