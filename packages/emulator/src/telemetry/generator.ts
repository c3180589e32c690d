/**
 * A deterministic, seeded generator of verbose Deep Visibility events. Event `i` depends only on the seed, `i` and
 * the time window, so any event can be produced on its own (`eventAt`) and N events cost O(N) time and O(1) memory.
 * Every event has the same keys (null where the event type does not apply), as verbose API events do; that also
 * keeps the objects one shape, which is what makes a million of them cheap to build and to evaluate.
 */

import { FramedJson } from './framed-json.ts';
import {
  ACCOUNT,
  BENIGN_DOMAINS,
  BENIGN_URLS,
  ENDPOINTS,
  type Endpoint,
  INDICATORS,
  imagesFor,
  LINUX_FILES,
  MACOS_FILES,
  type ProcessImage,
  PUBLIC_IPS,
  REGISTRY_KEYS,
  SCHEDULED_TASKS,
  WINDOWS_FILES,
  WINDOWS_MODULES,
} from './pools.ts';
import { fakeHex, hashString, Rng, seedAt } from './prng.ts';
import { type PlantedStory, planStories, type StoryEvent } from './stories.ts';
import { isoMicros, isoMillis } from './time.ts';

export type TelemetryEvent = Record<string, unknown>;

export interface TelemetryOptions {
  /** Same seed (and window) ⇒ same events. Default 1. */
  readonly seed?: number;
  /** Number of events. Default 10,000. */
  readonly count?: number;
  /** End of the time window (exclusive), epoch ms. Default: now. */
  readonly endMs?: number;
  /** Length of the window the events are spread over. Default 7 days. */
  readonly windowMs?: number;
}

/** A random-access, streamable source of events, ordered by `createdAt`. */
export interface Telemetry {
  readonly seed: number;
  readonly count: number;
  readonly startMs: number;
  readonly endMs: number;
  /** The attack stories planted in the noise, with the indices of their events. */
  readonly stories: readonly PlantedStory[];
  /** `createdAt` of event `index` in epoch ms (without building the event); non-decreasing in `index`. */
  timeAt(index: number): number;
  eventAt(index: number): TelemetryEvent;
  /**
   * JSON.stringify(eventAt(index)), exactly, mostly copied from text made once per template: serving a page of
   * events as text this way costs a fraction of building the objects and stringifying them.
   */
  jsonAt(index: number): string;
  /** Events `from` (inclusive) to `to` (exclusive), generated one at a time. */
  events(from?: number, to?: number): IterableIterator<TelemetryEvent>;
  [Symbol.iterator](): IterableIterator<TelemetryEvent>;
}

const DAY = 86_400_000;

/** Small integers as strings: the API sends counts as strings, and String(n) per field adds up. */
const INT_TEXT = Array.from({ length: 4096 }, (_, i) => String(i));
function intText(n: number): string {
  return INT_TEXT[n] ?? String(n);
}

interface ProcessIdentity {
  readonly image: ProcessImage;
  readonly pid: string;
  readonly uid: string;
  readonly storyline: string;
  readonly startTime: string;
  readonly user: string;
  readonly integrity: string;
  readonly parent: ProcessImage;
  readonly parentPid: string;
  readonly parentUid: string;
  readonly parentStoryline: string;
  readonly parentStartTime: string;
  readonly parentUser: string;
}

const PARENTS: Record<Endpoint['os'], { user: ProcessImage; system: ProcessImage }> = {
  windows: {
    user: imagesFor('windows').find((p) => p.name === 'explorer.exe') as ProcessImage,
    system: {
      name: 'services.exe',
      path: 'C:\\Windows\\System32\\services.exe',
      displayName: 'Services and Controller app',
      publisher: 'MICROSOFT WINDOWS PUBLISHER',
      cmdLines: ['C:\\Windows\\system32\\services.exe'],
      system: true,
      md5: fakeHex('md5:services', 32),
      sha1: fakeHex('sha1:services', 40),
      sha256: fakeHex('sha256:services', 64),
    },
  },
  osx: {
    user: imagesFor('osx').find((p) => p.name === 'launchd') as ProcessImage,
    system: imagesFor('osx').find((p) => p.name === 'launchd') as ProcessImage,
  },
  linux: {
    user: imagesFor('linux').find((p) => p.name === 'sshd') as ProcessImage,
    system: imagesFor('linux').find((p) => p.name === 'systemd') as ProcessImage,
  },
};

function userName(endpoint: Endpoint, system: boolean, n = 0): string {
  if (endpoint.os === 'windows')
    return system ? 'NT AUTHORITY\\SYSTEM' : `${endpoint.domain}\\${endpoint.users[n] ?? 'jdoe'}`;
  return system ? 'root' : (endpoint.users[n] ?? 'jdoe');
}

function upperHex16(text: string): string {
  return fakeHex(text, 16).toUpperCase();
}

