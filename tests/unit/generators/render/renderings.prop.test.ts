import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import {
  processCreations,
  processOf,
  processTree,
  shellOrRecon,
  webServer,
  type ProcessCreation,
  type ProcessCreationField,
} from '../../../../generators/process-tree.js';
import { renderings, type Rendering } from '../../../../generators/render/renderings.js';

interface ParsedXml {
  readonly system: Map<string, string>;
  readonly attributes: Map<string, Record<string, string>>;
  readonly data: [string, string][];
  readonly namespace: string | undefined;
}

// Parses one rendered event with a conforming XML parser; throws on anything not well-formed.
function parseEventXml(text: string): ParsedXml {
  const parser = new SaxesParser({ xmlns: true });
  const system = new Map<string, string>();
  const attributes = new Map<string, Record<string, string>>();
  const data: [string, string][] = [];
  const stack: string[] = [];
  let namespace: string | undefined;
  let dataName: string | undefined;
  let text_ = '';
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    stack.push(tag.local);
    text_ = '';
    if (tag.local === 'Event') namespace = tag.uri;
    const values = Object.fromEntries(
      Object.entries(tag.attributes).map(([name, attribute]) => [name, attribute.value]),
    );
    attributes.set(tag.local, values);
    if (tag.local === 'Data') dataName = values.Name;
  });
  parser.on('text', (chunk) => {
    text_ += chunk;
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.local === 'Data' && dataName !== undefined) data.push([dataName, text_]);
    else if (stack.at(-1) === 'System') system.set(tag.local, text_);
    text_ = '';
  });
  parser.write(text).close();
  return { system, attributes, data, namespace };
}

// Where each format keeps the Sigma fields it carries, after unescaping.
function readXmlFields(rendering: Rendering): Partial<Record<ProcessCreationField, string>> {
  const parsed = parseEventXml(rendering.text);
  const data = Object.fromEntries(parsed.data);
  const computer = parsed.system.get('Computer');
  if (rendering.format === 'sysmon-xml') return { ...data, Computer: computer };
  const fields: Partial<Record<ProcessCreationField, string>> = {
    Image: data.NewProcessName,
    ProcessId: String(Number.parseInt(data.NewProcessId ?? '', 16)),
    ParentProcessId: String(Number.parseInt(data.ProcessId ?? '', 16)),
    Computer: computer,
  };
  if (data.CommandLine !== undefined) fields.CommandLine = data.CommandLine;
  if (data.ParentProcessName !== undefined) fields.ParentImage = data.ParentProcessName;
  return fields;
}

function readJsonFields(rendering: Rendering): Partial<Record<ProcessCreationField, unknown>> {
  const document = JSON.parse(rendering.text) as Record<string, any>;
  if (rendering.format === 'flat-json') return document;
  if (rendering.format === 'winlogbeat-ecs-json') {
    const { process, user, winlog } = document;
    return {
      ...winlog.event_data,
      TerminalSessionId: Number(winlog.event_data.TerminalSessionId),
      Image: process.executable,
      CommandLine: process.command_line,
      ParentImage: process.parent.executable,
      ParentCommandLine: process.parent.command_line,
      ProcessId: process.pid,
      ParentProcessId: process.parent.pid,
      ProcessGuid: process.entity_id,
      ParentProcessGuid: process.parent.entity_id,
      CurrentDirectory: process.working_directory,
      OriginalFileName: process.pe.original_file_name,
      User: `${user.domain}\\${user.name}`,
      Computer: winlog.computer_name,
    };
  }
  const data = document.Event.EventData;
  const computer = document.Event.System.Computer;
  if (rendering.format === 'sysmon-evtx-json') {
    const braced = (guid: string) => `{${guid.toLowerCase()}}`;
    return {
      ...data,
      ProcessGuid: braced(data.ProcessGuid),
      ParentProcessGuid: braced(data.ParentProcessGuid),
      LogonGuid: braced(data.LogonGuid),
      Computer: computer,
    };
  }
  return {
    Image: data.NewProcessName,
    CommandLine: data.CommandLine,
    ParentImage: data.ParentProcessName,
    ProcessId: Number.parseInt(data.NewProcessId, 16),
    ParentProcessId: Number.parseInt(data.ProcessId, 16),
    Computer: computer,
  };
}

function readFields(rendering: Rendering): Partial<Record<ProcessCreationField, unknown>> {
  return rendering.extension === '.xml' ? readXmlFields(rendering) : readJsonFields(rendering);
}

const events: fc.Arbitrary<ProcessCreation> = processTree({
  root: webServer(),
  children: shellOrRecon(),
  depth: 2,
})
  .map(processCreations)
  .chain((list) => fc.constantFrom(...list));

