// Plan an IOC sweep: normalise, deduplicate, classify, and pack into the fewest valid queries.
import assert from 'node:assert/strict';
import { planSweep } from '@s1ql/builder';

const iocs = [
  'D41D8CD98F00B204E9800998ECF8427E', // md5, upper case
  'd41d8cd98f00b204e9800998ecf8427e', // the same md5 again
  'evil[.]example', // a defanged domain
  '203.0.113.7',
  'hxxp://203.0.113.7/payload.ps1',
  'not an ioc',
];
const plan = planSweep(iocs, { maxListSize: 100, maxQueryLength: 8000 });
for (const q of plan.queries) console.log(q.text);

assert.equal(plan.invalid.length, 1);
assert.equal(plan.invalid[0]?.input, 'not an ioc');
assert.equal(new Set(plan.iocs.map((i) => i.value)).size, plan.iocs.length); // deduplicated
assert.ok(plan.queries.some((q) => q.text.includes('DnsRequest In Contains AnyCase ("evil.example")')));
assert.ok(plan.queries.every((q) => q.text.length <= 8000));
