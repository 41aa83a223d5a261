#!/usr/bin/env node
// Compiles the server (src/server) to JavaScript in dist/server when the build is missing or older than its
// sources (`--force`: always), so that `tenantpilot` runs on plain Node with no TypeScript loader.
// tsc with rewriteRelativeImportExtensions: the sources import each other with `.ts` extensions, and the
// output keeps src/server's layout one-to-one, so every path the code builds from import.meta (the
// migrations, ../../../dist/web, package.json) points at the same place from dist/server as from src/server.
// Type checking is `npm run check`'s job (noCheck), which keeps a rebuild to a few seconds.
import { spawnSync } from 'node:child_process';
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
  ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((file) => join(root, file)),
  fileURLToPath(import.meta.url),
  join(root, 'scripts', 'build-output.js'),
];
const isTestFile = (name) => name.endsWith('.test.ts');

function isUpToDate(newestInput) {
  if (!existsSync(stampFile)) return false;
  return Number(readFileSync(stampFile, 'utf8')) >= newestInput;
}

function findCompiler() {
  try {
    const typescript = createRequire(import.meta.url).resolve('typescript/package.json');
    return join(dirname(typescript), 'bin', 'tsc');
  } catch {
    return undefined;
  }
}

function compile(tsc, newestInput) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const staging = join(root, 'dist', `server.building-${process.pid}`);
  // Diagnostics go to stderr: stdout of `tenantpilot` is data (fixtures load prints JSON there).
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging],
    {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
    },
  );
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Could not compile the server: tsc ${result.error?.message ?? `exited ${result.status}`}`,
    );
  }
  // Everything that is not TypeScript is a runtime asset (migrations, JSON schemas): beside its code.
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
  const tsc = findCompiler();
  if (tsc === undefined) {
    if (!existsSync(stampFile)) {
      throw new Error(
        'The server is not built (dist/server) and TypeScript is not installed to build it: run "npm ci", then "npm run build".',
      );
    }
    // Installed without development dependencies: the build there is what was deployed.
    console.error(
      'dist/server is older than src/server, and TypeScript is not installed to rebuild it: running it as it is.',
    );
    return false;
  }
  compile(tsc, newestInput);
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
