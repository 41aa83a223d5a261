import type { Db } from '../db/client.ts';
import type { Role, TenantCapability, WorkspaceCapability } from './capabilities.ts';

/** Who is calling: resolved from a bearer token or a session cookie before any access rule is judged. */
export interface Actor {
  userId: number;
  email: string;
  displayName: string;
  via: 'session' | 'token';
  /** Digest of the session cookie, when signed in through the browser. */
  sessionId: string | null;
}

export interface WorkspaceRef {
  id: number;
  slug: string;
  name: string;
}

export interface TenantRef {
  id: number;
  externalId: string;
  name: string;
  /** An archived tenant stays readable and refuses every change (409). */
  archived: boolean;
}

/** What every service verb is given: the database and the signed-in actor. */
export interface ActorScope {
  db: Db;
  actor: Actor;
  /** Where the request came from, for the audit log. */
  clientAddress: string;
}

/** A workspace the actor is a member of, with what their workspace role allows (docs/rules.md). */
export interface WorkspaceScope extends ActorScope {
  workspace: WorkspaceRef;
  workspaceRole: Role;
  capabilities: readonly WorkspaceCapability[];
}

/** A tenant the actor holds a membership of, with what their tenant role allows. */
export interface TenantScope extends ActorScope {
  workspace: WorkspaceRef;
  tenant: TenantRef;
  role: Role;
  capabilities: readonly TenantCapability[];
  /**
   * When the tenant's findings list pages last changed (findings/list-cache.ts), when the statement that found
   * the scope read it as well.
   */
  listGeneration?: string;
}

export interface RunScope extends ActorScope {
  runId: number;
  workspace: WorkspaceRef;
  /** Null for a workspace-level run, which any member of its workspace may view and nobody may act on. */
  tenant: TenantRef | null;
  capabilities: readonly TenantCapability[];
}

export interface FindingScope extends TenantScope {
  findingId: number;
}

/** The scopes a route can declare, and what the access pipeline hands its handler for each. */
export interface ScopeOfKind {
  public: null;
  actor: ActorScope;
  workspace: WorkspaceScope;
  tenant: TenantScope;
  run: RunScope;
  finding: FindingScope;
}
export type ScopeKind = keyof ScopeOfKind;
