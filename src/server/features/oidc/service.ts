import type { FastifyBaseLogger } from 'fastify';
import type { OidcConfig } from '../../config-oidc.ts';
import { AppError, conflict, invalidFields, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { startSession } from '../account/sign-in.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { findUsableInvitationByDigest } from '../people/acceptance.ts';
import { useInvitation as spendInvitation } from '../people/invitation-queries.ts';
import { digestSecret } from '../tenancy/credentials.ts';
import { findUserByEmail } from '../tenancy/queries.ts';
import type { NewSession } from '../tenancy/sessions.ts';
import { describeOidcError, type OidcClient } from './client.ts';
import {
  findIdentity,
  findIdentityOfUser,
  firstRunOwnerId,
  insertPendingLogin,
  insertProviderSession,
  invitationTokenHash,
  linkIdentity,
  markIdentityUsed,
  takePendingLogin,
} from './queries.ts';
import { localPath, nextRecheck, type RefusalReason, verifiedEmail } from './rules.ts';
import { sealToken } from './token-box.ts';

/** docs/rules.md "Sign-in through the identity provider": from the start of a sign-in to its session. */

const PENDING_LOGIN_MINUTES = 10;

export interface Oidc {
  settings: OidcConfig;
  client: OidcClient;
}

/** No provider configured: the sign-in routes are not there (404). */
export function requireOidc(oidc: Oidc | null): Oidc {
  if (!oidc) throw notFound();
  return oidc;
}

/**
 * Starts a sign-in: PKCE, state and nonce made here and kept in the database (any process can finish it),
 * `state` also in a cookie of this browser; answers where to send the browser. An invitation link, when
 * given, is checked now (an expired one is refused before the person signs in at the provider).
 */
export async function startLogin(
  db: Db,
  oidc: Oidc,
  input: { next: string | undefined; invitationToken: string | undefined; log: FastifyBaseLogger },
): Promise<{ state: string; redirectTo: string } | { refused: RefusalReason }> {
  const nextPath = localPath(input.next);
  if (nextPath === null) throw invalidFields({ next: 'must be a path of this site, such as /admin' });
  let invitationId: number | null = null;
  if (input.invitationToken !== undefined) {
    try {
      invitationId = (await findUsableInvitationByDigest(db, digestSecret(input.invitationToken))).id;
    } catch (error) {
      if (error instanceof AppError && ['not_found', 'gone'].includes(error.code)) {
        return { refused: 'invitation_gone' };
      }
      throw error;
    }
  }
  let request: Awaited<ReturnType<OidcClient['authorizationRequest']>>;
  try {
    request = await oidc.client.authorizationRequest();
  } catch (error) {
    // Discovery failed: the provider is down, or OIDC_ISSUER names no provider.
    input.log.warn({ oidc_error: describeOidcError(error) }, 'the identity provider could not be reached');
    return { refused: 'provider_unavailable' };
  }
  await insertPendingLogin(db, {
    id: digestSecret(request.state),
    codeVerifier: request.codeVerifier,
    nonce: request.nonce,
    nextPath: invitationId === null ? nextPath : '/admin',
    invitationId,
    expiresAt: new Date(Date.now() + PENDING_LOGIN_MINUTES * 60_000),
  });
  return { state: request.state, redirectTo: request.url.toString() };
}

export type CallbackOutcome =
  | { kind: 'signed_in'; session: NewSession; nextPath: string }
  | { kind: 'refused'; reason: RefusalReason };

interface CallbackInput {
  callbackUrl: URL;
  /** The state this browser was given at the start (its cookie); none means the sign-in is not its own. */
  browserState: string | undefined;
  clientAddress: string;
  userAgent: string | null;
  ttlHours: number;
  log: FastifyBaseLogger;
}

type Person = { userId: number; email: string; active: boolean; identityId: number | null; via: string };

async function refuse(
  db: Db,
  input: CallbackInput,
  reason: RefusalReason,
  detail: Record<string, unknown> = {},
) {
  input.log.info({ oidc_refusal: reason, ...detail }, 'sign-in through the identity provider refused');
  await recordAuditEvent(db, {
    actorUserId: null,
    action: 'session.sign_in_failed',
    subjectType: 'oidc',
    subjectId: typeof detail.subject === 'string' ? detail.subject : 'unknown',
    after: { via: 'oidc', reason, ...detail },
    clientAddress: input.clientAddress,
  });
  return { kind: 'refused' as const, reason };
}

/** The TenantPilot person behind the provider's identity: linked, or linked now, or a refusal. */
async function findPerson(
  db: Db,
  oidc: Oidc,
  claims: { iss: string; sub: string; email?: unknown; email_verified?: unknown; xms_edov?: unknown },
  invitationId: number | null,
): Promise<Person | RefusalReason> {
  const linked = await findIdentity(db, claims.iss, claims.sub);
  if (invitationId !== null) {
    const tokenHash = await invitationTokenHash(db, invitationId);
    const invitation = tokenHash ? await findUsableInvitationByDigest(db, tokenHash).catch(() => null) : null;
    if (!invitation) return 'invitation_gone';
    if (linked && linked.userId !== invitation.userId) return 'already_linked';
    return unlessLinkedElsewhere(db, oidc, claims.sub, {
      userId: invitation.userId,
      email: invitation.email,
      active: invitation.userActive,
      via: 'invitation',
    });
  }
  if (linked) return { ...linked, identityId: linked.id, via: 'identity' };
  const email = verifiedEmail(claims);
  if (!email) return typeof claims.email === 'string' ? 'unverified_email' : 'unknown_person';
  const user = await findUserByEmail(db, email);
  if (!user) return 'unknown_person';
  return unlessLinkedElsewhere(db, oidc, claims.sub, {
    userId: user.id,
    email: user.email,
    active: user.active,
    via: 'verified_email',
  });
}

/**
 * The person, unless their account is linked to another subject of this provider. Linked to this subject
 * already (the same person's first sign-in in another tab may have linked it since the caller looked),
 * they sign in through that link.
 */
async function unlessLinkedElsewhere(
  db: Db,
  oidc: Oidc,
  subject: string,
  person: Omit<Person, 'identityId'>,
): Promise<Person | RefusalReason> {
  const identity = await findIdentityOfUser(db, oidc.settings.issuer, person.userId);
  if (identity && identity.subject !== subject) return 'already_linked';
  return { ...person, identityId: identity?.id ?? null };
}

/**
 * The provider's answer: the pending sign-in is used up (once), the code exchanged and the ID token
 * checked by openid-client, the person found by issuer + subject or linked (an invitation, or a verified
 * e-mail of an existing account), and the normal session started. Never creates a person.
 */
export async function finishLogin(db: Db, oidc: Oidc, input: CallbackInput): Promise<CallbackOutcome> {
  const state = input.callbackUrl.searchParams.get('state');
  if (!state || !input.browserState || state !== input.browserState) {
    return refuse(db, input, 'expired', { cause: 'state does not match this browser' });
  }
  const pending = await takePendingLogin(db, digestSecret(state), new Date());
  if (!pending) return refuse(db, input, 'expired', { cause: 'no pending sign-in' });
  if (input.callbackUrl.searchParams.has('error')) {
    return refuse(db, input, 'provider_refused', { error: input.callbackUrl.searchParams.get('error') });
  }
  let tokens: Awaited<ReturnType<OidcClient['exchange']>>;
  try {
    tokens = await oidc.client.exchange(input.callbackUrl, { state, ...pending });
  } catch (error) {
    return refuse(db, input, 'provider_error', { error: describeOidcError(error) });
  }
  const { claims } = tokens;
  const person = await findPerson(db, oidc, claims, pending.invitationId);
  if (typeof person === 'string') return refuse(db, input, person, { subject: claims.sub });
  if (!person.active) return refuse(db, input, 'inactive', { subject: claims.sub, user_id: person.userId });
  const session = await db.transaction(async (tx) => {
    const now = new Date();
    const link =
      person.identityId === null
        ? await linkIdentity(tx, {
            issuer: claims.iss,
            subject: claims.sub,
            userId: person.userId,
            email: typeof claims.email === 'string' ? claims.email : null,
            linkedVia: person.via,
          })
        : { id: person.identityId, linked: false };
    if (link === null) throw conflict('This sign-in is already linked to another account.');
    const identityId = link.id;
    if (link.linked) {
      await recordAuditEvent(tx, {
        actorUserId: person.userId,
        action: 'user.identity_linked',
        subjectType: 'user',
        subjectId: person.userId,
        after: { issuer: claims.iss, subject: claims.sub, via: person.via },
        clientAddress: input.clientAddress,
      });
    }
    if (pending.invitationId !== null) await acceptThroughProvider(tx, pending.invitationId, person, input);
    await markIdentityUsed(tx, identityId, now);
    const started = await startSession(tx, {
      userId: person.userId,
      clientAddress: input.clientAddress,
      userAgent: input.userAgent,
      ttlHours: input.ttlHours,
      origin: 'oidc',
    });
    await insertProviderSession(tx, {
      sessionId: digestSecret(started.cookie),
      identityId,
      refreshToken:
        tokens.refreshToken === null ? null : sealToken(oidc.settings.clientSecret, tokens.refreshToken),
      checkedAt: now,
      recheckDueAt: nextRecheck(now, oidc.settings.recheckMinutes),
    });
    return started;
  });
  return { kind: 'signed_in', session, nextPath: pending.nextPath };
}

async function acceptThroughProvider(tx: Db, invitationId: number, person: Person, input: CallbackInput) {
  if (!(await spendInvitation(tx, invitationId, new Date()))) {
    throw new AppError('gone', 'This invitation has been accepted already: sign in instead');
  }
  await recordAuditEvent(tx, {
    actorUserId: person.userId,
    action: 'invitation.accepted',
    subjectType: 'invitation',
    subjectId: invitationId,
    after: { user_id: person.userId, email: person.email, via: 'oidc' },
    clientAddress: input.clientAddress,
  });
}

/**
 * OIDC_REQUIRED: password sign-in is off for everyone but the first-run owner (who keeps a way in when
 * the provider is down or misconfigured). Judged before the password is checked, so it reveals nothing
 * about it and costs no attempt.
 */
export async function refusePasswordSignIn(
  db: Db,
  settings: OidcConfig | null,
  email: string,
): Promise<void> {
  if (!settings?.required) return;
  const user = await findUserByEmail(db, email.trim());
  if (user && user.id === (await firstRunOwnerId(db))) return;
  throw new AppError('forbidden', `Password sign-in is turned off: sign in with ${settings.providerName}`);
}

/** OIDC_REQUIRED: an invitation is accepted through the provider only. */
export function refusePasswordAcceptance(settings: OidcConfig | null): void {
  if (!settings?.required) return;
  throw new AppError(
    'forbidden',
    `Accept this invitation with ${settings.providerName}: passwords are turned off`,
  );
}
