import type { FindingScope } from '../../core/scopes.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { getFindingRow } from './item-queries.ts';
import {
  applyResponsibilityChange,
  classifyChange,
  type Responsibility,
  type ResponsibilityChange,
} from './rules.ts';
import { toFindingItem } from './views.ts';
import { assertActiveMembers, lockFinding, saveResponsibility } from './write-queries.ts';

const snapshot = (r: Responsibility) => ({
  owner_user_id: r.ownerUserId,
  assignee_user_id: r.assigneeUserId,
});

/**
 * docs/rules.md "Finding responsibility", responsibility update: lock the finding, classify against the locked state, check the
 * named people, write the change and its audit event in one transaction.
 */
export async function updateResponsibility(scope: FindingScope, change: ResponsibilityChange) {
  const now = new Date();
  return scope.db.transaction(async (tx) => {
    const stored = await lockFinding(tx, scope.tenant.id, scope.findingId);
    const next = applyResponsibilityChange(stored, change);
    const classification = classifyChange(stored, next);
    await assertActiveMembers(tx, scope.tenant.id, {
      owner_user_id: change.owner_user_id,
      assignee_user_id: change.assignee_user_id,
    });
    await saveResponsibility(tx, scope.findingId, next);
    await recordAuditEvent(tx, {
      ...actedIn(scope),
      action: 'finding.responsibility_changed',
      subjectType: 'finding',
      subjectId: scope.findingId,
      before: snapshot(stored),
      after: { ...snapshot(next), change_classification: classification },
    });
    const row = await getFindingRow(tx, scope.tenant.id, scope.findingId, now);
    return { change_classification: classification, responsibility: toFindingItem(row, now) };
  });
}
