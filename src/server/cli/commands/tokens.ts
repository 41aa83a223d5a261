import { createApiToken, revokeApiToken } from '../../features/tenancy/user-admin.ts';
import { type Command, config, integerOption, note, print, withDatabase } from '../command.ts';

export const tokensCreate: Command = {
  name: 'tokens create',
  summary: 'Create an API token for a user. The token is printed once, on stdout; only its digest is stored.',
  inWebUi: 'people create their own API tokens on its Account page',
  options: {
    email: { type: 'string', value: 'E', description: 'email address of the user', required: true },
    name: { type: 'string', value: 'N', description: 'a label to recognise the token by (default: cli)' },
  },
  details: [
    'Use it as `Authorization: Bearer <token>`. Example: TOKEN=$(tenantpilot tokens create --email a@example.com)',
  ],
  async run({ values }) {
    const created = await withDatabase(config(), ({ db }) =>
      createApiToken(db, { email: values.email as string, name: values.name as string | undefined }),
    );
    note(
      `Created API token ${created.id} "${created.name}" for ${created.email}. It is shown only this once:`,
    );
    print(created.token);
    return 0;
  },
};

export const tokensRevoke: Command = {
  name: 'tokens revoke',
  summary: 'Revoke an API token by its id (as printed by `tokens create`).',
  inWebUi:
    'revoke tokens on its Account page (your own) or Administration → API tokens (an owner, any of the workspace)',
  options: { id: { type: 'string', value: 'N', description: 'id of the token', required: true } },
  async run({ values }) {
    const id = integerOption('id', values.id as string, 1, 2_147_483_647);
    const result = await withDatabase(config(), ({ db }) => revokeApiToken(db, id));
    print(
      result.alreadyRevoked
        ? `API token ${id} was already revoked on ${result.revokedAt.toISOString()}.`
        : `Revoked API token ${id}.`,
    );
    return 0;
  },
};
