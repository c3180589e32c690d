/** The query states of design/DV-API.md, classified exactly as it says. */

export type StateClass = 'running' | 'done' | 'cancelled' | 'expired' | 'failed';

const CLASSES: Readonly<Record<string, StateClass>> = {
  RUNNING: 'running',
  PLANNING: 'running',
  QUERY_RUNNING: 'running',
  EVENTS_RUNNING: 'running',
  PROCESS_RUNNING: 'running',
  FINISHED: 'done',
  EMPTY_RESULTS: 'done',
  QUERY_CANCEL: 'cancelled',
  QUERY_CANCELLED: 'cancelled',
  QUERY_EXPIRED: 'expired',
  TIMED_OUT: 'expired',
  TIMEOUT: 'expired',
  FAILED: 'failed',
  FAILED_CLIENT: 'failed',
  ERROR: 'failed',
  QUERY_NOT_FOUND: 'failed',
};

/** An unknown state counts as running (until the run's timeout). Only the state decides: never progress 100. */
export function classifyState(state: unknown): StateClass {
  return (typeof state === 'string' ? CLASSES[state.toUpperCase()] : undefined) ?? 'running';
}

/** progressStatus as a number 0-100 (it comes as a number or a string), or undefined. */
export function progressOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : undefined;
}
