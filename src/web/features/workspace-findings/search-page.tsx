import { Anchor, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { useAdminWorkspace } from '../administration/workspace.ts';
import { SeverityBadge } from '../findings/badges.tsx';
import { RunOutcomeBadge } from '../operation-runs/badges.tsx';
import { type SearchResults, useWorkspaceSearch } from './api.ts';

function Group_({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  if (count === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Title order={2} fz="h4" mb="sm">
        {title}{' '}
        <Text span c="dimmed" fz="sm">
          ({count})
        </Text>
      </Title>
      <List spacing="xs" listStyleType="none" withPadding={false}>
        {children}
      </List>
    </Paper>
  );
}

function Results({ results }: { results: SearchResults }) {
  const total =
    results.support_requests.length + results.findings.length + results.runs.length + results.tenants.length;
  if (total === 0) {
    return (
      <EmptyState
        headingOrder={2}
        title={`Nothing found for “${results.q}”`}
        description="Search finds an SR reference (SR-2026-000042), a finding or run id, the start of a finding's title, or a tenant's name — in the tenants you can see."
      />
    );
  }
  return (
    <Stack gap="md">
      <Group_ title="Support requests" count={results.support_requests.length}>
        {results.support_requests.map((item) => (
          <List.Item key={item.id}>
            <Anchor component={Link} to={paths.supportRequest(item.tenant.external_id, item.id)} fw={500}>
              {item.internal_reference}
            </Anchor>{' '}
            <Text span size="sm">
              {item.summary}
            </Text>{' '}
            <Text span size="xs" c="dimmed">
              · {item.tenant.name}
            </Text>
          </List.Item>
        ))}
      </Group_>
      <Group_ title="Findings" count={results.findings.length}>
        {results.findings.map((item) => (
          <List.Item key={item.finding_id}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <SeverityBadge severity={item.severity} compact />
              <div>
                <Anchor
                  component={Link}
                  to={paths.finding(item.tenant.external_id, item.finding_id)}
                  fw={500}
                >
                  {item.title}
                </Anchor>{' '}
                <Text span size="xs" c="dimmed">
                  #{item.finding_id} · {item.tenant.name}
                </Text>
              </div>
            </Group>
          </List.Item>
        ))}
      </Group_>
      <Group_ title="Operation runs" count={results.runs.length}>
        {results.runs.map((item) => (
          <List.Item key={item.id}>
            <Group gap="xs">
              <Anchor component={Link} to={paths.operationRun(item.id)} fw={500}>
                {item.type} #{item.id}
              </Anchor>
              {item.outcome ? <RunOutcomeBadge outcome={item.outcome} /> : null}
              <Text span size="xs" c="dimmed">
                {item.tenant ? item.tenant.name : 'Workspace-level run'}
              </Text>
            </Group>
          </List.Item>
        ))}
      </Group_>
      <Group_ title="Tenants" count={results.tenants.length}>
        {results.tenants.map((item) => (
          <List.Item key={item.external_id}>
            <Anchor component={Link} to={paths.tenantDashboard(item.external_id)} fw={500}>
              {item.name}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed">
              {item.external_id}
            </Text>
          </List.Item>
        ))}
      </Group_>
    </Stack>
  );
}

/** `/admin/w/:workspace/search?q=`: the header search's results, grouped by kind, each a link. */
export function WorkspaceSearchPage() {
  const { slug, workspace } = useAdminWorkspace();
  const [searchParams] = useSearchParams();
  const q = (searchParams.get('q') ?? '').slice(0, 200);
  const search = useWorkspaceSearch(slug, q);
  useDocumentTitle(`Search · ${workspace?.name ?? slug} · TenantPilot`);
  const header = (
    <PageHeader
      title={q.trim() ? `Search: ${q.trim()}` : 'Search'}
      description="SR references, finding and run ids, finding titles and tenant names, in the tenants you can see. Press / anywhere to search."
    />
  );
  if (q.trim() === '') {
    return (
      <>
        {header}
        <EmptyState headingOrder={2} title="Type in the search box above" />
      </>
    );
  }
  return (
    <>
      {header}
      {search.isError ? (
        <ErrorState error={search.error} onRetry={() => search.refetch()} />
      ) : search.data === undefined ? (
        <Loading label="Searching" />
      ) : (
        <Results results={search.data} />
      )}
    </>
  );
}
