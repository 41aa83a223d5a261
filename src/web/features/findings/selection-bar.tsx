import { Button, Checkbox, Group, Paper, Text } from '@mantine/core';

interface SelectionBarProps {
  /** Rows ticked (on any page loaded so far). */
  selectedCount: number;
  /** Every finding the filters match is selected, not only the ticked rows. */
  allMatching: boolean;
  /** How many the filters match, once counted (undefined while counting); `more` past the bulk limit. */
  matching: { count: number; more: boolean; limit: number } | undefined;
  pageCount: number;
  pageSelected: boolean;
  onTogglePage: () => void;
  onSelectAllMatching: () => void;
  onClear: () => void;
  onChange: () => void;
}

/**
 * docs/rules.md "Finding lifecycle", bulk change: tick rows, or take every finding the filters match, then change
 * them together. Says at every moment what a change would touch.
 */
export function SelectionBar(props: SelectionBarProps) {
  const { selectedCount, allMatching, matching, pageCount, pageSelected } = props;
  const target = allMatching ? (matching?.count ?? 0) : selectedCount;
  const offerAll = !allMatching && pageSelected && matching !== undefined && matching.count > selectedCount;
  return (
    <Paper withBorder radius="md" p="sm" mb="sm" role="region" aria-label="Selection">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Group gap="md" wrap="wrap">
          <Checkbox
            label={`Select the ${pageCount} shown`}
            checked={pageSelected || allMatching}
            indeterminate={!pageSelected && !allMatching && selectedCount > 0}
            disabled={allMatching || pageCount === 0}
            onChange={props.onTogglePage}
          />
          <Text size="sm" aria-live="polite">
            {allMatching
              ? `All ${target} findings matching these filters are selected.`
              : selectedCount === 0
                ? 'No finding selected.'
                : `${selectedCount} selected.`}
          </Text>
          {offerAll ? (
            matching.more ? (
              <Text size="sm" c="dimmed">
                More than {matching.limit.toLocaleString('en')} match: narrow the filters to change them all.
              </Text>
            ) : (
              <Button variant="subtle" size="compact-sm" onClick={props.onSelectAllMatching}>
                Select all {matching.count} matching these filters
              </Button>
            )
          ) : null}
        </Group>
        <Group gap="xs">
          {selectedCount > 0 || allMatching ? (
            <Button variant="default" size="sm" onClick={props.onClear}>
              Clear selection
            </Button>
          ) : null}
          <Button size="sm" disabled={target === 0} onClick={props.onChange}>
            Change {target > 0 ? `${target} ` : ''}selected…
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
