import { Type } from 'typebox';
import { type App, recordIdOf, scopeOf } from '../../routing.ts';
import { WorkspaceParams } from '../tenancy/schemas.ts';
import { tenantBodyFields } from './rules.ts';
import {
  TenantCreate,
  TenantUpdate,
  WorkspaceOverview,
  WorkspaceTenant,
  WorkspaceTenantListQuery,
  WorkspaceTenantPage,
  WorkspaceTenantParams,
} from './schemas.ts';
import {
  createWorkspaceTenant,
  getWorkspaceOverview,
  listWorkspaceTenants,
  updateWorkspaceTenant,
} from './service.ts';

const tags = ['workspace tenants'];

/**
 * A refusal of this route's service that its access and schemas do not imply. Thrown, never returned
 * (hence `never`); the OpenAPI hook (http/openapi.ts) gives it the error body like every other refusal.
 */
const conflict = (description: string) => Type.Unsafe<never>({ description });

export function registerWorkspaceTenantRoutes(app: App): void {
  app.get(
    '/admin/w/:workspace',
    {
      schema: {
        operationId: 'getWorkspaceOverview',
        tags,
        summary: "The workspace, the caller's workspace role and capabilities, and its counts",
        params: WorkspaceParams,
        response: { 200: WorkspaceOverview },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request) => getWorkspaceOverview(scopeOf(request, 'workspace')),
  );

  app.get(
    '/admin/w/:workspace/tenants',
    {
      schema: {
        operationId: 'listWorkspaceTenants',
        tags,
        summary: "The workspace's tenants by name, with the caller's own tenant role on each",
        params: WorkspaceParams,
        querystring: WorkspaceTenantListQuery,
        response: { 200: WorkspaceTenantPage },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request) => listWorkspaceTenants(scopeOf(request, 'workspace'), request.query),
  );

  app.post(
    '/admin/w/:workspace/tenants',
    {
      schema: {
        operationId: 'createWorkspaceTenant',
        tags,
        summary: 'Create a tenant; the creating owner gets the tenant owner role on it',
        params: WorkspaceParams,
        body: TenantCreate,
        response: {
          201: WorkspaceTenant,
          409: conflict('Another tenant of the installation already has this external_id or directory_id'),
        },
      },
      config: {
        access: { scope: 'workspace', capability: 'workspace.administer' },
        bodyRules: (body) => tenantBodyFields(body, 'create'),
      },
    },
    async (request, reply) => {
      const tenant = await createWorkspaceTenant(scopeOf(request, 'workspace'), request.body);
      return reply.status(201).send(tenant);
    },
  );

  app.patch(
    '/admin/w/:workspace/tenants/:tenant',
    {
      schema: {
        operationId: 'updateWorkspaceTenant',
        tags,
        summary: 'Change, archive or restore a tenant (absent = unchanged, null = clear)',
        params: WorkspaceTenantParams,
        body: TenantUpdate,
        response: {
          200: WorkspaceTenant,
          409: conflict(
            'The tenant is archived and the request does not restore it, or another tenant has this directory_id',
          ),
        },
      },
      config: {
        access: { scope: 'workspace', capability: 'workspace.administer', record: 'workspace_tenant' },
        bodyRules: (body) => tenantBodyFields(body, 'update'),
      },
    },
    async (request) =>
      updateWorkspaceTenant(scopeOf(request, 'workspace'), recordIdOf(request), request.body),
  );
}
