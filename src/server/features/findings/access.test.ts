import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import {
  type ActorKind,
  type ActorWorld,
  actorKinds,
  createActorWorld,
  expectedStatus,
  NOT_FOUND,
} from '../../../../test/helpers/actors.ts';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import type { Role } from '../tenancy/tables.ts';
import { findingExceptions, findings } from './tables.ts';

/** docs/rules.md "Access" for every findings surface: 401, then 404 for anyone not entitled, then 403, then 2xx. */
let t: TestApp;
let world: ActorWorld;
const DAY = 86_400_000;

before(async () => {
  t = await startTestApp();
  world = await createActorWorld(t);
});

after(() => t.close());

const all: Role[] = ['readonly', 'operator', 'manager', 'owner'];
const path = (findingId: number, tail = '') =>
  `/admin/t/${world.tenant.externalId}/findings/${findingId}${tail}`;

async function exceptionOn(findingId: number, status: 'pending' | 'approved') {
  const [row] = await t.db
    .insert(findingExceptions)
    .values({
      findingId,
      ownerUserId: world.userIds.manager,
      requestedByUserId: world.userIds.operator,
      requestReason: 'matrix',
      reviewDueAt: new Date(Date.now() + DAY),
      status,
    })
    .returning();
  return must(row, 'the inserted exception').id;
}

interface Surface {
  name: string;
  allowed: Role[];
  /** A fresh target for each call, so every allowed call can succeed. */
  call: () => Promise<{ method: 'GET' | 'POST'; url: string; payload?: object; findingId?: number }>;
}

const surfaces: Surface[] = [
  {
    name: 'GET findings list',
    allowed: all,
    call: async () => ({ method: 'GET', url: `/admin/t/${world.tenant.externalId}/findings` }),
  },
  {
    name: 'GET finding detail',
    allowed: all,
    call: async () => ({
      method: 'GET',
      url: path((await make.createFinding(t.db, { tenantId: world.tenant.id })).id),
    }),
  },
  {
    name: 'GET finding history',
    allowed: all,
    call: async () => ({
      method: 'GET',
      url: path((await make.createFinding(t.db, { tenantId: world.tenant.id })).id, '/history'),
    }),
  },
  {
    name: 'GET tenant members',
    allowed: all,
    call: async () => ({ method: 'GET', url: `/admin/t/${world.tenant.externalId}/members` }),
  },
  {
    name: 'POST responsibility',
    allowed: ['manager', 'owner'],
    call: async () => {
      const finding = await make.createFinding(t.db, { tenantId: world.tenant.id });
      return {
        method: 'POST',
        url: path(finding.id, '/responsibility'),
        payload: { owner_user_id: world.userIds.manager },
        findingId: finding.id,
      };
    },
  },
  {
    name: 'POST exception-request',
    allowed: ['operator', 'manager', 'owner'],
    call: async () => {
      const finding = await make.createFinding(t.db, { tenantId: world.tenant.id });
      const payload = {
        owner_user_id: world.userIds.owner,
        request_reason: 'matrix',
        review_due_at: new Date(Date.now() + DAY).toISOString(),
      };
      return { method: 'POST', url: path(finding.id, '/exception-request'), payload, findingId: finding.id };
    },
  },
  {
    name: 'POST workflow status',
    allowed: ['operator', 'manager', 'owner'],
    call: async () => {
      const finding = await make.createFinding(t.db, { tenantId: world.tenant.id });
      return {
        method: 'POST',
        url: path(finding.id, '/status'),
        payload: { workflow_status: 'triaged' },
        findingId: finding.id,
      };
    },
  },
  {
    name: 'POST bulk status change',
    allowed: ['operator', 'manager', 'owner'],
    call: async () => {
      const finding = await make.createFinding(t.db, { tenantId: world.tenant.id });
      return {
        method: 'POST',
        url: `/admin/t/${world.tenant.externalId}/findings/actions/bulk`,
        payload: { finding_ids: [finding.id], change: { workflow_status: 'triaged' } },
        findingId: finding.id,
      };
    },
  },
  {
    name: 'POST bulk owner change',
    allowed: ['manager', 'owner'],
    call: async () => {
      const finding = await make.createFinding(t.db, { tenantId: world.tenant.id });
      return {
        method: 'POST',
        url: `/admin/t/${world.tenant.externalId}/findings/actions/bulk`,
        payload: { finding_ids: [finding.id], change: { owner_user_id: world.userIds.manager } },
        findingId: finding.id,
      };
    },
  },
  {
    name: 'GET findings count',
    allowed: all,
    call: async () => ({ method: 'GET', url: `/admin/t/${world.tenant.externalId}/findings/count` }),
  },
  {
    name: 'GET findings people',
    allowed: all,
    call: async () => ({ method: 'GET', url: `/admin/t/${world.tenant.externalId}/findings/people` }),
  },
  {
    name: 'GET findings CSV export',
    allowed: all,
    call: async () => ({ method: 'GET', url: `/admin/t/${world.tenant.externalId}/findings?format=csv` }),
  },
  ...(['approve', 'reject', 'revoke'] as const).map((action) => ({
    name: `POST exception ${action}`,
    allowed: ['owner'] as Role[],
    call: async () => {
      const finding = await make.createFinding(t.db, { tenantId: world.tenant.id });
      const id = await exceptionOn(finding.id, action === 'revoke' ? 'approved' : 'pending');
      return {
        method: 'POST' as const,
        url: path(finding.id, `/exceptions/${id}/actions/${action}`),
        // Rejecting and revoking say why (docs/rules.md "Finding lifecycle").
        payload: action === 'approve' ? {} : { note: 'Reviewed in the matrix' },
        findingId: finding.id,
      };
    },
  })),
];

