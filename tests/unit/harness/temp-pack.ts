import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The id of the small rule the harness tests use. */
export const RULE_ID = '0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b';

/** A small process_creation rule; `images` and `parentKey` let a test break it on purpose. */
export function ruleText({ images = ["'*\\cmd.exe'", "'*\\whoami.exe'"], parentKey = 'ParentImage|endswith', status = 'experimental', falsepositives = ['Health checks that run whoami'] } = {}): string {
  return `title: Shell from IIS
id: ${RULE_ID}
status: ${status}
description: test rule
author: tests
date: 2026-11-01
modified: 2026-11-01
tags:
  - attack.persistence
  - attack.t1505.003
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    ${parentKey}: '\\w3wp.exe'
    Image:
${images.map((image) => `      - ${image}`).join('\n')}
  condition: selection
falsepositives:
${falsepositives.map((entry) => `  - ${entry}`).join('\n')}
level: high
`;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A Sysmon EID 1 event as Windows renders it, with just the fields the tests need. */
export function sysmonEvent(parentImage: string, image: string): string {
  return `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon" /><EventID>1</EventID><Version>5</Version><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>web01</Computer></System><EventData><Data Name="Image">${escapeXml(image)}</Data><Data Name="CommandLine">${escapeXml(image)}</Data><Data Name="ParentImage">${escapeXml(parentImage)}</Data></EventData></Event>`;
}

/** A Security 4688 v2 event with the fields the tests need. */
export function securityEvent(parentImage: string, image: string): string {
  return `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing" /><EventID>4688</EventID><Version>2</Version><Channel>Security</Channel><Computer>web01</Computer></System><EventData><Data Name="NewProcessName">${escapeXml(image)}</Data><Data Name="ParentProcessName">${escapeXml(parentImage)}</Data><Data Name="NewProcessId">0x2bc</Data><Data Name="ProcessId">0xe74</Data></EventData></Event>`;
}

export const W3WP = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';
export const CMD = 'C:\\Windows\\System32\\cmd.exe';
export const WHOAMI = 'C:\\Windows\\System32\\whoami.exe';
export const EXPLORER = 'C:\\Windows\\explorer.exe';
export const CSC = 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe';

/** Writes a throwaway rule pack (rule, mappings, spec, events) and returns its root. */
export async function createTempPack(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dac-pack-'));
  await cp(join(repoRoot, 'mappings'), join(root, 'mappings'), { recursive: true });
  await cp(join(repoRoot, 'data'), join(root, 'data'), { recursive: true });
  const all: Record<string, string> = {
    'package.json': '{ "name": "test-pack", "version": "1.2.3" }\n',
    'dac.config.yml': 'properties: { runs: 5, seed: 1 }\n',
    // A new rule needs a changeset that adds it, or the version check fails.
    '.changeset/add-test-rule.md': `---\n"test-pack": minor\n---\n\nadded: ${RULE_ID} Shell from IIS\n`,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

export const RULE_FILE = 'rules/windows/process_creation/proc_creation_win_test_shell.yml';
export const TEST_DIR = 'tests/rules/proc_creation_win_test_shell';
