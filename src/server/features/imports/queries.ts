import { and, eq, inArray, sql } from 'drizzle-orm';
import { instantSql } from '../../db/built-once.ts';
import type { Db } from '../../db/client.ts';
import { findings, type WorkflowStatus } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { tenants } from '../tenancy/tables.ts';
import type { Check } from './fields.ts';

/** Rows per multi-row statement: a few thousand parameters, well under PostgreSQL's 65,535. */
const CHUNK = 1000;
// Any constant of the project's own: with the tenant id it names one tenant's import lock.
const IMPORT_LOCK = 727_014;

export interface ImportTenant {
  id: number;
  externalId: string;
  name: string;
  workspaceId: number;
  directoryId: string | null;
  archived: boolean;
}

const tenantColumns = {
  id: tenants.id,
  externalId: tenants.externalId,
  name: tenants.name,
  workspaceId: tenants.workspaceId,
  directoryId: tenants.directoryId,
  archivedAt: tenants.archivedAt,
};

const toImportTenant = ({
  archivedAt,
  ...row
}: { archivedAt: Date | null } & Omit<ImportTenant, 'archived'>) => ({
  ...row,
  archived: archivedAt !== null,
});

/** The tenants with these directory ids: of one workspace, or (the command line) of the installation. */
export async function findTenantsByDirectoryId(
  db: Db,
  directoryIds: string[],
  workspaceId: number | null,
): Promise<ImportTenant[]> {
  if (directoryIds.length === 0) return [];
  const rows = await db
    .select(tenantColumns)
    .from(tenants)
    .where(
      and(
        inArray(tenants.directoryId, directoryIds),
        workspaceId === null ? undefined : eq(tenants.workspaceId, workspaceId),
      ),
    );
  return rows.map(toImportTenant);
}

export async function findTenantByExternalId(db: Db, externalId: string): Promise<ImportTenant | undefined> {
  const [row] = await db.select(tenantColumns).from(tenants).where(eq(tenants.externalId, externalId));
  return row ? toImportTenant(row) : undefined;
}

