import { type Role, roles, workspaceCapabilitiesOf } from '../../core/capabilities.ts';
import type { Actor, WorkspaceRef, WorkspaceScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { invitePerson } from '../../features/people/invitations.ts';
import { findPersonRow } from '../../features/people/queries.ts';
import { grantTenantRoles } from '../../features/people/tenant-roles.ts';
import { findUserByEmail } from '../../features/tenancy/queries.ts';
import { type Command, config, print, UsageError, withDatabase } from '../command.ts';
import { findTenantByExternalId, findWorkspaceBySlug } from '../queries.ts';

/**
 * The command line administers the installation: no signed-in person (its audit events carry a null
 * actor and no client address, like `users create`) and an owner's capabilities in every workspace. The
 * people services take a workspace scope, whose actor is a person; this one is nobody, which the services
 * only ever compare with a person (nobody is never "yourself") or write into the audit event.
 */
const commandLine = { userId: null, email: '', displayName: 'tenantpilot', via: 'token', sessionId: null };

function commandLineScope(db: Db, workspace: WorkspaceRef): WorkspaceScope {
  return {
    db,
    actor: commandLine as unknown as Actor,
    clientAddress: null as unknown as string,
    workspace,
    workspaceRole: 'owner',
    capabilities: workspaceCapabilitiesOf.owner,
  };
}

function roleOption(raw: unknown, command: string): Role {
  if (!(roles as readonly unknown[]).includes(raw)) {
    throw new UsageError(`--role must be one of ${roles.join(', ')}, got ${JSON.stringify(raw)}`, command);
  }
  return raw as Role;
}

async function requireUser(db: Db, email: string) {
  const user = await findUserByEmail(db, email.trim());
  if (!user) {
    throw new Error(
      `No user with email ${JSON.stringify(email.trim())}: create one with \`tenantpilot users create\`, or invite them in the web UI (Administration → People)`,
    );
  }
  return user;
}

const roleDescription = `one of ${roles.join(', ')}`;

export const membersAdd: Command = {
  name: 'members add',
  summary:
    'Add an existing user to a workspace with a workspace role, as the People page does for a known email.',
  options: {
    workspace: { type: 'string', value: 'SLUG', description: 'the workspace slug', required: true },
    email: { type: 'string', value: 'E', description: 'email address of the user', required: true },
    role: {
      type: 'string',
      value: 'R',
      description: `the workspace role (${roleDescription})`,
      required: true,
    },
  },
  details: [
    'A workspace role grants administration, never tenant access: grant tenant roles with `members grant`.',
    'The user must exist (`tenantpilot users create`); the change is audited with no actor.',
  ],
  inWebUi: 'add people on its Administration → People page',
  async run({ values }) {
    const role = roleOption(values.role, 'members add');
    const slug = values.workspace as string;
    const added = await withDatabase(config(), async ({ db }) => {
      const workspace = await findWorkspaceBySlug(db, slug);
      if (!workspace) throw new Error(`No workspace with slug ${JSON.stringify(slug)}`);
      const user = await requireUser(db, values.email as string);
      await invitePerson(
        commandLineScope(db, workspace),
        { email: user.email, display_name: user.displayName, workspace_role: role },
        { mailer: null, linkBase: '', onMailFailure: () => {} },
      );
      return { user, workspace };
    });
    print(`Added ${added.user.email} to workspace ${added.workspace.slug} as ${role}.`);
    return 0;
  },
};

export const membersGrant: Command = {
  name: 'members grant',
  summary: "Grant (or change) a member's role on a tenant, as the People page does.",
  options: {
    tenant: { type: 'string', value: 'EXTERNAL_ID', description: 'the tenant external_id', required: true },
    email: { type: 'string', value: 'E', description: 'email address of the user', required: true },
    role: { type: 'string', value: 'R', description: `the tenant role (${roleDescription})`, required: true },
  },
  details: [
    "The user must be a member of the tenant's workspace (`members add`). An archived tenant refuses it.",
  ],
  inWebUi: 'grant tenant roles on its Administration → People page',
  async run({ values }) {
    const role = roleOption(values.role, 'members grant');
    const externalId = values.tenant as string;
    const granted = await withDatabase(config(), async ({ db }) => {
      const tenant = await findTenantByExternalId(db, externalId);
      if (!tenant) throw new Error(`No tenant with external id ${JSON.stringify(externalId)}`);
      const user = await requireUser(db, values.email as string);
      if (!(await findPersonRow(db, tenant.workspace.id, user.id))) {
        throw new Error(
          `${user.email} is not a member of workspace ${tenant.workspace.slug}: add them first with \`tenantpilot members add --workspace ${tenant.workspace.slug} --email ${user.email} --role readonly\``,
        );
      }
      await grantTenantRoles(
        commandLineScope(db, tenant.workspace),
        user.id,
        [{ tenant: externalId, role }],
        () => 'tenant',
      );
      return { user };
    });
    print(`Granted ${role} on tenant ${externalId} to ${granted.user.email}.`);
    return 0;
  },
};
