import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TenantScope } from '../../core/scopes.ts';
import { type App, recordIdOf, scopeOf } from '../../routing.ts';
import {
  type FollowThroughContext,
  getSupportRequestDetail,
  handOffAgain,
  linkTicket,
} from './follow-through.ts';
import type { HandoffDeps } from './handoff-call.ts';
import { linkRuleFields } from './rules.ts';
import { LinkTicketBody, SupportRequestDetail, SupportRequestParams } from './schemas.ts';

const tags = ['support requests'];

/** A refusal of the service that access and schemas do not imply: thrown, never returned (http/openapi.ts). */
const refusal = (description: string) => Type.Unsafe<never>({ description });

/** The actions show only where the server would take them: the capability, and a tenant not archived. */
function followThroughContext(scope: TenantScope): FollowThroughContext {
  return {
    ...scope,
    runId: null,
    mayAct: scope.capabilities.includes('support_requests.create') && !scope.tenant.archived,
  };
}

/** docs/rules.md "Support requests", follow-through: one request's detail, linking a ticket, handing off again. */
export function registerFollowThroughRoutes(
  app: App,
  handoffDeps: (request: FastifyRequest, reply: FastifyReply) => HandoffDeps,
): void {
  app.get(
    '/admin/t/:tenant/support-requests/:id',
    {
      schema: {
        operationId: 'getSupportRequest',
        tags,
        summary: 'One support request, with every handoff attempt and the follow-through it allows',
        params: SupportRequestParams,
        response: { 200: SupportRequestDetail },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view', record: 'support_request' } },
    },
    async (request) =>
      getSupportRequestDetail(followThroughContext(scopeOf(request, 'tenant')), recordIdOf(request)),
  );

  app.post(
    '/admin/t/:tenant/support-requests/:id/actions/link',
    {
      schema: {
        operationId: 'linkSupportRequestTicket',
        tags,
        summary: 'Link an existing desk ticket to a request that is internal only or whose handoff failed',
        params: SupportRequestParams,
        body: LinkTicketBody,
        response: {
          200: SupportRequestDetail,
          409: refusal('The request already has a ticket, or a handoff of it is in flight'),
        },
      },
      config: {
        access: { scope: 'tenant', capability: 'support_requests.create', record: 'support_request' },
        bodyRules: linkRuleFields,
      },
    },
    async (request) =>
      linkTicket(followThroughContext(scopeOf(request, 'tenant')), recordIdOf(request), request.body),
  );

  app.post(
    '/admin/t/:tenant/support-requests/:id/actions/hand-off-again',
    {
      schema: {
        operationId: 'handOffSupportRequestAgain',
        tags,
        summary:
          'One more desk handoff of a failed "create a ticket" request, under the same SR reference; a desk ' +
          'that can be searched by it is searched first, so a ticket an earlier attempt made is linked, not made twice',
        params: SupportRequestParams,
        response: {
          200: SupportRequestDetail,
          409: refusal('The request is not a failed create, or a handoff of it is already in flight'),
        },
      },
      config: {
        access: { scope: 'tenant', capability: 'support_requests.create', record: 'support_request' },
      },
    },
    async (request, reply) =>
      handOffAgain(
        followThroughContext(scopeOf(request, 'tenant')),
        handoffDeps(request, reply),
        recordIdOf(request),
      ),
  );
}
