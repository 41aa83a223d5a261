import type { Readable } from 'node:stream';
import { AppError } from '../../core/errors.ts';
import { type App, scopeOf } from '../../routing.ts';
import { TenantParams, WorkspaceParams } from '../tenancy/schemas.ts';
import { MAX_IMPORT_BYTES, tooLarge } from './read-json.ts';
import { ImportFile, ImportResult } from './schemas.ts';
import { importIntoTenant, importIntoWorkspace } from './service.ts';

const tags = ['imports'];

/**
 * The body as it arrives: the access pipeline judges the request (401, 404, 403) before a byte of the file is
 * read, and the readers stream it. A declared length over the limit is refused without reading.
 */
function fileOf(request: { headers: Record<string, unknown>; body: unknown }): AsyncIterable<Buffer> {
  const length = Number(request.headers['content-length']);
  if (Number.isFinite(length) && length > MAX_IMPORT_BYTES) throw tooLarge();
  const body = request.body as Readable | undefined;
  if (!body || typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] !== 'function') {
    throw new AppError('invalid', 'Send the file as the request body', { $: 'is required' });
  }
  return body;
}

const responses = { 200: ImportResult, 201: ImportResult };

/** docs/rules.md "Imports": POST a Maester, ScubaGear or tenantpilot.results.v1 file to a tenant or a workspace. */
export function registerImportRoutes(app: App): void {
  app.register(async (scope: App) => {
    // JSON bodies of these two routes are handed over unread, as a stream (the parser of every other route
    // reads a whole body into memory, up to 1 MiB).
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { bodyLimit: MAX_IMPORT_BYTES },
      (_request, payload, done) => done(null, payload),
    );

    scope.post(
      '/admin/t/:tenant/imports',
      {
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          operationId: 'importTenantResults',
          tags,
          summary:
            "Import an assessment's results into the tenant: a run, and findings created, reopened or resolved",
          params: TenantParams,
          body: ImportFile,
          response: responses,
        },
        config: { access: { scope: 'tenant', capability: 'findings.import' } },
      },
      async (request, reply) => {
        const { status, body } = await importIntoTenant(scopeOf(request, 'tenant'), fileOf(request));
        return reply.status(status).send(body);
      },
    );

    scope.post(
      '/admin/w/:workspace/imports',
      {
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          operationId: 'importWorkspaceResults',
          tags,
          summary: "Import results into the workspace's tenants, each part routed by its directory id",
          params: WorkspaceParams,
          body: ImportFile,
          response: responses,
        },
        config: { access: { scope: 'workspace', capability: 'workspace.view' } },
      },
      async (request, reply) => {
        const { status, body } = await importIntoWorkspace(scopeOf(request, 'workspace'), fileOf(request));
        return reply.status(status).send(body);
      },
    );
  });
}
