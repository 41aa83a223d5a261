import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../../../../test/helpers/db.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents } from '../audit/tables.ts';
import { API_TOKEN_PREFIX, digestSecret, verifyPassword } from './credentials.ts';
import { apiTokens, sessions, users } from './tables.ts';
import { createApiToken, createUser, deactivateUser, revokeApiToken } from './user-admin.ts';

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

async function userRow(id: number) {
  const [row] = await database.db.select().from(users).where(eq(users.id, id));
  assert.ok(row);
  return row;
}

describe('createUser', () => {
  test('stores a hashed password and an audit event without it', async () => {
    const user = await createUser(database.db, {
      email: ' Dana@Example.test ',
      displayName: 'Dana',
      password: 'a good password',
    });
    const row = await userRow(user.id);
    assert.equal(row.email, 'Dana@Example.test');
    assert.equal(row.active, true);
    assert.ok(await verifyPassword(row.passwordHash, 'a good password'));
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, String(user.id)));
    assert.equal(event?.action, 'user.created');
    assert.ok(!JSON.stringify(event?.after).includes('a good password'));
  });

  test('without a password, or inactive', async () => {
    const user = await createUser(database.db, {
      email: 'nopass@example.test',
      displayName: 'N',
      active: false,
    });
    const row = await userRow(user.id);
    assert.equal(row.passwordHash, null);
    assert.equal(row.active, false);
  });

  test('refuses a taken email in any case, a bad email, a blank name and a short password', async () => {
    await assert.rejects(createUser(database.db, { email: 'DANA@example.TEST', displayName: 'Again' }), {
      code: 'conflict',
      message: 'A user with email "DANA@example.TEST" already exists',
    });
    await assert.rejects(createUser(database.db, { email: 'dana', displayName: 'X' }), {
      code: 'invalid',
      message: '"dana" is not a valid email address',
    });
    await assert.rejects(createUser(database.db, { email: 'x@example.test', displayName: '  ' }), {
      code: 'invalid',
    });
    await assert.rejects(
      createUser(database.db, { email: 'x@example.test', displayName: 'X', password: 'short' }),
      { message: 'The password must be at least 8 characters' },
    );
  });
});

describe('deactivateUser', () => {
  test('deactivates and ends every session', async () => {
    const user = await createUser(database.db, { email: 'leaver@example.test', displayName: 'Leaver' });
    await database.db
      .insert(sessions)
      .values({ id: 'session-digest-1', userId: user.id, expiresAt: new Date(Date.now() + 3600_000) });
    const result = await deactivateUser(database.db, 'LEAVER@example.test');
    assert.equal(result.wasActive, true);
    assert.equal((await userRow(user.id)).active, false);
    assert.equal((await database.db.select().from(sessions).where(eq(sessions.userId, user.id))).length, 0);
    assert.equal((await deactivateUser(database.db, 'leaver@example.test')).wasActive, false);
  });

  test('an unknown email is not_found', async () => {
    await assert.rejects(deactivateUser(database.db, 'ghost@example.test'), {
      code: 'not_found',
      message: 'No user with email "ghost@example.test"',
    });
  });
});

describe('API tokens', () => {
  test('the token is returned once; only its digest is stored', async () => {
    const user = await createUser(database.db, { email: 'bot@example.test', displayName: 'Bot' });
    const created = await createApiToken(database.db, { email: 'bot@example.test', name: 'ci' });
    assert.ok(created.token.startsWith(API_TOKEN_PREFIX));
    const [row] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    assert.equal(row?.userId, user.id);
    assert.equal(row?.name, 'ci');
    assert.equal(row?.tokenHash, digestSecret(created.token));
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'api_token.created'));
    assert.ok(!JSON.stringify(events).includes(created.token));
  });

  test('refused for an unknown or inactive user', async () => {
    await assert.rejects(createApiToken(database.db, { email: 'ghost@example.test' }), { code: 'not_found' });
    await assert.rejects(createApiToken(database.db, { email: 'nopass@example.test' }), {
      code: 'invalid',
      message: 'User "nopass@example.test" is inactive',
    });
  });

  test('revoke, revoke again, and an unknown id', async () => {
    const created = await createApiToken(database.db, { email: 'bot@example.test' });
    const first = await revokeApiToken(database.db, created.id);
    assert.equal(first.alreadyRevoked, false);
    const second = await revokeApiToken(database.db, created.id);
    assert.equal(second.alreadyRevoked, true);
    assert.equal(second.revokedAt.getTime(), first.revokedAt.getTime());
    await assert.rejects(revokeApiToken(database.db, 99_999), {
      code: 'not_found',
      message: 'No API token with id 99999',
    });
  });
});
