import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { App } from '../../routing.ts';
import { digestSecret } from '../tenancy/credentials.ts';
import { SESSION_COOKIE, setSessionCookie } from '../tenancy/session-cookie.ts';
import { createOidcClient } from './client.ts';
import { CallbackQuery, ProviderView, StartQuery } from './schemas.ts';
import { finishLogin, type Oidc, requireOidc, startLogin } from './service.ts';
import { recheckProviderSession } from './session-check.ts';

const tags = ['session'];
const STATE_COOKIE = 'tp_oidc_state';
const STATE_COOKIE_PATH = '/auth/oidc';
const answer = (description: string) => Type.Unsafe<never>({ description });

function refusedPage(reply: FastifyReply, reason: string) {
  reply.clearCookie(STATE_COOKIE, { path: STATE_COOKIE_PATH });
  return reply.redirect(`/sign-in/refused?${new URLSearchParams({ reason })}`, 303);
}

/**
 * Sign-in through the company's identity provider (docs/rules.md "Sign-in through the identity provider"):
 * the re-check of provider sessions, before anything reads a session, and the three public routes. Without
 * OIDC_ISSUER the routes answer 404 and nothing is re-checked. Register after the cookie plugin and before
 * the web shell (its hook reads the session).
 */
export function registerOidc(app: App, deps: { db: Db; config: Config }): void {
  const { db, config } = deps;
  const oidc: Oidc | null = config.oidc
    ? { settings: config.oidc, client: createOidcClient(config.oidc) }
    : null;

  if (oidc) {
    app.addHook('onRequest', async (request) => {
      if (request.headers.authorization !== undefined || request.url.startsWith('/assets/')) return;
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await recheckProviderSession(db, oidc, digestSecret(cookie), request.log);
    });
  }

  app.get(
    '/auth/oidc',
    {
      schema: {
        operationId: 'getSignInProvider',
        tags,
        summary:
          "The company's identity provider, when one is set up: its name and whether passwords still work",
        response: { 200: ProviderView, 404: answer('No identity provider is set up (OIDC_ISSUER)') },
      },
      config: { access: { scope: 'public' } },
    },
    async () => {
      const { settings } = requireOidc(oidc);
      return {
        provider_name: settings.providerName,
        start_url: '/auth/oidc/start',
        password_sign_in: settings.required ? ('first_run_owner_only' as const) : ('everyone' as const),
      };
    },
  );

  app.get(
    '/auth/oidc/start',
    {
      schema: {
        // A browser navigation that answers with redirects, not a JSON operation: kept out of the document.
        hide: true,
        operationId: 'startProviderSignIn',
        tags,
        summary: 'Start signing in at the identity provider (a browser navigation; PKCE, state and nonce)',
        querystring: StartQuery,
        response: {
          302: answer('To the provider; or, for an invitation that no longer works, to the refusal page'),
        },
      },
      config: { access: { scope: 'public' } },
    },
    async (request, reply) => {
      const started = await startLogin(db, requireOidc(oidc), {
        next: request.query.next,
        invitationToken: request.query.invitation,
        log: request.log,
      });
      if ('refused' in started) return refusedPage(reply, started.refused);
      reply.setCookie(STATE_COOKIE, started.state, {
        path: STATE_COOKIE_PATH,
        httpOnly: true,
        // Lax: the provider's redirect back is a top-level navigation from its site, which must carry it.
        sameSite: 'lax',
        secure: 'auto',
        maxAge: 600,
      });
      return reply.redirect(started.redirectTo, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      schema: {
        hide: true,
        operationId: 'finishProviderSignIn',
        tags,
        summary:
          "The provider's answer: signed in (session cookie set) and sent on, or sent to the refusal page",
        querystring: CallbackQuery,
        response: { 303: answer('To the page the sign-in started from, or to /sign-in/refused?reason=…') },
      },
      config: { access: { scope: 'public' } },
    },
    async (request, reply) => {
      const provider = requireOidc(oidc);
      const callbackUrl = new URL(provider.settings.redirectUri);
      callbackUrl.search = new URL(request.url, 'http://callback').search;
      const outcome = await finishLogin(db, provider, {
        callbackUrl,
        browserState: request.cookies[STATE_COOKIE],
        clientAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        ttlHours: config.sessionTtlHours,
        log: request.log,
      });
      if (outcome.kind === 'refused') return refusedPage(reply, outcome.reason);
      reply.clearCookie(STATE_COOKIE, { path: STATE_COOKIE_PATH });
      setSessionCookie(reply, outcome.session);
      return reply.redirect(outcome.nextPath, 303);
    },
  );
}
