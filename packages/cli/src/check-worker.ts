/** A worker thread of `s1ql check` (see check-workers.ts): checks the batches of files it is sent, in turn. */
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { FileOutcome, WorkerData, WorkerRequest } from './check-workers.ts';

// Before loading the checking code: see the same call in bin.ts (a worker has its own module loader).
enableCompileCache();
const { checkFile, loadLintConfig } = await import('./check-files.ts');

const port = parentPort;
if (!port) throw new Error('check-worker.ts runs as a worker thread');
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
