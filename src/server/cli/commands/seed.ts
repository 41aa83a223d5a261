import { formatDemoSignIns, isDatabaseEmpty, seedDemo } from '../../features/tenancy/demo-seed.ts';
import { type Command, config, describeDatabase, print, UsageError, withDatabase } from '../command.ts';

export const seed: Command = {
  name: 'seed',
  summary: 'Load the demo data (two workspaces, six tenants, runs, findings) into an empty database.',
  options: {
    demo: { type: 'boolean', description: 'the demo data set (the only one; required)', required: true },
  },
  details: ['A database that already has users is left as it is.'],
  async run({ values }) {
    if (values.demo !== true) throw new UsageError('seed needs --demo (the only data set it knows)', 'seed');
    const settings = config();
    const loaded = await withDatabase(
      settings,
      async ({ db }) => ((await isDatabaseEmpty(db)) ? seedDemo(db) : null),
      { bulkWrite: true },
    );
    if (!loaded) {
      print(`Nothing loaded: ${describeDatabase(settings)} already has users.`);
      return 0;
    }
    print(`Demo data loaded into ${describeDatabase(settings)}.`);
    print(formatDemoSignIns(loaded));
    return 0;
  },
};
