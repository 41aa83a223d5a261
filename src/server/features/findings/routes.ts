import type { Db } from '../../db/client.ts';
import { type Access, parseId } from '../../http/access.ts';
import { notFound } from '../../http/errors.ts';
import { PageQuery } from '../../http/pagination.ts';
import type { App } from '../../http/types.ts';
import { nulCharacterFields } from '../../http/validation.ts';
import { TenantParams } from '../tenancy/schemas.ts';
import { decideException, requestException } from './exceptions.ts';
import { updateResponsibility } from './responsibility.ts';
import type { Decision } from './rules.ts';
import {
  DecisionBody,
  DecisionResult,
  ExceptionParams,
  ExceptionRequestBody,
  ExceptionRequestResult,
  errorResponses,
  FindingDetailSurface,
  FindingListQuery,
  FindingListSurface,
  FindingParams,
  HistoryPage,
  MyWorkPage,
  MyWorkQuery,
  ResponsibilityResult,
  ResponsibilityUpdate,
} from './schemas.ts';
import { getFinding, getFindingHistory, listFindings, listMyWork } from './service.ts';

const tags = ['findings'];

export function registerFindingRoutes(app: App, deps: { db: Db; access: Access }): void {
  const { db, access } = deps;
  const finding = (
    request: Parameters<Access['finding']>[0],
    params: { tenant: string; finding: string },
    capability: Parameters<Access['finding']>[3],
  ) => access.finding(request, params.tenant, params.finding, capability);

  app.get(
    '/admin/t/:tenant/findings',
    {
      schema: {
        tags,
        summary: "The tenant's findings with responsibility, filtered and sorted, keyset paginated",
        params: TenantParams,
        querystring: FindingListQuery,
        response: { 200: FindingListSurface, ...errorResponses },
      },
    },
    async (request) =>
      listFindings(await access.tenant(request, request.params.tenant, 'tenant.view'), request.query),
  );

  app.get(
    '/admin/t/:tenant/findings/:finding',
    {
      schema: {
        tags,
        summary: 'One finding with owner, assignee and exceptions',
        params: FindingParams,
        response: { 200: FindingDetailSurface, ...errorResponses },
      },
    },
    async (request) => getFinding(await finding(request, request.params, 'tenant.view')),
  );

  app.get(
    '/admin/t/:tenant/findings/:finding/history',
    {
      schema: {
        tags,
        summary: "The finding's audit events, newest first",
        params: FindingParams,
        querystring: PageQuery,
        response: { 200: HistoryPage, ...errorResponses },
      },
    },
    async (request) =>
      getFindingHistory(await finding(request, request.params, 'tenant.view'), request.query),
  );

  app.post(
    '/admin/t/:tenant/findings/:finding/responsibility',
    {
      schema: {
        tags,
        summary: 'Set or clear owner and assignee (absent = unchanged, null = clear)',
        params: FindingParams,
        body: ResponsibilityUpdate,
        response: { 200: ResponsibilityResult, ...errorResponses },
      },
    },
    async (request) =>
      updateResponsibility(await finding(request, request.params, 'findings.assign'), request.body),
  );

  app.post(
    '/admin/t/:tenant/findings/:finding/exception-request',
    {
      schema: {
        tags,
        summary: 'Request a risk exception with its own exception owner; the finding owner stays',
        params: FindingParams,
        body: ExceptionRequestBody,
        response: { 200: ExceptionRequestResult, ...errorResponses },
      },
    },
    async (request) =>
      requestException(await finding(request, request.params, 'finding_exceptions.request'), request.body),
  );

  for (const decision of ['approve', 'reject', 'revoke'] as const satisfies readonly Decision[]) {
    app.post(
      `/admin/t/:tenant/findings/:finding/exceptions/:exception/actions/${decision}`,
      {
        schema: {
          tags,
          summary: `${decision[0]?.toUpperCase()}${decision.slice(1)} an exception (owner role)`,
          params: ExceptionParams,
          body: DecisionBody,
          response: { 200: DecisionResult, ...errorResponses },
        },
        // The body is optional (a bare POST decides without a note): validate it as {} then.
        preValidation: async (request) => {
          request.body ??= {};
        },
        config: { bodyRules: (body) => nulCharacterFields(body, ['note']) },
      },
      async (request) => {
        const scope = await finding(request, request.params, 'finding_exceptions.decide');
        const exceptionId = parseId(request.params.exception);
        if (exceptionId === null) throw notFound();
        return decideException(scope, exceptionId, decision, request.body?.note);
      },
    );
  }

  app.get(
    '/admin/my-work',
    {
      schema: {
        tags,
        summary: 'Findings I own or am assigned, across my tenants, newest first',
        querystring: MyWorkQuery,
        response: { 200: MyWorkPage, ...errorResponses },
      },
    },
    async (request) => listMyWork(db, await access.actor(request), request.query),
  );
}
