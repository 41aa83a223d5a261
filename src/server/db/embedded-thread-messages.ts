// What the server's thread and the embedded database's thread say to each other (embedded-thread.ts).
import type { Results, RowMode } from '@electric-sql/pglite';

export interface ThreadOpenOptions {
  /** A folder, or undefined for a database in memory. */
  dataDir: string | undefined;
  /** A dump (`dumpDataDir`) to start from, as the test suite's migrated template. */
  loadDataDir?: Blob;
  /** PostgreSQL settings after PGlite's own, as `-c name=value` pairs. */
  startParams?: string[];
  /** A bound on the thread's young generation (V8's own is larger), where memory matters more than a scavenge. */
  youngGenerationMb?: number;
}

export type ThreadRequest =
  | {
      kind: 'query';
      id: number;
      text: string;
      params: unknown[];
      rowMode: RowMode;
      /** Types whose values come back as PostgreSQL's text, for the caller's own parsers. */
      textTypes: number[];
      paramTypes?: number[];
      /** The open transaction it runs in, by the id of the request that began it. */
      transaction?: number;
    }
  | { kind: 'begin'; id: number }
  | { kind: 'end'; id: number; transaction: number; commit: boolean }
  | { kind: 'close'; id: number };

/** An error's name, message and every field of its own (a DatabaseError's code, constraint, detail…). */
export type ThreadError = { name: string; message: string } & Record<string, unknown>;

/** Id 0 answers the start: 'ready', or why the database did not open. */
export type ThreadAnswer =
  | { id: number; result: Results | number | string | null; failed?: undefined }
  | { id: number; error: ThreadError; failed: true };
