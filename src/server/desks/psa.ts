/**
 * What the three PSA adapters (HaloPSA, ConnectWise PSA, Autotask) share: one budget for the whole
 * handoff (a token request or a priority read included), values cached across handoffs with one
 * request in flight per key, and the desk customer every PSA ticket is filed under.
 */
import { createHash } from 'node:crypto';
import type { DeskConfig, DeskProvider } from '../config.ts';
import { settleWithin } from '../core/deadline.ts';
import { withinBudget } from './budget.ts';
import type { DeskCheckResult, FindTicketResult, SupportDesk, TicketRequest, TicketResult } from './desk.ts';
import { type DeskProfile, unexpectedAnswer } from './desk-request.ts';
import { budgetText } from './failure-summary.ts';

/** The end of one handoff's budget: every call of it gets what is left, never a fresh budget. */
export interface Deadline {
  remaining(): number;
  expired(): boolean;
}

export function deadlineOf(config: DeskConfig): Deadline {
  const end = performance.now() + config.timeoutMs;
  return {
    remaining: () => Math.max(0, Math.floor(end - performance.now())),
    expired: () => performance.now() >= end,
  };
}

/** A share of what is left of a deadline: a read before the ticket call never takes the whole budget. */
export function shareOf(deadline: Deadline, share: number): Deadline {
  const end = performance.now() + deadline.remaining() * share;
  return {
    remaining: () => Math.max(0, Math.floor(end - performance.now())),
    expired: () => performance.now() >= end,
  };
}

/**
 * What a call says when the budget ran out in a step before its own request (a token, a priority
 * read): for a create nothing was sent, so nothing can have been created.
 */
export function budgetSpent(
  deskName: string,
  config: DeskConfig,
  step: string,
  operation: 'create' | 'check',
): string {
  const consequence = operation === 'create' ? '; no ticket was sent' : '';
  return `${deskName} did not answer within ${budgetText(config.timeoutMs)} (${step})${consequence}.`;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A value the desk gives once and many handoffs use (an OAuth token, a priority list): cached until it
 * expires, and while it is being fetched every other handoff waits for that one request instead of
 * making its own, so 100 handoffs at once cost one token request. A waiter still keeps its own budget.
 */
export class SharedCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #inFlight = new Map<string, { outcome: Promise<FetchOutcome<T>>; budgetMs: number }>();
  /** How many fetches were started: tests and the bench read it. */
  fetches = 0;

  async get(
    key: string,
    deadline: Deadline,
    fetch: (timeoutMs: number) => Promise<FetchOutcome<T>>,
    retried = false,
  ): Promise<FetchOutcome<T> | { ok: false; timedOut: true }> {
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt > Date.now()) return { ok: true, value: cached.value, ttlMs: 0 };
    const joined = this.#inFlight.get(key);
    if (joined) {
      const outcome = await withinDeadline(joined.outcome, deadline);
      // A fetch started under a shorter budget than this call's (a hand-off again's create, a faster check)
      // may have failed for want of its own time: this call asks once more, under its own.
      if (!outcome.ok && !('timedOut' in outcome) && joined.budgetMs < deadline.remaining() && !retried) {
        return this.get(key, deadline, fetch, true);
      }
      return outcome;
    }
    this.fetches += 1;
    const budgetMs = deadline.remaining();
    const outcome = fetch(budgetMs)
      // A fetch never throws (requestDesk answers every failure); should one, it is a failure, not a hang.
      .catch((): FetchOutcome<T> => ({ ok: false, summary: 'the desk call failed unexpectedly' }))
      .then((outcome) => {
        if (outcome.ok && outcome.ttlMs > 0) {
          this.#entries.set(key, { value: outcome.value, expiresAt: Date.now() + outcome.ttlMs });
        }
        return outcome;
      })
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, { outcome, budgetMs });
    return withinDeadline(outcome, deadline);
  }

  /** Forgets a value the desk no longer accepts (a token answered 401). */
  drop(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#inFlight.clear();
    this.fetches = 0;
  }
}

export type FetchOutcome<T> = { ok: true; value: T; ttlMs: number } | { ok: false; summary: string };

