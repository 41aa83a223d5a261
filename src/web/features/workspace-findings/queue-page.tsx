import { Anchor, Button, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { type Column, DataTable } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { optionsOf, parseKey } from '../../ui/options.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { useAdminWorkspace } from '../administration/workspace.ts';
import type { ExceptionDecision } from '../findings/api.ts';
import { ExceptionStatusBadge, SeverityBadge } from '../findings/badges.tsx';
import { DecisionModal } from '../findings/exception-decisions.tsx';
import { type ApprovalQueueItem, type QueueFilters, useApprovalQueue, workspaceFindingKeys } from './api.ts';
import { queueStatusLabels } from './labels.ts';
import { WorkspaceViewsNavigation } from './views-navigation.tsx';

const TENANT = /^[a-z0-9-]{1,63}$/;

interface Deciding {
  item: ApprovalQueueItem;
  decision: ExceptionDecision;
}

/** Approve and reject, or why this person cannot approve (four eyes: not their own request). */
function DecisionCell({
  item,
  onDecide,
}: {
  item: ApprovalQueueItem;
  onDecide: (pending: Deciding) => void;
}) {
  if (item.exception.status !== 'pending') return null;
  return (
    <Stack gap={4} align="flex-start">
      <Group gap="xs">
        {item.can_approve ? (
          <Button size="xs" onClick={() => onDecide({ item, decision: 'approve' })}>
            Approve
          </Button>
        ) : null}
        <Button size="xs" variant="default" onClick={() => onDecide({ item, decision: 'reject' })}>
          Reject
        </Button>
      </Group>
      {item.cannot_approve_reason ? (
        <Text size="xs" c="dimmed" maw={220}>
          {item.cannot_approve_reason}
        </Text>
      ) : null}
    </Stack>
  );
}

function queueColumns(onDecide: (pending: Deciding) => void): Column<ApprovalQueueItem>[] {
  return [
    {
      key: 'finding',
      header: 'Finding',
      render: (item) => (
        <Stack gap={2} miw={200}>
          <Anchor
            component={Link}
            to={paths.finding(item.tenant.external_id, item.finding.finding_id)}
            fw={500}
            size="sm"
          >
            {item.finding.title}
          </Anchor>
          <Group gap={6}>
            <SeverityBadge severity={item.finding.severity} compact />
            <Text size="xs" c="dimmed">
              {item.tenant.name} · #{item.finding.finding_id}
            </Text>
          </Group>
        </Stack>
      ),
    },
    {
      key: 'request',
      header: 'Request',
      render: (item) => (
        <Stack gap={2} miw={200}>
          <Text size="sm" lineClamp={3}>
            {item.exception.request_reason}
          </Text>
          <Text size="xs" c="dimmed">
            By {item.exception.requested_by.display_name} · owner {item.exception.owner.display_name}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      nowrap: true,
      render: (item) => <ExceptionStatusBadge status={item.exception.status} />,
    },
    {
      key: 'review',
      header: 'Review due',
      nowrap: true,
      render: (item) => (
        <Stack gap={2}>
          <Text
            size="sm"
            c={item.exception.review_overdue ? 'red.8' : undefined}
            fw={item.exception.review_overdue ? 600 : undefined}
          >
            <DateTime value={item.exception.review_due_at} />
          </Text>
          {item.exception.review_overdue ? (
            <Text size="xs" c="red.8">
              Overdue
            </Text>
          ) : null}
        </Stack>
      ),
    },
    { key: 'decide', header: 'Decision', render: (item) => <DecisionCell item={item} onDecide={onDecide} /> },
  ];
}

/**
 * `/admin/w/:workspace/exceptions`, the approval queue: exceptions of the tenants where the person decides them,
 * the review due first. Approve and reject go through the finding's own decision routes.
 */
export function ApprovalQueuePage() {
  const { slug, workspace } = useAdminWorkspace();
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const tenantParam = searchParams.get('tenant');
  const filters: QueueFilters = {
    status: parseKey(queueStatusLabels, searchParams.get('status')),
    review: searchParams.get('review') === 'overdue' ? 'overdue' : undefined,
    tenant: tenantParam && TENANT.test(tenantParam) ? tenantParam : undefined,
  };
  const queue = useApprovalQueue(slug, filters);
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  useDocumentTitle(`Approval queue · ${workspace?.name ?? slug} · TenantPilot`);
  const deciders = (workspace?.tenants ?? []).filter((one) =>
    one.capabilities.includes('finding_exceptions.decide'),
  );

  const setFilters = (next: QueueFilters) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) params.set(key, value);
    setSearchParams(params);
  };
  const closeDecision = () => {
    setDeciding(null);
    queryClient.invalidateQueries({ queryKey: workspaceFindingKeys.all });
  };

  const header = (
    <PageHeader
      title="Approval queue"
      description="Risk exceptions waiting for an owner's decision in the tenants you own. Four eyes: whoever requested an exception cannot approve it."
    />
  );
  if (queue.isError && queue.data === undefined) {
    return (
      <>
        {header}
        <ErrorState error={queue.error} onRetry={() => queue.refetch()} />
      </>
    );
  }
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(filters.status || filters.review || filters.tenant);
  return (
    <>
      {header}
      <WorkspaceViewsNavigation workspace={slug} />
      <Group mb="md" align="flex-end" gap="sm">
        <Select
          label="Status"
          placeholder={filters.review ? 'Pending or approved' : 'Pending'}
          data={optionsOf(queueStatusLabels)}
          value={filters.status ?? null}
          onChange={(value) => setFilters({ ...filters, status: parseKey(queueStatusLabels, value) })}
          clearable
          w={200}
        />
        <Select
          label="Tenant"
          placeholder="Every tenant you own"
          data={deciders.map((one) => ({ value: one.external_id, label: one.name }))}
          value={filters.tenant ?? null}
          onChange={(value) => setFilters({ ...filters, tenant: value ?? undefined })}
          clearable
          searchable
          w={240}
        />
        <Button
          variant={filters.review ? 'filled' : 'default'}
          aria-pressed={Boolean(filters.review)}
          onClick={() => setFilters({ ...filters, review: filters.review ? undefined : 'overdue' })}
        >
          Review overdue
        </Button>
      </Group>
      <Paper withBorder radius="md">
        {queue.isPending ? (
          <Loading label="Loading the approval queue" />
        ) : items.length === 0 ? (
          <EmptyState
            headingOrder={2}
            title={filtered ? 'No exceptions match these filters' : 'Nothing waits for a decision'}
            description={
              deciders.length === 0
                ? 'Exceptions are decided by the owners of a tenant; you own none in this workspace.'
                : filtered
                  ? 'Clear the filters to see every pending exception of the tenants you own.'
                  : 'Pending exception requests of the tenants you own appear here.'
            }
            action={filtered ? <Button onClick={() => setFilters({})}>Clear filters</Button> : undefined}
          />
        ) : (
          <DataTable
            caption="Approval queue"
            columns={queueColumns(setDeciding)}
            rows={items}
            rowKey={(item) => item.exception.id}
            minWidth={960}
          />
        )}
      </Paper>
      <LoadMore
        count={items.length}
        hasMore={queue.hasNextPage}
        loading={queue.isFetchingNextPage}
        onLoadMore={() => queue.fetchNextPage()}
        noun="exception"
      />
      {deciding ? (
        <DecisionModal
          tenant={deciding.item.tenant.external_id}
          findingId={deciding.item.finding.finding_id}
          exception={deciding.item.exception}
          decision={deciding.decision}
          opened
          onClose={closeDecision}
        />
      ) : null}
    </>
  );
}
