import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { type App, scopeOf } from '../../routing.ts';
import { LockedOutRefusal } from '../account/schemas.ts';
import { signIn, signOut, withRetryAfter } from '../account/sign-in.ts';
import { refusePasswordSignIn } from '../oidc/service.ts';
import { getTenantDashboard } from './dashboard.ts';
import { DashboardView } from './dashboard-schema.ts';
import { SessionView, SignInBody, SignInResult, TenantParams } from './schemas.ts';
import { describeSession } from './service.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';

export function registerTenancyRoutes(app: App, deps: { db: Db; config: Config }): void {
  const { db, config } = deps;

  app.post(
    '/api/session',
    {
      schema: {
        operationId: 'signIn',
        tags: ['session'],
        summary: 'Sign in with email and password, and a code when you have an authenticator',
        description:
          'A person with an authenticator (TOTP) also sends `totp_code` or `recovery_code`; without one the ' +
          'answer is 401 `second_factor_required` and no session is set (ask for the code, send all again).',
        body: SignInBody,
        response: {
          200: SignInResult,
          // Thrown by signIn, never returned; http/openapi.ts gives it the error body.
          401: Type.Unsafe<never>({
            description:
              'The email or password is wrong, or the user is inactive (`unauthenticated`); the password is ' +
              'right and a second factor is needed (`second_factor_required`); the code is wrong or used',
          }),
          403: Type.Unsafe<never>({
            description: 'OIDC_REQUIRED: password sign-in is off for everyone but the first-run owner',
          }),
          429: LockedOutRefusal,
        },
      },
      // Failed attempts are counted by account/attempt-limit.ts, in the database: a success never counts.
      config: { access: { scope: 'public' } },
    },
    async (request, reply) => {
      await refusePasswordSignIn(db, config.oidc, request.body.email);
      const context = {
        clientAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        ttlHours: config.sessionTtlHours,
        limit: config.signInRateLimit,
      };
      const { session, view } = await withRetryAfter(reply, signIn(db, request.body, context));
      setSessionCookie(reply, session);
      return view;
    },
  );

  app.get(
    '/api/session',
    {
      schema: {
        operationId: 'getSession',
        tags: ['session'],
        summary: 'The signed-in user, a CSRF token and their workspaces and tenants',
        response: { 200: SessionView },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request, reply) => {
      const { actor } = scopeOf(request, 'actor');
      return { ...(await describeSession(db, actor)), csrf_token: reply.generateCsrf() };
    },
  );

  app.delete(
    '/api/session',
    {
      schema: {
        operationId: 'signOut',
        tags: ['session'],
        summary: 'Sign out',
        response: {
          // No body: `undefined` to the handler's types, `type: null` so the document lists no content.
          204: Type.Unsafe<undefined>({
            type: 'null',
            description: 'Signed out; the session cookie is cleared',
          }),
        },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request, reply) => {
      const { actor, clientAddress } = scopeOf(request, 'actor');
      await signOut(db, actor, clientAddress);
      clearSessionCookie(reply);
      return reply.status(204).send();
    },
  );

  app.get(
    '/admin/t/:tenant',
    {
      schema: {
        operationId: 'getTenantDashboard',
        tags: ['tenants'],
        summary: 'Tenant dashboard',
        params: TenantParams,
        response: { 200: DashboardView },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view' } },
    },
    async (request) => getTenantDashboard(scopeOf(request, 'tenant')),
  );
}
