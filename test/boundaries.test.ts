// The import boundaries of docs/decisions/0005-import-boundaries.md, proved the only way a lint rule can be:
// each rule is shown a planted violation and must fail on it (a check that reads nothing passes everything).
// The plants go into a temporary folder holding a byte-for-byte copy of biome.json and the plugin files it
// names, so they can carry real file names (service.ts, tables.ts) and a concurrent `npm run check` in the
// working tree never sees them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const biome = path.join(root, 'node_modules', '.bin', 'biome');
const boundaryCategories = new Set(['lint/style/noRestrictedImports', 'plugin']);

interface Diagnostic {
  severity: string;
  category: string;
  message: string;
  location: { path: string | null; start: { line: number } | null };
}

interface Report {
  summary: { changed: number; unchanged: number };
  diagnostics: Diagnostic[];
}

/** Biome's json reporter (experimental, and it says so on stderr; Biome is pinned exactly). */
function lint(cwd: string, args: string[]): { status: number | null; report: Report } {
  const result = spawnSync(biome, ['lint', '--reporter=json', '--max-diagnostics=none', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.ok(result.stdout.trim().startsWith('{'), `biome printed no report: ${result.stderr}`);
  return { status: result.status, report: JSON.parse(result.stdout) as Report };
}

/** A boundary diagnostic as `rule@line`; a boundary that is not an error fails here. */
function boundaryHits(report: Report): string[] {
  return report.diagnostics
    .filter((diagnostic) => boundaryCategories.has(diagnostic.category))
    .map((diagnostic) => {
      const rule = /^Import boundary (\d):/.exec(diagnostic.message)?.[1] ?? `? ${diagnostic.message}`;
      assert.equal(diagnostic.severity, 'error', `boundary ${rule} must be an error`);
      assert.equal(diagnostic.category, rule === '5' ? 'plugin' : 'lint/style/noRestrictedImports');
      return `${rule}@${diagnostic.location.start?.line}`;
    })
    .sort();
}

let sandbox = '';

before(() => {
  sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-boundaries-'));
  const config = fs.readFileSync(path.join(root, 'biome.json'), 'utf8');
  fs.writeFileSync(path.join(sandbox, 'biome.json'), config);
  const overrides = (JSON.parse(config) as { overrides?: { plugins?: string[] }[] }).overrides ?? [];
  const plugins = overrides.flatMap((override) => override.plugins ?? []);
  assert.ok(plugins.length > 0, 'biome.json names no plugin: rule 5 is not configured');
  for (const plugin of plugins) {
    fs.mkdirSync(path.dirname(path.join(sandbox, plugin)), { recursive: true });
    fs.copyFileSync(path.join(root, plugin), path.join(sandbox, plugin));
  }
});

after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

/** Lints one planted file with the project's config; it must have been read, then it is removed. */
function plant(file: string, lines: string[]): { status: number | null; hits: string[]; report: Report } {
  const target = path.join(sandbox, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${lines.join('\n')}\n`);
  try {
    const { status, report } = lint(sandbox, ['--vcs-enabled=false', file]);
    assert.equal(report.summary.changed + report.summary.unchanged, 1, `biome did not read ${file}`);
    return { status, hits: boundaryHits(report), report };
  } finally {
    fs.rmSync(target);
  }
}

function assertFails(file: string, lines: string[], expected: string[]): void {
  const { status, hits } = plant(file, lines);
  assert.deepEqual(hits, expected, file);
  assert.notEqual(status, 0, `${file}: biome must exit non-zero`);
}

function assertPasses(file: string, lines: string[]): void {
  const { status, report } = plant(file, lines);
  assert.deepEqual(report.diagnostics, [], file);
  assert.equal(status, 0, file);
}

describe('import boundaries (biome.json)', () => {
  test('1: no file under src/server/features, test or not, imports src/server/http', () => {
    const use = ['export const planted = resolveAccess;'];
    const http = "import { resolveAccess } from '../../http/access.ts';";
    assertFails('src/server/features/findings/views.ts', [http, ...use], ['1@1']);
    assertFails('src/server/features/findings/list.test.ts', [http, ...use], ['1@1']);
  });

  test('2: production code under src never imports test/; a *.test.ts beside the code may', () => {
    const helper = ["import { startFakeDesk } from '../../../test/helpers/fake-desk.ts';"];
    const use = ['export const planted = startFakeDesk;'];
    assertFails('src/server/desks/planted-kit.ts', [...helper, ...use], ['2@1']);
    assertFails(
      'src/web/app/planted.ts',
      ["import { x } from '../../../test/helpers/x.ts';", 'export const y = x;'],
      ['2@1'],
    );
    assertPasses('src/server/desks/planted.test.ts', [...helper, ...use]);
  });

  test('3: *queries.ts and tables.ts never import routes.ts or service.ts', () => {
    const upward = [
      "import { registerFindingRoutes } from './routes.ts';",
      "import { listFindings } from './service.ts';",
      'export const planted = [registerFindingRoutes, listFindings];',
    ];
    for (const file of ['queries.ts', 'list-queries.ts', 'write-queries.ts', 'tables.ts']) {
      assertFails(`src/server/features/findings/${file}`, upward, ['3@1', '3@2']);
    }
    assertFails(
      'src/server/features/tenancy/access-queries.ts',
      ["import { x } from '../findings/service.ts';", 'export const y = x;'],
      ['3@1'],
    );
  });

  test('3: only app.ts imports a feature routes.ts: service.ts and rules.ts never do', () => {
    const routes = [
      "import { registerFindingRoutes } from './routes.ts';",
      'export const planted = registerFindingRoutes;',
    ];
    assertFails('src/server/features/findings/service.ts', routes, ['3@1']);
    assertFails('src/server/features/findings/rules.ts', routes, ['3@1']);
    assertPasses('src/server/app.ts', [
      "import { registerFindingRoutes } from './features/findings/routes.ts';",
      'export const planted = registerFindingRoutes;',
    ]);
  });

  test('4: src/server/core imports no Fastify, http/ or features/; a type-only db/client.ts import is fine', () => {
    assertFails(
      'src/server/core/planted.ts',
      [
        "import cookie from '@fastify/cookie';",
        "import type { Db } from '../db/client.ts';",
        "import fastify from 'fastify';",
        "import { resolveAccess } from '../http/access.ts';",
        "import { listFindings } from '../features/findings/queries.ts';",
        'export const planted = [cookie, fastify, resolveAccess, listFindings];',
        'export type PlantedDb = Db;',
      ],
      ['4@1', '4@3', '4@4', '4@5'],
    );
  });

  test('5: src/web imports src/server for values, inline `type` or import() only to fail', () => {
    assertFails(
      'src/web/features/findings/planted.ts',
      [
        "import { AppError } from '../../../server/core/errors.ts';",
        "import { type Db } from '../../../server/db/client.ts';",
        "export { scopeOf } from '../../../server/routing.ts';",
        "const lazy = await import('../../../server/core/ids.ts');",
        'export const planted: [unknown, Db | undefined] = [AppError, lazy];',
      ],
      ['5@1', '5@2', '5@3', '5@4'],
    );
  });

  test('5: src/web may import src/server types with `import type` and `export type`', () => {
    assertPasses('src/web/features/findings/planted.ts', [
      "import type { AppError } from '../../../server/core/errors.ts';",
      "import type * as Schemas from '../../../server/features/findings/schemas.ts';",
      "export type { Db } from '../../../server/db/client.ts';",
      'export type {',
      '  FindingListQuery,',
      '  ResponsibilityUpdate as Change,',
      "} from '../../../server/features/findings/schemas.ts';",
      'export type Planted = [AppError, Schemas.FindingParams];',
    ]);
  });

  test('each file keeps every boundary of its folders (a later override replaces an earlier one)', () => {
    const everything = [
      "import { a } from '../../http/access.ts';",
      "import { b } from '../../../../test/helpers/db.ts';",
      "import { c } from './service.ts';",
      "import { d } from './routes.ts';",
      'export const planted = [a, b, c, d];',
    ];
    assertFails('src/server/features/audit/record.ts', everything, ['1@1', '2@2', '3@4']);
    assertFails('src/server/features/audit/queries.ts', everything, ['1@1', '2@2', '3@3', '3@4']);
    assertFails('src/server/features/audit/tables.ts', everything, ['1@1', '2@2', '3@3', '3@4']);
    assertFails('src/server/features/audit/service.ts', everything, ['1@1', '2@2', '3@4']);
    assertFails('src/server/features/audit/record.test.ts', everything, ['1@1']);
    const core = [
      "import { b } from '../../../test/helpers/db.ts';",
      "import fastify from 'fastify';",
      'export const planted = [b, fastify];',
    ];
    assertFails('src/server/core/planted.ts', core, ['2@1', '4@2']);
    assertFails('src/server/core/planted.test.ts', core, ['4@2']);
  });

  test('the working tree keeps every boundary', () => {
    const { report } = lint(root, ['src']);
    assert.ok(report.summary.changed + report.summary.unchanged > 100, 'biome read almost nothing under src');
    const hits = report.diagnostics
      .filter((diagnostic) => boundaryCategories.has(diagnostic.category))
      .map(
        (diagnostic) =>
          `${diagnostic.location.path}:${diagnostic.location.start?.line} ${diagnostic.message}`,
      );
    assert.deepEqual(hits, []);
  });
});
