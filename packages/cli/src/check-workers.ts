/**
 * The worker threads of `s1ql check` (each runs check-thread.ts). Nothing here loads the checking code, so the
 * command can start its workers before this thread loads it, and both load at once.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HuntCheck } from '@s1ql/library';

/**
 * Below this many files this thread alone is faster: measured on a shared 2-core machine, where a worker costs
 * ~0.3 s of start-up (loading the packages again) and two busy threads each run ~30% slower than one alone, the
 * threads break even at ~2,000 hunts (test/bench/check.bench.ts has the figures).
 */
export const MIN_FILES_FOR_WORKERS = 2000;
const MAX_THREADS = 4;

/** One file's outcome: plain data, as a worker posts it. A file that cannot be read has its error code. */
export type FileOutcome =
  | { readonly index: number; readonly check: HuntCheck; readonly text: string }
  | { readonly index: number; readonly error: string };

/** A batch of files for a worker (`first` is the index of the first one), or `null` when there are no more. */
export type WorkerRequest = { readonly first: number; readonly paths: readonly string[] } | null;

export interface WorkerData {
  readonly cwd: string;
  /** The lint configuration file, already found valid by the main thread. */
  readonly configPath?: string;
}

/**
 * Worker threads to start, besides this thread, which checks files too (it loads the checking code anyway, for the
 * checks across files and the report: on two cores, this thread and one worker beat two workers and an idle one). By default one per other core,
 * up to MAX_THREADS threads in all, and none for a small library. `S1QL_CHECK_WORKERS=N` sets N whatever the size
 * (how the tests compare the two ways on small libraries; 0: this thread alone).
 */
export function workersFor(files: number, env: NodeJS.ProcessEnv): number {
  const forced = env.S1QL_CHECK_WORKERS;
  if (forced !== undefined && forced !== '') {
    const workers = Number(forced);
    if (!Number.isInteger(workers) || workers < 0) {
      throw new Error(`S1QL_CHECK_WORKERS must be a whole number, 0 or more, not ${JSON.stringify(forced)}`);
    }
    return Math.min(workers, files);
  }
  if (files < MIN_FILES_FOR_WORKERS) return 0;
  return Math.max(0, Math.min(availableParallelism(), MAX_THREADS) - 1);
}

export interface WorkerPool {
  /** How many workers. */
  readonly size: number;
  /**
   * Hands out batches from `take` until it returns `null`, passing each batch of outcomes to `done`; resolves
   * when every worker has finished and exited.
   */
  readonly run: (take: () => WorkerRequest, done: (batch: readonly FileOutcome[]) => void) => Promise<void>;
  /** Stops the workers (after a failure; they end by themselves after `run`). */
  readonly close: () => Promise<void>;
}

export function startWorkers(count: number, data: WorkerData): WorkerPool {
  const url = new URL('./check-worker.js', import.meta.url);
  const workers = Array.from({ length: count }, () => new Worker(url, { workerData: data }));
  return {
    size: count,
    run: (take, done) =>
      Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.on('message', (batch: readonly FileOutcome[]) => {
                done(batch);
                worker.postMessage(take());
              });
              worker.on('error', reject);
              worker.on('exit', (code) => {
                if (code === 0) resolve();
                else reject(new Error(`a check worker stopped with exit code ${code}`));
              });
              // Two batches queued, so a worker never waits for this thread to hand it the next one.
              worker.postMessage(take());
              worker.postMessage(take());
            }),
        ),
      ).then(() => undefined),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