function identities(startMs: number): ProcessIdentity[][] {
  return ENDPOINTS.map((endpoint) =>
    imagesFor(endpoint.os).map((image) => {
      const key = `${endpoint.name}:${image.path}`;
      const parent = image.system ? PARENTS[endpoint.os].system : PARENTS[endpoint.os].user;
      const pkey = `${endpoint.name}:${parent.path}`;
      const started = startMs - (hashString(key) % DAY);
      return {
        image,
        pid: intText(400 + (hashString(key, 1) % 3600)),
        uid: upperHex16(`uid:${key}`),
        storyline: upperHex16(`story:${key}`),
        startTime: isoMillis(started),
        user: userName(endpoint, image.system),
        integrity: image.system ? 'SYSTEM' : endpoint.os === 'windows' ? 'MEDIUM' : 'HIGH',
        parent,
        parentPid: intText(image.system ? 868 : 100 + (hashString(pkey) % 900)),
        parentUid: upperHex16(`uid:${pkey}`),
        parentStoryline: upperHex16(`story:${pkey}`),
        parentStartTime: isoMillis(started - 3_600_000),
        parentUser: userName(endpoint, parent.system),
      };
    }),
  );
}

/** Noise event kinds with weights (per thousand), roughly what a verbose DV stream looks like. */
const KINDS: readonly [string, number][] = [
  ['Process Creation', 130],
  ['File Creation', 80],
  ['File Modification', 80],
  ['File Rename', 20],
  ['File Deletion', 30],
  ['Registry Value Modified', 40],
  ['Registry Key Create', 20],
  ['Registry Value Create', 20],
  ['IP Connect', 100],
  ['IP Listen', 20],
  ['DNS Resolved', 100],
  ['DNS Unresolved', 20],
  ['GET', 50],
  ['POST', 20],
  ['Login', 20],
  ['Logout', 10],
  ['Task Register', 4],
  ['Task Start', 16],
  ['Module Load', 80],
  ['Open Remote Process Handle', 20],
  ['Duplicate Process Handle', 10],
  ['Command Script', 10],
  ['Behavioral Indicators', 10],
];
const KIND_TOTAL = KINDS.reduce((sum, [, w]) => sum + w, 0);
const KIND_TABLE: string[] = [];
for (const [kind, weight] of KINDS) for (let i = 0; i < weight; i++) KIND_TABLE.push(kind);

const OBJECT_TYPE: Record<string, string> = {
  'Process Creation': 'process',
  'File Creation': 'file',
  'File Modification': 'file',
  'File Rename': 'file',
  'File Deletion': 'file',
  'Registry Value Modified': 'registry',
  'Registry Key Create': 'registry',
  'Registry Value Create': 'registry',
  'IP Connect': 'ip',
  'IP Listen': 'ip',
  'DNS Resolved': 'dns',
  'DNS Unresolved': 'dns',
  GET: 'url',
  POST: 'url',
  Login: 'logins',
  Logout: 'logins',
  'Task Register': 'scheduled_task',
  'Task Start': 'scheduled_task',
  'Module Load': 'module',
  'Open Remote Process Handle': 'cross_process',
  'Duplicate Process Handle': 'cross_process',
  'Command Script': 'command_script',
  'Behavioral Indicators': 'indicators',
};

export function objectTypeOf(eventType: string): string | undefined {
  return OBJECT_TYPE[eventType];
}

const WINDOWS_ONLY = new Set([
  'Registry Value Modified',
  'Registry Key Create',
  'Registry Value Create',
  'Task Register',
  'Task Start',
  'Command Script',
]);

const BOOL = ['False', 'True'] as const;

const HEX8 = Array.from({ length: 256 }, (_, i) => fakeHex(`hex8:${i}`, 8));

/** Fake hashes of pool values, computed once each (the pools are small, so the cache stays small). */
const hexCache = new Map<string, string>();
function cachedHex(text: string, length: number): string {
  let hex = hexCache.get(text);
  if (hex === undefined) {
    hex = fakeHex(text, length);
    if (hexCache.size < 10_000) hexCache.set(text, hex);
  }
  return hex;
}

