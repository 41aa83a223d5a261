import { Button, Stack, Text } from '@mantine/core';

interface LoadMoreProps {
  count: number;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  /** "finding" → "Showing all 3 findings". */
  noun: string;
}

/** The foot of a keyset-paged list: "Load more" while there is a next cursor, else how many are shown. */
export function LoadMore({ count, hasMore, loading, onLoadMore, noun }: LoadMoreProps) {
  if (count === 0) return null;
  return (
    <Stack align="center" gap="xs" mt="md">
      {hasMore ? (
        <Button variant="default" onClick={onLoadMore} loading={loading}>
          Load more
        </Button>
      ) : (
        <Text size="sm" c="dimmed">
          {count === 1 ? `Showing the only ${noun}` : `Showing all ${count} ${noun}s`}
        </Text>
      )}
    </Stack>
  );
}
