#!/usr/bin/env node
// Builds the server (src/server) into dist/server when the build is missing or older than its sources
// (`--force`: always), so that `tenantpilot` runs on plain Node with no TypeScript loader.
// esbuild bundles the sources and most of their dependencies into a few ES modules (cli/main.js, the HTTP
// stack as a chunk `serve` loads on demand): loading a handful of files instead of some thousand is most of
// what start-up costs (docs/decisions/0008-bundled-server.md). Files beside the code (the migrations) are
// copied with src/server's layout, and the code finds them from its folder (src/server/server-root.ts).
// Type checking is `npm run check`'s job; a rebuild takes well under a second.
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime, swapIntoPlace } from './build-output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src', 'server');
const target = join(root, 'dist', 'server');
/** Holds the newest input mtime the build was made from: a source saved during a build leaves it stale. */
const stampFile = join(target, '.built-from');
const inputs = [
  sourceDir,
  // package.json's "type" decides the output's module format; the lock is left out, as npm rewrites it
  // (npm prune) without changing what the compiler makes of the sources.
  ...['tsconfig.json', 'package.json'].map((file) => join(root, file)),
  fileURLToPath(import.meta.url),
  join(root, 'scripts', 'build-output.js'),
];
const isTestFile = (name) => name.endsWith('.test.ts');

function isUpToDate(newestInput) {
  if (!existsSync(stampFile)) return false;
  return Number(readFileSync(stampFile, 'utf8')) >= newestInput;
}

/**
 * Dependencies loaded from node_modules rather than bundled: each reads files of its own package at run
 * time (PGlite's WebAssembly and data files, argon2's native module, the Swagger UI's assets), or is an
 * optional add-on that is absent (pg-native).
 */
const external = ['@electric-sql/pglite', '@node-rs/argon2', '@fastify/swagger-ui', 'pg-native'];
// CommonJS dependencies inside an ES module bundle still call require() for Node's own modules.
const requireShim =
  "import { createRequire as __tenantpilotCreateRequire } from 'node:module';\n" +
  'const require = __tenantpilotCreateRequire(import.meta.url);';

function findBundler() {
  try {
    return createRequire(import.meta.url)('esbuild');
  } catch {
    return undefined;
  }
}

function compile(esbuild, newestInput) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const staging = join(root, 'dist', `server.building-${process.pid}`);
  try {
    esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: {
        'cli/main': join(sourceDir, 'cli', 'main.ts'),
        // The embedded database's thread is a module of its own, found by path (db/embedded-thread.ts).
        'db/embedded-thread-worker': join(sourceDir, 'db', 'embedded-thread-worker.ts'),
      },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.19',
      external,
      chunkNames: 'chunks/[name]-[hash]',
      banner: { js: requireShim },
      // Diagnostics go to stderr: stdout of `tenantpilot` is data (fixtures load prints JSON there).
      logLevel: 'warning',
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not build the server: ${error.message}`);
  }
  // Everything that is not TypeScript is a runtime asset (the migrations): beside its code, as in src/server.
  cpSync(sourceDir, staging, { recursive: true, filter: (path) => !path.endsWith('.ts') });
  writeFileSync(join(staging, '.built-from'), String(newestInput));
  swapIntoPlace(staging, target);
}

/** Builds dist/server when needed; returns whether it did. */
export function ensureServerBuild({ force = false } = {}) {
  const newestInput = newestMtime(inputs, isTestFile);
  if (!force && isUpToDate(newestInput)) return false;
  if (!existsSync(sourceDir)) {
    if (existsSync(stampFile)) return false; // a deployed build without its sources: run what is there
    throw new Error('Neither the compiled server (dist/server) nor its sources (src/server) are here.');
  }
  const esbuild = findBundler();
  if (esbuild === undefined) {
    if (!existsSync(stampFile)) {
      throw new Error(
        'The server is not built (dist/server) and esbuild is not installed to build it: run "npm ci", then "npm run build".',
      );
    }
    // Installed without development dependencies: the build there is what was deployed.
    console.error(
      'dist/server is older than src/server, and esbuild is not installed to rebuild it: running it as it is.',
    );
    return false;
  }
  compile(esbuild, newestInput);
  return true;
}

// Run as a script (not imported by bin/tenantpilot.js); realpath, as import.meta.url is one.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureServerBuild({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
