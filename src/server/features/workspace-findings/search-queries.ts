import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { supportRequests } from '../support-requests/tables.ts';
import { tenants } from '../tenancy/tables.ts';

/** Results per kind: a search box shows the best few, not a list to page through. */
export const SEARCH_LIMIT = 10;

const tenantColumns = { tenant_external_id: tenants.externalId, tenant_name: tenants.name };

/** A support request by its SR reference, exactly (its unique index), in the tenants given. */
export function findSupportRequestsByReference(db: Db, tenantIds: number[], reference: string) {
  const s = supportRequests;
  return db
    .select({ id: s.id, internal_reference: s.internalReference, summary: s.summary, ...tenantColumns })
    .from(s)
    .innerJoin(tenants, eq(tenants.id, s.tenantId))
    .where(and(eq(s.internalReference, reference), inArray(s.tenantId, tenantIds)))
    .limit(SEARCH_LIMIT);
}

/**
 * Findings whose id is `id`, or whose title starts with `prefix` (case-insensitive): the title through
 * findings_workspace_title_idx (workspace_id, lower(title) text_pattern_ops), so a LIKE prefix is an index
 * range on any server collation. `prefix` arrives with LIKE's wildcards escaped.
 */
export function findFindings(
  db: Db,
  place: { workspaceId: number; tenantIds: number[] },
  match: { id: number | null; likePrefix: string },
) {
  const f = findings;
  const byTitle = and(eq(f.workspaceId, place.workspaceId), sql`lower(${f.title}) like ${match.likePrefix}`);
  return db
    .select({ id: f.id, title: f.title, severity: f.severity, ...tenantColumns })
    .from(f)
    .innerJoin(tenants, eq(tenants.id, f.tenantId))
    .where(
      and(
        inArray(f.tenantId, place.tenantIds),
        match.id === null ? byTitle : or(eq(f.id, match.id), byTitle),
      ),
    )
    .orderBy(sql`${f.id} = ${match.id ?? 0} desc`, sql`lower(${f.title})`, f.id)
    .limit(SEARCH_LIMIT);
}

/** A run by its id: of one of the tenants given, or a workspace-level run of the workspace. */
export function findRunById(db: Db, place: { workspaceId: number; tenantIds: number[] }, id: number) {
  const r = operationRuns;
  return db
    .select({ id: r.id, type: r.type, status: r.status, outcome: r.outcome, ...tenantColumns })
    .from(r)
    .leftJoin(tenants, eq(tenants.id, r.tenantId))
    .where(
      and(
        eq(r.id, id),
        eq(r.workspaceId, place.workspaceId),
        or(isNull(r.tenantId), inArray(r.tenantId, place.tenantIds)),
      ),
    )
    .limit(1);
}
