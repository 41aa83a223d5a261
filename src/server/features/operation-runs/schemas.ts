import { type Static, Type } from 'typebox';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { Nullable } from '../../core/schema-parts.ts';
import { CapabilityList, TenantView, WorkspaceView } from '../tenancy/schemas.ts';
import { runOutcomes, runStatuses } from './tables.ts';

export const RunStatus = Type.Enum(runStatuses);
export type RunStatus = Static<typeof RunStatus>;
export const RunOutcome = Type.Enum(runOutcomes);
export type RunOutcome = Static<typeof RunOutcome>;

export const RunView = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  status: RunStatus,
  outcome: Nullable(RunOutcome),
  summary: Nullable(Type.String()),
  started_at: Nullable(Type.String({ format: 'date-time' })),
  completed_at: Nullable(Type.String({ format: 'date-time' })),
  workspace: WorkspaceView,
  tenant: Nullable(TenantView),
});
export type RunView = Static<typeof RunView>;

export const RunDetailView = Type.Intersect([RunView, Type.Object({ capabilities: CapabilityList })]);
export type RunDetailView = Static<typeof RunDetailView>;

export const RunParams = Type.Object({ run: Type.String({ description: 'The operation run id' }) });
export type RunParams = Static<typeof RunParams>;

export const RunListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    status: Type.Optional(RunStatus),
    outcome: Type.Optional(RunOutcome),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  }),
]);
export type RunListQuery = Static<typeof RunListQuery>;

export const RunPage = Type.Object({ items: Type.Array(RunView), next_cursor: nextCursorSchema });
export type RunPage = Static<typeof RunPage>;
