import { DataList, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One label and value of a detail page's DataList. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** Free text exactly as stored: line breaks kept, long words wrapped; a dash when empty. */
export function Prose({ value }: { value: string | null }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {value || '—'}
    </Text>
  );
}
