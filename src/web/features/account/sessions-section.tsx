import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import type { Column } from '../../ui/data-table.tsx';
import { DataTable } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type SessionInfo, useEndOtherSessions, useEndSession, useMySessions } from './security-api.ts';

/** Device, address, last seen and an action: the columns of "Your sessions" and of a member's sessions. */
export function sessionColumns(action?: (session: SessionInfo) => ReactNode): Column<SessionInfo>[] {
  const columns: Column<SessionInfo>[] = [
    {
      key: 'device',
      header: 'Device',
      render: (session) => (
        <Group gap={6} wrap="wrap">
          <Text size="sm" fw={500} title={session.user_agent ?? undefined}>
            {session.device}
          </Text>
          {session.current ? (
            <Badge size="sm" variant="light" color="blue" c="blue.9" tt="none" style={{ flexShrink: 0 }}>
              This browser
            </Badge>
          ) : null}
        </Group>
      ),
    },
    {
      key: 'address',
      header: 'Address',
      nowrap: true,
      render: (session) => session.client_address ?? '—',
    },
    {
      key: 'last_seen',
      header: 'Last seen',
      nowrap: true,
      render: (session) => <DateTime value={session.last_seen_at ?? session.created_at} />,
    },
    {
      key: 'signed_in',
      header: 'Signed in',
      nowrap: true,
      render: (session) => <DateTime value={session.created_at} />,
    },
  ];
  if (action) columns.push({ key: 'actions', header: 'Actions', align: 'right', render: action });
  return columns;
}

function EndSessionModal({ session, onClose }: { session: SessionInfo | null; onClose: () => void }) {
  const end = useEndSession();
  const [shown, setShown] = useState<SessionInfo | null>(session);
  useResetOnOpen(session !== null, () => {
    setShown(session);
    end.reset();
  });
  const submit = () => {
    if (!shown) return;
    end.mutate(shown, {
      onSuccess: () => {
        notifications.show({ message: `Signed out ${shown.device}.`, color: 'green' });
        onClose();
      },
    });
  };
  return (
    <ActionModal
      title="Sign out this session"
      opened={session !== null}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Sign out"
      tone="danger"
      submitting={end.isPending}
      error={end.error}
    >
      <Text size="sm">
        {shown?.device} at {shown?.client_address ?? 'an unknown address'} is signed out at once; its next
        click goes to the sign-in page.
      </Text>
    </ActionModal>
  );
}

function EndOthersModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const endOthers = useEndOtherSessions();
  useResetOnOpen(opened, () => endOthers.reset());
  const submit = () =>
    endOthers.mutate(undefined, {
      onSuccess: ({ ended }) => {
        notifications.show({
          message: ended === 1 ? 'Signed out 1 other session.' : `Signed out ${ended} other sessions.`,
          color: 'green',
        });
        onClose();
      },
    });
  return (
    <ActionModal
      title="Sign out everywhere else"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Sign out others"
      tone="danger"
      submitting={endOthers.isPending}
      error={endOthers.error}
    >
      <Text size="sm">Every browser but this one is signed out at once. Your API tokens keep working.</Text>
    </ActionModal>
  );
}

/** docs/rules.md "Sessions": where you are signed in, and a way out for each. */
export function SessionsSection() {
  const sessions = useMySessions();
  const [ending, setEnding] = useState<SessionInfo | null>(null);
  const [endingOthers, setEndingOthers] = useState(false);
  const items = sessions.data?.pages.flatMap((page) => page.items) ?? [];
  const others = items.filter((session) => !session.current).length;

  let body: ReactNode;
  if (sessions.isPending) body = <Loading label="Loading your sessions" />;
  else if (sessions.isError && items.length === 0)
    body = <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} pageLevel={false} />;
  else if (items.length === 0)
    body = (
      <EmptyState
        headingOrder={3}
        title="No browser sessions"
        description="You are using an API token: no browser is signed in as you."
      />
    );
  else
    body = (
      <DataTable
        caption="Your sessions"
        columns={sessionColumns((session) => (
          <Button
            size="xs"
            variant="default"
            onClick={() => setEnding(session)}
            aria-label={`Sign out ${session.device}${session.current ? ' (this browser)' : ''}`}
          >
            Sign out
          </Button>
        ))}
        rows={items}
        rowKey={(session) => session.id}
        minWidth={640}
      />
    );

  return (
    <Stack gap="sm" component="section" aria-labelledby="sessions-heading">
      <Group justify="space-between" align="center">
        <Title order={2} fz="h4" id="sessions-heading">
          Your sessions
        </Title>
        <Button size="sm" variant="default" onClick={() => setEndingOthers(true)} disabled={others === 0}>
          Sign out everywhere else
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Browsers signed in as you. Sign out any you do not recognise, then change your password.
      </Text>
      <Paper withBorder radius="md">
        {body}
      </Paper>
      <LoadMore
        count={items.length}
        hasMore={sessions.hasNextPage}
        loading={sessions.isFetchingNextPage}
        onLoadMore={() => sessions.fetchNextPage()}
        noun="session"
      />
      <EndSessionModal session={ending} onClose={() => setEnding(null)} />
      <EndOthersModal opened={endingOthers} onClose={() => setEndingOthers(false)} />
    </Stack>
  );
}
