import type { FastifyReply } from 'fastify';
import type { NewSession } from './sessions.ts';

export const SESSION_COOKIE = 'tp_session';
export const CSRF_COOKIE = '_csrf';
export const CSRF_COOKIE_OPTIONS = { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' } as const;

/** Sets the session cookie and a fresh CSRF secret that lives as long as the session. */
export function setSessionCookie(reply: FastifyReply, session: NewSession): void {
  reply.setCookie(SESSION_COOKIE, session.cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    expires: session.expiresAt,
  });
  issueCsrfSecret(reply, session.expiresAt);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * The secret is issued here, at sign-in, rather than by the first `GET /api/session` that finds it
 * missing: right after sign-in the console and any second tab ask for a token at once, each request
 * would mint its own secret, and the browser keeps only the last, so the others' tokens fail. A
 * secret already in the browser is replaced, not reused, so one planted before sign-in never signs
 * the new session's changes. It expires with the session, so a browser restart that keeps the session
 * keeps it too.
 */
function issueCsrfSecret(reply: FastifyReply, expiresAt: Date): void {
  // generateCsrf mints only when the request carries no secret; forget the old one to mint anew.
  delete reply.request.cookies[CSRF_COOKIE];
  reply.generateCsrf({ expires: expiresAt });
}
