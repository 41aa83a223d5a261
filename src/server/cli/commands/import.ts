import fs from 'node:fs';
import { importFromCommandLine } from '../../features/imports/service.ts';
import { type Command, config, print, withDatabase } from '../command.ts';

/** Opens the file, with the reason in one line when it cannot be read. */
async function openFile(file: string): Promise<fs.ReadStream> {
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return fs.createReadStream(file);
}

export const importResults: Command = {
  name: 'import',
  summary:
    'Import a Maester, ScubaGear or tenantpilot.results.v1 file: a run per assessment, findings updated.',
  options: {
    tenant: {
      type: 'string',
      value: 'EXTERNAL_ID',
      description:
        "the tenant to import into; without it, each part goes to the tenant with the file's directory id",
    },
  },
  positionals: ['FILE'],
  inWebUi: 'import it on the tenant page (Import results)',
  details: [
    'Files up to 50 MB; a merged Maester file may name several tenants. Prints the answer of',
    'POST /admin/t/{tenant}/imports as JSON: the run(s), the counts, and any part that was refused.',
  ],
  async run({ values, positionals }) {
    const file = positionals[0] as string;
    const tenant = typeof values.tenant === 'string' ? values.tenant : undefined;
    const stream = await openFile(file);
    const { body } = await withDatabase(
      config(),
      (database) => importFromCommandLine(database.db, stream, tenant),
      { bulkWrite: true },
    ).finally(() => stream.destroy());
    print(JSON.stringify(body));
    return 0;
  },
};
