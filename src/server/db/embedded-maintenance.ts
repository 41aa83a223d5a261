import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './client.ts';

/**
 * What autovacuum does for PostgreSQL, done for the embedded database. PGlite runs PostgreSQL as one process
 * with no autovacuum launcher, so without this its tables never get statistics: the planner then guesses, and
 * a tenant's findings list took 69 ms where the same query with statistics takes 11 ms (105,000 findings in
 * one tenant; it read every open finding and sorted them instead of walking the index in the list's order).
 * Nor are dead rows ever vacuumed, nor the visibility map set that index-only counts rely on.
 */

/** One table's size and activity, as PostgreSQL's statistics report them. */
export interface TableActivity {
  table: string;
  /** Rows as of the last ANALYZE or VACUUM; negative when the table has never been analyzed. */
  estimatedRows: number;
  /** Pages as of the last ANALYZE or VACUUM, and now. */
  analyzedPages: number;
  pages: number;
  /** Since this process opened the database: PGlite keeps no activity counters across a restart. */
  deadRows: number;
  changedSinceAnalyze: number;
  insertedSinceVacuum: number;
}

export interface MaintenanceStep {
  table: string;
  vacuum: boolean;
}

// PostgreSQL's autovacuum defaults (autovacuum_*_threshold and *_scale_factor), so the embedded database is
// kept as a PostgreSQL server would keep itself.
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_THRESHOLD = 50;
const VACUUM_SCALE = 0.2;
const VACUUM_INSERT_THRESHOLD = 1000;
const VACUUM_INSERT_SCALE = 0.2;

/**
 * The tables to analyze, and which of them to vacuum too: autovacuum's rules on this process's counters, plus
 * what the counters cannot show because another process wrote it (a command such as `import` or `fixtures
 * load` runs while no server holds the data directory): a table never analyzed, or grown by a tenth since.
 */
export function tablesToMaintain(tables: readonly TableActivity[]): MaintenanceStep[] {
  return tables.flatMap((activity) => {
    const rows = Math.max(activity.estimatedRows, 0);
    const neverAnalyzed = activity.estimatedRows < 0 && activity.pages > 0;
    const grown = activity.pages > activity.analyzedPages * (1 + ANALYZE_SCALE) + 1;
    const changed = activity.changedSinceAnalyze > ANALYZE_THRESHOLD + ANALYZE_SCALE * rows;
    const vacuum =
      activity.deadRows > VACUUM_THRESHOLD + VACUUM_SCALE * rows ||
      activity.insertedSinceVacuum > VACUUM_INSERT_THRESHOLD + VACUUM_INSERT_SCALE * rows;
    return neverAnalyzed || grown || changed || vacuum ? [{ table: activity.table, vacuum }] : [];
  });
}

async function readActivity(db: Db): Promise<TableActivity[]> {
  const rows = await queryRows<Record<keyof TableActivity, string | number>>(
    db,
    // Never analyzed: no statistics in pg_statistic (reltuples alone does not say so: CREATE INDEX sets it too,
    // and a bulk load builds its indexes after the rows).
    sql`select c.relname as "table",
          case when exists (select 1 from pg_statistic where starelid = c.oid) then c.reltuples else -1 end
            as "estimatedRows",
          c.relpages as "analyzedPages",
          pg_relation_size(c.oid) / current_setting('block_size')::int as "pages",
          s.n_dead_tup as "deadRows", s.n_mod_since_analyze as "changedSinceAnalyze",
          s.n_ins_since_vacuum as "insertedSinceVacuum"
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.schemaname = current_schema()
        order by c.relname`,
  );
  return rows.map((row) => ({
    table: String(row.table),
    estimatedRows: Number(row.estimatedRows),
    analyzedPages: Number(row.analyzedPages),
    pages: Number(row.pages),
    deadRows: Number(row.deadRows),
    changedSinceAnalyze: Number(row.changedSinceAnalyze),
    insertedSinceVacuum: Number(row.insertedSinceVacuum),
  }));
}

/**
 * One pass: reads every table's activity, then analyzes those the rules pick, one by one, and vacuums those that
 * need it too when `vacuum` says so (the embedded database, which has no autovacuum). Without it: after a bulk
 * write on PostgreSQL (`fixtures load`, `import`, `seed`), analyzing now, as PostgreSQL's guide to bulk loading
 * asks, rather than a minute or so later when autovacuum gets to the tables. Until then a fresh database has no
 * statistics, and the findings list's plan walked the (tenant, status) index and sorted every open finding of
 * the tenant: 1.7 ms a page against 0.35 ms, on the 110,000-row bench fixture. Vacuuming stays autovacuum's.
 */
export async function maintainTables(db: Db, { vacuum }: { vacuum: boolean }): Promise<MaintenanceStep[]> {
  const steps = tablesToMaintain(await readActivity(db)).map((step) => ({
    table: step.table,
    vacuum: vacuum && step.vacuum,
  }));
  for (const step of steps) {
    const table = sql.identifier(step.table);
    await db.execute(step.vacuum ? sql`vacuum (analyze) ${table}` : sql`analyze ${table}`);
  }
  return steps;
}

export interface EmbeddedMaintenance {
  /** Ends the schedule, after the pass under way if one is. */
  stop(): Promise<void>;
}

/** autovacuum_naptime's default: how often a pass looks. */
export const MAINTENANCE_INTERVAL_MS = 60_000;

/**
 * Work under way that must answer by a deadline: a handoff waiting for its desk, whose outcome is written at
 * the end of its budget. A pass holds the embedded database for up to half a second (measured: ~0.4 s after
 * 5,000 submits), which would land on top of those outcome writes and push the answers past the budget; so
 * a pass that falls due while any such work is under way waits for none to be.
 */
let deadlineWorkUnderWay = 0;

/** Runs `work` as deadline work (see above): maintenance of the embedded database waits for it. */
export async function asDeadlineWork<T>(work: () => Promise<T>): Promise<T> {
  deadlineWorkUnderWay++;
  try {
    return await work();
  } finally {
    deadlineWorkUnderWay--;
  }
}

/** How often a pass held off by deadline work looks again, and how long at most it waits. */
const HELD_OFF_RECHECK_MS = 250;
const LONGEST_HOLD_OFF_MS = 10 * 60_000;

/**
 * Runs a pass every `intervalMs`, the first one `intervalMs` after start so that start-up and the first
 * requests are not held behind it. A pass holds the embedded database while it runs (half a second for
 * 100,000 findings), so one that falls due while deadline work is under way waits until none is, looking
 * every quarter second, and runs anyway after `longestHoldOffMs`: a desk that never lets go must not stop
 * maintenance. A failed pass is reported and the next one tries again.
 */
export function scheduleEmbeddedMaintenance(
  db: Db,
  onError: (error: Error) => void,
  intervalMs = MAINTENANCE_INTERVAL_MS,
  longestHoldOffMs = LONGEST_HOLD_OFF_MS,
): EmbeddedMaintenance {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout;
  const wait = (ms: number, then: () => void) => {
    timer = setTimeout(then, ms);
    timer.unref();
  };
  const due = (heldOffMs: number) => {
    if (deadlineWorkUnderWay > 0 && heldOffMs < longestHoldOffMs) {
      wait(HELD_OFF_RECHECK_MS, () => due(heldOffMs + HELD_OFF_RECHECK_MS));
      return;
    }
    running = maintainTables(db, { vacuum: true })
      .catch((error: Error) => onError(error))
      .finally(() => {
        if (!stopped) next();
      });
  };
  const next = () => wait(intervalMs, () => due(0));
  next();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
