import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../src/server/db/client.ts';
import type { App } from '../src/server/routing.ts';
import { percentile } from './load.ts';

/** Timing and plan helpers for the findings benchmark. */

export interface Latency {
  p50: number;
  p99: number;
  rps: number;
}

async function call(app: App, bearer: string, url: string): Promise<void> {
  const response = await app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
  });
  if (response.statusCode !== 200)
    throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
}

/** p50/p99 of `count` sequential requests, then requests/s with `concurrency` clients for `seconds`. */
export async function measure(
  app: App,
  bearer: string,
  url: string,
  opts: { count: number; concurrency: number; seconds: number },
): Promise<Latency> {
  for (let i = 0; i < 5; i++) await call(app, bearer, url);
  const times: number[] = [];
  for (let i = 0; i < opts.count; i++) {
    const start = process.hrtime.bigint();
    await call(app, bearer, url);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  let done = 0;
  const until = Date.now() + opts.seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (Date.now() < until) {
        await call(app, bearer, url);
        done++;
      }
    }),
  );
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    rps: (done * 1000) / (Date.now() - started),
  };
}

/** Walks the list with pages of 200 until `rows` items are behind it; the cursor found there, and how deep it got. */
export async function deepCursor(app: App, bearer: string, base: string, rows: number) {
  let cursor: string | null = null;
  let seen = 0;
  while (seen < rows) {
    const url = `${base}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
    });
    const page = response.json() as { items: unknown[]; next_cursor: string | null };
    if (page.next_cursor === null) break;
    seen += page.items.length;
    cursor = page.next_cursor;
  }
  return { cursor, seen };
}

/**
 * Watches the driver under the database (PGlite, or the pg.Pool) so the benchmark can see the last findings list
 * query the app sent, however drizzle built it, and explain it with the same parameters.
 */
export function recordingDb(db: Db): { db: Db; lastListQuery: () => SQL | null } {
  let last: { text: string; params: unknown[] } | null = null;
  const client = (db as Db & { $client: { query: (...args: unknown[]) => Promise<unknown> } }).$client;
  const query = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    const [first, params] = args;
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (text?.includes('join lateral') && !text.startsWith('explain')) {
      last = { text, params: Array.isArray(params) ? params : [] };
    }
    return query(...args);
  };
  return { db, lastListQuery: () => (last ? toSql(last.text, last.params) : null) };
}

/** The driver's `$n` text and parameters as a drizzle SQL again (which numbers its parameters in order). */
function toSql(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(
    parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`)),
    sql.raw(''),
  );
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** What the plan did to the findings table: indexes used, rows read from it, the largest sort, any seq scan. */
export async function explainFindings(db: Db, query: SQL) {
  const [row] = await queryRows<Record<string, unknown>>(db, sql`explain (analyze, format json) ${query}`);
  const raw = row ? Object.values(row)[0] : null;
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  const indexes = new Set<string>();
  let findingsRows = 0;
  let largestSort = 0;
  let seqScan = false;
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] === 'findings' || node['Index Name']?.startsWith('findings_')) {
      if (node['Index Name']) indexes.add(node['Index Name'].replace(/^findings_/, ''));
      if (node['Node Type'] === 'Seq Scan') seqScan = true;
      findingsRows +=
        ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1);
    }
    if (node['Node Type'] === 'Sort' || node['Node Type'] === 'Incremental Sort') {
      const input = node.Plans?.[0];
      largestSort = Math.max(largestSort, (input?.['Actual Rows'] ?? 0) * (input?.['Actual Loops'] ?? 1));
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  if (plan[0]) walk(plan[0].Plan);
  return { indexes: [...indexes].join('+'), findingsRows, largestSort, seqScan };
}
