import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { rateLimitHits } from '../features/tenancy/tables.ts';

/**
 * A @fastify/rate-limit store in the database, so that every server process behind a load balancer
 * counts the same attempts (the plugin's default store counts per process).
 */
export function databaseRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = '') {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ) {
      const id = `${this.prefix}${key}`;
      const t = rateLimitHits;
      queryRows<{ count: number | string; ttl: number | string }>(
        db,
        sql`
        insert into ${t} (key, count, window_ends_at)
        values (${id}, 1, now() + ${timeWindow} * interval '1 millisecond')
        on conflict (key) do update set
          count = case when ${t.windowEndsAt} <= now() then 1 else ${t.count} + 1 end,
          window_ends_at = case when ${t.windowEndsAt} <= now() then excluded.window_ends_at else ${t.windowEndsAt} end
        returning count, ceil(extract(epoch from (window_ends_at - now())) * 1000) as ttl`,
      )
        .then(([row]) => {
          callback(null, {
            current: Number(row?.count ?? 1),
            ttl: Math.max(0, Number(row?.ttl ?? timeWindow)),
          });
        })
        .catch((error: Error) => callback(error));
    }

    child(routeOptions: { path: string; prefix: string }): FastifyRateLimitStore {
      return new DatabaseStore(`${routeOptions.path}:`);
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}
