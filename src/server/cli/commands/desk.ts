import { createSupportDesk, deskLocation } from '../../desks/index.ts';
import { type Command, config, print } from '../command.ts';

export const deskCheck: Command = {
  name: 'desk check',
  summary: 'Check the configured support desk: URL and credentials, by one read-only call. Creates nothing.',
  options: {},
  details: [
    "The desk comes from SUPPORT_DESK_PROVIDER, SUPPORT_DESK_URL and the provider's credentials; the call",
    'has the same budget as a ticket (SUPPORT_DESK_TIMEOUT_MS, at most 5000). Exits 0 only when the desk',
    'accepted the call; otherwise prints what is wrong and exits 1.',
  ],
  async run() {
    const desk = config().desk;
    if (!desk) {
      process.stderr.write(
        'tenantpilot: no support desk is configured: set SUPPORT_DESK_PROVIDER (webhook, zendesk, freshdesk, jira_service_management, halopsa, connectwise_psa or autotask) and SUPPORT_DESK_URL.\n',
      );
      return 1;
    }
    const supportDesk = createSupportDesk(desk);
    const result = await supportDesk.check();
    const where = `${supportDesk.displayName} at ${deskLocation(desk)}`;
    if (result.ok) {
      print(`${where}: ${result.detail}`);
      return 0;
    }
    process.stderr.write(`tenantpilot: ${where}: ${result.summary}\n`);
    return 1;
  },
};