/** One import per tenant at a time: two assessments racing for the same new check would both insert it. */
export async function lockTenantImports(db: Db, tenantId: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK}, ${tenantId})`);
}

export async function findImportedRunId(
  db: Db,
  tenantId: number,
  importKey: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ id: operationRuns.id })
    .from(operationRuns)
    .where(and(eq(operationRuns.tenantId, tenantId), eq(operationRuns.importKey, importKey)));
  return row?.id;
}

export interface NewRun {
  workspaceId: number;
  tenantId: number;
  type: string;
  outcome: 'succeeded' | 'partially_succeeded';
  summary: string;
  startedAt: Date;
  completedAt: Date;
  importKey: string;
}

export async function insertImportedRun(db: Db, run: NewRun): Promise<number> {
  const [row] = await db
    .insert(operationRuns)
    .values({ ...run, status: 'completed' })
    .returning({ id: operationRuns.id });
  if (!row) throw new Error('the imported run was not inserted');
  return row.id;
}

export interface KnownFinding {
  id: number;
  checkId: string;
  workflowStatus: WorkflowStatus;
  /** Epoch ms of risk_accepted_until (Infinity without expiry), null without a live approval. */
  riskAcceptedUntilMs: number | null;
}

/** The tenant's findings of this tool for these checks, one statement a chunk. */
export async function findKnownFindings(
  db: Db,
  tenantId: number,
  source: string,
  checkIds: string[],
): Promise<KnownFinding[]> {
  const found: KnownFinding[] = [];
  for (let start = 0; start < checkIds.length; start += CHUNK) {
    const rows = await db
      .select({
        id: findings.id,
        checkId: findings.checkId,
        workflowStatus: findings.workflowStatus,
        riskAcceptedUntilMs: sql<
          number | null
        >`(extract(epoch from ${findings.riskAcceptedUntil}) * 1000)::float8`,
      })
      .from(findings)
      .where(
        and(
          eq(findings.tenantId, tenantId),
          eq(findings.source, source),
          inArray(findings.checkId, checkIds.slice(start, start + CHUNK)),
        ),
      );
    for (const row of rows) {
      const ms = row.riskAcceptedUntilMs === null ? null : Number(row.riskAcceptedUntilMs);
      found.push({ ...row, checkId: row.checkId ?? '', riskAcceptedUntilMs: ms });
    }
  }
  return found;
}

export interface FindingTarget {
  tenantId: number;
  workspaceId: number;
  source: string;
  seenAt: Date;
}

/** The audit part of an import's writes: who, from where, and the run as the cause (docs/rules.md "Imports"). */
export interface ImportAudit {
  actorUserId: number | null;
  clientAddress: string | null;
  cause: { type: 'import'; run_id: number; source: string };
}

/**
 * New findings for failed checks and their `finding.imported` audit events, in one statement: the rows travel
 * as one JSON parameter (jsonb_to_recordset), the findings are inserted, and the events are inserted from what
 * the insert returned. The events have the shape recordAuditEvent writes; an import creates thousands at once,
 * and one statement for both is what keeps it as fast per finding as `fixtures load` (bench/imports.bench.ts).
 */
export async function insertFindingsAudited(
  db: Db,
  target: FindingTarget,
  checks: Check[],
  audit: ImportAudit,
) {
  if (checks.length === 0) return;
  const rows = JSON.stringify(
    checks.map((check) => ({
      title: check.title,
      severity: check.severity,
      check_id: check.checkId,
      description: check.description,
      evidence: check.evidence,
      help_url: check.helpUrl,
    })),
  );
  const seenAt = target.seenAt.toISOString();
  await db.execute(sql`with inserted as (
      insert into findings (tenant_id, workspace_id, title, severity, workflow_status, detected_at, source, check_id,
        description, evidence, help_url, last_seen_at)
      select ${target.tenantId}, ${target.workspaceId}, r.title, r.severity, 'new', ${seenAt}::timestamptz, ${target.source},
        r.check_id, r.description, r.evidence, r.help_url, ${seenAt}::timestamptz
      from jsonb_to_recordset(${rows}::jsonb)
        as r(title text, severity text, check_id text, description text, evidence text, help_url text)
      returning id, title, severity, check_id
    )
    insert into audit_events (actor_user_id, workspace_id, tenant_id, action, subject_type, subject_id, before, after,
      client_address)
    select ${audit.actorUserId}::integer, ${target.workspaceId}, ${target.tenantId}, 'finding.imported', 'finding', i.id::text,
      null, jsonb_build_object('workflow_status', 'new', 'title', i.title, 'severity', i.severity,
        'check_id', i.check_id, 'cause', ${JSON.stringify(audit.cause)}::jsonb),
      ${audit.clientAddress}::text
    from inserted i order by i.id`);
}

export interface SeenFinding {
  id: number;
  /** The status to store, or null to keep the stored one. */
  status: WorkflowStatus | null;
  check: Check;
}

/**
 * Findings the assessment reported on: the tool's latest text and the time it was seen, and for reopened and
 * resolved ones the new status. One UPDATE … FROM jsonb_to_recordset(…): the rows are one JSON parameter. Owner, assignee, title, severity and
 * exceptions are not touched.
 */
export async function updateSeenFindings(db: Db, tenantId: number, seenAt: Date, seen: SeenFinding[]) {
  if (seen.length === 0) return;
  const rows = JSON.stringify(
    seen.map(({ id, status, check }) => ({
      id,
      status,
      description: check.description,
      evidence: check.evidence,
      help_url: check.helpUrl,
    })),
  );
  await db.execute(sql`update findings as f set
      workflow_status = coalesce(v.status, f.workflow_status),
      updated_at = case when v.status is null then f.updated_at else now() end,
      description = v.description, evidence = v.evidence, help_url = v.help_url,
      last_seen_at = ${instantSql(seenAt)}
    from jsonb_to_recordset(${rows}::jsonb) as v(id integer, status text, description text, evidence text, help_url text)
    where f.id = v.id and f.tenant_id = ${tenantId}`);
}
