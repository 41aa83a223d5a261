import { Stack, Text } from '@mantine/core';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { DotBadge } from '../../ui/status-badge.tsx';

/** What the token tables of the account page and of Administration show alike. */
interface TokenDates {
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Created, Last used ("Never" until it is) and Status (active, or revoked with when): one look for every token list. */
export function tokenDateColumns<Row extends TokenDates>(): Column<Row>[] {
  return [
    {
      key: 'created_at',
      header: 'Created',
      nowrap: true,
      render: (token) => <DateTime value={token.created_at} />,
    },
    {
      key: 'last_used_at',
      header: 'Last used',
      nowrap: true,
      render: (token) =>
        token.last_used_at ? (
          <DateTime value={token.last_used_at} />
        ) : (
          <Text size="sm" c="dimmed" fs="italic" component="span">
            Never
          </Text>
        ),
    },
    {
      key: 'status',
      header: 'Status',
      nowrap: true,
      render: (token) =>
        token.revoked_at ? (
          <Stack gap={2} align="flex-start">
            <DotBadge color="gray" label="Revoked" compact />
            <Text size="xs" c="dimmed">
              <DateTime value={token.revoked_at} />
            </Text>
          </Stack>
        ) : (
          <DotBadge color="green" label="Active" compact />
        ),
    },
  ];
}
