import { Paper, SimpleGrid, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { FindingCounts as Counts } from './api.ts';

interface StatCardProps {
  label: string;
  value: number;
  hint: string;
  /** Draws attention to a count that needs someone to act. */
  attention?: boolean;
  /** The findings list these findings are in. */
  to: string;
}

function StatCard({ label, value, hint, attention = false, to }: StatCardProps) {
  const warn = attention && value > 0;
  return (
    <Paper
      component={Link}
      to={to}
      td="none"
      c="inherit"
      withBorder
      radius="md"
      p="md"
      style={warn ? { borderLeft: '4px solid var(--mantine-color-red-7)' } : undefined}
    >
      <Text size="sm" fw={600} c="dimmed">
        {label}
      </Text>
      <Text fz={32} fw={700} lh={1.2} mt={4} c={warn ? 'red.8' : undefined}>
        {value}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {hint}
      </Text>
    </Paper>
  );
}

/** Findings by responsibility state; the labels are the product's names for the states. */
export function FindingCounts({ counts }: { counts: Counts }) {
  const { tenant = '' } = useParams();
  const list = (responsibility_state?: string) => paths.tenantFindings(tenant, { responsibility_state });
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
      <StatCard
        label="orphaned accountability"
        value={counts.orphaned_accountability}
        hint="No owner is accountable"
        attention
        to={list('orphaned_accountability')}
      />
      <StatCard
        label="owned, unassigned"
        value={counts.owned_unassigned}
        hint="Owner set, nobody assigned"
        to={list('owned_unassigned')}
      />
      <StatCard
        label="assigned"
        value={counts.assigned}
        hint="Owner and assignee set"
        to={list('assigned')}
      />
      <StatCard label="total" value={counts.total} hint="All findings on this tenant" to={list()} />
    </SimpleGrid>
  );
}
