import { Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { paths } from '../../app/paths.ts';

/** The workspace views side by side: a row of links under each page's title, the current one marked. */
export function WorkspaceViewsNavigation({ workspace }: { workspace: string }) {
  const { pathname } = useLocation();
  const links = [
    { label: 'Overview', to: paths.workspaceFindingsOverview(workspace) },
    { label: 'All findings', to: paths.workspaceFindings(workspace) },
    { label: 'Approval queue', to: paths.workspaceExceptions(workspace) },
  ];
  return (
    <Group gap="xs" mb="md" component="nav" aria-label="Workspace views">
      {links.map((link) => {
        const current = pathname === link.to;
        return (
          <Button
            key={link.to}
            component={Link}
            to={link.to}
            size="xs"
            radius="xl"
            variant={current ? 'filled' : 'default'}
            aria-current={current ? 'page' : undefined}
          >
            {link.label}
          </Button>
        );
      })}
    </Group>
  );
}

/** The workspace views in the main navigation, for the workspace on screen (or the person's first). */
export function WorkspaceViewsLinks({
  workspace,
}: {
  workspace: { slug: string; name: string } | undefined;
}) {
  const { pathname } = useLocation();
  if (!workspace) return null;
  const links = [
    { label: 'Overview', to: paths.workspaceFindingsOverview(workspace.slug) },
    { label: 'All findings', to: paths.workspaceFindings(workspace.slug) },
    { label: 'Approval queue', to: paths.workspaceExceptions(workspace.slug) },
  ];
  return (
    <Stack gap={2}>
      <Text size="xs" fw={700} c="dimmed" px="sm" pb={6} id="workspace-views-heading" truncate="end">
        All tenants of {workspace.name}
      </Text>
      <Stack gap={2} role="group" aria-labelledby="workspace-views-heading">
        {links.map((link) => {
          const active = pathname === link.to;
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
