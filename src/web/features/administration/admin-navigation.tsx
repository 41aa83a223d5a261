import { NavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import type { SessionView } from '../../../server/features/tenancy/schemas.ts';
import { paths } from '../../app/paths.ts';
import type { WorkspaceCapability } from './labels.ts';
import { can, type SessionWorkspace } from './workspace.ts';

interface AdminLink {
  label: string;
  to: string;
  capability: WorkspaceCapability;
  exact?: boolean;
}

/** Each page with the capability it needs: the navigation offers only what the role may use. */
function adminLinks(slug: string): AdminLink[] {
  return [
    { label: 'Workspace', to: paths.workspace(slug), capability: 'workspace.view', exact: true },
    { label: 'Tenants', to: paths.workspaceTenants(slug), capability: 'workspace.view' },
    { label: 'People', to: paths.workspacePeople(slug), capability: 'workspace.view' },
    { label: 'Audit log', to: paths.workspaceAudit(slug), capability: 'workspace.administer' },
    { label: 'API tokens', to: paths.workspaceTokens(slug), capability: 'workspace.administer' },
    { label: 'Support desk', to: paths.workspaceSupportDesk(slug), capability: 'workspace.administer' },
    { label: 'Security', to: paths.workspaceSecurity(slug), capability: 'workspace.administer' },
  ];
}

/**
 * The workspace the Administration links are about: the one in the URL, else the one of the tenant or
 * run on screen, else the person's first workspace. The workspace switcher changes it.
 */
export function administeredWorkspace(
  session: SessionView,
  slug: string | undefined,
  workspaceId: number | undefined,
): SessionWorkspace | undefined {
  return (
    session.workspaces.find((workspace) => workspace.slug === slug) ??
    session.workspaces.find((workspace) => workspace.id === workspaceId) ??
    session.workspaces[0]
  );
}

export function AdministrationNavigation({ workspace }: { workspace: SessionWorkspace | undefined }) {
  const { pathname } = useLocation();
  if (!workspace) return null;
  const links = adminLinks(workspace.slug).filter((link) => can(workspace, link.capability));
  if (links.length === 0) return null;
  const isActive = (link: AdminLink) =>
    link.exact ? pathname === link.to : pathname === link.to || pathname.startsWith(`${link.to}/`);
  return (
    <Stack gap={2}>
      <Text size="xs" fw={700} c="dimmed" px="sm" id="administration-heading">
        Administration
      </Text>
      <Text size="xs" c="dimmed" px="sm" pb={6} truncate="end">
        {workspace.name}
      </Text>
      <Stack gap={2} role="group" aria-labelledby="administration-heading">
        {links.map((link) => {
          const active = isActive(link);
          return (
            <NavLink
              key={link.label}
              component={Link}
              to={link.to}
              label={link.label}
              active={active}
              aria-current={active ? 'page' : undefined}
            />
          );
        })}
      </Stack>
    </Stack>
  );
}
