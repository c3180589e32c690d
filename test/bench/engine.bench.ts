/**
 * Engine throughput: events evaluated per second for a typical 5-clause hunt over 100k realistic pre-built
 * events (~80 lowerCamel keys each, ids and counts as strings, as the DV API returns them), against a floor
 * measured in the same run: a hand-written function doing the same checks on the same events.
 */
import { compile, type DvEvent } from '@s1ql/engine';
import { parse } from '@s1ql/language';

const QUERY =
  'EventType = "Process Creation" AND TgtProcName In AnyCase ("powershell.exe", "pwsh.exe", "cmd.exe", ' +
  '"rundll32.exe", "mshta.exe") AND TgtProcCmdLine Contains AnyCase "-enc" AND NOT SrcProcName In AnyCase ' +
  '("explorer.exe", "services.exe", "svchost.exe") AND EndpointOS = "windows"';
const EVENTS = 100_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same events. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildEvents(count: number): DvEvent[] {
  const r = rng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
  const eventTypes = [
    'Process Creation',
    'File Creation',
    'File Modification',
    'DNS Resolved',
    'IP Connect',
    'Registry Value Modified',
  ];
  const procs = [
    'powershell.exe',
    'PowerShell.EXE',
    'cmd.exe',
    'chrome.exe',
    'svchost.exe',
    'explorer.exe',
    'rundll32.exe',
    'notepad.exe',
    'services.exe',
    'pwsh.exe',
  ];
  const cmdLines = [
    'powershell.exe -NoProfile -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
    'cmd.exe /c whoami /all',
    '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --enable-features=x',
    'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule',
    'powershell -enc ZQBjAGgAbwAgAGgAaQA=',
    'rundll32.exe C:\\Users\\Public\\x.dll,EntryPoint',
  ];
  const oses = ['windows', 'windows', 'windows', 'linux', 'osx'];
  const events: DvEvent[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(1_700_000_000_000 + i * 1000).toISOString().replace('Z', '123Z');
    const event: Record<string, unknown> = {
      accountId: '1234567890123456789',
      accountName: 'Example Corp',
      agentDomain: 'WORKGROUP',
      agentId: String(1_000_000_000_000_000 + (i % 500)),
      agentInfected: r() < 0.01,
      agentIp: `10.0.${i % 250}.${(i * 7) % 250}`,
      agentIsActive: true,
      agentIsDecommissioned: false,
      agentMachineType: pick(['desktop', 'laptop', 'server']),
      agentName: `HOST-${i % 500}`,
      agentNetworkStatus: 'connected',
      agentOs: 'windows',
      agentTimestamp: createdAt,
      agentUuid: `b7b2d39171be4ae1af90f93d7ed2${(i % 10000).toString(16).padStart(4, '0')}`,
      agentVersion: '23.4.2.14',
      childProcCount: String(Math.floor(r() * 10)),
      createdAt,
      crossProcCount: String(Math.floor(r() * 3)),
      dnsCount: '0',
      endpointMachineType: 'desktop',
      endpointName: `HOST-${i % 500}`,
      endpointOs: pick(oses),
      eventTime: createdAt,
      eventType: pick(eventTypes),
      id: String(1_500_000_000_000_000_000n + BigInt(i)),
      indicatorEvasionCount: '0',
      indicatorGeneralCount: String(i % 3),
      indicatorPersistenceCount: '0',
      moduleCount: String(10 + (i % 40)),
      netConnCount: String(i % 5),
      objectType: 'process',
      parentPid: String(1000 + (i % 3000)),
      pid: String(2000 + (i % 5000)),
      processCmd: null,
      processName: null,
      registryChangeCount: '0',
      relatedToThreat: r() < 0.5 ? 'False' : 'True',
      siteId: '987654321098765432',
      siteName: 'Default site',
      srcProcCmdLine: pick(cmdLines),
      srcProcDisplayName: 'Windows Explorer',
      srcProcImageMd5: 'd41d8cd98f00b204e9800998ecf8427e',
      srcProcImagePath: 'C:\\Windows\\explorer.exe',
      srcProcImageSha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      srcProcImageSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      srcProcIntegrityLevel: 'MEDIUM',
      srcProcIsNative64Bit: 'True',
      srcProcIsStorylineRoot: 'False',
      srcProcName: pick(procs),
      srcProcParentImagePath: 'C:\\Windows\\System32\\userinit.exe',
      srcProcParentName: 'userinit.exe',
      srcProcParentPid: String(500 + (i % 100)),
      srcProcParentStartTime: createdAt,
      srcProcParentStorylineId: 'A1B2C3D4E5F60718',
      srcProcParentUid: 'F1E2D3C4B5A69788',
      srcProcPid: String(3000 + (i % 4000)),
      srcProcPublisher: 'MICROSOFT WINDOWS',
      srcProcSignedStatus: 'signed',
      srcProcStartTime: createdAt,
      srcProcStorylineId: 'ABCDEF0123456789',
      srcProcSubsystem: 'SYS_WIN32',
      srcProcUid: '0123456789ABCDEF',
      srcProcUser: 'EXAMPLE\\user',
      srcProcVerifiedStatus: 'verified',
      storyline: 'ABCDEF0123456789',
      tgtProcCmdLine: pick(cmdLines),
      tgtProcDisplayName: 'Windows PowerShell',
      tgtProcImageMd5: '7353f60b1739074eb17c5f4dddefe239',
      tgtProcImagePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      tgtProcImageSha1: '6cbce4a295c163791b60fc23d285e6d84f28ee4c',
      tgtProcImageSha256: 'de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c',
      tgtProcIntegrityLevel: 'HIGH',
      tgtProcIsNative64Bit: 'True',
      tgtProcName: pick(procs),
      tgtProcPid: String(4000 + (i % 4000)),
      tgtProcPublisher: 'MICROSOFT WINDOWS',
      tgtProcSignedStatus: 'signed',
      tgtProcStartTime: createdAt,
      tgtProcStorylineId: 'ABCDEF0123456789',
      tgtProcUid: '1123456789ABCDEF',
      tgtProcUser: 'EXAMPLE\\user',
      traceId: null,
      trueContext: 'ABCDEF0123456789',
      user: 'EXAMPLE\\user',
    };
    events.push(event);
  }
  return events;
}