function withinDeadline<T>(
  pending: Promise<FetchOutcome<T>>,
  deadline: Deadline,
): Promise<FetchOutcome<T> | { ok: false; timedOut: true }> {
  return settleWithin<FetchOutcome<T> | { ok: false; timedOut: true }>(pending, deadline.remaining(), () => ({
    ok: false,
    timedOut: true,
  }));
}

/** A cache key from settings that may include secrets: hashed, so no secret sits in a map key. */
export function cacheKey(...parts: Array<string | null>): string {
  return createHash('sha256')
    .update(parts.map((part) => part ?? '').join('\u0000'))
    .digest('base64url');
}

/** The desk customer as a PSA's numeric record id, or null when it is not one. */
export function numericCustomer(deskCustomerId: string | null): number | null {
  if (!deskCustomerId || !/^[1-9]\d{0,15}$/.test(deskCustomerId.trim())) return null;
  return Number(deskCustomerId.trim());
}

/** Which required settings are missing, as one sentence, or null when all are set. */
export function missingSettings(deskName: string, settings: Array<[string, string | null]>): string | null {
  const missing = settings.filter(([, value]) => !value).map(([name]) => name);
  if (!missing.length) return null;
  return `${deskName} needs ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set.`;
}

export type Severity = 'low' | 'normal' | 'high' | 'blocking';

/** A desk priority as read from the desk: its id, its name, and its place from most to least urgent. */
export interface DeskPriority {
  id: number;
  name: string;
}

const severityWords: Record<Severity, RegExp> = {
  blocking: /critical|emergency|urgent|p1\b|priority 1\b/i,
  high: /high|quick|p2\b|priority 2\b/i,
  normal: /medium|normal|moderate|p3\b|priority 3\b/i,
  low: /low|schedule|minor|p4\b|priority 4\b/i,
};

/**
 * Maps a severity onto the desk's own priorities, listed from most to least urgent: by name first
 * (Critical/High/Medium/Low and their usual wordings), else by place in the list.
 */
export function priorityFor(severity: Severity, priorities: DeskPriority[]): DeskPriority | null {
  if (!priorities.length) return null;
  const named = priorities.find((priority) => severityWords[severity].test(priority.name));
  if (named) return named;
  const place = { blocking: 0, high: 1 / 3, normal: 2 / 3, low: 1 }[severity];
  return priorities[Math.round(place * (priorities.length - 1))] ?? null;
}

/** The calls a PSA adapter implements; `psaDesk` makes the port of them. */
export interface PsaCalls {
  createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult>;
  findTicket(config: DeskConfig, reference: string): Promise<FindTicketResult>;
  check(config: DeskConfig): Promise<DeskCheckResult>;
}

/** A PSA behind the desk port: every ticket under a customer, searchable, a create within what is left of the budget. */
export function psaDesk(
  provider: DeskProvider,
  displayName: string,
  config: DeskConfig,
  calls: PsaCalls,
): SupportDesk {
  return {
    provider,
    displayName,
    requiresCustomer: true,
    createTicket: (request, budgetMs) => calls.createTicket(withinBudget(config, budgetMs), request),
    findTicket: (reference) => calls.findTicket(config, reference),
    check: () => calls.check(config),
  };
}

/**
 * A PSA's answer to a create: the ticket `#<id>` and its agent page, or — an answer without an id — a failure
 * that says the desk may have created it anyway.
 */
export function psaTicketCreated(
  config: DeskConfig,
  profile: DeskProfile,
  status: number,
  id: number | null,
  urlOf: (id: number) => string | null,
  reference: string,
  idName = 'a ticket id',
): TicketResult {
  if (id === null) {
    const what = `HTTP ${status} without ${idName}`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'create', reference) };
  }
  return { kind: 'created', reference: `#${id}`, url: urlOf(id) };
}

/** A PSA's search by the SR reference: the matching ticket's `#<id>` and page, or none. */
export function psaTicketFound(id: number | null, urlOf: (id: number) => string | null): FindTicketResult {
  return id === null ? { kind: 'not_found' } : { kind: 'found', reference: `#${id}`, url: urlOf(id) };
}
