/**
 * The desk adapters behind the SupportDesk port. `createSupportDesk` only wires functions to the
 * configuration (no I/O), so it is cheap to call at start-up or per request.
 */
import type { DeskConfig, DeskProvider } from '../config.ts';
import { createAutotaskDesk } from './autotask.ts';
import { createConnectWiseDesk } from './connectwise.ts';
import type { SupportDesk } from './desk.ts';
import { createFreshdeskDesk } from './freshdesk.ts';
import { createHaloPsaDesk } from './halopsa.ts';
import { createJiraServiceManagementDesk } from './jira-service-management.ts';
import { createWebhookDesk } from './webhook.ts';
import { createZendeskDesk } from './zendesk.ts';

export type {
  DeskCheckResult,
  FindTicketResult,
  SupportDesk,
  TicketRequest,
  TicketResult,
} from './desk.ts';
export { NO_DESK_CUSTOMER } from './desk.ts';

const adapters: Record<DeskProvider, (config: DeskConfig) => SupportDesk> = {
  webhook: createWebhookDesk,
  zendesk: createZendeskDesk,
  freshdesk: createFreshdeskDesk,
  jira_service_management: createJiraServiceManagementDesk,
  halopsa: createHaloPsaDesk,
  connectwise_psa: createConnectWiseDesk,
  autotask: createAutotaskDesk,
};

export function createSupportDesk(config: DeskConfig): SupportDesk {
  return adapters[config.provider](config);
}

/** The URL to name in messages: scheme, host and path only (user info and query may carry keys). */
export function deskLocation(config: DeskConfig): string {
  if (!config.url) return 'no SUPPORT_DESK_URL';
  try {
    const url = new URL(config.url);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'an unreadable SUPPORT_DESK_URL';
  }
}