/** Every key an event carries, in the order the API tends to list them (alphabetical groups). */
function template(endpoint: Endpoint, p: ProcessIdentity) {
  const image = p.image;
  return {
    accountId: ACCOUNT.accountId as string,
    accountName: ACCOUNT.accountName as string,
    agentId: endpoint.agentId,
    agentMachineType: endpoint.machineType as string,
    agentName: endpoint.name,
    agentOs: endpoint.os as string,
    agentUuid: endpoint.agentUuid,
    agentVersion: endpoint.agentVersion,
    childProcCount: '0' as string | null,
    createdAt: '',
    crossProcCount: '0' as string | null,
    dnsCount: '0' as string | null,
    dnsRequest: null as string | null,
    dnsResponse: null as string | null,
    dstIp: null as string | null,
    dstPort: null as number | null,
    endpointMachineType: endpoint.machineType as string,
    endpointName: endpoint.name,
    endpointOs: endpoint.os as string,
    eventTime: '',
    eventType: '',
    id: '',
    indicatorCategory: null as string | null,
    indicatorDescription: null as string | null,
    indicatorEvasionCount: '0' as string | null,
    indicatorGeneralCount: '0' as string | null,
    indicatorMetadata: null as string | null,
    indicatorName: null as string | null,
    indicatorPersistenceCount: '0' as string | null,
    loginAccountDomain: null as string | null,
    loginFailureReason: null as string | null,
    loginIsAdministratorEquivalent: null as string | null,
    loginIsSuccessful: null as string | boolean | null,
    loginType: null as string | null,
    loginsBaseType: null as string | null,
    loginsUserName: null as string | null,
    moduleCount: '0' as string | null,
    moduleMd5: null as string | null,
    modulePath: null as string | null,
    moduleSha1: null as string | null,
    moduleSignedStatus: null as string | null,
    netConnCount: '0' as string | null,
    netConnInCount: '0' as string | null,
    netConnOutCount: '0' as string | null,
    netConnStatus: null as string | null,
    netEventDirection: null as string | null,
    netProtocolName: null as string | null,
    objectType: '',
    registryChangeCount: '0' as string | null,
    registryKeyPath: null as string | null,
    registryOldValue: null as string | null,
    registryPath: null as string | null,
    registryValue: null as string | null,
    registryValueType: null as string | null,
    siteId: endpoint.site.siteId,
    siteName: endpoint.site.siteName,
    srcIp: null as string | null,
    srcPort: null as number | null,
    srcProcCmdLine: image.cmdLines[0] ?? image.path,
    srcProcCmdScript: null as string | null,
    srcProcCmdScriptApplicationName: null as string | null,
    srcProcCmdScriptIsComplete: null as string | boolean | null,
    srcProcCmdScriptOriginalSize: null as string | null,
    srcProcCmdScriptSha256: null as string | null,
    srcProcDisplayName: image.displayName,
    srcProcImageMd5: image.md5,
    srcProcImagePath: image.path,
    srcProcImageSha1: image.sha1,
    srcProcImageSha256: image.sha256,
    srcProcIntegrityLevel: p.integrity,
    srcProcIsNative64Bit: 'True' as string | boolean,
    srcProcIsStorylineRoot: (p.image.system ? 'True' : 'False') as string | boolean,
    srcProcName: image.name,
    srcProcParentCmdLine: p.parent.cmdLines[0] ?? p.parent.path,
    srcProcParentImagePath: p.parent.path,
    srcProcParentName: p.parent.name,
    srcProcParentPid: p.parentPid,
    srcProcParentPublisher: p.parent.publisher,
    srcProcParentSignedStatus: p.parent.publisher === null ? 'unsigned' : 'signed',
    srcProcParentStartTime: p.parentStartTime,
    srcProcParentStorylineId: p.parentStoryline,
    srcProcParentUid: p.parentUid,
    srcProcParentUser: p.parentUser,
    srcProcPid: p.pid,
    srcProcPublisher: image.publisher,
    srcProcSessionId: endpoint.os === 'windows' ? (image.system ? '0' : '1') : null,
    srcProcSignedStatus: image.publisher === null ? 'unsigned' : 'signed',
    srcProcStartTime: p.startTime,
    srcProcStorylineId: p.storyline,
    srcProcSubsystem: endpoint.os === 'windows' ? 'SYS_WIN32' : null,
    srcProcUid: p.uid,
    srcProcUser: p.user,
    srcProcVerifiedStatus: image.publisher === null ? 'unverified' : 'verified',
    storylineId: p.storyline,
    taskName: null as string | null,
    taskPath: null as string | null,
    taskTriggerType: null as string | null,
    tgtFileCreatedAt: null as string | null,
    tgtFileCreationCount: '0' as string | null,
    tgtFileDeletionCount: '0' as string | null,
    tgtFileExtension: null as string | null,
    tgtFileIsExecutable: null as string | boolean | null,
    tgtFileMd5: null as string | null,
    tgtFileModificationCount: '0' as string | null,
    tgtFileModifiedAt: null as string | null,
    tgtFileOldPath: null as string | null,
    tgtFilePath: null as string | null,
    tgtFileSha1: null as string | null,
    tgtFileSha256: null as string | null,
    tgtFileSize: null as string | null,
    tgtFileType: null as string | null,
    tgtProcAccessRights: null as string | null,
    tgtProcCmdLine: null as string | null,
    tgtProcDisplayName: null as string | null,
    tgtProcImageMd5: null as string | null,
    tgtProcImagePath: null as string | null,
    tgtProcImageSha1: null as string | null,
    tgtProcImageSha256: null as string | null,
    tgtProcIntegrityLevel: null as string | null,
    tgtProcName: null as string | null,
    tgtProcPid: null as string | null,
    tgtProcPublisher: null as string | null,
    tgtProcRelation: null as string | null,
    tgtProcSignedStatus: null as string | null,
    tgtProcStartTime: null as string | null,
    tgtProcStorylineId: null as string | null,
    tgtProcUid: null as string | null,
    tgtProcUser: null as string | null,
    url: null as string | null,
  };
}

