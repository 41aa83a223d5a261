import type { WorkspaceScope } from '../../core/scopes.ts';
import { readSearchTerm } from './rules.ts';
import type { SearchResults } from './schemas.ts';
import { findFindings, findRunById, findSupportRequestsByReference, SEARCH_LIMIT } from './search-queries.ts';
import { viewableTenants } from './service.ts';

const tenantOf = (row: { tenant_external_id: string | null; tenant_name: string | null }) =>
  row.tenant_external_id === null || row.tenant_name === null
    ? null
    : { external_id: row.tenant_external_id, name: row.tenant_name };

/**
 * docs/rules.md "Workspace views", search: an SR reference (exactly), a finding or run id, the start of a
 * finding's title, a tenant's name or external id — only in the tenants the actor may view.
 */
export async function searchWorkspace(scope: WorkspaceScope, q: string): Promise<SearchResults> {
  const term = readSearchTerm(q);
  const visible = await viewableTenants(scope);
  const place = { workspaceId: scope.workspace.id, tenantIds: visible.map((tenant) => tenant.id) };
  const empty: SearchResults = { q: term.text, support_requests: [], findings: [], runs: [], tenants: [] };
  if (term.text === '' || place.tenantIds.length === 0) return empty;
  const lower = term.text.toLowerCase();
  const [requests, found, runs] = await Promise.all([
    term.reference ? findSupportRequestsByReference(scope.db, place.tenantIds, term.reference) : [],
    findFindings(scope.db, place, { id: term.id, likePrefix: term.likePrefix }),
    term.id === null ? [] : findRunById(scope.db, place, term.id),
  ]);
  return {
    q: term.text,
    support_requests: requests.map((row) => ({
      id: row.id,
      internal_reference: row.internal_reference,
      summary: row.summary,
      tenant: { external_id: row.tenant_external_id, name: row.tenant_name },
    })),
    findings: found.map((row) => ({
      finding_id: row.id,
      title: row.title,
      severity: row.severity,
      tenant: { external_id: row.tenant_external_id, name: row.tenant_name },
    })),
    runs: runs.map((row) => ({
      id: row.id,
      type: row.type,
      status: row.status,
      outcome: row.outcome,
      tenant: tenantOf(row),
    })),
    tenants: visible
      .filter((tenant) => tenant.name.toLowerCase().includes(lower) || tenant.externalId.includes(lower))
      .slice(0, SEARCH_LIMIT)
      .map((tenant) => ({ external_id: tenant.externalId, name: tenant.name })),
  };
}
