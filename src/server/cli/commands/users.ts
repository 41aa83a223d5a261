import { resetSecondFactor } from '../../features/second-factor/service.ts';
import { createUser, deactivateUser, MIN_PASSWORD_LENGTH } from '../../features/tenancy/user-admin.ts';
import { type Command, config, print, UsageError, withDatabase } from '../command.ts';

/** The password comes from a pipe so it never shows in shell history or the process list. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      `--password-stdin reads a pipe, e.g. printf '%s' "$PASSWORD" | tenantpilot users create ...`,
      'users create',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!password) throw new Error('--password-stdin was given but stdin was empty');
  return password;
}

export const usersCreate: Command = {
  name: 'users create',
  summary: 'Create a user. Without --password-stdin the user cannot sign in with a password.',
  inWebUi: 'invite people on its Administration → People page',
  options: {
    email: {
      type: 'string',
      value: 'E',
      description: 'email address (unique, case-insensitive)',
      required: true,
    },
    name: { type: 'string', value: 'N', description: 'display name', required: true },
    'password-stdin': {
      type: 'boolean',
      description: `read the password (at least ${MIN_PASSWORD_LENGTH} characters) from stdin`,
    },
    inactive: { type: 'boolean', description: 'create the user inactive (cannot sign in)' },
  },
  details: [
    `Example: printf '%s' "$PASSWORD" | tenantpilot users create --email a@example.com --name Ann --password-stdin`,
  ],
  async run({ values }) {
    const password = values['password-stdin'] ? await readPasswordFromStdin() : null;
    const user = await withDatabase(config(), ({ db }) =>
      createUser(db, {
        email: values.email as string,
        displayName: values.name as string,
        password,
        active: values.inactive !== true,
      }),
    );
    const state = [user.active ? 'active' : 'inactive', password ? 'with a password' : 'without a password'];
    print(`Created user ${user.id} ${user.email} (${state.join(', ')}).`);
    return 0;
  },
};

export const usersDeactivate: Command = {
  name: 'users deactivate',
  summary:
    'Deactivate a user: they can no longer sign in, their sessions end and their API tokens stop working.',
  inWebUi: 'suspend people on its Administration → People page',
  options: {
    email: { type: 'string', value: 'E', description: 'email address of the user', required: true },
  },
  async run({ values }) {
    const result = await withDatabase(config(), ({ db }) => deactivateUser(db, values.email as string));
    print(
      result.wasActive
        ? `Deactivated user ${result.id} ${result.email}.`
        : `User ${result.id} ${result.email} was already inactive.`,
    );
    return 0;
  },
};

export const usersResetSecondFactor: Command = {
  name: 'users reset-second-factor',
  summary:
    'Turn off the two-step sign-in of someone who lost their phone and recovery codes; their sessions end.',
  inWebUi: 'people turn their own off on Your account → Two-step sign-in, with a recovery code',
  options: {
    email: { type: 'string', value: 'E', description: 'email address of the user', required: true },
  },
  details: ['They then sign in with their password alone and set up a new authenticator.'],
  async run({ values }) {
    const result = await withDatabase(config(), ({ db }) => resetSecondFactor(db, values.email as string));
    print(
      result.hadSecondFactor
        ? `Turned off two-step sign-in of user ${result.id} ${result.email}; ${result.sessionsEnded} session(s) ended.`
        : `User ${result.id} ${result.email} had no two-step sign-in; ${result.sessionsEnded} session(s) ended.`,
    );
    return 0;
  },
};
