import type { Db } from '../../db/client.ts';
import { type AuditEvent, recordAuditEvents } from '../audit/record.ts';
import { effectiveWorkflowStatus } from '../findings/rules.ts';
import type { Assessment, Check } from './fields.ts';
import {
  findImportedRunId,
  findKnownFindings,
  type ImportAudit,
  type ImportTenant,
  insertFindingsAudited,
  insertImportedRun,
  lockTenantImports,
  type SeenFinding,
  updateSeenFindings,
} from './queries.ts';
import {
  type ImportCounts,
  type ImportOutcome,
  importOutcome,
  noCounts,
  runSummary,
  statusAfter,
} from './rules.ts';

/** Who imports: a signed-in person, or the command line (no actor, no address). */
export interface ImportActor {
  userId: number | null;
  clientAddress: string | null;
}

export interface AppliedImport {
  runId: number;
  alreadyImported: boolean;
  counts: ImportCounts;
}

/** The counts of an assessment already imported: nothing changed, every judged check unchanged. */
function untouched(checks: Check[]): ImportCounts {
  const counts = noCounts();
  for (const check of checks) counts[check.status === 'other' ? 'ignored' : 'unchanged'] += 1;
  return counts;
}

interface Plan {
  counts: ImportCounts;
  created: Check[];
  seen: (SeenFinding & { outcome: ImportOutcome; before: string })[];
}

/** Judges every check against the finding it has (by effective status), without writing anything. */
function planImport(
  checks: Check[],
  known: Map<string, Awaited<ReturnType<typeof findKnownFindings>>[number]>,
) {
  const now = new Date();
  const plan: Plan = { counts: noCounts(), created: [], seen: [] };
  for (const check of checks) {
    const finding = known.get(check.checkId);
    const current = finding
      ? effectiveWorkflowStatus(finding.workflowStatus, finding.riskAcceptedUntilMs, now)
      : null;
    const outcome = importOutcome(check.status, current);
    plan.counts[outcome] += 1;
    if (outcome === 'created') plan.created.push(check);
    else if (finding && current && outcome !== 'ignored') {
      plan.seen.push({ id: finding.id, status: statusAfter(outcome), check, outcome, before: current });
    }
  }
  return plan;
}

function auditOf(actor: ImportActor, tenant: ImportTenant) {
  return {
    actorUserId: actor.userId,
    workspaceId: tenant.workspaceId,
    tenantId: tenant.id,
    clientAddress: actor.clientAddress,
  };
}

/** The status changes' events (a new finding's is written with it: insertFindingsAudited). */
function statusEvents(actor: ImportActor, tenant: ImportTenant, cause: ImportAudit['cause'], plan: Plan) {
  const base = auditOf(actor, tenant);
  const events: AuditEvent[] = [];
  for (const seen of plan.seen) {
    if (seen.status === null) continue;
    events.push({
      ...base,
      action: 'finding.status_changed',
      subjectType: 'finding',
      subjectId: seen.id,
      before: { workflow_status: seen.before },
      after: { workflow_status: seen.status, check_id: seen.check.checkId, cause },
    });
  }
  return events;
}

/**
 * docs/rules.md "Imports": one tenant's assessment in one transaction. The same assessment again answers its
 * run and writes nothing; otherwise a completed run, new findings for new failures, reopened and resolved ones,
 * the tool's latest text on every finding it reported on, and an audit event for every change, the run its cause.
 */
export async function applyAssessment(
  db: Db,
  actor: ImportActor,
  tenant: ImportTenant,
  assessment: Assessment,
): Promise<AppliedImport> {
  const { tool, checks } = assessment;
  const importKey = `${tool}:${assessment.assessmentKey}`;
  return db.transaction(async (tx) => {
    await lockTenantImports(tx, tenant.id);
    const existing = await findImportedRunId(tx, tenant.id, importKey);
    if (existing !== undefined) return { runId: existing, alreadyImported: true, counts: untouched(checks) };
    const known = await findKnownFindings(
      tx,
      tenant.id,
      tool,
      checks.map((check) => check.checkId),
    );
    const plan = planImport(checks, new Map(known.map((finding) => [finding.checkId, finding])));
    const failed = checks.filter((check) => check.status === 'failed').length;
    const runId = await insertImportedRun(tx, {
      workspaceId: tenant.workspaceId,
      tenantId: tenant.id,
      type: assessment.runType,
      outcome: assessment.toolReportedErrors ? 'partially_succeeded' : 'succeeded',
      summary: runSummary(tool, plan.counts, failed, checks.length - failed - plan.counts.ignored),
      startedAt: assessment.startedAt,
      completedAt: assessment.completedAt,
      importKey,
    });
    const target = {
      tenantId: tenant.id,
      workspaceId: tenant.workspaceId,
      source: tool,
      seenAt: assessment.completedAt,
    };
    const cause = { type: 'import' as const, run_id: runId, source: tool };
    await insertFindingsAudited(tx, target, plan.created, { ...actor, actorUserId: actor.userId, cause });
    await updateSeenFindings(tx, tenant.id, assessment.completedAt, plan.seen);
    await recordAuditEvents(tx, [
      {
        ...auditOf(actor, tenant),
        action: 'operation_run.imported',
        subjectType: 'operation_run',
        subjectId: runId,
        before: null,
        after: { type: assessment.runType, import_key: importKey, counts: plan.counts },
      },
      ...statusEvents(actor, tenant, cause, plan),
    ]);
    return { runId, alreadyImported: false, counts: plan.counts };
  });
}
