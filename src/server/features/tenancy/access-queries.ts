import { and, eq, gt, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { boundValue, builtOnce } from '../../db/built-once.ts';
import type { Db } from '../../db/client.ts';
import { findingListGenerations, findings } from '../findings/tables.ts';
import { secondFactorSatisfiedSql } from '../second-factor/queries.ts';
import {
  apiTokens,
  sessions,
  tenantMemberships,
  tenants,
  users,
  workspaceMemberships,
  workspaces,
} from './tables.ts';

/** A tenant and its workspace, as every entitlement row names them. */
const tenantColumns = {
  tenantId: tenants.id,
  tenantExternalId: tenants.externalId,
  tenantName: tenants.name,
  tenantArchivedAt: tenants.archivedAt,
  workspaceId: workspaces.id,
  workspaceSlug: workspaces.slug,
  workspaceName: workspaces.name,
  workspaceRequiresSecondFactor: workspaces.requireSecondFactor,
};

/** The user's active membership of the workspace, as a join condition. */
const activeWorkspaceMember = (workspaceId: SQLWrapper, userId: SQLWrapper | number) =>
  and(
    eq(workspaceMemberships.workspaceId, workspaceId),
    eq(workspaceMemberships.userId, userId),
    eq(workspaceMemberships.active, true),
  );

/**
 * The tenant, its workspace, and the user's tenant role on it; undefined when the user holds no membership
 * or their workspace membership is suspended.
 */
export async function findTenantEntitlement(
  db: Db,
  userId: number,
  tenant: { externalId: string } | { id: number },
) {
  const where: SQL = 'id' in tenant ? eq(tenants.id, tenant.id) : eq(tenants.externalId, tenant.externalId);
  const [row] = await db
    .select({
      ...tenantColumns,
      role: tenantMemberships.role,
    })
    .from(tenants)
    .innerJoin(workspaces, eq(workspaces.id, tenants.workspaceId))
    .innerJoin(workspaceMemberships, activeWorkspaceMember(tenants.workspaceId, userId))
    .innerJoin(
      tenantMemberships,
      and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, userId)),
    )
    .where(where)
    .limit(1);
  return row;
}

/** A workspace as every membership row names it (the user's role beside it). */
const workspaceColumns = {
  id: workspaces.id,
  slug: workspaces.slug,
  name: workspaces.name,
  requiresSecondFactor: workspaces.requireSecondFactor,
};

/** The workspace and the user's workspace role; undefined when the user is not an active member. */
export async function findWorkspaceMembership(
  db: Db,
  userId: number,
  workspace: { slug: string } | { id: number },
) {
  const where: SQL =
    'id' in workspace ? eq(workspaces.id, workspace.id) : eq(workspaces.slug, workspace.slug);
  const [row] = await db
    .select({ ...workspaceColumns, role: workspaceMemberships.role })
    .from(workspaces)
    .innerJoin(workspaceMemberships, activeWorkspaceMember(workspaces.id, userId))
    .where(where)
    .limit(1);
  return row;
}

/** How the request names its caller: the digest of a bearer token or of a session cookie. */
export type CredentialDigest = { token: string } | { session: string };

type CredentialKind = 'session' | 'token';
const credentialKindOf = (credential: CredentialDigest): CredentialKind =>
  'session' in credential ? 'session' : 'token';

/**
 * What a "caller and …" statement is run with: the statements are built once per database and kind of
 * credential (builtOnce), with placeholders where these values go.
 */
const callerValues = (credential: CredentialDigest, now: Date) => ({
  credential: 'session' in credential ? credential.session : credential.token,
  now: boundValue(now),
});

/**
 * Where the caller a credential names comes from: an unexpired session or an unrevoked token, of an active
 * user, with what noting the use needs. Its table is the FROM of every "caller and …" statement, joined
 * flat: a subquery here cost each request's planning ~0.1 ms (PostgreSQL) and more on PGlite.
 */
function callerSource(kind: CredentialKind) {
  const credential = sql.placeholder('credential');
  if (kind === 'session') {
    return {
      table: sessions,
      user: eq(users.id, sessions.userId),
      where: and(
        eq(sessions.id, credential),
        gt(sessions.expiresAt, sql.placeholder('now')),
        eq(users.active, true),
      ),
      sessionId: sessions.id,
      use: { tokenId: sql<number | null>`null`, lastUsedAt: sessions.lastSeenAt },
    };
  }
  return {
    table: apiTokens,
    user: eq(users.id, apiTokens.userId),
    where: and(eq(apiTokens.tokenHash, credential), isNull(apiTokens.revokedAt), eq(users.active, true)),
    sessionId: null,
    use: { tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt },
  };
}

type CallerSource = ReturnType<typeof callerSource>;

/** Who the caller is, and what noting their use needs. */
const callerIdentity = (source: CallerSource) => ({
  userId: users.id,
  email: users.email,
  displayName: users.displayName,
  ...source.use,
});

/**
 * The caller a credential names, alone: for a request whose scope is not asked with it (findActor). Undefined
 * when nobody valid is calling.
 */
