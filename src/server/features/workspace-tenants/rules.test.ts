import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyTenantUpdate,
  containsPattern,
  isDnsName,
  isGuid,
  refusesArchivedChange,
  type TenantFacts,
  tenantBodyFields,
  tenantChanges,
  tenantUpdateAction,
} from './rules.ts';

const facts = (overrides: Partial<TenantFacts> = {}): TenantFacts => ({
  name: 'Contoso',
  directory_id: null,
  primary_domain: null,
  desk_customer_id: null,
  archived: false,
  ...overrides,
});

describe('isGuid and isDnsName', () => {
  test('a GUID in any case; nothing else', () => {
    assert.ok(isGuid('72f988bf-86f1-41af-91ab-2d7cd011db47'));
    assert.ok(isGuid('72F988BF-86F1-41AF-91AB-2D7CD011DB47'));
    for (const bad of [
      '72f988bf86f141af91ab2d7cd011db47',
      '{72f988bf-86f1-41af-91ab-2d7cd011db47}',
      'g2f988bf-86f1-41af-91ab-2d7cd011db47',
      '',
    ]) {
      assert.equal(isGuid(bad), false, bad);
    }
  });

  test('domain names of two or more RFC 1123 labels, at most 253 characters', () => {
    for (const good of [
      'contoso.com',
      'Contoso.COM',
      'mail.eu.contoso.co.uk',
      'xn--bcher-kva.example',
      '1und1.de',
    ]) {
      assert.ok(isDnsName(good), good);
    }
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    assert.equal(long.length, 253);
    assert.ok(isDnsName(long));
    const bad = [
      'localhost',
      'contoso.com.',
      '.contoso.com',
      'con..toso.com',
      '-contoso.com',
      'contoso-.com',
      'con toso.com',
      'contoso_corp.com',
      'bücher.example',
      '192.168.1.1',
      `${'a'.repeat(64)}.com`,
      `${long}a`,
      'https://contoso.com',
    ];
    for (const value of bad) assert.equal(isDnsName(value), false, value);
  });
});

describe('tenantBodyFields', () => {
  test('a create names a malformed external_id; an update refuses any external_id', () => {
    assert.deepEqual(tenantBodyFields({ external_id: 'ok-1', name: 'A' }, 'create'), {});
    for (const bad of ['Upper', 'under_score', 'dot.ted', '', 'spa ce']) {
      assert.ok(tenantBodyFields({ external_id: bad, name: 'A' }, 'create').external_id, bad);
    }
    assert.match(tenantBodyFields({ external_id: 'ok-1' }, 'update').external_id ?? '', /cannot be changed/);
    assert.match(tenantBodyFields({ external_id: null }, 'update').external_id ?? '', /cannot be changed/);
    assert.deepEqual(tenantBodyFields({ name: 'A' }, 'update'), {});
  });

  test('blank names and desk customers, NUL anywhere, a bad GUID or domain', () => {
    const fields = tenantBodyFields(
      {
        external_id: 'a\u0000b',
        name: '   ',
        directory_id: 'not-a-guid',
        primary_domain: 'localhost',
        desk_customer_id: ' \t',
      },
      'create',
    );
    assert.deepEqual(Object.keys(fields).sort(), [
      'desk_customer_id',
      'directory_id',
      'external_id',
      'name',
      'primary_domain',
    ]);
    assert.match(fields.external_id ?? '', /NUL/);
    assert.match(tenantBodyFields({ name: 'a\u0000' }, 'update').name ?? '', /NUL/);
  });

  test('null clears and is no error; non-objects are left to the schema', () => {
    assert.deepEqual(
      tenantBodyFields({ directory_id: null, primary_domain: null, desk_customer_id: null }, 'update'),
      {},
    );
    assert.deepEqual(tenantBodyFields(null, 'create'), {});
    assert.deepEqual(tenantBodyFields([1], 'create'), {});
  });
});

describe('applyTenantUpdate and tenantChanges', () => {
  test('absent keeps, null clears, a value sets; GUIDs and domains are stored lower case', () => {
    const current = facts({ directory_id: '72f988bf-86f1-41af-91ab-2d7cd011db47', desk_customer_id: '42' });
    assert.deepEqual(applyTenantUpdate(current, {}), current);
    assert.deepEqual(
      applyTenantUpdate(current, {
        directory_id: null,
        primary_domain: 'Contoso.COM',
        desk_customer_id: null,
        name: 'Contoso Ltd',
      }),
      facts({ name: 'Contoso Ltd', primary_domain: 'contoso.com' }),
    );
    assert.equal(
      applyTenantUpdate(current, { directory_id: 'AAAAAAAA-86F1-41AF-91AB-2D7CD011DB47' }).directory_id,
      'aaaaaaaa-86f1-41af-91ab-2d7cd011db47',
    );
  });

  test('only what changed is recorded; nothing changed is null', () => {
    const before = facts({ primary_domain: 'contoso.com' });
    assert.equal(tenantChanges(before, applyTenantUpdate(before, { primary_domain: 'CONTOSO.com' })), null);
    assert.deepEqual(tenantChanges(before, facts({ primary_domain: 'contoso.com', name: 'New' })), {
      before: { name: 'Contoso' },
      after: { name: 'New' },
    });
  });
});

describe('archived tenants', () => {
  test('archiving and restoring name the audit action, whatever else changed', () => {
    assert.equal(tenantUpdateAction(facts(), facts({ name: 'X' })), 'tenant.updated');
    assert.equal(tenantUpdateAction(facts(), facts({ archived: true, name: 'X' })), 'tenant.archived');
    assert.equal(tenantUpdateAction(facts({ archived: true }), facts({ name: 'X' })), 'tenant.restored');
  });

  test('an archived tenant refuses a change that keeps it archived, not a restore nor a no-op', () => {
    const archived = facts({ archived: true });
    assert.ok(refusesArchivedChange(archived, applyTenantUpdate(archived, { name: 'X' })));
    assert.ok(refusesArchivedChange(archived, applyTenantUpdate(archived, { archived: true, name: 'X' })));
    assert.equal(
      refusesArchivedChange(archived, applyTenantUpdate(archived, { archived: false, name: 'X' })),
      false,
    );
    assert.equal(refusesArchivedChange(archived, applyTenantUpdate(archived, { archived: true })), false);
    assert.equal(refusesArchivedChange(archived, applyTenantUpdate(archived, {})), false);
    assert.equal(
      refusesArchivedChange(facts(), applyTenantUpdate(facts(), { archived: true, name: 'X' })),
      false,
    );
  });
});

test('containsPattern takes LIKE wildcards literally', () => {
  assert.equal(containsPattern('50%_off\\'), '%50\\%\\_off\\\\%');
});
