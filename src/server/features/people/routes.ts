import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { tenantRoleGrantCapabilities } from '../../core/capabilities.ts';
import type { Db } from '../../db/client.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { type App, recordIdOf, scopeOf } from '../../routing.ts';
import { registerInvitationRoutes } from './invitation-routes.ts';
import { type InvitationDeps, invitePerson, reinvitePerson } from './invitations.ts';
import { inviteRuleFields, tenantRoleRuleFields } from './rules.ts';
import {
  InvitationResult,
  InviteBody,
  PeoplePage,
  PeopleParams,
  PeopleQuery,
  Person,
  PersonParams,
  PersonTenantParams,
  PersonUpdate,
  TenantRoleBody,
  TenantRolesBody,
} from './schemas.ts';
import { listPeople, removePerson, updatePerson } from './service.ts';
import { grantTenantRoles, revokeTenantRole } from './tenant-roles.ts';
import { getPerson } from './views.ts';

export interface PeopleRouteDeps {
  db: Db;
  config: Config;
  /** The installation's mailer, or null when SMTP is not configured. */
  mailer: Mailer | null;
}

const tags = ['people'];

/** A refusal of the service that access and schemas do not imply: thrown, never returned (http/openapi.ts). */
const refusal = (description: string) => Type.Unsafe<never>({ description });
const noContent = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });

const LAST_OWNER = 'The workspace would be left without an active owner';
const ARCHIVED = 'The tenant is archived: its memberships cannot change until an owner restores it';

export function registerPeopleRoutes(app: App, deps: PeopleRouteDeps): void {
  const { config, mailer } = deps;
  const invitationDeps = (request: FastifyRequest): InvitationDeps => ({
    mailer,
    linkBase: config.publicUrl ?? `${request.protocol}://${request.host}`,
    onMailFailure: (reason) => request.log.warn({ reason }, 'invitation e-mail not sent'),
  });

  app.get(
    '/admin/w/:workspace/people',
    {
      schema: {
        operationId: 'listPeople',
        tags,
        summary: "The workspace's people by name, with their workspace and tenant roles",
        params: PeopleParams,
        querystring: PeopleQuery,
        response: { 200: PeoplePage },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view' } },
    },
    async (request) => listPeople(scopeOf(request, 'workspace'), request.query),
  );

  app.get(
    '/admin/w/:workspace/people/:user',
    {
      schema: {
        operationId: 'getPerson',
        tags,
        summary: 'One person of the workspace, with their workspace and tenant roles',
        params: PersonParams,
        response: { 200: Person },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.view', record: 'member' } },
    },
    async (request) => {
      const scope = scopeOf(request, 'workspace');
      return getPerson(scope.db, scope.workspace.id, recordIdOf(request));
    },
  );

  app.post(
    '/admin/w/:workspace/people',
    {
      schema: {
        operationId: 'invitePerson',
        tags,
        summary: 'Invite a person (a one-time link, e-mailed when SMTP is set up), or add an existing user',
        params: PeopleParams,
        body: InviteBody,
        response: {
          201: InvitationResult,
          409: refusal('The person is a member already, or a tenant named is archived'),
        },
      },
      config: {
        access: { scope: 'workspace', capability: 'workspace.administer' },
        bodyRules: inviteRuleFields,
      },
    },
    async (request, reply) => {
      const result = await invitePerson(scopeOf(request, 'workspace'), request.body, invitationDeps(request));
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/admin/w/:workspace/people/:user/actions/reinvite',
    {
      schema: {
        operationId: 'reinvitePerson',
        tags,
        summary: 'A new invitation link for someone who has not accepted yet; older links stop working',
        params: PersonParams,
        response: {
          200: InvitationResult,
          409: refusal('The person has accepted already (or is suspended): there is nothing to re-send'),
        },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer', record: 'member' } },
    },
    async (request) =>
      reinvitePerson(scopeOf(request, 'workspace'), recordIdOf(request), invitationDeps(request)),
  );

  app.patch(
    '/admin/w/:workspace/people/:user',
    {
      schema: {
        operationId: 'updatePerson',
        tags,
        summary: "Change a person's workspace role, or suspend (active: false) or restore them",
        params: PersonParams,
        body: PersonUpdate,
        response: { 200: Person, 409: refusal(LAST_OWNER) },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer', record: 'member' } },
    },
    async (request) => updatePerson(scopeOf(request, 'workspace'), recordIdOf(request), request.body),
  );

  app.delete(
    '/admin/w/:workspace/people/:user',
    {
      schema: {
        operationId: 'removePerson',
        tags,
        summary: 'Remove a person from the workspace, with their tenant roles in it',
        params: PersonParams,
        response: { 204: noContent('Removed'), 409: refusal(LAST_OWNER) },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer', record: 'member' } },
    },
    async (request, reply) => {
      await removePerson(scopeOf(request, 'workspace'), recordIdOf(request));
      return reply.status(204).send();
    },
  );

  app.put(
    '/admin/w/:workspace/people/:user/tenants',
    {
      schema: {
        operationId: 'setPersonTenantRoles',
        tags,
        summary: "Grant or change a person's roles on many tenants at once, all or nothing",
        params: PersonParams,
        body: TenantRolesBody,
        response: { 200: Person, 409: refusal(ARCHIVED) },
      },
      config: {
        access: { scope: 'workspace', capability: tenantRoleGrantCapabilities, record: 'member' },
        bodyRules: tenantRoleRuleFields,
      },
    },
    async (request) =>
      grantTenantRoles(scopeOf(request, 'workspace'), recordIdOf(request), request.body.tenant_roles),
  );

  app.put(
    '/admin/w/:workspace/people/:user/tenants/:tenant',
    {
      schema: {
        operationId: 'setPersonTenantRole',
        tags,
        summary: "Grant or change a person's role on one tenant",
        params: PersonTenantParams,
        body: TenantRoleBody,
        response: { 200: Person, 409: refusal(ARCHIVED) },
      },
      config: {
        access: { scope: 'workspace', capability: tenantRoleGrantCapabilities, record: 'member_tenant' },
      },
    },
    async (request) =>
      grantTenantRoles(
        scopeOf(request, 'workspace'),
        recordIdOf(request),
        [{ tenant: request.params.tenant, role: request.body.role }],
        () => 'tenant',
      ),
  );

  app.delete(
    '/admin/w/:workspace/people/:user/tenants/:tenant',
    {
      schema: {
        operationId: 'revokePersonTenantRole',
        tags,
        summary: "Revoke a person's role on one tenant",
        params: PersonTenantParams,
        response: { 204: noContent('Revoked'), 409: refusal(ARCHIVED) },
      },
      config: {
        access: { scope: 'workspace', capability: 'workspace.grant_access', record: 'member_tenant' },
      },
    },
    async (request, reply) => {
      await revokeTenantRole(scopeOf(request, 'workspace'), recordIdOf(request), request.params.tenant);
      return reply.status(204).send();
    },
  );

  registerInvitationRoutes(app, { db: deps.db, config });
}
