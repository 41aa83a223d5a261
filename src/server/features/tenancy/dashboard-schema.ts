import { type Static, Type } from 'typebox';
import { RunView } from '../operation-runs/schemas.ts';
import { CapabilityList, Role, TenantView, WorkspaceView } from './schemas.ts';

// Apart from schemas.ts: the run schemas import tenancy's, and the dashboard shows runs.

const Count = Type.Integer({ minimum: 0 });
export const FindingCounts = Type.Object({
  orphaned_accountability: Count,
  owned_unassigned: Count,
  assigned: Count,
  accountability_gap: Count,
  total: Count,
});
export type FindingCounts = Static<typeof FindingCounts>;

export const DashboardView = Type.Object({
  tenant: TenantView,
  workspace: WorkspaceView,
  role: Role,
  capabilities: CapabilityList,
  recent_runs: Type.Array(RunView),
  finding_counts: FindingCounts,
});
export type DashboardView = Static<typeof DashboardView>;
