import type { DeskProvider } from '../config.ts';

/** Everything a desk ticket is made from (docs/rules.md "Interfaces" and "Precise rules"). */
export interface TicketRequest {
  /** `SR-…`: sent wherever the desk can hold it (idempotency key, external id). */
  internalReference: string;
  severity: 'low' | 'normal' | 'high' | 'blocking';
  summary: string;
  reproductionNotes: string | null;
  contact: { name: string | null; email: string | null };
  context: {
    type: 'tenant' | 'operation_run';
    workspace: { id: number; name: string };
    tenant: { id: number; externalId: string; name: string };
    operationRun: {
      id: number;
      type: string;
      status: string;
      outcome: string | null;
      summary: string | null;
    } | null;
  };
  submittedBy: { id: number; displayName: string };
  submittedAt: Date;
  /** Absolute URL of the support request's page in TenantPilot. */
  link: string;
  /**
   * The tenant's `desk_customer_id` (docs/rules.md "Support desks"): the desk's customer the ticket is
   * filed under (Zendesk organization, Freshdesk company, JSM organization, Halo client, ConnectWise
   * company, Autotask company). Null when the tenant has none: never replaced by a default customer.
   */
  deskCustomerId: string | null;
}

/** A desk adapter never throws to HTTP: it answers one of these, and the service stores it. */
export type TicketResult =
  | { kind: 'created'; reference: string; url: string | null }
  | { kind: 'failed'; summary: string };

/**
 * A search of the desk for the ticket an earlier attempt under the same SR reference may have made
 * (hand off again). `not_found` only when the desk answered the search and held no such ticket.
 */
export type FindTicketResult =
  | { kind: 'found'; reference: string; url: string | null }
  | { kind: 'not_found' }
  | { kind: 'failed'; summary: string };

/** What a desk answers when a PSA is asked to file a ticket for a tenant without a desk customer. */
export const NO_DESK_CUSTOMER = 'no desk customer mapped for this tenant';

/** What `tenantpilot desk check` reports: a read-only call that proves URL and credentials. */
export type DeskCheckResult = { ok: true; detail: string } | { ok: false; summary: string };

/** The SupportDesk port: one adapter per provider, one configured per installation. */
export interface SupportDesk {
  provider: DeskProvider;
  /** The name people know the desk by, for "Create a ticket in <displayName>". */
  displayName: string;
  /**
   * True for the PSAs, which file every ticket under a customer: the service refuses a handoff for a
   * tenant without a desk customer before calling the desk, with NO_DESK_CUSTOMER as its summary.
   */
  requiresCustomer: boolean;
  /**
   * One call, no retry, no redirect followed. The whole exchange (connect, TLS, headers, body) ends
   * within the configured budget (SUPPORT_DESK_TIMEOUT_MS, at most 5 s), or within `budgetMs` when the
   * caller has already spent part of it (a hand-off again that searched first). Never throws.
   */
  createTicket(request: TicketRequest, budgetMs?: number): Promise<TicketResult>;
  /**
   * Present only where the desk can be searched by the SR reference. Read-only, the same budget as a
   * create (a token request included), never throws.
   */
  findTicket?(internalReference: string): Promise<FindTicketResult>;
  /** Read-only; never creates anything at the desk. Same budget. Never throws. */
  check(): Promise<DeskCheckResult>;
}
