/** The performance bench's one table: each figure per database, "before", "now" and now/before. */
import type { LoadResult } from './load-worker.ts';
import { IDEAL_TICKETS_PER_SECOND, type RequestFigures } from './performance-scenarios.ts';

export interface TreeFigures extends RequestFigures {
  fixtureRowsPerSecond: number;
  startToHealthzMs: number;
  peakRssMiB: number;
}

export interface Row {
  figure: string;
  /** database → column ("before", "now") → value */
  values: Record<string, Record<string, number>>;
  digits: number;
}

const outcomes = (result: LoadResult, name: string) => result.outcomes[name] ?? 0;

/** Every figure of the table as a function of one tree's measurements. */
const FIGURES: [string, number, (f: TreeFigures) => number][] = [
  ['findings list, first page, 32 in flight: req/s', 0, (f) => f.list.app.perSecond],
  ['  p50 ms', 1, (f) => f.list.app.p50],
  ['  × bare node:http', 4, (f) => f.list.app.perSecond / f.list.bare.perSecond],
  ['  bare node:http req/s', 0, (f) => f.list.bare.perSecond],
  ['finding detail, 32 in flight: req/s', 0, (f) => f.detail.app.perSecond],
  ['  p50 ms', 1, (f) => f.detail.app.p50],
  ['  × bare node:http', 4, (f) => f.detail.app.perSecond / f.detail.bare.perSecond],
  ['  bare node:http req/s', 0, (f) => f.detail.bare.perSecond],
  ['internal_only submits, 16 in flight: /s', 0, (f) => f.internalOnly.app.perSecond],
  ['  p50 ms', 1, (f) => f.internalOnly.app.p50],
  ['  × bare node:http', 4, (f) => f.internalOnly.app.perSecond / f.internalOnly.bare.perSecond],
  ['  bare node:http req/s', 0, (f) => f.internalOnly.bare.perSecond],
  [
    'create_external_ticket, desk 200 ms, 100 in flight: created/s',
    0,
    (f) => perSecondCreated(f.externalTicket),
  ],
  [
    `  × ideal ${IDEAL_TICKETS_PER_SECOND}/s`,
    2,
    (f) => perSecondCreated(f.externalTicket) / IDEAL_TICKETS_PER_SECOND,
  ],
  [
    '  handoffs failed (of all answered)',
    0,
    (f) => f.externalTicket.answered - outcomes(f.externalTicket, 'external_ticket_created'),
  ],
  ['200 handoffs to a hung desk: first answer s', 2, (f) => f.hungDesk.min / 1000],
  ['  last answer s', 2, (f) => f.hungDesk.max / 1000],
  ['  answered (of 200)', 0, (f) => f.hungDesk.answered],
  ['  answered as failed handoffs', 0, (f) => outcomes(f.hungDesk, 'external_handoff_failed')],
  ['GET /healthz p99 ms, 4 in flight, idle', 1, (f) => f.cheapGetIdle.p99],
  ['  meanwhile (200 hung handoffs)', 1, (f) => f.cheapGetDuringHang.p99],
  ['fixtures load: rows/s', 0, (f) => f.fixtureRowsPerSecond],
  ['start to /healthz s (existing database)', 2, (f) => f.startToHealthzMs / 1000],
  ['server peak RSS MiB', 0, (f) => f.peakRssMiB],
];

function perSecondCreated(result: LoadResult): number {
  return result.answered === 0
    ? 0
    : (result.perSecond * outcomes(result, 'external_ticket_created')) / result.answered;
}

export function tableRows(figures: Record<string, Record<string, TreeFigures>>): Row[] {
  return FIGURES.map(([figure, digits, value]) => ({
    figure,
    digits,
    values: Object.fromEntries(
      Object.entries(figures).map(([database, columns]) => [
        database,
        Object.fromEntries(Object.entries(columns).map(([column, f]) => [column, value(f)])),
      ]),
    ),
  }));
}

const NAMES: Record<string, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };

export function printTable(rows: Row[], databases: readonly string[], withBefore: boolean) {
  const columns = withBefore ? ['before', 'now', 'now/before'] : ['now'];
  const header = ['figure', ...databases.flatMap((db) => columns.map((c) => `${NAMES[db] ?? db} ${c}`))];
  const cell = (row: Row, db: string, column: string) => {
    const values = row.values[db] ?? {};
    if (column !== 'now/before') return format(values[column], row.digits);
    const { before, now } = values;
    return before === undefined || now === undefined || before === 0 ? '-' : `${(now / before).toFixed(2)}×`;
  };
  const lines = [
    header,
    ...rows.map((row) => [row.figure, ...databases.flatMap((db) => columns.map((c) => cell(row, db, c)))]),
  ];
  const widths = header.map((_, i) => Math.max(...lines.map((line) => line[i]?.length ?? 0)));
  console.log();
  for (const line of lines)
    console.log(
      line
        .map((text, i) => (i === 0 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0)))
        .join('  '),
    );
}

function format(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