/** The ideal: the same five checks written by hand (missing or null fields fail; NOT of a missing field passes). */
const floorProcs = new Set(['powershell.exe', 'pwsh.exe', 'cmd.exe', 'rundll32.exe', 'mshta.exe']);
const floorParents = new Set(['explorer.exe', 'services.exe', 'svchost.exe']);
function floor(e: DvEvent): boolean {
  const type = e.eventType;
  if (typeof type !== 'string' || type.toLowerCase() !== 'process creation') return false;
  const name = e.tgtProcName;
  if (typeof name !== 'string' || !floorProcs.has(name.toLowerCase())) return false;
  const cmd = e.tgtProcCmdLine;
  if (typeof cmd !== 'string' || !cmd.toLowerCase().includes('-enc')) return false;
  const parent = e.srcProcName;
  if (typeof parent === 'string' && floorParents.has(parent.toLowerCase())) return false;
  const os = e.endpointOs;
  return typeof os === 'string' && os.toLowerCase() === 'windows';
}

function countMatches(events: readonly DvEvent[], test: (e: DvEvent) => boolean): number {
  let n = 0;
  for (let i = 0; i < events.length; i++) if (test(events[i] as DvEvent)) n++;
  return n;
}

/** Best events/s over several timed passes after a warm-up. */
function measure(events: readonly DvEvent[], test: (e: DvEvent) => boolean): { rate: number; matches: number } {
  let matches = 0;
  for (let i = 0; i < 5; i++) matches = countMatches(events, test);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    countMatches(events, test);
    best = Math.min(best, performance.now() - start);
  }
  return { rate: (events.length / best) * 1000, matches };
}

const events = buildEvents(EVENTS);
const keysPerEvent = Object.keys(events[0] ?? {}).length;

const compileRounds = 2000;
let start = performance.now();
for (let i = 0; i < compileRounds; i++) compile(parse(QUERY).ast);
const parseAndCompileUs = ((performance.now() - start) / compileRounds) * 1000;
const { ast } = parse(QUERY);
start = performance.now();
for (let i = 0; i < compileRounds; i++) compile(ast);
const compileUs = ((performance.now() - start) / compileRounds) * 1000;

const result = compile(ast);
if (!result.ok) throw new Error(`the benchmark query was refused: ${JSON.stringify(result.diagnostics)}`);
const engine = measure(events, result.query.test);
const ideal = measure(events, floor);
if (engine.matches !== ideal.matches) {
  throw new Error(`engine and floor disagree: ${engine.matches} vs ${ideal.matches} matches`);
}

// The miss path: a clause on a key no event has (as with a file field on process events) scans the keys.
const MISS_QUERY = 'TgtFilePath ContainsCIS "\\AppData\\Local\\Temp" OR TgtProcName In AnyCase ("mshta.exe")';
const missResult = compile(parse(MISS_QUERY).ast);
if (!missResult.ok) throw new Error('the miss-path query was refused');
const missFloor = (e: DvEvent): boolean => {
  const path = e.tgtFilePath;
  if (typeof path === 'string' && path.toLowerCase().includes('\\appdata\\local\\temp')) return true;
  const name = e.tgtProcName;
  return typeof name === 'string' && name.toLowerCase() === 'mshta.exe';
};
const missEngine = measure(events, missResult.query.test);
const missIdeal = measure(events, missFloor);
if (missEngine.matches !== missIdeal.matches) throw new Error('engine and floor disagree on the miss-path query');

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
process.stdout.write(
  [
    `${EVENTS.toLocaleString('en-US')} events of ${keysPerEvent} keys, 5-clause hunt, ${engine.matches} matches`,
    '',
    '| measure | value | ratio to floor |',
    '|---|---:|---:|',
    `| engine (compiled query) | ${fmt(engine.rate)} events/s | ${(engine.rate / ideal.rate).toFixed(2)}x |`,
    `| floor (hand-written JS) | ${fmt(ideal.rate)} events/s | 1.00x |`,
    `| engine, clause on an absent key (key scan) | ${fmt(missEngine.rate)} events/s | ${(missEngine.rate / missIdeal.rate).toFixed(2)}x |`,
    `| floor, same query | ${fmt(missIdeal.rate)} events/s | 1.00x |`,
    `| compile (AST -> predicate) | ${compileUs.toFixed(1)} µs | |`,
    `| parse + compile | ${parseAndCompileUs.toFixed(1)} µs | |`,
    '',
  ].join('\n'),
);