async function unchanged(findingId: number) {
  const [row] = await t.db.select().from(findings).where(eq(findings.id, findingId));
  const exceptions = await t.db
    .select()
    .from(findingExceptions)
    .where(eq(findingExceptions.findingId, findingId));
  return (
    must(row, `finding ${findingId}`).ownerUserId === null &&
    row?.workflowStatus === 'new' &&
    exceptions.every((e) => e.decidedAt === null && e.requestReason === 'matrix') &&
    exceptions.length <= 1
  );
}

describe('findings surfaces × every actor kind, by token and by session', () => {
  for (const surface of surfaces) {
    for (const kind of actorKinds) {
      test(`${surface.name} × ${kind}`, async () => {
        for (const [label, credential] of world.credentialsOf(kind)) {
          const target = await surface.call();
          const response = await request(t.app, credential, target);
          const expected = expectedStatus(kind as ActorKind, surface.allowed);
          assert.equal(response.statusCode, expected, `${label}: ${response.body}`);
          if (expected === 404) assert.deepEqual(response.json(), NOT_FOUND);
          if (expected !== 200 && target.findingId)
            assert.ok(await unchanged(target.findingId), `${label} wrote`);
        }
      });
    }
  }
});

describe('a finding or exception out of the path tenant answers the same 404', () => {
  const owner = () => world.token('owner');
  test('finding of a sibling tenant or of another workspace, under this tenant', async () => {
    const sibling = await make.createFinding(t.db, { tenantId: world.siblingTenant.id });
    const foreign = await make.createFinding(t.db, { tenantId: world.otherTenant.id });
    for (const id of [sibling.id, foreign.id]) {
      for (const [method, tail, payload] of [
        ['GET', '', undefined],
        ['GET', '/history', undefined],
        ['POST', '/responsibility', { owner_user_id: world.userIds.owner }],
        [
          'POST',
          '/exception-request',
          {
            owner_user_id: world.userIds.owner,
            request_reason: 'x',
            review_due_at: new Date(Date.now() + DAY).toISOString(),
          },
        ],
      ] as const) {
        const response = await request(t.app, owner(), { method, url: path(id, tail), payload });
        assert.equal(response.statusCode, 404, `${method} ${tail}`);
        assert.deepEqual(response.json(), NOT_FOUND);
      }
    }
  });

  for (const id of ['abc', '-1', '0', '1.5', '12345678901234567890', '99999999']) {
    test(`malformed or unknown finding id ${id}`, async () => {
      const response = await request(t.app, owner(), {
        method: 'GET',
        url: `/admin/t/${world.tenant.externalId}/findings/${id}`,
      });
      assert.equal(response.statusCode, 404);
      assert.deepEqual(response.json(), NOT_FOUND);
    });
  }
});

describe('GET /admin/my-work', () => {
  for (const kind of actorKinds) {
    test(`× ${kind}`, async () => {
      const expected = kind === 'anonymous' || kind === 'inactive user' ? 401 : 200;
      for (const [label, credential] of world.credentialsOf(kind)) {
        const response = await request(t.app, credential, { method: 'GET', url: '/admin/my-work' });
        assert.equal(response.statusCode, expected, `${label}: ${response.body}`);
      }
    });
  }
});
