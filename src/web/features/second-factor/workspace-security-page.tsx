import { Alert, Anchor, List, Paper, Stack, Switch, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { describeSaveError } from '../../ui/form-errors.ts';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { Notice } from '../administration/notice.tsx';
import type { SessionWorkspace } from '../administration/workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from '../administration/workspace-page.tsx';
import { useSession } from '../tenancy/api.ts';
import { useUpdateWorkspaceSecurity, useWorkspaceSecurity } from './api.ts';

function membersWithout(count: number, members: number) {
  if (count === 0) return `All ${members} active members have set up two-step sign-in.`;
  const who = count === 1 ? '1 member has' : `${count} members have`;
  return `${who} not set up two-step sign-in yet (of ${members}).`;
}

function SecurityView({ workspace }: { workspace: SessionWorkspace }) {
  useDocumentTitle(`Security · ${workspace.name} · TenantPilot`);
  const security = useWorkspaceSecurity(workspace.slug);
  const update = useUpdateWorkspaceSecurity(workspace.slug);
  const session = useSession();
  const ownFactor = session.data?.second_factor_enrolled ?? false;
  const header = (
    <PageHeader
      title="Security"
      description="How people sign in to this workspace."
      breadcrumbs={[{ label: 'Administration', to: paths.workspace(workspace.slug) }, { label: 'Security' }]}
    />
  );
  if (security.isError) {
    return (
      <>
        {header}
        <WorkspaceErrorState
          slug={workspace.slug}
          error={security.error}
          onRetry={() => security.refetch()}
        />
      </>
    );
  }
  if (!security.data) return <Loading label="Loading the workspace's security settings" />;
  const { require_second_factor: required, members, members_without_second_factor: without } = security.data;
  const failure = describeSaveError(update.error);
  return (
    <>
      {header}
      <Stack gap="md" maw={720}>
        <Paper withBorder radius="md" p="lg">
          <Stack gap="sm">
            <Switch
              size="md"
              label="Require two-step sign-in"
              description="Members without an authenticator app are sent to set one up before they can open this workspace, its tenants or its pages. Their other workspaces are not affected."
              checked={required}
              disabled={update.isPending || (!required && !ownFactor)}
              onChange={(event) => update.mutate({ require_second_factor: event.currentTarget.checked })}
            />
            <Text size="sm" c="dimmed" aria-live="polite">
              {membersWithout(without, members)}
            </Text>
            {security.data.people_without_second_factor.length > 0 ? (
              <List size="sm" spacing={2} aria-label="Members without two-step sign-in">
                {security.data.people_without_second_factor.map((person) => (
                  <List.Item key={person.user_id}>
                    <Anchor component={Link} to={paths.workspacePerson(workspace.slug, person.user_id)}>
                      {person.display_name}
                    </Anchor>{' '}
                    <Text span size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {person.email}
                    </Text>
                  </List.Item>
                ))}
              </List>
            ) : null}
          </Stack>
        </Paper>
        {!ownFactor && !required ? (
          <Notice color="blue" title="Set up yours first">
            Before you can require it of everyone,{' '}
            <Anchor component={Link} to="/admin/me#second-factor">
              set up two-step sign-in for your own account
            </Anchor>
            .
          </Notice>
        ) : null}
        {failure ? (
          <Alert color="red" variant="light" title="Not changed" role="alert">
            {failure.message}
          </Alert>
        ) : null}
      </Stack>
    </>
  );
}

/** `/admin/w/:workspace/security`: an owner requires a second factor of the workspace's members. */
export function WorkspaceSecurityPage() {
  return (
    <WorkspacePage capability="workspace.administer">
      {(workspace) => <SecurityView workspace={workspace} />}
    </WorkspacePage>
  );
}
