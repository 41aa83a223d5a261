import { Button, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime, humanize } from '../../ui/format.ts';

const SHOWN = 5;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A stored value as people read it: text as is (moments as dates), nothing as a dash, a list as its
 * items, a small record (`{tenant, role}`) as its values, anything else as compact JSON.
 */
export function readable(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') {
    if (value === '') return '""';
    return ISO_INSTANT.test(value) ? formatDateTime(value) : value;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(readable).join(', ');
  if (isRecord(value) && Object.values(value).every((item) => item === null || typeof item !== 'object')) {
    return Object.values(value).map(readable).join(': ');
  }
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ChangeLine {
  key: string;
  label: string;
  /** Absent when the event recorded no "before" (a creation). */
  before?: string;
  /** Absent when the event recorded no "after" (a removal). */
  after?: string;
}

/**
 * The event's before and after as lines: a changed key reads `before → after`, a key only one side has
 * reads its value. Keys that did not change are left out; events store only what changed anyway.
 */
export function changeLines(before: unknown, after: unknown): ChangeLine[] {
  if (!isRecord(before) && !isRecord(after)) {
    if (before == null && after == null) return [];
    return [
      {
        key: 'value',
        label: 'Value',
        ...(before == null ? {} : { before: readable(before) }),
        ...(after == null ? {} : { after: readable(after) }),
      },
    ];
  }
  const was = isRecord(before) ? before : {};
  const now = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])];
  return keys.flatMap((key) => {
    const inBefore = key in was;
    const inAfter = key in now;
    if (inBefore && inAfter && JSON.stringify(was[key]) === JSON.stringify(now[key])) return [];
    return [
      {
        key,
        label: humanize(key),
        ...(inBefore ? { before: readable(was[key]) } : {}),
        ...(inAfter ? { after: readable(now[key]) } : {}),
      },
    ];
  });
}

function Line({ line }: { line: ChangeLine }) {
  return (
    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
      <Text span fw={600} size="xs">
        {line.label}:
      </Text>{' '}
      {line.before !== undefined && line.after !== undefined ? (
        <>
          {line.before} <span aria-hidden="true">→</span>
          <VisuallyHidden> changed to</VisuallyHidden>{' '}
          <Text span size="xs" fw={500}>
            {line.after}
          </Text>
        </>
      ) : line.after !== undefined ? (
        line.after
      ) : (
        <>
          {line.before}{' '}
          <Text span size="xs" c="dimmed">
            (removed)
          </Text>
        </>
      )}
    </Text>
  );
}

/** A compact diff of one audit event, the first few lines with a way to see them all. */
export function ChangeList({ before, after }: { before: unknown; after: unknown }) {
  const [all, setAll] = useState(false);
  const lines = changeLines(before, after);
  if (lines.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    );
  }
  const shown = all ? lines : lines.slice(0, SHOWN);
  return (
    <Stack gap={2} miw={200} maw={360}>
      {shown.map((line) => (
        <Line key={line.key} line={line} />
      ))}
      {lines.length > SHOWN ? (
        <Button
          variant="subtle"
          size="compact-xs"
          onClick={() => setAll((current) => !current)}
          aria-expanded={all}
          style={{ alignSelf: 'flex-start' }}
        >
          {all ? 'Show fewer' : `Show all ${lines.length} changes`}
        </Button>
      ) : null}
    </Stack>
  );
}
