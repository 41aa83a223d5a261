import { FixtureError, loadFixtures, readFixtureFile } from '../../features/tenancy/fixtures.ts';
import { type Command, config, print, withDatabase } from '../command.ts';

export const fixturesLoad: Command = {
  name: 'fixtures load',
  summary: 'Load a fixture file: all of it in one transaction, or nothing when any record is wrong.',
  options: {},
  positionals: ['FILE'],
  details: [
    'The file format is src/server/features/tenancy/fixture.schema.json. On success, prints one JSON object',
    'mapping every key to the id its record got, per collection: {"users": {"alice": 1}, ...}.',
  ],
  async run({ positionals }) {
    const file = positionals[0] as string;
    const data = await readFixtureFile(file);
    const ids = await withDatabase(
      config(),
      (database) =>
        loadFixtures(database.db, data).catch((error: unknown) => {
          throw error instanceof FixtureError ? new Error(`${file}: ${error.message}`) : error;
        }),
      { bulkWrite: true },
    );
    print(JSON.stringify(ids));
    return 0;
  },
};
