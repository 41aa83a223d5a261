import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/client.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { claimDueRecheck, deleteSessionById, identityOfSession, recordRecheck } from './queries.ts';
import { nextRecheck, unreachableOutcome } from './rules.ts';
import type { Oidc } from './service.ts';
import { openToken, sealToken } from './token-box.ts';

/** While one request asks the provider, others on the same session go on; a stuck check is retried after this. */
const CLAIM_MS = 2 * 60_000;

async function endSession(db: Db, sessionId: string, userId: number | null, reason: string) {
  await db.transaction(async (tx) => {
    if (!(await deleteSessionById(tx, sessionId))) return;
    await recordAuditEvent(tx, {
      actorUserId: userId,
      action: 'session.ended_by_provider',
      subjectType: 'user',
      subjectId: userId ?? 'unknown',
      after: { reason },
    });
  });
}

/**
 * docs/rules.md "Sign-in through the identity provider": a session started through the provider is
 * re-checked with it at least every OIDC_RECHECK_MINUTES (refresh token grant). Run before anything reads
 * the session, so a session the provider refuses answers this very request as nobody (401, or the
 * sign-in page). A session with nothing to ask the provider with (it issued no refresh token) ends when
 * its check falls due; a provider that cannot be reached is asked again a minute later, for at most one
 * more interval.
 */
export async function recheckProviderSession(
  db: Db,
  oidc: Oidc,
  sessionId: string,
  log: FastifyBaseLogger,
): Promise<void> {
  const now = new Date();
  const due = await claimDueRecheck(db, sessionId, now, new Date(now.getTime() + CLAIM_MS));
  if (!due) return;
  const identity = await identityOfSession(db, due.identityId);
  const userId = identity?.userId ?? null;
  const refreshToken = due.refreshToken ? openToken(oidc.settings.clientSecret, due.refreshToken) : null;
  if (!refreshToken) {
    log.info('a provider session without a usable refresh token reached its re-check: ended');
    return endSession(db, sessionId, userId, 'no_refresh_token');
  }
  const outcome = await oidc.client.refresh(refreshToken);
  if (
    outcome.kind === 'refused' ||
    (outcome.kind === 'accepted' && outcome.subject && outcome.subject !== identity?.subject)
  ) {
    const reason = outcome.kind === 'refused' ? outcome.error : 'subject_changed';
    log.info({ oidc_refusal: reason }, 'the identity provider refused a session at its re-check: ended');
    return endSession(db, sessionId, userId, reason);
  }
  if (outcome.kind === 'unreachable') {
    const next = unreachableOutcome(now, due.checkedAt, oidc.settings.recheckMinutes);
    log.warn(
      { oidc_error: outcome.error },
      'the identity provider could not be reached for a session re-check',
    );
    if (next.end) return endSession(db, sessionId, userId, 'provider_unreachable');
    return recordRecheck(db, sessionId, { recheckDueAt: next.retryAt });
  }
  await recordRecheck(db, sessionId, {
    ...(outcome.refreshToken
      ? { refreshToken: sealToken(oidc.settings.clientSecret, outcome.refreshToken) }
      : {}),
    checkedAt: now,
    recheckDueAt: nextRecheck(now, oidc.settings.recheckMinutes),
  });
}
