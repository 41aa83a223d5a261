import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rateLimitHits } from '../tenancy/tables.ts';

/**
 * docs/rules.md "Administration": the sign-in limit counts failed password attempts only, in the
 * database, so that every server process counts the same. An attempt reserves a place in its key's
 * window *before* the password is checked, atomically, so a burst of parallel guesses cannot all slip
 * in under the limit; a correct password gives its place back. What is left counted is the failures.
 * A window opens with the first attempt and closes `windowMs` later; once `max` places are taken, every
 * attempt (a correct password too) is refused until it closes.
 */

export interface AttemptLimit {
  max: number;
  windowMs: number;
}

/** A place taken in a window: given back (`releaseAttempt`) when the attempt turns out to be right. */
export interface Reservation {
  key: string;
  windowEndsAt: Date;
  /** Places taken in the window, this one included: `max` means this attempt was the last allowed. */
  count: number;
}

export type AttemptOutcome =
  | { allowed: true; reservation: Reservation }
  | { allowed: false; retryAfterSeconds: number };

const t = rateLimitHits;
const windowClosed = sql`${t.windowEndsAt} <= now()`;
/** Expired windows cleared each time a new window opens: enough to keep the table from growing. */
const PRUNE_BATCH = 20;

export async function reserveAttempt(db: Db, key: string, limit: AttemptLimit): Promise<AttemptOutcome> {
  // Milliseconds only, so the window end read back as a Date names the same window exactly.
  const newWindowEnd = sql`date_trunc('milliseconds', now() + ${limit.windowMs} * interval '1 millisecond')`;
  const [taken] = await db
    .insert(t)
    .values({ key, count: 1, windowEndsAt: newWindowEnd })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        count: sql`case when ${windowClosed} then 1 else ${t.count} + 1 end`,
        windowEndsAt: sql`case when ${windowClosed} then excluded.window_ends_at else ${t.windowEndsAt} end`,
      },
      setWhere: sql`${windowClosed} or ${t.count} < ${limit.max}`,
    })
    .returning({ count: t.count, windowEndsAt: t.windowEndsAt });
  if (taken) {
    if (taken.count === 1) await pruneClosedWindows(db);
    return { allowed: true, reservation: { key, ...taken } };
  }
  const [full] = await db
    .select({ seconds: sql<string>`ceil(extract(epoch from ${t.windowEndsAt} - now()))` })
    .from(t)
    .where(eq(t.key, key));
  return { allowed: false, retryAfterSeconds: Math.max(1, Number(full?.seconds ?? 1)) };
}

/** Gives a place back to the window it was taken in; nothing if that window has closed since. */
export async function releaseAttempt(db: Db, reservation: Reservation): Promise<void> {
  await db
    .update(t)
    .set({ count: sql`${t.count} - 1` })
    .where(and(eq(t.key, reservation.key), eq(t.windowEndsAt, reservation.windowEndsAt), gt(t.count, 0)));
}

async function pruneClosedWindows(db: Db): Promise<void> {
  const closed = db.select({ key: t.key }).from(t).where(lte(t.windowEndsAt, sql`now()`)).limit(PRUNE_BATCH);
  await db.delete(t).where(inArray(t.key, closed));
}
