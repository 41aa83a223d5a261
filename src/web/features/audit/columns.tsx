import { Stack, Text } from '@mantine/core';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { humanize } from '../../ui/format.ts';
import type { AuditEventView } from './api.ts';
import { ChangeList } from './change-list.tsx';

/** "member.role_changed" → "Member role changed". */
export function actionLabel(action: string): string {
  return humanize(action.replace(/\./g, ' '));
}

export const auditColumns: Column<AuditEventView>[] = [
  {
    key: 'event',
    header: 'Event',
    render: (event) => (
      <Stack gap={2} miw={190}>
        <Text size="sm" fw={500}>
          {actionLabel(event.action)}
        </Text>
        <Text size="xs" c="dimmed">
          <DateTime value={event.at} />
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {event.action} · {event.subject_type} #{event.subject_id}
        </Text>
      </Stack>
    ),
  },
  {
    key: 'actor',
    header: 'Who, from where',
    render: (event) => (
      <Stack gap={2} miw={130}>
        <Text size="sm">
          {event.actor?.display_name ?? (
            <Text span size="sm" c="dimmed" fs="italic">
              Command line
            </Text>
          )}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {event.client_address ?? 'no client address'}
        </Text>
      </Stack>
    ),
  },
  {
    key: 'tenant',
    header: 'Tenant',
    render: (event) =>
      event.tenant ? (
        <Text size="sm">{event.tenant.name}</Text>
      ) : (
        <Text size="sm" c="dimmed">
          —
        </Text>
      ),
  },
  {
    key: 'changes',
    header: 'Before → after',
    render: (event) => <ChangeList before={event.before} after={event.after} />,
  },
];
