import v8 from 'node:v8';

/**
 * How far V8 may grow its heap past what survived the last full collection, for a server with the embedded
 * database: 20 % instead of V8's own factor, which lets a busy server grow to two or three times its live
 * objects before it collects. Under the performance bench (Node 20, 110,000 findings) the server's peak
 * resident memory went from ~430 MiB to 273–315 MiB; in three alternating runs of each, its throughput was
 * 0–7 % lower. A server on PostgreSQL holds no database in its process (peak ~180–310 MiB without the
 * setting) and lost 6–8 % of its throughput to it, so it keeps V8's factor. This factor is read at every
 * collection, so it can be set from inside the process (decision 0011).
 */
const HEAP_GROWTH_FLAG = '--heap-growing-percent=20';

/**
 * PGlite's WebAssembly compiled by Liftoff, V8's baseline compiler, only: optimizing PostgreSQL's largest
 * functions left 30–60 MiB in glibc's per-thread arenas after the compilers had freed it, and the bench's
 * peak went from 333–343 to 261–263 MiB without it, for 13–17 % of finding detail and `internal_only`
 * submits (decision 0015). Node 20's V8 reads it when it compiles a module, so it is set before the
 * database's thread compiles PGlite; Node 24's reads it only when V8 starts.
 */
const BASELINE_WASM_FLAG = '--liftoff-only';

/**
 * The young generation's bound, read only when V8 starts: Node 24's V8 grows it to 128 MiB under load,
 * Node 20's stops at 32 (two semi-spaces of 16).
 */
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=16';

/** What `serve` restarts with, before the flags it was started with, where Node can restart itself. */
export const SERVING_START_FLAGS = [HEAP_GROWTH_FLAG, BASELINE_WASM_FLAG, YOUNG_GENERATION_FLAG];

/** Set in the environment of the process `serve` became, so that it does not start itself again. */
const RESTARTED_MARK = 'TENANTPILOT_SERVING_FLAGS';

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/**
 * For `serve` on the embedded database only (a command exits when done), before anything is opened: where
 * Node can replace the process with itself (`process.execve`, Node 24), does so once, with the
 * flags V8 reads only at its start. Same process id, standard streams, working directory and environment,
 * so a supervisor sees no difference. Elsewhere (Node 20) returns, and `setServingFlags` does what it can.
 */
export function restartWithServingFlags(): void {
  const execve = (process as { execve?: Execve }).execve;
  if (!execve || process.env[RESTARTED_MARK] !== undefined) return;
  const flags = SERVING_START_FLAGS;
  try {
    execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)], {
      ...process.env,
      [RESTARTED_MARK]: flags.join(' '),
    });
  } catch {
    // Not replaced (a platform without execve): this process serves, with what can be set at run time.
  }
}

/** The flags V8 reads at run time; for `serve` on the embedded database, before the database opens. */
export function setServingFlags(): void {
  v8.setFlagsFromString(HEAP_GROWTH_FLAG);
  v8.setFlagsFromString(BASELINE_WASM_FLAG);
}
