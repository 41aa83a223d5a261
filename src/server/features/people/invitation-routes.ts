import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { App } from '../../routing.ts';
import { LockedOutRefusal } from '../account/schemas.ts';
import { withRetryAfter } from '../account/sign-in.ts';
import { refusePasswordAcceptance } from '../oidc/service.ts';
import { setSessionCookie } from '../tenancy/session-cookie.ts';
import { acceptInvitation, describeInvitation } from './acceptance.ts';
import { AcceptInvitationBody, AcceptInvitationResult, InvitationParams, InvitationView } from './schemas.ts';

const tags = ['invitations'];
const refusal = (description: string) => Type.Unsafe<never>({ description });
const GONE = 'The invitation was used or has expired, or the person was removed or suspended since';

/**
 * The set-password page's API: public, the link's token is the credential. A browser navigation to the
 * same URL gets the UI (http/web.ts); the token never reaches a log (app.ts redacts request URLs).
 */
export function registerInvitationRoutes(app: App, deps: { db: Db; config: Config }): void {
  const { db, config } = deps;

  app.get(
    '/invitations/:token',
    {
      schema: {
        operationId: 'getInvitation',
        tags,
        summary: 'The invitation behind a link: whom it is for and which workspace',
        params: InvitationParams,
        response: { 200: InvitationView, 410: refusal(GONE) },
      },
      config: { access: { scope: 'public' } },
    },
    async (request) => describeInvitation(db, request.params.token),
  );

  app.post(
    '/invitations/:token',
    {
      schema: {
        operationId: 'acceptInvitation',
        tags,
        summary: 'Accept an invitation: set your password and be signed in (the session cookie is set)',
        params: InvitationParams,
        body: AcceptInvitationBody,
        response: {
          200: AcceptInvitationResult,
          403: refusal('OIDC_REQUIRED: invitations are accepted through the identity provider only'),
          410: refusal(GONE),
          429: LockedOutRefusal,
        },
      },
      attachValidation: true,
      config: { access: { scope: 'public' } },
    },
    async (request, reply) => {
      refusePasswordAcceptance(config.oidc);
      const accepted = acceptInvitation(db, {
        token: request.params.token,
        password: request.body?.password,
        checkBody: () => {
          if (request.validationError) throw request.validationError;
        },
        clientAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        sessionTtlHours: config.sessionTtlHours,
        limit: config.signInRateLimit,
      });
      const { session, view } = await withRetryAfter(reply, accepted);
      setSessionCookie(reply, session);
      return view;
    },
  );
}
