export type { BudgetsOptions, Endpoint } from './budgets.ts';
export { Budgets, DEFAULT_INTERVALS, defaultBudgets, RateBudget } from './budgets.ts';
export type { CallOptions, ClientOptions, RetryInfo } from './client.ts';
export { DvClient } from './client.ts';
export type { ResolveConnectionOptions } from './connection.ts';
export { Connection, createConnection, isLoopback, normalizeHost, resolveConnection } from './connection.ts';
export type { CancelOutcome, RunnerErrorCode, RunnerErrorOptions } from './errors.ts';
export { exitCodeOf, isRunnerError, RunnerError } from './errors.ts';
export type { EventsPage } from './page.ts';
export { readEventsPageBytes } from './page.ts';
export type { NetworkFailure, RetryPolicy } from './retry.ts';
export {
  backoffDelay,
  CANCEL_POLICY,
  classifyNetworkError,
  GET_POLICY,
  INIT_POLICY,
  parseRetryAfter,
} from './retry.ts';
export type { DvEvent, RunHandle, RunOptions, RunProgress, RunSummary } from './run.ts';
export { DEFAULT_ABORT_GRACE_MS, DEFAULT_LIMIT, prepareQuery, resolveWindow, runQuery } from './run.ts';
export type { StateClass } from './states.ts';
export { classifyState, progressOf } from './states.ts';
export type { IocHit, SweepResult, SweepRunOptions } from './sweep.ts';
export { planSweepQueries, SweepIncompleteError, sweep } from './sweep.ts';
