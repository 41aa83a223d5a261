import { DotBadge, PendingBadge } from '../../ui/status-badge.tsx';
import type { Person } from './api.ts';
import { personStatus, personStatusLabels } from './labels.ts';

export function PersonStatusBadge({ person, compact }: { person: Person; compact?: boolean }) {
  const status = personStatus(person);
  if (status === 'invited') return <PendingBadge label={personStatusLabels.invited} />;
  return (
    <DotBadge
      color={status === 'active' ? 'green' : 'gray'}
      label={personStatusLabels[status]}
      compact={compact}
    />
  );
}
