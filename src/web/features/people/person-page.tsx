import { Badge, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../../app/http.ts';
import { paths } from '../../app/paths.ts';
import { NotFoundState } from '../../ui/access-states.tsx';
import { Loading } from '../../ui/loading.tsx';
import { keysOf } from '../../ui/options.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { MemberSessionsSection } from '../account/member-sessions-section.tsx';
import { type Role, roleLabels } from '../administration/labels.ts';
import { can, type SessionWorkspace } from '../administration/workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from '../administration/workspace-page.tsx';
import { useSession } from '../tenancy/api.ts';
import { useEveryWorkspaceTenant } from '../workspace-tenants/api.ts';
import { type Person, usePerson } from './api.ts';
import { ReinviteModal, RemoveModal, SuspendModal, WorkspaceRoleModal } from './membership-modals.tsx';
import {
  lockReason,
  MembershipActions,
  type Modal,
  type RoleRow,
  Summary,
  TenantRolesSection,
  type Viewer,
} from './person-sections.tsx';
import { ChangeTenantRoleModal, RevokeTenantRoleModal, TenantRolesModal } from './tenant-role-modals.tsx';
import type { LockedRows } from './tenant-roles-editor.tsx';

/** Owners grant every role; managers up to manager (docs/rules.md "Administration"). */
function grantableRoles(viewer: Viewer): Role[] {
  return keysOf(roleLabels).filter((role) => viewer.administer || role !== 'owner');
}

function PersonView({
  workspace,
  person,
  viewer,
}: {
  workspace: SessionWorkspace;
  person: Person;
  viewer: Viewer;
}) {
  const slug = workspace.slug;
  const navigate = useNavigate();
  const tenants = useEveryWorkspaceTenant(slug, 'all');
  const [modal, setModal] = useState<Modal>(null);
  const [target, setTarget] = useState<RoleRow | null>(null);
  const [removed, setRemoved] = useState(false);
  const byId = new Map((tenants.data ?? []).map((tenant) => [tenant.external_id, tenant]));
  const held = new Set(person.tenant_roles.map((grant) => grant.tenant));
  // Archived tenants take no new roles: they are listed only where the person holds one.
  const editable = (tenants.data ?? []).filter((tenant) => !tenant.archived || held.has(tenant.external_id));
  const locked: LockedRows = {};
  for (const tenant of editable) {
    const role = person.tenant_roles.find((grant) => grant.tenant === tenant.external_id)?.role ?? null;
    const reason = lockReason({ role, archived: tenant.archived }, viewer);
    if (reason) locked[tenant.external_id] = reason;
  }
  const close = () => setModal(null);
  const closeRemoval = () => {
    setModal(null);
    // Gone from the workspace: back to the list.
    if (removed) navigate(paths.workspacePeople(slug), { replace: true });
  };

  return (
    <>
      <PageHeader
        title={`${person.display_name}${viewer.self ? ' (you)' : ''}`}
        description={person.email}
        breadcrumbs={[
          { label: 'Administration', to: paths.workspace(slug) },
          { label: 'People', to: paths.workspacePeople(slug) },
          { label: person.display_name },
        ]}
        actions={
          <Badge variant="outline" color="gray" c="gray.8" size="lg" radius="sm" tt="none">
            Workspace role: {roleLabels[person.workspace_role]}
          </Badge>
        }
      />
      <Stack gap="xl">
        <Stack gap="md">
          <Summary person={person} />
          <MembershipActions person={person} viewer={viewer} onOpen={setModal} />
        </Stack>
        <TenantRolesSection
          person={person}
          tenants={byId}
          viewer={viewer}
          onAction={(row, action) => {
            setTarget(row);
            setModal(action);
          }}
          onOpenAll={() => setModal('tenant-roles')}
        />
        {viewer.administer ? <MemberSessionsSection workspace={slug} person={person} /> : null}
      </Stack>
      <WorkspaceRoleModal workspace={slug} person={person} opened={modal === 'role'} onClose={close} />
      <SuspendModal workspace={slug} person={person} opened={modal === 'suspend'} onClose={close} />
      <ReinviteModal workspace={slug} person={person} opened={modal === 'reinvite'} onClose={close} />
      <RemoveModal
        workspace={slug}
        workspaceName={workspace.name}
        person={person}
        opened={modal === 'remove'}
        onClose={closeRemoval}
        onRemoved={() => setRemoved(true)}
      />
      <ChangeTenantRoleModal
        workspace={slug}
        person={person}
        target={target}
        grantable={grantableRoles(viewer)}
        opened={modal === 'tenant-role'}
        onClose={close}
      />
      <RevokeTenantRoleModal
        workspace={slug}
        person={person}
        target={target}
        opened={modal === 'revoke'}
        onClose={close}
      />
      <TenantRolesModal
        workspace={slug}
        person={person}
        tenants={editable}
        tenantsLoading={tenants.isPending}
        grantable={grantableRoles(viewer)}
        locked={locked}
        opened={modal === 'tenant-roles'}
        onClose={close}
      />
    </>
  );
}

function PersonLoader({ workspace }: { workspace: SessionWorkspace }) {
  const { user = '' } = useParams();
  const userId = /^[1-9][0-9]{0,9}$/.test(user) ? Number(user) : 0;
  const session = useSession();
  const person = usePerson(workspace.slug, userId);
  useDocumentTitle(
    person.data ? `${person.data.display_name} · People · TenantPilot` : 'Person · People · TenantPilot',
  );
  if (userId === 0 || isApiError(person.error, 404)) return <NotFoundState />;
  if (person.isError) {
    return (
      <WorkspaceErrorState slug={workspace.slug} error={person.error} onRetry={() => person.refetch()} />
    );
  }
  // Kept while a removal's result shows: the person is gone from the list by then.
  if (!person.data) return <Loading label="Loading this person" />;
  const viewer: Viewer = {
    self: session.data?.user.id === person.data.user_id,
    administer: can(workspace, 'workspace.administer'),
    grant: can(workspace, 'workspace.grant_access'),
  };
  return <PersonView workspace={workspace} person={person.data} viewer={viewer} />;
}

export function WorkspacePersonPage() {
  return (
    <WorkspacePage capability="workspace.view">
      {(workspace) => <PersonLoader workspace={workspace} />}
    </WorkspacePage>
  );
}
