import { AppError } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { Actor, FindingScope, TenantScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { type FindingRow, getFindingDetailRow, hydrateFindings } from './item-queries.ts';
import { keptListPages, pageChangesAt } from './list-cache.ts';
import {
  type FindingFilter,
  listGapOwnerIds,
  myWorkPage,
  orderOf,
  type SortKey,
  tenantListRows,
} from './list-queries.ts';
import { listFindingHistoryRows, listFindingPeople, listUserNames } from './queries.ts';
import {
  FINDING_COLLECTION_ROUTE,
  FINDING_DETAIL_ROUTE,
  FINDING_DETAIL_SURFACE,
  FINDING_LIST_SURFACE,
  type FindingListFilters,
  type FindingListQuery,
  type FindingSort,
} from './schemas.ts';
import { tenantRef, toExceptionView, toFindingItem } from './views.ts';

const DETAIL_EXCEPTIONS = 50;

const invalidCursor = () =>
  new AppError('invalid', 'The request has invalid fields', { cursor: 'is not a valid cursor' });

/** The cursor names its sort: a cursor of another sort is refused rather than misread. */
function decodeSortKey(cursor: string | undefined, sort: FindingSort): SortKey | null {
  if (cursor === undefined) return null;
  const shape: Record<string, 'string' | 'number'> = { s: 'string', id: 'number' };
  if (sort === 'severity') shape.rank = 'number';
  else shape.detected = 'string';
  const key = decodeCursor(cursor, shape) as unknown as SortKey & { s: string };
  if (key.s !== sort) throw invalidCursor();
  if (key.detected !== undefined && Number.isNaN(Date.parse(key.detected))) throw invalidCursor();
  return key;
}

function encodeSortKey(sort: FindingSort, row: FindingRow): string {
  if (sort === 'severity') return encodeCursor({ s: sort, id: row.id, rank: row.severity_rank });
  return encodeCursor({ s: sort, id: row.id, detected: row.detected_key });
}

const MAX_ID = 2_147_483_647;

/** "me", "none" (nobody) or a user id. */
function person(field: string, value: string | undefined, actor: Actor): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'me') return actor.userId;
  if (value === 'none') return null;
  const id = Number(value);
  if (id > MAX_ID)
    throw new AppError('invalid', 'The request has invalid fields', { [field]: 'is not a user id' });
  return id;
}

/**
 * A findings list query as the list queries take it: the tenant list's, and the workspace list's (which adds
 * `tenant`). One reading of every filter, sort and cursor for both.
 */
export function readFindingListQuery(query: FindingListQuery, actor: Actor) {
  const sort = query.sort ?? 'newest';
  const gap = query.accountability_gap === undefined ? undefined : query.accountability_gap === 'true';
  const filter: FindingFilter = {
    responsibilityState: query.responsibility_state,
    accountabilityGap: gap,
    owner: person('owner', query.owner, actor),
    assignee: person('assignee', query.assignee, actor),
    severity: query.severity,
    // docs/rules.md "Finding lifecycle": the list shows open findings unless a status filter says otherwise.
    workflowStatus: query.workflow_status ?? 'open',
    source: query.source,
  };
  return {
    sort,
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    after: decodeSortKey(query.cursor, sort),
    filter,
    gap,
    cursorOf: (last: FindingRow) => encodeSortKey(sort, last),
  };
}

/** A list query resolved once: the filter by its meaning, the sort, one `now` and the gap owners when a filter needs them. */
export interface ResolvedListQuery {
  filter: FindingFilter;
  sort: FindingSort;
  now: Date;
  gapOwnerIds: number[];
}

/** The list's filters (query string, a bulk change's `filter`, the CSV export) for one tenant, with one `now`. */
export async function resolveListQuery(
  scope: TenantScope,
  query: FindingListFilters,
): Promise<ResolvedListQuery> {
  const { filter, sort, gap } = readFindingListQuery(query, scope.actor);
  const gapOwnerIds = gap === undefined ? [] : await listGapOwnerIds(scope.db, scope.tenant.id);
  return { filter, sort, now: new Date(), gapOwnerIds };
}

/** A page of the list as the contract answers it (FindingListSurface). */
export type FindingListAnswer = Awaited<ReturnType<typeof listFindingsPage>>['answer'];

async function listFindingsPage(scope: TenantScope, query: FindingListQuery) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const { filter, sort, now, gapOwnerIds } = await resolveListQuery(scope, query);
  const after = decodeSortKey(query.cursor, sort);
  const { rows, nextAcceptanceEnd } = await tenantListRows(scope.db, {
    tenantId: scope.tenant.id,
    filter,
    sort,
    after,
    limit: limit + 1,
    now,
    gapOwnerIds,
  });
  const { items, next_cursor } = toPage(rows, limit, (last) => encodeSortKey(sort, last));
  const answer = {
    surface: FINDING_LIST_SURFACE,
    collection_route: FINDING_COLLECTION_ROUTE,
    primary_inspect_model: 'finding' as const,
    items: items.map((row) => toFindingItem(row, now)),
    next_cursor,
  };
  const changesAt =
    nextAcceptanceEnd === undefined ? undefined : pageChangesAt(rows, nextAcceptanceEnd, +now);
  return { answer, changesAt };
}

