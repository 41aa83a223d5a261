import { type App, scopeOf } from '../../routing.ts';
import { WorkspaceParams } from '../tenancy/schemas.ts';
import { listApprovalQueue } from './queue.ts';
import {
  ApprovalQueuePage,
  ApprovalQueueQuery,
  OverviewQuery,
  SearchQuery,
  SearchResults,
  WorkspaceFindingListQuery,
  WorkspaceFindingPage,
  WorkspaceFindingsOverview,
} from './schemas.ts';
import { searchWorkspace } from './search.ts';
import { getFindingsOverview, listWorkspaceFindings } from './service.ts';

const tags = ['workspace findings'];

/**
 * docs/rules.md "Workspace views": every member of the workspace may ask (`workspace.view`); the answers hold
 * rows of the tenants where their tenant role allows it only (`tenant.view`, or `finding_exceptions.decide`
 * for the approval queue), so someone without a tenant role gets empty answers, never another tenant's rows.
 */
export function registerWorkspaceFindingRoutes(app: App): void {
  app.get(
    '/admin/w/:workspace/overview',
    {
      schema: {
        operationId: 'getWorkspaceFindingsOverview',
        tags,
        summary: 'Per tenant: open findings by severity, gaps, exceptions, failed runs, the latest run',
        params: WorkspaceParams,
        querystring: OverviewQuery,
        response: { 200: WorkspaceFindingsOverview },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request) => getFindingsOverview(scopeOf(request, 'workspace'), request.query),
  );

  app.get(
    '/admin/w/:workspace/findings',
    {
      schema: {
        operationId: 'listWorkspaceFindings',
        tags,
        summary: "Findings across the caller's tenants: the tenant list's filters and sorts, plus tenant",
        params: WorkspaceParams,
        querystring: WorkspaceFindingListQuery,
        response: { 200: WorkspaceFindingPage },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request) => listWorkspaceFindings(scopeOf(request, 'workspace'), request.query),
  );

  app.get(
    '/admin/w/:workspace/exceptions',
    {
      schema: {
        operationId: 'listApprovalQueue',
        tags,
        summary: 'Exceptions of the tenants where the caller decides them, the review due first',
        params: WorkspaceParams,
        querystring: ApprovalQueueQuery,
        response: { 200: ApprovalQueuePage },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request) => listApprovalQueue(scopeOf(request, 'workspace'), request.query),
  );

  app.get(
    '/admin/w/:workspace/search',
    {
      schema: {
        operationId: 'searchWorkspace',
        tags,
        summary: "SR references, finding ids and titles, run ids and tenant names in the caller's tenants",
        params: WorkspaceParams,
        querystring: SearchQuery,
        response: { 200: SearchResults },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request) => searchWorkspace(scopeOf(request, 'workspace'), request.query.q),
  );
}
