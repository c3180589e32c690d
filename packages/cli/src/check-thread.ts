/**
 * A worker thread of `s1ql check` (see check-workers.ts; started through check-worker.js): checks the batches of
 * files it is sent, in turn.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkFile, loadLintConfig } from './check-files.ts';
import type { FileOutcome, WorkerData, WorkerRequest } from './check-workers.ts';

const port = parentPort;
if (!port) throw new Error('check-thread.ts runs as a worker thread');
const { cwd, configPath } = workerData as WorkerData;
const lintConfig = loadLintConfig(configPath, cwd);

port.on('message', (request: WorkerRequest) => {
  // Two batches may be queued; the `null` after them ends the thread.
  if (request === null) {
    port.close();
    return;
  }
  const outcomes: FileOutcome[] = request.paths.map((path, i) => checkFile(request.first + i, path, cwd, lintConfig));
  port.postMessage(outcomes);
});
