import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { SupportDesk } from '../../desks/desk.ts';
import { type Access, parseId, type RunScope, type TenantScope } from '../../http/access.ts';
import { notFound } from '../../http/errors.ts';
import type { App } from '../../http/types.ts';
import { RunParams } from '../operation-runs/schemas.ts';
import { TenantParams } from '../tenancy/schemas.ts';
import { submissionRuleFields } from './rules.ts';
import {
  LatestSummaryOrNull,
  SupportDeskView,
  SupportRequestHandoffResult,
  SupportRequestHandoffSubmission,
  SupportRequestListQuery,
  SupportRequestPage,
  SupportRequestParams,
  SupportRequestView,
} from './schemas.ts';
import {
  getLatestSupportRequest,
  getSupportRequest,
  type HandoffDeps,
  listSupportRequests,
  type SupportContext,
  submitSupportRequest,
} from './service.ts';

export interface SupportRequestRouteDeps {
  access: Access;
  config: Config;
  /** The installation's one desk, or null when none is configured. */
  desk: SupportDesk | null;
}

const tags = ['support requests'];

const tenantContext = (scope: TenantScope): SupportContext => ({ ...scope, runId: null });

/** A run without a tenant can never be the context of a support request (PRODUCT.md section 2). */
function runContext(scope: RunScope): SupportContext {
  if (!scope.tenant) throw notFound();
  return {
    db: scope.db,
    actor: scope.actor,
    workspace: scope.workspace,
    tenant: scope.tenant,
    runId: scope.runId,
  };
}

export function registerSupportRequestRoutes(app: App, deps: SupportRequestRouteDeps): void {
  const { access, config, desk } = deps;
  const budgetMs = config.desk?.timeoutMs ?? config.deskTimeoutMs;
  const handoffDeps = (request: FastifyRequest): HandoffDeps => {
    const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
    return {
      desk,
      budgetMs,
      secrets: [config.desk?.apiToken ?? null, config.desk?.secret ?? null],
      linkTo: (tenant, id) => `${base}/admin/t/${encodeURIComponent(tenant)}/support-requests/${id}`,
    };
  };
  const submit = { body: SupportRequestHandoffSubmission, response: { 200: SupportRequestHandoffResult } };

  app.post(
    '/admin/t/:tenant/support-requests/actions/submit',
    {
      schema: { tags, summary: 'Submit a tenant-context support request', params: TenantParams, ...submit },
      config: { bodyRules: submissionRuleFields },
    },
    async (request) => {
      const scope = await access.tenant(request, request.params.tenant, 'support_requests.create');
      return submitSupportRequest(tenantContext(scope), handoffDeps(request), request.body);
    },
  );

  app.post(
    '/admin/operations/:run/support-requests/actions/submit',
    {
      schema: { tags, summary: 'Submit a run-context support request', params: RunParams, ...submit },
      config: { bodyRules: submissionRuleFields },
    },
    async (request) => {
      const scope = await access.run(request, request.params.run, 'support_requests.create');
      return submitSupportRequest(runContext(scope), handoffDeps(request), request.body);
    },
  );

  app.get(
    '/admin/t/:tenant/support-requests',
    {
      schema: {
        tags,
        summary: "A tenant's support requests, both contexts, newest first",
        params: TenantParams,
        querystring: SupportRequestListQuery,
        response: { 200: SupportRequestPage },
      },
    },
    async (request) => {
      const scope = await access.tenant(request, request.params.tenant, 'tenant.view');
      return listSupportRequests(tenantContext(scope), request.query);
    },
  );

  app.get(
    '/admin/t/:tenant/support-requests/latest',
    {
      schema: {
        tags,
        summary: "The newest tenant-context support request's summary, or null",
        params: TenantParams,
        response: { 200: LatestSummaryOrNull },
      },
    },
    async (request) =>
      getLatestSupportRequest(
        tenantContext(await access.tenant(request, request.params.tenant, 'tenant.view')),
      ),
  );

  app.get(
    '/admin/t/:tenant/support-requests/:id',
    {
      schema: {
        tags,
        summary: 'One support request',
        params: SupportRequestParams,
        response: { 200: SupportRequestView },
      },
    },
    async (request) => {
      const scope = await access.tenant(request, request.params.tenant, 'tenant.view');
      return getSupportRequest(tenantContext(scope), parseId(request.params.id));
    },
  );

  app.get(
    '/admin/operations/:run/support-requests/latest',
    {
      schema: {
        tags,
        summary: "The newest support request's summary for this run, or null",
        params: RunParams,
        response: { 200: LatestSummaryOrNull },
      },
    },
    async (request) =>
      getLatestSupportRequest(runContext(await access.run(request, request.params.run, 'tenant.view'))),
  );

  app.get(
    '/admin/support-desk',
    {
      schema: {
        tags,
        summary: 'Whether an external desk can take tickets, and which',
        response: { 200: SupportDeskView },
      },
    },
    async (request) => {
      await access.actor(request);
      return {
        // Offered only when it can be called at all; missing credentials are for `tenantpilot desk check`.
        target_available: desk !== null && Boolean(config.desk?.url),
        provider: config.desk?.provider ?? null,
        display_name: desk?.displayName ?? null,
      };
    },
  );
}
