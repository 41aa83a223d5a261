#!/usr/bin/env node
// Builds the browser UI into dist/web when it is missing or older than its sources (`--force`: always).
// Silent (exit 0) when the build is up to date, so `npm start` stays quiet.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime, swapIntoPlace } from './build-output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'web');
const builtIndex = join(target, 'index.html');
const inputs = ['src/web', 'vite.config.ts', 'package.json', 'package-lock.json'].map((file) =>
  join(root, file),
);

function isUpToDate() {
  if (!existsSync(builtIndex)) return false;
  return statSync(builtIndex).mtimeMs >= newestMtime(inputs);
}

if (process.argv.includes('--force') || !isUpToDate()) {
  const staging = join(root, 'dist', `web.building-${process.pid}`);
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--outDir', staging, '--emptyOutDir'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.error) {
    console.error(`Could not run vite build: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
  swapIntoPlace(staging, target);
}
