import { type Command, config, describeDatabase, print, withDatabase } from '../command.ts';

export const migrate: Command = {
  name: 'migrate',
  summary: 'Apply the database migrations that have not run yet. `serve` does this too at start-up.',
  options: {},
  async run() {
    const settings = config();
    await withDatabase(settings, async () => {});
    print(`Migrations applied to ${describeDatabase(settings)}.`);
    return 0;
  },
};
