import { invalidFields, notFound } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { Actor, TenantRef, WorkspaceRef } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { WriteGroup } from '../../db/write-group.ts';
import type { TicketRequest, TicketResult } from '../../desks/desk.ts';
import { actedIn } from '../audit/record.ts';
import type { AttemptEnd } from './attempt-queries.ts';
import { type AttemptResult, asHandoffRequest, attemptHandoff, type HandoffDeps } from './handoff-call.ts';
import {
  findLatestRow,
  findSupportRequestRow,
  findTenantRun,
  insertSubmission,
  joinRequestRow,
  listSupportRequestRows,
  type OutcomeWrite,
  type PrimaryContext,
  type RequestJoins,
  type StoredSupportRequest,
  type SupportRequestRow,
  storeHandoffOutcomes,
} from './queries.ts';
import {
  deskCustomerOf,
  type HandoffFields,
  handoffDeadline,
  handoffFieldsOf,
  initialOutcome,
} from './rules.ts';
import type { SupportRequestHandoffSubmission, SupportRequestListQuery } from './schemas.ts';
import { toLatestSummary, toSupportRequestView } from './views.ts';

/** Who acts, on which tenant, and (for the run context) which run of it. Resolved by access first. */
export interface SupportContext {
  db: Db;
  actor: Actor;
  clientAddress: string;
  workspace: WorkspaceRef;
  tenant: TenantRef;
  runId: number | null;
}

export type { HandoffDeps } from './handoff-call.ts';

const primaryContextOf = (ctx: SupportContext): PrimaryContext =>
  ctx.runId === null ? { type: 'tenant' } : { type: 'operation_run', runId: ctx.runId };

const SUPPORT_REQUEST_SUBJECT = 'support_request';

export const auditSubject = (ctx: SupportContext, id: number) => ({
  ...actedIn(ctx),
  subjectType: SUPPORT_REQUEST_SUBJECT,
  subjectId: id,
});

/**
 * docs/rules.md "Support requests": the internal request is committed first, in its own transaction with its audit
 * event; only then, for create_external_ticket, the one desk call; then its outcome in a second one.
 * The answer, latest_summary included, is this submit's own request as its writes returned it (section 10):
 * never the newest of the context, which another submit may have made meanwhile, and no read back.
 */
export function submitSupportRequest(
  ctx: SupportContext,
  deps: HandoffDeps,
  input: SupportRequestHandoffSubmission,
) {
  return input.handoff_mode === 'create_external_ticket'
    ? asHandoffRequest(() => submit(ctx, deps, input))
    : submit(ctx, deps, input);
}

async function submit(ctx: SupportContext, deps: HandoffDeps, input: SupportRequestHandoffSubmission) {
  const run = ctx.runId === null ? null : ((await findTenantRun(ctx.db, ctx.tenant.id, ctx.runId)) ?? null);
  if (ctx.runId !== null && !run) throw notFound();
  const joins: RequestJoins = {
    submittedBy: { id: ctx.actor.userId, displayName: ctx.actor.displayName },
    run,
  };
  const submittedAt = new Date();
  const {
    stored: submitted,
    attemptId,
    deskCustomerId,
  } = await commitSubmission(ctx, input, submittedAt, deps.budgetMs);
  let row: SupportRequestRow | undefined = joinRequestRow(submitted, joins);

  if (input.handoff_mode === 'create_external_ticket') {
    const ticket: TicketRequest = {
      internalReference: submitted.internalReference,
      severity: input.severity,
      summary: input.summary,
      reproductionNotes: input.reproduction_notes ?? null,
      contact: { name: input.contact_name ?? null, email: input.contact_email ?? null },
      context: {
        type: run ? 'operation_run' : 'tenant',
        workspace: { id: ctx.workspace.id, name: ctx.workspace.name },
        tenant: ctx.tenant,
        operationRun: run,
      },
      submittedBy: { id: ctx.actor.userId, displayName: ctx.actor.displayName },
      submittedAt,
      link: deps.linkTo(ctx.tenant.externalId, submitted.id),
      // docs/rules.md "Support requests": the tenant's desk customer, never a default one.
      deskCustomerId,
    };
    const result = await attemptHandoff(deps, ticket, { search: false });
    const fields = handoffFieldsOf(toTicketResult(result), deps.secrets);
    const handedOff = await commitHandoffOutcome(ctx, submitted.id, attemptId, fields);
    // Not stored when the request no longer waited for it: then it answers with what is stored instead.
    row = handedOff
      ? joinRequestRow(handedOff, joins)
      : await findSupportRequestRow(ctx.db, ctx.tenant.id, submitted.id);
  }

  if (!row) throw new Error(`support request ${submitted.id} vanished after it was committed`);
  const now = new Date();
  const view = toSupportRequestView(row, now);
  return {
    support_request_id: view.support_request_id,
    internal_reference: view.internal_reference,
    primary_context_type: view.primary_context_type,
    primary_context_id: view.primary_context_id,
    handoff_mode: view.handoff_mode,
    // Submit waits for the handoff, so the outcome is always known here.
    handoff_outcome: view.handoff_outcome ?? 'external_handoff_failed',
    external_ticket_reference: view.external_ticket_reference,
    external_ticket_url: view.external_ticket_url,
    failure_summary: view.failure_summary,
    latest_summary: toLatestSummary(row, now),
  };
}

/**
 * The request with its audit event (and its first attempt, when it hands off) in one statement, which
 * draws the id and reference itself and, for a handoff, reads the tenant's desk customer (insertSubmission).
 */
