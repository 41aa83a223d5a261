import type { TenantScope } from '../../core/scopes.ts';
import { countFindingsByResponsibility } from '../findings/queries.ts';
import { listRecentRuns } from '../operation-runs/service.ts';

const RECENT_RUNS = 10;

export async function getTenantDashboard(scope: TenantScope) {
  const [recentRuns, findingCounts] = await Promise.all([
    listRecentRuns(scope, RECENT_RUNS),
    countFindingsByResponsibility(scope.db, scope.tenant.id),
  ]);
  return {
    tenant: { id: scope.tenant.id, external_id: scope.tenant.externalId, name: scope.tenant.name },
    workspace: scope.workspace,
    role: scope.role,
    capabilities: [...scope.capabilities],
    recent_runs: recentRuns,
    finding_counts: findingCounts,
  };
}
