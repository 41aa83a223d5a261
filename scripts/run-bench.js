#!/usr/bin/env node
// Runs every benchmark script in bench/ (each a standalone .ts file printing its own figures), or those whose
// file name contains one of the names given; options after the names (from the first `--x`) go to each script:
//   npm run bench -- performance --before main --json bench-results/performance.json
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'bench');
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('--'));
const only = firstOption === -1 ? args : args.slice(0, firstOption);
const scriptArgs = firstOption === -1 ? [] : args.slice(firstOption);
const scripts = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter(
        (file) =>
          file.endsWith('.bench.ts') && (only.length === 0 || only.some((name) => file.includes(name))),
      )
      .sort()
  : [];
if (scripts.length === 0) {
  console.log('No benchmarks yet: the support-request and findings issues add them to bench/.');
  process.exit(0);
}
let failed = false;
for (const script of scripts) {
  console.log(`\n== ${script}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, script), ...scriptArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
