import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { notFound } from '../../core/errors.ts';
import type { RunScope, TenantScope } from '../../core/scopes.ts';
import type { SupportDesk } from '../../desks/desk.ts';
import { type App, scopeOf } from '../../routing.ts';
import { RunParams } from '../operation-runs/schemas.ts';
import { TenantParams } from '../tenancy/schemas.ts';
import { registerDeskSettingsRoutes } from './desk-settings-routes.ts';
import { registerFollowThroughRoutes } from './follow-through-routes.ts';
import { handoffDeadlineOf } from './handoff-call.ts';
import { submissionRuleFields } from './rules.ts';
import {
  LatestSummaryOrNull,
  SupportDeskView,
  SupportRequestHandoffResult,
  SupportRequestHandoffSubmission,
  SupportRequestListQuery,
  SupportRequestPage,
} from './schemas.ts';
import {
  getLatestSupportRequest,
  type HandoffDeps,
  listSupportRequests,
  type SupportContext,
  submitSupportRequest,
} from './service.ts';

export interface SupportRequestRouteDeps {
  config: Config;
  /** The installation's one desk, or null when none is configured. */
  desk: SupportDesk | null;
}

const tags = ['support requests'];

const tenantContext = (scope: TenantScope): SupportContext => ({ ...scope, runId: null });

/** A run without a tenant can never be the context of a support request (docs/rules.md "Access"). */
function runContext(scope: RunScope): SupportContext {
  if (!scope.tenant) throw notFound();
  return {
    db: scope.db,
    actor: scope.actor,
    clientAddress: scope.clientAddress,
    workspace: scope.workspace,
    tenant: scope.tenant,
    runId: scope.runId,
  };
}

export function registerSupportRequestRoutes(app: App, deps: SupportRequestRouteDeps): void {
  const { config, desk } = deps;
  const budgetMs = config.desk?.timeoutMs ?? config.deskTimeoutMs;
  const handoffDeps = (request: FastifyRequest, reply: FastifyReply): HandoffDeps => {
    const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
    return {
      desk,
      budgetMs,
      deskDeadline: handoffDeadlineOf(budgetMs, reply.elapsedTime),
      secrets: [config.desk?.apiToken ?? null, config.desk?.secret ?? null],
      linkTo: (tenant, id) => `${base}/admin/t/${encodeURIComponent(tenant)}/support-requests/${id}`,
    };
  };
  const submit = { body: SupportRequestHandoffSubmission, response: { 200: SupportRequestHandoffResult } };

  app.post(
    '/admin/t/:tenant/support-requests/actions/submit',
    {
      schema: {
        operationId: 'submitTenantSupportRequest',
        tags,
        summary: 'Submit a tenant-context support request',
        params: TenantParams,
        ...submit,
      },
      config: {
        access: { scope: 'tenant', capability: 'support_requests.create' },
        bodyRules: submissionRuleFields,
      },
    },
    async (request, reply) =>
      submitSupportRequest(
        tenantContext(scopeOf(request, 'tenant')),
        handoffDeps(request, reply),
        request.body,
      ),
  );

  app.post(
    '/admin/operations/:run/support-requests/actions/submit',
    {
      schema: {
        operationId: 'submitRunSupportRequest',
        tags,
        summary: 'Submit a run-context support request',
        params: RunParams,
        ...submit,
      },
      config: {
        access: { scope: 'run', capability: 'support_requests.create' },
        bodyRules: submissionRuleFields,
      },
    },
    async (request, reply) =>
      submitSupportRequest(runContext(scopeOf(request, 'run')), handoffDeps(request, reply), request.body),
  );

  app.get(
    '/admin/t/:tenant/support-requests',
    {
      schema: {
        operationId: 'listSupportRequests',
        tags,
        summary: "A tenant's support requests, both contexts, newest first",
        params: TenantParams,
        querystring: SupportRequestListQuery,
        response: { 200: SupportRequestPage },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view' } },
    },
    async (request) => listSupportRequests(tenantContext(scopeOf(request, 'tenant')), request.query),
  );

  app.get(
    '/admin/t/:tenant/support-requests/latest',
    {
      schema: {
        operationId: 'getLatestTenantSupportRequest',
        tags,
        summary: "The newest tenant-context support request's summary, or null",
        params: TenantParams,
        response: { 200: LatestSummaryOrNull },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view' } },
    },
    async (request) => getLatestSupportRequest(tenantContext(scopeOf(request, 'tenant'))),
  );

  app.get(
    '/admin/operations/:run/support-requests/latest',
    {
      schema: {
        operationId: 'getLatestRunSupportRequest',
        tags,
        summary: "The newest support request's summary for this run, or null",
        params: RunParams,
        response: { 200: LatestSummaryOrNull },
      },
      config: { access: { scope: 'run', capability: 'tenant.view' } },
    },
    async (request) => getLatestSupportRequest(runContext(scopeOf(request, 'run'))),
  );

  app.get(
    '/admin/support-desk',
    {
      schema: {
        operationId: 'getSupportDesk',
        tags,
        summary: 'Whether an external desk can take tickets, and which',
        response: { 200: SupportDeskView },
      },
      config: { access: { scope: 'actor' } },
    },
    async () => {
      return {
        // Offered only when it can be called at all; missing credentials are for `tenantpilot desk check`.
        target_available: desk !== null && Boolean(config.desk?.url),
        provider: config.desk?.provider ?? null,
        display_name: desk?.displayName ?? null,
      };
    },
  );

  registerFollowThroughRoutes(app, handoffDeps);
  registerDeskSettingsRoutes(app, { config, desk });
}