describe('renderings', () => {
  it("renders every format well-formed, carrying the event's fields unchanged after unescaping", () => {
    fc.assert(
      fc.property(events, (event) => {
        const all = renderings(event);
        expect(all.map((rendering) => rendering.format)).toHaveLength(8);
        for (const rendering of all) {
          const fields = readFields(rendering);
          for (const field of rendering.fields) {
            const expected = rendering.extension === '.xml' ? String(event[field]) : event[field];
            expect({ format: rendering.format, field, value: fields[field] }).toEqual({
              format: rendering.format,
              field,
              value: expected,
            });
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('survives hostile command lines and paths: markup, quotes, ampersands, CR/LF, tabs, non-ASCII', () => {
    const hostile = fc
      .tuple(
        events,
        fc.string({
          unit: fc.constantFrom('<', '>', '&', '"', "'", '\r', '\n', '\t', ' ', 'a', 'é', '新', '😀', '\\', ']]>'),
        }),
      )
      .map(
        ([event, noise]): ProcessCreation => ({
          ...event,
          CommandLine: `${event.CommandLine} ${noise}`,
          ParentCommandLine: `${noise}${event.ParentCommandLine}`,
          Image: `${event.Image}${noise.includes('\\') ? '' : noise}`,
        }),
      );
    fc.assert(
      fc.property(hostile, (event) => {
        for (const rendering of renderings(event)) {
          const fields = readFields(rendering);
          for (const field of ['Image', 'CommandLine', 'ParentCommandLine'] as const) {
            if (!rendering.fields.includes(field)) continue;
            expect(fields[field]).toBe(event[field]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("writes Sysmon EventData in Sysmon's order with its header, and 4688 with the fields of its version", () => {
    const [event] = fc.sample(events, { seed: 1, numRuns: 1 });
    if (event === undefined) throw new Error('no sample');
    const byFormat = new Map(renderings(event).map((rendering) => [rendering.format, rendering]));
    const sysmon = parseEventXml(byFormat.get('sysmon-xml')?.text ?? '');
    expect(sysmon.namespace).toBe('http://schemas.microsoft.com/win/2004/08/events/event');
    expect(sysmon.attributes.get('Provider')).toEqual({
      Name: 'Microsoft-Windows-Sysmon',
      Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    });
    expect(sysmon.system.get('Channel')).toBe('Microsoft-Windows-Sysmon/Operational');
    expect(sysmon.system.get('EventID')).toBe('1');
    expect(sysmon.data.map(([name]) => name)).toEqual([
      'RuleName',
      'UtcTime',
      'ProcessGuid',
      'ProcessId',
      'Image',
      'FileVersion',
      'Description',
      'Product',
      'Company',
      'OriginalFileName',
      'CommandLine',
      'CurrentDirectory',
      'User',
      'LogonGuid',
      'LogonId',
      'TerminalSessionId',
      'IntegrityLevel',
      'Hashes',
      'ParentProcessGuid',
      'ParentProcessId',
      'ParentImage',
      'ParentCommandLine',
      'ParentUser',
    ]);
    const v0 = [
      'SubjectUserSid',
      'SubjectUserName',
      'SubjectDomainName',
      'SubjectLogonId',
      'NewProcessId',
      'NewProcessName',
      'TokenElevationType',
      'ProcessId',
    ];
    const v1 = [...v0, 'CommandLine'];
    const v2 = [
      ...v1,
      'TargetUserSid',
      'TargetUserName',
      'TargetDomainName',
      'TargetLogonId',
      'ParentProcessName',
      'MandatoryLabel',
    ];
    for (const [format, names, version] of [
      ['security-4688-v0-xml', v0, '0'],
      ['security-4688-v1-xml', v1, '1'],
      ['security-4688-v2-xml', v2, '2'],
    ] as const) {
      const parsed = parseEventXml(byFormat.get(format)?.text ?? '');
      expect(parsed.data.map(([name]) => name)).toEqual(names);
      expect(parsed.system.get('Version')).toBe(version);
      expect(parsed.system.get('Channel')).toBe('Security');
      expect(parsed.attributes.get('Provider')?.Guid).toBe('{54849625-5478-4994-A5BA-3E3B0328C30D}');
    }
    const evtx = JSON.parse(byFormat.get('security-4688-evtx-json')?.text ?? '');
    expect(evtx.Event['#attributes'].xmlns).toBe('http://schemas.microsoft.com/win/2004/08/events/event');
    expect(evtx.Event.System.EventID).toBe(4688);
    expect(evtx.Event.System.Security).toBeNull();
    expect(evtx.Event.EventData.NewProcessId).toMatch(/^0x[0-9a-f]+$/);
  });

  it("names the creator as 4688 Subject and the new process's account as Target only when it differs", () => {
    fc.assert(
      fc.property(events, (event) => {
        const v2 = renderings(event).find((rendering) => rendering.format === 'security-4688-v2-xml');
        const data = Object.fromEntries(parseEventXml(v2?.text ?? '').data);
        expect(data.SubjectUserSid).toBe(event.context.parentAccount.sid);
        const same =
          event.context.account.sid === event.context.parentAccount.sid &&
          event.context.account.logonId === event.context.parentAccount.logonId;
        expect(data.TargetUserSid).toBe(same ? 'S-1-0-0' : event.context.account.sid);
        expect(data.TokenElevationType).toMatch(/^%%193[678]$/);
        expect(data.MandatoryLabel).toBe(
          { Low: 'S-1-16-4096', Medium: 'S-1-16-8192', High: 'S-1-16-12288', System: 'S-1-16-16384' }[
            event.IntegrityLevel
          ],
        );
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same event the same renderings (deterministic)', () => {
    const [event] = fc.sample(events, { seed: 9, numRuns: 1 });
    if (event === undefined) throw new Error('no sample');
    expect(renderings(event)).toEqual(renderings(event));
    expect(renderings(event, { recordId: 77 })[0]?.text).toContain('<EventRecordID>77</EventRecordID>');
  });

  it('renders the background processes too', () => {
    fc.assert(
      fc.property(processTree({ root: processOf({ tags: ['background'] }, { launcher: true }) }), (tree) => {
        for (const event of processCreations(tree)) {
          for (const rendering of renderings(event)) expect(readFields(rendering).Image).toBe(event.Image);
        }
      }),
      { numRuns: 50 },
    );
  });
});