export type EventFrame = ReturnType<typeof template>;

/** A fresh event from the per-process template (pool values precomputed once). */
function frame(t: EventFrame, eventType: string, ms: number, micros: number, id: string): EventFrame {
  // One literal with every key, not a spread: object spread is fast only while V8's clone cache holds, and a
  // literal keeps every event on one hidden class whatever was generated before.
  const e: EventFrame = {
    accountId: t.accountId,
    accountName: t.accountName,
    agentId: t.agentId,
    agentMachineType: t.agentMachineType,
    agentName: t.agentName,
    agentOs: t.agentOs,
    agentUuid: t.agentUuid,
    agentVersion: t.agentVersion,
    childProcCount: t.childProcCount,
    createdAt: t.createdAt,
    crossProcCount: t.crossProcCount,
    dnsCount: t.dnsCount,
    dnsRequest: t.dnsRequest,
    dnsResponse: t.dnsResponse,
    dstIp: t.dstIp,
    dstPort: t.dstPort,
    endpointMachineType: t.endpointMachineType,
    endpointName: t.endpointName,
    endpointOs: t.endpointOs,
    eventTime: t.eventTime,
    eventType: t.eventType,
    id: t.id,
    indicatorCategory: t.indicatorCategory,
    indicatorDescription: t.indicatorDescription,
    indicatorEvasionCount: t.indicatorEvasionCount,
    indicatorGeneralCount: t.indicatorGeneralCount,
    indicatorMetadata: t.indicatorMetadata,
    indicatorName: t.indicatorName,
    indicatorPersistenceCount: t.indicatorPersistenceCount,
    loginAccountDomain: t.loginAccountDomain,
    loginFailureReason: t.loginFailureReason,
    loginIsAdministratorEquivalent: t.loginIsAdministratorEquivalent,
    loginIsSuccessful: t.loginIsSuccessful,
    loginType: t.loginType,
    loginsBaseType: t.loginsBaseType,
    loginsUserName: t.loginsUserName,
    moduleCount: t.moduleCount,
    moduleMd5: t.moduleMd5,
    modulePath: t.modulePath,
    moduleSha1: t.moduleSha1,
    moduleSignedStatus: t.moduleSignedStatus,
    netConnCount: t.netConnCount,
    netConnInCount: t.netConnInCount,
    netConnOutCount: t.netConnOutCount,
    netConnStatus: t.netConnStatus,
    netEventDirection: t.netEventDirection,
    netProtocolName: t.netProtocolName,
    objectType: t.objectType,
    registryChangeCount: t.registryChangeCount,
    registryKeyPath: t.registryKeyPath,
    registryOldValue: t.registryOldValue,
    registryPath: t.registryPath,
    registryValue: t.registryValue,
    registryValueType: t.registryValueType,
    siteId: t.siteId,
    siteName: t.siteName,
    srcIp: t.srcIp,
    srcPort: t.srcPort,
    srcProcCmdLine: t.srcProcCmdLine,
    srcProcCmdScript: t.srcProcCmdScript,
    srcProcCmdScriptApplicationName: t.srcProcCmdScriptApplicationName,
    srcProcCmdScriptIsComplete: t.srcProcCmdScriptIsComplete,
    srcProcCmdScriptOriginalSize: t.srcProcCmdScriptOriginalSize,
    srcProcCmdScriptSha256: t.srcProcCmdScriptSha256,
    srcProcDisplayName: t.srcProcDisplayName,
    srcProcImageMd5: t.srcProcImageMd5,
    srcProcImagePath: t.srcProcImagePath,
    srcProcImageSha1: t.srcProcImageSha1,
    srcProcImageSha256: t.srcProcImageSha256,
    srcProcIntegrityLevel: t.srcProcIntegrityLevel,
    srcProcIsNative64Bit: t.srcProcIsNative64Bit,
    srcProcIsStorylineRoot: t.srcProcIsStorylineRoot,
    srcProcName: t.srcProcName,
    srcProcParentCmdLine: t.srcProcParentCmdLine,
    srcProcParentImagePath: t.srcProcParentImagePath,
    srcProcParentName: t.srcProcParentName,
    srcProcParentPid: t.srcProcParentPid,
    srcProcParentPublisher: t.srcProcParentPublisher,
    srcProcParentSignedStatus: t.srcProcParentSignedStatus,
    srcProcParentStartTime: t.srcProcParentStartTime,
    srcProcParentStorylineId: t.srcProcParentStorylineId,
    srcProcParentUid: t.srcProcParentUid,
    srcProcParentUser: t.srcProcParentUser,
    srcProcPid: t.srcProcPid,
    srcProcPublisher: t.srcProcPublisher,
    srcProcSessionId: t.srcProcSessionId,
    srcProcSignedStatus: t.srcProcSignedStatus,
    srcProcStartTime: t.srcProcStartTime,
    srcProcStorylineId: t.srcProcStorylineId,
    srcProcSubsystem: t.srcProcSubsystem,
    srcProcUid: t.srcProcUid,
    srcProcUser: t.srcProcUser,
    srcProcVerifiedStatus: t.srcProcVerifiedStatus,
    storylineId: t.storylineId,
    taskName: t.taskName,
    taskPath: t.taskPath,
    taskTriggerType: t.taskTriggerType,
    tgtFileCreatedAt: t.tgtFileCreatedAt,
    tgtFileCreationCount: t.tgtFileCreationCount,
    tgtFileDeletionCount: t.tgtFileDeletionCount,
    tgtFileExtension: t.tgtFileExtension,
    tgtFileIsExecutable: t.tgtFileIsExecutable,
    tgtFileMd5: t.tgtFileMd5,
    tgtFileModificationCount: t.tgtFileModificationCount,
    tgtFileModifiedAt: t.tgtFileModifiedAt,
    tgtFileOldPath: t.tgtFileOldPath,
    tgtFilePath: t.tgtFilePath,
    tgtFileSha1: t.tgtFileSha1,
    tgtFileSha256: t.tgtFileSha256,
    tgtFileSize: t.tgtFileSize,
    tgtFileType: t.tgtFileType,
    tgtProcAccessRights: t.tgtProcAccessRights,
    tgtProcCmdLine: t.tgtProcCmdLine,
    tgtProcDisplayName: t.tgtProcDisplayName,
    tgtProcImageMd5: t.tgtProcImageMd5,
    tgtProcImagePath: t.tgtProcImagePath,
    tgtProcImageSha1: t.tgtProcImageSha1,
    tgtProcImageSha256: t.tgtProcImageSha256,
    tgtProcIntegrityLevel: t.tgtProcIntegrityLevel,
    tgtProcName: t.tgtProcName,
    tgtProcPid: t.tgtProcPid,
    tgtProcPublisher: t.tgtProcPublisher,
    tgtProcRelation: t.tgtProcRelation,
    tgtProcSignedStatus: t.tgtProcSignedStatus,
    tgtProcStartTime: t.tgtProcStartTime,
    tgtProcStorylineId: t.tgtProcStorylineId,
    tgtProcUid: t.tgtProcUid,
    tgtProcUser: t.tgtProcUser,
    url: t.url,
  };
  e.createdAt = isoMicros(ms, micros);
  e.eventTime = isoMillis(ms);
  e.eventType = eventType;
  e.id = id;
  e.objectType = OBJECT_TYPE[eventType] ?? 'process';
  return e;
}

