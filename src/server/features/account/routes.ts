import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { type App, recordIdOf, scopeOf } from '../../routing.ts';
import { PersonParams } from '../people/schemas.ts';
import { WorkspaceParams } from '../tenancy/schemas.ts';
import { clearSessionCookie } from '../tenancy/session-cookie.ts';
import { meUpdateRuleFields, newTokenRuleFields, passwordChangeRuleFields } from './rules.ts';
import {
  CreatedToken,
  LockedOutRefusal,
  MeUpdate,
  MeView,
  NewToken,
  PasswordChange,
  SessionListQuery,
  SessionPage,
  SessionParams,
  SessionsEnded,
  TokenListQuery,
  TokenPage,
  TokenParams,
  WorkspaceTokenPage,
  WorkspaceTokenParams,
  WorkspaceTokenQuery,
} from './schemas.ts';
import { changePassword, getMe, updateMe } from './service.ts';
import {
  endMemberSessions,
  endMyOtherSessions,
  endMySession,
  listMemberSessions,
  listMySessions,
} from './sessions.ts';
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

  registerSessionRoutes(app);

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

/** docs/rules.md "Sessions": your own sessions, and an owner's hand on a member's. */
function registerSessionRoutes(app: App): void {
  app.get(
    '/admin/me/sessions',
    {
      schema: {
        operationId: 'listMySessions',
        tags,
        summary: 'Your signed-in browsers, newest first: device, address, last seen; this one marked current',
        querystring: SessionListQuery,
        response: { 200: SessionPage },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => listMySessions(scopeOf(request, 'actor'), request.query),
  );

  app.delete(
    '/admin/me/sessions/:id',
    {
      schema: {
        operationId: 'endMySession',
        tags,
        summary: 'Sign out one of your sessions (the current one too: its cookie is cleared)',
        params: SessionParams,
        response: { 204: noContent('Ended') },
      },
      config: { access: { scope: 'actor', record: 'my_session' } },
    },
    async (request, reply) => {
      const { current } = await endMySession(scopeOf(request, 'actor'), recordIdOf(request));
      if (current) clearSessionCookie(reply);
      return reply.status(204).send();
    },
  );

  app.post(
    '/admin/me/sessions/actions/end-others',
    {
      schema: {
        operationId: 'endMyOtherSessions',
        tags,
        summary: 'Sign out everywhere else: every session but this one (with an API token: every session)',
        response: { 200: SessionsEnded },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => endMyOtherSessions(scopeOf(request, 'actor')),
  );

  app.get(
    '/admin/w/:workspace/people/:user/sessions',
    {
      schema: {
        operationId: 'listMemberSessions',
        tags,
        summary: "A member's signed-in browsers, for the workspace's owners",
        params: PersonParams,
        querystring: SessionListQuery,
        response: { 200: SessionPage },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer', record: 'member' } },
    },
    async (request) => listMemberSessions(scopeOf(request, 'workspace'), recordIdOf(request), request.query),
  );

  app.post(
    '/admin/w/:workspace/people/:user/actions/end-sessions',
    {
      schema: {
        operationId: 'endMemberSessions',
        tags,
        summary:
          'Sign a member out everywhere at once (their API tokens stay: the tokens page revokes those)',
        params: PersonParams,
        response: { 200: SessionsEnded },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer', record: 'member' } },
    },
    async (request) => endMemberSessions(scopeOf(request, 'workspace'), recordIdOf(request)),
  );
}
