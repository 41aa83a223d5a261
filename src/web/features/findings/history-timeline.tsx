import { Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { DateTime } from '../../ui/date-time.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { humanize } from '../../ui/format.ts';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { importCause } from '../imports/import-cause.ts';
import { type HistoryEvent, type UserRef, useFindingHistory } from './api.ts';

/** Names for the user ids an event mentions: the people the page already knows about. */
export type NameBook = Map<number, string>;

function nameOf(book: NameBook, value: unknown): string {
  if (value === null || value === undefined) return 'nobody';
  if (typeof value === 'object' && value !== null && 'display_name' in value) {
    return String((value as UserRef).display_name);
  }
  // The history names everyone its events mention (former members too); this is for a deleted account.
  return book.get(Number(value)) ?? 'a deleted user';
}

const statusWords: Record<string, string> = {
  new: 'new',
  triaged: 'triaged',
  in_progress: 'in progress',
  reopened: 'reopened',
  resolved: 'resolved',
  closed: 'closed',
  risk_accepted: 'risk accepted',
};

function field(state: unknown, name: string): unknown {
  return typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[name] : undefined;
}

function describeStatus(event: HistoryEvent): string {
  const from = String(field(event.before, 'workflow_status') ?? '');
  const to = String(field(event.after, 'workflow_status') ?? '');
  return `moved it from ${statusWords[from] ?? from} to ${statusWords[to] ?? to}`;
}

/** An event's person field, stored either as `<role>_user_id` or as a `<role>` reference. */
function personField(state: unknown, role: string): unknown {
  // The contract leaves an event's before/after open (each action writes its own shape).
  if (typeof state !== 'object' || state === null) return undefined;
  const fields = state as Record<string, unknown>;
  return role in fields ? fields[role] : fields[`${role}_user_id`];
}

function describeChange(event: HistoryEvent, book: NameBook): string {
  const parts: string[] = [];
  for (const role of ['owner', 'assignee']) {
    const before = personField(event.before, role);
    const after = personField(event.after, role);
    if (nameOf(book, before) !== nameOf(book, after)) {
      parts.push(`${role} from ${nameOf(book, before)} to ${nameOf(book, after)}`);
    }
  }
  return parts.length > 0 ? `changed ${parts.join(' and ')}` : '';
}

function describe(event: HistoryEvent, book: NameBook): string {
  switch (event.action) {
    case 'finding.responsibility_changed':
      return describeChange(event, book) || 'changed responsibility';
    case 'finding.status_changed':
      return describeStatus(event);
    case 'finding.changed':
      return [describeChange(event, book), describeStatus(event)].filter(Boolean).join(', and ');
    case 'finding_exception.requested': {
      const owner = personField(event.after, 'owner');
      return owner === undefined
        ? 'requested an exception'
        : `requested an exception owned by ${nameOf(book, owner)}`;
    }
    case 'finding_exception.approved':
      return 'approved the exception';
    case 'finding_exception.rejected':
      return 'rejected the exception';
    case 'finding_exception.revoked':
      return 'revoked the exception';
    default:
      return humanize(event.action.replace(/\./g, ' '));
  }
}

interface HistoryTimelineProps {
  tenant: string;
  findingId: string;
  book: NameBook;
}

/** The finding's audit trail, newest first, each event as "<actor> <what happened>". */
export function HistoryTimeline({ tenant, findingId, book }: HistoryTimelineProps) {
  const history = useFindingHistory(tenant, findingId);
  const events = history.data?.pages.flatMap((page) => page.items) ?? [];
  const names: NameBook = new Map(book);
  for (const page of history.data?.pages ?? []) {
    for (const person of page.people) names.set(person.id, person.display_name);
  }
  return (
    <Stack gap="sm" component="section" aria-labelledby="history-heading">
      <Title order={2} fz="h4" id="history-heading">
        History
      </Title>
      <Paper withBorder radius="md" p="lg">
        {history.isPending ? (
          <Loading label="Loading history" />
        ) : history.isError && events.length === 0 ? (
          <ErrorState error={history.error} onRetry={() => history.refetch()} pageLevel={false} />
        ) : events.length === 0 ? (
          <EmptyState
            title="No changes yet"
            description="Status, owner and assignee changes and exception decisions will be listed here."
          />
        ) : (
          <Timeline bulletSize={14} lineWidth={2} active={events.length}>
            {events.map((event) => (
              <Timeline.Item key={event.id}>
                <Text size="sm">
                  <Text span fw={600}>
                    {event.actor?.display_name ?? 'System'}
                  </Text>{' '}
                  {describe(event, names)}
                  {importCause(event.after)}
                  {field(event.after, 'bulk') === true ? ' (bulk change)' : ''}
                </Text>
                {typeof field(event.after, 'note') === 'string' ? (
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    “{String(field(event.after, 'note'))}”
                  </Text>
                ) : null}
                <Text size="xs" c="dimmed" mt={2}>
                  <DateTime value={event.at} />
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        <LoadMore
          count={events.length}
          hasMore={history.hasNextPage}
          loading={history.isFetchingNextPage}
          onLoadMore={() => history.fetchNextPage()}
          noun="event"
        />
      </Paper>
    </Stack>
  );
}
