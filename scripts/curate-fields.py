#!/usr/bin/env python3
"""One-off import: /work/shared/data/s1ql-fields.json -> grammar/fields.json and grammar/event-types.json.

This script records how the catalogs were first produced from the shared research data. Its output was then
reviewed by hand; grammar/*.json is the source of truth from here on, so edit the JSON, not this script (re-running
it overwrites hand edits). Usage: python3 scripts/curate-fields.py [path/to/s1ql-fields.json]
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / 'shared' / 'data' / 's1ql-fields.json'

# --------------------------------------------------------------------------------------------------------------
# Object types and event types (event-types.json)
# --------------------------------------------------------------------------------------------------------------

# name = the value the DV API returns in `objectType` (ip, scheduled_task: see dv-api-samples.json) and that every
# ObjectType comparison in the corpus matches case-insensitively ("LOGINS", "Registry", "scheduled_task").
OBJECT_TYPES = [
    # (name, s1ql2Category where a 2.0 query in the corpus uses it, doc)
    ('process', None, 'Process lifecycle events (display name Process).'),
    ('cross_process', None,
     'One process acting on another: handles, remote threads, termination (display name Cross Process).'),
    ('command_script', None, 'Script content seen by the agent, e.g. PowerShell via AMSI (display name Command Script).'),
    ('ip', None, 'Network connections (display name IP). 2.0 category unclear: "ip" (pySigma PQ) or "network" (ai-siem).'),
    ('file', 'file', 'File activity: create, modify, rename, delete, scan (display name File).'),
    ('logins', 'logins', 'Logon and logoff events (display name Logins).'),
    ('url', 'url', 'HTTP requests; the EventType is the HTTP method (display name Url).'),
    ('dns', 'dns', 'DNS lookups (display name DNS).'),
    ('scheduled_task', None, 'Windows scheduled task activity (display name Scheduled Task).'),
    ('registry', 'registry', 'Windows registry key and value activity (display name Registry).'),
    ('indicators', None, 'Behavioral indicators raised by the agent (display name Indicators).'),
    ('module', None, 'Module (DLL / shared library) loads (display name Module).'),
    ('driver', None, 'Driver loads; fields come from the 1.0 -> 2.0 field tables, no 1.0 EventType value is attested.'),
    ('named_pipe', None, 'Named pipe activity; attested only by the pySigma DV pipeline (Named Pipe Creation).'),
    ('firmware', None, "Firmware checks; listed only in stix-shifter's ObjectType enum."),
    ('threat_intelligence_indicators', None, "Matches against threat-intelligence indicators; listed in stix-shifter's enum."),
]

# (name, objectType, s1ql2EventName or None, doc)
EVENT_TYPES = [
    ('Process Creation', 'process', 'PROCESSCREATION', 'A process started; Tgt* fields describe the new process.'),
    ('Process Exit', 'process', None, 'A process exited.'),
    ('Process Modification', 'process', None, 'A process was modified (agent-defined).'),
    ('Duplicate Process Handle', 'cross_process', None, 'The source duplicated a handle to another process.'),
    ('Duplicate Thread Handle', 'cross_process', None, 'The source duplicated a handle to a thread of another process.'),
    ('Open Remote Process Handle', 'cross_process', None,
     'The source opened a handle to another process (e.g. lsass access).'),
    ('Remote Thread Creation', 'cross_process', None, 'The source created a thread in another process (injection).'),
    ('Remote Process Termination', 'cross_process', None, 'The source terminated another process.'),
    ('Command Script', 'command_script', None, 'Script content captured (SrcProcCmdScript), e.g. PowerShell via AMSI.'),
    ('IP Connect', 'ip', None, 'A network connection; an API sample shows metaEventName TCPV4 for it.'),
    ('IP Listen', 'ip', None, 'A process listened on a port.'),
    ('File Creation', 'file', 'FILECREATION', 'A file was created.'),
    ('File Modification', 'file', 'FILEMODIFICATION', 'A file was modified.'),
    ('File Rename', 'file', 'FILERENAME', 'A file was renamed or moved; TgtFileOldPath holds the old path.'),
    ('File Deletion', 'file', 'FILEDELETION', 'A file was deleted.'),
    ('File Scan', 'file', 'FILESCAN', 'The agent scanned a file.'),
    ('Pre Execution Detection', 'file', None,
     'A file was detected before it ran; likely the MALICIOUSFILE event of 2.0 translations (unconfirmed).'),
    ('Login', 'logins', None, 'A logon (successful or failed: see LoginIsSuccessful).'),
    ('Logout', 'logins', None, 'A logoff.'),
    ('GET', 'url', 'HTTP', 'HTTP GET request.'),
    ('POST', 'url', 'HTTP', 'HTTP POST request.'),
    ('PUT', 'url', 'HTTP', 'HTTP PUT request.'),
    ('DELETE', 'url', 'HTTP', 'HTTP DELETE request.'),
    ('HEAD', 'url', 'HTTP', 'HTTP HEAD request.'),
    ('OPTIONS', 'url', 'HTTP', 'HTTP OPTIONS request.'),
    ('CONNECT', 'url', 'HTTP', 'HTTP CONNECT request.'),
    ('Not Reported', 'url', None, 'HTTP request whose method was not reported (listed among the URL events).'),
    ('DNS Resolved', 'dns', 'DNS', 'A DNS lookup that resolved; 2.0 names every DNS event DNS.'),
    ('DNS Unresolved', 'dns', 'DNS', 'A DNS lookup that did not resolve; 2.0 names every DNS event DNS.'),
    ('Task Register', 'scheduled_task', None, 'A scheduled task was registered (created).'),
    ('Task Update', 'scheduled_task', None, 'A scheduled task was updated.'),
    ('Task Start', 'scheduled_task', None, 'A scheduled task started.'),
    ('Task Trigger', 'scheduled_task', None, 'A scheduled task was triggered.'),
    ('Task Delete', 'scheduled_task', None, 'A scheduled task was deleted.'),
    ('Registry Key Create', 'registry', 'REGKEYCREATE', 'A registry key was created.'),
    ('Registry Key Rename', 'registry', 'REGKEYRENAME', 'A registry key was renamed.'),
    ('Registry Key Delete', 'registry', 'REGKEYDELETE', 'A registry key was deleted.'),
    ('Registry Key Export', 'registry', 'REGKEYEXPORT', 'A registry key was exported (RegistryExportPath).'),
    ('Registry Key Import', 'registry', 'REGKEYIMPORT', 'A registry key was imported (RegistryImportPath).'),
    ('Registry Key Security Changed', 'registry', 'REGKEYSECURITYCHANGED', 'The security descriptor of a key changed.'),
    ('Registry Value Create', 'registry', 'REGVALUECREATE', 'A registry value was created.'),
    ('Registry Value Modified', 'registry', 'REGVALUEMODIFIED', 'A registry value was modified (RegistryOldValue holds the old data).'),
    ('Registry Value Delete', 'registry', 'REGVALUEDELETE', 'A registry value was deleted.'),
    ('Behavioral Indicators', 'indicators', 'BEHAVIORALINDICATORS', 'The agent raised a behavioral indicator (IndicatorName).'),
    ('Module Load', 'module', 'MODULELOAD', 'A module (DLL / shared library) was loaded (ModulePath).'),
    ('Named Pipe Creation', 'named_pipe', None, 'A named pipe was created; attested only by the pySigma DV pipeline.'),
    ('Firmware Test', 'firmware', None, "A firmware check; listed only in stix-shifter's EventType enum."),
    ('Threat Intelligence Indicators', 'threat_intelligence_indicators', None,
     'An event matched a threat-intelligence indicator.'),
]

OBJECT_TYPE_RENAME = {
    '(all)': '*', 'Process': 'process', 'Cross Process': 'cross_process', 'File': 'file', 'Driver': 'driver',
    'Logins': 'logins', 'Registry': 'registry', 'Scheduled Task': 'scheduled_task', 'IP': 'ip', 'Module': 'module',
    'Named Pipe': 'named_pipe', 'Indicators': 'indicators', 'DNS': 'dns', 'Url': 'url',
    'Threat Intelligence Indicators': 'threat_intelligence_indicators',
}

# --------------------------------------------------------------------------------------------------------------
# Field curation decisions
# --------------------------------------------------------------------------------------------------------------

# j0shnan's v1->v2 map lists operator translations as if they were fields.
OPERATOR_PSEUDO_FIELDS = {'Contains', 'containsCIS', 'EndsWith', 'EndswithCIS', 'Exists', 'RegExp', 'startswithCIS'}

# pySigma-only short forms that mean the image-hash fields: folded into the precise field as aliases.
FOLD_INTO = {'TgtProcMd5': 'TgtProcImageMd5', 'TgtProcSha1': 'TgtProcImageSha1', 'TgtProcSha256': 'TgtProcImageSha256'}

# Case-only spelling fixes (the first letter of 1.0 names is upper case everywhere else).
RESPELL = {'tgtProcLuserUid': 'TgtProcLUserUid', 'OsSrcProcParentSubSystem': 'OsSrcProcParentSubsystem'}

CMDLINES = ['SrcProcCmdLine', 'SrcProcParentCmdLine', 'TgtProcCmdLine']
MD5S = ['SrcProcImageMd5', 'SrcProcParentImageMd5', 'TgtFileMd5', 'TgtProcImageMd5']
SHA1S = ['SrcProcImageSha1', 'SrcProcParentImageSha1', 'TgtFileSha1', 'TgtProcImageSha1']
SHA256S = ['SrcProcImageSha256', 'SrcProcParentImageSha256', 'TgtFileSha256', 'TgtProcImageSha256']
PROC_NAMES = ['SrcProcName', 'SrcProcParentName', 'TgtProcName']

# shortcut -> (members, 2.0 shortcut, doc)
SHORTCUTS = {
    'CmdLine': (CMDLINES, '#cmdline', 'Shortcut: any of the source, parent and target process command lines.'),
    'ProcessCmdLine': (CMDLINES, '#cmdline',
                       'Shortcut name seen in third-party guides; treated like CmdLine (existence unverified).'),
    'IP': (['DstIP', 'SrcIP'], '#ip', 'Shortcut: source or destination IP of a network event.'),
    'Md5': (MD5S, '#md5', 'Shortcut: MD5 of the target file or of the source, parent or target process image.'),
    'Sha1': (SHA1S, '#sha1', 'Shortcut: SHA-1 of the target file or of the source, parent or target process image.'),
    'Sha256': (SHA256S, '#sha256',
               'Shortcut: SHA-256 of the target file or of the source, parent or target process image.'),
    'Hash': (sorted(MD5S + SHA1S + SHA256S, key=str.lower), '#hash', 'Shortcut: any MD5, SHA-1 or SHA-256 field.'),
    'FilePath': (['SrcProcImagePath', 'SrcProcParentImagePath', 'TgtFileOldPath', 'TgtFilePath', 'TgtProcImagePath'],
                 '#filepath', 'Shortcut: target file path (old or new) or a process image path.'),
    'UserName': (['LoginsUserName', 'SrcProcParentUser', 'SrcProcUser', 'TgtProcUser'], '#username',
                 'Shortcut: user of the source, parent or target process, or the login user name.'),
    'Name': (PROC_NAMES, '#name', 'Shortcut: source, parent or target process name.'),
    'ProcessName': (PROC_NAMES, '#name', 'Shortcut: source, parent or target process name.'),
    'StorylineId': (['SrcProcParentStorylineId', 'SrcProcStorylineId', 'TgtProcStorylineId'], '#storylineid',
                    'Shortcut: storyline ID of the source, parent or target process.'),
    'UID': (['SrcProcParentUID', 'SrcProcUID', 'TgtProcUID'], '#uid',
            'Shortcut: unique ID of the source, parent or target process.'),
    'DNS': (['DnsRequest', 'DnsResponse'], '#dns', 'Shortcut: DNS request or response.'),
}

# legacy field -> (preferred, reason, s1ql2 approximate or None, objectTypes, doc)
LEGACY = {
    'ProcessCmd': (['SrcProcCmdLine'], 'legacy DV field; the API key processCmd mirrors srcProcCmdLine',
                   'src.process.cmdline', ['*'], 'Legacy: source process command line; use SrcProcCmdLine.'),
    'ProcessDisplayName': (['SrcProcDisplayName'], 'legacy DV field; the API key mirrors srcProcDisplayName',
                           'src.process.displayName', ['*'], 'Legacy: source process display name; use SrcProcDisplayName.'),
    'Publisher': (['SrcProcPublisher'], 'legacy DV field; the API key publisher mirrors srcProcPublisher',
                  'src.process.publisher', ['*'], 'Legacy: source process publisher; use SrcProcPublisher.'),
    'FileFullName': (['TgtFilePath'], 'legacy DV file field; TgtFilePath is the precise field', None, None,
                     'Legacy: full path of the target file; use TgtFilePath.'),
    'FileName': (['TgtFileName'], 'legacy file field (seen in a surveyor test)', 'tgt.file.name', ['file'],
                 'Legacy: target file name; use TgtFileName.'),
    'FileType': (['TgtFileExtension'], 'legacy file field; public queries compare it with extensions (bat, vbs)',
                 'tgt.file.extension', ['file'], 'Legacy: target file extension (values like "bat"); use TgtFileExtension.'),
    'AgentOS': (['EndpointOS'], 'legacy agent-level name; EndpointOS carries the same value', None, None,
                'Legacy: endpoint OS (windows, linux, osx); use EndpointOS.'),
}

# Fields whose objectTypes the source got wrong or left out.
OBJECT_TYPES_FIX = {
    # AWS ECS task metadata (task.taskArn ...), not Windows scheduled tasks.
    **{n: ['*'] for n in ['TaskArn', 'TaskAvailabilityZone', 'TaskCluster', 'TaskDefinitionArn', 'TaskDefinitionFamily',
                          'TaskDefinitionRevision', 'TaskServiceArn', 'TaskServiceName', 'TaskTags', 'EcsVersion']},
    **{n: ['command_script'] for n in ['SrcProcCmdScript', 'SrcProcCmdScriptApplicationName', 'SrcProcCmdScriptIsComplete',
                                       'SrcProcCmdScriptOriginalSize', 'SrcProcCmdScriptSha256']},
    'TgtProcAccessRights': ['cross_process'],
    'EventCertainty': ['*'],
    'EventRepetitionCount': ['*'],
    'SrcMachineIP': ['*'],
}

# 2.0 names the source did not give: (name, approximate).
S1QL2_FIX = {
    # stix-shifter maps registryPath and registryKeyPath to the same STIX property.
    'RegistryPath': ('registry.keyPath', True),
}

# Enum fields the source typed 'enum' without values: values by analogy with a stix-shifter-typed sibling.
ENUM_BY_ANALOGY = {
    'SrcProcParentActiveContentType': (['CLI', 'FILE'], 'SrcProcActiveContentType'),
    'OsSrcProcActiveContentType': (['CLI', 'FILE'], 'SrcProcActiveContentType'),
    'SrcProcParentActiveContentSignedStatus': (['signed', 'unsigned'], 'SrcProcActiveContentSignedStatus'),
    'OsSrcProcParentActiveContentSignedStatus': (['signed', 'unsigned'], 'SrcProcActiveContentSignedStatus'),
}

S1QL2_ONLY_DOCS = {
    'agent.uuid': 'Agent UUID (2.0 name of AgentUUID).',
    'dataSource.category': "Data source category, e.g. 'security'.",
    'dataSource.name': "Data source name, e.g. 'SentinelOne'; dataSource.name = * matches any event with a source.",
    'i.scheme': "Event scheme; SentinelOne's 1.0 -> 2.0 translations start with i.scheme = 'edr'.",
    'meta.event.name': 'Internal event name (PROCESSCREATION, FILECREATION...); see s1ql2EventName in event-types.json.',
    'timestamp': 'Event time in nanoseconds since the epoch; renders as a date.',
}

EXPLICIT_DOCS = {
    'AccountID': 'ID of the management account the endpoint belongs to.',
    'AccountName': 'Name of the management account the endpoint belongs to.',
    'AgentMachineType': 'Endpoint machine type (Server, Laptop, Desktop...); same value as EndpointMachineType.',
    'AgentName': 'Endpoint (agent) host name; same value as EndpointName in API events.',
    'AgentUUID': 'UUID of the SentinelOne agent: the stable per-endpoint identifier.',
    'AgentVersion': 'Version of the SentinelOne agent, e.g. 21.6.6.1200.',
    'CloudAccountId': 'Cloud provider account ID of the endpoint.',
    'CloudImage': 'Cloud machine image of the endpoint.',
    'CloudInstanceID': 'Cloud instance ID of the endpoint.',
    'CloudRegion': 'Cloud region of the endpoint.',
    'CloudRoleName': 'Cloud IAM role name of the endpoint.',
    'CloudSecurityGroups': 'Cloud security groups of the endpoint.',
    'CloudServiceProvider': 'Cloud service provider of the endpoint (e.g. AWS, Azure, GCP).',
    'CloudSubnetIds': 'Cloud subnet IDs of the endpoint.',
    'CloudTags': 'Cloud tags of the endpoint.',
    'CloudVpcId': 'Cloud VPC ID of the endpoint.',
    'ContainerId': 'ID of the container the event came from.',
    'ContainerImage': 'Image of the container the event came from.',
    'ContainerImageId': 'Image ID of the container the event came from.',
    'ContainerImageSha256': 'SHA-256 of the container image.',
    'ContainerLabels': 'Labels of the container the event came from.',
    'ContainerName': 'Name of the container the event came from.',
    'DnsRequest': 'Name looked up in a DNS event, e.g. example.com.',
    'DnsResponse': 'DNS response text (resolved addresses / records).',
    'DnsStatus': 'Status of the DNS lookup (values not catalogued).',
    'DriverCertificateThumbprint': 'Thumbprint of the driver signing certificate.',
    'DriverCertificateThumbprintAlgorithm': 'Hash algorithm of the driver certificate thumbprint.',
    'DriverFileVersion': 'Driver file version.',
    'DriverId': 'Driver ID.',
    'DriverInstallerProcess': 'Process that installed the driver.',
    'DriverIsLoadedBeforeMonitor': 'True when the driver was loaded before the agent started monitoring.',
    'DriverLoadStartType': 'Driver start type (values not catalogued).',
    'DriverLoadVerdict': 'Verdict on the driver load (values not catalogued).',
    'DriverPeSha1': 'SHA-1 of the driver PE file.',
    'DriverPeSha256': 'SHA-256 of the driver PE file.',
    'DriverProcessProcess': 'Process that dropped the driver (2.0 driver.dropperProcess); 1.0 spelling unverified.',
    'DriverRegistryKeyPath': 'Service registry key path of the driver.',
    'DriverServiceName': 'Service name of the driver.',
    'DriverSigCount': 'Number of signatures on the driver.',
    'DstIP': 'Destination IP address of a network event.',
    'DstPort': 'Destination port of a network event.',
    'EcsVersion': 'AWS ECS version of the task the endpoint runs in (not a Windows scheduled task).',
    'EndpointMachineType': 'Endpoint machine type: Server, Laptop, Desktop, Kubernetes Node or Unknown.',
    'EndpointName': 'Endpoint host name.',
    'EndpointOS': 'Endpoint operating system: windows, osx or linux.',
    'EventCertainty': 'Certainty of the event (agent-defined).',
    'EventId': 'Unique ID of the event.',
    'EventRepetitionCount': 'Number of times the agent saw this event repeated.',
    'EventTime': 'Time of the event on the endpoint (timestamp).',
    'EventType': 'Event type, e.g. "Process Creation"; values in event-types.json. Case-insensitive (except RegExp).',
    'IndicatorCategory': 'Category of a behavioral indicator, e.g. Persistence, Injection, Evasion.',
    'IndicatorDescription': 'Description of a behavioral indicator (may name MITRE techniques).',
    'IndicatorIdentifier': 'Identifier of a behavioral indicator.',
    'IndicatorMetadata': 'Extra context of a behavioral indicator (paths, processes, keys).',
    'IndicatorName': 'Name of a behavioral indicator, e.g. VssCredsHarvesting.',
    'K8sClusterName': 'Kubernetes cluster name.',
    'K8sControllerLabels': 'Kubernetes controller labels.',
    'K8sControllerName': 'Kubernetes controller name.',
    'K8sControllerType': 'Kubernetes controller type (values not catalogued).',
    'K8sNamespace': 'Kubernetes namespace.',
    'K8sNamespaceLabels': 'Kubernetes namespace labels.',
    'K8sNode': 'Kubernetes node name.',
    'K8sPodLabels': 'Kubernetes pod labels.',
    'K8sPodName': 'Kubernetes pod name.',
    'LoginAccountDomain': 'Domain of the account in a login event.',
    'LoginAccountName': 'Account name in a login event.',
    'LoginAccountSID': 'SID of the account in a login event.',
    'LoginFailureReason': 'Why a login failed.',
    'LoginIsAdministratorEquivalent': 'True when the logged-in account is administrator-equivalent.',
    'LoginIsSuccessful': 'True when the login succeeded.',
    'LoginsBaseType': 'Base type of a login event.',
    'LoginSessionID': 'Logon session ID of a login event.',
    'LoginsUserName': 'User name in a login event.',
    'LoginTgtDomainName': 'Domain of the target account of a login.',
    'LoginTgtUserName': 'User name of the target account of a login.',
    'LoginTgtUserSID': 'SID of the target account of a login.',
    'LoginType': 'Windows logon type, e.g. INTERACTIVE, NETWORK, REMOTE_INTERACTIVE.',
    'LogoutTgtDomainName': 'Domain of the account that logged off.',
    'LogoutTgtUserName': 'User name of the account that logged off.',
    'LogoutTgtUserSID': 'SID of the account that logged off.',
    'LogoutType': 'Logoff type (values not catalogued).',
    'ModuleCertificateExpirationDate': 'Expiration date of the loaded module signing certificate.',
    'ModuleCertificateThumbprint': 'Thumbprint of the loaded module signing certificate.',
    'ModuleMd5': 'MD5 of the loaded module.',
    'ModulePath': 'Full path of the loaded module (DLL / shared library).',
    'ModuleSha1': 'SHA-1 of the loaded module.',
    'ModuleSignedStatus': 'Signature status of the loaded module: signed or unsigned.',
    'ModuleSignerName': 'Signer of the loaded module.',
    'NamedPipeAccessMode': 'Access mode of the named pipe (values not catalogued).',
    'NamedPipeConnectionType': 'Connection type of the named pipe (values not catalogued).',
    'NamedPipeName': 'Name of the named pipe.',
    'NamedPipeReadMode': 'Read mode of the named pipe (values not catalogued).',
    'NamedPipeRemoteClients': 'Whether the named pipe accepts remote clients (values not catalogued).',
    'NamedPipeTypeMode': 'Type mode of the named pipe (values not catalogued).',
    'NamedPipeWaitMode': 'Wait mode of the named pipe (values not catalogued).',
    'NetConnStatus': 'Outcome of the connection: Success, Failure, Blocked or Unknown.',
    'NetEventDirection': 'Direction of the connection: INCOMING or OUTGOING.',
    'NetProtocolName': 'Network protocol or service name, e.g. tcp, ms-wbt-server.',
    'ObjectType': 'Object type of the event, e.g. file, registry; values in event-types.json. Case-insensitive.',
    'ProcessTerminationExitCode': 'Exit code of the process that ended.',
    'ProcessTerminationSignal': 'Signal that ended the process (POSIX).',
    'RegistryExportPath': 'File a registry key was exported to.',
    'RegistryImportPath': 'File a registry key was imported from.',
    'RegistryKeyPath': 'Path of the registry key, e.g. MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run.',
    'RegistryOldValue': 'Registry value data before the change.',
    'RegistryOldValueFullSize': 'Full size of the old registry value data.',
    'RegistryOldValueIsComplete': 'True when RegistryOldValue holds the complete data.',
    'RegistryOldValueType': 'Type of the old registry value, e.g. SZ, DWORD.',
    'RegistryOwnerUser': 'Owner of the registry key.',
    'RegistryOwnerUserSID': 'SID of the owner of the registry key.',
    'RegistryPath': 'Registry path of the event (stix-shifter maps it like RegistryKeyPath).',
    'RegistrySecurityInfo': 'Security information of the registry key.',
    'RegistryUID': 'Unique ID of the registry key.',
    'RegistryValue': 'Registry value data after the change.',
    'RegistryValueFullSize': 'Full size of the registry value data.',
    'RegistryValueIsComplete': 'True when RegistryValue holds the complete data.',
    'RegistryValueType': 'Type of the registry value, e.g. SZ, DWORD, BINARY.',
    'SiteID': 'ID of the management site of the endpoint.',
    'SiteName': 'Name of the management site of the endpoint.',
    'SrcIP': 'Source IP address of a network event.',
    'SrcMachineIP': 'IP address of the source endpoint (on network logins, the remote machine).',
    'SrcPort': 'Source port of a network event.',
    'TaskArn': 'AWS ECS task ARN (not a Windows scheduled task).',
    'TaskAvailabilityZone': 'AWS ECS task availability zone.',
    'TaskCluster': 'AWS ECS cluster of the task.',
    'TaskDefinitionArn': 'AWS ECS task definition ARN.',
    'TaskDefinitionFamily': 'AWS ECS task definition family.',
    'TaskDefinitionRevision': 'AWS ECS task definition revision.',
    'TaskName': 'Name of the Windows scheduled task.',
    'TaskPath': 'Path of the Windows scheduled task, e.g. \\Microsoft\\Windows\\...',
    'TaskServiceArn': 'AWS ECS service ARN.',
    'TaskServiceName': 'AWS ECS service name.',
    'TaskTags': 'AWS ECS task tags.',
    'TaskTriggerType': 'Trigger type of the scheduled task (values not catalogued).',
    'TgtProcAccessRights': 'Access rights requested on the target process handle.',
    'TgtProcRelation': 'How the target relates to the source: child, storyline_child or not_in_storyline.',
    'TIIndicatorComparisonMethod': 'Comparison method of the matched threat-intelligence indicator.',
    'TIIndicatorType': 'Type of the matched threat-intelligence indicator.',
    'Url': 'URL of an HTTP request event.',
    'UrlAction': 'HTTP method of the request: GET, POST, PUT...',
    'UrlSource': 'Source of the URL event (agent-defined).',
    'ChildProcCount': 'Number of child processes of the source process.',
    'CrossProcCount': 'Number of cross-process operations by the source process.',
    'ExeModificationCount': 'Number of executable files modified by the source process.',
    'ModelChildProcessCount': 'Agent model child-process count of the source process (semantics undocumented).',
    'OsSrcImageType': 'Image type of the OS source process (values not catalogued).',
}

TGT_FILE_DOCS = {
    'ConvictedBy': 'Engine that convicted the target file: Reputation or Static AI.',
    'CreatedAt': 'Creation time of the target file.',
    'Description': 'Version-info description of the target file.',
    'Extension': 'Extension of the target file without the dot, e.g. dll.',
    'Id': 'Unique ID of the target file.',
    'InternalName': 'Version-info internal name of the target file.',
    'IsDirectory': 'True when the target is a directory.',
    'IsExecutable': 'True when the target file is executable.',
    'IsKernelModule': 'True when the target file is a kernel module.',
    'IsSigned': 'Signature status of the target file: signed or unsigned.',
    'Location': 'Where the target file lives: Local, Network Drive or External Device.',
    'Md5': 'MD5 of the target file.',
    'ModifiedAt': 'Last modification time of the target file.',
    'Name': 'Name of the target file (no directory).',
    'OldMd5': 'MD5 of the target file before the change.',
    'OldPath': 'Previous path of a renamed or moved target file.',
    'OldSha1': 'SHA-1 of the target file before the change.',
    'OldSha256': 'SHA-256 of the target file before the change.',
    'OriginalFileName': 'Version-info original file name of the target file.',
    'OwnerName': 'Owner of the target file.',
    'OwnerUserSID': 'SID of the owner of the target file.',
    'Path': 'Full path of the target file (created, modified, renamed, deleted or scanned).',
    'ProductName': 'Version-info product name of the target file.',
    'ProductVersion': 'Version-info product version of the target file.',
    'Publisher': 'Publisher (signer) of the target file.',
    'Sha1': 'SHA-1 of the target file.',
    'Sha256': 'SHA-256 of the target file.',
    'SignatureInvalidReason': 'Why the signature of the target file is invalid.',
    'SignatureIsValid': 'True when the signature of the target file is valid.',
    'Size': 'Size of the target file in bytes.',
    'Type': 'File type the agent classified the target as, e.g. PE, ELF, PDF.',
}

PROC_SUBJECT = [
    ('OsSrcProcParent', "OS source process's parent"),
    ('OsSrcProc', 'OS source process'),
    ('SrcProcParent', "Source process's parent"),
    ('SrcProc', 'Source process'),
    ('TgtProcParent', "Target process's parent"),
    ('TgtProc', 'Target process'),
]

# suffix -> doc template ({s} = subject, lower-case first letter)
PROC_ATTR = {
    'Name': 'Image name of the {s}, e.g. powershell.exe.',
    'CmdLine': 'Command line of the {s}.',
    'DisplayName': 'Display name of the {s} (its image file description).',
    'ImagePath': 'Full path of the {s} image.',
    'ImageMd5': 'MD5 of the {s} image.',
    'ImageSha1': 'SHA-1 of the {s} image.',
    'ImageSha256': 'SHA-256 of the {s} image.',
    'PID': 'Process ID (PID) of the {s}.',
    'UID': 'SentinelOne unique ID of the {s}.',
    'StorylineId': 'Storyline ID of the {s} (groups related activity).',
    'User': 'User the {s} runs as (DOMAIN\\user).',
    'UserSID': 'SID of the user the {s} runs as.',
    'IntegrityLevel': 'Windows integrity level of the {s}: HIGH, MEDIUM, LOW, SYSTEM...',
    'SignedStatus': 'Signature status of the {s} image: signed or unsigned.',
    'VerifiedStatus': 'Signature verification of the {s} image: verified or unverified.',
    'Publisher': 'Publisher (signer) of the {s} image.',
    'StartTime': 'Start time of the {s}.',
    'SessionId': 'Logon session ID of the {s}.',
    'Subsystem': 'Subsystem of the {s}, e.g. SYS_WIN32.',
    'ReasonSignatureInvalid': 'Why the signature of the {s} image is invalid.',
    'ActiveContentFileId': 'File ID of the active content (script) run by the {s}.',
    'ActiveContentHash': 'Hash of the active content (script) run by the {s}.',
    'ActiveContentPath': 'Path of the active content (script) run by the {s}.',
    'ActiveContentSignedStatus': 'Signature status of the active content (script) run by the {s}.',
    'ActiveContentType': 'Kind of active content run by the {s}: CLI (inline) or FILE.',
    'IsNative64Bit': 'True when the {s} is native 64-bit.',
    'IsRedirectCmdProcessor': 'True when the {s} is a command interpreter with redirected I/O (e.g. a remote shell).',
    'IsStorylineRoot': 'True when the {s} is the root of its storyline.',
    'BinaryisExecutable': 'True when the {s} image is an executable binary.',
    'ImageBinaryIsExecutable': 'True when the {s} image is an executable binary.',
    'ImageExtension': 'File extension of the {s} image.',
    'ImageLocation': 'Location of the {s} image (values not catalogued).',
    'ImageSize': 'Size of the {s} image in bytes.',
    'ImageType': 'File type of the {s} image (values not catalogued).',
    'ImageUID': 'Unique file ID of the {s} image.',
    'ImageSignatureIsValid': 'True when the signature of the {s} image is valid.',
    'ImageCompletenessHints': 'Completeness hints of the {s} data (agent-defined).',
    'ImageDescription': 'Version-info description of the {s} image.',
    'ImageInternalName': 'Version-info internal name of the {s} image.',
    'ImageOriginalFileName': 'Version-info original file name of the {s} image.',
    'ImageProductName': 'Version-info product name of the {s} image.',
    'ImageProductVersion': 'Version-info product version of the {s} image.',
    'EUserName': 'Effective user name of the {s} (POSIX).',
    'EUserUid': 'Effective user ID of the {s} (POSIX).',
    'LUserName': 'Login user name of the {s} (POSIX).',
    'LUserUid': 'Login user ID of the {s} (POSIX).',
    'RUserName': 'Real user name of the {s} (POSIX).',
    'RUserUid': 'Real user ID of the {s} (POSIX).',
    'RPID': 'RPID of the {s} as reported by the agent (semantics undocumented).',
    'Tid': 'Thread ID in the {s}.',
    'CmdScript': 'Script content of a Command Script event (e.g. PowerShell seen through AMSI).',
    'CmdScriptApplicationName': 'Application that ran the script of a Command Script event.',
    'CmdScriptIsComplete': 'True when the captured script content is complete (not truncated).',
    'CmdScriptOriginalSize': 'Original size in bytes of the script of a Command Script event.',
    'CmdScriptSha256': 'SHA-256 of the script content of a Command Script event.',
}

COUNTER_DOCS = {
    'ChildProcCount': 'Number of child processes of the {s}.',
    'CrossProcCount': 'Number of cross-process operations by the {s}.',
    'CrossProcDupRemoteProcHandleCount': 'Number of remote process handles duplicated by the {s}.',
    'CrossProcDupThreadHandleCount': 'Number of thread handles duplicated by the {s}.',
    'CrossProcOpenProcCount': 'Number of handles to other processes opened by the {s}.',
    'CrossProcOutOfStorylineCount': 'Number of cross-process operations by the {s} outside its storyline.',
    'CrossProcThreadCreateCount': 'Number of remote threads created by the {s}.',
    'DnsCount': 'Number of DNS lookups by the {s}.',
    'ModuleCount': 'Number of modules loaded by the {s}.',
    'NetConnCount': 'Number of network connections of the {s}.',
    'NetConnInCount': 'Number of incoming network connections of the {s}.',
    'NetConnOutCount': 'Number of outgoing network connections of the {s}.',
    'RegistryChangeCount': 'Number of registry changes by the {s}.',
    'TgtFileCreationCount': 'Number of files created by the {s}.',
    'TgtFileDeletionCount': 'Number of files deleted by the {s}.',
    'TgtFileModificationCount': 'Number of files modified by the {s}.',
}
INDICATOR_COUNT = re.compile(r'^(OsSrc)?Indicator(\w+)Count$')
INDICATOR_WORDS = {
    'BootConfigurationUpdate': 'boot-configuration-update', 'Evasion': 'evasion', 'Exploitation': 'exploitation',
    'General': 'general', 'Infostealer': 'infostealer', 'Injection': 'injection', 'Persistence': 'persistence',
    'PostExploitation': 'post-exploitation', 'Ransomware': 'ransomware', 'Reconnaissance': 'reconnaissance',
}

DRIVER_SIG = re.compile(r'^DriverSig([1-5])(Publisher|SpcSpOpusInfo|TimeStamp|Valid)$')
DRIVER_SIG_DOCS = {
    'Publisher': 'Publisher of driver signature #{n}.',
    'SpcSpOpusInfo': 'SpcSpOpusInfo (program name / URL) of driver signature #{n}.',
    'TimeStamp': 'Timestamp of driver signature #{n}.',
    'Valid': 'True when driver signature #{n} is valid.',
}

HASH_NAME = re.compile(r'(Md5|Sha1|Sha256|Hash)$')
POSIX_USER = re.compile(r'[ELR]User(Name|Uid)$')


def case_insensitive_data(name: str, ftype: str) -> bool:
    if ftype == 'hash':
        return True
    if POSIX_USER.search(name):
        return False
    if re.search(r'Proc(Parent)?Name$', name) or name in ('ProcessName', 'Name'):
        return True
    if name.endswith('Path') or name in ('FileFullName', 'FileName', 'TgtFileName', 'FileType'):
        return True
    if name.endswith('Extension'):
        return True
    if name.endswith('User') or name in (
            'UserName', 'LoginsUserName', 'LoginAccountName', 'LoginTgtUserName', 'LogoutTgtUserName', 'TgtFileOwnerName'):
        return True
    if name in ('DnsRequest', 'DnsResponse', 'DNS', 'Url', 'LoginAccountDomain', 'LoginTgtDomainName',
                'LogoutTgtDomainName', 'EndpointName', 'AgentName', 'NamedPipeName', 'TaskName', 'DriverServiceName'):
        return True
    return False


def doc_for(name: str) -> str:
    if name in EXPLICIT_DOCS:
        return EXPLICIT_DOCS[name]
    if name.startswith('TgtFile') and name[7:] in TGT_FILE_DOCS:
        return TGT_FILE_DOCS[name[7:]]
    m = DRIVER_SIG.match(name)
    if m:
        return DRIVER_SIG_DOCS[m.group(2)].format(n=m.group(1))
    m = INDICATOR_COUNT.match(name)
    if m:
        subject = 'OS source process' if m.group(1) else 'source process'
        return f'Number of {INDICATOR_WORDS[m.group(2)]} behavioral indicators on the {subject}.'
    for prefix, subject in (('OsSrc', 'OS source process'), ('', 'source process')):
        rest = name[len(prefix):] if name.startswith(prefix) else None
        if rest is not None and rest in COUNTER_DOCS:
            return COUNTER_DOCS[rest].format(s=subject)
    for prefix, subject in PROC_SUBJECT:
        if name.startswith(prefix) and name[len(prefix):] in PROC_ATTR:
            tmpl = PROC_ATTR[name[len(prefix):]]
            lower = subject if subject.startswith('OS') else subject[0].lower() + subject[1:]
            return tmpl.replace('{s}', lower)
    raise KeyError(f'no doc for {name}')


def main() -> None:
    raw = json.loads(SRC.read_text())
    event_type_names = [e[0] for e in EVENT_TYPES]
    object_type_names = [o[0] for o in OBJECT_TYPES]
    s1ql2_only = []
    fields = {}
    folded = {}
    for e in raw:
        name = e['name']
        if e.get('dialect'):
            entry = {'name': name, 'type': 'string' if e['type'] == 'enum' else e['type'],
                     'doc': S1QL2_ONLY_DOCS[name], 'sources': list(e['sources'])}
            if e['type'] == 'enum':
                entry['sources'].append('curated: type enum -> string (values live in event-types.json s1ql2EventName)')
            elif e.get('enumValues'):
                entry['sources'].append(f"curated: enumValues {e['enumValues']} moved into doc")
            s1ql2_only.append(entry)
            continue
        if name in OPERATOR_PSEUDO_FIELDS:
            continue
        if name in FOLD_INTO:
            folded[FOLD_INTO[name]] = e
            continue
        fields[name] = e

    out = []
    for src_name, e in fields.items():
        curated = []
        name = RESPELL.get(src_name, src_name)
        if name[0].islower():
            name = name[0].upper() + name[1:]
        if name != src_name:
            curated.append(f'spelling {src_name} -> {name} (case only)')
        ftype = e['type']
        entry = {'name': name}
        enum_values = e.get('enumValues')
        enum_like = False
        if ftype == 'enum?':
            ftype, enum_like = 'string', True
        elif ftype == 'enum' and not enum_values:
            if name in ENUM_BY_ANALOGY:
                enum_values, sibling = ENUM_BY_ANALOGY[name]
                curated.append(f'enum values by analogy with {sibling}')
            else:
                ftype, enum_like = 'string', True
                curated.append('type enum without known values -> string, enumLike')
        if ftype == 'string' and HASH_NAME.search(name) and name not in ('Hash',):
            ftype = 'hash'
            curated.append('type string -> hash')
        if name == 'EventType':
            enum_values = event_type_names
            curated.append('enumValues = event-types.json eventTypes (dropped "Windows Event Log Creation": 2.0 only)')
        if name == 'ObjectType':
            enum_values = object_type_names
            e = {**e, 'notes': e['notes'] + (
                ' Curated: the catalog keeps only the snake_case values the DV API returns in objectType; every '
                'ObjectType comparison in the public corpus matches one of them case-insensitively and none writes '
                "a spaced form such as 'Scheduled Task'.")}
            curated.append('enumValues = event-types.json objectTypes (the API values; display-case duplicates dropped)')
        entry['type'] = ftype
        if enum_like:
            entry['enumLike'] = True
        if ftype == 'enum':
            entry['enumValues'] = list(enum_values)
        # object types
        ots = [OBJECT_TYPE_RENAME[o] for o in e.get('objectTypes', [])]
        if name in OBJECT_TYPES_FIX or src_name in OBJECT_TYPES_FIX:
            new = OBJECT_TYPES_FIX.get(name, OBJECT_TYPES_FIX.get(src_name))
            if new != ots:
                curated.append(f'objectTypes {ots or "(none)"} -> {new}')
            ots = new
        entry['objectTypes'] = ots  # shortcuts and legacy filled below
        entry['doc'] = ''
        # 2.0 name
        s1ql2 = None
        approx = False
        for a in e.get('aliases', []):
            if a.startswith('#') or '.' not in a:
                continue
            a2 = a.replace(' (closest)', '')
            if s1ql2 is None:
                s1ql2, approx = a2, a2 != a
        if name in S1QL2_FIX and s1ql2 is None:
            s1ql2, approx = S1QL2_FIX[name]
            curated.append(f's1ql2 {s1ql2}' + (' (approximate)' if approx else '') + ' added')
        if s1ql2:
            entry['s1ql2'] = s1ql2
            if approx:
                entry['s1ql2Approximate'] = True
        out_notes = e.get('notes')
        entry['sources'] = list(e['sources'])
        if out_notes:
            entry['notes'] = out_notes
        if name in folded:
            f = folded[name]
            entry['aliases'] = [f['name']]
            entry['sources'] += [s for s in f['sources'] if s not in entry['sources']]
            curated.append(f"alias {f['name']} folded in (pySigma-only short form; its own entry removed)")
        entry['_curated'] = curated
        entry['_src'] = e
        out.append(entry)

    by_name = {f['name']: f for f in out}
    # shortcuts
    for name, (members, pq, doc) in SHORTCUTS.items():
        f = by_name[name]
        for m in members:
            assert m in by_name, (name, m)
        f['members'] = list(members)
        f['legacy'] = {'preferred': list(members),
                       'reason': 'shortcut over several fields; name the precise field to say which side you mean'}
        ots = set()
        for m in members:
            ots.update(by_name[m]['objectTypes'])
        f['objectTypes'] = ['*'] if '*' in ots else sorted(ots)
        f['doc'] = doc
        f.pop('s1ql2', None)
        f.pop('s1ql2Approximate', None)
        f['notes'] = (f.get('notes', '') + ('; ' if f.get('notes') else '') + f'S1QL 2.0 equivalent: {pq}').strip()
        f['_curated'].append('shortcut: members and legacy.preferred added')
    for name, (preferred, reason, approx2, ots, doc) in LEGACY.items():
        f = by_name[name]
        f['legacy'] = {'preferred': preferred, 'reason': reason}
        f['doc'] = doc
        if approx2 and 's1ql2' not in f:
            f['s1ql2'] = approx2
            f['s1ql2Approximate'] = True
            f['_curated'].append(f's1ql2 {approx2} (approximate) added')
        if ots is not None and not f['objectTypes']:
            f['objectTypes'] = ots
        f['_curated'].append('legacy.preferred added')
    for f in out:
        if not f['objectTypes']:
            raise SystemExit(f"no objectTypes for {f['name']}")
        if not f['doc']:
            f['doc'] = doc_for(f['name'])
        if case_insensitive_data(f['name'], f['type']):
            f['caseInsensitiveData'] = True
    # finalize key order
    order = ['name', 'type', 'enumLike', 'enumValues', 'objectTypes', 'doc', 's1ql2', 's1ql2Approximate', 'eventKey',
             'members', 'legacy', 'caseInsensitiveData', 'aliases', 'sources', 'notes']
    final = []
    for f in sorted(out, key=lambda x: x['name'].lower()):
        if f['_curated']:
            f['sources'].append('curated: ' + '; '.join(f['_curated']))
        final.append({k: f[k] for k in order if k in f})

    fields_file = {
        '$schema': './schema/fields.schema.json',
        'description': (
            'S1QL 1.0 (Deep Visibility) field catalog: every field name a query may use, its type, enum values, '
            'the object types that carry it, a one-line doc, its S1QL 2.0 (dotted) name, and for shortcut or legacy '
            'names the precise fields to prefer. Imported once from the shared research table '
            '(data/s1ql-fields.json: stix-shifter, j0shnan/DKDaily 1.0->2.0 maps, pySigma, surveyor, SentinelLabs '
            "hunts and SentinelOne's own 1.0->2.0 translations, whose provenance each entry keeps in `sources`) and "
            'then curated by hand. Conversions applied to every entry and not itemised: object types use the '
            "API's snake_case values and '*' for all; 2.0 names moved from aliases to s1ql2 (\"(closest)\" became "
            's1ql2Approximate); lower-camel API keys and #shortcut names dropped from aliases. Entries changed beyond '
            'that say so in a "curated:" source. Operator names the source listed as fields (Contains, RegExp, ...) '
            'were removed; dotted 2.0-only names are in s1ql2Only.'
        ),
        'fields': final,
        's1ql2Only': s1ql2_only,
    }
    event_types_file = {
        '$schema': './schema/event-types.schema.json',
        'description': (
            'S1QL 1.0 EventType and ObjectType values. Object type names are the values the DV API returns in '
            '`objectType` (snake_case; tables and backends also write them title-cased, e.g. File, Cross Process) and every ObjectType comparison in the '
            'public corpus matches one of them case-insensitively. Event types are stix-shifter\'s EventType enum '
            '(which matches the DV API event-type list) plus "Named Pipe Creation" (pySigma); the object type of each '
            'follows the enum\'s grouping. s1ql2EventName is the meta.event.name value SentinelOne\'s own 1.0 -> 2.0 '
            'translations (SentineLabs Hunter-Index) use for the event type, where known; s1ql2Category is the 2.0 '
            'event.category value, given only where a public 2.0 query uses it (the others are probably the same '
            'string, unconfirmed). EventType and ObjectType compare case-insensitively.'
        ),
        'objectTypes': [
            {k: v for k, v in (('name', n), ('s1ql2Category', c), ('doc', d)) if v is not None}
            for n, c, d in OBJECT_TYPES
        ],
        'eventTypes': [
            {k: v for k, v in (('name', n), ('objectType', o), ('s1ql2EventName', m), ('doc', d)) if v is not None}
            for n, o, m, d in EVENT_TYPES
        ],
    }
    (ROOT / 'grammar' / 'fields.json').write_text(json.dumps(fields_file, indent=2, ensure_ascii=False) + '\n')
    (ROOT / 'grammar' / 'event-types.json').write_text(json.dumps(event_types_file, indent=2, ensure_ascii=False) + '\n')
    print(f'{len(final)} fields, {len(s1ql2_only)} 2.0-only, {len(EVENT_TYPES)} event types, {len(OBJECT_TYPES)} object types')


if __name__ == '__main__':
    main()
