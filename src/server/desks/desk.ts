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
}

/** A desk adapter never throws to HTTP: it answers one of these, and the service stores it. */
export type TicketResult =
  | { kind: 'created'; reference: string; url: string | null }
  | { kind: 'failed'; summary: string };

/** What `tenantpilot desk check` reports: a read-only call that proves URL and credentials. */
export type DeskCheckResult = { ok: true; detail: string } | { ok: false; summary: string };

/** The SupportDesk port: one adapter per provider, one configured per installation. */
export interface SupportDesk {
  provider: DeskProvider;
  /** The name people know the desk by, for "Create a ticket in <displayName>". */
  displayName: string;
  /**
   * One call, no retry, no redirect followed. The whole exchange (connect, TLS, headers, body) ends
   * within the configured budget (SUPPORT_DESK_TIMEOUT_MS, at most 5 s). Never throws.
   */
  createTicket(request: TicketRequest): Promise<TicketResult>;
  /** Read-only; never creates anything at the desk. Same budget. Never throws. */
  check(): Promise<DeskCheckResult>;
}
