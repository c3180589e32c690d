// Run a hunt on the DV API and stream its events: as objects to work with, or as NDJSON bytes to store.
// Here the API is the bundled emulator on loopback; point `createConnection` at a console host for real use.
import assert from 'node:assert/strict';
import { startEmulator } from '@s1ql/emulator';
import { Budgets, createConnection, DvClient, runQuery } from '@s1ql/runner';

const token = 'example-token';
const emulator = await startEmulator({ seed: 1, events: 20_000, token, rateLimits: 'off', queryDurationMs: 50 });
const client = new DvClient(createConnection(emulator.url, token), { budgets: new Budgets({ scale: 0 }) });
try {
  const hunt = 'EventType = "Process Creation" AND EndpointOS = "windows"';
  const options = {
    client,
    from: new Date(emulator.telemetry?.startMs ?? 0),
    to: new Date(emulator.telemetry?.endMs ?? 0),
    limit: 1000, // what init-query asks for; reaching it is reported as `truncated`
    pageSize: 250, // events per dv/events page (default 1000)
  };

  // As objects: each event parsed, with backpressure (the next page is fetched as you read); `onProgress` and
  // `handle.progress` report the state, pages and events so far.
  const handle = runQuery(hunt, options);
  const ids: unknown[] = [];
  for await (const event of handle) ids.push(event.id);
  const summary = await handle.summary;
  console.log(`${summary.delivered} events, truncated: ${summary.truncated} (query ${summary.queryId})`);
  assert.equal(summary.delivered, 1000);
  assert.equal(summary.truncated, true);

  // As JSON bytes: each event's text as the console sent it, on one line, nothing parsed. Each is a view into the
  // page being read: copy it (here into `lines`) before asking for the next.
  const lines: Buffer[] = [];
  for await (const json of runQuery(hunt, options).json()) lines.push(Buffer.from(json));
  const ndjson = Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')])).toString('utf8');
  const parsed = ndjson
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: unknown });
  assert.deepEqual(
    parsed.map((e) => e.id),
    ids,
  );
} finally {
  await client.close();
  await emulator.close();
}
