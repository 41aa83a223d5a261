import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { useEndMemberSessions, useMemberSessions } from './security-api.ts';
import { sessionColumns } from './sessions-section.tsx';

interface MemberSessionsProps {
  workspace: string;
  person: { user_id: number; display_name: string };
}

function EndMemberSessionsModal({
  opened,
  onClose,
  workspace,
  person,
}: MemberSessionsProps & {
  opened: boolean;
  onClose: () => void;
}) {
  const end = useEndMemberSessions(workspace, person.user_id);
  useResetOnOpen(opened, () => end.reset());
  const submit = () =>
    end.mutate(undefined, {
      onSuccess: ({ ended }) => {
        notifications.show({
          message: `${person.display_name} is signed out (${ended} ${ended === 1 ? 'session' : 'sessions'}).`,
          color: 'green',
        });
        onClose();
      },
    });
  return (
    <ActionModal
      title={`Sign ${person.display_name} out everywhere`}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Sign out everywhere"
      tone="danger"
      submitting={end.isPending}
      error={end.error}
    >
      <Text size="sm">
        Every browser signed in as {person.display_name} is signed out at once, in every workspace. Their API
        tokens keep working: revoke those on the API tokens page. To keep them out, suspend their membership.
      </Text>
    </ActionModal>
  );
}

/** docs/rules.md "Sessions": on a person's page, for the workspace's owners: their sessions, and an end to them. */
export function MemberSessionsSection({ workspace, person }: MemberSessionsProps) {
  const sessions = useMemberSessions(workspace, person.user_id, true);
  const [ending, setEnding] = useState(false);
  const items = sessions.data?.items ?? [];
  let body: ReactNode;
  if (sessions.isPending) body = <Loading label="Loading their sessions" />;
  else if (sessions.isError)
    body = <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} pageLevel={false} />;
  else if (items.length === 0)
    body = (
      <EmptyState headingOrder={3} title="Not signed in" description="No browser is signed in as them." />
    );
  else
    body = (
      <DataTable
        caption={`Sessions of ${person.display_name}`}
        columns={sessionColumns()}
        rows={items}
        rowKey={(session) => session.id}
        minWidth={560}
      />
    );
  return (
    <Stack gap="sm" component="section" aria-labelledby="member-sessions-heading">
      <Group justify="space-between" align="center">
        <Title order={2} fz="h4" id="member-sessions-heading">
          Sessions
        </Title>
        <Button
          size="sm"
          variant="default"
          color="red"
          onClick={() => setEnding(true)}
          disabled={items.length === 0}
        >
          Sign out everywhere
        </Button>
      </Group>
      <Paper withBorder radius="md">
        {body}
      </Paper>
      <EndMemberSessionsModal
        opened={ending}
        onClose={() => setEnding(false)}
        workspace={workspace}
        person={person}
      />
    </Stack>
  );
}
