import { Badge, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { useWorkspaceOverview, type WorkspaceOverview } from './api.ts';
import { roleLabels, workspaceRoleDescriptions } from './labels.ts';
import { Notice } from './notice.tsx';
import { can, type SessionWorkspace } from './workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from './workspace-page.tsx';

function CountCard({ label, value, hint, to }: { label: string; value: number; hint: string; to: string }) {
  return (
    <Paper component={Link} to={to} td="none" c="inherit" withBorder radius="md" p="md">
      <Text size="sm" fw={600} c="dimmed">
        {label}
      </Text>
      <Text fz={32} fw={700} lh={1.2} mt={4}>
        {value}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {hint}
      </Text>
    </Paper>
  );
}

function Counts({ overview }: { overview: WorkspaceOverview }) {
  const slug = overview.workspace.slug;
  const { tenants, people } = overview.counts;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
      <CountCard
        label="Active tenants"
        value={tenants.active}
        hint="Customer tenants looked after"
        to={paths.workspaceTenants(slug)}
      />
      <CountCard
        label="Archived tenants"
        value={tenants.archived}
        hint="Read-only, out of the switcher"
        to={paths.workspaceTenants(slug, { archived: 'true' })}
      />
      <CountCard
        label="Active people"
        value={people.active}
        hint="Members who can sign in"
        to={paths.workspacePeople(slug, { active: 'true' })}
      />
      <CountCard
        label="Suspended people"
        value={people.suspended}
        hint="No access until restored"
        to={paths.workspacePeople(slug, { active: 'false' })}
      />
    </SimpleGrid>
  );
}

/** What the person's workspace role lets them do here, and that tenant data needs a tenant role. */
function YourRole({ overview, workspace }: { overview: WorkspaceOverview; workspace: SessionWorkspace }) {
  const withoutTenants = workspace.tenants.length === 0;
  return (
    <Stack gap="sm" component="section" aria-labelledby="your-role-heading">
      <Title order={2} fz="h4" id="your-role-heading">
        Your role in this workspace
      </Title>
      <Paper withBorder radius="md" p="lg">
        <Stack gap="sm">
          <Text size="sm">
            <Text span fw={600}>
              {roleLabels[overview.workspace_role]}:
            </Text>{' '}
            {workspaceRoleDescriptions[overview.workspace_role]}
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>Every member sees the workspace’s tenants and people.</List.Item>
            <List.Item>
              A tenant’s dashboard, runs, findings and support requests need a tenant role on that tenant; a
              workspace role alone grants none.
            </List.Item>
            {can(workspace, 'workspace.grant_access') && !can(workspace, 'workspace.administer') ? (
              <List.Item>As a manager you grant tenant roles up to manager; owners grant owner.</List.Item>
            ) : null}
          </List>
        </Stack>
      </Paper>
      {withoutTenants ? (
        <Notice color="indigo" title="You have no tenant roles in this workspace yet">
          {can(workspace, 'workspace.administer')
            ? 'Add a tenant: you become its owner. Then invite your colleagues and give them tenant roles.'
            : 'A workspace owner or manager gives you a role on the tenants you look after.'}
        </Notice>
      ) : null}
    </Stack>
  );
}

function Overview({ workspace }: { workspace: SessionWorkspace }) {
  const overview = useWorkspaceOverview(workspace.slug);
  useDocumentTitle(`Administration · ${workspace.name} · TenantPilot`);
  if (overview.isError) {
    return (
      <WorkspaceErrorState slug={workspace.slug} error={overview.error} onRetry={() => overview.refetch()} />
    );
  }
  if (!overview.data) return <Loading label="Loading the workspace overview" />;
  const data = overview.data;
  return (
    <>
      <PageHeader
        title={data.workspace.name}
        description="Administration: the workspace’s tenants, people and settings."
        breadcrumbs={[{ label: 'Administration' }]}
        actions={
          <Badge variant="outline" color="gray" c="gray.8" size="lg" radius="sm" tt="none">
            Your role: {roleLabels[data.workspace_role]}
          </Badge>
        }
      />
      <Stack gap="xl">
        <Counts overview={data} />
        <YourRole overview={data} workspace={workspace} />
      </Stack>
    </>
  );
}

export function WorkspaceOverviewPage() {
  return (
    <WorkspacePage capability="workspace.view">
      {(workspace) => <Overview workspace={workspace} />}
    </WorkspacePage>
  );
}
