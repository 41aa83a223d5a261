#!/usr/bin/env node
// Builds the browser UI into dist/web when it is missing or older than its sources.
// Silent (exit 0) when the build is up to date, so `npm start` stays quiet.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = join(root, 'dist', 'web', 'index.html');
const sourceDir = join(root, 'src', 'web');
const inputs = ['vite.config.ts', 'package.json', 'package-lock.json'].map((file) => join(root, file));

/** Newest mtime under a path; directories count too, so a deleted file still triggers a rebuild. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function isUpToDate() {
  if (!existsSync(builtIndex)) return false;
  const builtAt = statSync(builtIndex).mtimeMs;
  const newestInput = Math.max(newestMtime(sourceDir), ...inputs.map(newestMtime));
  return builtAt >= newestInput;
}

if (!isUpToDate()) {
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build'], { cwd: root, stdio: 'inherit' });
  if (result.error) {
    console.error(`Could not run vite build: ${result.error.message}`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}
