import type { Access } from '../../http/access.ts';
import type { App } from '../../http/types.ts';
import { TenantParams } from '../tenancy/schemas.ts';
import { RunDetailView, RunListQuery, RunPage, RunParams } from './schemas.ts';
import { getRun, listRuns } from './service.ts';

export function registerRunRoutes(app: App, access: Access): void {
  app.get(
    '/admin/t/:tenant/operations',
    {
      schema: {
        tags: ['operation runs'],
        summary: "A tenant's operation runs, newest first",
        params: TenantParams,
        querystring: RunListQuery,
        response: { 200: RunPage },
      },
    },
    async (request) =>
      listRuns(await access.tenant(request, request.params.tenant, 'tenant.view'), request.query),
  );

  app.get(
    '/admin/operations/:run',
    {
      schema: {
        tags: ['operation runs'],
        summary: 'One operation run',
        params: RunParams,
        response: { 200: RunDetailView },
      },
    },
    async (request) => getRun(await access.run(request, request.params.run, 'tenant.view')),
  );
}
