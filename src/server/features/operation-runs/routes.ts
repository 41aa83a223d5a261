import { type App, scopeOf } from '../../routing.ts';
import { TenantParams } from '../tenancy/schemas.ts';
import { RunDetailView, RunListQuery, RunPage, RunParams } from './schemas.ts';
import { getRun, listRuns } from './service.ts';

export function registerRunRoutes(app: App): void {
  app.get(
    '/admin/t/:tenant/operations',
    {
      schema: {
        operationId: 'listTenantRuns',
        tags: ['operation runs'],
        summary: "A tenant's operation runs, newest first",
        params: TenantParams,
        querystring: RunListQuery,
        response: { 200: RunPage },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view' } },
    },
    async (request) => listRuns(scopeOf(request, 'tenant'), request.query),
  );

  app.get(
    '/admin/operations/:run',
    {
      schema: {
        operationId: 'getRun',
        tags: ['operation runs'],
        summary: 'One operation run',
        params: RunParams,
        response: { 200: RunDetailView },
      },
      config: { access: { scope: 'run', capability: 'tenant.view' } },
    },
    async (request) => getRun(scopeOf(request, 'run')),
  );
}
