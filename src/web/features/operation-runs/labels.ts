import type { RunOutcome, RunStatus } from './api.ts';

// Typed by the server's enums, so each map names every value; its order is the filter's order.

export const runStatusLabels: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
};

export const runOutcomeLabels: Record<RunOutcome, string> = {
  succeeded: 'Succeeded',
  partially_succeeded: 'Partially succeeded',
  failed: 'Failed',
};