async function commitSubmission(
  ctx: SupportContext,
  input: SupportRequestHandoffSubmission,
  submittedAt: Date,
  budgetMs: number,
) {
  const linking = input.handoff_mode === 'link_existing_ticket';
  const creating = input.handoff_mode === 'create_external_ticket';
  const deadlineAt = creating ? handoffDeadline(submittedAt, budgetMs) : null;
  const values = {
    workspaceId: ctx.workspace.id,
    tenantId: ctx.tenant.id,
    primaryContextType: ctx.runId === null ? ('tenant' as const) : ('operation_run' as const),
    operationRunId: ctx.runId,
    severity: input.severity,
    summary: input.summary,
    reproductionNotes: input.reproduction_notes ?? null,
    contactName: input.contact_name ?? null,
    contactEmail: input.contact_email ?? null,
    submittedByUserId: ctx.actor.userId,
    submittedAt,
    handoffMode: input.handoff_mode,
    handoffOutcome: initialOutcome(input.handoff_mode),
    handoffDeadlineAt: deadlineAt,
    externalTicketReference: linking ? (input.external_ticket_reference ?? null) : null,
    externalTicketUrl: linking ? (input.external_ticket_url ?? null) : null,
  };
  // The submit's desk call is the request's first attempt, listed with any later ones.
  const attempt = deadlineAt
    ? {
        tenantId: ctx.tenant.id,
        kind: 'create' as const,
        actorUserId: ctx.actor.userId,
        startedAt: submittedAt,
        deadlineAt,
      }
    : null;
  const { reproductionNotes, ...audited } = values;
  const { stored, attemptId, deskCustomerId } = await insertSubmission(ctx.db, {
    request: values,
    attempt,
    audit: {
      ...actedIn(ctx),
      subjectType: SUPPORT_REQUEST_SUBJECT,
      action: 'support_request.submitted',
      after: { ...audited, hasReproductionNotes: reproductionNotes !== null },
    },
  });
  return { stored, attemptId, deskCustomerId: deskCustomerOf(deskCustomerId) };
}

/** The desk's answer in the words of a ticket result; `found` never comes from a submit (it does not search). */
export function toTicketResult(result: AttemptResult): TicketResult {
  return result.kind === 'failed'
    ? result
    : { kind: 'created', reference: result.reference, url: result.url };
}

/**
 * How an attempt ends, from what is stored for it (a failure's summary already scrubbed of secrets);
 * `found`: the desk already held the ticket an earlier attempt made.
 */
export function attemptEndOf(fields: HandoffFields, found = false): AttemptEnd {
  const created = fields.handoffOutcome === 'external_ticket_created';
  return {
    outcome: created ? (found ? 'found' : 'created') : 'failed',
    externalTicketReference: fields.externalTicketReference,
    externalTicketUrl: fields.externalTicketUrl,
    summary: created ? null : fields.failureSummary,
  };
}

/** One group of outcome writes per database (WriteGroup): answers arriving together are stored together. */
const outcomeWriters = new WeakMap<Db, WriteGroup<OutcomeWrite, StoredSupportRequest | undefined>>();

function outcomeWriterOf(db: Db) {
  let writer = outcomeWriters.get(db);
  if (!writer) {
    writer = new WriteGroup((writes) => storeHandoffOutcomes(db, writes));
    outcomeWriters.set(db, writer);
  }
  return writer;
}

/**
 * The request as stored with the desk's answer, or undefined when it no longer waited for one: the answer,
 * the attempt's end and the audit event in one statement, shared with the other answers that came at the
 * same time (storeHandoffOutcomes).
 */
function commitHandoffOutcome(
  ctx: SupportContext,
  id: number,
  attemptId: number | null,
  fields: HandoffFields,
) {
  return outcomeWriterOf(ctx.db).write({
    target: { tenantId: ctx.tenant.id, id, attemptId },
    fields,
    attemptEnd: { end: attemptEndOf(fields), at: new Date() },
    audit: {
      ...auditSubject(ctx, id),
      action:
        fields.handoffOutcome === 'external_ticket_created'
          ? 'support_request.handoff_completed'
          : 'support_request.handoff_failed',
      before: {
        handoffOutcome: null,
        externalTicketReference: null,
        externalTicketUrl: null,
        failureSummary: null,
      },
      after: fields,
    },
  });
}

/** docs/rules.md "Support requests": the tenant's requests, newest first, filtered by outcome, context and severity. */
export async function listSupportRequests(ctx: SupportContext, query: SupportRequestListQuery) {
  const { limit = DEFAULT_PAGE_SIZE, cursor, ...filter } = query;
  if (filter.run !== undefined && filter.context === 'tenant') {
    throw invalidFields({ run: 'names a run: it goes with context operation_run or without context' });
  }
  const after = decodeCursor(cursor, { id: 'number' });
  const now = new Date();
  const rows = await listSupportRequestRows(ctx.db, ctx.tenant.id, filter, after?.id ?? null, limit + 1, now);
  const page = toPage(rows, limit, (last) => encodeCursor({ id: last.id }));
  return { items: page.items.map((row) => toSupportRequestView(row, now)), next_cursor: page.next_cursor };
}

export async function getLatestSupportRequest(ctx: SupportContext) {
  const row = await findLatestRow(ctx.db, ctx.tenant.id, primaryContextOf(ctx));
  return row ? toLatestSummary(row, new Date()) : null;
}
