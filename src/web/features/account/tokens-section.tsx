import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { Column } from '../../ui/data-table.tsx';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { type TokenView, useMyTokens } from './api.ts';
import { tokenDateColumns } from './token-columns.tsx';
import { CreateTokenModal, RevokeTokenModal } from './token-modals.tsx';

function tokenColumns(onRevoke: (token: TokenView) => void): Column<TokenView>[] {
  return [
    {
      key: 'name',
      header: 'Name',
      render: (token) => (
        <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {token.name}
        </Text>
      ),
    },
    ...tokenDateColumns<TokenView>(),
    {
      key: 'actions',
      header: 'Actions',
      align: 'right',
      render: (token) =>
        token.revoked_at ? null : (
          <Button
            size="xs"
            variant="default"
            onClick={() => onRevoke(token)}
            aria-label={`Revoke token ${token.name}`}
          >
            Revoke
          </Button>
        ),
    },
  ];
}

export function TokensSection() {
  const tokens = useMyTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const items = tokens.data?.pages.flatMap((page) => page.items) ?? [];

  let body: ReactNode;
  if (tokens.isPending) body = <Loading label="Loading your API tokens" />;
  else if (tokens.isError && items.length === 0)
    body = <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} pageLevel={false} />;
  else if (items.length === 0)
    body = (
      <EmptyState
        headingOrder={3}
        title="No API tokens"
        description="Create one for a script or an integration that calls the TenantPilot API as you."
      />
    );
  else
    body = (
      <DataTable
        caption="Your API tokens"
        columns={tokenColumns(setRevoking)}
        rows={items}
        rowKey={(token) => token.id}
        minWidth={640}
      />
    );

  return (
    <Stack gap="sm" component="section" aria-labelledby="tokens-heading">
      <Group justify="space-between" align="center">
        <Title order={2} fz="h4" id="tokens-heading">
          API tokens
        </Title>
        <Button size="sm" onClick={() => setCreating(true)}>
          Create token
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        For scripts and integrations: a token calls the API as you. Revoke a token you no longer use.
      </Text>
      <Paper withBorder radius="md">
        {body}
      </Paper>
      {tokens.isError && items.length > 0 ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={tokens.hasNextPage}
        loading={tokens.isFetchingNextPage}
        onLoadMore={() => tokens.fetchNextPage()}
        noun="token"
      />
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <RevokeTokenModal token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