export async function findCaller(db: Db, credential: CredentialDigest, now: Date) {
  const kind = credentialKindOf(credential);
  const statement = builtOnce(db, `tp_caller_${kind}`, (name) => {
    const caller = callerSource(kind);
    return db
      .select(callerIdentity(caller))
      .from(caller.table)
      .innerJoin(users, caller.user)
      .where(caller.where)
      .limit(1)
      .prepare(name);
  });
  const [row] = await statement.execute(callerValues(credential, now));
  return row;
}

/** The caller's columns of a "caller and …" row, and whether they meet a workspace's second-factor rule. */
function callerColumns(source: CallerSource) {
  return {
    ...callerIdentity(source),
    // Asked only of a workspace that requires it (docs/rules.md "Second factor").
    secondFactorSatisfied: sql<boolean>`case when ${workspaces.requireSecondFactor} then ${secondFactorSatisfiedSql(users.id, source.sessionId)} else true end`,
  };
}

/**
 * When the tenant's list pages last changed, as text: its own generation and row 0's (what every tenant's list
 * shows), two primary-key probes. Each row only ever takes fresh values (migration
 * finding_list_generation_triggers), so the pair is never the same after a change, whichever order changes
 * commit in.
 */
function listGenerationOf(tenantId: SQLWrapper, g = findingListGenerations) {
  const of = (id: SQLWrapper | number) =>
    sql`coalesce((select ${g.generation} from ${g} where ${g.tenantId} = ${id}), 0)`;
  return sql<string | null>`${of(tenantId)} || '.' || ${of(0)}`;
}

/** What a tenant's scope statement reads beside the entitlement: a finding of the tenant, or its list generation. */
export type EntitlementExtra = { findingId: number } | { listGeneration: true } | null;

/**
 * The caller and their entitlement to one tenant (and, with `findingId`, whether that finding is the
 * tenant's; with `listGeneration`, the tenant's list generation) in one statement: a read's first round trip
 * is also its last before the page. No row: nobody valid is calling (401). A row without `role`: the tenant is
 * out of the caller's reach (404).
 */
export async function findActorWithEntitlement(
  db: Db,
  credential: CredentialDigest,
  tenant: { externalId: string },
  extra: EntitlementExtra,
  now: Date,
) {
  const kind = credentialKindOf(credential);
  const findingId = extra !== null && 'findingId' in extra ? extra.findingId : null;
  const ofFinding = findingId !== null;
  const withGeneration = extra !== null && 'listGeneration' in extra;
  const suffix = ofFinding ? '_finding' : withGeneration ? '_list' : '';
  const statement = builtOnce(db, `tp_caller_tenant_${kind}${suffix}`, (name) => {
    const caller = callerSource(kind);
    return db
      .select({
        ...callerColumns(caller),
        ...tenantColumns,
        workspaceMember: workspaceMemberships.userId,
        role: tenantMemberships.role,
        findingFound: ofFinding
          ? sql<boolean>`exists (select 1 from ${findings} where ${findings.id} = ${sql.placeholder('finding')} and ${findings.tenantId} = ${tenants.id})`
          : sql<boolean>`true`,
        // The tenant's list pages a process keeps are checked against this (findings/list-cache.ts).
        listGeneration: withGeneration ? listGenerationOf(tenants.id) : sql<string | null>`null`,
      })
      .from(caller.table)
      .innerJoin(users, caller.user)
      .leftJoin(tenants, eq(tenants.externalId, sql.placeholder('tenant')))
      .leftJoin(workspaces, eq(workspaces.id, tenants.workspaceId))
      .leftJoin(workspaceMemberships, activeWorkspaceMember(tenants.workspaceId, users.id))
      .leftJoin(
        tenantMemberships,
        and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, users.id)),
      )
      .where(caller.where)
      .limit(1)
      .prepare(name);
  });
  const [row] = await statement.execute({
    ...callerValues(credential, now),
    tenant: tenant.externalId,
    finding: findingId,
  });
  return row;
}

/**
 * The caller and their membership of one workspace in one statement, as findActorWithEntitlement for a
 * tenant. No row: nobody valid is calling (401). A row without `role`: not an active member (404).
 */
export async function findActorWithMembership(
  db: Db,
  credential: CredentialDigest,
  workspace: { slug: string },
  now: Date,
) {
  const kind = credentialKindOf(credential);
  const statement = builtOnce(db, `tp_caller_workspace_${kind}`, (name) => {
    const caller = callerSource(kind);
    return db
      .select({ ...callerColumns(caller), ...workspaceColumns, role: workspaceMemberships.role })
      .from(caller.table)
      .innerJoin(users, caller.user)
      .leftJoin(workspaces, eq(workspaces.slug, sql.placeholder('workspace')))
      .leftJoin(workspaceMemberships, activeWorkspaceMember(workspaces.id, users.id))
      .where(caller.where)
      .limit(1)
      .prepare(name);
  });
  const [row] = await statement.execute({ ...callerValues(credential, now), workspace: workspace.slug });
  return row;
}
