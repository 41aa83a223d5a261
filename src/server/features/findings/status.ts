import type { FindingScope } from '../../core/scopes.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { getFindingRow } from './item-queries.ts';
import { transition } from './rules.ts';
import type { StatusChange } from './schemas.ts';
import { toFindingItem } from './views.ts';
import { effectiveStatusOf, lockFinding, saveWorkflowStatus } from './write-queries.ts';

/**
 * docs/rules.md "Finding lifecycle", workflow status: lock the finding, judge the move from its effective status
 * (same → 422, unreachable or risk accepted → 409), store it and its audit event in one transaction.
 */
export async function changeWorkflowStatus(scope: FindingScope, change: StatusChange) {
  const now = new Date();
  return scope.db.transaction(async (tx) => {
    const locked = await lockFinding(tx, scope.tenant.id, scope.findingId);
    const from = effectiveStatusOf(locked, now);
    const to = transition(from, change.workflow_status);
    await saveWorkflowStatus(tx, scope.findingId, to);
    await recordAuditEvent(tx, {
      ...actedIn(scope),
      action: 'finding.status_changed',
      subjectType: 'finding',
      subjectId: scope.findingId,
      before: { workflow_status: from },
      after: { workflow_status: to, note: change.note ?? null },
    });
    const row = await getFindingRow(tx, scope.tenant.id, scope.findingId, now);
    return { previous_status: from, finding: toFindingItem(row, now) };
  });
}
