/**
 * The fixed vocabulary of the synthetic fleet: endpoints, users and the benign processes they run. Everything here
 * is computed once; the generator only picks from these pools, which keeps one event cheap.
 */
import { fakeDecimalId, fakeHex, hashString } from './prng.ts';

export type Os = 'windows' | 'osx' | 'linux';

export interface Site {
  readonly siteId: string;
  readonly siteName: string;
}

export interface Endpoint {
  readonly name: string;
  readonly os: Os;
  readonly agentId: string;
  readonly agentUuid: string;
  readonly agentVersion: string;
  readonly machineType: 'desktop' | 'laptop' | 'server';
  readonly ip: string;
  readonly site: Site;
  /** Interactive users; the first one is the usual owner. */
  readonly users: readonly string[];
  readonly domain: string;
}

export interface ProcessImage {
  readonly name: string;
  readonly path: string;
  readonly displayName: string;
  readonly publisher: string | null;
  /** Typical command lines; none of them contains a planted story's indicator. */
  readonly cmdLines: readonly string[];
  readonly system: boolean;
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
}

export const ACCOUNT = { accountId: fakeDecimalId('account:acme'), accountName: 'Acme Corp' } as const;

const SITES: readonly Site[] = [
  { siteId: fakeDecimalId('site:hq'), siteName: 'Default site' },
  { siteId: fakeDecimalId('site:dc'), siteName: 'Datacenter' },
];

/** Domains a hunt should flag: a SUNBURST C2 domain and made-up ones (RFC 2606-style names are avoided on purpose). */
export const BAD_DOMAINS: readonly string[] = ['avsvmcloud.com', 'update-cdn-telemetry.net', 'msftupdate-check.com'];

function image(
  name: string,
  path: string,
  displayName: string,
  publisher: string | null,
  cmdLines: readonly string[],
  system = false,
): ProcessImage {
  return {
    name,
    path,
    displayName,
    publisher,
    cmdLines,
    system,
    md5: fakeHex(`md5:${path}`, 32),
    sha1: fakeHex(`sha1:${path}`, 40),
    sha256: fakeHex(`sha256:${path}`, 64),
  };
}

const MS = 'MICROSOFT WINDOWS';
const MSC = 'MICROSOFT CORPORATION';

export const WINDOWS_IMAGES: readonly ProcessImage[] = [
  image('chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'Google Chrome', 'GOOGLE LLC', [
    '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"',
    '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --renderer-client-id=12',
    '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService',
  ]),
  image('msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', 'Microsoft Edge', MSC, [
    '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --profile-directory=Default',
  ]),
  image('OUTLOOK.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', 'Microsoft Outlook', MSC, [
    '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"',
  ]),
  image('WINWORD.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', 'Microsoft Word', MSC, [
    '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\Public\\Documents\\Q3 report.docx"',
  ]),
  image(
    'ms-teams.exe',
    'C:\\Program Files\\WindowsApps\\MSTeams_24004.1403.2634.2418_x64\\ms-teams.exe',
    'Microsoft Teams',
    MSC,
    ['"C:\\Program Files\\WindowsApps\\MSTeams_24004.1403.2634.2418_x64\\ms-teams.exe" msteams:system-initiated'],
  ),
  image('explorer.exe', 'C:\\Windows\\explorer.exe', 'Windows Explorer', MS, ['C:\\Windows\\Explorer.EXE']),
  image(
    'svchost.exe',
    'C:\\Windows\\System32\\svchost.exe',
    'Host Process for Windows Services',
    MS,
    [
      'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule',
      'C:\\Windows\\System32\\svchost.exe -k termsvcs -s TermService',
      'C:\\Windows\\system32\\svchost.exe -k LocalService -p -s EventLog',
      'C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache',
    ],
    true,
  ),
  image('OneDrive.exe', 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe', 'Microsoft OneDrive', MSC, [
    '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background',
  ]),
  image('Code.exe', 'C:\\Program Files\\Microsoft VS Code\\Code.exe', 'Visual Studio Code', MSC, [
    '"C:\\Program Files\\Microsoft VS Code\\Code.exe" --type=utility --utility-sub-type=node.mojom.NodeService',
  ]),
  image(
    'MsMpEng.exe',
    'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24010.12-0\\MsMpEng.exe',
    'Antimalware Service Executable',
    MS,
    ['"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24010.12-0\\MsMpEng.exe"'],
    true,
  ),
  image(
    'SearchIndexer.exe',
    'C:\\Windows\\System32\\SearchIndexer.exe',
    'Microsoft Windows Search Indexer',
    MS,
    ['C:\\Windows\\system32\\SearchIndexer.exe /Embedding'],
    true,
  ),
  image('taskhostw.exe', 'C:\\Windows\\System32\\taskhostw.exe', 'Host Process for Windows Tasks', MS, [
    'taskhostw.exe Install $(Arg0)',
    'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly',
  ]),
  image('powershell.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'Windows PowerShell', MS, [
    'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\Intune\\scripts\\inventory.ps1',
    'powershell.exe -NoLogo -Command Get-Service | Where-Object Status -eq Running',
  ]),
  image('cmd.exe', 'C:\\Windows\\System32\\cmd.exe', 'Windows Command Processor', MS, [
    'C:\\Windows\\system32\\cmd.exe /c "echo %DATE% >> C:\\ProgramData\\backup\\last-run.txt"',
    'cmd.exe /c ipconfig /all',
  ]),
  image('git.exe', 'C:\\Program Files\\Git\\cmd\\git.exe', 'Git for Windows', 'JOHANNES SCHINDELIN', [
    'git.exe fetch --prune origin',
    'git.exe status --porcelain',
  ]),
  image('python.exe', 'C:\\Program Files\\Python312\\python.exe', 'Python', 'PYTHON SOFTWARE FOUNDATION', [
    'python.exe -m pip list --outdated',
  ]),
];

