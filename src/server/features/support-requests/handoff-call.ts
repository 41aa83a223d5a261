import { settleWithin } from '../../core/deadline.ts';
import { asDeadlineWork } from '../../db/embedded-maintenance.ts';
import type { SupportDesk, TicketRequest, TicketResult } from '../../desks/desk.ts';
import { ADAPTER_FAILED_SUMMARY, NO_DESK_CUSTOMER_SUMMARY, NO_DESK_SUMMARY } from './rules.ts';

export interface HandoffDeps {
  desk: SupportDesk | null;
  budgetMs: number;
  /**
   * When the desk's answer must be in, on the `performance.now()` clock: the budget counts from the
   * request's arrival, less the time kept for writing the outcome (see handoffDeadlineOf).
   */
  deskDeadline: number;
  /** Credentials of the configured desk: scrubbed from anything stored, whatever an adapter says. */
  secrets: readonly (string | null)[];
  /** Absolute URL of a request's page in TenantPilot, placed in the desk ticket. */
  linkTo(tenantExternalId: string, id: number): string;
}

/** A desk's answer to one attempt: `found` when a search turned up the ticket an earlier attempt made. */
export type AttemptResult =
  | { kind: 'created' | 'found'; reference: string; url: string | null }
  | { kind: 'failed'; summary: string };

// The adapter enforces the budget itself; this is only a backstop so one faulty adapter cannot hold a request.
const BACKSTOP_MS = 1000;

/**
 * What the budget keeps back for the outcome's write after the desk call, so that the answer, not just the
 * desk call, ends about `budgetMs` after the request arrived: 1 % of it, at most 20 ms, so a short budget
 * still gives the desk nearly all of itself. Outcomes that come back together are written together
 * (db/write-group.ts), so 200 at once take tens of milliseconds, not one write's time 200 times. At most
 * 50 ms, the earliest of 200 answers to a hung desk came 4.99 s after sending once writes had got faster
 * (bench, 9752ced): the desk had been cut short by more than the write took.
 */
export const OUTCOME_WRITE_RESERVE_MS = 20;
const reserveOf = (budgetMs: number) => Math.min(OUTCOME_WRITE_RESERVE_MS, budgetMs * 0.01);

/**
 * docs/rules.md "Support requests": the budget runs from the request's arrival (Fastify's start of the
 * request, `elapsedMs` ago), not from the desk call, so that time a request spent queued before the
 * call comes out of the desk's share instead of being added to the answer.
 */
export function handoffDeadlineOf(budgetMs: number, elapsedMs: number): number {
  return performance.now() - elapsedMs + budgetMs - reserveOf(budgetMs);
}

/**
 * Runs the whole of a request that hands off (its writes, the desk call, the outcome's write): such a request
 * answers by its budget, so a due maintenance pass of the embedded database waits for it
 * (db/embedded-maintenance.ts).
 */
export const asHandoffRequest = <T>(work: () => Promise<T>): Promise<T> => asDeadlineWork(work);

/** Below this, a create could not even connect: nothing is sent. */
const SMALLEST_CREATE_BUDGET_MS = 100;

const notConfirmed = (budgetMs: number, reference: string) =>
  `Not confirmed within ${budgetMs / 1000} s — the desk may still have created it; search it for ${reference}`;

/**
 * The outbound part of one attempt, never throwing. No desk, or a PSA asked to file for a tenant without
 * a desk customer (docs/rules.md "Support requests"), fails without any call. With `search`, a desk that
 * can be searched by the SR reference is asked first for the ticket an earlier attempt may have made;
 * only when it answers that there is none is a ticket created, once. A search that fails creates
 * nothing: a second ticket is worse than a second try.
 */
export async function attemptHandoff(
  deps: HandoffDeps,
  ticket: TicketRequest,
  options: { search: boolean },
): Promise<AttemptResult> {
  const { desk, budgetMs } = deps;
  if (!desk) return { kind: 'failed', summary: NO_DESK_SUMMARY };
  if (desk.requiresCustomer && ticket.deskCustomerId === null) {
    return { kind: 'failed', summary: NO_DESK_CUSTOMER_SUMMARY };
  }
  const reference = ticket.internalReference;
  const left = Math.min(budgetMs, deps.deskDeadline - performance.now());
  if (left < SMALLEST_CREATE_BUDGET_MS) {
    return {
      kind: 'failed',
      summary:
        `The ${budgetMs / 1000} s budget was spent inside TenantPilot before ${desk.displayName} could be ` +
        `called for ${reference}; nothing was sent. Hand off again, or link the ticket`,
    };
  }
  const call = callDesk(desk, ticket, options.search, budgetMs, left).catch(
    (): AttemptResult => ({ kind: 'failed', summary: ADAPTER_FAILED_SUMMARY }),
  );
  return settleWithin(
    call,
    left + BACKSTOP_MS,
    (): AttemptResult => ({ kind: 'failed', summary: notConfirmed(budgetMs, reference) }),
  );
}

async function callDesk(
  desk: SupportDesk,
  ticket: TicketRequest,
  search: boolean,
  budgetMs: number,
  leftMs: number,
): Promise<AttemptResult> {
  const started = performance.now();
  if (search && desk.findTicket) {
    const found = await desk.findTicket(ticket.internalReference);
    if (found.kind === 'found') return found;
    if (found.kind === 'failed') {
      return {
        kind: 'failed',
        summary:
          `Could not search ${desk.displayName} for ${ticket.internalReference} (${found.summary}); ` +
          'nothing was created, so no second ticket can result. Hand off again later, or link the ticket',
      };
    }
  }
  // One attempt, one budget: the create gets what the search left of it, never a fresh one.
  const left = leftMs - (performance.now() - started);
  if (left < SMALLEST_CREATE_BUDGET_MS) {
    return {
      kind: 'failed',
      summary:
        `Searching ${desk.displayName} for ${ticket.internalReference} used the ${budgetMs / 1000} s budget; ` +
        'nothing was created. Hand off again later, or link the ticket',
    };
  }
  return fromTicketResult(await desk.createTicket(ticket, left));
}

function fromTicketResult(result: TicketResult): AttemptResult {
  return result.kind === 'created'
    ? { kind: 'created', reference: result.reference, url: result.url }
    : { kind: 'failed', summary: result.summary };
}
