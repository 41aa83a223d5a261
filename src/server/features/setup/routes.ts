import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { invalidFields } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import type { App } from '../../routing.ts';
import { setSessionCookie } from '../tenancy/session-cookie.ts';
import { setupRuleFields } from './rules.ts';
import { SetupBody, SetupParams, SetupResult, SetupTokenView } from './schemas.ts';
import { checkSetupToken, completeSetup } from './service.ts';

const tags = ['setup'];
const gone = Type.Unsafe<never>({
  description: 'The link was used, or TenantPilot is already set up (someone has an account)',
});

/**
 * First run (docs/rules.md "Administration"): the one-time link `tenantpilot serve` prints on a database
 * with no user. Public: nobody can be signed in yet. The token is judged before the body (404, 410,
 * then 422), so a stale or guessed link learns nothing from a form.
 */
export function registerSetupRoutes(app: App, deps: { db: Db; config: Config }): void {
  const { db, config } = deps;

  app.get(
    '/setup/:token',
    {
      schema: {
        operationId: 'getSetupLink',
        tags,
        summary: 'Whether a first-run setup link can still be used',
        params: SetupParams,
        response: { 200: SetupTokenView, 410: gone },
      },
      config: { access: { scope: 'public' } },
    },
    async (request) => checkSetupToken(db, request.params.token),
  );

  app.post(
    '/setup/:token',
    {
      schema: {
        operationId: 'completeSetup',
        tags,
        summary: 'Create the first workspace and its owner, and sign the owner in',
        params: SetupParams,
        body: SetupBody,
        response: { 201: SetupResult, 410: gone },
      },
      attachValidation: true,
      config: { access: { scope: 'public' } },
    },
    async (request, reply) => {
      await checkSetupToken(db, request.params.token);
      if (request.validationError) throw request.validationError;
      const rules = setupRuleFields(request.body);
      if (Object.keys(rules).length > 0) throw invalidFields(rules);
      const { result, session } = await completeSetup(db, {
        token: request.params.token,
        body: request.body,
        clientAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        sessionTtlHours: config.sessionTtlHours,
      });
      setSessionCookie(reply, session);
      return reply.status(201).send(result);
    },
  );
}
