// An IOC sweep from code, end to end: plan the fewest queries, run them on the DV API, report hits per IOC.
// Here the API is the bundled emulator on loopback; point `createConnection` at a console host for real use.
import assert from 'node:assert/strict';
import { BAD_DOMAINS, startEmulator } from '@s1ql/emulator';
import { Budgets, createConnection, sweep } from '@s1ql/runner';

const token = 'example-token';
const emulator = await startEmulator({ seed: 1, events: 20_000, token, rateLimits: 'off', queryDurationMs: 50 });
try {
  const feed = [
    `hxxps://update.${BAD_DOMAINS[0]}/collect`, // defanged URL from a threat report
    BAD_DOMAINS[0] as string, // the bare domain
    '198.51.100.23',
    'not-an-ioc!',
  ];
  const result = await sweep(feed, {
    connection: createConnection(emulator.url, token),
    budgets: new Budgets({ scale: 0 }), // the emulator runs with rate limits off; omit for a real console
    from: new Date(emulator.telemetry?.startMs ?? 0),
    to: new Date(emulator.telemetry?.endMs ?? Date.now()),
  });
  for (const q of result.queries) console.log(`ran: ${q.text} -> ${q.summary.delivered} events`);
  for (const hit of result.hits)
    console.log(`${hit.kind} ${hit.ioc}: ${hit.hits} hits on ${hit.endpoints.join(', ') || '-'}`);

  assert.deepEqual(
    result.invalid.map((i) => i.input),
    ['not-an-ioc!'],
  );
  const domain = result.hits.find((h) => h.ioc === BAD_DOMAINS[0]);
  assert.ok(domain && domain.hits > 0, 'the planted DNS lookup of a bad domain is found');
} finally {
  await emulator.close();
}
