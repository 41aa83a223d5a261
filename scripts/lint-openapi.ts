#!/usr/bin/env node
// Lints the OpenAPI document the app serves with Redocly's recommended rules: any error or warning fails.
// Run: node --import tsx scripts/lint-openapi.ts [--keep FILE]   (part of `npm run check`)
// The app is built on a throwaway embedded database, its document written to a temp directory and Redocly
// run there offline: no telemetry, no update check, and the document has no remote $ref.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createTestDatabase } from '../test/helpers/db.ts';

/**
 * Findings the project accepts, each with its reason; Redocly counts them as ignored, not as warnings.
 * Keep this list short: a new entry needs a reason a reviewer agrees with.
 */
const accepted = [
  {
    rule: 'operation-4xx-response',
    pointer: '#/paths/~1healthz/get/responses',
    // Public, no parameters, no body: it answers 200 or, with the database down, 500. A 4xx would be made up.
    why: 'GET /healthz has no client error to document',
  },
];

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}
interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Problem[];
}

async function openApiDocument(): Promise<object> {
  // The tests' embedded database, loaded from their cached migrated template (a fresh PGlite costs three
  // times the CPU); never a PostgreSQL server, even when TEST_DATABASE_URL names one.
  delete process.env.TEST_DATABASE_URL;
  const database = await createTestDatabase();
  try {
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    try {
      await app.ready();
      return app.swagger();
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

function writeWorkspace(dir: string, document: object): void {
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
  fs.writeFileSync(path.join(dir, 'redocly.yaml'), 'extends:\n  - recommended\ntelemetry: off\n');
  const ignored = accepted.map(({ rule, pointer }) => `  ${rule}:\n    - '${pointer}'\n`).join('');
  fs.writeFileSync(path.join(dir, '.redocly.lint-ignore.yaml'), `openapi.json:\n${ignored}`);
}

function runRedocly(dir: string): LintReport {
  const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
  const result = spawnSync(
    process.execPath,
    [cli, 'lint', 'openapi.json', '--config', 'redocly.yaml', '--format', 'json', '--max-problems', '1000'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
      },
    },
  );
  try {
    return JSON.parse(result.stdout) as LintReport;
  } catch {
    // Not a report: Redocly itself failed. Its own words (stderr also carries its Node 20 notice).
    throw new Error(`redocly lint did not report (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
}

function countOperations(document: { paths?: Record<string, object> }): number {
  const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  return Object.values(document.paths ?? {}).reduce(
    (count, item) => count + Object.keys(item).filter((key) => methods.has(key)).length,
    0,
  );
}

async function main(): Promise<number> {
  const keep = process.argv.includes('--keep') ? process.argv[process.argv.indexOf('--keep') + 1] : undefined;
  const document = await openApiDocument();
  if (keep) fs.writeFileSync(keep, JSON.stringify(document, null, 2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantpilot-openapi-'));
  try {
    writeWorkspace(dir, document);
    const { totals, problems } = runRedocly(dir);
    for (const problem of problems) {
      const where = problem.location[0]?.pointer ?? '';
      console.error(`${problem.severity.padEnd(5)} ${problem.ruleId}  ${where}\n      ${problem.message}`);
    }
    const summary = `${countOperations(document)} operations: ${totals.errors} errors, ${totals.warnings} warnings`;
    const exempted = accepted.map(({ why }) => why).join('; ');
    console.log(`OpenAPI lint (Redocly recommended): ${summary}, ${totals.ignored} accepted (${exempted})`);
    return totals.errors + totals.warnings === 0 ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