function extensionOf(path: string): string | null {
  const slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  const dot = path.lastIndexOf('.');
  return dot > slash ? path.slice(dot + 1).toLowerCase() : null;
}

function fileTypeOf(ext: string | null): string {
  switch (ext) {
    case 'exe':
    case 'dll':
      return 'PE';
    case 'pdf':
      return 'PDF';
    case 'docx':
    case 'xlsx':
      return 'OPENXML';
    case 'dmg':
      return 'UNKNOWN';
    default:
      return 'UNKNOWN';
  }
}

function setTarget(e: EventFrame, endpoint: Endpoint, image: ProcessImage, cmdLine: string, pid: string, user: string) {
  e.tgtProcName = image.name;
  e.tgtProcCmdLine = cmdLine;
  e.tgtProcDisplayName = image.displayName;
  e.tgtProcImagePath = image.path;
  e.tgtProcImageMd5 = image.md5;
  e.tgtProcImageSha1 = image.sha1;
  e.tgtProcImageSha256 = image.sha256;
  e.tgtProcIntegrityLevel = image.system ? 'SYSTEM' : endpoint.os === 'windows' ? 'MEDIUM' : 'HIGH';
  e.tgtProcPid = pid;
  e.tgtProcPublisher = image.publisher;
  e.tgtProcSignedStatus = image.publisher === null ? 'unsigned' : 'signed';
  e.tgtProcStartTime = e.eventTime;
  e.tgtProcUid =
    `${HEX8[(endpoint.agentId.charCodeAt(3) + pid.length) & 255] ?? ''}${image.sha1.slice(0, 8)}`.toUpperCase();
  e.tgtProcStorylineId = e.srcProcStorylineId;
  e.tgtProcUser = user;
  e.tgtProcRelation = 'child';
}

function setFile(e: EventFrame, path: string, rng: Rng) {
  const ext = extensionOf(path);
  e.tgtFilePath = path;
  e.tgtFileExtension = ext;
  e.tgtFileType = fileTypeOf(ext);
  e.tgtFileIsExecutable = BOOL[ext === 'exe' || ext === 'dll' ? 1 : 0];
  e.tgtFileSize = intText(rng.int(4000) * 97 + 12);
  e.tgtFileSha1 = cachedHex(`sha1:${path}`, 40);
  e.tgtFileSha256 = null;
  e.tgtFileCreatedAt = e.eventTime;
  e.tgtFileModifiedAt = e.eventTime;
}

