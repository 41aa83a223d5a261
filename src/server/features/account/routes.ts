import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { type App, recordIdOf, scopeOf } from '../../routing.ts';
import { WorkspaceParams } from '../tenancy/schemas.ts';
import { meUpdateRuleFields, newTokenRuleFields, passwordChangeRuleFields } from './rules.ts';
import {
  CreatedToken,
  LockedOutRefusal,
  MeUpdate,
  MeView,
  NewToken,
  PasswordChange,
  TokenListQuery,
  TokenPage,
  TokenParams,
  WorkspaceTokenPage,
  WorkspaceTokenParams,
  WorkspaceTokenQuery,
} from './schemas.ts';
import { changePassword, getMe, updateMe } from './service.ts';
import { withRetryAfter } from './sign-in.ts';
import {
  createMyToken,
  listMyTokens,
  listTokensOfWorkspace,
  revokeMyToken,
  revokeWorkspaceToken,
} from './tokens.ts';

const tags = ['account'];

/** No body: `undefined` to the handler's types, `type: null` so the document lists no content. */
const noContent = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });

export function registerAccountRoutes(app: App, deps: { config: Config }): void {
  const limit = deps.config.signInRateLimit;

  app.get(
    '/admin/me',
    {
      schema: {
        operationId: 'getMe',
        tags,
        summary: 'The signed-in person and their workspace memberships',
        response: { 200: MeView },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => getMe(scopeOf(request, 'actor')),
  );

  app.patch(
    '/admin/me',
    {
      schema: {
        operationId: 'updateMe',
        tags,
        summary: 'Change your display name',
        body: MeUpdate,
        response: { 200: MeView },
      },
      config: { access: { scope: 'actor' }, bodyRules: meUpdateRuleFields },
    },
    async (request) => updateMe(scopeOf(request, 'actor'), request.body),
  );

  app.post(
    '/admin/me/password',
    {
      schema: {
        operationId: 'changeMyPassword',
        tags,
        summary: 'Change your password; your other sessions end, this one and your API tokens stay',
        body: PasswordChange,
        response: { 204: noContent('Changed'), 429: LockedOutRefusal },
      },
      config: { access: { scope: 'actor' }, bodyRules: passwordChangeRuleFields },
    },
    async (request, reply) => {
      await withRetryAfter(reply, changePassword(scopeOf(request, 'actor'), request.body, limit));
      return reply.status(204).send();
    },
  );

  app.get(
    '/admin/me/tokens',
    {
      schema: {
        operationId: 'listMyTokens',
        tags,
        summary: 'Your API tokens, newest first (never the token itself)',
        querystring: TokenListQuery,
        response: { 200: TokenPage },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => listMyTokens(scopeOf(request, 'actor'), request.query),
  );

  app.post(
    '/admin/me/tokens',
    {
      schema: {
        operationId: 'createMyToken',
        tags,
        summary: 'Create an API token; the answer shows it this once',
        body: NewToken,
        response: { 201: CreatedToken },
      },
      config: { access: { scope: 'actor' }, bodyRules: newTokenRuleFields },
    },
    async (request, reply) =>
      reply.status(201).send(await createMyToken(scopeOf(request, 'actor'), request.body)),
  );

  app.delete(
    '/admin/me/tokens/:id',
    {
      schema: {
        operationId: 'revokeMyToken',
        tags,
        summary: 'Revoke one of your API tokens (revoking it again changes nothing)',
        params: TokenParams,
        response: { 204: noContent('Revoked') },
      },
      config: { access: { scope: 'actor', record: 'my_token' } },
    },
    async (request, reply) => {
      await revokeMyToken(scopeOf(request, 'actor'), recordIdOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/admin/w/:workspace/tokens',
    {
      schema: {
        operationId: 'listWorkspaceTokens',
        tags,
        summary: "Every API token of the workspace's members, newest first, with its person",
        params: WorkspaceParams,
        querystring: WorkspaceTokenQuery,
        response: { 200: WorkspaceTokenPage },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer' } },
    },
    async (request) => listTokensOfWorkspace(scopeOf(request, 'workspace'), request.query),
  );

  app.delete(
    '/admin/w/:workspace/tokens/:id',
    {
      schema: {
        operationId: 'revokeWorkspaceToken',
        tags,
        summary: "Revoke a workspace member's API token (revoking it again changes nothing)",
        params: WorkspaceTokenParams,
        response: { 204: noContent('Revoked') },
      },
      config: {
        access: { scope: 'workspace', capability: 'workspace.administer', record: 'workspace_token' },
      },
    },
    async (request, reply) => {
      await revokeWorkspaceToken(scopeOf(request, 'workspace'), recordIdOf(request));
      return reply.status(204).send();
    },
  );
}
