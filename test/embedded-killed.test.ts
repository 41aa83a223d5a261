/**
 * `tenantpilot serve` on the embedded database, its database on a thread of its own, killed (SIGKILL) amid
 * concurrent writes: every write it acknowledged (2xx) is in the folder, with its audit event, when the
 * database is opened again. The embedded database makes no fsync (README, "Durability"): what this proves is
 * a killed process, not an operating-system crash.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../src/server/db/client.ts';
import { serveCli } from './helpers/cli-process.ts';
import * as make from './helpers/factories.ts';
import { assertStoredWithAudit, tenantSubmitUrl, validBody } from './helpers/support-requests.ts';

const WRITERS = 12;
/** Acknowledged writes before the kill. */
const ACKNOWLEDGED_BEFORE_KILL = 60;

describe('a server on the embedded database, killed mid-traffic', {
  skip: process.env.TEST_DATABASE_URL ? 'the embedded database only (PostgreSQL: test/scale-out)' : false,
}, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-killed-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('loses no acknowledged write', async (t) => {
    const seeding = await openDatabase({ kind: 'pglite', dataDir });
    await seeding.migrate();
    const { tenant, bearer } = await make.createTenantOperator(seeding.db);
    await seeding.close(); // the embedded database is one process's at a time

    const server = await serveCli(dataDir);
    const acknowledged: { id: number; summary: string }[] = [];
    let killed = false;
    async function writer(worker: number) {
      for (let n = 0; !killed; n++) {
        const summary = `Burst ${worker}-${n}`;
        const response = await fetch(`${server.url}${tenantSubmitUrl(tenant.externalId)}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify(validBody({ summary })),
        }).catch(() => null);
        if (!response) return; // the connection dropped: the server is gone
        const body = (await response.json().catch(() => null)) as { support_request_id?: number } | null;
        if (response.status === 200 && body?.support_request_id)
          acknowledged.push({ id: body.support_request_id, summary });
      }
    }
    async function killMidTraffic() {
      while (acknowledged.length < ACKNOWLEDGED_BEFORE_KILL) await new Promise((r) => setTimeout(r, 5));
      await server.kill();
      killed = true;
    }
    await Promise.all([...Array.from({ length: WRITERS }, (_, i) => writer(i)), killMidTraffic()]);

    const reopened = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await assertStoredWithAudit(reopened.db, acknowledged);
    } finally {
      await reopened.close();
    }
    t.diagnostic(`${acknowledged.length} writes acknowledged before the kill, all stored`);
  });
});