/** Fills the noise-specific fields of a benign event. */
function fillNoise(e: EventFrame, endpoint: Endpoint, rng: Rng, pids: ProcessIdentity[]) {
  const user = endpoint.users[rng.int(endpoint.users.length)] ?? 'jdoe';
  const filePool = endpoint.os === 'windows' ? WINDOWS_FILES : endpoint.os === 'osx' ? MACOS_FILES : LINUX_FILES;
  switch (e.eventType) {
    case 'Process Creation': {
      const child = pids[rng.int(pids.length)] as ProcessIdentity;
      const cmd = child.image.cmdLines[rng.int(child.image.cmdLines.length)] ?? child.image.path;
      setTarget(e, endpoint, child.image, cmd, intText(1000 + rng.int(3000)), child.user);
      e.childProcCount = intText(1 + rng.int(30));
      break;
    }
    case 'File Creation':
    case 'File Modification':
    case 'File Deletion':
    case 'File Rename': {
      const path = (filePool[rng.int(filePool.length)] as string).replace('{user}', user);
      setFile(e, path, rng);
      if (e.eventType === 'File Rename') e.tgtFileOldPath = `${path}.partial`;
      e.tgtFileCreationCount = intText(rng.int(200));
      e.tgtFileModificationCount = intText(rng.int(400));
      break;
    }
    case 'Registry Value Modified':
    case 'Registry Key Create':
    case 'Registry Value Create': {
      const key = REGISTRY_KEYS[rng.int(REGISTRY_KEYS.length)] as string;
      const value = rng.int(2) === 0 ? 'LastCheck' : 'Enabled';
      e.registryKeyPath = key;
      e.registryPath = e.eventType === 'Registry Key Create' ? key : `${key}\\${value}`;
      e.registryValueType = e.eventType === 'Registry Key Create' ? null : 'DWORD';
      e.registryValue = e.eventType === 'Registry Key Create' ? null : intText(rng.int(2));
      e.registryOldValue = e.eventType === 'Registry Value Modified' ? intText(rng.int(2)) : null;
      e.registryChangeCount = intText(1 + rng.int(500));
      break;
    }
    case 'IP Connect':
    case 'IP Listen': {
      const outgoing = e.eventType === 'IP Connect';
      const remote = PUBLIC_IPS[rng.int(PUBLIC_IPS.length)] as string;
      e.srcIp = outgoing ? endpoint.ip : remote;
      e.dstIp = outgoing ? remote : endpoint.ip;
      e.srcPort = outgoing ? 49152 + rng.int(16000) : 40000 + rng.int(20000);
      e.dstPort = outgoing ? (rng.int(5) === 0 ? 80 : 443) : endpoint.os === 'linux' ? 22 : 3389;
      e.netConnStatus = rng.int(20) === 0 ? 'FAILURE' : 'SUCCESS';
      e.netEventDirection = outgoing ? 'OUTGOING' : 'INCOMING';
      e.netProtocolName =
        e.dstPort === 80 ? 'http' : e.dstPort === 443 ? 'https' : e.dstPort === 22 ? 'ssh' : 'ms-wbt-server';
      e.netConnCount = intText(1 + rng.int(3000));
      e.netConnOutCount = outgoing ? e.netConnCount : '0';
      e.netConnInCount = outgoing ? '0' : e.netConnCount;
      break;
    }
    case 'DNS Resolved':
    case 'DNS Unresolved': {
      const name = BENIGN_DOMAINS[rng.int(BENIGN_DOMAINS.length)] as string;
      e.dnsRequest = e.eventType === 'DNS Resolved' ? name : `wpad.${endpoint.domain.toLowerCase()}`;
      e.dnsResponse =
        e.eventType === 'DNS Resolved' ? `type:  1 ${PUBLIC_IPS[rng.int(PUBLIC_IPS.length)] as string};` : null;
      e.dnsCount = intText(1 + rng.int(900));
      break;
    }
    case 'GET':
    case 'POST':
      e.url = BENIGN_URLS[rng.int(BENIGN_URLS.length)] as string;
      break;
    case 'Login':
    case 'Logout': {
      const ok = rng.int(10) !== 0;
      e.loginsUserName = user;
      e.loginAccountDomain = endpoint.domain;
      e.loginType =
        rng.int(4) === 0 ? 'NETWORK' : endpoint.machineType === 'server' ? 'REMOTE_INTERACTIVE' : 'INTERACTIVE';
      e.loginIsSuccessful = e.eventType === 'Logout' ? null : rng.int(2) === 0 ? ok : BOOL[ok ? 1 : 0];
      e.loginFailureReason = ok || e.eventType === 'Logout' ? null : 'UNKNOWN_USER_NAME_OR_BAD_PASSWORD';
      e.loginIsAdministratorEquivalent = BOOL[user.startsWith('svc_') ? 1 : 0];
      e.loginsBaseType = e.loginType;
      break;
    }
    case 'Task Register':
    case 'Task Start': {
      const task = SCHEDULED_TASKS[rng.int(SCHEDULED_TASKS.length)] as (typeof SCHEDULED_TASKS)[number];
      e.taskName = task.name;
      e.taskPath = task.path;
      e.taskTriggerType = 'TIME';
      break;
    }
    case 'Module Load': {
      const path =
        endpoint.os === 'windows'
          ? (WINDOWS_MODULES[rng.int(WINDOWS_MODULES.length)] as string)
          : endpoint.os === 'osx'
            ? '/usr/lib/libobjc.A.dylib'
            : '/usr/lib/x86_64-linux-gnu/libssl.so.3';
      e.modulePath = path;
      e.moduleSha1 = cachedHex(`sha1:${path}`, 40);
      e.moduleMd5 = cachedHex(`md5:${path}`, 32);
      e.moduleSignedStatus = 'signed';
      e.moduleCount = intText(20 + rng.int(400));
      break;
    }
    case 'Open Remote Process Handle':
    case 'Duplicate Process Handle': {
      const other = pids[rng.int(pids.length)] as ProcessIdentity;
      setTarget(e, endpoint, other.image, other.image.cmdLines[0] ?? other.image.path, other.pid, other.user);
      e.tgtProcRelation = 'not_in_storyline';
      e.tgtProcAccessRights = rng.int(2) === 0 ? '0x1000' : '0x0400';
      e.crossProcCount = intText(1 + rng.int(40));
      break;
    }
    case 'Command Script': {
      const script = 'Get-ChildItem -Path $env:ProgramData\\Intune -Recurse | Measure-Object -Property Length -Sum';
      e.srcProcCmdScript = script;
      e.srcProcCmdScriptApplicationName =
        'PowerShell_C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe_10.0.19041.1';
      e.srcProcCmdScriptSha256 = cachedHex(`sha256:${script}`, 64);
      e.srcProcCmdScriptIsComplete = 'True';
      e.srcProcCmdScriptOriginalSize = intText(script.length);
      break;
    }
    case 'Behavioral Indicators': {
      const indicator = INDICATORS[rng.int(INDICATORS.length)] as (typeof INDICATORS)[number];
      e.indicatorName = indicator.name;
      e.indicatorCategory = indicator.category;
      e.indicatorDescription = indicator.description;
      e.indicatorMetadata = null;
      e.indicatorGeneralCount = intText(1 + rng.int(60));
      break;
    }
    default:
      break;
  }
}

