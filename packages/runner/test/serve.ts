/**
 * Runs the test DV server as a process, for the CLI end-to-end tests: options come as JSON in DV_SERVER_OPTIONS
 * (`events` may be a number: that many generated events, plus `plant` events appended), and it prints
 * `listening <url>` when ready, then `call <json>` for each call it sees, so the parent can count them.
 */
import { makeEvents, type ServerOptions, startDvServer } from './dv-server.ts';

interface ProcessOptions extends Omit<ServerOptions, 'events'> {
  readonly events?: number;
  readonly plant?: readonly Record<string, unknown>[];
}

const options = JSON.parse(process.env.DV_SERVER_OPTIONS ?? '{}') as ProcessOptions;
const events = [...makeEvents(options.events ?? 25), ...(options.plant ?? [])];
const server = await startDvServer({ ...options, events });
let reported = 0;
setInterval(() => {
  for (; reported < server.calls.length; reported++) {
    const c = server.calls[reported];
    if (c !== undefined) process.stdout.write(`call ${JSON.stringify({ endpoint: c.endpoint, time: c.time })}\n`);
  }
}, 20);
process.stdout.write(`listening ${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
