import { AppError } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import { listExceptionRowsByIds } from '../findings/item-queries.ts';
import { toExceptionView } from '../findings/views.ts';
import { listQueueRows } from './queue-queries.ts';
import { approvalRefusal } from './rules.ts';
import type { ApprovalQueueQuery } from './schemas.ts';
import { decidingTenants } from './service.ts';

const invalidCursor = () =>
  new AppError('invalid', 'The request has invalid fields', { cursor: 'is not a valid cursor' });

/**
 * docs/rules.md "Workspace views", the approval queue: exceptions of the tenants where the actor's role decides
 * them (`finding_exceptions.decide`), the review due first; each says whether the actor may approve it (four
 * eyes: not the one they requested).
 */
export async function listApprovalQueue(scope: WorkspaceScope, query: ApprovalQueueQuery) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const key = decodeCursor(query.cursor, { due: 'string', id: 'number' });
  if (key && Number.isNaN(Date.parse(key.due))) throw invalidCursor();
  const tenants = (await decidingTenants(scope)).filter(
    (tenant) => query.tenant === undefined || tenant.externalId === query.tenant,
  );
  if (tenants.length === 0) return { items: [], next_cursor: null };
  const now = new Date();
  const rows = await listQueueRows(scope.db, {
    tenantIds: tenants.map((tenant) => tenant.id),
    // Overdue reviews are of pending and approved exceptions alike; otherwise the queue is the pending ones.
    status: query.status ?? (query.review === 'overdue' ? null : 'pending'),
    overdueOnly: query.review === 'overdue',
    after: key,
    limit: limit + 1,
    now,
  });
  const page = toPage(rows, limit, (last) => encodeCursor({ due: last.due_key, id: last.id }));
  const exceptions = new Map(
    (
      await listExceptionRowsByIds(
        scope.db,
        page.items.map((row) => row.id),
      )
    ).map((row) => [row.id, toExceptionView(row, now)]),
  );
  const items = page.items.flatMap((row) => {
    const exception = exceptions.get(row.id);
    if (!exception) return [];
    const refusal = approvalRefusal(
      { status: exception.status, requestedById: exception.requested_by.id },
      scope.actor.userId,
    );
    return [
      {
        exception,
        finding: { finding_id: row.finding_id, title: row.title, severity: row.severity },
        tenant: { external_id: row.tenant_external_id, name: row.tenant_name },
        can_approve: refusal === null,
        cannot_approve_reason: exception.status === 'pending' ? refusal : null,
      },
    ];
  });
  return { items, next_cursor: page.next_cursor };
}
