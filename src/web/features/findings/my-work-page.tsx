import { Button, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useDocumentTitle, useMediaQuery } from '@mantine/hooks';
import { useSearchParams } from 'react-router';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { type MyWorkRole, useMyWork } from './api.ts';
import { myWorkColumns } from './columns.tsx';
import { parseMyWorkRole } from './url-filters.ts';

const roleOptions = [
  { value: 'any', label: 'Owner or assignee' },
  { value: 'owner', label: 'I own' },
  { value: 'assignee', label: 'Assigned to me' },
];

const emptyCopy: Record<MyWorkRole | 'any', string> = {
  any: 'You neither own nor are assigned any finding in your tenants.',
  owner: 'You own no finding in your tenants.',
  assignee: 'No finding in your tenants is assigned to you.',
};

export function MyWorkPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const role = parseMyWorkRole(searchParams.get('role'));
  const work = useMyWork(role);
  // Three choices side by side are wider than a phone: stacked there.
  const narrow = useMediaQuery('(max-width: 30em)', false, { getInitialValueInEffect: false });
  useDocumentTitle('My work · TenantPilot');

  const setRole = (value: string) => {
    const next = parseMyWorkRole(value);
    setSearchParams(next ? new URLSearchParams({ role: next }) : new URLSearchParams());
  };

  if (work.isError && work.data === undefined) {
    return <ErrorState error={work.error} onRetry={() => work.refetch()} />;
  }
  const items = work.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="My work"
        description="Findings you own or are assigned, across every tenant you are a member of, newest first."
      />
      <Stack gap={4} mb="md" align={narrow ? 'stretch' : 'flex-start'}>
        <Text size="sm" fw={500} id="my-work-role-label">
          Show findings
        </Text>
        <SegmentedControl
          aria-labelledby="my-work-role-label"
          data={roleOptions}
          value={role ?? 'any'}
          onChange={setRole}
          orientation={narrow ? 'vertical' : 'horizontal'}
          fullWidth={narrow}
        />
      </Stack>
      <Paper withBorder radius="md">
        {work.isPending ? (
          <Loading label="Loading your findings" />
        ) : items.length === 0 ? (
          <EmptyState
            headingOrder={2}
            title="Nothing on your plate"
            description={emptyCopy[role ?? 'any']}
            action={role ? <Button onClick={() => setRole('any')}>Show owner or assignee</Button> : undefined}
          />
        ) : (
          <DataTable
            caption="My findings"
            columns={myWorkColumns}
            rows={items}
            rowKey={(item) => `${item.tenant.external_id}-${item.finding_id}`}
            minWidth={980}
          />
        )}
      </Paper>
      {work.isError ? (
        <ErrorState error={work.error} onRetry={() => work.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={work.hasNextPage}
        loading={work.isFetchingNextPage}
        onLoadMore={() => work.fetchNextPage()}
        noun="finding"
      />
    </>
  );
}
