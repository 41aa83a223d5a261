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
    // Loaded here: the HTTP stack takes about a second to import, which no other command should pay.
    const { startServer } = await import('../../main.ts');
    await startServer({ config: config(), demo: values.demo === true, port, host });
    return undefined; // keep running: the server exits on SIGINT/SIGTERM
  },
};