/**
 * A template for every (endpoint, process), made once at load and kept only for its keys. Making them all settles
 * V8's field types for the template literal first; otherwise the first templates of the first telemetry keep maps
 * that later ones deprecated, and `frame`'s reads of them go megamorphic (generation measured ~30% slower).
 */
const SAMPLE_TEMPLATES = identities(0).flatMap((row, i) => row.map((p) => template(ENDPOINTS[i] as Endpoint, p)));

/** The keys of every noise event, in the order `frame` creates them (so the order JSON.stringify lists them in). */
const FRAME_KEYS = Object.keys(frame(SAMPLE_TEMPLATES[0] as EventFrame, '', 0, 0, ''));
const FRAME_JSON = new FramedJson(FRAME_KEYS);

export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const seed = (options.seed ?? 1) >>> 0;
  const count = Math.max(0, Math.floor(options.count ?? 10_000));
  const windowMs = options.windowMs ?? 7 * DAY;
  const endMs = Math.floor(options.endMs ?? Date.now());
  const startMs = endMs - windowMs;
  const step = count > 0 ? windowMs / count : 0;
  const ids = identities(startMs);
  const templates = ids.map((row, i) => row.map((p) => template(ENDPOINTS[i] as Endpoint, p)));
  const rng = new Rng(seed);
  const idBase = String(6_400_000_000 + (seed % 1_000_000_000));
  const { stories, byIndex } = planStories(count, seed);

  const timeAt = (index: number): number => {
    const jitter = seedAt(seed ^ 0x5bd1e995, index) / 4294967296;
    return startMs + Math.floor((index + jitter) * step);
  };

  /** The template `eventAt` framed its last event from; null when that was a planted story event. */
  let framedFrom: EventFrame | null = null;

  const eventAt = (index: number): TelemetryEvent => {
    if (!(index >= 0 && index < count)) throw new RangeError(`event index ${index} outside 0..${count - 1}`);
    rng.reseed(seedAt(seed, index));
    const ms = timeAt(index);
    const micros = rng.int(1000);
    const id = idBase + String(index).padStart(9, '0');
    const planted = byIndex.get(index);
    if (planted) {
      framedFrom = null;
      return buildStoryEvent(planted, ms, micros, id, ids, rng);
    }
    const endpointIndex = rng.int(ENDPOINTS.length);
    const endpoint = ENDPOINTS[endpointIndex] as Endpoint;
    const pids = ids[endpointIndex] as ProcessIdentity[];
    const pIndex = rng.int(pids.length);
    let kind = KIND_TABLE[rng.int(KIND_TOTAL)] as string;
    if (endpoint.os !== 'windows' && WINDOWS_ONLY.has(kind)) kind = 'File Modification';
    framedFrom = templates[endpointIndex]?.[pIndex] as EventFrame;
    const e = frame(framedFrom, kind, ms, micros, id);
    fillNoise(e, endpoint, rng, pids);
    return e;
  };

  // Story events are few and shaped by their stories: those go to JSON.stringify whole.
  const jsonAt = (index: number): string => {
    const event = eventAt(index);
    return framedFrom === null ? JSON.stringify(event) : FRAME_JSON.stringify(event, framedFrom);
  };

  function* events(from = 0, to = count): IterableIterator<TelemetryEvent> {
    const end = Math.min(to, count);
    for (let i = Math.max(0, from); i < end; i++) yield eventAt(i);
  }

  return {
    seed,
    count,
    startMs,
    endMs,
    stories,
    timeAt,
    eventAt,
    jsonAt,
    events,
    [Symbol.iterator]: () => events(),
  };
}

