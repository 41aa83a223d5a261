// A copy of the checkout in a temporary directory, for tests of the build and of the built command: the
// real checkout's dist/server is never touched, and the copy's node_modules can leave packages out.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CliResult, outputOf } from './cli-process.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const installed = fs.realpathSync(path.join(repoRoot, 'node_modules'));
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean }>;
};

/** Every installed package but tsx (what `npm ci` gives, less the TypeScript loader). */
export const allButTsx = (name: string) => name !== 'tsx' && name !== '.bin';

/** The runtime dependencies and theirs: what `npm prune --omit=dev` leaves. */
export const runtimeOnly = (name: string) => {
  const entry = lock.packages[`node_modules/${name}`];
  return entry !== undefined && entry.dev !== true;
};

export interface CheckoutCopy {
  dir: string;
  bin: string;
  /** Copies these files or folders of the checkout into the copy (test files left out). */
  copy(...relatives: string[]): void;
  /** Gives the copy a node_modules of links to the installed packages that `keep` names. */
  linkNodeModules(keep: (name: string) => boolean): void;
  /** `tenantpilot ARGS` of the copy, with no NODE_OPTIONS, on the embedded database in `dataDir`. */
  start(args: string[]): ChildProcess;
  run(args: string[]): Promise<CliResult>;
  remove(): void;
}

export function createCheckoutCopy(): CheckoutCopy {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-checkout-'));
  const dir = path.join(work, 'checkout');
  const dataDir = path.join(work, 'data');
  const bin = path.join(dir, 'bin', 'tenantpilot.js');
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, 'dist', 'web'), path.join(dir, 'dist', 'web'));
  let modulesMade = 0;

  const start = (args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TENANTPILOT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    for (const name of ['NODE_OPTIONS', 'DATABASE_URL', 'TENANTPILOT_DEBUG', 'TENANTPILOT_PUBLIC_URL']) {
      delete env[name];
    }
    return spawn(process.execPath, [bin, ...args], { cwd: os.tmpdir(), env });
  };

  return {
    dir,
    bin,
    copy(...relatives) {
      for (const relative of relatives) {
        fs.cpSync(path.join(repoRoot, relative), path.join(dir, relative), {
          recursive: true,
          filter: (source) => !source.endsWith('.test.ts'),
        });
      }
    },
    linkNodeModules(keep) {
      const modules = path.join(work, `modules-${++modulesMade}`);
      fs.mkdirSync(modules);
      for (const entry of fs.readdirSync(installed)) {
        const names = entry.startsWith('@')
          ? fs.readdirSync(path.join(installed, entry)).map((name) => `${entry}/${name}`)
          : [entry];
        for (const name of names.filter(keep)) {
          fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
          fs.symlinkSync(path.join(installed, name), path.join(modules, name));
        }
      }
      fs.rmSync(path.join(dir, 'node_modules'), { force: true });
      fs.symlinkSync(modules, path.join(dir, 'node_modules'));
    },
    start,
    run: (args) => outputOf(start(args)),
    remove: () => fs.rmSync(work, { recursive: true, force: true }),
  };
}
