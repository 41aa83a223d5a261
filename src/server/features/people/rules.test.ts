import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tenantRoleGrantCapabilities, workspaceCapabilitiesOf } from '../../core/capabilities.ts';
import {
  invitationExpiry,
  invitationMail,
  invitationState,
  inviteRuleFields,
  isActiveOwner,
  leavesNoActiveOwner,
  tenantRoleRefusal,
  tenantRoleRuleFields,
} from './rules.ts';

const owner = { role: 'owner', active: true, userActive: true } as const;

describe('the workspace keeps an active owner', () => {
  test('an active owner is an owner whose membership and account are both active', () => {
    assert.equal(isActiveOwner(owner), true);
    assert.equal(isActiveOwner({ ...owner, active: false }), false);
    assert.equal(isActiveOwner({ ...owner, userActive: false }), false);
    assert.equal(isActiveOwner({ ...owner, role: 'manager' }), false);
  });

  test('demoting, suspending or removing the last active owner is refused', () => {
    assert.equal(leavesNoActiveOwner(owner, { ...owner, role: 'manager' }, 0), true);
    assert.equal(leavesNoActiveOwner(owner, { ...owner, active: false }, 0), true);
    assert.equal(leavesNoActiveOwner(owner, null, 0), true);
  });

  test('with another active owner, or for someone who is not one, it is allowed', () => {
    assert.equal(leavesNoActiveOwner(owner, null, 1), false);
    assert.equal(leavesNoActiveOwner(owner, { ...owner, role: 'readonly' }, 2), false);
    assert.equal(leavesNoActiveOwner(owner, owner, 0), false, 'no change');
    assert.equal(leavesNoActiveOwner({ ...owner, active: false }, null, 0), false, 'a suspended owner');
    assert.equal(leavesNoActiveOwner({ ...owner, role: 'manager' }, null, 0), false);
  });
});

describe('tenant roles a workspace manager may touch', () => {
  const manager = workspaceCapabilitiesOf.manager;
  const ownerCapabilities = workspaceCapabilitiesOf.owner;

  test('up to manager: grant, change, revoke', () => {
    assert.equal(tenantRoleRefusal(manager, null, 'manager'), undefined);
    assert.equal(tenantRoleRefusal(manager, 'readonly', 'operator'), undefined);
    assert.equal(tenantRoleRefusal(manager, 'manager', null), undefined);
  });

  test('never the owner role, and never an existing tenant owner', () => {
    assert.match(tenantRoleRefusal(manager, null, 'owner') ?? '', /grant the tenant owner/);
    assert.match(tenantRoleRefusal(manager, 'owner', 'readonly') ?? '', /change or revoke a tenant owner/);
    assert.match(tenantRoleRefusal(manager, 'owner', null) ?? '', /tenant owner/);
    assert.match(tenantRoleRefusal(manager, 'owner', 'owner') ?? '', /tenant owner/);
  });

  test('a workspace owner may do all of it', () => {
    assert.equal(tenantRoleRefusal(ownerCapabilities, 'owner', null), undefined);
    assert.equal(tenantRoleRefusal(ownerCapabilities, null, 'owner'), undefined);
  });

  test('the capability a grant asks for: administer as soon as one role is owner', () => {
    assert.deepEqual(tenantRoleGrantCapabilities({ role: 'manager' }), ['workspace.grant_access']);
    assert.deepEqual(tenantRoleGrantCapabilities({ role: 'owner' }), [
      'workspace.grant_access',
      'workspace.administer',
    ]);
    const many = (role: string) => ({
      tenant_roles: [
        { tenant: 'a', role: 'readonly' },
        { tenant: 'b', role },
      ],
    });
    assert.deepEqual(tenantRoleGrantCapabilities(many('operator')), ['workspace.grant_access']);
    assert.ok(tenantRoleGrantCapabilities(many('owner')).includes('workspace.administer'));
    for (const odd of [undefined, null, 'owner', { tenant_roles: 'owner' }, { tenant_roles: [null] }]) {
      assert.deepEqual(tenantRoleGrantCapabilities(odd), ['workspace.grant_access'], JSON.stringify(odd));
    }
  });
});

describe('invitations', () => {
  test('valid until used or expired', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const expiresAt = new Date('2026-01-17T00:00:00Z');
    assert.equal(invitationState({ usedAt: null, expiresAt }, now), 'valid');
    assert.equal(invitationState({ usedAt: now, expiresAt }, now), 'used');
    assert.equal(invitationState({ usedAt: null, expiresAt: now }, now), 'expired');
  });

  test('a link works for 7 days', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    assert.equal(invitationExpiry(now).toISOString(), '2026-01-17T12:00:00.000Z');
  });

  test('the mail names the workspace, the inviter, the link and its expiry, in plain text', () => {
    const mail = invitationMail({
      workspaceName: 'Contoso MSP',
      inviterName: 'Olivia Owner',
      inviteeName: 'Nina New',
      url: 'https://tp.example/invitations/abc',
      expiresAt: new Date('2026-01-17T12:00:00Z'),
    });
    assert.equal(mail.subject, 'Olivia Owner invited you to Contoso MSP on TenantPilot');
    for (const part of ['Nina New', 'Olivia Owner', '"Contoso MSP"', 'https://tp.example/invitations/abc']) {
      assert.ok(mail.text.includes(part), part);
    }
    assert.match(mail.text, /expires on 2026-01-17 12:00 UTC/);
  });
});

describe('body rules', () => {
  test('a name that is blank or holds control characters is refused', () => {
    assert.deepEqual(inviteRuleFields({ display_name: '   ' }), { display_name: 'must not be blank' });
    assert.deepEqual(inviteRuleFields({ display_name: 'Ann\nBcc: x' }), {
      display_name: 'must not contain control characters',
    });
    assert.deepEqual(inviteRuleFields({ display_name: 'A\u0000', email: 'a\u0000@b.c' }), {
      display_name: 'must not contain a NUL character',
      email: 'must not contain a NUL character',
    });
    assert.deepEqual(inviteRuleFields({ display_name: 'Zoë O’Brien 🚀' }), {});
  });

  test('a tenant named twice is refused at its second mention', () => {
    const body = {
      tenant_roles: [
        { tenant: 'a', role: 'readonly' },
        { tenant: 'b', role: 'readonly' },
        { tenant: 'a', role: 'owner' },
      ],
    };
    assert.deepEqual(tenantRoleRuleFields(body), {
      'tenant_roles.2.tenant': 'names a tenant already in the list',
    });
    assert.deepEqual(tenantRoleRuleFields({ tenant_roles: 'x' }), {});
  });
});