/**
 * A page of the tenant's findings list, as the JSON `serialize` makes of it. A page a process may keep
 * (list-cache.ts: one the access statement read the tenant's list generation for, and whose statement says
 * when it moves with the clock) is answered from what this process kept while it is certain to be the same.
 */
export async function listFindings(
  scope: TenantScope,
  query: FindingListQuery,
  serialize: (answer: FindingListAnswer) => string,
): Promise<string> {
  const generation = scope.listGeneration;
  const kept = keptListPages(scope.db);
  // The query string as validated (the schema admits no other field). Only pages filtered by status alone are
  // kept, and they read the same for every member of the tenant.
  const key = `${scope.tenant.id} ${JSON.stringify(query)}`;
  const answered = generation === undefined ? undefined : kept.answer(key, generation, Date.now());
  if (answered !== undefined) return answered;
  const { answer, changesAt } = await listFindingsPage(scope, query);
  const body = serialize(answer);
  if (generation !== undefined && changesAt !== undefined)
    kept.keep(key, { generation, until: changesAt, body });
  return body;
}

export async function getFinding(scope: FindingScope) {
  const now = new Date();
  const row = await getFindingDetailRow(scope.db, scope.tenant.id, scope.findingId, now, DETAIL_EXCEPTIONS);
  return {
    ...toFindingItem(row, now),
    surface: FINDING_DETAIL_SURFACE,
    detail_route: FINDING_DETAIL_ROUTE,
    tenant: tenantRef(row),
    exceptions: row.exceptions.map((exception) => toExceptionView(exception, now)),
    capabilities: [...scope.capabilities],
  };
}

const PERSON_FIELDS = ['owner_user_id', 'assignee_user_id'] as const;

/** The user ids events name in their before/after (owner, assignee, an exception's owner). */
function namedUserIds(events: { before: unknown; after: unknown }[]): number[] {
  const ids = new Set<number>();
  for (const event of events) {
    for (const state of [event.before, event.after]) {
      if (typeof state !== 'object' || state === null) continue;
      for (const field of PERSON_FIELDS) {
        const value = (state as Record<string, unknown>)[field];
        if (typeof value === 'number') ids.add(value);
      }
    }
  }
  return [...ids];
}

/** Everyone the owner and assignee filters offer: whoever holds a finding of the tenant, former members too. */
export async function listFindingPeopleOf(scope: TenantScope) {
  const [owners, assignees] = await Promise.all([
    listFindingPeople(scope.db, scope.tenant.id, 'owner'),
    listFindingPeople(scope.db, scope.tenant.id, 'assignee'),
  ]);
  return { owners, assignees };
}

/** The finding's audit events, newest first (audit_events_subject_idx), keyset on id. */
export async function getFindingHistory(scope: FindingScope, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { id: 'number' });
  const rows = await listFindingHistoryRows(scope.db, scope.findingId, after?.id ?? null, limit + 1);
  const page = toPage(rows, limit, (last) => encodeCursor({ id: Number(last.id) }));
  return {
    people: await listUserNames(scope.db, namedUserIds(page.items)),
    items: page.items.map((row) => ({
      id: Number(row.id),
      action: row.action,
      actor:
        row.actor_id === null || row.actor_name === null
          ? null
          : { id: row.actor_id, display_name: row.actor_name },
      before: row.before,
      after: row.after,
      at: row.at,
    })),
    next_cursor: page.next_cursor,
  };
}

/** Open findings the actor owns or is assigned, across the tenants they are a member of, newest first. */
export async function listMyWork(
  db: Db,
  actor: Actor,
  query: { limit?: number; cursor?: string; role?: 'owner' | 'assignee' },
) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { id: 'number' });
  const now = new Date();
  const page = myWorkPage(actor.userId, query.role, after?.id ?? null, limit + 1, now);
  const rows = await hydrateFindings(db, page, orderOf('newest', 'p'), now);
  const { items, next_cursor } = toPage(rows, limit, (last) => encodeCursor({ id: last.id }));
  return {
    items: items.map((row) => ({
      ...toFindingItem(row, now),
      tenant: tenantRef(row),
      my_roles: [
        ...(row.owner_id === actor.userId ? (['owner'] as const) : []),
        ...(row.assignee_id === actor.userId ? (['assignee'] as const) : []),
      ],
    })),
    next_cursor,
  };
}
