import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { PageQuery } from '../../core/pagination.ts';
import { nulCharacterFields } from '../../core/text-rules.ts';
import { type App, recordIdOf, scopeOf } from '../../routing.ts';
import { TenantParams } from '../tenancy/schemas.ts';
import { bulkBodyRules, bulkCapabilities, bulkChangeFindings, countMatchingFindings } from './bulk.ts';
import { exportFindingsCsv, findingsExportFileName } from './csv-export.ts';
import { decideException, requestException } from './exceptions.ts';
import { updateResponsibility } from './responsibility.ts';
import type { Decision } from './rules.ts';
import {
  BulkChangeBody,
  BulkChangeResult,
  DecisionBody,
  DecisionResult,
  ExceptionParams,
  ExceptionRequestBody,
  ExceptionRequestResult,
  FindingCount,
  FindingDetailSurface,
  FindingListFilters,
  FindingListQuery,
  FindingListSurface,
  FindingParams,
  FindingPeople,
  HistoryPage,
  MyWorkPage,
  MyWorkQuery,
  ResponsibilityResult,
  ResponsibilityUpdate,
  StatusChange,
  StatusChangeResult,
} from './schemas.ts';
import { getFinding, getFindingHistory, listFindingPeopleOf, listFindings, listMyWork } from './service.ts';
import { changeWorkflowStatus } from './status.ts';

const tags = ['findings'];

/**
 * A refusal of this route's service that its access and schemas do not imply. Thrown, never returned
 * (hence `never`); the OpenAPI hook (http/openapi.ts) gives it the error body like every other refusal.
 */
const conflict = (description: string) => Type.Unsafe<never>({ description });

