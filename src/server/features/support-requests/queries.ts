import { and, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import { boundValue, builtOnce } from '../../db/built-once.ts';
import type { Db } from '../../db/client.ts';
import { newestFirst } from '../../db/order.ts';
import {
  AUDIT_RECORD_COLUMNS,
  type AuditEvent,
  auditRecordOf,
  auditSelectionFromRecord,
} from '../audit/record.ts';
import { auditEvents } from '../audit/tables.ts';
import { operationRuns, type RunOutcome, type RunStatus } from '../operation-runs/tables.ts';
import { tenants, users } from '../tenancy/tables.ts';
import type { AttemptEnd, NewAttempt } from './attempt-queries.ts';
import type { HandoffFields } from './rules.ts';
import type { HandoffOutcome, Severity } from './schemas.ts';
import { supportRequestAttempts, supportRequests } from './tables.ts';

/** A request's own columns: what a read selects from its table, and what its writes return. */
const storedColumns = {
  id: supportRequests.id,
  internalReference: supportRequests.internalReference,
  tenantId: supportRequests.tenantId,
  primaryContextType: supportRequests.primaryContextType,
  operationRunId: supportRequests.operationRunId,
  severity: supportRequests.severity,
  summary: supportRequests.summary,
  reproductionNotes: supportRequests.reproductionNotes,
  contactName: supportRequests.contactName,
  contactEmail: supportRequests.contactEmail,
  submittedAt: supportRequests.submittedAt,
  handoffMode: supportRequests.handoffMode,
  handoffOutcome: supportRequests.handoffOutcome,
  handoffDeadlineAt: supportRequests.handoffDeadlineAt,
  externalTicketReference: supportRequests.externalTicketReference,
  externalTicketUrl: supportRequests.externalTicketUrl,
  failureSummary: supportRequests.failureSummary,
};

const requestColumns = {
  ...storedColumns,
  submittedById: users.id,
  submittedByName: users.displayName,
  runType: operationRuns.type,
  runStatus: operationRuns.status,
  runOutcome: operationRuns.outcome,
};

export type SupportRequestRow = Awaited<ReturnType<typeof selectRequests>>[number];
export type NewSupportRequest = typeof supportRequests.$inferInsert;
export type StoredSupportRequest = Awaited<ReturnType<typeof insertSubmission>>['stored'];

/** What a read joins to a request's own columns: who submitted it, and the run it is about. */
export interface RequestJoins {
  submittedBy: { id: number; displayName: string };
  run: { type: string; status: RunStatus; outcome: RunOutcome | null } | null;
}

function selectRequests(db: Db) {
  return db
    .select(requestColumns)
    .from(supportRequests)
    .innerJoin(users, eq(users.id, supportRequests.submittedByUserId))
    .leftJoin(operationRuns, eq(operationRuns.id, supportRequests.operationRunId));
}

const NEXT_REQUEST = 'next_request';
/** The drawn id and reference, each as a scalar subquery any part of the insert can use. */
const drawnId = sql<number>`(select "id" from ${sql.identifier(NEXT_REQUEST)})`;
const drawnReference = sql<string>`(select "reference" from ${sql.identifier(NEXT_REQUEST)})`;

/**
 * A request's id and reference, drawn inside the statement that inserts the request: `SR-`, the UTC year it
 * was submitted (the `year` value), and the id zero-padded to six digits (more when it has more), e.g.
 * `SR-2026-000042`; the id makes it unique across the installation, the year helps people. PostgreSQL
 * evaluates a WITH query that calls a volatile function once, so the request, its attempt and its audit event
 * all read the same id, and no round trip goes before the insert to fetch it.
 */
function drawRequestId(db: Db) {
  return db
    .$with(NEXT_REQUEST, { id: sql<number>`id`.as('id'), reference: sql<string>`reference`.as('reference') })
    .as(
      sql`select id, 'SR-' || ${sql.placeholder('year')}::text || '-' || lpad(id::text, greatest(6, length(id::text)), '0') as reference
        from (select nextval(pg_get_serial_sequence('support_requests', 'id'))::integer as id) drawn`,
    );
}

export interface Submission {
  /** The request's columns, but for its id and reference, which the statement draws (drawRequestId). */
  request: Omit<NewSupportRequest, 'id' | 'internalReference'> & { submittedAt: Date };
  /** The submit's desk call, when it makes one, as the request's first attempt. */
  attempt: Omit<NewAttempt, 'supportRequestId'> | null;
  /** Its audit event: the subject is the drawn id, and `after` gains the drawn `id` and `internalReference`. */
  audit: Omit<AuditEvent, 'subjectId' | 'after'> & { after: Record<string, unknown> };
}

/** The columns a submission gives (the statement draws the id and reference), each run as a value of its own. */
const SUBMITTED_COLUMNS = [
  'workspaceId',
  'tenantId',
  'primaryContextType',
  'operationRunId',
  'severity',
  'summary',
  'reproductionNotes',
  'contactName',
  'contactEmail',
  'submittedByUserId',
  'submittedAt',
  'handoffMode',
  'handoffOutcome',
  'handoffDeadlineAt',
  'externalTicketReference',
  'externalTicketUrl',
] as const satisfies readonly (keyof NewSupportRequest)[];
const ATTEMPT_COLUMNS = [
  'tenantId',
  'kind',
  'actorUserId',
  'startedAt',
  'deadlineAt',
] as const satisfies readonly (keyof NewAttempt)[];

/**
 * Placeholders named `<prefix>_<column>`, for a statement built once (builtOnce) and run with values. Each is
 * wrapped as SQL, so its value goes to the driver as given (valuesOf), not through the column's encoder,
 * which Drizzle would otherwise call on a null date.
 */
function placeholdersOf<Column extends string>(prefix: string, columns: readonly Column[]) {
  return Object.fromEntries(
    columns.map((column) => [column, sql`${sql.placeholder(`${prefix}_${column}`)}`]),
  ) as Record<Column, SQL>;
}

/** The values for placeholdersOf's placeholders. */
function valuesOf<Column extends string>(
  prefix: string,
  columns: readonly Column[],
  row: Partial<Record<Column, unknown>>,
) {
  return Object.fromEntries(
    columns.map((column) => [`${prefix}_${column}`, boundValue(row[column] ?? null)]),
  );
}

/**
 * The request, its first desk attempt (when it hands off) and its audit event, in one statement: one round
 * trip, all or nothing as any statement is; the attempt's foreign key is checked at the statement's end,
 * when the request is there. Returns the request as stored, the attempt's id, and, for a handoff, the
 * tenant's desk customer (raw; deskCustomerOf trims it), read by the same statement. Built once per database
 * and shape (with or without an attempt), run with the submission's values.
 */
export async function insertSubmission(db: Db, { request, attempt, audit }: Submission) {
  // The event's record as the grouped outcome write takes it; the statement draws its subject id.
  const {
    audit_subject_id: _drawn,
    audit_before,
    audit_after,
    ...event
  } = auditRecordOf({ ...audit, subjectId: '' });
  const values = {
    year: String(request.submittedAt.getUTCFullYear()),
    ...valuesOf('request', SUBMITTED_COLUMNS, request),
    ...event,
    audit_before: audit_before === null ? null : JSON.stringify(audit_before),
    audit_after: JSON.stringify(audit_after),
  };
  if (!attempt) {
    const statement = builtOnce(db, 'tp_insert_submission', (name) => submissionStatement(db, name));
    const [stored] = await statement.execute(values);
    if (!stored) throw new Error('the support request insert returned no row');
    return { stored, attemptId: null, deskCustomerId: null };
  }
  const statement = builtOnce(db, 'tp_insert_submission_attempt', (name) =>
    handoffSubmissionStatement(db, name),
  );
  const [row] = await statement.execute({ ...values, ...valuesOf('attempt', ATTEMPT_COLUMNS, attempt) });
  if (!row) throw new Error('the support request insert returned no row');
  const { attemptId, deskCustomerId, ...stored } = row;
  return { stored, attemptId: Number(attemptId), deskCustomerId };
}

/** What both shapes of insertSubmission share: the drawn id, the audit event, and the request's values. */
function submissionParts(db: Db) {
  const value = (name: string) => sql`${sql.placeholder(name)}`;
  // The event as any other, but for what the statement draws: its subject and two fields of `after`.
  const auditRow = {
    actorUserId: value('audit_actor_user_id'),
    workspaceId: value('audit_workspace_id'),
    tenantId: value('audit_tenant_id'),
    action: value('audit_action'),
    subjectType: value('audit_subject_type'),
    subjectId: sql`${drawnId}::text`,
    before: sql`${value('audit_before')}::jsonb`,
    after: sql`${value('audit_after')}::jsonb || jsonb_build_object('id', ${drawnId}, 'internalReference', ${drawnReference})`,
    clientAddress: value('audit_client_address'),
  };
  const audited = db
    .$with('audited')
    .as(db.insert(auditEvents).values(auditRow).returning({ id: auditEvents.id }));
  const request = {
    ...placeholdersOf('request', SUBMITTED_COLUMNS),
    id: drawnId,
    internalReference: drawnReference,
  };
  return { next: drawRequestId(db), audited, request };
}

function submissionStatement(db: Db, name: string) {
  const { next, audited, request } = submissionParts(db);
  return db
    .with(next, audited)
    .insert(supportRequests)
    .values(request)
    .returning(storedColumns)
    .prepare(name);
}

function handoffSubmissionStatement(db: Db, name: string) {
  const { next, audited, request } = submissionParts(db);
  const attempted = db.$with('attempted').as(
    db
      .insert(supportRequestAttempts)
      .values({
        ...placeholdersOf('attempt', ATTEMPT_COLUMNS),
        supportRequestId: drawnId,
      })
      .returning({ id: supportRequestAttempts.id }),
  );
  const deskCustomer = db
    .select({ deskCustomerId: tenants.deskCustomerId })
    .from(tenants)
    .where(eq(tenants.id, sql.placeholder('request_tenantId')));
  return db
    .with(next, audited, attempted)
    .insert(supportRequests)
    .values(request)
    .returning({
      ...storedColumns,
      attemptId: sql<number>`(select ${sql.identifier('id')} from ${attempted})`,
      deskCustomerId: sql<string | null>`(${deskCustomer})`,
    })
    .prepare(name);
}

/** One desk answer to store: the request it answers, its fields, its attempt's end and their audit event. */
export interface OutcomeWrite {
  target: { tenantId: number; id: number; attemptId: number | null };
  fields: HandoffFields;
  attemptEnd: { end: AttemptEnd; at: Date };
  audit: AuditEvent;
}

const OUTCOMES = 'outcomes';
const outcome = (name: string) => sql`${sql.identifier(OUTCOMES)}.${sql.identifier(name)}`;

/**
 * Stores desk answers, each once, with its attempt's end and their audit event, all in one statement: each
 * request's three only when it still waited for the answer. The answers travel as one JSON recordset, so
 * the statement's text is the same for one answer or 250 (prepared once). Returns, in order, each request
 * as stored, or undefined for one that was no longer waiting.
 */
export async function storeHandoffOutcomes(db: Db, writes: readonly OutcomeWrite[]) {
  const records = writes.map(({ target, fields, attemptEnd, audit }) => ({
    request_id: target.id,
    request_tenant_id: target.tenantId,
    attempt_id: target.attemptId,
    handoff_outcome: fields.handoffOutcome,
    external_ticket_reference: fields.externalTicketReference,
    external_ticket_url: fields.externalTicketUrl,
    failure_summary: fields.failureSummary,
    attempt_outcome: attemptEnd.end.outcome,
    attempt_ticket_reference: attemptEnd.end.externalTicketReference,
    attempt_ticket_url: attemptEnd.end.externalTicketUrl,
    attempt_summary: attemptEnd.end.summary,
    attempt_finished_at: attemptEnd.at.toISOString(),
    ...auditRecordOf(audit),
  }));
  const statement = builtOnce(db, 'tp_store_handoff_outcomes', (name) => outcomesStatement(db, name));
  const rows = await statement.execute({ records: JSON.stringify(records) });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return writes.map(({ target }) => byId.get(target.id));
}

/** storeHandoffOutcomes' one statement, its answers a JSON recordset given as `records`. */
function outcomesStatement(db: Db, name: string) {
  const answers = db.$with(OUTCOMES, { requestId: sql<number>`request_id`.as('request_id') }).as(
    sql`select * from jsonb_to_recordset(${sql.placeholder('records')}::jsonb) as answers(
      request_id integer, request_tenant_id integer, attempt_id integer, handoff_outcome text,
      external_ticket_reference text, external_ticket_url text, failure_summary text, attempt_outcome text,
      attempt_ticket_reference text, attempt_ticket_url text, attempt_summary text,
      attempt_finished_at timestamptz, ${AUDIT_RECORD_COLUMNS})`,
  );
  const stored = db.$with('stored').as(
    db
      .update(supportRequests)
      .set({
        handoffOutcome: sql`${outcome('handoff_outcome')}`,
        externalTicketReference: sql`${outcome('external_ticket_reference')}`,
        externalTicketUrl: sql`${outcome('external_ticket_url')}`,
        failureSummary: sql`${outcome('failure_summary')}`,
      })
      .from(sql`${sql.identifier(OUTCOMES)}`)
      .where(
        and(
          sql`${supportRequests.id} = ${outcome('request_id')}`,
          sql`${supportRequests.tenantId} = ${outcome('request_tenant_id')}`,
          isNull(supportRequests.handoffOutcome),
        ),
      )
      .returning(storedColumns),
  );
  const audited = db.$with('audited').as(
    db
      .insert(auditEvents)
      .select(
        db
          .select(auditSelectionFromRecord(OUTCOMES))
          .from(stored)
          .innerJoin(sql`${sql.identifier(OUTCOMES)}`, sql`${outcome('request_id')} = ${stored.id}`),
      )
      .returning({ id: auditEvents.id }),
  );
  const finished = db.$with('finished').as(
    db
      .update(supportRequestAttempts)
      .set({
        outcome: sql`${outcome('attempt_outcome')}`,
        externalTicketReference: sql`${outcome('attempt_ticket_reference')}`,
        externalTicketUrl: sql`${outcome('attempt_ticket_url')}`,
        summary: sql`${outcome('attempt_summary')}`,
        finishedAt: sql`${outcome('attempt_finished_at')}`,
      })
      .from(sql`${sql.identifier(OUTCOMES)}`)
      .where(
        and(
          sql`${supportRequestAttempts.id} = ${outcome('attempt_id')}`,
          isNull(supportRequestAttempts.finishedAt),
          sql`exists (select 1 from ${stored} where ${stored.id} = ${outcome('request_id')})`,
        ),
      )
      .returning({ id: supportRequestAttempts.id }),
  );
  return db.with(answers, stored, audited, finished).select().from(stored).prepare(name);
}

/** The row a read by id gives, from what a write returned and the joins its writer already holds. */
export function joinRequestRow(stored: StoredSupportRequest, joins: RequestJoins): SupportRequestRow {
  return {
    ...stored,
    submittedById: joins.submittedBy.id,
    submittedByName: joins.submittedBy.displayName,
    runType: joins.run?.type ?? null,
    runStatus: joins.run?.status ?? null,
    runOutcome: joins.run?.outcome ?? null,
  };
}

export async function findSupportRequestRow(db: Db, tenantId: number, id: number) {
  const [row] = await selectRequests(db)
    .where(and(eq(supportRequests.id, id), eq(supportRequests.tenantId, tenantId)))
    .limit(1);
  return row;
}

/** docs/rules.md "Support requests": the list's filters. `run` names one run of the tenant. */
export interface SupportRequestFilter {
  outcome?: HandoffOutcome;
  context?: 'tenant' | 'operation_run';
  run?: number;
  severity?: Severity;
}

/**
 * An outcome as it reads back: a request still without one past its deadline was interrupted, and is
 * filtered as failed (rules.ts readBackHandoff).
 */
function outcomeIs(outcome: HandoffOutcome, now: Date): SQL | undefined {
  const stored = eq(supportRequests.handoffOutcome, outcome);
  if (outcome !== 'external_handoff_failed') return stored;
  return or(
    stored,
    and(isNull(supportRequests.handoffOutcome), sql`${supportRequests.handoffDeadlineAt} <= ${now}`),
  );
}

/** Newest first, keyset on id (support_requests_tenant_idx, or a context's or run's own index). */
export function listSupportRequestRows(
  db: Db,
  tenantId: number,
  filter: SupportRequestFilter,
  beforeId: number | null,
  limit: number,
  now: Date,
) {
  const conditions: (SQL | undefined)[] = [eq(supportRequests.tenantId, tenantId)];
  if (filter.run !== undefined) conditions.push(eq(supportRequests.operationRunId, filter.run));
  if (filter.context !== undefined) conditions.push(eq(supportRequests.primaryContextType, filter.context));
  if (filter.severity !== undefined) conditions.push(eq(supportRequests.severity, filter.severity));
  if (filter.outcome !== undefined) conditions.push(outcomeIs(filter.outcome, now));
  if (beforeId !== null) conditions.push(sql`${supportRequests.id} < ${beforeId}`);
  return selectRequests(db)
    .where(and(...conditions))
    .orderBy(newestFirst(supportRequests.id))
    .limit(limit);
}

export type PrimaryContext = { type: 'tenant' } | { type: 'operation_run'; runId: number };

/**
 * The newest request of one primary context: tenant-context requests only for a tenant
 * (support_requests_tenant_context_idx), that run's only for a run (support_requests_run_idx).
 */
export async function findLatestRow(db: Db, tenantId: number, context: PrimaryContext) {
  const where =
    context.type === 'tenant'
      ? and(eq(supportRequests.tenantId, tenantId), eq(supportRequests.primaryContextType, 'tenant'))
      : and(eq(supportRequests.operationRunId, context.runId), eq(supportRequests.tenantId, tenantId));
  const [row] = await selectRequests(db).where(where).orderBy(newestFirst(supportRequests.id)).limit(1);
  return row;
}

/** The run a run-context request is about, read only: the action never changes it. */
export async function findTenantRun(db: Db, tenantId: number, runId: number) {
  const [row] = await db
    .select({
      id: operationRuns.id,
      type: operationRuns.type,
      status: operationRuns.status,
      outcome: operationRuns.outcome,
      summary: operationRuns.summary,
    })
    .from(operationRuns)
    .where(and(eq(operationRuns.id, runId), eq(operationRuns.tenantId, tenantId)))
    .limit(1);
  return row;
}

/** Whether the request belongs to the tenant: the access pipeline's record lookup (`record: 'support_request'`). */
export async function supportRequestIsOfTenant(db: Db, tenantId: number, id: number): Promise<boolean> {
  const [row] = await db
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(and(eq(supportRequests.id, id), eq(supportRequests.tenantId, tenantId)))
    .limit(1);
  return row !== undefined;
}
