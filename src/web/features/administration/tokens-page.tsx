import { Button, Group, Paper, SegmentedControl, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDocumentTitle, useId } from '@mantine/hooks';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { ActionModal } from '../../ui/action-modal.tsx';
import { type Column, DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { optionsOf, parseKey } from '../../ui/options.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { tokenDateColumns } from '../account/token-columns.tsx';
import {
  type TokenFilters,
  useRevokeWorkspaceToken,
  useWorkspaceTokens,
  type WorkspaceTokenView,
} from './api.ts';
import { tokenStatusLabels } from './labels.ts';
import { Notice } from './notice.tsx';
import type { SessionWorkspace } from './workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from './workspace-page.tsx';

const ALL = 'all';

function tokenColumns(onRevoke: (token: WorkspaceTokenView) => void): Column<WorkspaceTokenView>[] {
  return [
    {
      key: 'name',
      header: 'Token',
      render: (token) => (
        <Text size="sm" fw={500} miw={140} style={{ overflowWrap: 'anywhere' }}>
          {token.name}
        </Text>
      ),
    },
    {
      key: 'user',
      header: 'Person',
      render: (token) => (
        <Stack gap={2} miw={200}>
          <Text size="sm">
            {token.user.display_name}
            {token.user.active ? '' : ' (account deactivated)'}
          </Text>
          <Text size="xs" c="dimmed">
            {token.user.email}
          </Text>
        </Stack>
      ),
    },
    ...tokenDateColumns<WorkspaceTokenView>(),
    {
      key: 'actions',
      header: 'Actions',
      nowrap: true,
      render: (token) =>
        token.revoked_at ? null : (
          <Button size="xs" variant="default" onClick={() => onRevoke(token)}>
            Revoke
            <VisuallyHidden>
              {' '}
              {token.name} of {token.user.display_name}
            </VisuallyHidden>
          </Button>
        ),
    },
  ];
}

function RevokeTokenModal({
  workspace,
  token,
  opened,
  onClose,
}: {
  workspace: string;
  token: WorkspaceTokenView | null;
  opened: boolean;
  onClose: () => void;
}) {
  const revoke = useRevokeWorkspaceToken(workspace);
  useResetOnOpen(opened, () => revoke.reset());
  if (!token) return null;
  return (
    <ActionModal
      title={`Revoke “${token.name}”?`}
      opened={opened}
      onClose={onClose}
      onSubmit={() => revoke.mutate(token.id)}
      submitLabel="Revoke token"
      submitting={revoke.isPending}
      error={revoke.error}
      tone="danger"
      result={
        revoke.isSuccess ? (
          <Notice color="green" role="status" title="Token revoked">
            Requests with it are refused from now on.
          </Notice>
        ) : undefined
      }
    >
      <Text size="sm">
        {token.user.display_name}’s token “{token.name}” stops working at once: every script or integration
        using it is refused (401). This cannot be undone; they can make a new token from their account page.
      </Text>
    </ActionModal>
  );
}

function Tokens({ workspace }: { workspace: SessionWorkspace }) {
  const slug = workspace.slug;
  const statusLabel = useId();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters: TokenFilters = { status: parseKey(tokenStatusLabels, searchParams.get('status')) };
  const tokens = useWorkspaceTokens(slug, filters);
  const [revoking, setRevoking] = useState<WorkspaceTokenView | null>(null);
  const [opened, setOpened] = useState(false);
  useDocumentTitle(`API tokens · ${workspace.name} · TenantPilot`);

  if (tokens.isError && tokens.data === undefined) {
    return <WorkspaceErrorState slug={slug} error={tokens.error} onRetry={() => tokens.refetch()} />;
  }
  const items = tokens.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Every API token of this workspace’s members. Tokens are shown once, when made; here you see what exists and revoke what should stop."
        breadcrumbs={[{ label: 'Administration', to: paths.workspace(slug) }, { label: 'API tokens' }]}
      />
      <Group mb="md">
        <Stack gap={4}>
          <Text component="span" size="sm" fw={500} id={statusLabel}>
            Status
          </Text>
          <SegmentedControl
            aria-labelledby={statusLabel}
            data={[{ value: ALL, label: 'All' }, ...optionsOf(tokenStatusLabels)]}
            value={filters.status ?? ALL}
            onChange={(value) => {
              const status = parseKey(tokenStatusLabels, value);
              setSearchParams(status ? { status } : {}, { replace: true });
            }}
          />
        </Stack>
      </Group>
      <Paper withBorder radius="md">
        {tokens.isPending ? (
          <Loading label="Loading API tokens" />
        ) : items.length === 0 ? (
          <EmptyState
            headingOrder={2}
            title={
              filters.status
                ? `No ${tokenStatusLabels[filters.status].toLowerCase()} tokens`
                : 'No API tokens yet'
            }
            description="Members make their own tokens from their account page."
          />
        ) : (
          <DataTable
            caption="API tokens"
            columns={tokenColumns((token) => {
              setRevoking(token);
              setOpened(true);
            })}
            rows={items}
            rowKey={(token) => token.id}
            minWidth={860}
          />
        )}
      </Paper>
      {tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={tokens.hasNextPage}
        loading={tokens.isFetchingNextPage}
        onLoadMore={() => tokens.fetchNextPage()}
        noun="token"
      />
      <RevokeTokenModal workspace={slug} token={revoking} opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}

export function WorkspaceTokensPage() {
  return (
    <WorkspacePage capability="workspace.administer">
      {(workspace) => <Tokens workspace={workspace} />}
    </WorkspacePage>
  );
}
