import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { type App, scopeOf } from '../../routing.ts';
import { LockedOutRefusal } from '../account/schemas.ts';
import { withRetryAfter } from '../account/sign-in.ts';
import { WorkspaceParams } from '../tenancy/schemas.ts';
import { proofRuleFields } from './rules.ts';
import {
  EnrolmentConfirm,
  EnrolmentStart,
  RecoveryCodes,
  SecondFactorProof,
  SecondFactorStatus,
  WorkspaceSecurity,
  WorkspaceSecurityUpdate,
} from './schemas.ts';
import {
  confirmEnrolment,
  disableSecondFactor,
  getSecondFactor,
  getWorkspaceSecurity,
  regenerateRecoveryCodes,
  startEnrolment,
  updateWorkspaceSecurity,
} from './service.ts';

const tags = ['second factor'];
const refusal = (description: string) => Type.Unsafe<never>({ description });
const noContent = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });

/** docs/rules.md "Second factor": your authenticator and recovery codes; a workspace's requirement. */
export function registerSecondFactorRoutes(app: App, deps: { config: Config }): void {
  const limit = deps.config.signInRateLimit;

  app.get(
    '/admin/me/second-factor',
    {
      schema: {
        operationId: 'getMySecondFactor',
        tags,
        summary: 'Whether you have an authenticator, recovery codes left, and which workspaces require one',
        response: { 200: SecondFactorStatus },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => getSecondFactor(scopeOf(request, 'actor')),
  );

  app.post(
    '/admin/me/second-factor/enrolment',
    {
      schema: {
        operationId: 'startSecondFactorEnrolment',
        tags,
        summary: 'Start setting up an authenticator app: a new secret and its QR code, shown this once',
        response: { 201: EnrolmentStart, 409: refusal('You already have an authenticator') },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request, reply) => reply.status(201).send(await startEnrolment(scopeOf(request, 'actor'))),
  );

  app.post(
    '/admin/me/second-factor/enrolment/confirm',
    {
      schema: {
        operationId: 'confirmSecondFactorEnrolment',
        tags,
        summary: 'Confirm the authenticator with one code; the answer shows ten recovery codes this once',
        body: EnrolmentConfirm,
        response: {
          200: RecoveryCodes,
          409: refusal('No enrolment was started, or the authenticator is already set up'),
          429: LockedOutRefusal,
        },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request, reply) =>
      withRetryAfter(reply, confirmEnrolment(scopeOf(request, 'actor'), request.body, limit)),
  );

  app.post(
    '/admin/me/second-factor/actions/disable',
    {
      schema: {
        operationId: 'disableSecondFactor',
        tags,
        summary: 'Turn your second factor off, proven with your password, a current code or a recovery code',
        body: SecondFactorProof,
        response: {
          204: noContent('Turned off: the authenticator and every recovery code are gone'),
          409: refusal('You have no authenticator set up'),
          429: LockedOutRefusal,
        },
      },
      config: { access: { scope: 'actor' }, bodyRules: proofRuleFields },
    },
    async (request, reply) => {
      await withRetryAfter(reply, disableSecondFactor(scopeOf(request, 'actor'), request.body, limit));
      return reply.status(204).send();
    },
  );

  app.post(
    '/admin/me/second-factor/recovery-codes',
    {
      schema: {
        operationId: 'regenerateRecoveryCodes',
        tags,
        summary: 'Ten new recovery codes, shown this once; the old ones stop working',
        body: SecondFactorProof,
        response: {
          200: RecoveryCodes,
          409: refusal('You have no authenticator set up'),
          429: LockedOutRefusal,
        },
      },
      config: { access: { scope: 'actor' }, bodyRules: proofRuleFields },
    },
    async (request, reply) =>
      withRetryAfter(reply, regenerateRecoveryCodes(scopeOf(request, 'actor'), request.body, limit)),
  );

  app.get(
    '/admin/w/:workspace/security',
    {
      schema: {
        operationId: 'getWorkspaceSecurity',
        tags,
        summary: 'Whether the workspace requires a second factor, and how many members have none',
        params: WorkspaceParams,
        response: { 200: WorkspaceSecurity },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer' } },
    },
    async (request) => getWorkspaceSecurity(scopeOf(request, 'workspace')),
  );

  app.patch(
    '/admin/w/:workspace/security',
    {
      schema: {
        operationId: 'updateWorkspaceSecurity',
        tags,
        summary: 'Require (or stop requiring) a second factor of every member of the workspace',
        params: WorkspaceParams,
        body: WorkspaceSecurityUpdate,
        response: {
          200: WorkspaceSecurity,
          409: refusal('Requiring a second factor needs your own authenticator first'),
        },
      },
      config: { access: { scope: 'workspace', capability: 'workspace.administer' } },
    },
    async (request) => updateWorkspaceSecurity(scopeOf(request, 'workspace'), request.body),
  );
}