function buildStoryEvent(
  planted: StoryEvent,
  ms: number,
  micros: number,
  id: string,
  ids: ProcessIdentity[][],
  rng: Rng,
): TelemetryEvent {
  const endpointIndex = ENDPOINTS.findIndex((e) => e.name === planted.endpoint);
  const endpoint = ENDPOINTS[endpointIndex] as Endpoint;
  const pids = ids[endpointIndex] as ProcessIdentity[];
  const p = pids.find((x) => x.image.name === planted.srcProcName) ?? (pids[0] as ProcessIdentity);
  const e = frame(template(endpoint, p), planted.eventType, ms, micros, id);
  if (p.image.name !== planted.srcProcName) {
    // A source process outside the benign pool (rundll32, schtasks, certutil): describe it, not the stand-in.
    e.srcProcName = planted.srcProcName;
    e.srcProcDisplayName = planted.srcProcName;
    e.srcProcImageMd5 = fakeHex(`md5:${planted.srcProcName}`, 32);
    e.srcProcImageSha1 = fakeHex(`sha1:${planted.srcProcName}`, 40);
    e.srcProcImageSha256 = fakeHex(`sha256:${planted.srcProcName}`, 64);
    e.srcProcPublisher = 'MICROSOFT WINDOWS';
    e.srcProcSignedStatus = 'signed';
    e.srcProcVerifiedStatus = 'verified';
    e.srcProcPid = intText(1000 + rng.int(3000));
    e.srcProcUid = upperHex16(`uid:${endpoint.name}:${planted.srcProcName}:${id}`);
    e.srcProcParentName = 'cmd.exe';
    e.srcProcParentImagePath = 'C:\\Windows\\System32\\cmd.exe';
    e.srcProcParentCmdLine = 'C:\\Windows\\system32\\cmd.exe';
  }
  // Stories share one storyline so a hunt can pivot from any of their events to the others.
  e.storylineId = planted.storyline;
  e.srcProcStorylineId = planted.storyline;
  const targetImage = imagesFor(endpoint.os).find((x) => x.name === planted.tgtProcName);
  if (planted.tgtProcName !== undefined) {
    const image: ProcessImage = targetImage ?? {
      name: planted.tgtProcName,
      path: planted.tgtProcPath ?? `C:\\Windows\\System32\\${planted.tgtProcName}`,
      displayName: planted.tgtProcName,
      publisher: 'MICROSOFT WINDOWS PUBLISHER',
      cmdLines: [],
      system: planted.tgtProcName === 'lsass.exe',
      md5: fakeHex(`md5:${planted.tgtProcName}`, 32),
      sha1: fakeHex(`sha1:${planted.tgtProcName}`, 40),
      sha256: fakeHex(`sha256:${planted.tgtProcName}`, 64),
    };
    setTarget(e, endpoint, image, planted.tgtProcCmdLine ?? image.path, intText(1000 + rng.int(3000)), p.user);
    if (planted.tgtProcName === 'lsass.exe') {
      e.tgtProcPid = '684';
      e.tgtProcUser = 'NT AUTHORITY\\SYSTEM';
      e.tgtProcRelation = 'not_in_storyline';
      e.tgtProcStorylineId = upperHex16(`story:${endpoint.name}:lsass`);
    } else {
      e.tgtProcStorylineId = planted.storyline;
    }
  }
  if (planted.srcProcCmdLine !== undefined) e.srcProcCmdLine = planted.srcProcCmdLine;
  for (const [key, value] of Object.entries(planted.fields ?? {})) {
    (e as Record<string, unknown>)[key] = value;
  }
  return e;
}
