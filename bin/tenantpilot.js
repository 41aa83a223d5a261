#!/usr/bin/env node
// The `tenantpilot` command. TenantPilot runs its TypeScript through tsx; the project's own tsconfig is
// named so that a tsconfig.json in whatever directory the command is run from is never picked up.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { runCli } = await import('../src/server/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
