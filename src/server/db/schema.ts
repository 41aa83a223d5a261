export * from '../features/audit/tables.ts';
export * from '../features/findings/tables.ts';
export * from '../features/oidc/tables.ts';
export * from '../features/operation-runs/tables.ts';
export * from '../features/second-factor/tables.ts';
export * from '../features/support-requests/tables.ts';
export * from '../features/tenancy/tables.ts';
export * from '../features/workspace-findings/tables.ts';
