import { Table, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  header: string;
  render: (row: Row) => ReactNode;
  width?: number | string;
  align?: 'left' | 'right';
  /** Keep the cell on one line (badges, timestamps); the table scrolls sideways instead. */
  nowrap?: boolean;
}

interface DataTableProps<Row> {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  /** Read by screen readers to name the table. */
  caption: string;
  minWidth?: number;
}

/** The one way to render a table: column definitions in, a scrollable, labelled table out. */
export function DataTable<Row>({ columns, rows, rowKey, caption, minWidth = 640 }: DataTableProps<Row>) {
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
              >
                {column.header}
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
