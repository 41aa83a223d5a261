import { Group, Table, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  header: string;
  render: (row: Row) => ReactNode;
  width?: number | string;
  align?: 'left' | 'right';
  /** Keep the cell on one line (badges, timestamps); the table scrolls sideways instead. */
  nowrap?: boolean;
  /** The header is a button that sorts by this column (DataTable's `sort` says how it is sorted now). */
  sortable?: boolean;
  /** The header is read by screen readers only (a checkbox column, whose cells name themselves). */
  headerHidden?: boolean;
}

export type SortDirection = 'asc' | 'desc';

/** How the rows are sorted, and what a click on a sortable header asks for. */
export interface TableSort {
  key: string;
  direction: SortDirection;
  onSort: (key: string) => void;
}

interface DataTableProps<Row> {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  /** Read by screen readers to name the table. */
  caption: string;
  minWidth?: number;
  sort?: TableSort;
}

const arrows: Record<SortDirection, string> = { asc: '▲', desc: '▼' };

/** A sortable header: a button naming its order for screen readers (the th carries aria-sort). */
function SortHeader<Row>({ column, sort }: { column: Column<Row>; sort: TableSort }) {
  const active = sort.key === column.key;
  return (
    <UnstyledButton onClick={() => sort.onSort(column.key)} fw={700} fz="sm">
      <Group gap={4} wrap="nowrap" component="span">
        {column.header}
        <span aria-hidden="true" style={{ opacity: active ? 1 : 0.3 }}>
          {active ? arrows[sort.direction] : '↕'}
        </span>
      </Group>
    </UnstyledButton>
  );
}

const ariaSort = (column: { key: string }, sort: TableSort | undefined) => {
  if (!sort || sort.key !== column.key) return undefined;
  return sort.direction === 'asc' ? 'ascending' : 'descending';
};

/** The one way to render a table: column definitions in, a scrollable, labelled table out. */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  caption,
  minWidth = 640,
  sort,
}: DataTableProps<Row>) {
  return (
    // Focusable, so keyboard users can scroll a table wider than the screen (axe's scrollable-region-
    // focusable, when no cell has a link or button). Positioned, so visually hidden text in a cell (absolute)
    // is clipped with the table instead of widening the page.
    <Table.ScrollContainer
      minWidth={minWidth}
      type="native"
      tabIndex={0}
      role="group"
      aria-label={caption}
      pos="relative"
    >
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="sm">
        {/* Names the table for screen readers without taking space on screen. */}
        <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th
                key={column.key}
                scope="col"
                w={column.width}
                ta={column.align}
                style={column.nowrap ? { whiteSpace: 'nowrap' } : undefined}
                aria-sort={column.sortable ? (ariaSort(column, sort) ?? 'none') : undefined}
              >
                {column.sortable && sort ? (
                  <SortHeader column={column} sort={sort} />
                ) : column.headerHidden ? (
                  <VisuallyHidden>{column.header}</VisuallyHidden>
                ) : (
                  column.header
                )}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {columns.map((column) => (
                <Table.Td
                  key={column.key}
                  ta={column.align}
                  style={column.nowrap ? { whiteSpace: 'nowrap' } : undefined}
                >
                  {column.render(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
