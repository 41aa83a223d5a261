import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { type App, scopeOf } from '../../routing.ts';
import { WorkspaceParams } from '../tenancy/schemas.ts';
import { AuditPage, AuditQuery } from './schemas.ts';
import { auditExportFileName, exportAuditCsv, listAuditEvents } from './service.ts';

const tags = ['audit'];

export function registerAuditRoutes(app: App): void {
  app.get(
    '/admin/w/:workspace/audit',
    {
      schema: {
        operationId: 'listAuditEvents',
        tags,
        summary: "The workspace's audit log, newest first",
        description:
          'Events of the workspace and account events (sign-ins, password and own-token changes) of its ' +
          'members. With `format=csv` the whole filtered log is streamed as a `text/csv` attachment ' +
          '(`limit` and `cursor` do not apply).',
        params: WorkspaceParams,
        querystring: AuditQuery,
        response: {
          200: {
            description: 'One page of events, or with `format=csv` every matching event as CSV',
            content: {
              'application/json': { schema: AuditPage },
              'text/csv': { schema: Type.String({ description: 'A header row, then one row per event' }) },
            },
          },
        },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer' } },
    },
    async (request, reply) => {
      const scope = scopeOf(request, 'workspace');
      if (request.query.format !== 'csv') return listAuditEvents(scope, request.query);
      const lines = await exportAuditCsv(scope, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${auditExportFileName(scope)}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines) as unknown as string); // piped as it comes; the types know serialized bodies only
    },
  );
}
