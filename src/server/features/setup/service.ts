import { AppError, invalidFields, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { startSession } from '../account/sign-in.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { digestSecret, hashPassword, newSecret } from '../tenancy/credentials.ts';
import type { NewSession } from '../tenancy/sessions.ts';
import {
  anyUserExists,
  findSetupToken,
  insertOwner,
  insertOwnerMembership,
  insertWorkspace,
  lockSetupToken,
  markSetupTokenUsed,
  replaceUnusedSetupToken,
  workspaceSlugTaken,
} from './queries.ts';
import { SETUP_TOKEN_PATTERN } from './rules.ts';
import type { SetupBody, SetupResult, SetupTokenView } from './schemas.ts';

const alreadySetUp = () =>
  new AppError('gone', 'TenantPilot is already set up: sign in, or ask a workspace owner for an invitation');
const used = () => new AppError('gone', 'This setup link has been used: sign in instead');

/**
 * First run (docs/rules.md "Administration"): on a database with no user, a new one-time setup token,
 * replacing any unused one; stored as a digest, shown only in the server's start-up output. Undefined
 * once anyone has an account.
 */
export async function prepareFirstRun(db: Db): Promise<string | undefined> {
  if (await anyUserExists(db)) return undefined;
  const token = newSecret('');
  await db.transaction((tx) => replaceUnusedSetupToken(tx, digestSecret(token)));
  return token;
}

/**
 * The setup link as people open it: a malformed or unknown token names no link (404, like any unknown
 * id); a link that was made is over (410) once used, or once anyone has an account.
 */
export async function checkSetupToken(db: Db, token: string): Promise<SetupTokenView> {
  const row = SETUP_TOKEN_PATTERN.test(token) ? await findSetupToken(db, digestSecret(token)) : undefined;
  if (!row) throw notFound();
  if (row.usedAt) throw used();
  if (await anyUserExists(db)) throw alreadySetUp();
  return { valid: true };
}

export interface SetupOutcome {
  result: SetupResult;
  session: NewSession;
}

/**
 * Creates the first workspace, its owner and the owner's membership, uses up the token and signs the
 * owner in, all in one transaction with its audit event. The token row is locked first, so of two
 * submits of one link exactly one succeeds; the other finds it used (410).
 */
export async function completeSetup(
  db: Db,
  input: {
    token: string;
    body: SetupBody;
    clientAddress: string;
    userAgent?: string | null;
    sessionTtlHours: number;
  },
): Promise<SetupOutcome> {
  await checkSetupToken(db, input.token);
  const { body } = input;
  const passwordHash = await hashPassword(body.password); // slow on purpose: outside the transaction
  return db.transaction(async (tx) => {
    const token = await lockSetupToken(tx, digestSecret(input.token));
    if (!token) throw notFound();
    if (token.usedAt) throw used();
    if (await anyUserExists(tx)) throw alreadySetUp();
    const slug = body.workspace_slug;
    if (await workspaceSlugTaken(tx, slug)) throw invalidFields({ workspace_slug: 'is already taken' });
    const now = new Date();
    const workspace = await insertWorkspace(tx, { slug, name: body.workspace_name.trim() });
    const owner = await insertOwner(tx, {
      email: body.email.trim(),
      displayName: body.display_name.trim(),
      passwordHash,
    });
    await insertOwnerMembership(tx, workspace.id, owner.id);
    await markSetupTokenUsed(tx, token.id, now);
    await recordAuditEvent(tx, {
      actorUserId: owner.id,
      workspaceId: workspace.id,
      action: 'setup.completed',
      subjectType: 'workspace',
      subjectId: workspace.id,
      after: {
        workspace: { slug: workspace.slug, name: workspace.name },
        owner: { id: owner.id, email: owner.email, display_name: owner.displayName },
      },
      clientAddress: input.clientAddress,
    });
    const session = await startSession(tx, {
      userId: owner.id,
      clientAddress: input.clientAddress,
      userAgent: input.userAgent,
      ttlHours: input.sessionTtlHours,
      origin: 'setup',
    });
    return {
      result: {
        user: { id: owner.id, email: owner.email, display_name: owner.displayName },
        workspace,
      },
      session,
    };
  });
}
