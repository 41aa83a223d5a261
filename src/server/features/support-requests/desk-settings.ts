import type { Config, DeskConfig, DeskProvider } from '../../config.ts';
import { AppError } from '../../core/errors.ts';
import type { ActorScope } from '../../core/scopes.ts';
import { deskLocation, type SupportDesk } from '../../desks/index.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { isOwnerSomewhere } from './desk-settings-queries.ts';
import type { DeskCheckResult, DeskCredentialVariable, DeskSettingsView } from './desk-settings-schemas.ts';

/**
 * The installation's desk for the administration page (docs/rules.md "Administration"): what is set,
 * never a secret, and the CLI's `desk check` as a button. The desk is the installation's, not one
 * workspace's: an owner of any workspace may look and test; anyone else is refused (403).
 */

/** Each provider's credential variables: those it cannot work without, and those it uses when set. */
const credentialsOf: Record<
  DeskProvider,
  { required: DeskCredentialVariable[]; optional: DeskCredentialVariable[] }
> = {
  webhook: { required: [], optional: ['SUPPORT_DESK_SECRET'] },
  zendesk: { required: ['SUPPORT_DESK_EMAIL', 'SUPPORT_DESK_API_TOKEN'], optional: [] },
  freshdesk: { required: ['SUPPORT_DESK_API_TOKEN'], optional: ['SUPPORT_DESK_EMAIL'] },
  jira_service_management: {
    required: [
      'SUPPORT_DESK_EMAIL',
      'SUPPORT_DESK_API_TOKEN',
      'SUPPORT_DESK_SERVICE_DESK_ID',
      'SUPPORT_DESK_REQUEST_TYPE_ID',
    ],
    optional: [],
  },
  halopsa: {
    required: ['SUPPORT_DESK_AUTH_URL', 'SUPPORT_DESK_CLIENT_ID', 'SUPPORT_DESK_CLIENT_SECRET'],
    optional: ['SUPPORT_DESK_HALO_TENANT'],
  },
  connectwise_psa: {
    required: [
      'SUPPORT_DESK_COMPANY_ID',
      'SUPPORT_DESK_PUBLIC_KEY',
      'SUPPORT_DESK_PRIVATE_KEY',
      'SUPPORT_DESK_CLIENT_ID',
      'SUPPORT_DESK_BOARD_ID',
    ],
    optional: [],
  },
  autotask: {
    required: [
      'SUPPORT_DESK_API_INTEGRATION_CODE',
      'SUPPORT_DESK_USERNAME',
      'SUPPORT_DESK_SECRET',
      'SUPPORT_DESK_QUEUE_ID',
    ],
    optional: [],
  },
};

const settingOf: Record<DeskCredentialVariable, (desk: DeskConfig) => string | null> = {
  SUPPORT_DESK_EMAIL: (desk) => desk.email,
  SUPPORT_DESK_API_TOKEN: (desk) => desk.apiToken,
  SUPPORT_DESK_SECRET: (desk) => desk.secret,
  SUPPORT_DESK_SERVICE_DESK_ID: (desk) => desk.serviceDeskId,
  SUPPORT_DESK_REQUEST_TYPE_ID: (desk) => desk.requestTypeId,
  SUPPORT_DESK_AUTH_URL: (desk) => desk.authUrl,
  SUPPORT_DESK_CLIENT_ID: (desk) => desk.clientId,
  SUPPORT_DESK_CLIENT_SECRET: (desk) => desk.clientSecret,
  SUPPORT_DESK_HALO_TENANT: (desk) => desk.haloTenant,
  SUPPORT_DESK_COMPANY_ID: (desk) => desk.companyId,
  SUPPORT_DESK_PUBLIC_KEY: (desk) => desk.publicKey,
  SUPPORT_DESK_PRIVATE_KEY: (desk) => desk.privateKey,
  SUPPORT_DESK_BOARD_ID: (desk) => desk.boardId,
  SUPPORT_DESK_API_INTEGRATION_CODE: (desk) => desk.apiIntegrationCode,
  SUPPORT_DESK_USERNAME: (desk) => desk.username,
  SUPPORT_DESK_QUEUE_ID: (desk) => desk.queueId,
};

/** SUPPORT_DESK_URL as it may be shown: scheme, host and path; user info, query and fragment dropped. */
export function shownDeskUrl(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return null;
  }
}

async function requireOwnerSomewhere(scope: ActorScope): Promise<void> {
  if (!(await isOwnerSomewhere(scope.db, scope.actor.userId))) {
    throw new AppError('forbidden', 'Only a workspace owner can see or test the support desk settings');
  }
}

export interface DeskDeps {
  config: Config;
  desk: SupportDesk | null;
}

export function describeDesk({ config, desk }: DeskDeps): DeskSettingsView {
  const settings = config.desk;
  const timeoutMs = settings?.timeoutMs ?? config.deskTimeoutMs;
  if (!settings) {
    return {
      provider: null,
      display_name: null,
      url: null,
      timeout_ms: timeoutMs,
      configured: {},
      ready: false,
    };
  }
  const { required, optional } = credentialsOf[settings.provider];
  const configured: Record<string, boolean> = {};
  for (const name of [...required, ...optional]) configured[name] = settingOf[name](settings) !== null;
  const url = shownDeskUrl(settings.url);
  return {
    provider: settings.provider,
    display_name: desk?.displayName ?? null,
    url,
    timeout_ms: timeoutMs,
    configured,
    ready: url !== null && required.every((name) => configured[name]),
  };
}

export async function getDeskSettings(scope: ActorScope, deps: DeskDeps): Promise<DeskSettingsView> {
  await requireOwnerSomewhere(scope);
  return describeDesk(deps);
}

const NO_DESK =
  'No support desk is configured: set SUPPORT_DESK_PROVIDER (webhook, zendesk, freshdesk, jira_service_management, halopsa, connectwise_psa or autotask) and SUPPORT_DESK_URL.';

/**
 * `tenantpilot desk check` for the page: one read-only call within the desk's budget (the adapters never
 * throw and never put a credential in a summary), audited as `support_desk.checked` with its outcome.
 * An installation-wide act: the event names no workspace, so every workspace of the actor lists it.
 */
export async function checkDesk(scope: ActorScope, { config, desk }: DeskDeps): Promise<DeskCheckResult> {
  await requireOwnerSomewhere(scope);
  let result: DeskCheckResult;
  if (!desk || !config.desk) {
    result = { ok: false, summary: NO_DESK };
  } else {
    const answer = await desk.check();
    const where = `${desk.displayName} at ${deskLocation(config.desk)}`;
    result = answer.ok
      ? { ok: true, summary: `${where}: ${answer.detail}` }
      : { ok: false, summary: `${where}: ${answer.summary}` };
  }
  await recordAuditEvent(scope.db, {
    actorUserId: scope.actor.userId,
    action: 'support_desk.checked',
    subjectType: 'support_desk',
    subjectId: config.desk?.provider ?? 'none',
    after: { ok: result.ok, summary: result.summary },
    clientAddress: scope.clientAddress,
  });
  return result;
}
