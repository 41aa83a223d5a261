#!/usr/bin/env node
// Builds the browser UI into dist/web when it is missing or older than its sources (`--force`: always).
// Silent (exit 0) when the build is up to date, so `npm start` stays quiet.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime, swapIntoPlace } from './build-output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src', 'web');
const target = join(root, 'dist', 'web');
const builtIndex = join(target, 'index.html');
const inputs = [
  sourceDir,
  ...['vite.config.ts', 'package.json', 'package-lock.json'].map((file) => join(root, file)),
];

function isUpToDate() {
  if (!existsSync(builtIndex)) return false;
  return statSync(builtIndex).mtimeMs >= newestMtime(inputs);
}

/**
 * Builds dist/web when needed. `output`: where vite's progress goes (`tenantpilot serve` keeps its stdout
 * for its own lines).
 */
export function ensureWebBuild({ force = false, output = 'inherit' } = {}) {
  if (!force && isUpToDate()) return;
  if (!existsSync(sourceDir) && existsSync(builtIndex)) return; // a deployed build without its sources
  const staging = join(root, 'dist', `web.building-${process.pid}`);
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--outDir', staging, '--emptyOutDir'], {
    cwd: root,
    stdio: ['ignore', output, output],
  });
  if (result.error || result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Could not build the UI: vite build ${result.error?.message ?? `exited ${result.status}`}`,
    );
  }
  swapIntoPlace(staging, target);
}

// Run as a script (not imported by bin/tenantpilot.js); realpath, as import.meta.url is one.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureWebBuild({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
