import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ANOTHER_OWNER_MUST_DECIDE,
  approvalRefusal,
  openFigures,
  readSearchTerm,
  sortOverview,
} from './rules.ts';
import type { OverviewRow } from './schemas.ts';

/** docs/rules.md "Workspace views": the pure rules, one table each. */
const counts = (critical: number, high: number, medium: number, low: number, unassigned: number) => ({
  critical,
  high,
  medium,
  low,
  unassigned,
});

describe('openFigures', () => {
  test('sums the owners, subtracts the risk-accepted, counts gaps of no owner and of non-members', () => {
    const figures = openFigures(
      [
        { ownerKey: 0, ownerActive: false, ...counts(1, 0, 0, 0, 1) },
        { ownerKey: 7, ownerActive: true, ...counts(0, 2, 1, 0, 1) },
        { ownerKey: 9, ownerActive: false, ...counts(0, 0, 0, 3, 3) },
      ],
      [
        { ownerKey: 7, ...counts(0, 1, 0, 0, 0) },
        { ownerKey: 9, ...counts(0, 0, 0, 1, 1) },
      ],
    );
    assert.deepEqual(figures, {
      critical: 1,
      high: 1,
      medium: 1,
      low: 2,
      total: 5,
      accountability_gap: 3,
      unassigned: 4,
    });
  });

  test('an active member who owns nothing open adds nothing; no rows is all zero', () => {
    assert.equal(openFigures([], []).total, 0);
    assert.equal(
      openFigures([{ ownerKey: 3, ownerActive: true, ...counts(0, 0, 0, 0, 0) }], []).accountability_gap,
      0,
    );
  });
});

const row = (name: string, critical: number, at: string | null): OverviewRow => ({
  tenant: { external_id: name.toLowerCase(), name },
  open_findings: { critical, high: 0, medium: 0, low: 0, total: critical },
  accountability_gap: 0,
  unassigned: 0,
  pending_exceptions: 0,
  overdue_reviews: 0,
  failed_runs: 0,
  latest_run: at ? { id: 1, type: 'sync', status: 'completed', outcome: 'succeeded', at } : null,
});

describe('sortOverview', () => {
  const rows = [
    row('beta', 2, null),
    row('Alpha', 2, '2026-01-02T00:00:00.000Z'),
    row('gamma', 5, '2026-01-01T00:00:00.000Z'),
  ];
  const names = (sorted: OverviewRow[]) => sorted.map((one) => one.tenant.name);

  test('a figure, ties by name A–Z whichever the direction', () => {
    assert.deepEqual(names(sortOverview(rows, 'critical', 'desc')), ['gamma', 'Alpha', 'beta']);
    assert.deepEqual(names(sortOverview(rows, 'critical', 'asc')), ['Alpha', 'beta', 'gamma']);
  });

  test('names case-insensitively; the latest run with tenants without one last', () => {
    assert.deepEqual(names(sortOverview(rows, 'name', 'asc')), ['Alpha', 'beta', 'gamma']);
    assert.deepEqual(names(sortOverview(rows, 'name', 'desc')), ['gamma', 'beta', 'Alpha']);
    assert.deepEqual(names(sortOverview(rows, 'latest_run', 'desc')), ['Alpha', 'gamma', 'beta']);
    assert.deepEqual(names(sortOverview(rows, 'latest_run', 'asc')), ['gamma', 'Alpha', 'beta']);
  });
});

describe('approvalRefusal', () => {
  const cases: [string, number, string | null][] = [
    ['pending', 2, null],
    ['pending', 1, ANOTHER_OWNER_MUST_DECIDE],
    ['approved', 2, 'Only a pending exception can be approved'],
    ['rejected', 1, 'Only a pending exception can be approved'],
  ];
  for (const [status, actor, expected] of cases) {
    test(`${status}, requested by 1, asked by ${actor}`, () => {
      assert.equal(approvalRefusal({ status, requestedById: 1 }, actor), expected);
    });
  }
});

describe('readSearchTerm', () => {
  const cases: [string, { id: number | null; reference: string | null; likePrefix: string }][] = [
    ['42', { id: 42, reference: null, likePrefix: '42%' }],
    ['#42', { id: 42, reference: null, likePrefix: '#42%' }],
    ['0', { id: null, reference: null, likePrefix: '0%' }],
    ['99999999999', { id: null, reference: null, likePrefix: '99999999999%' }],
    ['sr-2026-000042', { id: null, reference: 'SR-2026-000042', likePrefix: 'sr-2026-000042%' }],
    ['  Legacy Auth ', { id: null, reference: null, likePrefix: 'legacy auth%' }],
    ['100%_\\', { id: null, reference: null, likePrefix: '100\\%\\_\\\\%' }],
  ];
  for (const [q, expected] of cases) {
    test(JSON.stringify(q), () => {
      const { id, reference, likePrefix } = readSearchTerm(q);
      assert.deepEqual({ id, reference, likePrefix }, expected);
    });
  }
});
