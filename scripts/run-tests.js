#!/usr/bin/env node
// Runs the test suite with Node's test runner. Node 20 neither expands globs nor finds .ts files in a
// directory (and then exits 0 having run nothing), so the file list is built here and must not be empty.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureServerBuild } from './ensure-server-build.js';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const e2e = args.includes('--e2e');
const tapFile = args.find((arg) => arg.startsWith('--tap='))?.slice('--tap='.length);
const only = args.filter((arg) => !arg.startsWith('--'));

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.test.ts') && !file.split(path.sep).includes('node_modules'))
    .map((file) => path.join(dir, file));
}

const e2eDir = path.join(root, 'test', 'e2e');
const files = (
  only.length > 0
    ? only.map((file) => path.resolve(file))
    : e2e
      ? testFiles(e2eDir)
      : [...testFiles(path.join(root, 'src')), ...testFiles(path.join(root, 'test'))].filter(
          (file) => !file.startsWith(e2eDir + path.sep),
        )
).sort();

if (files.length === 0) {
  console.error(
    `No test files found${e2e ? ' in test/e2e' : ''}: refusing to report a green run that tested nothing.`,
  );
  process.exit(1);
}

// Tests start `tenantpilot` as a child process, which runs the compiled server: build it once here rather
// than in the first children of several test files at once.
try {
  ensureServerBuild();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

// A browser test file starts a real server and Chromium, and walks whole flows: minutes, not seconds, on a
// loaded machine (the administration flow alone measured 160–290 s with two files at once on 2 cores).
const browserTests = files.some((file) => file.startsWith(e2eDir + path.sep));
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
if (tapFile) reporters.push('--test-reporter=tap', `--test-reporter-destination=${tapFile}`);

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${browserTests ? 600_000 : 120_000}`,
    ...reporters,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
