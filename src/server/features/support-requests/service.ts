import { notFound } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { Actor, TenantRef, WorkspaceRef } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import type { SupportDesk, TicketRequest, TicketResult } from '../../desks/desk.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import {
  findLatestRow,
  findSupportRequestRow,
  findTenantRun,
  insertSupportRequest,
  joinRequestRow,
  listSupportRequestRows,
  nextSupportRequestId,
  type PrimaryContext,
  type RequestJoins,
  type StoredSupportRequest,
  type SupportRequestRow,
  storeHandoffOutcome,
} from './queries.ts';
import {
  ADAPTER_FAILED_SUMMARY,
  formatReference,
  type HandoffFields,
  handoffDeadline,
  handoffFieldsOf,
  initialOutcome,
  NO_DESK_SUMMARY,
} from './rules.ts';
import type { SupportRequestHandoffSubmission } from './schemas.ts';
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

export interface HandoffDeps {
  desk: SupportDesk | null;
  budgetMs: number;
  /** Credentials of the configured desk: scrubbed from anything stored, whatever an adapter says. */
  secrets: readonly (string | null)[];
  /** Absolute URL of a request's page in TenantPilot, placed in the desk ticket. */
  linkTo(tenantExternalId: string, id: number): string;
}

// The adapter enforces the budget itself; this is only a backstop so one faulty adapter cannot hold a request.
const BACKSTOP_MS = 1000;

const primaryContextOf = (ctx: SupportContext): PrimaryContext =>
  ctx.runId === null ? { type: 'tenant' } : { type: 'operation_run', runId: ctx.runId };

const auditSubject = (ctx: SupportContext, id: number) => ({
  ...actedIn(ctx),
  subjectType: 'support_request',
  subjectId: id,
});

/**
 * docs/rules.md "Support requests": the internal request is committed first, in its own transaction with its audit
 * event; only then, for create_external_ticket, the one desk call; then its outcome in a second one.
 * The answer, latest_summary included, is this submit's own request as its writes returned it (section 10):
 * never the newest of the context, which another submit may have made meanwhile, and no read back.
 */
export async function submitSupportRequest(
  ctx: SupportContext,
  deps: HandoffDeps,
  input: SupportRequestHandoffSubmission,
) {
  const run = ctx.runId === null ? null : ((await findTenantRun(ctx.db, ctx.tenant.id, ctx.runId)) ?? null);
  if (ctx.runId !== null && !run) throw notFound();
  const joins: RequestJoins = {
    submittedBy: { id: ctx.actor.userId, displayName: ctx.actor.displayName },
    run,
  };
  const submittedAt = new Date();
  const submitted = await commitSubmission(ctx, input, submittedAt, deps.budgetMs);
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
      // The tenant's desk_customer_id is read in by the desk-customer change of the service (issue 11).
      deskCustomerId: null,
    };
    const fields = handoffFieldsOf(await handOff(deps, ticket), deps.secrets);
    const handedOff = await commitHandoffOutcome(ctx, submitted.id, fields);
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

async function commitSubmission(
  ctx: SupportContext,
  input: SupportRequestHandoffSubmission,
  submittedAt: Date,
  budgetMs: number,
): Promise<StoredSupportRequest> {
  return ctx.db.transaction(async (tx) => {
    const id = await nextSupportRequestId(tx);
    const reference = formatReference(id, submittedAt);
    const linking = input.handoff_mode === 'link_existing_ticket';
    const creating = input.handoff_mode === 'create_external_ticket';
    const values = {
      id,
      internalReference: reference,
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
      handoffDeadlineAt: creating ? handoffDeadline(submittedAt, budgetMs) : null,
      externalTicketReference: linking ? (input.external_ticket_reference ?? null) : null,
      externalTicketUrl: linking ? (input.external_ticket_url ?? null) : null,
    };
    const stored = await insertSupportRequest(tx, values);
    const { reproductionNotes, ...audited } = values;
    await recordAuditEvent(tx, {
      ...auditSubject(ctx, id),
      action: 'support_request.submitted',
      after: { ...audited, hasReproductionNotes: reproductionNotes !== null },
    });
    return stored;
  });
}

/** The request as stored with the desk's answer, or undefined when it no longer waited for one. */
async function commitHandoffOutcome(ctx: SupportContext, id: number, fields: HandoffFields) {
  return ctx.db.transaction(async (tx) => {
    const stored = await storeHandoffOutcome(tx, ctx.tenant.id, id, fields);
    if (!stored) return undefined;
    await recordAuditEvent(tx, {
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
    });
    return stored;
  });
}

/** The one outbound call. No desk, a throwing adapter or one that overruns its budget all become a failure. */
async function handOff(deps: HandoffDeps, ticket: TicketRequest): Promise<TicketResult> {
  const { desk, budgetMs } = deps;
  if (!desk) return { kind: 'failed', summary: NO_DESK_SUMMARY };
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<TicketResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          kind: 'failed',
          summary: `Not confirmed within ${budgetMs / 1000} s — the desk may still have created it; search it for ${ticket.internalReference}`,
        }),
      budgetMs + BACKSTOP_MS,
    );
  });
  const call = desk
    .createTicket(ticket)
    .catch((): TicketResult => ({ kind: 'failed', summary: ADAPTER_FAILED_SUMMARY }));
  try {
    return await Promise.race([call, backstop]);
  } finally {
    clearTimeout(timer);
  }
}

export async function getSupportRequest(ctx: SupportContext, idParam: number | null) {
  const row = idParam === null ? undefined : await findSupportRequestRow(ctx.db, ctx.tenant.id, idParam);
  if (!row) throw notFound();
  return toSupportRequestView(row, new Date());
}

export async function listSupportRequests(ctx: SupportContext, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { id: 'number' });
  const rows = await listSupportRequestRows(ctx.db, ctx.tenant.id, after?.id ?? null, limit + 1);
  const page = toPage(rows, limit, (last) => encodeCursor({ id: last.id }));
  const now = new Date();
  return { items: page.items.map((row) => toSupportRequestView(row, now)), next_cursor: page.next_cursor };
}

export async function getLatestSupportRequest(ctx: SupportContext) {
  const row = await findLatestRow(ctx.db, ctx.tenant.id, primaryContextOf(ctx));
  return row ? toLatestSummary(row, new Date()) : null;
}