export const MACOS_IMAGES: readonly ProcessImage[] = [
  image(
    'Google Chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'Google Chrome',
    'Developer ID Application: Google LLC (EQHXZ8M8AV)',
    ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  ),
  image('Safari', '/Applications/Safari.app/Contents/MacOS/Safari', 'Safari', 'Software Signing', [
    '/Applications/Safari.app/Contents/MacOS/Safari',
  ]),
  image(
    'mdworker_shared',
    '/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support/mdworker_shared',
    'mdworker_shared',
    'Software Signing',
    [
      '/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support/mdworker_shared -s mdworker -c MDSImporterWorker -m com.apple.mdworker.shared',
    ],
    true,
  ),
  image('zsh', '/bin/zsh', 'zsh', 'Software Signing', ['-zsh', '/bin/zsh -l']),
  image(
    'Slack',
    '/Applications/Slack.app/Contents/MacOS/Slack',
    'Slack',
    'Developer ID Application: Slack Technologies, Inc. (BQR82RBBHL)',
    ['/Applications/Slack.app/Contents/MacOS/Slack'],
  ),
  image(
    'softwareupdated',
    '/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Resources/softwareupdated',
    'softwareupdated',
    'Software Signing',
    ['/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Resources/softwareupdated'],
    true,
  ),
  image('curl', '/usr/bin/curl', 'curl', 'Software Signing', [
    'curl -fsSL https://formulae.brew.sh/api/formula.jws.json',
  ]),
  image('launchd', '/sbin/launchd', 'launchd', 'Software Signing', ['/sbin/launchd'], true),
];

