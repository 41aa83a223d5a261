#!/usr/bin/env node
// Builds the browser UI into dist/web when it is missing or older than its sources.
// Silent (exit 0) when the build is up to date, so `npm start` stays quiet.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  // Built beside dist/web and swapped in with renames, so a server or a browser test reading
  // dist/web never sees a half-emptied folder while another process rebuilds it.
  const target = join(root, 'dist', 'web');
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
  const previous = join(root, 'dist', `web.previous-${process.pid}`);
  try {
    renameSync(target, previous);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another build swapped its output in between our two renames: theirs is as fresh as ours.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
}