export function registerFindingRoutes(app: App): void {
  app.get(
    '/admin/t/:tenant/findings',
    {
      schema: {
        operationId: 'listFindings',
        tags,
        summary: "The tenant's findings with responsibility, filtered and sorted, keyset paginated",
        description:
          'Open findings unless `workflow_status` says otherwise. With `format=csv` every matching finding is ' +
          'streamed as a `text/csv` attachment in the same sort (`limit` and `cursor` do not apply).',
        params: TenantParams,
        querystring: FindingListQuery,
        response: {
          200: {
            description: 'One page of findings, or with `format=csv` every matching finding as CSV',
            content: {
              'application/json': { schema: FindingListSurface },
              'text/csv': { schema: Type.String({ description: 'A header row, then one row per finding' }) },
            },
          },
        },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view', readsListGeneration: true } },
    },
    async (request, reply) => {
      const scope = scopeOf(request, 'tenant');
      if (request.query.format !== 'csv') {
        const serialize = reply.getSerializationFunction('200', 'application/json');
        if (serialize === undefined) throw new Error('the findings list declares its JSON answer');
        const body = await listFindings(scope, request.query, serialize);
        return reply.type('application/json; charset=utf-8').send(body);
      }
      const lines = await exportFindingsCsv(scope, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${findingsExportFileName(scope.tenant.externalId)}"`,
        )
        .header('cache-control', 'no-store')
        .send(Readable.from(lines) as unknown as string); // piped as it comes; the types know serialized bodies only
    },
  );

  app.get(
    '/admin/t/:tenant/findings/count',
    {
      schema: {
        operationId: 'countFindings',
        tags,
        summary: 'How many findings the list filters match, up to the 10,000 a bulk change takes',
        params: TenantParams,
        querystring: FindingListFilters,
        response: { 200: FindingCount },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view' } },
    },
    async (request) => countMatchingFindings(scopeOf(request, 'tenant'), request.query),
  );

  app.get(
    '/admin/t/:tenant/findings/people',
    {
      schema: {
        operationId: 'listFindingPeople',
        tags,
        summary:
          'Everyone who owns or is assigned a finding of the tenant (former members too), for the filters',
        params: TenantParams,
        response: { 200: FindingPeople },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view' } },
    },
    async (request) => listFindingPeopleOf(scopeOf(request, 'tenant')),
  );

  app.get(
    '/admin/t/:tenant/findings/:finding',
    {
      schema: {
        operationId: 'getFinding',
        tags,
        summary: 'One finding with owner, assignee and exceptions',
        params: FindingParams,
        response: { 200: FindingDetailSurface },
      },
      config: { access: { scope: 'finding', capability: 'tenant.view' } },
    },
    async (request) => getFinding(scopeOf(request, 'finding')),
  );

  app.get(
    '/admin/t/:tenant/findings/:finding/history',
    {
      schema: {
        operationId: 'getFindingHistory',
        tags,
        summary: "The finding's audit events, newest first",
        params: FindingParams,
        querystring: PageQuery,
        response: { 200: HistoryPage },
      },
      config: { access: { scope: 'finding', capability: 'tenant.view' } },
    },
    async (request) => getFindingHistory(scopeOf(request, 'finding'), request.query),
  );

  app.post(
    '/admin/t/:tenant/findings/:finding/responsibility',
    {
      schema: {
        operationId: 'updateFindingResponsibility',
        tags,
        summary: 'Set or clear owner and assignee (absent = unchanged, null = clear)',
        params: FindingParams,
        body: ResponsibilityUpdate,
        response: { 200: ResponsibilityResult },
      },
      config: { access: { scope: 'finding', capability: 'findings.assign' } },
    },
    async (request) => updateResponsibility(scopeOf(request, 'finding'), request.body),
  );

  app.post(
    '/admin/t/:tenant/findings/actions/bulk',
    {
      schema: {
        operationId: 'bulkChangeFindings',
        tags,
        summary:
          'Set owner, assignee and/or workflow status of up to 1,000 findings by id, or of every finding a filter matches (at most 10,000)',
        params: TenantParams,
        body: BulkChangeBody,
        response: { 200: BulkChangeResult },
      },
      config: {
        access: { scope: 'tenant', capability: bulkCapabilities },
        bodyRules: bulkBodyRules,
      },
    },
    async (request) => bulkChangeFindings(scopeOf(request, 'tenant'), request.body),
  );

  app.post(
    '/admin/t/:tenant/findings/:finding/status',
    {
      schema: {
        operationId: 'changeFindingStatus',
        tags,
        summary:
          'Move the finding through its workflow (triage, start, resolve, close, reopen) with an optional note',
        params: FindingParams,
        body: StatusChange,
        response: {
          200: StatusChangeResult,
          409: conflict(
            'The status is not reachable from the effective one (or an exception holds the finding)',
          ),
        },
      },
      config: {
        access: { scope: 'finding', capability: 'findings.triage' },
        bodyRules: (body) => nulCharacterFields(body, ['note']),
      },
    },
    async (request) => changeWorkflowStatus(scopeOf(request, 'finding'), request.body),
  );

  app.post(
    '/admin/t/:tenant/findings/:finding/exception-request',
    {
      schema: {
        operationId: 'requestFindingException',
        tags,
        summary: 'Request a risk exception with its own exception owner; the finding owner stays',
        params: FindingParams,
        body: ExceptionRequestBody,
        response: {
          200: ExceptionRequestResult,
          409: conflict('The finding already has a pending or approved, unexpired exception'),
        },
      },
      config: { access: { scope: 'finding', capability: 'finding_exceptions.request' } },
    },
    async (request) => requestException(scopeOf(request, 'finding'), request.body),
  );

  for (const decision of ['approve', 'reject', 'revoke'] as const satisfies readonly Decision[]) {
    app.post(
      `/admin/t/:tenant/findings/:finding/exceptions/:exception/actions/${decision}`,
      {
        schema: {
          operationId: `${decision}FindingException`,
          tags,
          summary: `${decision[0]?.toUpperCase()}${decision.slice(1)} an exception (owner role)`,
          params: ExceptionParams,
          body: DecisionBody,
          response: {
            200: DecisionResult,
            409: conflict(
              decision === 'revoke'
                ? 'The exception is not approved and unexpired'
                : decision === 'approve'
                  ? 'The exception is no longer pending, or its finding is no longer open'
                  : 'The exception is no longer pending',
            ),
          },
        },
        // The body is optional (a bare POST decides without a note): validate it as {} then.
        preValidation: async (request) => {
          request.body ??= {};
        },
        config: {
          access: { scope: 'finding', capability: 'finding_exceptions.decide', record: 'exception' },
          bodyRules: (body) => nulCharacterFields(body, ['note']),
        },
      },
      async (request) => {
        return decideException(
          scopeOf(request, 'finding'),
          recordIdOf(request),
          decision,
          request.body?.note,
        );
      },
    );
  }

  app.get(
    '/admin/my-work',
    {
      schema: {
        operationId: 'listMyWork',
        tags,
        summary: 'Findings I own or am assigned, across my tenants, newest first',
        querystring: MyWorkQuery,
        response: { 200: MyWorkPage },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => {
      const { db, actor } = scopeOf(request, 'actor');
      return listMyWork(db, actor, request.query);
    },
  );
}
