import { Anchor, Button, DataList, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { Field } from '../../ui/detail-list.tsx';
import { describeSaveError } from '../../ui/form-errors.ts';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { DotBadge } from '../../ui/status-badge.tsx';
import { type DeskSettingsView, useCheckDesk, useDeskSettings } from './api.ts';
import { Notice } from './notice.tsx';
import type { SessionWorkspace } from './workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from './workspace-page.tsx';

/** Which credential variables are set, never their values (the server does not send them). */
function Credentials({ configured }: { configured: DeskSettingsView['configured'] }) {
  const entries = Object.entries(configured);
  if (entries.length === 0) return <Text size="sm">None needed</Text>;
  return (
    <List size="sm" spacing={4} listStyleType="none" p={0}>
      {entries.map(([name, set]) => (
        <List.Item key={name}>
          <Group gap="xs" wrap="wrap">
            <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {name}
            </Text>
            <DotBadge color={set ? 'green' : 'gray'} label={set ? 'Set' : 'Not set'} compact />
          </Group>
        </List.Item>
      ))}
    </List>
  );
}

function CheckConnection({ ready }: { ready: boolean }) {
  const check = useCheckDesk();
  const failure = describeSaveError(check.error);
  return (
    <Stack gap="sm" component="section" aria-labelledby="desk-check-heading">
      <Title order={2} fz="h4" id="desk-check-heading">
        Test the connection
      </Title>
      <Text size="sm">
        One read-only call to the desk with these settings, as <code>tenantpilot desk check</code> makes: it
        creates no ticket.
      </Text>
      <Group>
        <Button onClick={() => check.mutate()} loading={check.isPending} disabled={!ready}>
          Test connection
        </Button>
        {!ready ? (
          <Text size="sm" c="dimmed">
            Set the URL and every credential first.
          </Text>
        ) : null}
      </Group>
      <div aria-live="polite">
        {check.data ? (
          <Notice
            color={check.data.ok ? 'green' : 'red'}
            title={
              check.data.ok ? 'The desk accepted the connection' : 'The desk did not accept the connection'
            }
          >
            {check.data.summary}
          </Notice>
        ) : failure ? (
          <Notice color="red" title="Could not test the connection">
            {failure.message}
          </Notice>
        ) : null}
      </div>
    </Stack>
  );
}

function Settings({ settings, slug }: { settings: DeskSettingsView; slug: string }) {
  if (!settings.provider) {
    return (
      <Notice color="gray" title="No support desk is set up">
        Support requests are recorded in TenantPilot only. To hand them to HaloPSA, ConnectWise PSA, Autotask,
        Zendesk, Freshdesk, Jira Service Management or a webhook, set <code>SUPPORT_DESK_PROVIDER</code>,{' '}
        <code>SUPPORT_DESK_URL</code> and the desk’s credentials in the server’s environment, then restart it.
      </Notice>
    );
  }
  return (
    <Stack gap="xl">
      <Paper withBorder radius="md" p="lg">
        <DataList withDivider labelWidth={160} size="sm">
          <Field label="Desk">{settings.display_name ?? settings.provider}</Field>
          <Field label="URL">
            <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {settings.url ?? 'Not set'}
            </Text>
          </Field>
          <Field label="Time budget">{(settings.timeout_ms / 1000).toLocaleString()} s per handoff</Field>
          <Field label="Credentials">
            <Credentials configured={settings.configured} />
          </Field>
          <Field label="Ready">{settings.ready ? 'Yes' : 'No: something above is missing'}</Field>
        </DataList>
      </Paper>
      <Text size="sm">
        Tickets are filed under each tenant’s desk customer, set on the{' '}
        <Anchor component={Link} to={paths.workspaceTenants(slug)} size="sm">
          Tenants
        </Anchor>{' '}
        page.
      </Text>
      <CheckConnection ready={settings.ready} />
    </Stack>
  );
}

function SupportDesk({ workspace }: { workspace: SessionWorkspace }) {
  const settings = useDeskSettings();
  useDocumentTitle(`Support desk · ${workspace.name} · TenantPilot`);
  return (
    <>
      <PageHeader
        title="Support desk"
        description="The support desk this TenantPilot installation hands requests to. It comes from the server’s environment and is the same for every workspace; secrets are never shown."
        breadcrumbs={[
          { label: 'Administration', to: paths.workspace(workspace.slug) },
          { label: 'Support desk' },
        ]}
      />
      {settings.isError ? (
        <WorkspaceErrorState
          slug={workspace.slug}
          error={settings.error}
          onRetry={() => settings.refetch()}
        />
      ) : !settings.data ? (
        <Loading label="Loading the support desk settings" />
      ) : (
        <Settings settings={settings.data} slug={workspace.slug} />
      )}
    </>
  );
}

export function WorkspaceSupportDeskPage() {
  return (
    <WorkspacePage capability="workspace.administer">
      {(workspace) => <SupportDesk workspace={workspace} />}
    </WorkspacePage>
  );
}
