import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Access } from '../../http/access.ts';
import { endSession, requireActor } from '../../http/auth.ts';
import type { App } from '../../http/types.ts';
import { RunView } from '../operation-runs/schemas.ts';
import { getTenantDashboard } from './dashboard.ts';
import {
  CapabilityList,
  Role,
  SessionView,
  SignInBody,
  SignInResult,
  TenantParams,
  TenantView,
  WorkspaceView,
} from './schemas.ts';
import { describeSession, signIn } from './service.ts';

const Count = Type.Integer({ minimum: 0 });
const DashboardView = Type.Object({
  tenant: TenantView,
  workspace: WorkspaceView,
  role: Role,
  capabilities: CapabilityList,
  recent_runs: Type.Array(RunView),
  finding_counts: Type.Object({
    orphaned_accountability: Count,
    owned_unassigned: Count,
    assigned: Count,
    accountability_gap: Count,
    total: Count,
  }),
});

export function registerTenancyRoutes(app: App, deps: { db: Db; access: Access; config: Config }): void {
  const { db, access, config } = deps;

  app.post(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign in with email and password',
        body: SignInBody,
        response: { 200: SignInResult },
      },
      config: {
        rateLimit: {
          max: config.signInRateLimit.max,
          timeWindow: config.signInRateLimit.windowMs,
          hook: 'preHandler',
          keyGenerator: (request) =>
            `${request.ip}|${String((request.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
        },
      },
    },
    (request, reply) => signIn(db, reply, request.body, config.sessionTtlHours),
  );

  app.get(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'The signed-in user, a CSRF token and their workspaces and tenants',
        response: { 200: SessionView },
      },
    },
    async (request, reply) => {
      const actor = await requireActor(db, request);
      return { ...(await describeSession(db, actor)), csrf_token: reply.generateCsrf() };
    },
  );

  app.delete(
    '/api/session',
    { schema: { tags: ['session'], summary: 'Sign out' } },
    async (request, reply) => {
      await endSession(db, reply, await requireActor(db, request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/admin/t/:tenant',
    {
      schema: {
        tags: ['tenants'],
        summary: 'Tenant dashboard',
        params: TenantParams,
        response: { 200: DashboardView },
      },
    },
    async (request) => getTenantDashboard(await access.tenant(request, request.params.tenant, 'tenant.view')),
  );
}