export const LINUX_IMAGES: readonly ProcessImage[] = [
  image('sshd', '/usr/sbin/sshd', 'sshd', null, ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'], true),
  image('bash', '/usr/bin/bash', 'bash', null, ['-bash', 'bash -c /opt/app/bin/healthcheck.sh']),
  image('python3', '/usr/bin/python3.12', 'python3', null, ['python3 /opt/app/worker.py --queue default']),
  image('nginx', '/usr/sbin/nginx', 'nginx', null, ['nginx: worker process'], true),
  image('systemd', '/usr/lib/systemd/systemd', 'systemd', null, ['/sbin/init splash'], true),
  image('cron', '/usr/sbin/cron', 'cron', null, ['/usr/sbin/cron -f -P'], true),
  image('apt-get', '/usr/bin/apt-get', 'apt-get', null, ['apt-get -qq update']),
  image('java', '/usr/lib/jvm/java-21-openjdk-amd64/bin/java', 'java', null, [
    'java -Xmx2g -jar /opt/app/service.jar --spring.profiles.active=prod',
  ]),
  image(
    'dockerd',
    '/usr/bin/dockerd',
    'dockerd',
    null,
    ['/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock'],
    true,
  ),
];

export function imagesFor(os: Os): readonly ProcessImage[] {
  return os === 'windows' ? WINDOWS_IMAGES : os === 'osx' ? MACOS_IMAGES : LINUX_IMAGES;
}

const FIRST = ['jdoe', 'asmith', 'mgarcia', 'lchen', 'pkumar', 'okim', 'rmiller', 'snguyen', 'tjohnson', 'ewilson'];

function endpoint(name: string, os: Os, machineType: Endpoint['machineType'], n: number): Endpoint {
  const owner = FIRST[n % FIRST.length] ?? 'jdoe';
  const other = FIRST[(n + 3) % FIRST.length] ?? 'asmith';
  const version = os === 'windows' ? '24.1.4.257' : os === 'osx' ? '24.1.2.7444' : '24.1.2.6';
  return {
    name,
    os,
    agentId: fakeDecimalId(`agent:${name}`),
    agentUuid: fakeHex(`uuid:${name}`, 32),
    agentVersion: version,
    machineType,
    ip: `10.${10 + (n % 3)}.${(hashString(name) % 200) + 20}.${((n * 7) % 250) + 2}`,
    site: SITES[machineType === 'server' ? 1 : 0] ?? (SITES[0] as Site),
    users: machineType === 'server' ? ['svc_backup', owner] : [owner, other],
    domain: os === 'windows' ? 'ACME' : 'acme.local',
  };
}

/** About twenty endpoints: mostly Windows laptops, some Macs, Linux servers, as in a typical small fleet. */
export const ENDPOINTS: readonly Endpoint[] = [
  endpoint('ACME-LT-0142', 'windows', 'laptop', 0),
  endpoint('ACME-LT-0157', 'windows', 'laptop', 1),
  endpoint('ACME-LT-0203', 'windows', 'laptop', 2),
  endpoint('ACME-LT-0219', 'windows', 'laptop', 3),
  endpoint('ACME-DT-0031', 'windows', 'desktop', 4),
  endpoint('ACME-DT-0048', 'windows', 'desktop', 5),
  endpoint('ACME-DT-0052', 'windows', 'desktop', 6),
  endpoint('FIN-WS-07', 'windows', 'desktop', 7),
  endpoint('HR-WS-02', 'windows', 'desktop', 8),
  endpoint('DC01', 'windows', 'server', 9),
  endpoint('FS01', 'windows', 'server', 10),
  endpoint('SQL02', 'windows', 'server', 11),
  endpoint('MBP-LCHEN', 'osx', 'laptop', 12),
  endpoint('MBP-OKIM', 'osx', 'laptop', 13),
  endpoint('MBA-DESIGN-01', 'osx', 'laptop', 14),
  endpoint('IMAC-STUDIO', 'osx', 'desktop', 15),
  endpoint('web-prod-01', 'linux', 'server', 16),
  endpoint('web-prod-02', 'linux', 'server', 17),
  endpoint('build-runner-3', 'linux', 'server', 18),
  endpoint('db-replica-1', 'linux', 'server', 19),
];

export const BENIGN_DOMAINS: readonly string[] = [
  'www.google.com',
  'outlook.office365.com',
  'login.microsoftonline.com',
  'teams.microsoft.com',
  'github.com',
  'api.github.com',
  'registry.npmjs.org',
  'pypi.org',
  'update.googleapis.com',
  'slack.com',
  'files.slack.com',
  'ocsp.digicert.com',
  'ctldl.windowsupdate.com',
  'archive.ubuntu.com',
  'swscan.apple.com',
  'cdn.jsdelivr.net',
];

export const BENIGN_URLS: readonly string[] = [
  'https://www.google.com/search?q=quarterly+report+template',
  'https://outlook.office365.com/owa/',
  'https://github.com/acme/platform/pull/1432',
  'https://registry.npmjs.org/typescript',
  'https://pypi.org/simple/requests/',
  'https://teams.microsoft.com/api/chatsvc/emea/v1/users/ME/conversations',
  'http://ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab',
  'https://slack.com/api/conversations.history',
];

export const PUBLIC_IPS: readonly string[] = [
  '142.250.185.78',
  '52.97.146.162',
  '20.190.151.7',
  '140.82.121.4',
  '104.16.24.35',
  '151.101.1.69',
  '13.107.42.14',
  '34.107.221.82',
  '91.189.91.81',
  '17.253.144.10',
];

export const WINDOWS_FILES: readonly string[] = [
  'C:\\Users\\{user}\\Documents\\Q3 report.docx',
  'C:\\Users\\{user}\\Downloads\\invoice_8812.pdf',
  'C:\\Users\\{user}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_00a1b2',
  'C:\\Users\\{user}\\AppData\\Local\\Temp\\tmp4F2A.tmp',
  'C:\\Windows\\Temp\\MpCmdRun.log',
  'C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\History\\Service\\DetectionHistory\\01\\5B2C',
  'C:\\Users\\{user}\\OneDrive - Acme Corp\\Shared\\budget-2026.xlsx',
  'C:\\Windows\\Prefetch\\CHROME.EXE-5F3A2D1C.pf',
];

export const MACOS_FILES: readonly string[] = [
  '/Users/{user}/Documents/roadmap.key',
  '/Users/{user}/Downloads/Figma-124.3.dmg',
  '/Users/{user}/Library/Caches/com.google.Chrome/Cache.db',
  '/private/var/folders/xy/8k2l_q0n5b9g/T/TemporaryItems/tmp.8821',
  '/Library/Logs/DiagnosticReports/Slack_2026-01-02.ips',
];

export const LINUX_FILES: readonly string[] = [
  '/var/log/nginx/access.log',
  '/var/log/syslog',
  '/tmp/app-cache/session-88a1.json',
  '/opt/app/data/queue.db',
  '/etc/nginx/conf.d/default.conf',
  '/home/{user}/.bash_history',
];

export const REGISTRY_KEYS: readonly string[] = [
  'MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update',
  'MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters',
  'USER\\S-1-5-21-1004336348-1177238915-682003330-1104\\SOFTWARE\\Microsoft\\Office\\16.0\\Common\\Roaming',
  'USER\\S-1-5-21-1004336348-1177238915-682003330-1104\\SOFTWARE\\Google\\Chrome\\PreferenceMACs',
  'MACHINE\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates',
];

export const WINDOWS_MODULES: readonly string[] = [
  'C:\\Windows\\System32\\ntdll.dll',
  'C:\\Windows\\System32\\kernel32.dll',
  'C:\\Windows\\System32\\user32.dll',
  'C:\\Windows\\System32\\crypt32.dll',
  'C:\\Windows\\System32\\winhttp.dll',
  'C:\\Windows\\System32\\amsi.dll',
];

export const SCHEDULED_TASKS: readonly { name: string; path: string }[] = [
  { name: '\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan', path: 'C:\\Windows\\system32\\usoclient.exe' },
  { name: '\\GoogleUpdateTaskMachineUA', path: 'C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe' },
  {
    name: '\\OneDrive Reporting Task-S-1-5-21-1004336348',
    path: 'C:\\Program Files\\Microsoft OneDrive\\OneDriveStandaloneUpdater.exe',
  },
  { name: '\\Microsoft\\Windows\\Defrag\\ScheduledDefrag', path: 'C:\\Windows\\system32\\defrag.exe' },
];

export const INDICATORS: readonly { name: string; category: string; description: string }[] = [
  { name: 'LargeFileCreation', category: 'General', description: 'A process created a large file' },
  { name: 'SuspiciousLibraryLoad', category: 'Evasion', description: 'A library was loaded from an unusual location' },
  { name: 'PowerShellNetworkActivity', category: 'General', description: 'PowerShell made a network connection' },
  { name: 'ScheduledTaskCreation', category: 'Persistence', description: 'A scheduled task was created' },
];
