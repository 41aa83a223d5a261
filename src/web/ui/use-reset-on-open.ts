import { useLayoutEffect, useRef } from 'react';

/**
 * Runs `reset` each time a modal opens, before paint, so its form starts fresh and nothing stale
 * flashes. The modals stay mounted: that is what lets Mantine return focus to the opener on close.
 */
export function useResetOnOpen(opened: boolean, reset: () => void): void {
  const latest = useRef(reset);
  latest.current = reset;
  useLayoutEffect(() => {
    if (opened) latest.current();
  }, [opened]);
}
