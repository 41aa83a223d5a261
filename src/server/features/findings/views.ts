import { readFloat8 } from '../../db/float8.ts';
import type { ExceptionRow, FindingRow } from './item-queries.ts';
import {
  accountabilityGap,
  effectiveExceptionStatus,
  effectiveWorkflowStatus,
  responsibilityState,
  reviewOverdue,
} from './rules.ts';
import type { ExceptionView, FindingItem } from './schemas.ts';

const userRef = (id: number | null, name: string | null) =>
  id === null || name === null ? null : { id, display_name: name };

function timing(row: ExceptionRow) {
  return {
    status: row.status,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    reviewDueAt: new Date(row.review_due_at),
  };
}

export function toExceptionView(row: ExceptionRow, now: Date): ExceptionView {
  const times = timing(row);
  return {
    id: row.id,
    status: effectiveExceptionStatus(times, now),
    owner: { id: row.owner_id, display_name: row.owner_name },
    requested_by: { id: row.requested_by_id, display_name: row.requested_by_name },
    request_reason: row.request_reason,
    review_due_at: row.review_due_at,
    expires_at: row.expires_at,
    requested_at: row.requested_at,
    decided_by: userRef(row.decided_by_id, row.decided_by_name),
    decided_at: row.decided_at,
    decision_note: row.decision_note,
    review_overdue: reviewOverdue(times, now),
  };
}

/** The contract's FindingResponsibilitySummary plus title, severity, detected_at and the current exception. */
export function toFindingItem(row: FindingRow, now: Date): FindingItem {
  const responsibility = { ownerUserId: row.owner_id, assigneeUserId: row.assignee_id };
  const exception = row.x ? toExceptionView(row.x, now) : null;
  return {
    finding_id: row.id,
    workflow_status: effectiveWorkflowStatus(
      row.workflow_status,
      readFloat8(row.risk_accepted_until_ms),
      now,
    ),
    owner: userRef(row.owner_id, row.owner_name),
    assignee: userRef(row.assignee_id, row.assignee_name),
    responsibility_state: responsibilityState(responsibility),
    accountability_gap: accountabilityGap(row.owner_id, row.owner_active_member),
    exception_owner: exception?.owner ?? null,
    title: row.title,
    severity: row.severity,
    detected_at: row.detected_at,
    source: row.source,
    check_id: row.check_id,
    description: row.description,
    evidence: row.evidence,
    help_url: row.help_url,
    last_seen_at: row.last_seen_at,
    exception,
  };
}

export const tenantRef = (row: FindingRow) => ({
  external_id: row.tenant_external_id,
  name: row.tenant_name,
});
