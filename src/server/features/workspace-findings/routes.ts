import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { type App, scopeOf } from '../../routing.ts';
import { findingsExportFileName } from '../findings/csv-export.ts';
import { WorkspaceParams } from '../tenancy/schemas.ts';
import { exportWorkspaceFindingsCsv } from './export.ts';
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
        description:
          'Open findings unless `workflow_status` says otherwise. With `format=csv` every matching finding is ' +
          'streamed as a `text/csv` attachment in the same sort (`limit` and `cursor` do not apply).',
        params: WorkspaceParams,
        querystring: WorkspaceFindingListQuery,
        response: {
          200: {
            description: 'One page of findings, or with `format=csv` every matching finding as CSV',
            content: {
              'application/json': { schema: WorkspaceFindingPage },
              'text/csv': { schema: Type.String({ description: 'A header row, then one row per finding' }) },
            },
          },
        },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request, reply) => {
      const scope = scopeOf(request, 'workspace');
      if (request.query.format !== 'csv') return listWorkspaceFindings(scope, request.query);
      const lines = await exportWorkspaceFindingsCsv(scope, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${findingsExportFileName(scope.workspace.slug)}"`,
        )
        .header('cache-control', 'no-store')
        .send(Readable.from(lines) as unknown as string); // piped as it comes; the types know serialized bodies only
    },
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
