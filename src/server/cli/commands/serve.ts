import { openDatabase } from '../../db/client.ts';
import { restartWithServingFlags, setServingFlags } from '../../serving-memory.ts';
import { type Command, config, integerOption, UsageError } from '../command.ts';

export const serve: Command = {
  name: 'serve',
  summary: 'Migrate the database and serve TenantPilot until stopped (Ctrl-C or SIGTERM).',
  options: {
    port: {
      type: 'string',
      value: 'N',
      description: 'port to listen on (default: PORT or 3000; 0 picks a free one)',
    },
    host: { type: 'string', value: 'H', description: 'address to listen on (default: HOST or 127.0.0.1)' },
    demo: {
      type: 'boolean',
      description: 'load the demo data into an empty database and print its sign-ins',
    },
  },
  async run({ values }) {
    const port = typeof values.port === 'string' ? integerOption('port', values.port, 0, 65535) : undefined;
    const host = typeof values.host === 'string' ? values.host : undefined;
    if (host !== undefined && !host.trim()) throw new UsageError('--host must not be empty', 'serve');
    const settings = config();
    if (settings.database.kind === 'pglite') {
      restartWithServingFlags();
      setServingFlags();
    }
    // The database opens while the HTTP stack loads: the embedded one's WebAssembly compiles off the main
    // thread meanwhile. (Loaded here, the HTTP stack is a cost no other command should pay.)
    const opening = openDatabase(settings.database, { serving: true });
    opening.catch(() => {}); // awaited by startServer; this only keeps a failure from counting as unhandled
    const { startServer } = await import('../../main.ts');
    await startServer({ config: settings, database: opening, demo: values.demo === true, port, host });
    return undefined; // keep running: the server exits on SIGINT/SIGTERM
  },
};
